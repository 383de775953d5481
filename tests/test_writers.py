"""Writers: one interface chosen by a table, streaming where the format allows, files
with the umask's mode (issue 13.8), and manifests of older versions still render."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from mediaaudit.writers import atomic
from mediaaudit.writers.csv_writer import render_csv, write_csv
from mediaaudit.writers.html_writer import write_html
from mediaaudit.writers.json_writer import write_json
from mediaaudit.writers.md_writer import render_md, write_md
from mediaaudit.writers.table import FORMATS, WRITERS, by_name, by_suffix

from conftest import run_cli


@pytest.fixture(scope="module")
def stored(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stored") / "m.json"
    run = run_cli("scan", str(corpus / "photo.png"), str(corpus / "photo.webp"), "-o", str(out),
                  "-q", "-j", "1")
    assert run.exit_code == 1
    return out


# --- the table -------------------------------------------------------------------------

def test_one_table_selects_by_name_and_suffix() -> None:
    assert FORMATS == ("json", "csv", "html", "md", "pdf")
    assert {w.name for w in WRITERS} == set(FORMATS)
    for w in WRITERS:
        assert by_name(w.name) is w
        for s in w.suffixes:
            assert by_suffix("x/report" + s.upper()) is w
    assert by_suffix("report.txt") is None and by_suffix("report") is None
    assert [w.name for w in WRITERS if w.streams] == ["json", "csv"]


# --- streaming -------------------------------------------------------------------------

def _live(n: int) -> tuple[dict[str, Any], dict[str, int]]:
    """A manifest whose files arrive one at a time and whose summary is filled as they
    pass, as in a scan; reading the summary early or the files twice shows up."""
    summary = {"files": 0, "pass": 0, "fail": 0, "error": 0}

    def files() -> Iterator[dict[str, Any]]:
        for i in range(n):
            summary["files"] += 1
            summary["pass"] += 1
            yield {"path": f"f{i}.png", "outcome": "pass", "findings": []}

    head = {"schema_version": "1.0", "lang": "en"}
    return {**head, "files": files(), "skipped": [], "summary": summary}, summary


def test_json_streams_and_reads_the_summary_last() -> None:
    live, _ = _live(3)
    buf = io.StringIO()
    write_json(live, buf)
    m = json.loads(buf.getvalue())
    assert [f["path"] for f in m["files"]] == ["f0.png", "f1.png", "f2.png"]
    assert m["summary"] == {"files": 3, "pass": 3, "fail": 0, "error": 0}
    assert buf.getvalue().count("\n    {") == 3  # one file per line


def test_csv_streams_one_row_per_entry() -> None:
    live, _ = _live(3)
    buf = io.StringIO()
    write_csv(live, buf)
    assert buf.getvalue().count("\r\n") == 4
    assert render_csv([{"path": "a", "findings": []}]) == "".join(
        _written(write_csv, {"files": [{"path": "a", "findings": []}]}))


def _written(fn: Any, m: Mapping[str, Any]) -> list[str]:
    chunks: list[str] = []

    class Recorder(io.StringIO):
        def write(self, s: str) -> int:
            chunks.append(s)
            return len(s)

    fn(m, Recorder())
    return chunks


def test_markdown_is_written_line_by_line(stored: Path) -> None:
    m = json.loads(stored.read_text(encoding="utf-8"))
    chunks = _written(write_md, m)
    assert all(c.endswith("\n") and c.count("\n") == 1 for c in chunks)
    assert "".join(chunks) == render_md(m)


def test_html_makes_each_thumbnail_only_for_its_own_row() -> None:
    files = [{"path": f"f{i}.png", "outcome": "pass"} for i in range(4)]
    m = {"lang": "en", "files": files, "summary": {"files": 4, "pass": 4, "fail": 0, "error": 0}}
    chunks: list[str] = []
    made: list[int] = []

    class Recorder(io.StringIO):
        def write(self, s: str) -> int:
            chunks.append(s)
            return len(s)

    def previews(cards: Sequence[Mapping[str, Any]]) -> Iterator[str]:
        for _ in cards:
            made.append(len(chunks))  # how much was written when this preview was made
            yield "data:image/jpeg;base64,AAAA"

    write_html(m, Recorder(), previews)
    assert made == [1, 2, 3, 4]  # after the head, then after each earlier row
    assert "".join(chunks).count('class="thumb"') == 4


def test_scan_and_report_write_the_same_json_bytes(stored: Path, tmp_path: Path) -> None:
    """One JSON layout: re-rendering a manifest reproduces it exactly."""
    again = tmp_path / "again.json"
    assert run_cli("report", str(stored), "-o", str(again)).exit_code == 0
    assert again.read_bytes() == stored.read_bytes()


def test_several_formats_give_the_same_json_as_one(corpus: Path, tmp_path: Path) -> None:
    src = str(corpus / "photo.png")
    run_cli("scan", src, "-o", str(tmp_path / "one.json"), "-q")
    run_cli("scan", src, "-o", str(tmp_path / "all"), "-q", "--format", "json",
            "--format", "csv", "--format", "md", "--format", "html")

    def body(p: Path) -> list[str]:
        return [ln for ln in p.read_text().splitlines() if '"created"' not in ln]

    assert body(tmp_path / "one.json") == body(tmp_path / "all.json")


# --- older manifests -------------------------------------------------------------------

OLD = {"schema_version": "1.0",
       "files": [{"path": "a.jpg", "outcome": "fail",
                  "findings": [{"code": "MA-FMT-001", "severity": "error", "message": "m"}]},
                 {"path": "b.png"},
                 {"path": "c.mp4", "outcome": "pass", "nvf": {"status": "acceptable"},
                  "rights": {"status": "open", "licence": "CC0-1.0"}}]}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_manifest_with_missing_keys_still_renders(fmt: str, tmp_path: Path) -> None:
    src = tmp_path / "old.json"
    src.write_text(json.dumps(OLD))
    out = tmp_path / f"r.{fmt}"
    run = run_cli("report", str(src), "-o", str(out))
    assert run.exit_code == 0, run.stderr
    if fmt == "pdf":  # the text is checked in test_pdf; here: it rendered
        assert out.read_bytes().startswith(b"%PDF-")
        return
    text = out.read_text(encoding="utf-8-sig")
    assert all(name in text for name in ("a.jpg", "b.png", "c.mp4"))
    if fmt == "json":
        assert json.loads(text)["summary"] == {"files": 3, "pass": 1, "fail": 1, "error": 1}


# --- file modes ------------------------------------------------------------------------

def _report_under_umask(stored: Path, out: Path, mask: int) -> None:
    def setup() -> None:
        os.umask(mask)
    subprocess.run([sys.executable, "-m", "mediaaudit", "report", str(stored), "-o", str(out),
                    *(a for f in FORMATS for a in ("--format", f))], check=True,
                   capture_output=True, preexec_fn=setup, timeout=120)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_every_output_gets_the_umask_mode(stored: Path, tmp_path: Path, mask: int,
                                          mode: int) -> None:
    """Colleagues on the shared drive must be able to open the report (was 0600)."""
    _report_under_umask(stored, tmp_path / "r", mask)
    for fmt in FORMATS:
        got = stat.S_IMODE((tmp_path / f"r.{fmt}").stat().st_mode)
        assert got == mode, (fmt, oct(got))


def test_scan_output_gets_the_umask_mode(corpus: Path, tmp_path: Path) -> None:
    def setup() -> None:
        os.umask(0o027)
    out = tmp_path / "m.json"
    subprocess.run([sys.executable, "-m", "mediaaudit", "scan", str(corpus / "photo.png"),
                    "-o", str(out), "-q", "-j", "1"], check=True, preexec_fn=setup, timeout=300)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_umask_is_read_once_and_left_as_it_was(tmp_path: Path) -> None:
    atomic.process_umask.cache_clear()
    old = os.umask(0o027)
    try:
        assert atomic.file_mode() == 0o640
        assert os.umask(0o027) == 0o027  # put back, not left at the probing value
        os.umask(0o022)
        assert atomic.file_mode() == 0o640  # once per process
        with atomic.atomic_text(str(tmp_path / "x.md")) as fh:
            fh.write("x")
        assert stat.S_IMODE((tmp_path / "x.md").stat().st_mode) == 0o640
    finally:
        os.umask(old)
        atomic.process_umask.cache_clear()
