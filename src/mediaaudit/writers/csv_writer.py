"""CSV rendering: a fixed column set, one row per file, UTF-8 with BOM (spreadsheets).

Cells that a spreadsheet would run as a formula (=, +, -, @ first) get a leading
apostrophe: file names and metadata are untrusted input.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

COLUMNS = ("path", "outcome", "nvf_status", "nvf_row", "puid", "format_name", "mime",
           "rights_status", "licence", "holder", "attribution", "alt_text", "captions",
           "ai_generated", "finding_codes", "findings", "size", "sha256")


def _safe(v: Any) -> str:
    s = "" if v is None else str(v)
    s = s.replace("\r", " ").replace("\n", " ")
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t") else s


def row(f: dict[str, Any]) -> list[str]:
    fmt, nvf, rights = f.get("format", {}), f.get("nvf", {}), f.get("rights", {})
    acc, prov = f.get("accessibility") or {}, f.get("provenance") or {}
    findings = f.get("findings", [])
    values = {
        "path": f.get("path"), "outcome": f.get("outcome"),
        "nvf_status": nvf.get("status"), "nvf_row": nvf.get("row"),
        "puid": fmt.get("puid"), "format_name": fmt.get("name"), "mime": fmt.get("mime"),
        "rights_status": rights.get("status"), "licence": rights.get("licence"),
        "holder": rights.get("holder"), "attribution": rights.get("attribution"),
        "alt_text": " | ".join(f"[{a['lang']}] {a['text']}" if a.get("lang") else a["text"]
                               for a in acc.get("alt_text", [])),
        "captions": " ".join(c.get("language") or "und" for c in acc.get("captions", [])),
        "ai_generated": {True: "yes", False: "no"}.get(bool(prov["ai_generated"]))
        if "ai_generated" in prov else None,
        "finding_codes": " ".join(x["code"] for x in findings),
        "findings": " | ".join(f"{x['code']} ({x['severity']}): {x['message']}"
                               for x in findings),
        "size": f.get("size"), "sha256": f.get("sha256"),
    }
    return [_safe(values[c]) for c in COLUMNS]


def render_csv(files: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for f in files:
        w.writerow(row(f))
    return "\ufeff" + buf.getvalue()
