"""Line-based renderings keep their structure whatever the files are called or carry
(issue 26): Markdown and CSV from a real scan of real PNGs with hostile names and alt text.

A CR in alt text or a file name started a new Markdown line ("# APPROVED BY LEGAL" as a
heading in the ticket), and a CSV cell "foto;=HYPERLINK(…)" became a formula cell in a
spreadsheet that splits on ';' (Excel and LibreOffice in a Dutch locale).  The CSV is
read back with Python's csv module on every separator, with and without honouring quotes
(LibreOffice is not installed here, so the exact cells are asserted instead).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path

import pytest

from mediaaudit.writers.common import one_line
from mediaaudit.writers.csv_writer import COLUMNS, render_csv
from mediaaudit.writers.md_writer import render_md

import factory
from conftest import run_cli

HEADING = "# APPROVED BY LEGAL"
# Every way a value can end a line, for some reader.
BREAKS = ["\r", "\n", "\r\n", "\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d",
          "\x1e"]
NAMES = [f"n{i}{b}{HEADING}.png" for i, b in enumerate(BREAKS)] + [
    "esc\x1b[2J\x07.png", "del\x7f.png", "tab\tx.png",
    "=1+2.png", "+cmd.png", "-2+3.png", "@SUM(1).png",
    "x;=HYPERLINK(\"http:evil\",\"klik\").png", "y,=1+2.png", "z; -3.png", 'q;"=1+2.png',
]
ALT = ("Kat op de bank\r# APPROVED BY LEGAL\r- [x] goedgekeurd\u2028## LS\u2029### PS"
       "\u0085#### NEL\x1b[31m;=HYPERLINK(\"http:evil\",\"klik\")")
# Characters no line of the Markdown and no CSV cell may hold (C0 but LF, DEL, C1,
# LINE/PARAGRAPH SEPARATOR).
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
FORMULA = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A real scan (JSON, Markdown, CSV) of real PNGs under hostile names, one of them
    with an alt-text sidecar full of line breaks; every file CC0 so it passes and its
    alt text is in the checklist too."""
    d = tmp_path_factory.mktemp("render") / "upload"
    d.mkdir()
    png = factory.image(d.parent / "base.png", "PNG")
    for name in [*NAMES, "kat.png"]:
        shutil.copyfile(png, d / name)
    (d / "kat.alt.txt").write_bytes(ALT.encode("utf-8"))
    (d / "mediaaudit.toml").write_text(
        '[[annotations]]\npath = "**"\nlicence = "CC0-1.0"\nholder = "mediaaudit tests"\n')
    out = d.parent / "audit"
    run = run_cli("scan", str(d), "-o", str(out), "--format", "json", "--format", "md",
                  "--format", "csv", "-j", "2", "--lang", "en", "--no-cache")
    assert run.exit_code in (0, 1), run.stderr
    return d, out


def _entries(out: Path) -> list[dict]:  # type: ignore[type-arg]
    import json

    return json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["files"]  # type: ignore[no-any-return]


def test_the_scan_read_the_hostile_values(scanned: tuple[Path, Path]) -> None:
    """The fixture is what it claims: every name listed, the alt text read with its breaks."""
    _, out = scanned
    files = _entries(out)
    assert {os.path.basename(f["path"]) for f in files} == {*NAMES, "kat.png"}
    kat = next(f for f in files if f["path"].endswith("kat.png"))
    alts = [a["text"] for a in kat["accessibility"]["alt_text"]]
    assert any("\r# APPROVED BY LEGAL" in a for a in alts), alts


def test_markdown_lines_are_the_reports_own(scanned: tuple[Path, Path]) -> None:
    d, out = scanned
    md = out.with_suffix(".md").read_text(encoding="utf-8")
    assert not FORBIDDEN.search(md)  # no CR, no U+2028/2029/0085, no ESC: LF ends lines
    lines = md.split("\n")
    assert [x for x in lines if x.startswith("#")] == ["## Media audit for publication"]
    rows = [x for x in lines if x.startswith("| ") and not x.startswith("| |")]
    assert len(rows) == len(NAMES) + 1  # one table row per file, none split
    # every line is one of the report's own kinds: nothing a value started
    own = re.compile(r"(## .*|\*\*.*\*\*|\| .*\||\|---.*|- `.*`|  - \[ \] .*|"
                     r"\d+ of \d+ files? .*|Files: .*|Norm: .*|)")
    assert [x for x in lines if not own.fullmatch(x)] == []
    items = [x for x in lines if x.startswith("- `")]
    assert items == [f"- `{d}/kat.png`"]  # the one file with an action: its alt text


def test_markdown_keeps_the_text_readable(scanned: tuple[Path, Path]) -> None:
    d, out = scanned
    md = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "Kat op de bank # APPROVED BY LEGAL - \\[x\\] goedgekeurd ## LS ### PS" in md
    assert "\\\\x1b\\[31m" in md  # ESC shown as a visible escape, Markdown-escaped
    assert f"`{d}/n0 {HEADING}.png`" in md and f"`{d}/esc\\x1b[2J\\x07.png`" in md


def _cells(text: str, delimiter: str, quoting: int) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter, quoting=quoting))


def test_csv_cells_under_every_separator(scanned: tuple[Path, Path]) -> None:
    """Read as written (','), as a Dutch spreadsheet splits it (';'), and by readers that
    ignore quotes: no cell is a formula, no cell holds a line break or control byte."""
    _, out = scanned
    raw = out.with_suffix(".csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert not FORBIDDEN.search(text.replace("\r\n", ""))
    rows = _cells(text, ",", csv.QUOTE_MINIMAL)
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(NAMES) + 2 and all(len(r) == len(COLUMNS) for r in rows)
    for delimiter in (",", ";", "\t"):
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
            for r in _cells(text, delimiter, quoting):
                for cell in r:
                    assert not cell.lstrip(' "').startswith(FORMULA), (delimiter, quoting, cell)


def test_csv_exact_cells(scanned: tuple[Path, Path]) -> None:
    d, out = scanned
    rows = _cells(out.with_suffix(".csv").read_bytes().decode("utf-8-sig"), ",",
                  csv.QUOTE_MINIMAL)
    paths = [r[0] for r in rows[1:]]
    for want in ["=1+2.png", "+cmd.png", "-2+3.png", "@SUM(1).png"]:
        assert f"{d}/{want}" in paths  # not first in the cell: the folder comes first
    assert f"{d}/x;'=HYPERLINK(\"http:evil\",\"klik\").png" in paths
    assert f"{d}/y,'=1+2.png" in paths and f"{d}/z;' -3.png" in paths
    assert f"{d}/q;'\"=1+2.png" in paths
    assert f"{d}/n0 {HEADING}.png" in paths and f"{d}/esc\\x1b[2J\\x07.png" in paths
    assert f"{d}/tab x.png" in paths
    kat = next(r for r in rows if r[0].endswith("kat.png"))
    alt = kat[COLUMNS.index("alt_text")]
    assert alt.startswith("Kat op de bank # APPROVED BY LEGAL - [x] goedgekeurd ## LS")
    assert alt.endswith("\\x1b[31m;'=HYPERLINK(\"http:evil\",\"klik\")")


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", " =1", '"=1', "\t=1",
                                   "\r=1", "a;=1", "a,=1", "a; -1", "a\n=1", "a\u2028@x",
                                   "a;;=1", 'a;"" =1'])
def test_no_cell_can_begin_a_formula(value: str) -> None:
    """A relative path (no folder before it) under every separator and quoting."""
    text = render_csv([{"path": value, "findings": [], "actions": [{"text": value}]}])
    for delimiter in (",", ";"):
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
            for r in _cells(text.lstrip("\ufeff"), delimiter, quoting)[1:]:
                assert not any(c.lstrip(' "').startswith(FORMULA) for c in r), (r, value)


def test_one_line_rule() -> None:
    assert one_line("a\r\nb\rc\nd\u2028e\u2029f\u0085g\x0bh\x0ci\tj") == "a b c d e f g h i j"
    assert one_line("\x1b[31m\x00\x7f\x9b") == "\\x1b[31m\\x00\\x7f\\x9b"
    assert one_line(None) == "" and one_line(7) == "7"
    assert one_line("foto\u202egpj.exe") == "foto\\u202egpj.exe"  # shown in its real order
    assert one_line("\u2066a\u2069\u200f") == "\\u2066a\\u2069\\u200f"
    assert one_line("Één foto — “citaat” 🙂") == "Één foto — “citaat” 🙂"


def test_crafted_manifest_values_stay_in_their_line() -> None:
    """``report`` renders a stored manifest: its header values are as untrusted as names."""
    m = {"lang": "en", "created": f"2026\r{HEADING}",
         "profile": {"id": "x\u2028# id", "name": f"n\r{HEADING}", "version": "1\n# v"},
         "tool": {"version": "0\r# t"},
         "files": [{"path": f"p\r{HEADING}", "outcome": "fail",
                    "nvf": {"status": f"s\r{HEADING}"}, "rights": {"status": "r\r# r",
                                                                   "licence": "l\r# l"},
                    "findings": [{"code": "X", "severity": "error", "message": f"m\r{HEADING}"}]},
                   {"path": "ok", "outcome": "pass",
                    "actions": [{"code": "check", "text": f"a\r{HEADING}"}]}]}
    md = render_md(m)
    assert not FORBIDDEN.search(md)
    assert [x for x in md.split("\n") if x.startswith("#")] == ["## Media audit for publication"]
