"""watch: an upload that closes the file and pauses longer than --settle is judged once,
whole; a cut-off upload that never goes on is rejected with "the upload may not have been
complete"; a file that comes back under a routed name supersedes its earlier version
without a duplicate.  Real watcher processes, real JPEG and MP4 files cut in two."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_watch import log_entries, routed, start, stop, wait_for
from test_watch_hostile import logged, start_logged, stop_logged

import fixtures_rights as fr

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_media"
CC0_XMP = fr.xmp('<cc:license rdf:resource="https://creativecommons.org/publicdomain/'
                 'zero/1.0/"/>')
SETTLE = 0.5  # the hold is 12 settle periods: 6 s
PAUSE = 2.5  # longer than --settle, shorter than the hold
MODES = [pytest.param([], id="inotify"), pytest.param(["--poll", "0.2"], id="poll")]


def held(log: Path, name: str) -> bool:
    return any(ln["outcome"] == "held" and ln["path"] == name for ln in logged(log))


def upload_in_two(path: Path, data: bytes, log: Path, cut: int | None = None) -> None:
    """An uploader that writes the first part (half the file, or ``cut`` bytes), closes
    the file, pauses longer than --settle (until the watcher has judged the part, however
    slow the machine), and appends the rest: a resumed transfer."""
    cut = len(data) // 2 if cut is None else cut
    with open(path, "wb") as fh:
        fh.write(data[:cut])
    wait_for(lambda: held(log, path.name), 60)
    time.sleep(PAUSE - SETTLE)
    with open(path, "ab") as fh:
        fh.write(data[cut:])


def lines(err: str) -> list[dict[str, object]]:
    return [json.loads(ln) for ln in err.splitlines() if ln.startswith("{")]


def cc0_jpeg(tmp: Path) -> bytes:
    return fr.jpeg(tmp / "src.jpg", CC0_XMP).read_bytes()


@pytest.mark.parametrize("mode", MODES)
def test_jpeg_uploaded_in_two_pieces_gets_one_verdict(tmp_path: Path, mode: list[str]) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    data = cc0_jpeg(tmp_path)
    log = tmp_path / "log"
    proc = start_logged(drop, out, ["--settle", str(SETTLE), *mode], log)
    try:
        time.sleep(1.0)
        upload_in_two(drop / "foto.jpg", data, log)
        wait_for(lambda: len(routed(out)) == 1, 60)
        time.sleep(1.0)
    finally:
        err = stop_logged(proc, log)
    entries = log_entries(drop)
    assert len(entries) == 1, entries  # not two rejected halves
    assert entries[0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert entries[0]["outcome"] == "pass"
    assert (out / "approved" / "foto.jpg").read_bytes() == data
    assert not (out / "rejected").exists() or not routed(out / "rejected")
    said = [ln["outcome"] for ln in lines(err) if ln["path"] == "foto.jpg"]
    assert said[0] == "held" and "again" in said and said[-1] == "pass", said


def test_mp4_uploaded_in_two_pieces_gets_one_verdict(tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    config = tmp_path / "mediaaudit.toml"
    config.write_text((SAMPLES / "mediaaudit.toml").read_text(encoding="utf-8"),
                      encoding="utf-8")  # the sample video's holder is the organisation
    data = (SAMPLES / "interview.mp4").read_bytes()
    log = tmp_path / "log"
    proc = start_logged(drop, out, ["--settle", str(SETTLE), "--config", str(config)], log)
    try:
        time.sleep(1.0)
        upload_in_two(drop / "interview.mp4", data, log)
        wait_for(lambda: len(routed(out)) == 1, 60)
        time.sleep(1.0)
    finally:
        stop_logged(proc, log)
    entries = log_entries(drop)
    assert [(e["outcome"], e["sha256"]) for e in entries] == [
        ("pass", hashlib.sha256(data).hexdigest())]
    assert (out / "approved" / "interview.mp4").read_bytes() == data


def test_truncated_upload_is_rejected_saying_it_may_be_incomplete(tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    data = (SAMPLES / "interview.mp4").read_bytes()
    proc = start(drop, out, ["--settle", str(SETTLE)])
    try:
        time.sleep(1.0)
        (drop / "clip.mp4").write_bytes(data[: len(data) // 2])
        begun = time.monotonic()
        wait_for(lambda: len(routed(out)) == 1, 60)
        waited = time.monotonic() - begun
    finally:
        err = stop(proc)
    assert waited >= 12 * SETTLE  # held in the drop folder first: it might have gone on
    said = [ln for ln in lines(err) if ln["path"] == "clip.mp4"]
    assert [ln["outcome"] for ln in said] == ["held", "fail"]
    assert "The upload may not have been complete" in str(said[-1]["detail"])
    report = (out / "rejected" / "clip.mp4.mediaaudit.html").read_text(encoding="utf-8")
    assert "The upload may not have been complete" in report
    [entry] = log_entries(drop)
    assert entry["findings"][0]["code"] == "MA-IO-004"  # type: ignore[index]


def test_truncated_upload_in_dutch(tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    data = cc0_jpeg(tmp_path)
    (drop / "half.jpg").write_bytes(data[: len(data) // 2])
    run = subprocess.run(
        [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--approved",
         str(out / "approved"), "--rejected", str(out / "rejected"), "--once", "--lang", "nl"],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    [line] = [ln for ln in run.stderr.splitlines() if " half.jpg " in ln]
    assert "AFGEKEURD" in line and "De upload was misschien niet compleet" in line, line
    report = (out / "rejected" / "half.jpg.mediaaudit.html").read_text(encoding="utf-8")
    assert "De upload was misschien niet compleet" in report
    assert "upload may not" not in report


def test_cut_off_upload_sent_again_replaces_the_routed_half(tmp_path: Path) -> None:
    """The pause outlasted the hold: the half was rejected and routed.  The uploader sends
    the whole file again under the same name: the routed half is removed (the new file
    holds all of its bytes) and the whole file takes its name; no "foto (1).jpg"."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    data = cc0_jpeg(tmp_path)
    proc = start(drop, out, ["--settle", str(SETTLE)])
    try:
        time.sleep(1.0)
        (drop / "foto.jpg").write_bytes(data[: len(data) // 2])
        wait_for(lambda: len(routed(out)) == 1, 60)
        half = out / "rejected" / "foto.jpg"
        assert half.read_bytes() == data[: len(data) // 2]
        (drop / "foto.jpg").write_bytes(data)
        wait_for(lambda: (out / "approved" / "foto.jpg").exists(), 60)
        time.sleep(1.0)
    finally:
        err = stop(proc)
    assert routed(out) == [out / "approved" / "foto.jpg"]
    assert (out / "approved" / "foto.jpg").read_bytes() == data
    assert not (out / "rejected" / "foto.jpg.mediaaudit.html").exists()
    said = [ln for ln in lines(err) if ln["path"] == "foto.jpg"]
    assert [ln["outcome"] for ln in said] == ["held", "fail", "superseded", "pass"]
    assert str(half) in str(said[2]["detail"])


def test_continued_upload_after_routing_keeps_the_half_and_says_why(tmp_path: Path) -> None:
    """The pause outlasted the hold and the uploader then appends the rest to the name:
    the new file is the second half only.  Nothing is joined or removed; the log says
    where the first part is and that the whole file must be sent again."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    data = cc0_jpeg(tmp_path)
    proc = start(drop, out, ["--settle", str(SETTLE)])
    try:
        time.sleep(1.0)
        (drop / "foto.jpg").write_bytes(data[: len(data) // 2])
        wait_for(lambda: len(routed(out)) == 1, 60)
        with open(drop / "foto.jpg", "ab") as fh:
            fh.write(data[len(data) // 2:])
        wait_for(lambda: len(routed(out)) == 2, 60)
    finally:
        err = stop(proc)
    assert (out / "rejected" / "foto.jpg").read_bytes() == data[: len(data) // 2]
    kept = [ln for ln in lines(err) if ln["outcome"] == "kept"]
    assert len(kept) == 1 and "the parts are not joined" in str(kept[0]["detail"])


def test_file_left_in_place_that_grows_supersedes_its_verdict(tmp_path: Path) -> None:
    """Without routing the file stays where it is; judged again after it grew, its new
    verdict replaces the old one, and the log says so."""
    drop = tmp_path / "drop"
    drop.mkdir()
    data = cc0_jpeg(tmp_path)
    (drop / "foto.jpg").write_bytes(data[:-1])  # no end-of-image marker: damaged
    cmd = [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--once", "--json-log"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    (drop / "foto.jpg").write_bytes(data)
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert first.returncode == second.returncode == 0, second.stderr
    assert [ln["outcome"] for ln in lines(first.stderr) if ln["path"] == "foto.jpg"] == ["fail"]
    assert [ln["outcome"] for ln in lines(second.stderr) if ln["path"] == "foto.jpg"] == [
        "superseded", "pass"]


def test_empty_file_then_its_bytes_gets_one_verdict(tmp_path: Path) -> None:
    """An uploader that creates the file, closes it empty, and writes it later: the empty
    file (MA-IO-001, what a failed or unfinished upload looks like) waits too."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    data = cc0_jpeg(tmp_path)
    log = tmp_path / "log"
    proc = start_logged(drop, out, ["--settle", str(SETTLE)], log)
    try:
        time.sleep(1.0)
        upload_in_two(drop / "foto.jpg", data, log, cut=0)
        wait_for(lambda: len(routed(out)) == 1, 60)
        time.sleep(1.0)
    finally:
        err = stop_logged(proc, log)
    assert [(e["outcome"], e["size"]) for e in log_entries(drop)] == [("pass", len(data))]
    said = [ln["outcome"] for ln in lines(err) if ln["path"] == "foto.jpg"]
    assert said == ["held", "again", "pass"], said
