"""The metadata readers run during a probe (rights, privacy).  Filled in by later work."""

from __future__ import annotations

from mediaaudit.probe.run import FileReader, ImageReader


def image_readers() -> list[ImageReader]:
    return []


def file_readers() -> list[FileReader]:
    return []
