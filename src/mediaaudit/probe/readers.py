"""The metadata readers run during a probe (rights, privacy, portrait facts).

Image readers receive the already-open Pillow image (no second open); file readers get
the path, the first bytes and libmagic's MIME type, for what Pillow does not expose.
"""

from __future__ import annotations

from typing import Any

from mediaaudit.codes import CodeId
from mediaaudit.probe import (
    c2pa,
    c2pa_read,
    captions,
    exif,
    iptc,
    pngtext,
    sidecars,
    structure,
    xmp,
)
from mediaaudit.probe.partial import Partial
from mediaaudit.probe.run import FileReader, ImageReader


def image_readers() -> list[ImageReader]:
    return [guarded(exif.read_exif, "EXIF"), guarded(iptc.read_iptc, "IPTC"),
            guarded(pngtext.read_png_text, "PNG text"), xmp.read_image_xmp]


def file_readers() -> list[FileReader]:
    """The structure check first and unguarded here: if it cannot run, the file's
    completeness is unknown, which the probe's guard reports as 'could not audit'.  A
    metadata reader that fails costs its block only (MA-IO-009): the format verdict still
    stands, so a readable file fails or passes, it does not become an error."""
    return [structure.check_structure,
            guarded_file(xmp.read_container_xmp, "XMP"),
            guarded_file(sidecars.read_sidecars, "sidecar"),
            guarded_file(exif.read_exif_fallback, "EXIF"),
            guarded_file(captions.read_captions, "captions"),
            guarded_file(captions.read_alt_text, "alt text"),
            guarded_file(c2pa.detect, "C2PA"),
            guarded_file(c2pa_read.read_c2pa, "C2PA"),
            guarded_file(pngtext.read_png_late, "PNG text"),
            guarded_file(exif.read_flir_gps, "FLIR")]


def guarded(read: ImageReader, block: str) -> ImageReader:
    """A damaged metadata block costs that block (MA-IO-009), not the file's audit."""

    def run(im: Any, part: Partial) -> None:
        try:
            read(im, part)
        except Exception as exc:
            part.note(CodeId.METADATA_DAMAGED, block, block=block, reason=type(exc).__name__)

    run.__name__ = getattr(read, "__name__", block)
    return run


def guarded_file(read: FileReader, block: str) -> FileReader:
    """``guarded`` for file readers; a vanished or unreadable file is still an I/O
    problem of the whole file, so OSError goes on to the probe's guard."""

    def run(path: str, head: bytes, mime: str | None, part: Partial) -> None:
        try:
            read(path, head, mime, part)
        except OSError as exc:
            if exc.errno is not None:  # real I/O; a library's parse error has no errno
                raise
            part.note(CodeId.METADATA_DAMAGED, block, block=block, reason=type(exc).__name__)
        except Exception as exc:
            part.note(CodeId.METADATA_DAMAGED, block, block=block, reason=type(exc).__name__)

    run.__name__ = getattr(read, "__name__", block)
    return run
