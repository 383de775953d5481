"""watch and a photographer's ZIP: each member routed as a file of its own with its report,
hostile members logged and listed, the archive kept byte for byte, bombs rejected whole."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from mediaaudit.sidecars import is_report_name

SAMPLES = Path(__file__).parent.parent / "sample_media"
CONFIG = '[policy]\norganisation = ["Gemeente Voorbeeld"]\n'


def _watch(drop: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--approved",
           str(out / "approved"), "--rejected", str(out / "rejected"), "--once",
           "--settle", "0", "--no-cache", "--json-log", "--lang", "en", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def _media(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and not is_report_name(p.name)
                  and not p.name.startswith(("overzicht-", "overview-", "mediaaudit-")))


def _log(drop: Path) -> list[dict[str, Any]]:
    log = drop / ".mediaaudit" / "manifests" / "audit-log.jsonl"
    return [json.loads(x) for x in log.read_text().splitlines()]


def _delivery(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("campagne.jpg", "persfoto.jpg", "stadhuis.png"):
            z.write(SAMPLES / name, f"Levering/{name}")
        z.write(SAMPLES / "campagne.jpg.license", "Levering/campagne.jpg.license")
        z.writestr("../../evil.jpg", (SAMPLES / "vakantie.jpg").read_bytes())
        z.writestr("__MACOSX/Levering/._campagne.jpg", b"\0\5\26\7")


def test_a_dropped_zip_is_routed_member_by_member(tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CONFIG)
    zpath = drop / "Levering Pieter Bakker.zip"
    _delivery(zpath)
    digest = hashlib.sha256(zpath.read_bytes()).hexdigest()
    r = _watch(drop, out)
    assert r.returncode == 0, r.stderr
    routed = _media(out / "approved") + _media(out / "rejected")
    assert sorted(routed) == sorted(f"Levering Pieter Bakker/Levering/{n}" for n in (
        "campagne.jpg", "campagne.jpg.license", "persfoto.jpg", "stadhuis.png"))
    for d in ("approved", "rejected"):
        for rel in _media(out / d):
            if not rel.endswith(".license"):
                assert (out / d / (rel + ".mediaaudit.html")).is_file(), rel
    # the licence beside the member counted: campagne passes with its CC licence
    assert "Levering Pieter Bakker/Levering/campagne.jpg" in _media(out / "approved")
    # the delivery is kept as it came, with a record naming what was not unpacked
    kept = drop / ".mediaaudit" / "manifests" / "deliveries" / zpath.name
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == digest
    record = json.loads(Path(str(kept) + ".json").read_text())
    assert [x["code"] for x in record["not_unpacked"]] == ["MA-ARC-002"]
    # nothing written outside; the drop folder is empty again
    assert not (tmp_path / "evil.jpg").exists() and not (drop.parent / "evil.jpg").exists()
    left = [p for p in drop.iterdir() if p.name not in (".mediaaudit", "mediaaudit.toml")]
    assert left == []
    lines = [json.loads(x) for x in (r.stdout + r.stderr).splitlines() if x.startswith("{")]
    assert any(x["path"].endswith("../../evil.jpg") and x["outcome"] == "fail"
               and x.get("code") == "MA-ARC-002" for x in lines), lines
    assert any(x["outcome"] == "unpacked" for x in lines), lines
    assert len(_log(drop)) == 3  # one result per routed member (the licence went along)


def _bomb(path: Path) -> None:
    """100 central-directory entries over one 100 MB stream of zeros: 10 GB declared."""
    import struct
    import zlib

    size = 100 << 20
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = comp.compress(b"\0" * size) + comp.flush()
    crc = zlib.crc32(b"\0" * size)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(body), size,
                        1, 0) + b"a"
    central = b"".join(
        struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(body),
                    size, 8, 0, 0, 0, 0, 0, 0) + f"{i:04d}.jpg".encode() for i in range(100))
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 100, 100, len(central),
                      len(local) + len(body), 0)
    path.write_bytes(local + body + central + end)


def test_a_zip_bomb_is_rejected_whole_and_nothing_unpacked(tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    _bomb(drop / "levering.zip")
    r = _watch(drop, out)
    assert r.returncode == 0, r.stderr
    assert _media(out / "rejected") == ["levering.zip"]
    report = (out / "rejected" / "levering.zip.mediaaudit.html").read_text()
    assert "MA-ARC-001" in report
    assert not (drop / ".mediaaudit" / "manifests" / "deliveries").exists()
    assert not (drop / ".mediaaudit-unpack").exists() or not any(
        (drop / ".mediaaudit-unpack").iterdir())


def test_a_delivery_moved_but_not_unpacked_is_finished_at_start(tmp_path: Path) -> None:
    """Killed between keeping the archive and placing its members: the kept archive has
    no record, and the next start unpacks it into the drop folder."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    store = drop / ".mediaaudit" / "manifests" / "deliveries"
    store.mkdir(parents=True)
    (drop / "mediaaudit.toml").write_text(CONFIG)
    _delivery(store / "levering.zip")
    os.makedirs(drop / ".mediaaudit-unpack" / "half", exist_ok=True)  # a killed unpack
    shutil.copy(SAMPLES / "campagne.jpg", drop / ".mediaaudit-unpack" / "half" / "x.jpg")
    r = _watch(drop, out)
    assert r.returncode == 0, r.stderr
    routed = _media(out / "approved") + _media(out / "rejected")
    assert "levering/Levering/persfoto.jpg" in routed, routed
    assert (store / "levering.zip.json").is_file()
    assert not (drop / ".mediaaudit-unpack").exists()


def test_an_empty_member_of_a_delivery_is_not_held_as_an_upload(tmp_path: Path) -> None:
    """The running service holds a damaged or empty file for a while (an upload that paused
    may go on) and says "the upload may not have been complete".  A member unpacked from
    a delivery is whole: its verdict comes at once, without that note."""
    import signal
    import time

    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CONFIG)
    with zipfile.ZipFile(tmp_path / "levering.zip", "w") as z:
        z.write(SAMPLES / "campagne.jpg", "campagne.jpg")
        z.writestr("leeg.jpg", b"")
    log = tmp_path / "watch.log"
    cmd = [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--approved",
           str(out / "approved"), "--rejected", str(out / "rejected"), "--settle", "1",
           "--no-cache", "--json-log", "--lang", "en"]
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=fh)
    try:
        time.sleep(3)
        shutil.copy(tmp_path / "levering.zip", drop / "levering.zip")
        deadline = time.monotonic() + 60  # the hold would last 12 settles: 12 s
        while time.monotonic() < deadline and not (out / "rejected" / "levering" /
                                                   "leeg.jpg").exists():
            time.sleep(0.2)
        routed = time.monotonic()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    lines = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
    empty = [x for x in lines if str(x.get("path", "")).endswith("leeg.jpg")]
    assert (out / "rejected" / "levering" / "leeg.jpg").exists(), lines
    assert [x["outcome"] for x in empty] == ["fail"], empty  # no "held" line first
    assert "upload" not in json.dumps(empty), empty
    assert routed < deadline


def test_the_unpacked_line_counts_what_was_unpacked(tmp_path: Path) -> None:
    """"unpacked to levering: 1 file …; 1 not unpacked": a member refused for its unsafe
    name is not counted among the files placed in the drop folder."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    with zipfile.ZipFile(drop / "levering.zip", "w") as z:
        z.write(SAMPLES / "campagne.jpg", "campagne.jpg")
        z.writestr("../evil.jpg", b"x")
    run = _watch(drop, out)
    line = next(json.loads(x) for x in run.stderr.splitlines()
                if x.startswith("{") and json.loads(x)["outcome"] == "unpacked")
    assert ": 1 file, each judged" in line["detail"] and "1 not unpacked" in line["detail"], line
