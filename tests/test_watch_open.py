"""Issue 13, item 3: an upload still open for writing is never judged (inotify
close-write), and nothing is routed unless its bytes are still the audited ones."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

from test_watch import log_entries, routed, start, stop, wait_for

import fixtures_rights as fr

CC0_XMP = fr.xmp('<cc:license rdf:resource="https://creativecommons.org/publicdomain/'
                 'zero/1.0/"/>')


def test_upload_paused_longer_than_settle_is_judged_only_once_closed(tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    data = fr.jpeg(tmp_path / "src.jpg", CC0_XMP).read_bytes()
    proc = start(drop, out, [])  # inotify, --settle 1.5
    try:
        time.sleep(1.0)

        def upload() -> None:
            with open(drop / "upload.jpg", "wb") as fh:
                fh.write(data[: len(data) // 2])
                fh.flush()
                time.sleep(4.0)  # longer than --settle: the half file has 'settled'
                fh.write(data[len(data) // 2:])

        writer = threading.Thread(target=upload)
        writer.start()
        writer.join()
        wait_for(lambda: len(routed(out)) == 1, 60)
        time.sleep(1.0)
    finally:
        stop(proc)
    entries = log_entries(drop)
    assert len(entries) == 1, entries
    assert entries[0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert entries[0]["outcome"] == "pass"
    assert (out / "approved" / "upload.jpg").read_bytes() == data


def test_poll_mode_rechecks_the_hash_before_routing(tmp_path: Path) -> None:
    """A same-size edit with the mtime put back (cp -p, exiftool -P, coarse SMB times)
    between the audit and the move: only the bytes show it.  The file is audited again
    (bypassing the fact cache, which trusts size and mtime) and routed with its final
    hash."""
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    first = fr.jpeg(tmp_path / "src.jpg", CC0_XMP).read_bytes()
    second = bytearray(first)
    second[-3] ^= 1  # inside the entropy-coded data: still a whole JPEG
    proc = start(drop, out, ["--poll", "0.3", "--settle", "0.5"],
                 {"MEDIAAUDIT_TEST_FAULT": "late:edit.jpg"})  # 3 s between audit and route
    try:
        time.sleep(1.0)
        (drop / "edit.jpg").write_bytes(first)
        st = os.stat(drop / "edit.jpg")
        time.sleep(2.2)  # the probe has read the file and sits in its 3 s pause
        with open(drop / "edit.jpg", "r+b") as fh:
            fh.write(second)
        os.utime(drop / "edit.jpg", ns=(st.st_atime_ns, st.st_mtime_ns))
        wait_for(lambda: len(routed(out)) == 1, 60)
    finally:
        stop(proc)
    entries = log_entries(drop)
    assert [e["sha256"] for e in entries] == [hashlib.sha256(second).hexdigest()]
    assert (out / "approved" / "edit.jpg").read_bytes() == bytes(second)


def test_open_files_follow_inotify_events(tmp_path: Path) -> None:
    from mediaaudit.watch.openfiles import OpenFiles

    p, q = tmp_path / "a.jpg", tmp_path / "b.jpg"
    p.write_bytes(b"")
    marks = OpenFiles()
    marks.event("created", str(p))  # an empty new file: its writer has it open
    assert marks.is_open(str(p))
    marks.event("modified", str(p))
    marks.event("moved", str(p), str(q))  # renamed while open: still open
    assert marks.is_open(str(q)) and not marks.is_open(str(p))
    marks.event("closed", str(q))
    assert not marks.is_open(str(q))
    q.write_bytes(b"whole")
    marks.event("created", str(q))  # moved in from outside: whole, no close will follow
    assert not marks.is_open(str(q))
