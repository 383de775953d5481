"""Fixture folders beyond the basic corpus, shared by several test modules."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

import factory


def build_edges(d: Path) -> Path:
    """Empty-ish, damaged, special and odd files; one finding code each."""
    d.mkdir(parents=True, exist_ok=True)
    factory.png_bomb(d / "bomb.png")
    src = factory.image(d / "src.tif", "TIFF", 200, 150)
    factory.truncate(src, d / "cut.tif", 0.02)
    clip = factory.video(d / "clip.mp4", "mp4", "libx264", "aac", frames=20)
    factory.truncate(clip, d / "cut.mp4", 0.5)
    clip.unlink()
    src.unlink()
    os.mkfifo(d / "pipe.jpg")
    (d / "dangling.jpg").symlink_to(d / "does-not-exist.jpg")
    (d / "loop.jpg").symlink_to(d / "loop.jpg")
    (d / "unreadable.png").symlink_to("/proc/self/mem")  # regular, but every read fails (EIO)
    (d / "bare.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    factory.video(d / "slowstart.mp4", "mp4", "libx264", "aac")  # moov after mdat
    Image.new("1", (8000, 7000)).save(d / "huge.png")
    (d / "sub").mkdir()
    factory.image(d / "sub" / "ok.png", "PNG")
    (d / ".hidden.png").write_bytes((d / "sub" / "ok.png").read_bytes())
    (d / "ok.png.license").write_text("SPDX-License-Identifier: CC0-1.0\n")
    return d


def build(tmp: Path) -> list[Path]:
    """Every extra fixture folder, for the 'every code is produced' test."""
    from hostile import build as hostile

    (tmp / "hostile").mkdir()
    dirs = [build_edges(tmp / "edges"), hostile.build(tmp / "hostile")]
    try:
        import fixtures_rights
    except ImportError:
        return dirs
    import fixtures_access

    return [*dirs, fixtures_rights.build_rights(tmp / "rights"),
            fixtures_access.build_access(tmp / "access")]
