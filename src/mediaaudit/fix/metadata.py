"""Carry rights metadata, descriptions and captions from an original to its derivative,
and remove location, serial numbers and owner names when asked.

Images: exiv2 (pyexiv2, whose wheel bundles libexiv2) copies the EXIF, IPTC-IIM and XMP
blocks whole from the original (HEIC/AVIF/WebP included) into the derivative, so
licence, holder, credit, usage terms, alt text, DigitalSourceType, model release and
persons shown arrive unchanged, in every language; then the tags that no longer describe
the new file are corrected (orientation, pixel size) and, with ``strip``, the privacy
tags deleted.  Video: the container tags are handed to the muxer (``video``) and the
XMP packet goes into the standard MP4 ``uuid`` box, appended at the end of the file
where it moves no sample offsets.  XMP is edited by exiv2 too, never by hand.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Mapping
from typing import Any

from mediaaudit.probe.xmp import XMP_UUID, bmff_packets

# Key fragments (exiv2 key names) that are location, serial numbers or owner names.
_GPS = ("GPS",)
_SERIAL = ("SerialNumber",)
_OWNER = ("OwnerName",)
# Container tag keys (lower case) that hold a position, a serial or an owner.
_TAG_STRIP = ("location", "xyz", "gps", "serial", "owner")
# Container tags that describe the old file, not the derivative.
_TAG_DROP = frozenset({"major_brand", "minor_version", "compatible_brands", "encoder",
                       "handler_name", "vendor_id", "duration"})
# Tag keys whose values the fix manifest names when they were carried.
RIGHTS_TAGS = ("copyright", "license", "licence", "artist", "terms_of_use", "rights")


def _quiet() -> Any:
    import pyexiv2

    pyexiv2.set_log_level(4)
    return pyexiv2


def privacy_key(key: str) -> bool:
    """Is this exiv2 key (``Exif.GPSInfo.GPSLatitude``, ``Xmp.aux.SerialNumber``, a
    struct path such as ``Xmp.iptcExt.LocationShown[1]/Iptc4xmpExt:GPSLatitude``) a
    position, a device serial number or an owner's name?"""
    if key.startswith("Exif.GPSInfo.") or key == "Exif.Image.GPSTag":
        return True
    return any(p in key for p in _GPS + _SERIAL + _OWNER)


def _strip(img: Any) -> list[str]:
    """Delete the privacy keys from an open pyexiv2 image; the keys deleted."""
    exif = [k for k in img.read_exif() if privacy_key(k) and k != "Exif.Image.GPSTag"]
    xmp = [k for k in img.read_xmp() if privacy_key(k)]
    if exif:
        img.modify_exif(dict.fromkeys(exif))
    if xmp:
        img.modify_xmp(dict.fromkeys(xmp))
    return sorted(exif + xmp)


def copy_image(src: str, dst: str, strip: bool, size: tuple[int, int] | None) -> dict[str, Any]:
    """Copy EXIF, IPTC and XMP from ``src`` into ``dst`` (already written by ``image``),
    reset the orientation, correct the pixel size, delete privacy keys if ``strip``.
    The EXIF thumbnail is not copied: it shows the unrotated original and may show
    what a crop removed."""
    pyexiv2 = _quiet()
    with pyexiv2.Image(src) as s, pyexiv2.Image(dst) as d:
        # a JPEG comment has no place in a TIFF (exiv2 refuses it there)
        comment = not dst.lower().endswith((".tif", ".tiff"))
        s.copy_to_another_image(d, exif=True, iptc=True, xmp=True, comment=comment,
                                icc=False, thumbnail=False)
    with pyexiv2.Image(dst) as d:
        exif = d.read_exif()
        fixes: dict[str, Any] = {}
        if "Exif.Image.Orientation" in exif:
            fixes["Exif.Image.Orientation"] = "1"
        if size is not None:
            for key, val in (("Exif.Photo.PixelXDimension", size[0]),
                             ("Exif.Photo.PixelYDimension", size[1])):
                if key in exif:
                    fixes[key] = str(val)
        if fixes:
            d.modify_exif(fixes)
        removed = _strip(d) if strip else []
        return _summary(d, removed)


def strip_image(path: str) -> dict[str, Any]:
    """Remove the privacy keys from ``path`` (a byte copy of an original whose format
    already passes): the pixels are not re-encoded."""
    pyexiv2 = _quiet()
    with pyexiv2.Image(path) as d:
        return _summary(d, _strip(d))


def _summary(img: Any, removed: list[str]) -> dict[str, Any]:
    xmp = img.read_xmp()
    rights = sorted(k for k in xmp if k.split(".")[1] in (
        "cc", "dc", "xmpRights", "photoshop", "plus", "iptc", "iptcExt"))
    return {"exif_tags": len(img.read_exif()), "iptc_tags": len(img.read_iptc()),
            "xmp_properties": len(xmp), "rights_and_descriptions": rights,
            "removed": removed}


def clean_xmp(packet: bytes, strip: bool) -> tuple[bytes, list[str]]:
    """The XMP packet to put into a derivative: as it was, or (``strip``) re-serialised
    by exiv2 without the privacy properties (b"" when nothing is left).  exiv2 edits
    XMP only inside a file it knows, so the packet rides in a 1-pixel JPEG in memory."""
    if not strip:
        return packet, []
    import io

    from PIL import Image

    pyexiv2 = _quiet()
    carrier = io.BytesIO()
    Image.new("L", (1, 1)).save(carrier, "JPEG")
    with pyexiv2.ImageData(carrier.getvalue()) as d:
        d.modify_raw_xmp(packet.decode("utf-8"))
        keys = [k for k in d.read_xmp() if privacy_key(k)]
        if not keys:
            return packet, []
        d.modify_xmp(dict.fromkeys(keys))
        left = d.read_xmp()
        return (str(d.read_raw_xmp()).encode("utf-8") if left else b""), sorted(keys)


def video_xmp(path: str) -> bytes | None:
    """The original's XMP (MP4 ``uuid`` box or MOV ``moov/udta/XMP_``), if any."""
    with open(path, "rb") as f:
        packets = bmff_packets(f)
    return packets[0] if packets else None


def append_xmp_box(path: str, packet: bytes) -> None:
    """Add the XMP packet as a top-level ``uuid`` box (ISO 14496-12 §4.2, Adobe's XMP
    uuid) at the end of an MP4.  Appending moves no ``mdat`` offset, so the ``moov``
    index written by the muxer stays valid and fast start is kept."""
    with open(path, "ab") as f:
        f.write(struct.pack(">I4s", 8 + 16 + len(packet), b"uuid") + XMP_UUID + packet)
        f.flush()
        os.fsync(f.fileno())


def container_tags(tags: Mapping[str, str], strip: bool, target: str) -> tuple[
        dict[str, str], list[str]]:
    """The original's container tags for the derivative's muxer, and the keys removed.
    Matroska keys are upper case by convention; MP4 keys are written as ``mdta`` keys
    under their own (lower-case) names."""
    out: dict[str, str] = {}
    removed: list[str] = []
    for key, value in tags.items():
        low = key.lower()
        if low in _TAG_DROP:
            continue
        if strip and any(p in low for p in _TAG_STRIP):
            removed.append(key)
            continue
        out[key.upper() if target == "mkv" else low] = value
    return out, sorted(removed)
