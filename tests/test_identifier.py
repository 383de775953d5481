"""One identifier process for a scan: same answers as siegfried file by file, one Go
runtime, and a hang or crash in it costs no file its identification."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mediaaudit.probe.identify import pronom, pronom_many

import factory
from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
REAL = [str(p) for d in ("tests/realworld", "sample_media") for p in sorted((ROOT / d).rglob("*"))
        if p.is_file() and not p.name.endswith(".toml")]


def test_batches_give_what_siegfried_gives_file_by_file() -> None:
    """Every real file of the corpus (cameras, fuzzed files, C2PA fixtures, format
    corpora): the batch answer is the single-file answer, field by field."""
    assert len(REAL) > 300
    many = []
    for i in range(0, len(REAL), 32):
        many += pronom_many(REAL[i:i + 32], 2)
    single = [pronom(p) for p in REAL]
    diff = [(p, a, b) for p, a, b in zip(REAL, many, single, strict=True) if a != b]
    assert diff == []
    assert sum(1 for m in many if m.get("id") not in (None, "", "UNKNOWN")) > 300


def test_names_that_are_not_utf8_and_missing_files(tmp_path: Path) -> None:
    src = ROOT / "sample_media" / "stadhuis.png"
    odd = os.path.join(os.fsencode(tmp_path), b"caf\xe9.png").decode("utf-8", "surrogateescape")
    with open(odd, "wb") as fh:
        fh.write(src.read_bytes())
    gone = str(tmp_path / "gone.jpg")
    got = pronom_many([str(src), odd, gone], 2)
    assert got[0]["id"] == got[1]["id"] == "fmt/13"
    assert got[2] == pronom(gone)


@pytest.mark.parametrize("fault", ["idhang", "idcrash"])
def test_identifier_hang_or_crash_costs_no_identification(
        tmp_path: Path, fault: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The identifier is killed (time limit) or dies on a batch; that batch's files are
    identified by the probe workers instead, so every file still gets its PUID."""
    d = factory.folder_of_pngs(tmp_path, 40)
    monkeypatch.setenv("MEDIAAUDIT_TEST_FAULT", f"{fault}:f007.png")
    t = time.monotonic()
    run = run_cli("scan", str(d), "-j", "2", "--no-cache", "--timeout", "2")
    assert time.monotonic() - t < 60
    assert run.manifest is not None
    assert [f["format"]["puid"] for f in run.manifest["files"]] == ["fmt/11"] * 40
    assert all(f["outcome"] != "error" for f in run.manifest["files"])


def _loaded(pid: int, lib: str) -> bool:
    try:
        with open(f"/proc/{pid}/maps") as fh:
            return lib in fh.read()
    except OSError:
        return False


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_one_go_runtime_per_scan(tmp_path: Path) -> None:
    """siegfried (and Go's runtime with it) is loaded in one process of a 2-worker scan,
    the identifier, not in every worker, and never in the scan's own process (not even to
    learn the engine versions for a new cache): that keeps the scan under 300 MB."""
    d = factory.folder_of_pngs(tmp_path, 60)
    env = {**os.environ, "MEDIAAUDIT_TEST_FAULT": "slow:f*.png"}  # 0.2 s per probe
    proc = subprocess.Popen([sys.executable, "-m", "mediaaudit", "scan", str(d), "-j", "2",
                             "--cache", str(tmp_path / "new" / "c.sqlite"), "-q",
                             "-o", str(tmp_path / "m.json")], env=env)
    most = 0
    seen_workers = 0
    in_main = False
    stop = threading.Event()

    def sample() -> None:
        nonlocal most, seen_workers, in_main
        while not stop.is_set():
            kids = _tree(proc.pid)[1:]
            seen_workers = max(seen_workers, len(kids))
            most = max(most, sum(_loaded(k, "pygfried") for k in kids))
            in_main = in_main or _loaded(proc.pid, "pygfried")
            time.sleep(0.05)

    th = threading.Thread(target=sample)
    th.start()
    try:
        assert proc.wait(timeout=120) in (0, 1)
    finally:
        stop.set()
        th.join()
    assert seen_workers >= 3  # two probe workers and the identifier
    assert most == 1
    assert not in_main
    assert (tmp_path / "new" / "engines.json").is_file()


def test_identifier_is_replaced_while_busy_and_answers_stay(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The identifier is replaced every IDENTIFIER_RECYCLE batches even while it is kept
    busy (a worker with work queued is let run dry first), and no answer is lost."""
    from mediaaudit import scan
    from mediaaudit.walk import walk

    monkeypatch.setattr(scan, "BATCH_FILES", 4)
    monkeypatch.setattr(scan, "IDENTIFIER_RECYCLE", 2)
    refs, _ = walk([str(factory.folder_of_pngs(tmp_path, 40))])
    with scan.Probers(2, 30.0, chunk=2) as probers:
        facts = list(probers.run(refs))
        assert probers.ident is not None and probers.ident.started >= 5
    assert [f.ident.puid for f in facts] == ["fmt/11"] * 40


def test_go_settings_reach_siegfried_in_the_identifier(tmp_path: Path) -> None:
    """An operator's GODEBUG/GOGC must reach Go's runtime in the identifier: the worker
    start used to clear and refill the environment, which left Go with none."""
    d = factory.folder_of_pngs(tmp_path, 30)
    env = {**os.environ, "GODEBUG": "gctrace=1"}
    res = subprocess.run([sys.executable, "-m", "mediaaudit", "scan", str(d), "-j", "2",
                          "--no-cache", "-q", "-o", str(tmp_path / "m.json")],
                         env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode in (0, 1)
    assert "gc 1 @" in res.stderr
