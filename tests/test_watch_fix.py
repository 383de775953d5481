"""``watch --fix`` (issue 21): an officer drops phone photos and clips into the share and
gets postable derivatives back in the approved folder, each with its report; the
originals are kept, unchanged, in the rejected folder with theirs.  Real phone files
(tests/realworld/SOURCES.toml); a real watcher process; SIGKILL at every step of a fix
loses nothing and duplicates nothing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mediaaudit.sidecars import is_report_name

from conftest import have, run_cli

MEI = Path(__file__).parent / "realworld" / "files" / "metadata-extractor-images"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
DROPPED = {"telefoon/exif-at-eof.heic": "telefoon/exif-at-eof.jpg",
           "telefoon/Issue 437 (dotnet).heic": "telefoon/Issue 437 (dotnet).jpg",
           "telefoon/with-gps.mov": "telefoon/with-gps.mp4",
           "web/Issue 649.avif": "web/Issue 649.jpg"}
NO_RIGHTS = "web/HTC Desire.webp"  # fails on rights too: left to a person
CONFIG = """[policy]
organisation = ["Gemeente Voorbeeld"]

[watch]
fix = true

[[annotations]]
path = "telefoon/**"
licence = "CC-BY-4.0"
holder = "Gemeente Voorbeeld"

[[annotations]]
path = "web/Issue*"
licence = "CC-BY-4.0"
holder = "Gemeente Voorbeeld"
"""

pytestmark = pytest.mark.skipif(not have("exiftool"), reason="exiftool is the oracle")


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _drop(tmp: Path) -> tuple[Path, dict[str, str]]:
    drop = tmp / "drop"
    sums = {}
    for rel in [*DROPPED, NO_RIGHTS]:
        (drop / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MEI / Path(rel).name, drop / rel)
        sums[rel] = _sha(drop / rel)
    (drop / "mediaaudit.toml").write_text(CONFIG)
    return drop, sums


def _watch(drop: Path, out: Path, *extra: str, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--approved",
           str(out / "approved"), "--rejected", str(out / "rejected"), "--once",
           "--settle", "0", "--no-cache", "--json-log", "--lang", "en", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and not is_report_name(p.name)
                  and not p.name.startswith(("overzicht-", "overview-")))


def _log(drop: Path) -> list[dict[str, Any]]:
    log = drop / ".mediaaudit" / "manifests" / "audit-log.jsonl"
    return [json.loads(x) for x in log.read_text().splitlines()]


def _check(drop: Path, out: Path, sums: dict[str, str]) -> None:
    """Every derivative in approved with its report, every original kept in rejected
    (byte-identical) with its report, each logged once; nothing left to do."""
    approved, rejected = out / "approved", out / "rejected"
    assert _files(approved) == sorted(DROPPED.values())
    assert _files(rejected) == sorted(sums)
    for rel, digest in sums.items():
        assert _sha(rejected / rel) == digest, rel
        assert (rejected / (rel + ".mediaaudit.html")).is_file(), rel
    for rel in DROPPED.values():
        assert (approved / (rel + ".mediaaudit.html")).is_file(), rel
        tags = json.loads(subprocess.run(["exiftool", "-j", "-G1", "-a", str(approved / rel)],
                                         capture_output=True, text=True,
                                         check=True).stdout)[0]
        assert not [k for k in tags if "GPS" in k or "Serial" in k], rel
        assert tags["XMP-dc:Rights"] == "Gemeente Voorbeeld", rel
    entries = _log(drop)
    paths = sorted(str(e["path"]) for e in entries)
    assert paths == sorted([*sums, *DROPPED.values()])  # once each, nothing lost
    for e in entries:
        if e["path"] in DROPPED.values():
            assert e["outcome"] == "pass", e["findings"]
            assert e["derived_from"]["path"] in DROPPED
            assert e["moved_to"].endswith(e["path"])
        else:
            assert e["outcome"] == "fail" and "derived_from" not in e
    left = [p for p in drop.rglob("*") if p.is_file() and ".mediaaudit" not in p.parts]
    assert left == [drop / "mediaaudit.toml"]
    staging = drop / ".mediaaudit" / "fix"
    assert not [p for p in staging.iterdir() if p.name.isdigit()] if staging.exists() else True


def test_watch_fix_routes_postable_derivatives(tmp_path: Path) -> None:
    drop, sums = _drop(tmp_path)
    out = tmp_path / "out"
    r = _watch(drop, out)
    assert r.returncode == 0, r.stderr
    _check(drop, out, sums)
    lines = [json.loads(x) for x in r.stderr.splitlines() if x.startswith("{")]
    made = [x for x in lines if "derivative of" in x.get("detail", "")]
    assert len(made) == len(DROPPED)


def test_watch_fix_survives_sigkill_at_every_step(tmp_path: Path) -> None:
    """The watcher kills itself (SIGKILL) once after converting one file (no row yet),
    once after recording another's derivative (not routed yet) and once after routing a
    third's derivative (its original not yet routed); restarted each time, it ends with
    every derivative and every original exactly once."""
    drop, sums = _drop(tmp_path)
    out = tmp_path / "out"
    kill = {"MEDIAAUDIT_TEST_FIX_KILL":
            "converted:exif-at-eof.heic,recorded:Issue 437*,routed:with-gps.mov"}
    codes = []
    for _ in range(6):
        r = _watch(drop, out, env=kill)
        codes.append(r.returncode)
        if r.returncode == 0:
            break
    assert codes.count(-9) == 3 and codes[-1] == 0, codes
    _check(drop, out, sums)


def test_watch_fix_needs_routing_and_a_boolean(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    r = run_cli("watch", str(drop), "--fix", "--once", "--lang", "en")
    assert r.exit_code == 2 and "--fix needs --approved and --rejected" in r.stderr
    (drop / "mediaaudit.toml").write_text('[watch]\nfix = "yes"\n')
    r = run_cli("scan", str(drop), "-q")
    assert r.exit_code == 2 and "[watch] fix: must be true or false" in r.stderr
    assert "Traceback" not in r.stderr


def test_watch_fix_never_clears_through_a_planted_symlink(tmp_path: Path) -> None:
    """Whoever may drop files may write the drop folder's .mediaaudit too: a staging
    folder that is a symlink is refused (the conversion, not the routing), and nothing
    it points at is cleared."""
    drop = tmp_path / "drop"
    (drop / ".mediaaudit").mkdir(parents=True)
    victim = tmp_path / "victim"
    (victim / "1").mkdir(parents=True)
    (victim / "1" / "keep.txt").write_text("keep")
    (drop / ".mediaaudit" / "fix").symlink_to(victim)
    shutil.copyfile(MEI / "exif-at-eof.heic", drop / "exif-at-eof.heic")
    (drop / "mediaaudit.toml").write_text(CONFIG.replace("telefoon/**", "*.heic"))
    out = tmp_path / "out"
    r = _watch(drop, out)
    assert r.returncode == 0, r.stderr
    assert (victim / "1" / "keep.txt").read_text() == "keep"
    assert _files(out / "rejected") == ["exif-at-eof.heic"]
    assert not (out / "approved").exists() or _files(out / "approved") == []
    assert "not converted: refusing to write through a symlink" in r.stderr
