"""Convert a still image to JPEG, PNG or TIFF with Pillow (HEIC/HEIF via pillow-heif).

Pixels only: metadata is carried by ``metadata`` afterwards, from the original, so the
EXIF, IPTC and XMP blocks arrive whole rather than through Pillow's partial view.  The
ICC profile is passed to the encoder (colours stay right) and the EXIF orientation is
applied to the pixels (``metadata`` then resets the tag to 1), because a viewer that
ignores the tag would otherwise show the photo on its side.
"""

from __future__ import annotations

import struct
from typing import Any

from PIL import Image, ImageOps

from mediaaudit.fix.plan import Options, image_target

JPEG_QUALITY = 93  # visually lossless for photographs, ~1/3 of the size of 100
LOSSLESS_FORMATS = frozenset({"BMP", "GIF", "PCX", "TGA", "PPM", "ICO", "DIB", "XBM", "SGI",
                              "PNG", "TIFF", "QOI"})
_PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I;16", "I"})


class ImageUnfixable(Exception):
    """The original cannot be converted; the message is for the user."""


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


def convert_image(src: str, dst: str, opts: Options) -> dict[str, Any]:
    """Write ``src`` as the format the rule chooses to ``dst`` (a temporary name);
    returns what was done, for the fix manifest."""
    _register()
    try:
        im = Image.open(src)
        im.load()
    except Image.DecompressionBombError as exc:
        raise ImageUnfixable(f"decompression bomb: {exc}") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageUnfixable(f"cannot decode the image: {exc}") from exc
    with im:
        if getattr(im, "n_frames", 1) > 1:
            raise ImageUnfixable("animated image: a still format would drop frames")
        lossless = im.format in LOSSLESS_FORMATS or (im.format == "WEBP" and webp_lossless(src)) \
            or im.mode in ("1", "P")
        target = image_target(opts, has_alpha(im), lossless)
        icc = im.info.get("icc_profile")
        turned = ImageOps.exif_transpose(im)
        out = turned if turned is not None else im
        settings: dict[str, Any] = {"format": target, "source_format": im.format,
                                    "source_mode": im.mode, "icc_profile": bool(icc),
                                    "orientation_applied": out is not im}
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
    return settings
