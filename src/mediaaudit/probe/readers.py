"""The metadata readers run during a probe (rights, privacy, portrait facts).

Image readers receive the already-open Pillow image (no second open); file readers get
the path, the first bytes and libmagic's MIME type, for what Pillow does not expose.
"""

from __future__ import annotations

from mediaaudit.probe import exif, iptc, pngtext, sidecars, xmp
from mediaaudit.probe.run import FileReader, ImageReader


def image_readers() -> list[ImageReader]:
    return [exif.read_exif, iptc.read_iptc, pngtext.read_png_text, xmp.read_image_xmp]


def file_readers() -> list[FileReader]:
    return [xmp.read_container_xmp, sidecars.read_sidecars, exif.read_exif_fallback]
