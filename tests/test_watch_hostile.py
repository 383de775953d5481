"""Issue 26: nothing a file holds stops ``watch``.  Each test puts the real condition in a
real drop folder (names at the file system's limit, names that are not UTF-8 with their
sidecars, a FIFO, a device and a socket, names with line breaks, a full destination on a
real tmpfs, partial copies a killed watcher left) and checks that every regular file is
routed exactly once, nothing is lost, and the watcher is alive at the end and after a
restart."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from mediaaudit.fsnames import NAME_MAX, fit, from_name_bytes
from test_watch import files_in, log_entries, wait_for
from test_watch_isolation import CC0, tiny_png, watch_once


def names_in(d: Path) -> list[bytes]:
    """Every name in ``d`` as bytes (names that are not UTF-8 included), reports left out."""
    return sorted(n for n in os.listdir(os.fsencode(d))
                  if not n.lower().endswith(b".mediaaudit.html"))


def longest_name(d: Path) -> int:
    return max(len(n) for _dir, dirs, files in os.walk(os.fsencode(d)) for n in dirs + files)


def noise_png(path: Path, side: int) -> Path:
    """An incompressible PNG of about 3 × side² bytes."""
    Image.frombytes("RGB", (side, side), os.urandom(3 * side * side)).save(path)
    return path


def start_logged(drop: Path, out: Path, extra: list[str], log: Path,
                 env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A daemon watcher whose JSON log goes to ``log``, to be read while it runs."""
    cmd = [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--approved",
           str(out / "approved"), "--rejected", str(out / "rejected"), "--json-log", *extra]
    with open(log, "wb") as fh:
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=fh,
                                env={**os.environ, **(env or {})})


def logged(log: Path) -> list[dict[str, object]]:
    return [json.loads(ln) for ln in log.read_text(encoding="utf-8").splitlines()
            if ln.startswith("{")]


def stop_logged(proc: subprocess.Popen[bytes], log: Path) -> str:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    text = log.read_text(encoding="utf-8")
    assert proc.returncode == 0 and "Traceback" not in text, text[-3000:]
    return text


# --- names -------------------------------------------------------------------------


def test_fit_keeps_short_names_and_shortens_long_ones_with_a_hash() -> None:
    assert fit("foto.jpg") == "foto.jpg"
    long_a, long_b = "a" * 250 + "1.jpg", "a" * 250 + "2.jpg"
    for name in (long_a, long_b, "é" * 200 + ".jpg", "x" * 300):
        got = fit(name, ".mediaaudit.html")
        assert len(os.fsencode(got)) <= NAME_MAX and got.endswith(".mediaaudit.html")
    assert fit(long_a).endswith(".jpg") and fit(long_a) != fit(long_b)  # no collision
    assert fit(long_a) == fit(long_a)  # the same name, the same result
    bad = os.fsdecode(b"\xff" * 254 + b".png")  # not UTF-8, at the limit
    assert len(os.fsencode(fit(bad, ".license"))) <= NAME_MAX


def test_long_names_are_routed_and_their_results_written(tmp_path: Path) -> None:
    """A 245-byte name, a 251-byte name whose twin is already in the destination (so it
    must be numbered), and a relative path of 250 characters: each routed once, each
    with its manifest, and a restart does nothing again."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    long1, long2 = "a" * 241 + ".png", "b" * 247 + ".png"
    deep = drop / ("d" * 120) / ("e" * 120)
    deep.mkdir(parents=True)
    tiny_png(drop / long1, 1)
    tiny_png(drop / long2, 2)
    tiny_png(deep / "x.png", 3)
    (out / "approved").mkdir(parents=True)
    (out / "approved" / long2).write_bytes(b"already here")
    for _ in range(2):  # the second run is the restart: nothing new, no error
        run = watch_once(drop, out)
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-3000:]
        assert '"outcome": "error"' not in run.stderr
    entries = log_entries(drop)
    assert sorted(str(e["path"]) for e in entries) == sorted(
        [long1, long2, f"{'d' * 120}/{'e' * 120}/x.png"])
    approved = out / "approved"
    assert (approved / long1).is_file() and (approved / long2).read_bytes() == b"already here"
    assert (approved / fit(f"{'b' * 247} (1).png")).is_file()  # numbered, shortened
    assert (approved / ("d" * 120) / ("e" * 120) / "x.png").is_file()
    manifests = [p for p in (drop / ".mediaaudit" / "manifests").glob("*.json")]
    assert len(manifests) == 3 and longest_name(drop / ".mediaaudit") <= NAME_MAX
    assert longest_name(out) <= NAME_MAX
    left = [p for p in drop.rglob("*") if p.is_file() and ".mediaaudit" not in p.parts]
    assert left == [drop / "mediaaudit.toml"]  # every file routed


def test_name_that_is_not_utf8_with_its_sidecar_round_trips(tmp_path: Path) -> None:
    """``bad\\xff.png`` with ``bad\\xff.png.license``: routed with its sidecar, shown with
    an escape, exact in JSON (``path_bytes``), and a restart does not crash on it."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    raw = os.fsencode(drop) + b"/bad\xff.png"
    tiny_png(Path(os.fsdecode(raw)), 5)
    with open(raw + b".license", "w", encoding="utf-8") as fh:
        fh.write("SPDX-License-Identifier: CC0-1.0\nSPDX-FileCopyrightText: 2026 Test\n")
    for _ in range(2):
        run = watch_once(drop, out)
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-3000:]
    assert names_in(out / "approved") == [b"bad\xff.png", b"bad\xff.png.license"]
    [entry] = log_entries(drop)
    assert entry["path"] == "bad\\xff.png" and entry["outcome"] == "pass"
    assert base64.b64decode(str(entry["path_bytes"])) == b"bad\xff.png"
    assert os.fsencode(from_name_bytes(str(entry["path_bytes"]))) == b"bad\xff.png"
    evidence = entry["rights"]["evidence"]  # type: ignore[index]
    assert evidence[0]["source"].startswith("sidecar:bad\\xff.png.license")
    # and scan writes a manifest for it too (it wrote none before)
    scan_dir = tmp_path / "scan"
    scan_dir.mkdir()
    os.rename(os.fsencode(out / "approved") + b"/bad\xff.png", os.fsencode(scan_dir) +
              b"/bad\xff.png")
    os.rename(os.fsencode(out / "approved") + b"/bad\xff.png.license",
              os.fsencode(scan_dir) + b"/bad\xff.png.license")
    res = subprocess.run([sys.executable, "-m", "mediaaudit", "scan", str(scan_dir), "-o",
                          str(tmp_path / "m.json")], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    doc = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    [f] = doc["files"]
    exact = os.fsencode(from_name_bytes(f["path_bytes"]))
    assert exact.endswith(b"/bad\xff.png") and os.path.exists(exact)


def test_line_breaks_in_names_cannot_forge_log_lines(tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    evil = ["x\nPASS forged.png", "y\rPASS forged.png", "z\u2028PASS.png", "w\x1b[2J.png",
            "v\x85PASS.png", "u\x1fPASS.png"]
    for i, name in enumerate(evil):
        tiny_png(drop / name, 10 + i)
    run = subprocess.run(
        [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--once", "--settle", "0",
         "--approved", str(out / "approved"), "--rejected", str(out / "rejected")],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    lines = run.stderr.splitlines()
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (START|STOP|PASS|FAIL|ERROR) ")
    assert all(stamp.match(ln) for ln in lines), lines
    assert len(lines) == len(evil) + 2  # start, one per file, stop: none forged
    assert all("\x1b" not in ln for ln in lines)
    entries = log_entries(drop)  # the JSON log keeps the names exact
    assert sorted(str(e["path"]) for e in entries) == sorted(evil)
    log = (drop / ".mediaaudit" / "manifests" / "audit-log.jsonl").read_text(encoding="utf-8")
    assert len(log.splitlines()) == len(evil)  # str.splitlines breaks at U+2028/U+0085 too
    assert sorted(p.name for p in files_in(out / "approved")) == sorted(evil)


# --- files that are not regular files -----------------------------------------------


def test_fifo_device_and_socket_are_findings_never_opened(tmp_path: Path) -> None:
    """Each gets one audit-log line with MA-IO-008 and stays where it is; the regular
    file beside them is routed.  --timeout 600 and a 120 s limit on the run: a FIFO that
    is opened would block the batch far longer."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    tiny_png(drop / "ok.png", 1)
    os.mkfifo(drop / "pipe.png")
    special = ["pipe.png"]
    with contextlib.suppress(PermissionError):
        os.mknod(drop / "zero.jpg", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
        special.append("zero.jpg")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(drop / "sock.png"))
    special.append("sock.png")
    try:
        for _ in range(2):
            run = watch_once(drop, out, "--timeout", "600")
            assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-3000:]
    finally:
        sock.close()
    by = {str(e["path"]): e for e in log_entries(drop)}
    assert sorted(by) == sorted(["ok.png", *special])  # each once, across the restart
    for name in special:
        codes = [f["code"] for f in by[name]["findings"]]  # type: ignore[union-attr]
        assert codes == ["MA-IO-008"] and by[name]["moved_to"] is None, by[name]
        assert os.path.lexists(drop / name)  # left where it is
    assert [p.name for p in files_in(out / "approved")] == ["ok.png"]


def test_a_fifo_made_while_the_daemon_watches_gets_its_finding(tmp_path: Path) -> None:
    """In inotify mode a file waits for its close-write; a FIFO made with mkfifo is never
    written and closed, and waited for ever (it was logged only after a restart)."""
    drop, out, log = tmp_path / "drop", tmp_path / "out", tmp_path / "watch.log"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    proc = start_logged(drop, out, ["--settle", "0.3"], log)
    try:
        wait_for(lambda: any(ln["outcome"] == "start" for ln in logged(log)))
        os.mkfifo(drop / "pijp.jpg")
        tiny_png(drop / "ok.png", 1)
        wait_for(lambda: sorted(str(e["path"]) for e in log_entries(drop)) == [
            "ok.png", "pijp.jpg"], 60)
    finally:
        stop_logged(proc, log)
    [pipe] = [e for e in log_entries(drop) if e["path"] == "pijp.jpg"]
    assert [f["code"] for f in pipe["findings"]] == ["MA-IO-008"]  # type: ignore[union-attr]
    assert os.path.lexists(drop / "pijp.jpg")


def test_scan_reports_a_fifo_named_on_the_command_line(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.mp4")
    res = subprocess.run([sys.executable, "-m", "mediaaudit", "scan", str(tmp_path / "pipe.mp4"),
                          "-o", str(tmp_path / "m.json"), "--timeout", "600"],
                         capture_output=True, text=True, timeout=120)
    doc = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in doc["files"][0]["findings"]] == ["MA-IO-008"], res.stderr
    assert doc["files"][0]["findings"][0]["params"] == {"kind": "FIFO"}


# --- renamed between audit and routing ----------------------------------------------


def test_a_file_renamed_during_its_audit_gets_one_verdict(tmp_path: Path) -> None:
    """The probe of ``late.png`` pauses 3 s after reading it (the ``late`` seam); the file
    is renamed meanwhile.  Its verdict belongs to no file any more: it is dropped, the
    file is audited under its new name, and a restart adds no second verdict."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    env = {"MEDIAAUDIT_TEST_FAULT": "late:late.png"}
    log = tmp_path / "watch.log"
    proc = start_logged(drop, out, ["--settle", "0.3"], log, env)
    try:
        wait_for(lambda: any(ln["outcome"] == "start" for ln in logged(log)))
        tiny_png(drop / "late.png", 3)
        time.sleep(1.5)  # picked up and read; the probe sleeps 3 s
        os.rename(drop / "late.png", drop / "renamed.png")
        wait_for(lambda: [p.name for p in files_in(out / "approved")] == ["renamed.png"]
                 if (out / "approved").exists() else False)
        time.sleep(1.0)
    finally:
        err = stop_logged(proc, log)
    assert any(ln["outcome"] == "gone" for ln in logged(log))
    again = watch_once(drop, out)
    assert again.returncode == 0
    paths = [str(e["path"]) for e in log_entries(drop)]
    assert paths == ["renamed.png"], (paths, err[-2000:])  # one verdict, for the file


# --- partial copies and a full destination ------------------------------------------


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A real tmpfs of ``size`` at ``where`` (root only); the test is skipped elsewhere."""
    where.mkdir(parents=True, exist_ok=True)
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_partial_copies_a_killed_watcher_left_never_block_a_start(tmp_path: Path) -> None:
    """A SIGKILL during a move across file systems leaves a partial copy in the
    destination (0.2 named it after the file, so the next copy of that file failed with
    FileExistsError at every start).  The next start removes such leftovers, old form
    and new, and routes the file across file systems again."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    with tmpfs(out, "64m"):
        rejected = out / "rejected"
        rejected.mkdir()
        data = os.urandom(4 << 20)
        (drop / "big.mp4").write_bytes(data)  # not a video: rejected, still routed
        old = rejected / ".big.mp4.mediaaudit-partial"
        old.write_bytes(data[:1000])
        new = rejected / f".mediaaudit-partial.{dead_pid()}.0123abcd.tmp"
        new.write_bytes(data[:1000])
        results = drop / ".mediaaudit" / "manifests"
        results.mkdir(parents=True)
        result = results / f".mediaaudit-result.{dead_pid()}.4567cdef.tmp"
        result.write_text("{")
        run = watch_once(drop, out)
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-3000:]
        assert (rejected / "big.mp4").read_bytes() == data
        assert not old.exists() and not new.exists() and not result.exists()
        assert names_in(rejected) == [b"big.mp4"]
        assert [str(e["path"]) for e in log_entries(drop)] == ["big.mp4"]


def fill(path: Path) -> None:
    """Write ``path`` until its file system has no room left."""
    chunk = b"\0" * (64 << 10)
    with open(path, "wb", buffering=0) as fh, contextlib.suppress(OSError):
        while True:
            fh.write(chunk)


def test_a_full_destination_pauses_routing_and_resumes_losing_nothing(tmp_path: Path) -> None:
    """Destinations and results on one real 8 MB tmpfs, filled after the start: the
    watcher logs one pause line, keeps every file in the drop folder, stays alive, and
    once there is room routes and logs each file exactly once."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    with tmpfs(out, "8m"):
        results, log = out / "results", tmp_path / "watch.log"
        proc = start_logged(drop, out, ["--manifest-dir", str(results), "--settle", "0.3"], log)
        filler = out / "filler"
        names = [f"n{i}.png" for i in range(4)]
        try:
            wait_for(lambda: any(ln["outcome"] == "start" for ln in logged(log)))
            fill(filler)
            for name in names:
                noise_png(drop / name, 300)  # ~270 KB each
            wait_for(lambda: any(ln["outcome"] == "paused" for ln in logged(log)))
            time.sleep(2)
            assert proc.poll() is None  # alive
            assert all((drop / n).exists() for n in names)  # nothing lost, nothing half-moved
            filler.unlink()
            wait_for(lambda: sorted(p.name for p in files_in(out / "approved")) == names
                     if (out / "approved").exists() else False, 90)
        finally:
            stop_logged(proc, log)
        lines = logged(log)
        assert [ln["outcome"] for ln in lines].count("paused") == 1
        assert [ln["outcome"] for ln in lines].count("resumed") == 1
        audit_log = [json.loads(ln) for ln in
                     (results / "audit-log.jsonl").read_text(encoding="utf-8").splitlines()]
        assert sorted(str(e["path"]) for e in audit_log) == names  # each exactly once
        again = subprocess.run(
            [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--once", "--settle", "0",
             "--approved", str(out / "approved"), "--rejected", str(out / "rejected"),
             "--manifest-dir", str(results)], capture_output=True, text=True, timeout=120)
        assert again.returncode == 0 and "Traceback" not in again.stderr
        assert len((results / "audit-log.jsonl").read_text().splitlines()) == len(names)
        assert not [p for p in out.rglob(".mediaaudit-*")]  # no temporaries left


def test_a_full_destination_is_said_in_dutch(tmp_path: Path) -> None:
    """The pause line of a Dutch watcher says what the system said in Dutch ("de schijf is
    vol"), with what could not be done ("kan … niet kopiëren naar …"), never libc's
    English inside a Dutch sentence."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    with tmpfs(out, "4m"):
        log = tmp_path / "watch.log"
        cmd = [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--approved",
               str(out / "approved"), "--rejected", str(out / "rejected"), "--settle", "0.3",
               "--lang", "nl"]
        with open(log, "wb") as fh:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=fh)
        try:
            wait_for(lambda: "GESTART" in log.read_text(encoding="utf-8"))
            fill(out / "filler")
            noise_png(drop / "foto.png", 300)
            wait_for(lambda: "PAUZE" in log.read_text(encoding="utf-8"))
            (out / "filler").unlink()
            wait_for(lambda: "HERVAT" in log.read_text(encoding="utf-8"), 90)
        finally:
            text = stop_logged(proc, log)
        pause = next(ln for ln in text.splitlines() if "PAUZE" in ln)
        assert "de schijf is vol" in pause and "niet kopiëren naar" in pause, pause
        assert "No space" not in text and "cannot" not in text, text


def test_hashing_a_fifo_or_device_raises_at_once_never_blocks(tmp_path: Path) -> None:
    """The probe's one read (``sha256_and_head``) and every hash check (``sha256_file``:
    watch before a move, verify) refuse what is not a regular file before reading: a
    FIFO swapped in after the walk would otherwise block the reader forever."""
    from mediaaudit.digest import NotRegular, sha256_and_head, sha256_file

    os.mkfifo(tmp_path / "pipe.png")
    targets = [tmp_path / "pipe.png", Path("/dev/zero")]
    os.symlink(tmp_path / "pipe.png", tmp_path / "link.png")  # followed, to a FIFO: refused
    targets.append(tmp_path / "link.png")
    for target in targets:
        with pytest.raises(NotRegular):
            sha256_and_head(str(target), 1024)
        with pytest.raises(NotRegular):
            sha256_file(str(target))
    real = tiny_png(tmp_path / "real.png", 1)
    os.symlink(real, tmp_path / "named.png")  # a symlink to a file, named: followed
    assert sha256_file(str(tmp_path / "named.png")) == sha256_file(str(real))


def test_a_symlinked_sidecar_is_never_read_as_evidence(tmp_path: Path) -> None:
    """``photo.png.license`` → a file outside the folder: its text would become licence
    evidence in the manifest.  It is no sidecar; the photo's rights stay unknown."""
    media = tmp_path / "media"
    media.mkdir()
    tiny_png(media / "photo.png", 1)
    secret = tmp_path / "secret.txt"
    secret.write_text("SPDX-License-Identifier: CC0-1.0\nroot:x:0:0:secret\n")
    os.symlink(secret, media / "photo.png.license")
    res = subprocess.run([sys.executable, "-m", "mediaaudit", "scan", str(media), "-o",
                          str(tmp_path / "m.json")], capture_output=True, text=True, timeout=120)
    doc = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert doc["files"][0]["rights"]["status"] == "unknown", res.stderr
    assert "secret" not in (tmp_path / "m.json").read_text(encoding="utf-8")


def test_verify_finds_a_name_that_is_not_utf8_by_its_exact_bytes(tmp_path: Path) -> None:
    """The manifest shows ``caf\\xe9.png``; verify opens the file ``path_bytes`` names,
    also under a moved ROOT, and finds nothing missing or added."""
    scanned = tmp_path / "s"
    scanned.mkdir()
    tiny_png(Path(os.fsdecode(os.fsencode(scanned) + b"/caf\xe9.png")), 1)
    tiny_png(scanned / "ok.png", 2)
    cmd = [sys.executable, "-m", "mediaaudit"]
    subprocess.run([*cmd, "scan", "s", "-o", "m.json"], cwd=tmp_path, capture_output=True,
                   timeout=120)
    for extra in ([], ["moved"]):
        if extra:
            os.rename(scanned, tmp_path / "moved")
        res = subprocess.run([*cmd, "verify", "m.json", *extra], cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stdout + res.stderr
        assert "unchanged s/caf\\xe9.png" in res.stdout and "added" not in res.stdout
    with open(os.fsencode(tmp_path / "moved") + b"/caf\xe9.png", "ab") as fh:
        fh.write(b"x")
    res = subprocess.run([*cmd, "verify", "m.json", "moved"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "changed   s/caf\\xe9.png" in res.stdout
