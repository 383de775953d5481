"""Outputs say what they are (issue 22, item 6): ``-o`` without a suffix gets the format's
suffix (it wrote a file called just ``x``), and each line names the kind of output, in the
run's language, from the writer table."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediaaudit.writers.table import WRITERS, Writer

import fixtures_rights as fr
from conftest import run_cli

TEXT_FORMATS = [w for w in WRITERS if not w.binary]


@pytest.mark.parametrize("writer", TEXT_FORMATS, ids=[w.name for w in TEXT_FORMATS])
def test_o_without_a_suffix_gets_the_formats_suffix(tmp_path: Path, writer: Writer) -> None:
    (tmp_path / "in").mkdir()
    fr.jpeg(tmp_path / "in" / "a.jpg")
    name = writer.name
    r = run_cli("scan", str(tmp_path / "in"), "-o", str(tmp_path / "x"), "--format", name,
                "--lang", "en")
    assert r.exit_code in (0, 1), r.stderr
    suffix = writer.suffix
    assert (tmp_path / f"x{suffix}").is_file() and not (tmp_path / "x").exists()
    what = writer.what["en"]
    assert f"{what} written to {tmp_path / ('x' + suffix)}" in r.stderr


def test_lines_name_the_kind_in_dutch_and_an_explicit_suffix_is_kept(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    fr.jpeg(tmp_path / "in" / "a.jpg")
    r = run_cli("scan", str(tmp_path / "in"), "-o", str(tmp_path / "r"), "--format", "html",
                "--format", "csv", "--lang", "nl")
    assert f"HTML-rapport geschreven naar {tmp_path / 'r.html'}" in r.stderr
    assert f"CSV-tabel geschreven naar {tmp_path / 'r.csv'}" in r.stderr
    assert "Manifest" not in r.stderr
    kept = run_cli("scan", str(tmp_path / "in"), "-o", str(tmp_path / "keep.txt.json"),
                   "--format", "json", "-q")
    assert kept.exit_code in (0, 1) and (tmp_path / "keep.txt.json").is_file()
    again = run_cli("report", str(tmp_path / "keep.txt.json"), "-o", str(tmp_path / "y"),
                    "--format", "md", "--lang", "nl")
    assert again.exit_code == 0, again.stderr
    assert (tmp_path / "y.md").is_file()
    assert f"Markdown-samenvatting geschreven naar {tmp_path / 'y.md'}" in again.stderr
