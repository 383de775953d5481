"""Pillow: image dimensions and frame count from the header (no pixel decode).

``Image.open`` reads only headers; we never call ``load()`` here (that is ``--deep``), so
a 24 MP JPEG costs well under a millisecond.  The open image is handed to the metadata
readers so a file is opened by Pillow only once.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable
from typing import Any

from PIL import Image

from mediaaudit.codes import CodeId
from mediaaudit.probe.partial import Partial

_HEIF_TRIED = False


def _register_heif() -> None:
    """Use pillow-heif when the ``heif`` extra is installed; silently skip otherwise."""
    global _HEIF_TRIED
    if _HEIF_TRIED:
        return
    _HEIF_TRIED = True
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:
        pass


def heif_available() -> bool:
    _register_heif()
    return "HEIF" in Image.OPEN


def probe_image(
    path: str, part: Partial, readers: list[Callable[[Any, Partial], None]], deep: bool = False
) -> bool:
    """Fill image props; return False when Pillow cannot open the file at all.

    Pillow's warnings about odd files (e.g. 'Tag data larger than file') are silenced:
    damage is reported through findings, not as noise on the user's terminal."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _probe_image(path, part, readers, deep)


def _probe_image(
    path: str, part: Partial, readers: list[Callable[[Any, Partial], None]], deep: bool
) -> bool:
    _register_heif()
    try:
        im = Image.open(path)
    except Image.DecompressionBombError as exc:
        m = re.search(r"\((\d+) pixels\)", str(exc))
        part.note(CodeId.DECOMPRESSION_BOMB, "pillow", pixels=int(m.group(1)) if m else "?")
        return True
    except Exception as exc:  # e.g. a TypeError in a Pillow plugin on a Canon CR2
        # Pillow not opening a file is a fact about the file, not a failed audit: the
        # format verdict (and MediaInfo) still decide, so a readable CR2 fails, never errors.
        part.props["pillow_error"] = f"{type(exc).__name__}: {exc}"[:200]
        return False
    with im:
        part.props["width"], part.props["height"] = im.size
        part.props["pillow_format"] = im.format
        short = _data_beyond_eof(im, os.path.getsize(path))
        if short:
            part.note(CodeId.DAMAGED, "pillow", reason=short)
        try:  # counting frames seeks every IFD: a CR2's raw IFD has no dimensions
            frames = getattr(im, "n_frames", 1)
        except Exception:
            frames = 1
        part.props["frames"] = int(frames) if isinstance(frames, int) else 1
        for read in readers:
            read(im, part)
        if deep:
            _deep_check(path, im, part)
    return True


_FILE_OFFSET_TILES = {"TIFF", "BMP", "DIB", "PPM", "TGA", "SGI", "PCX", "IM"}
# Bits per pixel of a raw mode without a ``;N`` suffix.  Only modes whose size is certain:
# an unknown one gives no opinion (a guess too large called valid files damaged).
_RAW_BITS = {"1": 1, "L": 8, "P": 8, "LA": 16, "PA": 16, "RGB": 24, "BGR": 24, "YCbCr": 24,
             "RGBA": 32, "BGRA": 32, "RGBX": 32, "BGRX": 32, "CMYK": 32, "I": 32, "F": 32}


def _raw_bits(rawmode: str) -> int | None:
    """Bits per pixel *as stored* for a Pillow raw mode: "P;4" → 4, "I;16" → 16,
    "BGR;15" → 16 (5-5-5 in two bytes), "RGB" → 24.  The stored depth, not the decoded
    mode's: a 4-bit BMP decodes to "P" (8 bits) but holds half a byte per pixel."""
    base, _, suffix = rawmode.partition(";")
    digits = ""
    for c in suffix:
        if not c.isdigit():
            break
        digits += c
    if digits:
        n = int(digits)
        return 16 if n == 15 else n
    return _RAW_BITS.get(base)


def _data_beyond_eof(im: Any, size: int) -> str | None:
    """A header-only truncation check: does the header place pixel data past the end?

    Only for formats whose tiles are byte ranges of the file itself; for HEIF/AVIF the
    'tile' is decoded data (a valid AVIF was called damaged), and the structural walk in
    ``structure`` covers JPEG, PNG, GIF and TIFF.  The bytes a raw tile needs follow the
    stored bit depth and the row stride the header declares; when neither is known the
    check has no opinion."""
    if im.format not in _FILE_OFFSET_TILES:
        return None
    for tile in getattr(im, "tile", None) or []:
        offset = tile.offset if hasattr(tile, "offset") else tile[2]
        if offset >= size:
            return f"image data starts at byte {offset}, file has {size}"
        name = tile.codec_name if hasattr(tile, "codec_name") else tile[0]
        args = tile.args if hasattr(tile, "args") else tile[3]
        if name != "raw" or not isinstance(args, tuple) or not args:
            continue
        bits = _raw_bits(str(args[0]))
        if bits is None:
            continue
        x0, y0, x1, y1 = tile.extents if hasattr(tile, "extents") else tile[1]
        row = ((x1 - x0) * bits + 7) // 8
        stride = args[1] if len(args) > 1 and isinstance(args[1], int) and args[1] > 0 else row
        need = offset + stride * max(0, y1 - y0 - 1) + row
        if need > size:
            return f"image data needs {need} bytes, file has {size}"
    return None


def _deep_check(path: str, im: Any, part: Partial) -> None:
    """``--deep``: verify chunk checksums (PNG CRCs) and decode every pixel of every frame
    (animated GIF/PNG/WebP, multi-page TIFF).  Any exception a decoder raises is a fact
    about this file, never a failed audit; it is damage only when libav cannot decode the
    file either (``run._not_read``)."""
    frame = 0
    try:
        with Image.open(path) as fresh:
            fresh.verify()
        for frame in range(max(1, int(getattr(im, "n_frames", 1) or 1))):
            if frame:
                im.seek(frame)
            im.load()
    except Exception as exc:  # Pillow raises IndexError, RuntimeError, struct.error, ...
        from mediaaudit.probe.run import _not_read

        _not_read(path, part, "Pillow", f"decode: {exc}"[:200], frames=frame + 1,
                  mime=Image.MIME.get(str(im.format)))
