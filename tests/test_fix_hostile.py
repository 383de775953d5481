"""``mediaaudit fix`` against the conditions of issue 26: an --out that overlaps the
originals, two runs that finish in the same second, and a small WebP that declares a
huge canvas.  Real files in, the real CLI (in-process or as a subprocess), real
assertions out."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import factory
from conftest import run_cli

LICENCE = "SPDX-License-Identifier: CC-BY-4.0\nSPDX-FileCopyrightText: Gemeente Voorbeeld\n"


def _webp(path: Path, w: int = 48, h: int = 32, seed: int = 0) -> Path:
    """A licensed lossy WebP: it fails only on format, so ``fix`` converts it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    factory.picture(w, h, seed=seed).save(path, quality=80)
    Path(str(path) + ".license").write_text(LICENCE)
    return path


def _uploads(d: Path) -> Path:
    """Two files that fail on format."""
    _webp(d / "a.webp")
    _webp(d / "sub" / "b.webp", seed=40)
    return d


def _records(out: Path) -> list[Path]:
    return sorted(out.glob("mediaaudit-fix-*.json"))


# --- 1. --out must not overlap a source ----------------------------------------------

def _overlap_case(tmp: Path, case: str) -> tuple[list[str], Path]:
    """(PATHS, --out) for each way --out can overlap the originals."""
    src = _uploads(tmp / "up")
    if case == "same":
        return [str(src)], src
    if case == "inside":
        return [str(src)], src / "fixed"
    if case == "contains":
        return [str(src)], tmp
    if case == "through_symlink":  # --out's parent is a link into the source
        (tmp / "alias").symlink_to(src)
        return [str(src)], tmp / "alias" / "fixed"
    if case == "file_in_out":
        return [str(src / "a.webp")], src
    if case == "second_path":
        other = _uploads(tmp / "other")
        return [str(other), str(src / "sub")], src / "sub" / "fixed"
    raise AssertionError(case)


@pytest.mark.parametrize("case", ["same", "inside", "contains", "through_symlink",
                                  "file_in_out", "second_path"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_fix_refuses_out_overlapping_a_source(tmp_path: Path, case: str,
                                              dry_run: bool) -> None:
    """Issue 26: ``fix up --out up`` said '0 files …' and exited 0 although two files
    fail on format (the walk skipped everything under --out, i.e. everything).  Now it
    is a usage error: one line, exit 2, nothing written."""
    paths, out = _overlap_case(tmp_path, case)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    extra = ["--dry-run"] if dry_run else []
    for lang, words in (("en", "overlaps the source"), ("nl", "overlapt met de bron")):
        r = run_cli("fix", *paths, "--out", str(out), "--lang", lang, *extra)
        assert r.exit_code == 2, (case, r.exit_code, r.stderr)
        lines = r.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("mediaaudit: error: --out "), r.stderr
        assert words in lines[0], lines[0]
        assert "Traceback" not in r.stderr and r.stdout == ""
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before  # nothing created


def test_fix_beside_the_source_still_converts(tmp_path: Path) -> None:
    """The guard does not catch a sibling whose name starts like the source's
    (``up`` and ``up-fixed``): both files there are converted."""
    src = _uploads(tmp_path / "up")
    out = tmp_path / "up-fixed"
    r = run_cli("fix", str(src), "--out", str(out), "-q")
    assert r.exit_code == 0, r.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.jpg")) == [
        "a.jpg", "sub/b.jpg"]


# --- 2. one fix record per run, never overwritten ------------------------------------

def _start_together(out: Path, sources: list[Path]) -> list[subprocess.Popen[str]]:
    """Start one real ``mediaaudit fix`` per source, all into ``out``, just after a
    wall-clock second begins, so their records are named within the same second."""
    time.sleep(1.0 - time.time() % 1.0 + 0.01)
    return [subprocess.Popen([sys.executable, "-m", "mediaaudit", "fix", str(s), "--out",
                              str(out), "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for s in sources]


def test_two_fix_runs_in_one_second_keep_both_records(tmp_path: Path) -> None:
    """Issue 26: two runs in the same second left one record (the second replaced the
    first).  Each run now creates its own record (time plus a random suffix, O_EXCL),
    and each record lists the derivatives of its own run."""
    a, b = _webp(tmp_path / "a" / "one.webp"), _webp(tmp_path / "b" / "two.webp", seed=9)
    for attempt in range(3):
        out = tmp_path / f"out{attempt}"
        procs = _start_together(out, [a.parent, b.parent])
        for p in procs:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
        records = _records(out)
        assert len(records) == 2, [r.name for r in records]
        docs = [json.loads(r.read_text()) for r in records]
        made = sorted([Path(d["derivative"]["path"]).name for d in doc["derivatives"]]
                      for doc in docs)
        assert made == [["one.jpg"], ["two.jpg"]]
        stamps = {r.name.rsplit("-", 1)[0] for r in records}
        if len(stamps) == 1:  # both named in the same second: the case of the issue
            return
    pytest.fail("the two runs never named their records within the same second")


def test_records_of_one_second_get_their_own_names(tmp_path: Path) -> None:
    """The same start time twice in one process (same pid): two files, each with its
    own content; a name is claimed with O_EXCL, so the second never lands on the first."""
    from mediaaudit.fix.provenance import write_record

    first = write_record(str(tmp_path), "2026-12-06T01:58:22Z", {"run": 1})
    second = write_record(str(tmp_path), "2026-12-06T01:58:22Z", {"run": 2})
    assert first != second
    assert [Path(p).name.startswith("mediaaudit-fix-20261206T015822Z-")
            for p in (first, second)] == [True, True]
    assert [json.loads(Path(p).read_text())["run"] for p in (first, second)] == [1, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        Path(p).name for p in (first, second))  # no temporary file left
