"""Markdown rendering: a summary to paste into a ticket (failing files with reasons).

Written line by line.  It cannot start before the scan ends: the verdict and the
totals come first and the failing files lead the table, so it needs the whole list.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TextIO

from mediaaudit.writers.common import failing_first, fix_hint, summary_of
from mediaaudit.writers.labels import batch_verdict, label

_ICON = {"pass": "✅", "fail": "❌", "error": "⚠️"}


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
    p = m.get("profile") or {}
    pid = p.get("id", "?")
    yield from (
        f"## {L('title')}",
        "",
        f"**{L('verdict_' + batch_verdict(s))}**",
        "",
        f"{L('files')}: {s.get('files', 0)} · {L('pass')}: {s.get('pass', 0)} · "
        f"{L('fail')}: {s.get('fail', 0)} · {L('error')}: {s.get('error', 0)}  ",
        f"{L('profile')}: {p.get('name', pid)} ({pid}, version {p.get('version', '?')}) · "
        f"{L('date')}: {m.get('created', '?')} · {L('tool')}: mediaaudit "
        f"{(m.get('tool') or {}).get('version', '?')}",
        "",
        f"| | {L('file')} | {L('nvf')} | {L('rights')} | {L('findings')} |",
        "|---|---|---|---|---|",
    )
    for f in failing_first(files):
        yield _row(f, lang)
    alts = [(f, a) for f in files for a in (f.get("accessibility") or {}).get("alt_text", [])]
    if alts:
        yield from ("", f"**{L('alt_text')}**", "")
        yield from (f"- {_code(f.get('path', ''))}"
                    + (f" ({_cell(a['lang'])})" if a.get("lang") else "")
                    + f": {_cell(a.get('text'))}" for f, a in alts)
    credits = [f for f in files if (f.get("rights") or {}).get("attribution")]
    if credits:
        yield from ("", f"**{L('attribution')}**", "")
        yield from (f"- {_code(f.get('path', ''))}: {_cell(f['rights']['attribution'])}"
                    for f in credits)


def _row(f: Mapping[str, Any], lang: str) -> str:
    """One table row: failing reasons with the fix for errors; info only on a pass."""
    L = functools.partial(label, lang)
    outcome = f.get("outcome", "error")
    findings = f.get("findings") or []
    shown = [x for x in findings if x.get("severity") != "info" or outcome == "pass"]
    reasons = "<br>".join(
        _cell(x.get("message")) + (f" — {_cell(fix_hint(x.get('code', ''), lang))}"
                                   if x.get("severity") == "error" else "")
        for x in shown if x.get("severity") != "info") or L("none")
    rights = f.get("rights") or {}
    nvf = f.get("nvf") or {}
    lic = f" ({_cell(rights['licence'])})" if rights.get("licence") else ""
    return (f"| {_ICON.get(outcome, '')} | {_code(f.get('path', ''))} | "
            f"{L(nvf.get('status', 'unknown'))} | {L(rights.get('status', 'not_checked'))}{lic}"
            f" | {reasons} |")
