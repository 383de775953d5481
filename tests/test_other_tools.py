"""Files written by other tools (ImageMagick, ffmpeg), cross-checked with exiftool and
the mediainfo CLI where installed.  A reader tested only on its own writer's output
proves little; these skip cleanly where a tool is absent, and .ci/run installs them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import Run, have, run_cli

IM_CASES = [
    ("im.png", "preferred"),
    ("im.tif", "preferred"),
    ("im.jpg", "acceptable"),
    ("im.gif", "acceptable"),
    ("im.jp2", "acceptable"),
    ("im.webp", "not_listed"),
]

FF_CASES = [
    # name, ffmpeg args, nvf status, expected MediaInfo video format
    ("ff_h264.mp4", ["-c:v", "libx264", "-c:a", "aac", "-movflags", "+faststart"],
     "acceptable", "AVC"),
    ("ff_hevc.mp4", ["-c:v", "libx265", "-c:a", "aac"], "not_listed", "HEVC"),
    ("ff_h264.mov", ["-c:v", "libx264", "-c:a", "aac"], "not_listed", "AVC"),
    ("ff_ffv1.mkv", ["-c:v", "ffv1", "-level", "3", "-c:a", "flac"], "preferred", "FFV1"),
    ("ff_h264.mkv", ["-c:v", "libx264", "-c:a", "aac"], "acceptable", "AVC"),
    ("ff_vp9.webm", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-c:a", "libopus"],
     "not_listed", "VP9"),
]


@pytest.fixture(scope="module")
def im_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tool = have("imagemagick")
    if not tool:
        pytest.skip("ImageMagick not installed")
    d = tmp_path_factory.mktemp("im")
    for name, _ in IM_CASES:
        subprocess.run([tool, "-size", "48x32", "gradient:red-blue", str(d / name)], check=True,
                       capture_output=True)
    return d


@pytest.fixture(scope="module")
def ff_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not have("ffmpeg"):
        pytest.skip("ffmpeg not installed")
    d = tmp_path_factory.mktemp("ff")
    for name, args, _, _ in FF_CASES:
        cmd = ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
               "testsrc=size=64x48:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
               "-t", "0.4", "-pix_fmt", "yuv420p", *args, str(d / name)]
        subprocess.run(cmd, check=True, capture_output=True)
    return d


@pytest.mark.parametrize(("name", "status"), IM_CASES)
def test_imagemagick_files(im_dir: Path, name: str, status: str) -> None:
    run = run_cli("scan", str(im_dir / name), "--ignore", "MA-LIC")  # format gate only
    e = run.entry(name)
    assert e["nvf"]["status"] == status
    assert e["outcome"] == ("fail" if status == "not_listed" else "pass")
    assert e["media"]["width"] == 48 and e["media"]["height"] == 32


def test_imagemagick_mime_agrees_with_exiftool(im_dir: Path) -> None:
    if not have("exiftool"):
        pytest.skip("exiftool not installed")
    out = subprocess.run(["exiftool", "-json", "-MIMEType", "-ImageWidth", str(im_dir)],
                         capture_output=True, text=True, check=True).stdout
    oracle = {Path(r["SourceFile"]).name: r for r in json.loads(out)}
    run = run_cli("scan", str(im_dir))
    for name, _ in IM_CASES:
        e = run.entry(name)
        assert e["format"]["mime"] == oracle[name]["MIMEType"], name
        assert e["media"]["width"] == oracle[name]["ImageWidth"], name


@pytest.fixture(scope="module")
def ff_run(ff_dir: Path) -> Run:
    return run_cli("scan", str(ff_dir), "-j", "1", "--ignore", "MA-LIC")  # format gate only


@pytest.mark.parametrize(("name", "args", "status", "vformat"), FF_CASES)
def test_ffmpeg_files(ff_run: Run, name: str, args: list[str], status: str, vformat: str) -> None:
    e = ff_run.entry(name)
    assert e["nvf"]["status"] == status
    assert e["outcome"] == ("fail" if status == "not_listed" else "pass")
    video = [c for c in e["nvf"].get("codecs", []) if c["track"] == "video"]
    if e["nvf"]["via"]:
        assert video and video[0]["codec"] == vformat


def test_ffmpeg_codecs_agree_with_mediainfo_cli(ff_dir: Path, ff_run: Run) -> None:
    """The CLI is an older MediaInfo than the bundled library; compare only codec names."""
    if not have("mediainfo"):
        pytest.skip("mediainfo CLI not installed")
    for name, _, _, vformat in FF_CASES:
        out = subprocess.run(["mediainfo", "--Output=JSON", str(ff_dir / name)],
                             capture_output=True, text=True, check=True).stdout
        tracks = json.loads(out)["media"]["track"]
        cli_video = [t["Format"] for t in tracks if t["@type"] == "Video"]
        ours = [t["format"] for t in ff_run.entry(name)["media"]["tracks"] if t["kind"] == "video"]
        assert cli_video == ours == [vformat], name
