"""CSV rendering: a fixed column set, one row per file, UTF-8 with BOM (spreadsheets).

Columns are only ever added at the end: ``state`` (pass, pass_actions, fail, error),
``action_codes`` and ``actions`` (the manifest's actions, the text to paste included).

Streamed: each row is written as its entry arrives, so a scan needs no list of files.

File names and metadata are untrusted input, so every cell is made safe for every
separator a spreadsheet may split this file on.  The file's own separator is ``,``, but
Excel and LibreOffice in a Dutch locale split a double-clicked CSV on ``;``, and some
import dialogs ignore quotes.  The rule, for each cell:

1. ``common.one_line``: line breaks (CR, LF, U+2028, U+2029, U+0085 …) and TAB become a
   space, other control characters a visible ``\\xNN``: one cell is one line.
2. Every place where a cell can begin (the start of the value, and right after each
   ``,`` or ``;`` in it) whose text, after spaces and double quotes, starts with ``=``,
   ``+``, ``-`` or ``@`` (a formula in Excel and LibreOffice) gets an apostrophe there:
   ``=HYPERLINK(…)`` becomes ``'=HYPERLINK(…)`` and ``foto;=HYPERLINK(…)`` becomes
   ``foto;'=HYPERLINK(…)``, text under any split.
3. Every cell is quoted (``QUOTE_ALL``), so a reader that honours quotes never splits a
   value at a separator inside it.  The header is the fixed column names, unquoted.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from mediaaudit.writers.common import one_line, state_of
from mediaaudit.writers.labels import label

COLUMNS = ("path", "outcome", "nvf_status", "nvf_row", "puid", "format_name", "mime",
           "rights_status", "licence", "holder", "attribution", "alt_text", "captions",
           "ai_generated", "finding_codes", "findings", "size", "sha256",
           "state", "action_codes", "actions")


# Where a spreadsheet may begin a cell (the value's start, after a ',' or ';' in it)
# followed by what makes that cell a formula (see the module's docstring, step 2).
_FORMULA = re.compile(r'(^|[,;])(?=[\s"]*[=+\-@])')


def _safe(v: Any) -> str:
    """One cell's text, safe under every separator (the module's docstring, steps 1-2)."""
    return _FORMULA.sub(lambda m: m.group(1) + "'", one_line(v))


def _severity(sev: Any, lang: str) -> str:
    """The severity word in the report's language (the findings cell is for people)."""
    return label(lang, "error_sev" if sev == "error" else str(sev))


def row(f: Mapping[str, Any], lang: str = "en") -> list[str]:
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
        "findings": " | ".join(f"{x.get('code')} ({_severity(x.get('severity'), lang)}): "
                               f"{x.get('message')}" for x in findings),
        "size": f.get("size"), "sha256": f.get("sha256"),
        "state": state_of(f),
        "action_codes": " ".join(str(a.get("code", "")) for a in f.get("actions") or []),
        "actions": " | ".join(str(a.get("text", "")) for a in f.get("actions") or []),
    }
    return [_safe(values[c]) for c in COLUMNS]


def write_csv(m: Mapping[str, Any], out: TextIO, base: str = ".") -> None:
    """Header and one row per entry of ``m["files"]`` (which may be a live iterator)."""
    write_rows(m.get("files") or [], out, str(m.get("lang") or "en"))


def write_rows(files: Iterable[Mapping[str, Any]], out: TextIO, lang: str = "en") -> None:
    out.write("\ufeff" + ",".join(COLUMNS) + "\r\n")
    w = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for f in files:
        w.writerow(row(f, lang))


def render_csv(files: Iterable[Mapping[str, Any]]) -> str:
    """The whole CSV as one string (small manifests, tests)."""
    buf = io.StringIO()
    write_rows(files, buf)
    return buf.getvalue()


def is_own(head: bytes, tail: bytes) -> bool:
    """Is this a CSV this writer wrote: its header row (first columns and ``sha256``)?"""
    del tail
    first = head.decode("utf-8", "replace").partition("\n")[0].rstrip("\r")
    cells = next(csv.reader([first]), [])
    return cells[:3] == list(COLUMNS[:3]) and "sha256" in cells
