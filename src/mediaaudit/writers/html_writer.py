"""HTML rendering: one self-contained page (inline CSS, no scripts, no fetched assets)
for a reviewer who never opens a terminal.  Prints on A4.

Every string from the manifest is escaped: file names and metadata are untrusted input.
A Content-Security-Policy forbids scripts and every non-inline resource as a second wall.

Written row by row, each thumbnail made just before its row, so only one preview is
held at a time.  The verdict and totals come first and failing files lead, so it is
written after the scan, from the whole list of entries.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any, TextIO

from mediaaudit import __version__
from mediaaudit.writers.common import failing_first, fix_hint, summary_of
from mediaaudit.writers.labels import batch_verdict, label

CSS = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1a1a1a;
       margin: 0 auto; max-width: 1100px; padding: 16px; }
h1 { font-size: 17pt; margin: 0 0 8px; color: #154273; }
.verdict { padding: 12px 16px; border-radius: 6px; font-weight: 700; font-size: 13pt;
           margin: 8px 0 12px; }
.v-pass { background: #e3f4e5; border-left: 8px solid #2e7d32; }
.v-fail { background: #fdecea; border-left: 8px solid #c62828; }
.v-error, .v-empty { background: #fff4e0; border-left: 8px solid #ef6c00; }
.counts span { display: inline-block; margin-right: 14px; font-weight: 600; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px;
          font-size: 9pt; color: #444; margin: 8px 0 16px; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; word-break: break-all; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border-bottom: 1px solid #ccc; padding: 6px 5px; vertical-align: top;
         text-align: left; overflow-wrap: anywhere; }
th { background: #f0f3f7; overflow-wrap: normal; white-space: nowrap; }
tr { page-break-inside: avoid; }
td.name { overflow-wrap: anywhere; font-weight: 600; min-width: 170px; max-width: 260px; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-weight: 700;
         font-size: 8.5pt; text-transform: uppercase; white-space: nowrap; }
.b-pass { background: #2e7d32; color: #fff; } .b-fail { background: #c62828; color: #fff; }
.b-error { background: #ef6c00; color: #fff; }
.thumb { max-width: 72px; max-height: 72px; border: 1px solid #ddd; }
ul.findings { margin: 0; padding-left: 16px; } ul.findings li { margin-bottom: 3px; }
.sev-error { color: #b71c1c; } .sev-warning { color: #8a5300; } .sev-info { color: #555; }
.fix { display: block; color: #333; font-size: 8.5pt; }
.small { font-size: 8pt; color: #666; overflow-wrap: anywhere; }
.attr { background: #f5f8fc; padding: 2px 4px; }
"""

CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
       "base-uri 'none'; form-action 'none'")


def _e(v: Any) -> str:
    return escape("" if v is None else str(v), quote=True)


Thumb = Callable[[Mapping[str, Any]], str | None]
"""A file entry → its preview as a data: URI, or None."""


def _findings(f: Mapping[str, Any], lang: str) -> str:
    items = []
    for x in f.get("findings") or []:
        sev = x.get("severity", "info")
        fix = fix_hint(x.get("code", ""), lang) if sev != "info" else ""
        fix_html = f'<span class="fix">{_e(label(lang, "how_to_fix"))}: {_e(fix)}</span>' \
            if fix else ""
        word = label(lang, "error_sev" if sev == "error" else sev)
        items.append(f'<li class="sev-{_e(sev)}"><b>{_e(word)}</b> '
                     f'{_e(x.get("message"))} <span class="small">[{_e(x.get("code"))}]</span>'
                     f"{fix_html}</li>")
    return f'<ul class="findings">{"".join(items)}</ul>' if items else label(lang, "none")


def _access(f: Mapping[str, Any], lang: str) -> str:
    """Alt text to paste, captions found, AI label: what the poster needs at hand."""
    acc, prov = f.get("accessibility") or {}, f.get("provenance") or {}
    parts = []
    for a in acc.get("alt_text", []):
        tag = f" ({_e(a['lang'])})" if a.get("lang") else ""
        parts.append(f'<br><b>{_e(label(lang, "alt_text"))}{tag}:</b> '
                     f'<span class="attr">{_e(a.get("text"))}</span>')
    caps = acc.get("captions") or []
    if caps:
        langs = ", ".join(_e(c.get("language") or "?") for c in caps)
        parts.append(f'<br><b>{_e(label(lang, "captions"))}:</b> {langs}')
    if prov.get("ai_generated"):
        parts.append(f'<br><b class="sev-warning">{_e(label(lang, "ai_label"))}</b>')
    if (prov.get("c2pa") or {}).get("state", "absent") != "absent":
        parts.append(f'<br><span class="small">Content Credentials: '
                     f'{_e(prov["c2pa"]["state"])}</span>')
    return "".join(parts)


def _row(f: Mapping[str, Any], lang: str, thumb: str | None) -> str:
    L = functools.partial(label, lang)
    outcome = f.get("outcome", "error")
    img = f'<img class="thumb" alt="" src="{_e(thumb)}">' if thumb else ""
    fmt, nvf, rights = f.get("format") or {}, f.get("nvf") or {}, f.get("rights") or {}
    fmt_text = " ".join(p for p in (_e(fmt.get("name") or fmt.get("mime")),
                                    f'<span class="small">{_e(fmt.get("puid"))}</span>'
                                    if fmt.get("puid") else "") if p)
    lic = f"<br>{_e(rights.get('licence'))}" if rights.get("licence") else ""
    holder = f"<br><span class='small'>{_e(rights.get('holder'))}</span>" \
        if rights.get("holder") else ""
    attr = f'<br><span class="attr">{_e(rights.get("attribution"))}</span>' \
        if rights.get("attribution") else ""
    attr += _access(f, lang)
    return (
        "<tr>"
        f"<td>{img}</td>"
        f'<td class="name">{_e(f.get("path"))}<br><span class="small">'
        f'{_e(label(lang, "checksum"))} {_e((f.get("sha256") or "")[:16])}…</span></td>'
        f'<td><span class="badge b-{_e(outcome)}">{_e(L(outcome))}</span></td>'
        f"<td>{fmt_text}<br>{_e(L(nvf.get('status', 'unknown')))}</td>"
        f"<td>{_e(L(rights.get('status', 'not_checked')))}{lic}{holder}{attr}</td>"
        f"<td>{_findings(f, lang)}</td>"
        "</tr>"
    )


def _no_thumb(f: Mapping[str, Any]) -> str | None:
    return None


def write_html(m: Mapping[str, Any], out: TextIO, thumb: Thumb = _no_thumb) -> None:
    """The whole report, written to ``out`` one file row at a time."""
    lang = m.get("lang", "en")
    files: Sequence[Mapping[str, Any]] = m.get("files") or []
    out.write(_head(m, lang, m.get("summary") or summary_of(files)))
    for f in failing_first(files):
        out.write(_row(f, lang, thumb(f)))
    out.write(f"</tbody></table>\n{_skipped(m.get('skipped') or [], lang)}\n</body></html>\n")


def _skipped(skipped: Sequence[Mapping[str, Any]], lang: str) -> str:
    if not skipped:
        return ""
    items = "".join(f"<li>{_e(x.get('path'))} <span class='small'>({_e(x.get('reason'))})</span>"
                    "</li>" for x in skipped)
    return f"<h2>{_e(label(lang, 'skipped'))}</h2><ul class='small'>{items}</ul>"


def _head(m: Mapping[str, Any], lang: str, s: Mapping[str, int]) -> str:
    """Everything before the first file row: verdict, totals, norm, date, table head."""
    L = functools.partial(label, lang)
    p = m.get("profile") or {}
    pid = p.get("id", "?")
    verdict = batch_verdict(s)
    created = m.get("created", "?")
    return f"""<!DOCTYPE html>
<html lang="{_e(lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mediaaudit {_e(__version__)}">
<title>{_e(L('title'))} — {_e(created)}</title>
<style>{CSS}</style></head>
<body>
<h1>{_e(L('title'))}</h1>
<div class="verdict v-{verdict}" id="verdict">{_e(L('verdict_' + verdict))}</div>
<div class="counts"><span>{_e(L('files'))}: {s.get('files', 0)}</span>
<span>{_e(L('pass'))}: {s.get('pass', 0)}</span><span>{_e(L('fail'))}: {s.get('fail', 0)}</span>
<span>{_e(L('error'))}: {s.get('error', 0)}</span></div>
<dl class="meta">
<dt>{_e(L('profile'))}</dt><dd>{_e(p.get('name', pid))} ({_e(pid)}, version
 {_e(p.get('version', '?'))}) — sha256 {_e(p.get('sha256'))}</dd>
<dt>{_e(L('roots'))}</dt><dd>{_e(', '.join(m.get('roots') or []))}</dd>
<dt>{_e(L('date'))}</dt><dd>{_e(created)}</dd>
<dt>{_e(L('tool'))}</dt><dd>mediaaudit {_e((m.get('tool') or {}).get('version', '?'))}</dd>
</dl>
<table><thead><tr><th>{_e(L('preview'))}</th><th>{_e(L('file'))}</th>
<th>{_e(L('outcome'))}</th><th>{_e(L('format'))} / {_e(L('nvf'))}</th>
<th>{_e(L('rights'))}</th><th>{_e(L('findings'))}</th></tr></thead>
<tbody>"""
