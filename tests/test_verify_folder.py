"""verify given the wrong folder: the folder above the scanned one, or one that holds far
more than the manifest.  The explanation, naming the folder to give, comes before the list
of "added" files, and that list is capped (``--all`` lists every one).  Real sample media,
a real scan, the CLI as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from mediaaudit.verify import SHOWN_ADDED, Wrong, holding_folder, misplaced

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_media"
PHOTOS = ("campagne.jpg", "persfoto.jpg", "stadhuis.png", "markt-gps.jpg")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """stdout and stderr in one stream, in the order written (each line is flushed)."""
    return subprocess.run([sys.executable, "-m", "mediaaudit", *args], cwd=cwd, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)


def project(tmp: Path, filler: int = 300) -> Path:
    """A project folder as in the report: ``upload/`` with the delivery, and beside it a
    virtual environment of ``filler`` files, scanned as ``upload`` from the project."""
    proj = tmp / "proj"
    (proj / "upload").mkdir(parents=True)
    for name in PHOTOS:
        shutil.copy(SAMPLES / name, proj / "upload" / name)
    lib = proj / "venv" / "lib" / "site-packages"
    lib.mkdir(parents=True)
    for i in range(filler):
        (lib / f"module{i:03d}.py").write_text(f"VALUE = {i}\n", encoding="utf-8")
    scan = run(["scan", "upload", "-o", "request-audit.json", "-q"], proj)
    assert scan.returncode in (0, 1), scan.stdout
    return proj


def test_parent_folder_given_is_explained_first(tmp_path: Path) -> None:
    proj = project(tmp_path)
    res = run(["verify", "../request-audit.json", ".."], proj / "upload")
    lines = res.stdout.splitlines()
    assert res.returncode == 1
    assert lines[0] == (f".. is not the folder that was scanned: {len(PHOTOS)} of the "
                        f"{len(PHOTOS)} files the manifest lists are in ../upload, a folder "
                        "inside it. Give that folder: mediaaudit verify ../request-audit.json "
                        "../upload")
    added = [ln for ln in lines if ln.startswith("added")]
    assert len(added) == SHOWN_ADDED  # not 300-odd lines
    more = len(PHOTOS) + 300 - SHOWN_ADDED
    assert f"… and {more} more added files (--all lists them all)" in lines
    good = run(["verify", "../request-audit.json", "../upload"], proj / "upload")
    assert good.returncode == 0, good.stdout  # the folder it named is the right one


def test_parent_folder_in_dutch_and_without_root(tmp_path: Path) -> None:
    """Scanned as ``.`` inside upload, verified from the project folder without ROOT: the
    scanned root as found from here is the project; the hint names upload, once."""
    proj = project(tmp_path)
    scan = run(["scan", ".", "-o", "../inside.json", "-q"], proj / "upload")
    assert scan.returncode in (0, 1), scan.stdout
    res = run(["verify", "inside.json", "--lang", "nl"], proj)
    lines = res.stdout.splitlines()
    assert lines[0] == (f"{proj} is niet de map die gescand is: {len(PHOTOS)} van de "
                        f"{len(PHOTOS)} bestanden uit het manifest staan in upload, een map "
                        "daarbinnen. Geef die map op: mediaaudit verify inside.json upload")
    assert sum("mediaaudit verify" in ln for ln in lines) == 1  # no second, older hint
    assert any(ln.startswith("… en nog ") and "--all toont ze allemaal" in ln for ln in lines)
    assert run(["verify", "inside.json", "upload"], proj).returncode == 0


def test_folder_with_far_more_files_says_so_and_all_lists_them(tmp_path: Path) -> None:
    """The delivery's files are where the manifest says, but the folder also holds a
    virtual environment: far more than listed.  The explanation comes first; --all gives
    every added file."""
    proj = tmp_path / "proj"
    proj.mkdir()
    for name in PHOTOS:
        shutil.copy(SAMPLES / name, proj / name)
    assert run(["scan", ".", "-o", "../audit.json", "-q"], proj).returncode in (0, 1)
    for i in range(60):
        (proj / f"notes{i:02d}.txt").write_text("not media\n", encoding="utf-8")
    res = run(["verify", "../audit.json", "."], proj)
    lines = res.stdout.splitlines()
    assert lines[0].startswith(". holds 60 files the manifest does not list (it lists 4): "
                               "give the folder that was scanned"), lines[0]
    assert len([ln for ln in lines if ln.startswith("added")]) == SHOWN_ADDED
    full = run(["verify", "../audit.json", ".", "--all", "-q"], proj)
    assert len([ln for ln in full.stdout.splitlines() if ln.startswith("added")]) == 60
    assert "more added files" not in full.stdout


def test_a_few_added_files_are_just_listed(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    proj.mkdir()
    for name in PHOTOS:
        shutil.copy(SAMPLES / name, proj / name)
    assert run(["scan", ".", "-o", "../audit.json", "-q"], proj).returncode in (0, 1)
    shutil.copy(SAMPLES / "vakantie.jpg", proj / "extra.jpg")
    res = run(["verify", "../audit.json", "."], proj)
    lines = res.stdout.splitlines()
    assert res.returncode == 1
    assert lines[0].split() == ["added", "extra.jpg"]
    assert "scanned" not in res.stdout and "more added" not in res.stdout


def test_holding_folder_and_misplaced_decide_from_names() -> None:
    listed = ["a.jpg", os.path.join("dag 1", "b.jpg")]
    present = [os.path.join("upload", "a.jpg"), os.path.join("upload", "dag 1", "b.jpg"),
               os.path.join("other", "a.jpg"), "a.txt"]
    assert holding_folder(listed, present) == ("upload", 2)
    assert holding_folder(listed, ["x.png"]) == ("", 0)
    inside = misplaced(listed, present, found_here=0, added=4)
    assert inside is not None and inside.why is Wrong.INSIDE and inside.folder == "upload"
    assert misplaced(listed, listed, found_here=2, added=0) is None
    wide = misplaced(listed, listed, found_here=2, added=SHOWN_ADDED + 1)
    assert wide is not None and wide.why is Wrong.TOO_WIDE
