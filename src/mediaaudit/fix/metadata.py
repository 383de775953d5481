"""Carry rights metadata, descriptions and captions from an original to its derivative,
and remove location, serial numbers and owner names when asked.

Images: exiv2 (pyexiv2, whose wheel bundles libexiv2) copies the EXIF, IPTC-IIM and XMP
blocks whole from the original (HEIC/AVIF/WebP included) into the derivative, so
licence, holder, credit, usage terms, alt text, DigitalSourceType, model release and
persons shown arrive unchanged, in every language and charset (IPTC-IIM bytes are
copied, never decoded: Latin-1 stays Latin-1, as ``scan`` reads it); then the tags that
no longer describe the new file are corrected (orientation, pixel size) and, with
``strip``, the privacy tags deleted.  Where exiv2 cannot open the original (a Samsung
HEIC whose ICC profile it refuses), the EXIF and XMP blocks come from the decoder
instead (Pillow and pillow-heif, the readers ``scan`` uses): they ride into the
derivative in a one-pixel carrier that exiv2 copies from.  Facts the audit found
outside the file (a REUSE sidecar, ``[[annotations]]``, an alt-text sidecar) are then
written into the derivative's XMP (``carry``), so it carries them wherever it goes.
Video: the container tags are handed to the muxer (``video``) and the
XMP packet goes into the standard MP4 ``uuid`` box, appended at the end of the file
where it moves no sample offsets.  XMP is edited by exiv2 too, never by hand.
"""

from __future__ import annotations

import contextlib
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


# EXIF groups that are the standard's own; every other group exiv2 names (Canon, Nikon3,
# Apple, Samsung2…) is decoded from the maker note, a vendor blob that may hold a serial.
_STANDARD_EXIF = frozenset({"Image", "Photo", "GPSInfo", "Iop", "Thumbnail", "Image2",
                            "Image3", "SubImage1", "SubImage2", "MpfInfo"})
# Keys are ASCII; values may be in any charset, and only keys are needed here.
_KEYS_ONLY = "latin-1"
XMP_NAMESPACES = {"cc": "http://creativecommons.org/ns#"}


def _quiet() -> Any:
    import pyexiv2

    pyexiv2.set_log_level(4)
    for prefix, uri in XMP_NAMESPACES.items():  # exiv2 knows dc, photoshop, xmpRights…
        with contextlib.suppress(Exception):  # registered already in this process
            pyexiv2.registerNs(uri, prefix)
    return pyexiv2


def privacy_key(key: str) -> bool:
    """Is this exiv2 key (``Exif.GPSInfo.GPSLatitude``, ``Xmp.aux.SerialNumber``, a
    struct path such as ``Xmp.iptcExt.LocationShown[1]/Iptc4xmpExt:GPSLatitude``) a
    position, a device serial number or an owner's name?"""
    if key.startswith("Exif.GPSInfo.") or key == "Exif.Image.GPSTag":
        return True
    return any(p in key for p in _GPS + _SERIAL + _OWNER)


def _maker_note(key: str) -> bool:
    """Is this exiv2 EXIF key the maker note or decoded from it?"""
    return key == "Exif.Photo.MakerNote" or key.split(".")[1] not in _STANDARD_EXIF


def _strip(img: Any) -> list[str]:
    """Delete the privacy keys from an open pyexiv2 image; the keys deleted.  A maker
    note is removed whole: it is a vendor's blob, in which a serial number may sit
    where no decoder names it (``scan`` reads eight vendors' serials from it)."""
    keys = list(img.read_exif(_KEYS_ONLY))
    exif = [k for k in keys if privacy_key(k) and k != "Exif.Image.GPSTag"]
    notes = [k for k in keys if _maker_note(k)]
    xmp = [k for k in img.read_xmp() if privacy_key(k)]
    if exif or notes:
        img.modify_exif(dict.fromkeys(exif + notes))
    if xmp:
        img.modify_xmp(dict.fromkeys(xmp))
    shown = [k for k in exif if not _maker_note(k)] + (
        ["Exif.Photo.MakerNote"] if notes else [])
    return sorted(shown + xmp)


def _carrier(blocks: Any) -> bytes:
    """A one-pixel JPEG holding the decoder's EXIF and XMP blocks, for exiv2 to copy
    from: exiv2 writes raw blocks only by copying them from an image it can read."""
    import io

    from PIL import Image

    out = io.BytesIO()
    extra: dict[str, Any] = {}
    if blocks.exif:
        extra["exif"] = blocks.exif
    if blocks.xmp:
        extra["xmp"] = blocks.xmp
    Image.new("L", (1, 1)).save(out, "JPEG", **extra)
    return out.getvalue()


def copy_image(src: str, dst: str, strip: bool, size: tuple[int, int] | None,
               blocks: Any = None, carry: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Copy EXIF, IPTC and XMP from ``src`` into ``dst`` (already written by ``image``),
    reset the orientation, correct the pixel size, delete privacy keys if ``strip``,
    add what the audit found outside the file (``carry``).  ``blocks`` (``image.Blocks``)
    are the decoder's view of EXIF and XMP, used when exiv2 cannot open ``src``.  The
    EXIF thumbnail is not copied: it shows the unrotated original and may show what a
    crop removed."""
    pyexiv2 = _quiet()
    # a JPEG comment has no place in a TIFF (exiv2 refuses it there)
    comment = not dst.lower().endswith((".tif", ".tiff"))
    reader = "exiv2"
    try:
        with pyexiv2.Image(src) as s, pyexiv2.Image(dst) as d:
            s.copy_to_another_image(d, exif=True, iptc=True, xmp=True, comment=comment,
                                    icc=False, thumbnail=False)
    except RuntimeError:  # exiv2 cannot read this container: the decoder's blocks
        reader = "decoder"
        if blocks is not None and (blocks.exif or blocks.xmp):
            with pyexiv2.ImageData(_carrier(blocks)) as s, pyexiv2.Image(dst) as d:
                s.copy_to_another_image(d, exif=True, iptc=False, xmp=True, comment=False,
                                        icc=False, thumbnail=False)
        else:  # nothing embedded to carry; what came from outside still is (``carry``)
            reader = "none"
    with pyexiv2.Image(dst) as d:
        exif = d.read_exif(_KEYS_ONLY)
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
        added = _add(d, carry or {})
        return {**_summary(d, removed, added), "read_by": reader}


def strip_image(path: str, carry: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Remove the privacy keys from ``path`` (a byte copy of an original whose format
    already passes): the pixels are not re-encoded."""
    pyexiv2 = _quiet()
    with pyexiv2.Image(path) as d:
        removed = _strip(d)
        return _summary(d, removed, _add(d, carry or {}))


def _add(img: Any, carry: Mapping[str, Any]) -> list[str]:
    """Write the XMP properties the audit found outside the file; the keys written."""
    if carry:
        img.modify_xmp(dict(carry))
    return sorted(carry)


def _summary(img: Any, removed: list[str], added: list[str] | None = None) -> dict[str, Any]:
    xmp = img.read_xmp()
    rights = sorted(k for k in xmp if k.split(".")[1] in (
        "cc", "dc", "xmpRights", "photoshop", "plus", "iptc", "iptcExt"))
    out = {"exif_tags": len(img.read_exif(_KEYS_ONLY)),
           "iptc_tags": len(img.read_iptc(_KEYS_ONLY)),
           "xmp_properties": len(xmp), "rights_and_descriptions": rights,
           "removed": removed}
    if added:
        out["added_from_outside"] = added
    return out


def clean_xmp(packet: bytes, strip: bool, carry: Mapping[str, Any] | None = None
              ) -> tuple[bytes, list[str]]:
    """The XMP packet to put into a derivative: as it was, or re-serialised by exiv2
    without the privacy properties (``strip``; b"" when nothing is left) and with the
    properties the audit found outside the file (``carry``).  exiv2 edits XMP only
    inside a file it knows, so the packet rides in a 1-pixel JPEG in memory."""
    if not strip and not carry:
        return packet, []
    import io

    from PIL import Image

    from mediaaudit.probe.xmp import to_utf8

    pyexiv2 = _quiet()
    carrier = io.BytesIO()
    Image.new("L", (1, 1)).save(carrier, "JPEG")
    with pyexiv2.ImageData(carrier.getvalue()) as d:
        if packet:
            d.modify_raw_xmp(to_utf8(packet).decode("utf-8", "replace"))
        keys = [k for k in d.read_xmp() if privacy_key(k)] if strip else []
        if not keys and not carry:
            return packet, []
        if keys:
            d.modify_xmp(dict.fromkeys(keys))
        _add(d, carry or {})
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
