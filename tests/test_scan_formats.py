"""Issue 3's must-show table, on real generated files, through the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run, run_cli

EXPECT = [
    # name, nvf status, outcome, PUID (None = don't care), codes that must be present
    ("photo.png", "preferred", "pass", "fmt/11", []),
    ("scan.tif", "preferred", "pass", "fmt/353", []),
    ("logo.svg", "preferred", "pass", "fmt/92", []),
    ("inkscape.svg", "preferred", "fail", "fmt/101", ["MA-ID-005", "MA-FMT-008"]),
    ("jfif.jpg", "acceptable", "pass", "fmt/43", ["MA-FMT-002"]),
    ("camera.jpg", "acceptable", "pass", None, ["MA-FMT-002"]),
    ("still.gif", "acceptable", "pass", "fmt/3", ["MA-FMT-002"]),
    ("anim.gif", "acceptable", "pass", "fmt/4", ["MA-FMT-002", "MA-FMT-005"]),
    ("photo.jp2", "acceptable", "pass", "x-fmt/392", ["MA-FMT-002"]),
    ("photo.webp", "not_listed", "fail", "fmt/566", ["MA-FMT-001"]),
    ("photo.avif", "not_listed", "fail", "fmt/2062", ["MA-FMT-001"]),
    ("clip.mp4", "acceptable", "pass", "fmt/199", ["MA-FMT-002"]),
    ("hevc.mp4", "not_listed", "fail", "fmt/199", ["MA-FMT-003"]),
    ("iphone.mov", "not_listed", "fail", "x-fmt/384", ["MA-FMT-001"]),
    ("clip.webm", "not_listed", "fail", "fmt/573", ["MA-FMT-001"]),
    ("master.mkv", "preferred", "pass", "fmt/569", []),
    ("h264.mkv", "acceptable", "pass", "fmt/569", ["MA-FMT-004", "MA-FMT-002"]),
    ("renamed.jpg", "preferred", "pass", "fmt/11", ["MA-ID-001"]),
    ("empty.jpg", "unknown", "fail", None, ["MA-IO-001"]),
    ("random.jpg", "unknown", "fail", "UNKNOWN", ["MA-ID-003"]),
    ("notes.txt", "unknown", "fail", "x-fmt/111", ["MA-ID-004"]),
]


@pytest.fixture(scope="module")
def scanned(corpus: Path) -> Run:
    return run_cli("scan", str(corpus), "--jobs", "1", "--lang", "en")


@pytest.mark.parametrize(("name", "status", "outcome", "puid", "must"), EXPECT)
def test_must_show_table(
    scanned: Run, name: str, status: str, outcome: str, puid: str | None, must: list[str]
) -> None:
    e = scanned.entry(name)
    assert e["nvf"]["status"] == status, e
    assert e["outcome"] == outcome, e
    if puid:
        assert e["format"]["puid"] == puid
    codes = scanned.codes(name)
    for code in must:
        assert code in codes, (name, codes)
    if outcome == "fail":
        assert any(x["severity"] == "error" for x in e["findings"]) or status == "unknown"
        assert e["findings"], "a failing file must say why"


def test_camera_jpeg_is_judged_via_labelled_equivalent(scanned: Run) -> None:
    e = scanned.entry("camera.jpg")
    assert e["format"]["puid"] in {"fmt/645", "fmt/1507", "x-fmt/398", "x-fmt/390", "x-fmt/391"}
    assert e["nvf"]["via"] == "equivalent"
    assert e["nvf"]["row_id"] == "jpeg"


def test_heic_identified_not_listed(scanned: Run, corpus: Path) -> None:
    if not (corpus / "phone.heic").exists():
        pytest.skip("pillow-heif not installed; cannot make a HEIC fixture")
    e = scanned.entry("phone.heic")
    assert e["format"]["puid"] == "fmt/1101"
    assert e["nvf"]["status"] == "not_listed"
    assert e["outcome"] == "fail"
    assert e["media"]["width"] == 64


def test_video_codecs_are_listed_per_track(scanned: Run) -> None:
    e = scanned.entry("hevc.mp4")
    codecs = {(c["track"], c["codec"]): c["status"] for c in e["nvf"]["codecs"]}
    assert codecs == {("video", "HEVC"): "not_listed", ("audio", "AAC"): "acceptable"}
    assert e["nvf"]["container_status"] == "acceptable"
    m = scanned.entry("master.mkv")
    assert {c["codec"] for c in m["nvf"]["codecs"]} == {"FFV1", "FLAC"}


def test_manifest_is_complete_sorted_and_hashed(scanned: Run, corpus: Path) -> None:
    import hashlib

    m = scanned.manifest
    assert m is not None
    paths = [f["path"] for f in m["files"]]
    on_disk = sorted(p.name for p in corpus.iterdir() if p.name != "mediaaudit.toml")
    assert sorted(Path(p).name for p in paths) == on_disk  # every file exactly once
    assert {"path": str(corpus / "mediaaudit.toml"), "reason": "config"} in m["skipped"]
    assert paths == sorted(paths)
    for f in m["files"]:
        data = (corpus / Path(f["path"]).name).read_bytes()
        assert f["sha256"] == hashlib.sha256(data).hexdigest()
        assert f["size"] == len(data)
        if f["nvf"]["status"] != "unknown":
            assert f["rights"]["status"] == "open" and f["rights"]["licence"] == "CC0-1.0"
            assert f["rights"]["evidence"][0]["source"] == "config:annotations[**]"
    s = m["summary"]
    assert s["files"] == len(paths) == s["pass"] + s["fail"] + s["error"]
    assert m["profile"]["id"] == "nvf-2024" and len(m["profile"]["sha256"]) == 64
    assert m["engines"]["siegfried"] and m["engines"]["libmagic"]


def test_paths_are_relative_to_the_root_as_given(corpus: Path) -> None:
    run = run_cli("scan", "uploads", "--jobs", "1", cwd=corpus.parent)
    assert run.manifest is not None
    assert run.manifest["roots"] == ["uploads"]
    assert all(f["path"].startswith("uploads/") for f in run.manifest["files"])


def test_jobs_do_not_change_the_manifest(corpus: Path, tmp_path: Path) -> None:
    import shutil

    from mediaaudit.scan import MIN_FILES_FOR_POOL

    big = tmp_path / "big"
    for i in range(3):  # enough files that --jobs 2 really uses the worker pool
        shutil.copytree(corpus, big / f"batch{i}")
    n = sum(1 for p in big.rglob("*") if p.is_file() and p.suffix != ".toml")
    assert n >= MIN_FILES_FOR_POOL
    shutil.copy(corpus / "mediaaudit.toml", big / "mediaaudit.toml")
    one = run_cli("scan", str(big), "--jobs", "1", "--lang", "en")
    two = run_cli("scan", str(big), "--jobs", "2", "--lang", "en")
    assert one.manifest is not None and two.manifest is not None
    strip = lambda m: [(f["path"], f["sha256"], f["outcome"], f["nvf"]["status"],
                        [x["code"] for x in f["findings"]]) for f in m["files"]]
    assert len(one.manifest["files"]) == n
    assert strip(two.manifest) == strip(one.manifest)


def test_exit_status(corpus: Path, tmp_path: Path) -> None:
    assert run_cli("scan", str(corpus), "-j", "1").exit_code == 1
    assert run_cli("scan", str(corpus / "photo.png")).exit_code == 0
    assert run_cli("scan", str(corpus), "-j", "1", "--exit-zero").exit_code == 0


def test_nonexistent_path_is_one_clear_line_exit_2(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mediaaudit", "scan", str(tmp_path / "nope")],
        capture_output=True, text=True, env={"LANG": "C", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not exist" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


def test_dutch_messages(corpus: Path) -> None:
    run = run_cli("scan", str(corpus / "photo.webp"), "--lang", "nl")
    msg = run.entry("photo.webp")["findings"][0]["message"]
    assert "staat niet in NVF 2024" in msg
    assert "1 bestand: 0 goedgekeurd, 1 afgekeurd, 0 fout" in run.stderr


def test_output_file_is_written_atomically_and_not_scanned(corpus: Path, tmp_path: Path) -> None:
    import json
    import shutil

    work = tmp_path / "w"
    shutil.copytree(corpus, work, ignore=shutil.ignore_patterns("*.mkv", "*.mp4", "*.webm"))
    out = work / "manifest.json"
    first = run_cli("scan", str(work), "-o", str(out), "-j", "1")
    assert first.stdout == "" and out.is_file()
    second = run_cli("scan", str(work), "-o", str(out), "-j", "1")
    m = json.loads(out.read_text())
    assert not any(f["path"].endswith("manifest.json") for f in m["files"])
    # the walker recognises the earlier run's manifest by its content
    assert {"path": str(work / "manifest.json"), "reason": "mediaaudit output"} in m["skipped"]
    assert second.exit_code == 1
    assert not list(work.glob(".mediaaudit-*"))  # no temp file left behind
