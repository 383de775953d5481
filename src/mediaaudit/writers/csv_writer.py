"""CSV rendering: a fixed column set, one row per file, UTF-8 with BOM (spreadsheets).

Streamed: each row is written as its entry arrives, so a scan needs no list of files.

Cells that a spreadsheet would run as a formula (=, +, -, @ first) get a leading
apostrophe: file names and metadata are untrusted input.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

COLUMNS = ("path", "outcome", "nvf_status", "nvf_row", "puid", "format_name", "mime",
           "rights_status", "licence", "holder", "attribution", "alt_text", "captions",
           "ai_generated", "finding_codes", "findings", "size", "sha256")


def _safe(v: Any) -> str:
    s = "" if v is None else str(v)
    s = s.replace("\r", " ").replace("\n", " ")
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t") else s


def row(f: Mapping[str, Any]) -> list[str]:
    fmt, nvf, rights = f.get("format") or {}, f.get("nvf") or {}, f.get("rights") or {}
    acc, prov = f.get("accessibility") or {}, f.get("provenance") or {}
    findings = f.get("findings") or []
    values = {
        "path": f.get("path"), "outcome": f.get("outcome"),
        "nvf_status": nvf.get("status"), "nvf_row": nvf.get("row"),
        "puid": fmt.get("puid"), "format_name": fmt.get("name"), "mime": fmt.get("mime"),
        "rights_status": rights.get("status"), "licence": rights.get("licence"),
        "holder": rights.get("holder"), "attribution": rights.get("attribution"),
        "alt_text": " | ".join(f"[{a['lang']}] {a.get('text', '')}" if a.get("lang")
                               else a.get("text", "") for a in acc.get("alt_text", [])),
        "captions": " ".join(c.get("language") or "und" for c in acc.get("captions", [])),
        "ai_generated": {True: "yes", False: "no"}.get(bool(prov["ai_generated"]))
        if "ai_generated" in prov else None,
        "finding_codes": " ".join(x.get("code", "") for x in findings),
        "findings": " | ".join(f"{x.get('code')} ({x.get('severity')}): {x.get('message')}"
                               for x in findings),
        "size": f.get("size"), "sha256": f.get("sha256"),
    }
    return [_safe(values[c]) for c in COLUMNS]


def write_csv(m: Mapping[str, Any], out: TextIO, base: str = ".") -> None:
    """Header and one row per entry of ``m["files"]`` (which may be a live iterator)."""
    write_rows(m.get("files") or [], out)


def write_rows(files: Iterable[Mapping[str, Any]], out: TextIO) -> None:
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for f in files:
        w.writerow(row(f))


def render_csv(files: Iterable[Mapping[str, Any]]) -> str:
    """The whole CSV as one string (small manifests, tests)."""
    buf = io.StringIO()
    write_rows(files, buf)
    return buf.getvalue()
