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
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TextIO

from mediaaudit.evaluate import actions as _actions
from mediaaudit.writers.common import (
    captions,
    failing_first,
    fix_hint,
    one_line,
    state_of,
    states_of,
    summary_of,
)
from mediaaudit.writers.labels import LABELS, banner, label, skip_reason, verdict_text

_ICON = {"pass": "✅", "pass_actions": "☑️", "fail": "❌", "error": "⚠️"}
_STATES = ("pass", "pass_actions", "fail", "error")


def _cell(s: Any) -> str:
    """A value as Markdown text on one line (see the module's docstring)."""
    text = one_line(s)
    for ch in ("\\", "|", "`", "*", "_", "[", "]", "<", ">"):
        text = text.replace(ch, "\\" + ch)
    return text


def _code(path: Any) -> str:
    """A path as a code span (rendered literally) on one line; '|' escaped so tables
    survive."""
    return "`" + one_line(path).replace("`", "'").replace("|", "\\|") + "`"


def write_md(m: Mapping[str, Any], out: TextIO, base: str = ".") -> None:
    for line in _lines(m):
        out.write(line + "\n")


def render_md(m: Mapping[str, Any]) -> str:
    """The whole Markdown as one string (small manifests, tests)."""
    buf = io.StringIO()
    write_md(m, buf)
    return buf.getvalue()


def _lines(m: Mapping[str, Any]) -> Iterator[str]:
    lang = m.get("lang", "en")
    L = functools.partial(label, lang)
    files: Sequence[Mapping[str, Any]] = m.get("files") or []
    s = m.get("summary") or summary_of(files)
    states = states_of(files)
    p = m.get("profile") or {}
    pid = p.get("id", "?")
    yield from (
        f"## {L('title')}",
        "",
        f"**{verdict_text(lang, s)}**",
        "",
        *([_cell(banner(lang, states)), ""] if files else []),
        f"{L('files')}: {_cell(s.get('files', 0))} · " + " · ".join(
            f"{L('state_' + st)}: {states[st]}" for st in _STATES) + "  ",
        f"{L('profile')}: {_cell(p.get('name', pid))} ({_cell(pid)}, {L('version')} "
        f"{_cell(p.get('version', '?'))}) · {L('date')}: {_cell(m.get('created', '?'))} · "
        f"{L('tool')}: mediaaudit {_cell((m.get('tool') or {}).get('version', '?'))}",
        "",
        f"| | {L('file')} | {L('nvf')} | {L('rights')} | {L('findings')} |",
        "|---|---|---|---|---|",
    )
    ordered = failing_first(files)
    for f in ordered:
        yield _row(f, lang)
    todo = [f for f in ordered if state_of(f) == "pass_actions"]
    if todo:
        yield from ("", f"**{L('say_pass_actions')}**", "")
        for f in todo:
            yield f"- {_code(f.get('path', ''))}"
            yield from (f"  - [ ] {_cell(a.get('text'))}" for a in f.get("actions") or [])
    opened = [x for x in m.get("skipped") or [] if x.get("reason") == "archive"]
    if opened:  # a delivery archive: the reader sees where the member rows came from
        yield ""
        yield from (f"- {_code(x.get('path', ''))}: {_cell(skip_reason(x, lang))}"
                    for x in opened)


def _lead(a: Mapping[str, Any], lang: str) -> str:
    """An action's instruction without the text to paste."""
    code = str(a.get("code", ""))
    if code in set(_actions.ActionId):
        return _actions.lead(code, a.get("params") or {}, lang)
    return str(a.get("text", code))


def _row(f: Mapping[str, Any], lang: str) -> str:
    """One table row: failing reasons with the fix for errors; info only on a pass."""
    L = functools.partial(label, lang)
    outcome = f.get("outcome", "error")
    state = state_of(f)
    findings = f.get("findings") or []
    if outcome == "pass":  # the text to paste is in the checklist below the table
        reasons = "; ".join(_cell(_lead(a, lang)) for a in f.get("actions") or []) or L("none")
    else:
        reasons = "<br>".join(
            _cell(x.get("message")) + (f" — {_cell(fix_hint(x.get('code', ''), lang))}"
                                       if x.get("severity") == "error" else "")
            for x in findings if x.get("severity") != "info") or L("none")
    rights = f.get("rights") or {}
    nvf = f.get("nvf") or {}
    lic = f" ({_cell(rights['licence'])})" if rights.get("licence") else ""
    caps = captions(f, lang)  # a caption file by name, with its language
    shown = _code(f.get("path", "")) + (
        f"<br>{L('captions')}: {_cell(', '.join(caps))}" if caps else "")
    return (f"| {_ICON.get(state, '')} {L('state_' + state)} | {shown} | "
            f"{_cell(L(str(nvf.get('status', 'unknown'))))} | "
            f"{_cell(L(str(rights.get('status', 'not_checked'))))}{lic} | {reasons} |")


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
