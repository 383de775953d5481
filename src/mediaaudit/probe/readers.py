"""The metadata readers run during a probe (rights, privacy, portrait facts).

Image readers receive the already-open Pillow image (no second open); file readers get
the path, the first bytes and libmagic's MIME type, for what Pillow does not expose.
"""

from __future__ import annotations

from typing import Any

from mediaaudit.probe import (
    c2pa,
    c2pa_read,
    captions,
    exif,
    integrity,
    iptc,
    pngtext,
    sidecars,
    xmp,
)
from mediaaudit.probe.partial import Partial
from mediaaudit.probe.run import FileReader, ImageReader


def image_readers() -> list[ImageReader]:
    return [guarded(exif.read_exif, "EXIF"), guarded(iptc.read_iptc, "IPTC"),
            guarded(pngtext.read_png_text, "PNG text"), xmp.read_image_xmp]


def file_readers() -> list[FileReader]:
    return [integrity.check_end, xmp.read_container_xmp, sidecars.read_sidecars,
            exif.read_exif_fallback, captions.read_captions, captions.read_alt_text,
            c2pa.detect, c2pa_read.read_c2pa]


def guarded(read: ImageReader, block: str) -> ImageReader:
    """A damaged metadata block costs that block (MA-IO-009), not the file's audit."""

    def run(im: Any, part: Partial) -> None:
        try:
            read(im, part)
        except Exception as exc:
            part.note("MA-IO-009", block, block=block, reason=type(exc).__name__)

    run.__name__ = getattr(read, "__name__", block)
    return run
