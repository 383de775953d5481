"""Markdown rendering: a summary to paste into a ticket (failing files with reasons, then
what to do when posting the files that passed, as a checklist).

Written line by line.  It cannot start before the scan ends: the verdict and the
totals come first and the failing files lead the table, so it needs the whole list.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TextIO

from mediaaudit.evaluate import actions as _actions
from mediaaudit.writers.common import failing_first, fix_hint, state_of, states_of, summary_of
from mediaaudit.writers.labels import banner, batch_verdict, label

_ICON = {"pass": "✅", "pass_actions": "☑️", "fail": "❌", "error": "⚠️"}
_STATES = ("pass", "pass_actions", "fail", "error")


def _cell(s: Any) -> str:
    text = "" if s is None else str(s)
    for ch in ("\\", "|", "`", "*", "_", "[", "]", "<", ">"):
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", " ")


def _code(path: str) -> str:
    """A path as a code span (rendered literally); '|' escaped so tables survive."""
    return "`" + path.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"


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
        f"**{L('verdict_' + batch_verdict(s))}**",
        "",
        *([_cell(banner(lang, states)), ""] if files else []),
        f"{L('files')}: {s.get('files', 0)} · " + " · ".join(
            f"{L('state_' + st)}: {states[st]}" for st in _STATES) + "  ",
        f"{L('profile')}: {p.get('name', pid)} ({pid}, version {p.get('version', '?')}) · "
        f"{L('date')}: {m.get('created', '?')} · {L('tool')}: mediaaudit "
        f"{(m.get('tool') or {}).get('version', '?')}",
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
    return (f"| {_ICON.get(state, '')} {L('state_' + state)} | {_code(f.get('path', ''))} | "
            f"{L(nvf.get('status', 'unknown'))} | {L(rights.get('status', 'not_checked'))}{lic}"
            f" | {reasons} |")
