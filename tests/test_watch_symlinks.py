"""Issue 13, item 2: a symlink in a drop folder is not followed.  It is reported once as
skipped (with the walker's reason), never routed, never hashed again and again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_watch import files_in, log_entries
from test_watch_isolation import CC0, tiny_png, watch_once

from conftest import run_cli


def _drop_with_links(tmp: Path) -> Path:
    drop = tmp / "drop"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    tiny_png(drop / "real.png", 1)
    tiny_png(tmp / "elsewhere.png", 2)
    os.symlink("real.png", drop / "link.png")
    os.symlink(tmp / "elsewhere.png", drop / "outside.png")
    os.symlink(tmp / "nowhere.png", drop / "dangling.png")
    os.symlink("loop.png", drop / "loop.png")
    return drop


def test_watch_once_skips_symlinks_once_and_ends(tmp_path: Path) -> None:
    drop, out = _drop_with_links(tmp_path), tmp_path / "out"
    try:
        run = watch_once(drop, out, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("watch --once never ended (symlink livelock)")
    assert run.returncode == 0, run.stderr
    skipped = [ln for ln in run.stderr.splitlines() if '"outcome": "skipped"' in ln]
    assert len(skipped) == 4 and all("symlink (not followed)" in ln for ln in skipped)
    assert [e["path"] for e in log_entries(drop)] == ["real.png"]
    assert [p.name for p in files_in(out / "approved")] == ["real.png"]
    assert not (out / "rejected").exists() or not files_in(out / "rejected")
    links = {"link.png", "outside.png", "dangling.png", "loop.png"}
    assert links <= {p.name for p in drop.iterdir()}  # left alone
    assert (tmp_path / "elsewhere.png").exists()
    again = watch_once(drop, out, timeout=60)
    assert again.returncode == 0 and '"outcome": "skipped"' not in again.stderr  # once


def test_daemon_watch_does_not_rehash_a_symlink(tmp_path: Path) -> None:
    """Before: the lstat/stat mismatch read as 'still being written', forever."""
    import time

    from test_watch import start, stop

    drop, out = _drop_with_links(tmp_path), tmp_path / "out"
    proc = start(drop, out, ["--settle", "0.2"])
    try:
        time.sleep(4)
    finally:
        err = stop(proc)
    lines = [ln for ln in err.splitlines() if '"outcome": "skipped"' in ln]
    assert len(lines) == 4
    assert [e["path"] for e in log_entries(drop)] == ["real.png"]


def test_scan_skips_symlinked_files_with_the_same_reason(tmp_path: Path) -> None:
    drop = _drop_with_links(tmp_path)
    run = run_cli("scan", str(drop), "--no-cache", "-j", "1")
    assert run.manifest is not None
    assert [Path(f["path"]).name for f in run.manifest["files"]] == ["real.png"]
    skipped = {Path(s["path"]).name: s["reason"] for s in run.manifest["skipped"]}
    for name in ("link.png", "outside.png", "dangling.png", "loop.png"):
        assert skipped[name] == "symlink (not followed)"


def test_symlink_named_on_the_command_line_is_still_audited(tmp_path: Path) -> None:
    """Only links met inside a folder are skipped: a path the user names is what they
    asked for."""
    drop = _drop_with_links(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "mediaaudit", "scan", str(drop / "link.png"),
                           "--no-cache"], capture_output=True, text=True, timeout=120)
    assert '"fmt/11"' in proc.stdout
