"""mediaaudit.sidecars, the one home of 'which files are sidecars of which media file'
(issue 13 item 4): the walker, the readers and the cache must all agree with it."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from mediaaudit import fstime
from mediaaudit.sidecars import SidecarKind, is_sidecar_name, siblings, sidecars_of
from mediaaudit.walk import skip_reason


def _touch(d: Path, *names: str) -> None:
    for n in names:
        (d / n).write_text("x")


def _kinds(path: Path) -> list[tuple[str, str, str | None]]:
    return [(str(s.kind), s.name, s.lang) for s in sidecars_of(str(path))]


def test_every_kind_of_sidecar_in_a_stable_order(tmp_path: Path) -> None:
    _touch(tmp_path, "photo.jpg", "photo.jpg.license", "photo.xmp", "photo.jpg.xmp",
           "photo.alt.txt", "photo.jpg.alt.txt", "photo.nl.vtt", "photo.jpg.en.srt",
           "photo.srt")
    assert _kinds(tmp_path / "photo.jpg") == [
        ("license", "photo.jpg.license", None),
        ("xmp", "photo.jpg.xmp", None), ("xmp", "photo.xmp", None),
        ("caption", "photo.jpg.en.srt", "en"), ("caption", "photo.nl.vtt", "nl"),
        ("caption", "photo.srt", None),
        ("alt_text", "photo.jpg.alt.txt", None), ("alt_text", "photo.alt.txt", None),
    ]


def test_files_of_other_media_are_not_sidecars(tmp_path: Path) -> None:
    _touch(tmp_path, "clip.mp4", "clip.mp4.nl.vtt", "clip2.nl.vtt", "clip.forced.srt",
           "clipx.srt", "clip.license", "other.mp4.license", "clip.mp4x.xmp", "clip.mp4")
    assert _kinds(tmp_path / "clip.mp4") == [("caption", "clip.mp4.nl.vtt", "nl")]


def test_endings_match_whatever_their_case(tmp_path: Path) -> None:
    """The walker skips FOTO.JPG.LICENSE as a sidecar, so the reader must read it too."""
    _touch(tmp_path, "FOTO.JPG", "FOTO.JPG.LICENSE", "FOTO.XMP", "FOTO.NL.VTT", "foto.xmp")
    got = _kinds(tmp_path / "FOTO.JPG")
    assert got == [("license", "FOTO.JPG.LICENSE", None), ("xmp", "FOTO.XMP", None),
                   ("caption", "FOTO.NL.VTT", "nl")]


def test_a_file_without_extension(tmp_path: Path) -> None:
    _touch(tmp_path, "scan", "scan.license", "scan.xmp", "scan.nl.vtt")
    assert [k for k, _, _ in _kinds(tmp_path / "scan")] == ["license", "xmp", "caption"]


def test_walker_readers_and_sidecars_of_agree(tmp_path: Path) -> None:
    """Everything sidecars_of returns is skipped by the walker as a sidecar."""
    names = ["a.jpg.license", "a.xmp", "a.jpg.xmp", "a.alt.txt", "a.jpg.alt.txt", "a.srt",
             "a.vtt", "a.nl.vtt", "a.jpg.pt-br.srt", "A.JPG.ALT.TXT"]
    _touch(tmp_path, "a.jpg", *names)
    found = sidecars_of(str(tmp_path / "a.jpg"))
    assert found and all(is_sidecar_name(s.name) for s in found)
    assert all(skip_reason(s.name) == "sidecar" for s in found)
    assert skip_reason("a.jpg") is None
    captions = {(s.name, s.lang, s.fmt) for s in found if s.kind is SidecarKind.CAPTION}
    assert ("a.jpg.pt-br.srt", "pt-br", "srt") in captions
    assert {s.name for s in found} >= set(names) - {"A.JPG.ALT.TXT"}


def test_listing_sees_a_sidecar_added_in_the_same_timestamp_tick(tmp_path: Path) -> None:
    """A listing taken while the folder's mtime is recent is not reused: an entry added
    within the same tick would not change the mtime, and watch would miss it for good."""
    _touch(tmp_path, "clip.mp4")
    assert "clip.nl.vtt" not in siblings(str(tmp_path / "clip.mp4"))
    st = os.stat(tmp_path)
    _touch(tmp_path, "clip.nl.vtt")
    os.utime(tmp_path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as if in the same tick
    assert "clip.nl.vtt" in siblings(str(tmp_path / "clip.mp4"))


def test_listing_of_a_settled_folder_is_reused(tmp_path: Path) -> None:
    _touch(tmp_path, "a.jpg")
    time.sleep(fstime.FINE_NS / 1e9 * 1.5)
    first = siblings(str(tmp_path / "a.jpg"))
    assert siblings(str(tmp_path / "a.jpg")) is first  # cached
    _touch(tmp_path, "a.jpg.license")  # changes the folder's mtime
    assert "a.jpg.license" in siblings(str(tmp_path / "a.jpg"))


@pytest.mark.parametrize(("t", "since", "racy"), [
    (10_000_000_000 + 123, 10_000_000_000 + 50_000_000, True),  # fine fs, 50 ms before
    (10_000_000_000 + 123, 10_000_000_000 + 500_000_000, False),  # fine fs, 0.5 s before
    (10_000_000_000, 11_000_000_000, True),  # whole seconds (FAT, SMB): 1 s is too close
    (10_000_000_000, 14_000_000_000, False),
    (20_000_000_000, 10_000_000_000, True),  # in the future
])
def test_racy_timestamps(t: int, since: int, racy: bool) -> None:
    assert fstime.is_racy(t, since) is racy


def test_symlinked_sidecars_are_never_read(tmp_path: Path) -> None:
    """A 'sidecar' that is a symlink could make the audit read any file on the server (and
    pass a file on a licence somebody else wrote): it is not a sidecar."""
    from conftest import run_cli

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("the server's secret")
    (outside / "cc0.license").write_text("SPDX-License-Identifier: CC0-1.0\n")
    d = tmp_path / "upload"
    d.mkdir()
    shutil.copyfile(Path(__file__).parent.parent / "sample_media" / "vakantie.jpg",
                    d / "foto.jpg")
    (d / "foto.jpg.alt.txt").symlink_to(outside / "secret.txt")
    (d / "foto.jpg.license").symlink_to(outside / "cc0.license")
    assert sidecars_of(str(d / "foto.jpg")) == []
    run = run_cli("scan", str(d), "-j", "1", "--no-cache")
    assert run.manifest is not None
    e = run.manifest["files"][0]
    assert e["rights"]["status"] != "open" and e["outcome"] == "fail"
    assert "secret" not in json.dumps(e)
