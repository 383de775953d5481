"""Convert a still image to JPEG, PNG or TIFF with Pillow (HEIC/HEIF via pillow-heif).

Pixels only: metadata is carried by ``metadata`` afterwards, from the original, so the
EXIF, IPTC and XMP blocks arrive whole rather than through Pillow's partial view.  The
ICC profile is passed to the encoder (colours stay right) and the EXIF orientation is
applied to the pixels (``metadata`` then resets the tag to 1), because a viewer that
ignores the tag would otherwise show the photo on its side.

Memory is bounded: the derivative keeps every pixel, so the original is decoded whole
(Image.draft or reduce would shrink it), but only its one frame, only when it has at
most ``Options.max_pixels`` pixels, and the decoder is let go before the encoder runs.
"""

from __future__ import annotations

import contextlib
import re
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from PIL import ExifTags, Image, ImageOps

from mediaaudit.fix.plan import Options, image_target, too_many_pixels
from mediaaudit.fix.texts import Why, plain

JPEG_QUALITY = 93  # visually lossless for photographs, ~1/3 of the size of 100
LOSSLESS_FORMATS = frozenset({"BMP", "GIF", "PCX", "TGA", "PPM", "ICO", "DIB", "XBM", "SGI",
                              "PNG", "TIFF", "QOI"})
_PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I;16", "I"})


class ImageUnfixable(Exception):
    """The original cannot be converted; the message is for the user (``why`` in
    either language)."""

    def __init__(self, message: str, why: Why | None = None) -> None:
        super().__init__(message)
        self.why = why


@dataclass(frozen=True)
class Blocks:
    """The original's EXIF (``Exif\\0\\0`` + TIFF) and XMP as the decoder exposes them
    (Pillow, pillow-heif): the blocks ``scan`` reads, kept for the originals exiv2
    cannot open (a Samsung HEIC whose ICC profile it refuses)."""

    exif: bytes | None = None
    xmp: bytes | None = None


def _blocks(im: Image.Image) -> Blocks:
    """The blocks as ``scan``'s readers take them from the open image (one reader per
    kind: ``probe.exif.exif_block``, ``probe.xmp.image_packet``)."""
    from mediaaudit.probe.exif import exif_block
    from mediaaudit.probe.xmp import image_packet

    xmp = image_packet(im) if im.format not in ("JPEG", "MPO", "GIF") else None
    return Blocks(exif_block(im), xmp)


def _register() -> None:
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:  # pragma: no cover - a declared dependency
        pass


def webp_lossless(path: str) -> bool:
    """A WebP whose image chunk is VP8L (lossless).  Walks the RIFF chunk headers only."""
    with open(path, "rb") as f:
        head = f.read(12)
        if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
            return False
        for _ in range(64):
            hdr = f.read(8)
            if len(hdr) < 8:
                return False
            typ, size = hdr[:4], struct.unpack("<I", hdr[4:])[0]
            if typ in (b"VP8L", b"VP8 "):
                return typ == b"VP8L"
            f.seek(size + (size & 1), 1)
    return False


def has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info


@contextlib.contextmanager
def _pixel_limit(limit: int) -> Iterator[None]:
    """Pillow's own guard set to ``limit``: ``Image.open`` then raises
    DecompressionBombError from the header, before a decoder allocates anything (the
    WebP decoder claims its canvases when it is created, ahead of ``load``), and its
    warning, which ``fix`` answers itself, is not printed.  Restored afterwards, so a
    conversion run in-process leaves ``scan``'s MA-IO-007 threshold as it was."""
    old = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = (limit + 1) // 2  # Pillow raises above twice this
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = old


@dataclass(frozen=True)
class _Source:
    """What the rule and the manifest need to know about the original's pixels."""

    format: str | None
    mode: str
    alpha: bool
    lossless: bool
    icc: bytes | None
    turned: bool
    blocks: Blocks = Blocks()


def _decode(src: str, limit: int, lang: str = "en") -> tuple[Image.Image, _Source]:
    """The original's only frame, decoded and turned upright, as an image that holds
    nothing of the decoder.  The opened file is dropped when this returns: Pillow's
    WebP plugin decodes through libwebp's animation decoder, which keeps two RGBA
    canvases and a byte copy of the frame (12 bytes per pixel beside the image's 4)
    until the file object goes; keeping it through the encode as well (and libjpeg's
    whole-image buffer for optimised Huffman tables, ~6 bytes per pixel) took a 294 KB
    WebP with a 13000 x 13000 canvas to 3.6 GB (issue 26).  Refused before any pixel is
    decoded: more than ``limit`` pixels, or more than one frame."""
    try:
        im = Image.open(src)
    except Image.DecompressionBombError as exc:
        m = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = int(m.group(1)) if m else limit + 1
        raise ImageUnfixable(too_many_pixels(pixels, limit),
                             plain(too_many_pixels(pixels, limit, lang))) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise _undecodable(exc) from exc
    with im:
        if im.width * im.height > limit:
            pixels = im.width * im.height
            raise ImageUnfixable(too_many_pixels(pixels, limit),
                                 plain(too_many_pixels(pixels, limit, lang)))
        if getattr(im, "n_frames", 1) > 1:
            raise ImageUnfixable("animated image: a still format would drop frames",
                                 Why("animated"))
        try:
            im.load()
        except (OSError, ValueError, SyntaxError) as exc:
            raise _undecodable(exc) from exc
        orientation = im.getexif().get(ExifTags.Base.Orientation, 1)
        turned = orientation in range(2, 9)
        lossless = im.format in LOSSLESS_FORMATS or im.mode in ("1", "P") or (
            im.format == "WEBP" and webp_lossless(src))
        source = _Source(im.format, im.mode, has_alpha(im), lossless,
                         im.info.get("icc_profile"), turned, _blocks(im))
        upright = ImageOps.exif_transpose(im) if turned else im.copy()
    return upright, source


def _undecodable(exc: Exception) -> ImageUnfixable:
    return ImageUnfixable(f"cannot decode the image: {exc}",
                          Why("cannot_decode", {"why": str(exc)}))


def convert_image(src: str, dst: str, opts: Options, lang: str = "en"
                  ) -> tuple[dict[str, Any], Blocks]:
    """Write ``src`` as the format the rule chooses to ``dst`` (a temporary name);
    returns what was done, for the fix manifest, and the original's metadata blocks
    as the decoder read them."""
    _register()
    with _pixel_limit(opts.max_pixels):
        out, source = _decode(src, opts.max_pixels, lang)
    target = image_target(opts, source.alpha, source.lossless)
    icc = source.icc
    settings: dict[str, Any] = {"format": target, "source_format": source.format,
                                "source_mode": source.mode, "icc_profile": bool(icc),
                                "orientation_applied": source.turned}
    save: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if target == "jpeg":
        if out.mode not in ("RGB", "L", "CMYK"):
            out = out.convert("RGB")
        save |= {"quality": JPEG_QUALITY, "subsampling": 0, "optimize": True}
        settings |= {"quality": JPEG_QUALITY, "chroma_subsampling": "4:4:4"}
        out.save(dst, "JPEG", **save)
    elif target == "png":
        if out.mode not in _PNG_MODES:
            out = out.convert("RGBA" if has_alpha(out) else "RGB")
        save |= {"optimize": False, "compress_level": 6}
        out.save(dst, "PNG", **save)
    else:
        if out.mode in ("P", "PA"):
            out = out.convert("RGBA" if has_alpha(out) else "RGB")
        save |= {"compression": "tiff_adobe_deflate"}
        settings |= {"compression": "Deflate"}
        out.save(dst, "TIFF", **save)
    settings["mode"] = out.mode
    settings["size"] = list(out.size)
    return settings, source.blocks
