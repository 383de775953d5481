"""Markdown rendering: a summary to paste into a ticket (failing files with reasons)."""

from __future__ import annotations

import functools
from typing import Any

from mediaaudit.writers.common import failing_first, fix_hint
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


def render_md(m: dict[str, Any]) -> str:
    lang = m.get("lang", "en")
    L = functools.partial(label, lang)
    s = m["summary"]
    p = m["profile"]
    lines = [
        f"## {L('title')}",
        "",
        f"**{L('verdict_' + batch_verdict(s))}**",
        "",
        f"{L('files')}: {s['files']} · {L('pass')}: {s['pass']} · {L('fail')}: {s['fail']} · "
        f"{L('error')}: {s['error']}  ",
        f"{L('profile')}: {p.get('name', p['id'])} ({p['id']}, version {p['version']}) · "
        f"{L('date')}: {m['created']} · {L('tool')}: mediaaudit {m['tool']['version']}",
        "",
        f"| | {L('file')} | {L('nvf')} | {L('rights')} | {L('findings')} |",
        "|---|---|---|---|---|",
    ]
    for f in failing_first(m["files"]):
        shown = [x for x in f["findings"] if x["severity"] != "info" or f["outcome"] == "pass"]
        reasons = "<br>".join(
            _cell(x["message"]) + (f" — {_cell(fix_hint(x['code'], lang))}"
                                   if x["severity"] == "error" else "")
            for x in shown if x["severity"] != "info") or L("none")
        rights = f["rights"]
        lic = f" ({_cell(rights['licence'])})" if rights.get("licence") else ""
        lines.append(f"| {_ICON.get(f['outcome'], '')} | {_code(f['path'])} | "
                     f"{L(f['nvf']['status'])} | {L(rights['status'])}{lic} | {reasons} |")
    alts = [(f, a) for f in m["files"] for a in (f.get("accessibility") or {}).get("alt_text", [])]
    if alts:
        lines += ["", f"**{L('alt_text')}**", ""]
        lines += [f"- {_code(f['path'])}" + (f" ({_cell(a['lang'])})" if a.get("lang") else "")
                  + f": {_cell(a['text'])}" for f, a in alts]
    credits = [f for f in m["files"] if f["rights"].get("attribution")]
    if credits:
        lines += ["", f"**{L('attribution')}**", ""]
        lines += [f"- {_code(f['path'])}: {_cell(f['rights']['attribution'])}"
                  for f in credits]
    return "\n".join(lines) + "\n"
