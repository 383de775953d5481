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

from test_watch import files_in, log_entries
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
