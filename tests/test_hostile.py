"""Hostile input (issue 8): every file gets a verdict; nothing crashes, hangs or changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import factory
from conftest import Run, run_cli
from hostile import build


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build.build(tmp_path_factory.mktemp("hostile"))


def _check(run: Run, d: Path) -> None:
    assert run.manifest is not None, run.stderr
    names = {Path(f["path"]).name: f for f in run.manifest["files"]}
    skipped = {Path(s["path"]).name for s in run.manifest["skipped"]}
    on_disk = {os.fsdecode(n) for n in os.listdir(os.fsencode(d))}
    assert len(names) + len(skipped) == len(on_disk)  # everything accounted for, once
    reasons = {Path(s["path"]).name: s["reason"] for s in run.manifest["skipped"]}
    for name, reason in build.SKIPPED.items():
        assert reasons.get(name) == reason, (name, reasons.get(name))
    for name, code in build.EXPECT.items():
        f = names[name]
        assert f["outcome"] in ("fail", "error"), (name, f["outcome"])
        assert code in [x["code"] for x in f["findings"]], (name, f["findings"])
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hostile_corpus(hostile: Path, jobs: str) -> None:
    before = build.hash_tree(hostile)
    run = run_cli("scan", str(hostile), "-j", jobs, "--no-cache", "--timeout", "30")
    _check(run, hostile)
    assert run.exit_code == 1  # every file failed; none was unauditable
    assert build.hash_tree(hostile) == before  # inputs never modified
    assert not [p for p in hostile.iterdir() if p.name.startswith(".mediaaudit")]


def test_hostile_names_survive_every_writer(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    run = run_cli("scan", str(hostile), "-o", str(out), "--format", "json", "--format", "html",
                  "--format", "csv", "--format", "md", "-j", "1")
    assert run.exit_code == 1
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "bad-\\xff\\xfe-name.png" in html and "new\nline.png" in html


def test_hostile_files_do_not_change_good_verdicts(hostile: Path, tmp_path: Path) -> None:
    root = Path(__file__).parents[1]
    clean = tmp_path / "clean"
    shutil.copytree(root / "sample_media", clean)
    mixed = tmp_path / "mixed"
    shutil.copytree(root / "sample_media", mixed)
    for name in ("bomb.png", "xmp_bomb.jpg", "cut50.jpg", "random.mp4", "exif_loop.jpg"):
        shutil.copy(hostile / name, mixed / name)
    a = run_cli("scan", str(clean), "-j", "2").manifest
    b = run_cli("scan", str(mixed), "-j", "2").manifest
    assert a is not None and b is not None
    strip = lambda m: {Path(f["path"]).name: (f["outcome"], f["nvf"], f["rights"],
                                             [(x["code"], x["message"]) for x in f["findings"]])
                       for f in m["files"]}
    good = strip(a)
    assert {k: v for k, v in strip(b).items() if k in good} == good


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hanging_file_is_killed_and_the_scan_goes_on(tmp_path: Path, jobs: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    d = factory.folder_of_pngs(tmp_path, 30)
    monkeypatch.setenv("MEDIAAUDIT_TEST_FAULT", "hang:f007.png")
    t = time.monotonic()
    run = run_cli("scan", str(d), "-j", jobs, "--no-cache", "--timeout", "2")
    assert time.monotonic() - t < 60
    assert run.exit_code == 2
    hung = run.entry("f007.png")
    assert hung["outcome"] == "error" and [x["code"] for x in hung["findings"]] == ["MA-IO-005"]
    others = [f for f in run.manifest["files"] if not f["path"].endswith("f007.png")]  # type: ignore[index]
    assert len(others) == 29 and all(f["format"]["puid"] == "fmt/11" for f in others)


def test_crashing_worker_costs_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = factory.folder_of_pngs(tmp_path, 30)
    monkeypatch.setenv("MEDIAAUDIT_TEST_FAULT", "crash:f011.png")
    run = run_cli("scan", str(d), "-j", "2", "--no-cache")
    assert run.exit_code == 2
    crashed = run.entry("f011.png")
    assert crashed["outcome"] == "error"
    assert "worker crashed (signal 11)" in crashed["findings"][0]["message"]
    assert sum(f["outcome"] == "error" for f in run.manifest["files"]) == 1  # type: ignore[index]


def test_file_growing_during_scan(tmp_path: Path) -> None:
    import factory

    d = tmp_path / "g"
    d.mkdir()
    grow = factory.image(d / "growing.png", "PNG", 400, 300)
    stop = threading.Event()

    def append() -> None:
        with open(grow, "ab") as fh:
            while not stop.is_set():
                fh.write(b"\0" * 65536)
                fh.flush()
                time.sleep(0.0005)

    th = threading.Thread(target=append)
    th.start()
    try:
        time.sleep(0.05)
        run = run_cli("scan", str(d), "-j", "1", "--no-cache")
    finally:
        stop.set()
        th.join()
    e = run.entry("growing.png")
    assert e["outcome"] == "error"
    assert "MA-IO-003" in [x["code"] for x in e["findings"]]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX only")
def test_unlistable_folder_and_unreadable_file(tmp_path: Path) -> None:
    """Permission errors are real only for a non-root user: as root, run the scan as nobody."""
    import factory

    base = Path(os.environ.get("TMPDIR", "/tmp")) / f"mediaaudit-perm-{os.getpid()}"
    base.mkdir(mode=0o755)
    try:
        (base / "closed").mkdir()
        factory.image(base / "closed" / "x.png", "PNG")
        factory.image(base / "secret.png", "PNG")
        factory.image(base / "ok.png", "PNG")
        os.chmod(base / "closed", 0o000)
        os.chmod(base / "secret.png", 0o000)
        out = base / "out.json"
        os.chmod(base, 0o777)
        cmd = [sys.executable, "-m", "mediaaudit", "scan", str(base), "-j", "1", "--no-cache",
               "-o", str(out), "-q"]
        preexec = None
        if os.getuid() == 0:
            def preexec() -> None:  # type: ignore[misc]
                os.setgid(65534)
                os.setuid(65534)
        env = {**os.environ, "MEDIAAUDIT_CACHE_DIR": str(base / ".cache"), "HOME": str(base)}
        try:
            proc = subprocess.run(cmd, preexec_fn=preexec, env=env, capture_output=True,
                                  text=True, timeout=120)
        except PermissionError as exc:
            pytest.skip(f"the unprivileged user cannot run this Python ({exc})")
        if proc.returncode not in (1, 2) or not out.exists():
            pytest.skip(f"cannot run as an unprivileged user here: {proc.stderr[-300:]}")
        import json

        m = json.loads(out.read_text())
        by = {Path(f["path"]).name: f for f in m["files"]}
        assert proc.returncode == 2
        assert by["closed"]["outcome"] == "error"
        assert "cannot list folder" in by["closed"]["findings"][0]["message"]
        assert by["secret.png"]["outcome"] == "error"
        assert by["secret.png"]["findings"][0]["code"] == "MA-IO-002"
        assert by["ok.png"]["format"]["puid"] == "fmt/11"
    finally:
        os.chmod(base / "closed", 0o755)
        shutil.rmtree(base, ignore_errors=True)


def _scan_subprocess(d: Path, *args: str, fault: str) -> tuple[int, dict[str, Any], str]:
    """A scan in its own process: before issue 13 a crash here took the process down."""
    import json

    env = {**os.environ, "MEDIAAUDIT_TEST_FAULT": fault}
    proc = subprocess.run([sys.executable, "-m", "mediaaudit", "scan", str(d), "--no-cache",
                           *args], capture_output=True, text=True, timeout=120, env=env)
    manifest = json.loads(proc.stdout) if proc.stdout.startswith("{") else {}
    return proc.returncode, manifest, proc.stderr


def test_two_file_scan_with_a_crash_still_writes_its_manifest(tmp_path: Path) -> None:
    d = factory.folder_of_pngs(tmp_path, 2)
    code, m, err = _scan_subprocess(d, fault="crash:f000.png")
    assert code == 2 and "Traceback" not in err, err
    assert [Path(f["path"]).name for f in m["files"]] == ["f000.png", "f001.png"]
    assert [x["code"] for x in m["files"][0]["findings"]] == ["MA-IO-006"]
    assert m["files"][1]["format"]["puid"] == "fmt/11"


@pytest.mark.parametrize("fault", ["crash:f003.png", "hang:f003.png"])
def test_jobs_1_is_supervised_too(tmp_path: Path, fault: str) -> None:
    d = factory.folder_of_pngs(tmp_path, 8)
    code, m, err = _scan_subprocess(d, "-j", "1", "--timeout", "2", fault=fault)
    assert code == 2, err
    names = [Path(f["path"]).name for f in m["files"]]
    assert names == sorted(names) and len(names) == 8  # order kept, every file once
    bad = [f for f in m["files"] if f["outcome"] == "error"]
    assert [Path(f["path"]).name for f in bad] == ["f003.png"]
    assert bad[0]["findings"][0]["code"] == ("MA-IO-006" if "crash" in fault else "MA-IO-005")


def test_manifest_order_does_not_depend_on_crashes_or_jobs(tmp_path: Path) -> None:
    d = factory.folder_of_pngs(tmp_path, 40)
    fault = "crash:f00[13].png,slow:f01*.png,crash:f025.png"
    runs = [_scan_subprocess(d, "-j", j, fault=fault)[1] for j in ("1", "2")]
    strip = [[(f["path"], f["outcome"]) for f in m["files"]] for m in runs]
    assert strip[0] == strip[1] and len(strip[0]) == 40
    assert [p for p, o in strip[0] if o == "error"] == [str(d / n) for n in
                                                       ("f001.png", "f003.png", "f025.png")]


def test_probes_never_run_in_the_scanning_process(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process (as the tests call the CLI): a crash fault would kill pytest itself."""
    d = factory.folder_of_pngs(tmp_path, 1)
    monkeypatch.setenv("MEDIAAUDIT_TEST_FAULT", "crash:f000.png")
    run = run_cli("scan", str(d), "-j", "1", "--no-cache")
    assert run.exit_code == 2
    assert run.entry("f000.png")["findings"][0]["code"] == "MA-IO-006"


def test_an_exception_outside_the_probe_guards_costs_one_file(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    """A bug that escapes every per-step guard is that file's 'could not audit', not a
    worker crash that re-queues its batch."""
    for name in ("a.png", "b.png", "c.png"):
        shutil.copyfile(Path(__file__).parent.parent / "sample_media" / "stadhuis.png",
                        tmp_path / name)
    monkeypatch.setenv("MEDIAAUDIT_TEST_FAULT", "raise:b.png")
    run = run_cli("scan", str(tmp_path), "-j", "1", "--no-cache")
    assert run.manifest is not None
    by = {Path(f["path"]).name: f for f in run.manifest["files"]}
    assert by["b.png"]["outcome"] == "error"
    reasons = [x["params"].get("reason") for x in by["b.png"]["findings"]]
    assert "probe: RuntimeError" in reasons, by["b.png"]["findings"]
    assert by["a.png"]["outcome"] != "error" and by["c.png"]["outcome"] != "error"
