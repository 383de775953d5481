"""CSV rendering: a fixed column set, one row per file, UTF-8 with BOM (spreadsheets).

Columns are only ever added at the end: ``state`` (pass, pass_actions, fail, error),
``action_codes`` and ``actions`` (the manifest's actions, the text to paste included).

One language per file, as the spreadsheet of that language expects it: an English CSV
has English headers and values, ``,`` between cells and ``.`` in a decimal number; a
Dutch one has Dutch headers and values (``uitslag``: ``afgekeurd``), ``;`` between cells
and a decimal comma, because Excel and LibreOffice in a Dutch locale split a
double-clicked CSV on ``;`` and read ``1,5`` as one and a half.  Codes (``MA-FMT-001``,
``action_codes``), PUIDs, MIME types and checksums are the same in both.

Streamed: each row is written as its entry arrives, so a scan needs no list of files.

File names and metadata are untrusted input, so every cell is made safe for every
separator a spreadsheet may split this file on (``,`` or ``;``, whatever the file's own
separator), and some import dialogs ignore quotes.  The rule, for each cell:

1. ``common.one_line``: line breaks (CR, LF, U+2028, U+2029, U+0085 …) and TAB become a
   space, other control characters a visible ``\\xNN``: one cell is one line.
2. Every place where a cell can begin (the start of the value, and right after each
   ``,`` or ``;`` in it) whose text, after spaces and double quotes, starts with ``=``,
   ``+``, ``-`` or ``@`` (a formula in Excel and LibreOffice) gets an apostrophe there:
   ``=HYPERLINK(…)`` becomes ``'=HYPERLINK(…)`` and ``foto;=HYPERLINK(…)`` becomes
   ``foto;'=HYPERLINK(…)``, text under any split.
3. Every cell is quoted (``QUOTE_ALL``), so a reader that honours quotes never splits a
   value at a separator inside it.  The header is the fixed column names of the
   language, unquoted.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from mediaaudit.manifestview import EntryView, ManifestView, entries
from mediaaudit.model import Severity
from mediaaudit.writers.common import captions, one_line
from mediaaudit.writers.labels import label

COLUMNS = ("path", "outcome", "nvf_status", "nvf_row", "puid", "format_name", "mime",
           "rights_status", "licence", "holder", "attribution", "alt_text", "captions",
           "ai_generated", "finding_codes", "findings", "size", "sha256",
           "state", "action_codes", "actions")
# The header row by language, in the order of COLUMNS (which names the cells in code).
HEADERS: dict[str, tuple[str, ...]] = {
    "en": COLUMNS,
    "nl": ("pad", "uitslag", "nvf_status", "nvf_rij", "puid", "formaatnaam", "mime",
           "rechtenstatus", "licentie", "rechthebbende", "naamsvermelding", "alt_tekst",
           "ondertiteling", "ai_gegenereerd", "bevindingscodes", "bevindingen", "grootte",
           "sha256", "status", "actiecodes", "acties"),
}
# The separator between cells and the decimal sign, as that language's spreadsheets read
# a CSV they open with a double click.
SEPARATOR = {"en": ",", "nl": ";"}
DECIMAL = {"en": ".", "nl": ","}
_YES_NO = {"en": ("yes", "no"), "nl": ("ja", "nee")}


# Where a spreadsheet may begin a cell (the value's start, after a ',' or ';' in it)
# followed by what makes that cell a formula (see the module's docstring, step 2).
_FORMULA = re.compile(r'(^|[,;])(?=[\s"]*[=+\-@])')


def _safe(v: Any) -> str:
    """One cell's text, safe under every separator (the module's docstring, steps 1-2)."""
    return _FORMULA.sub(lambda m: m.group(1) + "'", one_line(v))


def _lang(lang: str) -> str:
    """The CSV's language: English for one it does not know (a crafted manifest's)."""
    return lang if lang in HEADERS else "en"


def number(v: float, lang: str) -> str:
    """A decimal number with the language's decimal sign ('1,5' in Dutch), no thousands
    separator (a spreadsheet would read '1.234' as a decimal in one language)."""
    return repr(float(v)).replace(".", DECIMAL[_lang(lang)])


def _word(v: Any, lang: str, prefix: str = "") -> Any:
    """A value that is a word of the format (``fail``, ``preferred``) in the CSV's language;
    English keeps the word as it is, which tools already read."""
    if v is None or _lang(lang) == "en":
        return v
    return label(lang, prefix + str(v))


def _severity(sev: Severity | str | None, lang: str) -> str:
    """The severity word in the report's language (the findings cell is for people)."""
    return label(lang, "error_sev" if sev == Severity.ERROR else str(sev))


def row(f: EntryView, lang: str = "en") -> list[str]:
    lang = _lang(lang)
    yes, no = _YES_NO[lang]
    values = {
        "path": f.path, "outcome": _word(f.outcome, lang),
        "nvf_status": _word(f.nvf.status, lang), "nvf_row": f.nvf.row,
        "puid": f.format.puid, "format_name": f.format.name, "mime": f.format.mime,
        "rights_status": _word(f.rights.status, lang), "licence": f.rights.licence,
        "holder": f.rights.holder, "attribution": f.rights.attribution,
        # a text in the default language (x-default) or in none is shown as it is
        "alt_text": " | ".join(
            f"[{a.lang}] {a.text}" if a.lang not in (None, "x-default") else a.text
            for a in f.alt_text),
        "captions": " | ".join(captions(f, lang)),
        "ai_generated": None if f.ai_generated is None else yes if f.ai_generated else no,
        "finding_codes": " ".join(x.code or "" for x in f.findings),
        "findings": " | ".join(f"{x.code} ({_severity(x.severity, lang)}): {x.message}"
                               for x in f.findings),
        "size": f.size, "sha256": f.sha256,
        "state": _word(f.state, lang, "state_"),
        "action_codes": " ".join(a.code for a in f.actions),
        "actions": " | ".join(a.text or "" for a in f.actions),
    }
    return [_safe(number(v, lang) if isinstance(v, float) else v) for v in
            (values[c] for c in COLUMNS)]


def write_csv(m: Mapping[str, Any], out: TextIO, base: str = ".") -> None:
    """Header and one row per entry of ``m["files"]`` (which may be a live iterator: each
    entry's view is made as its row is written)."""
    write_rows(entries(m), out, ManifestView.header(m).lang)


def write_rows(files: Iterable[EntryView], out: TextIO, lang: str = "en") -> None:
    lang = _lang(lang)
    sep = SEPARATOR[lang]
    out.write("\ufeff" + sep.join(HEADERS[lang]) + "\r\n")
    w = csv.writer(out, delimiter=sep, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for f in files:
        w.writerow(row(f, lang))


def render_csv(files: Iterable[Mapping[str, Any]], lang: str = "en") -> str:
    """The whole CSV of these file entries as one string (small manifests, tests)."""
    buf = io.StringIO()
    write_rows((EntryView.of(f) for f in files), buf, lang)
    return buf.getvalue()


def is_own(head: bytes, tail: bytes) -> bool:
    """Is this a CSV this writer wrote: its header row in one of the languages (first
    columns and ``sha256``)?"""
    del tail
    first = head.decode("utf-8", "replace").partition("\n")[0].rstrip("\r")
    for lang, header in HEADERS.items():
        cells = next(csv.reader([first], delimiter=SEPARATOR[lang]), [])
        if cells[:3] == list(header[:3]) and "sha256" in cells:
            return True
    return False
