"""File names with control characters or bytes that are not UTF-8 (issue 26): a valid
image keeps its PRONOM identification whatever its name holds.

siegfried 1.11 echoes a file name into its JSON answer without escaping 0x1a-0x1f, and
pygfried then fails to parse the answer: a valid PNG became "Internal error (siegfried:
JSONDecodeError)", and in the batched identifier one such name spoiled its whole batch.
Real PNG files, real siegfried, real scans: the small-folder path (siegfried in the
probe worker) and the batched identifier (24 files or more).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mediaaudit.probe.identify import pronom, pronom_many

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
PNG = ROOT / "sample_media" / "stadhuis.png"
CONTROL = [*range(0x01, 0x20), 0x7F]  # every C0 control a name can hold (not NUL), and DEL
NOT_UTF8 = b"\xff\xfe"


def _name(b: bytes) -> bytes:
    return b"n" + b + b".png"


def _folder(d: Path, raw: list[bytes]) -> dict[bytes, str]:
    """``d`` with a copy of the same PNG under each raw name, plus ``plain.png``;
    raw name → the path the manifest shows (undecodable bytes as ``\\xNN``)."""
    d.mkdir()
    shutil.copyfile(PNG, d / "plain.png")
    shown = {}
    for n in raw:
        p = os.path.join(os.fsencode(d), n)
        shutil.copyfile(PNG, p)
        shown[n] = os.fsdecode(p).encode("utf-8", "surrogateescape").decode(
            "utf-8", "backslashreplace")
    return shown


def _puids(d: Path, shown: dict[bytes, str]) -> tuple[str, dict[bytes, tuple[str, list[str]]]]:
    run = run_cli("scan", str(d), "-j", "2", "--no-cache", "-q")
    assert run.manifest is not None, run.stderr
    by = {f["path"]: f for f in run.manifest["files"]}
    assert len(by) == len(shown) + 1
    plain = by[str(d / "plain.png")]["format"]["puid"]
    got = {n: (by[p]["format"]["puid"], [x["code"] for x in by[p]["findings"]])
           for n, p in shown.items()}
    return plain, got


def test_siegfried_names_every_control_byte_and_undecodable_name(tmp_path: Path) -> None:
    """``pronom`` (a worker's own siegfried) and ``pronom_many`` (the batch), byte by byte,
    against the same file under a plain name."""
    shown = _folder(tmp_path / "d", [_name(bytes([b])) for b in CONTROL] + [_name(NOT_UTF8)])
    paths = [os.fsdecode(os.path.join(os.fsencode(tmp_path / "d"), n)) for n in shown]
    plain = pronom(str(tmp_path / "d" / "plain.png"))
    assert plain["id"] == "fmt/13"
    assert {p: pronom(p) for p in paths} == dict.fromkeys(paths, plain)
    assert pronom_many(paths, 2) == [plain] * len(paths)


def test_a_folder_name_with_a_control_byte(tmp_path: Path) -> None:
    """siegfried echoes the whole path: the folder's name counts as much as the file's."""
    d = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"map\x1bx")))
    d.mkdir()
    shutil.copyfile(PNG, d / "a.png")
    assert pronom(str(d / "a.png"))["id"] == pronom_many([str(d / "a.png")], 1)[0]["id"] \
        == "fmt/13"


def test_small_folder_scan_keeps_every_identification(tmp_path: Path) -> None:
    """Fewer than 24 files: siegfried runs in the probe worker, file by file."""
    raw = [_name(bytes([b])) for b in (0x01, 0x0A, 0x1A, 0x1B, 0x1C, 0x1F, 0x7F)]
    shown = _folder(tmp_path / "small", [*raw, _name(NOT_UTF8)])
    plain, got = _puids(tmp_path / "small", shown)
    assert plain == "fmt/13"
    assert got == dict.fromkeys(shown, (plain, got[raw[0]][1]))
    assert "MA-IO-006" not in got[raw[0]][1] and "MA-ID-002" not in got[raw[0]][1]


@pytest.mark.parametrize("folder", [b"big", b"big\x1b"])
def test_batched_identifier_keeps_every_identification(tmp_path: Path, folder: bytes) -> None:
    """34 files (every control byte, DEL, a name that is not UTF-8, a plain one): the
    scan's identifier process answers in batches; no name costs a file, or its batch,
    the identification.  Also in a folder whose own name holds ESC."""
    d = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), folder)))
    shown = _folder(d, [_name(bytes([b])) for b in CONTROL] + [_name(NOT_UTF8)])
    assert len(shown) + 1 >= 24
    plain, got = _puids(d, shown)
    assert plain == "fmt/13"
    wrong = {n: v for n, v in got.items() if v[0] != plain or "MA-IO-006" in v[1]}
    assert wrong == {}
