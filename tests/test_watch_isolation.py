"""Issue 13, item 1: every probe runs in a supervised worker, also in ``watch``; a file
that crashes or hangs its decoder costs that file, logged and rejected once."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

from test_watch import files_in, log_entries, routed, stop, wait_for

CC0 = '[[annotations]]\npath = "**"\nlicence = "CC0-1.0"\nholder = "mediaaudit tests"\n'


def tiny_png(path: Path, i: int) -> Path:
    Image.new("RGB", (8, 8), (i % 256, (i // 256) % 256, 7)).save(path)
    return path


def drop_folder(tmp: Path, n: int) -> Path:
    drop = tmp / "drop"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    for i in range(n):
        tiny_png(drop / f"f{i}.png", i)
    return drop


def watch_once(drop: Path, out: Path, *extra: str, fault: str = "",
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MEDIAAUDIT_TEST_FAULT": fault}
    cmd = [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--once", "--settle", "0",
           "--approved", str(out / "approved"), "--rejected", str(out / "rejected"),
           "--json-log", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


def test_watch_once_survives_a_crash_and_a_hang_and_never_retries_them(tmp_path: Path) -> None:
    drop, out = drop_folder(tmp_path, 4), tmp_path / "out"
    run = watch_once(drop, out, "--timeout", "2", fault="crash:f0.png,hang:f2.png")
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    by = {str(e["path"]): e for e in log_entries(drop)}
    assert set(by) == {"f0.png", "f1.png", "f2.png", "f3.png"}
    assert [f["code"] for f in by["f0.png"]["findings"]] == ["MA-IO-006"]  # type: ignore[index]
    assert [f["code"] for f in by["f2.png"]["findings"]] == ["MA-IO-005"]  # type: ignore[index]
    assert {p.name for p in files_in(out / "rejected")} == {"f0.png", "f2.png"}
    assert {p.name for p in files_in(out / "approved")} == {"f1.png", "f3.png"}
    again = watch_once(drop, out, "--timeout", "2", fault="crash:f0.png,hang:f2.png")
    assert again.returncode == 0 and len(log_entries(drop)) == 4  # recorded: not retried


def test_crash_left_in_the_drop_folder_does_not_block_restarts(tmp_path: Path) -> None:
    """Without routing the crashing file stays where it is: it sorts first, and must be
    recorded so that the next start neither crashes nor audits it again."""
    drop = drop_folder(tmp_path, 2)
    cmd = [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--once", "--settle", "0"]
    env = {**os.environ, "MEDIAAUDIT_TEST_FAULT": "crash:f0.png"}
    for _ in range(2):
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
        assert run.returncode == 0, run.stderr
    assert sorted(str(e["path"]) for e in log_entries(drop)) == ["f0.png", "f1.png"]


def test_daemon_watch_replaces_a_crashed_worker_and_goes_on(tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    cmd = [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--approved",
           str(out / "approved"), "--rejected", str(out / "rejected"), "--settle", "0.5",
           "--json-log"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "MEDIAAUDIT_TEST_FAULT": "crash:boom*.png"})
    try:
        time.sleep(1.0)
        for k in range(3):  # crash, then a good file, twice over: the pool recovers each time
            tiny_png(drop / f"boom{k}.png", k)
            wait_for(lambda k=k: len(routed(out)) == 2 * k + 1, 60)  # type: ignore[misc]
            tiny_png(drop / f"good{k}.png", k)
            wait_for(lambda k=k: len(routed(out)) == 2 * k + 2, 60)  # type: ignore[misc]
        assert proc.poll() is None  # still serving
    finally:
        err = stop(proc)
    assert {p.name for p in files_in(out / "rejected")} == {f"boom{k}.png" for k in range(3)}
    assert {p.name for p in files_in(out / "approved")} == {f"good{k}.png" for k in range(3)}
    assert "Traceback" not in err


def test_stop_during_an_audit_records_no_false_crash(tmp_path: Path) -> None:
    """SIGTERM (systemd sends it to the workers too) while a file is being probed: that
    file is not recorded as crashed; the next start audits it."""
    drop, out = drop_folder(tmp_path, 1), tmp_path / "out"
    cmd = [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--settle", "0",
           "--approved", str(out / "approved"), "--rejected", str(out / "rejected")]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "MEDIAAUDIT_TEST_FAULT": "hang:f0.png"})
    time.sleep(3.0)
    os.killpg(proc.pid, signal.SIGTERM)  # the whole group, as systemd does
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert log_entries(drop) == [] and (drop / "f0.png").exists()


def test_watch_imports_nothing_from_probe_or_evaluate() -> None:
    """watch goes through the scan pipeline (pool, cache) and mediaaudit.sidecars."""
    root = Path(__file__).parents[1] / "src" / "mediaaudit" / "watch"
    bad = []
    for py in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            bad += [f"{py.name}: {n}" for n in names
                    if n.split(".")[:2] in (["mediaaudit", "probe"], ["mediaaudit", "evaluate"])]
    assert bad == []
