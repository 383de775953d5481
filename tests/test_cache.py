"""The incremental fact cache: reuse, invalidation, policy re-evaluation, robustness."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import fixtures_rights as fr
from conftest import run_cli


def _swap_keep_stat(path: Path, data: bytes) -> None:
    """Replace content with same-size bytes and restore mtime: invisible to the cache key."""
    st = path.stat()
    assert len(data) == st.st_size
    path.write_bytes(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_warm_scan_reuses_facts_and_policy_change_reevaluates(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    fr.jpeg(d / "a.jpg", fr.xmp(alt_rights := fr.alt("dc:rights", "© Foto Bureau Q")))
    del alt_rights
    cache = tmp_path / "c.sqlite"
    first = run_cli("scan", str(d), "--cache", str(cache))
    assert first.entry("a.jpg")["rights"]["status"] == "restricted"
    assert cache.is_file()
    # swap the bytes behind the cache's back: same size, same mtime
    blank = bytearray((d / "a.jpg").read_bytes())
    i = blank.find(b"Foto Bureau Q")
    blank[i:i + 13] = b"XXXXXXXXXXXXX"
    _swap_keep_stat(d / "a.jpg", bytes(blank))
    warm = run_cli("scan", str(d), "--cache", str(cache))
    assert warm.entry("a.jpg")["rights"]["holder"] == "Foto Bureau Q"  # facts from the cache
    assert warm.entry("a.jpg")["sha256"] == first.entry("a.jpg")["sha256"]
    # a policy change is applied to cached facts, without reading the file again
    (d / "mediaaudit.toml").write_text('[policy]\norganisation = ["Foto Bureau Q"]\n')
    policy = run_cli("scan", str(d), "--cache", str(cache))
    assert policy.entry("a.jpg")["rights"]["status"] == "owned"
    fresh = run_cli("scan", str(d), "--no-cache")
    assert fresh.entry("a.jpg")["rights"]["status"] == "restricted"
    assert fresh.entry("a.jpg")["rights"]["holder"] == "XXXXXXXXXXXXX"


def test_changed_file_or_sidecar_is_probed_again(tmp_path: Path) -> None:
    fr.jpeg(tmp_path / "b.jpg")
    cache = tmp_path / "c.sqlite"
    assert run_cli("scan", str(tmp_path / "b.jpg"), "--cache", str(cache)).entry(
        "b.jpg")["rights"]["status"] == "unknown"
    (tmp_path / "b.jpg.license").write_text("SPDX-License-Identifier: CC0-1.0\n")
    r = run_cli("scan", str(tmp_path / "b.jpg"), "--cache", str(cache))
    assert r.entry("b.jpg")["rights"]["status"] == "open"
    fr.jpeg(tmp_path / "b.jpg", fr.xmp(f'<cc:license rdf:resource="{fr.CC_BY}"/>'))
    (tmp_path / "b.jpg.license").unlink()
    r = run_cli("scan", str(tmp_path / "b.jpg"), "--cache", str(cache))
    assert r.entry("b.jpg")["rights"]["licence"] == "CC-BY-4.0"


def test_corrupt_cache_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    fr.jpeg(tmp_path / "c.jpg")
    cache = tmp_path / "c.sqlite"
    cache.write_bytes(b"this is not a database" * 100)
    r = run_cli("scan", str(tmp_path / "c.jpg"), "--cache", str(cache))
    assert r.exit_code == 1 and r.manifest is not None
    assert "warning: cache" in r.stderr and "rebuilt" in r.stderr
    assert list(tmp_path.glob("c.sqlite.corrupt-*"))
    again = run_cli("scan", str(tmp_path / "c.jpg"), "--cache", str(cache))
    assert "warning" not in again.stderr


def test_locked_cache_is_skipped_not_fatal(tmp_path: Path) -> None:
    fr.jpeg(tmp_path / "d.jpg")
    cache = tmp_path / "c.sqlite"
    run_cli("scan", str(tmp_path / "d.jpg"), "--cache", str(cache))
    fr.jpeg(tmp_path / "e.jpg")
    holder = sqlite3.connect(cache, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        r = run_cli("scan", str(tmp_path), "--cache", str(cache))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.manifest is not None and len(r.manifest["files"]) == 2
    assert "warning: cache" in r.stderr


def test_two_scans_at_once_share_a_cache(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "shared.sqlite"
    cmd = [sys.executable, "-m", "mediaaudit", "scan", str(corpus), "-q", "-j", "1",
           "--cache", str(cache)]
    procs = [subprocess.Popen([*cmd, "-o", str(tmp_path / f"m{i}.json")]) for i in range(2)]
    assert [p.wait(timeout=300) for p in procs] == [1, 1]
    import json

    a, b = (json.loads((tmp_path / f"m{i}.json").read_text()) for i in range(2))
    assert [f["sha256"] for f in a["files"]] == [f["sha256"] for f in b["files"]]
    n = sqlite3.connect(cache).execute("SELECT count(*) FROM facts").fetchone()[0]
    assert n >= len(a["files"]) - 1  # all but the empty/unreadable ones
