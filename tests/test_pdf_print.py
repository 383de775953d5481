"""The PDF as paper: a layout whose work grows with the cards (not cards × pages), notes
written out in full, commands that print whole so they can be copied, and a progress
line on a terminal while it is made.

The PDFs are made by the commands a user runs (``scan``, ``report``) from copies of the
sample files, and read back with poppler's ``pdftotext`` (Debian poppler-utils).  No
test here is timed (the figures are in the README); the layout's growth is counted
instead, as calls of WeasyPrint's block layout under ``cProfile``.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mediaaudit.writers.html_writer import write_html
from mediaaudit.writers.table import by_name

from conftest import run_cli

SAMPLES = Path(__file__).resolve().parent.parent / "sample_media"

pytestmark = [
    pytest.mark.skipif(by_name("pdf").missing() is not None,
                       reason="WeasyPrint is not installed ([pdf] extra)"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed"),
]


def _text(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout


def _flat(text: str) -> str:
    """Text without spaces, line ends and hyphens: a sentence wrapped over lines (and a
    name wrapped at its hyphen, which pdftotext drops) is found whole."""
    return re.sub(r"[\s\-‐]+", "", text)


@pytest.fixture(scope="module")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The samples twice (30 cards, several pages), scanned to a JSON manifest."""
    root = tmp_path_factory.mktemp("print")
    upload = root / "upload"
    shutil.copytree(SAMPLES, upload)
    shutil.copytree(SAMPLES, upload / "tweede levering",
                    ignore=shutil.ignore_patterns("mediaaudit.toml"))
    m = root / "m.json"
    run = run_cli("scan", str(upload), "-o", str(m), "-q", "--lang", "en")
    assert run.exit_code == 1, run.stderr  # some samples fail on purpose
    return m, json.loads(m.read_text(encoding="utf-8"))


def _report(m: Path, out: Path, *extra: str) -> Path:
    run = run_cli("report", str(m), "-o", str(out), "--base", str(m.parent), *extra)
    assert run.exit_code == 0, run.stderr
    return out


def test_every_note_is_printed_in_full(delivery: tuple[Path, dict[str, Any]],
                                       tmp_path: Path) -> None:
    """On screen the notes fold into one line ("2 notes"); print cannot open that, so the
    PDF writes them out: each note's text is there as often as cards carry it."""
    m, manifest = delivery
    flat = _flat(_text(_report(m, tmp_path / "r.pdf")))
    wanted: dict[str, int] = {}
    for f in manifest["files"]:
        for x in f["findings"]:
            if x["severity"] == "info":
                wanted[x["message"]] = wanted.get(x["message"], 0) + 1
    assert len(wanted) >= 3 and sum(wanted.values()) >= 30, wanted
    short = {msg: (n, flat.count(_flat(msg))) for msg, n in wanted.items()
             if flat.count(_flat(msg)) < n}
    assert not short, short  # message: (cards with it, times printed)


@pytest.mark.parametrize(("lang", "command"), [
    ("en", "'mediaaudit fix FILE --out DIR --strip-location'"),
    ("nl", "'mediaaudit fix BESTAND --out MAP --strip-location'"),
])
def test_commands_print_whole_on_one_line(delivery: tuple[Path, dict[str, Any]],
                                          tmp_path: Path, lang: str, command: str) -> None:
    """A command that fits on a line is never broken, and no option is ever split at its
    hyphen (``--strip-`` / ``location`` cannot be copied)."""
    m, _ = delivery
    text = _text(_report(m, tmp_path / "r.pdf", "--lang", lang), "-layout")
    lines = text.splitlines()
    assert sum(command in line for line in lines) >= 2, [  # markt-gps.jpg, twice
        ln for ln in lines if "strip" in ln or "mediaaudit fix" in ln]
    assert "--strip-location" in text
    assert all("--strip-location" in ln for ln in lines if "--strip" in ln)
    assert all(not re.search(r"(^|\s)--?[A-Za-z]+-$", ln.rstrip()) for ln in lines)
    signoff = f"'mediaaudit report MANIFEST --format json --lang {lang}'"
    assert any(signoff in ln for ln in lines), [ln for ln in lines if "MANIFEST" in ln]


def _block_layouts(html: str) -> int:
    """How many times WeasyPrint lays out a block to render ``html`` (counted by the
    profiler: nothing of WeasyPrint is replaced)."""
    from mediaaudit.writers.pdf_writer import render_pdf

    prof = cProfile.Profile()
    prof.enable()
    try:
        render_pdf(html)
    finally:
        prof.disable()
    stats: Any = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    return sum(calls for (path, _line, name), (_p, calls, *_rest) in stats.items()
               if name == "block_container_layout" and path.endswith("block.py"))


def test_layout_work_grows_with_the_cards_not_cards_times_pages(
        delivery: tuple[Path, dict[str, Any]]) -> None:
    """Twice the cards (twice the pages) is about twice the layout work.  The card grid
    of 0.2 was laid out again for every page: four times the work, 93 s for 200 files."""
    _, manifest = delivery
    files = manifest["files"]

    def page(n: int) -> str:
        cards = [{**files[i % len(files)], "path": f"upload/{i:03d}.jpg"} for i in range(n)]
        out = io.StringIO()
        write_html({**manifest, "files": cards}, out, printed=True)
        return out.getvalue()

    small, large = _block_layouts(page(24)), _block_layouts(page(48))
    assert large < 2.5 * small, (small, large)


# --- progress on a terminal -----------------------------------------------------------------

def _on_a_terminal(*args: str) -> tuple[int, str]:
    """Run mediaaudit with stderr on a pseudo-terminal; (exit status, what it showed)."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "mediaaudit", *args],
                                stdout=subprocess.DEVNULL, stderr=slave,
                                env={**os.environ, "LANG": "C.UTF-8"})
        os.close(slave)
        chunks = []
        while True:
            ready, _, _ = select.select([master], [], [], 120)
            if not ready:
                proc.kill()
                raise AssertionError("no end in 120 s")
            try:
                data = os.read(master, 65536)
            except OSError:  # the pty closed: the process is done
                break
            if not data:
                break
            chunks.append(data)
        return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(master)


def test_progress_on_a_terminal_and_not_elsewhere(delivery: tuple[Path, dict[str, Any]],
                                                  tmp_path: Path) -> None:
    m, _ = delivery
    status, shown = _on_a_terminal("report", str(m), "-o", str(tmp_path / "nl.pdf"),
                                   "--base", str(m.parent), "--lang", "nl")
    assert status == 0, shown
    for step in ("PDF-rapport: bestand 30 van 30", "PDF-rapport: pagina 1",
                 "PDF-rapport: bestand schrijven"):
        assert step in shown, shown
    # the progress line is cleared, then the result is said (the pty ends lines in CRLF)
    last = shown.replace("\r\n", "\n").rsplit("\r", 1)[-1]
    assert last.startswith("\x1b[K") and "PDF-rapport geschreven naar" in last, repr(last)

    piped = subprocess.run([sys.executable, "-m", "mediaaudit", "report", str(m), "-o",
                            str(tmp_path / "en.pdf"), "--base", str(m.parent)],
                           capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0
    assert piped.stderr.splitlines() == [f"PDF report written to {tmp_path / 'en.pdf'}"]

    quiet_status, quiet = _on_a_terminal("scan", str(SAMPLES / "stadhuis.png"), "-q",
                                         "-o", str(tmp_path / "q.pdf"))
    assert quiet_status == 0 and quiet == "", repr(quiet)
