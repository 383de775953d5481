"""EXIF rights and privacy facts via Pillow (JPEG, PNG eXIf, WebP, TIFF, AVIF/HEIF).

Pillow decodes EXIF ASCII as Latin-1, so UTF-8 text (``Jé``) arrives as ``JÃ©``; it is
repaired here.  exifread is used only for images Pillow cannot open at all.
"""

from __future__ import annotations

import logging
from typing import Any

from mediaaudit.probe.partial import Partial

COPYRIGHT, ARTIST, GPS_IFD, EXIF_IFD = 0x8298, 0x013B, 0x8825, 0x8769
SERIALS = {0xA431: "BodySerialNumber", 0xA435: "LensSerialNumber"}
OWNER = 0xA430  # CameraOwnerName


def fix_text(value: Any) -> str:
    """Decode bytes and undo Pillow's Latin-1 reading of UTF-8 text."""
    if isinstance(value, bytes):
        for enc in ("utf-8", "cp1252"):
            try:
                return value.decode(enc).strip("\x00 ")
            except UnicodeDecodeError:
                continue
        return value.decode("latin-1").strip("\x00 ")
    s = str(value)
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def _degrees(t: Any) -> float:
    return float(t[0]) + float(t[1]) / 60 + float(t[2]) / 3600


def _gps_text(gps: Any) -> str | None:
    try:
        lat, lon = gps.get(2), gps.get(4)
        if lat is None or lon is None:
            return None
        return f"{_degrees(lat):.5f}{gps.get(1, '')} {_degrees(lon):.5f}{gps.get(3, '')}"
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return "present"


def read_exif(im: Any, part: Partial) -> None:
    """Image reader: Copyright (may hold 'photographer\\0editor'), Artist, GPS, serials."""
    if im.format == "PNG" and "exif" not in im.info:
        return  # Pillow's PNG getexif() would decode every pixel looking for a late eXIf
    ex = im.getexif()
    if not ex:
        return
    if ex.get(COPYRIGHT):
        for piece in fix_text(ex[COPYRIGHT]).split("\x00"):
            part.fact("copyright", piece, "exif:Copyright")
    if ex.get(ARTIST):
        part.fact("creator", fix_text(ex[ARTIST]), "exif:Artist")
    gps = ex.get_ifd(GPS_IFD)
    if gps and (2 in gps or 4 in gps):
        part.fact("gps", _gps_text(gps) or "present", "exif:GPS")
    sub = ex.get_ifd(EXIF_IFD)
    for tag, name in SERIALS.items():
        if sub.get(tag):
            part.fact("serial", fix_text(sub[tag]), f"exif:{name}")
    if sub.get(OWNER):
        part.fact("owner_name", fix_text(sub[OWNER]), "exif:CameraOwnerName")


def read_exif_fallback(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader: exifread, only for images Pillow could not open (e.g. HEIC without
    the heif extra).  Guarded and silenced: exifread logs to stderr on non-images."""
    if part.kind != "image" or "pillow_error" not in part.props:
        return
    import exifread

    logging.getLogger("exifread").setLevel(logging.CRITICAL)
    with open(path, "rb") as f:
        try:
            tags = exifread.process_file(f, details=False, builtin_types=True)
        except Exception:
            return
    if tags.get("Image Copyright"):
        part.fact("copyright", tags["Image Copyright"], "exif:Copyright")
    if tags.get("Image Artist"):
        part.fact("creator", tags["Image Artist"], "exif:Artist")
    if tags.get("GPS GPSLatitude") is not None:
        part.fact("gps", "present", "exif:GPS")
