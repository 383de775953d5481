"""Format-gate rules that real files broke (issue 12, §2.1 MIME-only, §5 items 19-21).

Real files from tests/realworld/files (other projects' test suites), plus files written by
ffmpeg; verdicts from a full ``mediaaudit scan``, format-only (rights ignored).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import have, run_cli

REAL = Path(__file__).parent / "realworld" / "files"


def audit(*paths: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    run = run_cli("scan", *map(str, paths), "-j", "1", "--no-cache", "--lang", "en",
                  "--ignore", "MA-LIC", "--ignore", "MA-ACC")
    assert run.manifest is not None, run.stderr
    return {Path(f["path"]).name: f for f in run.manifest["files"]}


def codes(e: dict) -> list[str]:  # type: ignore[type-arg]
    return [x["code"] for x in e["findings"]]


@pytest.mark.skipif(not have("ffmpeg"), reason="ffmpeg not installed")
def test_mxf_op1a_with_xdcam_hd422_is_preferred_by_refinement(tmp_path: Path) -> None:
    """ffmpeg writes OP-1a; siegfried says fmt/200, the norm's row says fmt/791."""
    out = tmp_path / "xdcam.mxf"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=1920x1080:rate=25",
                    "-f", "lavfi", "-i", "sine", "-t", "0.4", "-c:v", "mpeg2video",
                    "-pix_fmt", "yuv422p", "-b:v", "50M", "-maxrate", "50M", "-minrate", "50M",
                    "-bufsize", "36408333", "-g", "12", "-c:a", "pcm_s24le", "-ar", "48000",
                    str(out)], check=True)
    e = audit(out)["xdcam.mxf"]
    assert e["format"]["puid"] == "fmt/200"
    assert e["nvf"]["status"] == "preferred" and e["nvf"]["via"] == "refinement", e["nvf"]
    assert e["outcome"] == "pass", codes(e)


@pytest.mark.skipif(not have("ffmpeg"), reason="ffmpeg not installed")
def test_mxf_refinement_needs_op1a(tmp_path: Path) -> None:
    """An OP-Atom file is not what the refinement is about: it keeps its own verdict."""
    out = tmp_path / "atom.mxf"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                    "-t", "0.2", "-c:v", "dnxhd", "-s", "1920x1080", "-b:v", "36M",
                    "-pix_fmt", "yuv422p", "-f", "mxf_opatom", str(out)], check=True)
    e = audit(out)["atom.mxf"]
    assert e["nvf"]["via"] != "refinement"


def test_m4a_is_on_the_mpeg4_row() -> None:
    e = audit(REAL / "exiftool" / "QuickTime.m4a")["QuickTime.m4a"]
    assert e["nvf"]["row_id"] == "mp4" and e["nvf"]["via"] == "equivalent", e["nvf"]


def test_geotiff_is_tiff() -> None:
    e = audit(REAL / "exiftool" / "GeoTiff.tif")["GeoTiff.tif"]
    assert e["format"]["puid"] == "fmt/155"
    assert e["nvf"]["row_id"] == "tiff" and e["nvf"]["via"] == "equivalent"


def test_flac_file_is_a_considered_decision() -> None:
    e = audit(REAL / "exiftool" / "FLAC.flac")["FLAC.flac"]
    assert e["nvf"]["status"] == "not_listed" and "MA-FMT-001" in codes(e)
    run = run_cli("profiles", "show", "nvf-2024")
    assert "fmt/279" in run.stdout and "only as an audio codec" in run.stdout


def test_readable_camera_raw_fails_and_does_not_error() -> None:
    """A Pillow TypeError on a Canon CR2 once made the file 'could not be audited'."""
    e = audit(REAL / "exiftool" / "CanonRaw.cr2")["CanonRaw.cr2"]
    assert e["outcome"] == "fail" and e["nvf"]["status"] == "not_listed", codes(e)
    assert "MA-IO-006" not in codes(e)


def test_valid_avif_is_not_called_damaged() -> None:
    e = audit(REAL / "pillow" / "hopper.avif")["hopper.avif"]
    assert "MA-IO-004" not in codes(e) and e["outcome"] == "fail"  # not in the norm


def test_mime_only_identification_never_passes(tmp_path: Path) -> None:
    """A PNG whose signature siegfried cannot match (damaged chunk layout) is 'image/png'
    to libmagic; a MIME type alone must never pass a file."""
    src = REAL / "pillow" / "hopper.png"
    bad = tmp_path / "fuzzed.png"
    data = bytearray(src.read_bytes())
    data[12:16] = b"IHDX"  # the first chunk is no longer IHDR
    bad.write_bytes(bytes(data))
    e = audit(bad)["fuzzed.png"]
    assert e["outcome"] != "pass", (e["format"], codes(e))


def test_placeholder_owner_name_is_not_personal_data(tmp_path: Path) -> None:
    """exiftool's DNG test file says OwnerName 'unknown': no privacy warning for that."""
    dng = tmp_path / "DNG.dng"
    shutil.copyfile(REAL / "exiftool" / "DNG.dng", dng)
    e = audit(dng)["DNG.dng"]
    assert "MA-PRV-003" not in codes(e)


def test_open_licence_beside_a_damaged_file_does_not_make_it_pass(tmp_path: Path) -> None:
    """A derived probe: a real camera JPEG cut at 60 % with a CC0 sidecar next to it.  The
    rights are fine; the file is not."""
    src = (REAL / "exif-samples" / "DSCN0010.jpg").read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(src[: len(src) * 6 // 10])
    (tmp_path / "cut.jpg.license").write_text("SPDX-License-Identifier: CC0-1.0\n")
    run = run_cli("scan", str(cut), "-j", "1", "--no-cache")
    assert run.manifest is not None
    e = run.manifest["files"][0]
    assert e["rights"]["status"] == "open"
    assert e["outcome"] == "fail" and "MA-IO-004" in codes(e), codes(e)
