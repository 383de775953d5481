"""Issue 13 'done when': a ``watch --once`` run over many small files with ten crashing,
ten hanging and ten symlinked files among them ends, with every good file routed once and
every bad one logged once.  200 files in the normal suite; MEDIAAUDIT_SOAK=1 runs 1,000."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from test_watch import files_in, log_entries, wait_for
from test_watch_isolation import CC0, watch_once

SOAK = pytest.mark.skipif(os.environ.get("MEDIAAUDIT_SOAK") != "1",
                          reason="set MEDIAAUDIT_SOAK=1")
SIZES = [pytest.param(200, id="200"), pytest.param(1000, id="1000", marks=SOAK)]


def _tiny(path: Path, i: int) -> None:
    img = Image.new("RGB", (8, 8), (i % 256, (i // 256) % 256, 99))
    img.save(path, "PNG" if path.suffix == ".png" else "JPEG", quality=80)


@pytest.mark.parametrize("n", SIZES)
def test_soak_crashes_hangs_and_symlinks(tmp_path: Path, n: int) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    good = [f"g{i:04d}.{'png' if i % 2 else 'jpg'}" for i in range(n)]
    for i, name in enumerate(good):
        _tiny(drop / name, i)
    crash = [f"crash{i}.png" for i in range(10)]
    hang = [f"hang{i}.jpg" for i in range(10)]
    for i, name in enumerate(crash + hang):
        _tiny(drop / name, 5000 + i)
    links = [f"link{i}.png" for i in range(10)]
    for i, name in enumerate(links):
        os.symlink(good[i * 7], drop / name)
    t = time.monotonic()
    run = watch_once(drop, out, "--timeout", "2", "--jobs", "2",
                     fault="crash:crash*.png,hang:hang*.jpg", timeout=600)
    took = time.monotonic() - t
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-2000:]
    entries = log_entries(drop)
    counts = Counter(str(e["path"]) for e in entries)
    assert set(counts) == set(good + crash + hang) and set(counts.values()) == {1}
    by = {str(e["path"]): e for e in entries}
    assert all(by[g]["outcome"] == "pass" for g in good)
    assert {by[c]["findings"][0]["code"] for c in crash} == {"MA-IO-006"}  # type: ignore[index]
    assert {by[h]["findings"][0]["code"] for h in hang} == {"MA-IO-005"}  # type: ignore[index]
    assert sorted(p.name for p in files_in(out / "approved")) == sorted(good)
    assert sorted(p.name for p in files_in(out / "rejected")) == sorted(crash + hang)
    lines = [json.loads(ln) for ln in run.stderr.splitlines() if ln.startswith("{")]
    skipped = Counter(str(ln["path"]) for ln in lines if ln["outcome"] == "skipped")
    assert skipped == Counter(links)  # each symlink reported once
    assert sorted(p.name for p in drop.iterdir()) == sorted([".mediaaudit", "mediaaudit.toml",
                                                             *links])
    print(f"\nsoak {n}: {took:.1f} s")


@pytest.mark.parametrize("n", SIZES)
def test_soak_hostile_names_special_files_renames_and_a_full_disk(tmp_path: Path,
                                                                  n: int) -> None:
    """Issue 26 'done when': a daemon watcher on a destination (a real tmpfs) that is full
    when the files arrive and empties later, with long names, names that are not UTF-8
    with their sidecars, a FIFO, and files renamed during their audit among many good
    ones.  Every regular file is routed exactly once with its bytes, nothing is lost, the
    watcher is alive at the end and a restart adds nothing."""
    from test_watch_hostile import fill, logged, names_in, start_logged, stop_logged, tmpfs

    drop, out, log = tmp_path / "drop", tmp_path / "out", tmp_path / "watch.log"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    raw = os.fsencode(drop)
    with tmpfs(out, "64m"):
        proc = start_logged(drop, out, ["--settle", "0.5", "--timeout", "5", "--jobs", "2"],
                            log, {"MEDIAAUDIT_TEST_FAULT": "late:late*.png"})
        try:
            wait_for(lambda: any(ln["outcome"] == "start" for ln in logged(log)))
            fill(out / "filler")
            good = [f"g{i:04d}.{'png' if i % 2 else 'jpg'}" for i in range(n)]
            for i, name in enumerate(good):
                _tiny(drop / name, i)
            long_names = ["L" * 250 + ".png", "M" * 230 + ".jpg"]
            for i, name in enumerate(long_names):
                _tiny(drop / name, 7000 + i)
            bad = [b"bad-\xff.png", b"caf\xe9.jpg"]
            for i, name in enumerate(bad):
                _tiny(Path(os.fsdecode(raw + b"/" + name)), 8000 + i)
                with open(raw + b"/" + name + b".license", "w") as fh:
                    fh.write("SPDX-License-Identifier: CC0-1.0\n")
            os.mkfifo(drop / "pipe.png")
            wait_for(lambda: any(ln["outcome"] == "paused" for ln in logged(log)))
            assert proc.poll() is None
            (out / "filler").unlink()
            regular = len(good) + len(long_names) + len(bad)
            wait_for(lambda: len(_routed(out)) == regular, 300)
            # renamed while the probe holds it (the 'late' seam sleeps 3 s after reading)
            for i in range(2):
                _tiny(drop / f"late{i}.png", 9000 + i)
            time.sleep(2.0)
            for i in range(2):
                os.rename(drop / f"late{i}.png", drop / f"renamed{i}.png")
            wait_for(lambda: len(_routed(out)) == regular + 2, 120)
            time.sleep(1.0)
        finally:
            stop_logged(proc, log)
        assert [ln["outcome"] for ln in logged(log)].count("paused") == 1
        again = watch_once(drop, out, timeout=300)
        assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr[-2000:]
        entries = log_entries(drop)
        counts = Counter(str(e["path"]) for e in entries)
        shown = {os.fsdecode(b).encode("utf-8", "surrogateescape").decode("utf-8",
                                                                           "backslashreplace")
                 for b in bad}
        expected = {*good, *long_names, *shown, "pipe.png", "renamed0.png", "renamed1.png"}
        assert set(counts) == expected and set(counts.values()) == {1}
        assert sorted(names_in(out / "approved")) == sorted(
            [os.fsencode(g) for g in (*good, *long_names, "renamed0.png", "renamed1.png")]
            + bad + [b + b".license" for b in bad])
        assert os.path.lexists(drop / "pipe.png")  # a finding, left in place
        assert not [p for p in out.rglob(".mediaaudit-*")]


def _routed(out: Path) -> list[bytes]:
    approved = os.fsencode(out / "approved")
    if not os.path.isdir(approved):
        return []
    return [n for n in os.listdir(approved)
            if not n.endswith((b".mediaaudit.html", b".license"))]
