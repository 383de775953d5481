"""Markdown rendering: a summary to paste into a ticket (failing files with reasons, then
what to do when posting the files that passed, as a checklist).

Written line by line.  It cannot start before the scan ends: the verdict and the
totals come first and the failing files lead the table, so it needs the whole list.

Every value from the manifest (file names, metadata, messages, and in ``report`` the
whole crafted manifest) goes through ``_cell`` or ``_code``: first ``common.one_line``
(line breaks, CR, U+2028/U+2029/U+0085 and TAB become a space, other control characters
a visible ``\\xNN``), so a value can never start a line of its own (a heading, a list
item, a table row); then Markdown's own characters are escaped (or, in a code span,
replaced), so it cannot open a link, an image, emphasis or a new table cell.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from mediaaudit.evaluate import actions as _actions
from mediaaudit.manifestview import ActionView, EntryView, ManifestView, State
from mediaaudit.model import Outcome, Severity
from mediaaudit.writers.common import captions, failing_first, fix_hint, one_line, states_of
from mediaaudit.writers.labels import LABELS, banner, label, skip_reason, verdict_text

_ICON = {State.PASS: "✅", State.PASS_ACTIONS: "☑️", State.FAIL: "❌", State.ERROR: "⚠️"}
_STATES = (State.PASS, State.PASS_ACTIONS, State.FAIL, State.ERROR)


def _cell(s: Any) -> str:
    """A value as Markdown text on one line (see the module's docstring)."""
    text = one_line(s)
    for ch in ("\\", "|", "`", "*", "_", "[", "]", "<", ">"):
        text = text.replace(ch, "\\" + ch)
    return text


def _code(path: str) -> str:
    """A path as a code span (rendered literally) on one line; '|' escaped so tables
    survive."""
    return "`" + one_line(path).replace("`", "'").replace("|", "\\|") + "`"


def write_md(m: Mapping[str, Any], out: TextIO, base: str = ".") -> None:
    for line in _lines(ManifestView.of(m)):
        out.write(line + "\n")


def render_md(m: Mapping[str, Any]) -> str:
    """The whole Markdown as one string (small manifests, tests)."""
    buf = io.StringIO()
    write_md(m, buf)
    return buf.getvalue()


def _lines(m: ManifestView) -> Iterator[str]:
    lang = m.lang
    L = functools.partial(label, lang)
    files = m.files
    s = m.totals
    states = states_of(files)
    p = m.profile
    pid = "?" if p.id is None else p.id
    yield from (
        f"## {L('title')}",
        "",
        f"**{verdict_text(lang, s)}**",
        "",
        *([_cell(banner(lang, states)), ""] if files else []),
        f"{L('files')}: {_cell(s.files)} · " + " · ".join(
            f"{L('state_' + st)}: {states[st]}" for st in _STATES) + "  ",
        f"{L('profile')}: {_cell(pid if p.name is None else p.name)} ({_cell(pid)}, "
        f"{L('version')} {_cell('?' if p.version is None else p.version)}) · "
        f"{L('date')}: {_cell('?' if m.created is None else m.created)} · "
        f"{L('tool')}: mediaaudit {_cell('?' if m.tool_version is None else m.tool_version)}",
        "",
        f"| | {L('file')} | {L('nvf')} | {L('rights')} | {L('findings')} |",
        "|---|---|---|---|---|",
    )
    ordered = failing_first(files)
    for f in ordered:
        yield _row(f, lang)
    todo = [f for f in ordered if f.state == State.PASS_ACTIONS]
    if todo:
        yield from ("", f"**{L('say_pass_actions')}**", "")
        for f in todo:
            yield f"- {_code(f.path)}"
            yield from (f"  - [ ] {_cell(a.text)}" for a in f.actions)
    opened = [x for x in m.skipped if x.reason == "archive"]
    if opened:  # a delivery archive: the reader sees where the member rows came from
        yield ""
        yield from (f"- {_code(x.path)}: {_cell(skip_reason(x, lang))}" for x in opened)


def _lead(a: ActionView, lang: str) -> str:
    """An action's instruction without the text to paste."""
    if a.known:
        return _actions.lead(a.code, a.params, lang)
    return a.code if a.text is None else a.text


def _row(f: EntryView, lang: str) -> str:
    """One table row: failing reasons with the fix for errors; info only on a pass."""
    L = functools.partial(label, lang)
    state = f.state
    if f.outcome == Outcome.PASS:  # the text to paste is in the checklist below the table
        reasons = "; ".join(_cell(_lead(a, lang)) for a in f.actions) or L("none")
    else:
        reasons = "<br>".join(
            _cell(x.message) + (f" — {_cell(fix_hint(x.code or '', lang))}"
                                if x.severity == Severity.ERROR else "")
            for x in f.findings if x.severity != Severity.INFO) or L("none")
    rights = f.rights
    lic = f" ({_cell(rights.licence)})" if rights.licence else ""
    caps = captions(f, lang)  # a caption file by name, with its language
    shown = _code(f.path) + (
        f"<br>{L('captions')}: {_cell(', '.join(caps))}" if caps else "")
    nvf = "unknown" if f.nvf.status is None else f.nvf.status
    rights_status = "not_checked" if rights.status is None else rights.status
    return (f"| {_ICON.get(state, '')} {L('state_' + state)} | {shown} | "
            f"{_cell(L(nvf))} | {_cell(L(rights_status))}{lic} | {reasons} |")


def is_own(head: bytes, tail: bytes) -> bool:
    """Is this a summary this writer wrote: a report title in any language on the first
    line, and the 'checked with mediaaudit' line of that language just below?"""
    del tail
    lines = head.decode("utf-8", "replace").splitlines()
    for labels in LABELS.values():
        if lines[:1] == [f"## {labels['title']}"] and any(
                f"{labels['tool']}: mediaaudit " in line for line in lines[1:8]):
            return True
    return False
