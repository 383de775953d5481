"""Shared fixtures: a generated corpus for every outcome, and a CLI runner."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mediaaudit.cli.main import cli

import factory


@dataclass
class Run:
    exit_code: int
    manifest: dict[str, Any] | None
    stdout: str
    stderr: str

    def entry(self, name: str) -> dict[str, Any]:
        assert self.manifest is not None
        hits = [f for f in self.manifest["files"] if f["path"].endswith("/" + name)
                or f["path"] == name]
        assert len(hits) == 1, f"{name}: {len(hits)} entries"
        return hits[0]

    def codes(self, name: str) -> list[str]:
        return [x["code"] for x in self.entry(name)["findings"]]


def run_cli(*args: str, cwd: Path | None = None) -> Run:
    """Run ``mediaaudit`` in-process; parse stdout as a manifest when it is JSON."""
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        res = runner.invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    manifest = None
    if res.stdout.lstrip().startswith("{"):
        manifest = json.loads(res.stdout)
    return Run(res.exit_code, manifest, res.stdout, res.stderr)


def have(tool: str) -> str | None:
    """Path of an external oracle tool, or None (tests then skip)."""
    if tool == "imagemagick":
        for cand in ("magick", "convert-im6.q16", "convert-im7.q16"):
            found = shutil.which(cand)
            if found:
                return found
        return None
    return shutil.which(tool)


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test scan uses (and so exercises) a cache, never the user's real one."""
    os.environ["MEDIAAUDIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder with a file for every row of issue 3's must-show table."""
    d = tmp_path_factory.mktemp("corpus") / "uploads"
    d.mkdir()
    f = factory
    f.image(d / "photo.png", "PNG")
    f.image(d / "scan.tif", "TIFF")
    (d / "logo.svg").write_text(f.SVG_11)
    (d / "inkscape.svg").write_text(f.SVG_DOCTYPE)
    f.image(d / "jfif.jpg", "JPEG")
    f.exif_jpeg(d / "camera.jpg")
    f.image(d / "still.gif", "GIF")
    f.animated_gif(d / "anim.gif")
    f.image(d / "photo.jp2", "JPEG2000")
    f.image(d / "photo.webp", "WEBP")
    f.image(d / "photo.avif", "AVIF")
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
        f.image(d / "phone.heic", "HEIF")
    except ImportError:
        pass
    f.video(d / "clip.mp4", "mp4", "libx264", "aac", faststart=True)
    f.video(d / "hevc.mp4", "mp4", "libx265", "aac", faststart=True)
    f.video(d / "iphone.mov", "mov", "libx264", "aac")
    f.video(d / "clip.webm", "webm", "libvpx-vp9", "libopus")
    f.video(d / "master.mkv", "matroska", "ffv1", "flac")
    f.video(d / "h264.mkv", "matroska", "libx264", "aac")
    f.copy_as(d / "photo.png", d / "renamed.jpg")
    (d / "empty.jpg").write_bytes(b"")
    (d / "random.jpg").write_bytes(os.urandom(4096))
    (d / "notes.txt").write_text("Dit is geen afbeelding.\n")
    # Rights are not what this corpus tests: a folder annotation makes every file CC0.
    (d / "mediaaudit.toml").write_text(
        '[[annotations]]\npath = "**"\nlicence = "CC0-1.0"\nholder = "mediaaudit tests"\n')
    return d
