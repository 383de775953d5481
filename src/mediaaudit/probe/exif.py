"""EXIF rights and privacy facts via Pillow (JPEG, PNG eXIf, WebP, TIFF, AVIF/HEIF).

Pillow decodes EXIF ASCII as Latin-1, so UTF-8 text (``Jé``) arrives as ``JÃ©``; it is
repaired here.  exifread is used only for images Pillow cannot open at all.
"""

from __future__ import annotations

import logging
import re
import struct
from collections.abc import Iterator
from typing import Any

from mediaaudit.model import FactOrigin, FactSource
from mediaaudit.probe.partial import Partial

COPYRIGHT, ARTIST, GPS_IFD, EXIF_IFD = 0x8298, 0x013B, 0x8825, 0x8769
MAKE, MODEL, MAKERNOTE = 0x010F, 0x0110, 0x927C
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


def _zero(t: Any) -> bool:
    try:
        return all(float(x) == 0 for x in t)
    except (TypeError, ValueError, ZeroDivisionError):
        return False


def _gps_text(gps: Any) -> str | None:
    """The position, "present" when it cannot be read, None when there is none: absent
    or empty coordinates and 0,0 (a writer's default, not a place) are no position."""
    lat, lon = gps.get(2), gps.get(4)
    if not lat and not lon:
        return None
    if (not lat or _zero(lat)) and (not lon or _zero(lon)):
        return None
    try:
        if not lat or not lon:
            return "present"
        return f"{_degrees(lat):.5f}{gps.get(1, '')} {_degrees(lon):.5f}{gps.get(3, '')}"
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return "present"


def exif_block(im: Any) -> bytes | None:
    """The EXIF block Pillow exposes for an open image, as ``Exif\\0\\0`` + TIFF (pillow-heif
    gives the bare TIFF block); None when there is none.  Shared with ``fix``, which
    carries this block where exiv2 cannot read the container."""
    raw = im.info.get("exif")
    if not isinstance(raw, bytes | bytearray) or not raw:
        return None
    raw = bytes(raw)
    return raw if raw.startswith(b"Exif\x00\x00") else b"Exif\x00\x00" + raw


def read_exif(im: Any, part: Partial) -> None:
    """Image reader: Copyright (may hold 'photographer\\0editor'), Artist, GPS, serials."""
    if im.format == "PNG" and "exif" not in im.info:
        return  # Pillow's PNG getexif() would decode every pixel looking for a late eXIf
    ex = im.getexif()
    if not ex:
        return
    exif_facts(ex, part, exif_block(im))


def read_exif_bytes(data: bytes, part: Partial) -> None:
    """EXIF from a raw block ("Exif\\0\\0" + TIFF, or TIFF): PNG eXIf after IDAT and
    ImageMagick's "Raw profile type exif"."""
    from PIL import Image

    ex = Image.Exif()
    ex.load(data)
    if ex:
        exif_facts(ex, part, data)


def _exif(tag: str) -> FactSource:
    return FactSource(FactOrigin.EXIF, tag)


def exif_facts(ex: Any, part: Partial, raw: bytes | None = None) -> None:
    """Facts from a Pillow ``Exif``; ``raw`` (the block it came from) lets the maker note
    be read where its offsets count from the TIFF header."""
    if ex.get(COPYRIGHT):
        for piece in fix_text(ex[COPYRIGHT]).split("\x00"):
            part.fact("copyright", piece, _exif("Copyright"))
    if ex.get(ARTIST):
        part.fact("creator", fix_text(ex[ARTIST]), _exif("Artist"))
    gps = ex.get_ifd(GPS_IFD)
    if gps:
        where = _gps_text(gps)
        if where:
            part.fact("gps", where, _exif("GPS"))
    sub = ex.get_ifd(EXIF_IFD)
    for tag, name in SERIALS.items():
        if sub.get(tag):
            part.fact("serial", fix_text(sub[tag]), _exif(name))
    if sub.get(OWNER):
        part.fact("owner_name", fix_text(sub[OWNER]), _exif("CameraOwnerName"))
    if ex.get(MAKE):
        part.props.setdefault("exif_make", fix_text(ex[MAKE]))
    note = sub.get(MAKERNOTE)
    if isinstance(note, bytes) and note:
        tiff = raw[6:] if raw and raw.startswith(b"Exif\x00\x00") else raw
        for vendor, mn_tag, value in makernote_serials(note, tiff, str(ex.get(MAKE) or ""),
                                                       str(ex.get(MODEL) or "")):
            part.fact("serial", value, FactSource(FactOrigin.MAKERNOTE, f"{vendor}:{mn_tag}"))


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
        part.fact("copyright", tags["Image Copyright"], _exif("Copyright"))
    if tags.get("Image Artist"):
        part.fact("creator", tags["Image Artist"], _exif("Artist"))
    lat, lon = tags.get("GPS GPSLatitude"), tags.get("GPS GPSLongitude")
    if lat is not None and not (_zero(_ratios(lat)) and _zero(_ratios(lon))):
        part.fact("gps", "present", _exif("GPS"))


def _ratios(value: Any) -> list[float]:
    """exifread's coordinate ([Ratio, ...] or "[52, 6, 0]") as numbers; [] when absent."""
    vals = getattr(value, "values", value)
    if isinstance(vals, list | tuple):
        return [float(v) for v in vals]
    try:
        return [float(x) for x in str(vals).strip("[] ").split(",") if x.strip()]
    except ValueError:
        return [1.0]


# --- maker notes: device serial numbers -------------------------------------------------
# A small bounded IFD walker over the maker note bytes Pillow already holds (no file I/O).
# exifread (details=True) was measured: it misses the Olympus Equipment IFD, Panasonic and
# the Nikon D70 serial, and costs up to 80 ms on some Sony/Olympus notes.

_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8, 13: 4}
# vendor → {tag: name} in the maker note's main IFD
_MN_TAGS: dict[str, dict[int, str]] = {
    "Canon": {0x000C: "SerialNumber", 0x0096: "InternalSerialNumber"},
    "Nikon": {0x001D: "SerialNumber", 0x00A0: "SerialNumber"},
    "Olympus": {0x0404: "SerialNumber"},
    "Panasonic": {0x0025: "InternalSerialNumber"},
    "Fujifilm": {0x0010: "InternalSerialNumber"},
    "Sony": {0x2031: "SerialNumber"},
    "Pentax": {0x0229: "SerialNumber"},  # + CameraInfo (0x0215) int32u[4]
    "Sigma": {0x0002: "SerialNumber"},
}
_OLYMPUS_EQUIPMENT = {0x0101: "SerialNumber", 0x0102: "InternalSerialNumber"}


def _ifd(buf: bytes, off: int, bo: str, base: int) -> Iterator[tuple[int, int, bytes]]:
    """(tag, type, value bytes) of one IFD; offsets count from ``base``; bounded."""
    if off < 0 or off + 2 > len(buf):
        return
    n = struct.unpack(bo + "H", buf[off:off + 2])[0]
    for i in range(min(n, 512)):
        e = off + 2 + 12 * i
        if e + 12 > len(buf):
            return
        tag, typ, count = struct.unpack(bo + "HHI", buf[e:e + 8])
        size = _TYPE_SIZE.get(typ, 1) * count
        if size <= 4:
            yield tag, typ, buf[e + 8:e + 8 + size]
        elif size <= 1 << 16:
            at = base + struct.unpack(bo + "I", buf[e + 8:e + 12])[0]
            if at >= 0 and at + size <= len(buf):
                yield tag, typ, buf[at:at + size]


def _value(typ: int, data: bytes, bo: str) -> str:
    if typ in (3, 4) and len(data) == 4:  # exiftool reads such 4 bytes as one int32u
        return str(struct.unpack(bo + "I", data)[0])
    return data.split(b"\x00")[0].strip().decode("latin-1")


def _layout(note: bytes, tiff: bytes | None, make: str) -> tuple[str, bytes, int, str, int] | None:
    """(vendor, buffer, IFD offset, byte order, offset base) for the maker note formats of
    exiftool's MakerNotes.pm that carry a serial number."""
    tbo = "<" if (tiff or b"II")[:2] == b"II" else ">"
    at = tiff.find(note) if tiff else -1
    # formats whose offsets count from the TIFF header need the whole block
    full, pos = (tiff, at) if tiff is not None and at >= 0 else (note, 0)
    rel_tiff = 0 if full is tiff else -(1 << 40)  # no TIFF block: such offsets are unusable
    m = make.upper()
    if note.startswith(b"Nikon\x00\x02") and note[10:12] in (b"II", b"MM"):
        bo = "<" if note[10:12] == b"II" else ">"
        return "Nikon", note, 10 + struct.unpack(bo + "I", note[14:18])[0], bo, 10
    if note.startswith(b"OLYMPUS\x00") and note[8:10] in (b"II", b"MM"):
        return "Olympus", note, 12, "<" if note[8:10] == b"II" else ">", 0
    if note.startswith(b"OM SYSTEM\x00"):
        return "Olympus", note, 16, "<" if note[12:14] == b"II" else ">", 0
    if note.startswith((b"OLYMP\x00", b"EPSON\x00")):
        return "Olympus", full, pos + 8, tbo, rel_tiff
    if note.startswith(b"FUJIFILM"):
        return "Fujifilm", note, struct.unpack("<I", note[8:12])[0], "<", 0
    if note.startswith(b"Panasonic\x00"):
        return "Panasonic", full, pos + 12, tbo, rel_tiff
    if note.startswith((b"SONY DSC ", b"SONY CAM ")):
        return "Sony", full, pos + 12, tbo, rel_tiff
    if note.startswith(b"AOC\x00") and note[4:6] in (b"II", b"MM"):
        return "Pentax", full, pos + 6, "<" if note[4:6] == b"II" else ">", rel_tiff
    if note.startswith((b"SIGMA\x00", b"FOVEON\x00")):
        return "Sigma", full, pos + 10, tbo, rel_tiff
    if m.startswith("CANON"):
        return "Canon", full, pos, tbo, rel_tiff
    return None


def makernote_serials(note: bytes, tiff: bytes | None, make: str,
                      model: str = "") -> list[tuple[str, str, str]]:
    """(vendor, tag name, value) of the serial numbers in a maker note; [] if none."""
    lay = _layout(note, tiff, make)
    if lay is None:
        return []
    vendor, buf, off, bo, base = lay
    names = _MN_TAGS[vendor]
    out: list[tuple[str, str, str]] = []
    for tag, typ, data in _ifd(buf, off, bo, base):
        if tag in names:
            val = _value(typ, data, bo)
            if vendor == "Canon" and tag == 0x000C and val.isdigit():
                val = f"{int(val):06d}" if "EOS-1D" in model else f"{int(val):010d}"
            elif vendor == "Panasonic":
                pm = re.match(r"([A-Z][0-9A-Z]{2})(\d\d)(\d\d)(\d\d)(\d{4})", val)
                val = f"({pm[1]}) 20{pm[2]}:{pm[3]}:{pm[4]} no. {pm[5]}" if pm else val
            out.append((vendor, names[tag], val))
        elif vendor == "Pentax" and tag == 0x0215 and len(data) >= 20:
            out.append((vendor, "InternalSerialNumber",
                        str(struct.unpack(bo + "I", data[16:20])[0])))
        elif vendor == "Olympus" and tag == 0x2010 and len(data) >= 4:
            sub = struct.unpack(bo + "I", data[:4])[0] if typ in (4, 13) else None
            if typ == 7:  # the Equipment IFD stored inline as a blob
                sub = buf.find(data) - base
            if sub is not None:
                for t2, ty2, d2 in _ifd(buf, base + sub, bo, base):
                    if t2 in _OLYMPUS_EQUIPMENT:
                        out.append((vendor, _OLYMPUS_EQUIPMENT[t2], _value(ty2, d2, bo)))
    return [(v, t, x) for v, t, x in out if x.strip(" 0")]


# --- FLIR thermal cameras: GPS in the APP1 'FLIR' FFF record 0x2b --------------------------


def flir_gps(fff: bytes) -> tuple[float, float] | None:
    """(lat, lon) of a valid GPS record in FLIR FFF data (exiftool FLIR.pm: the header's
    version at 0x14 picks the directory's byte order; the directory at 0x18 holds 0x20-byte
    entries: type, ..., offset at 0x0c, length at 0x10)."""
    if not fff.startswith(b"FFF\0") or len(fff) < 0x40:
        return None
    for bo in (">", "<"):
        if 100 <= struct.unpack_from(bo + "I", fff, 0x14)[0] < 200:
            break
    else:
        return None
    pos, num = struct.unpack_from(bo + "II", fff, 0x18)
    for i in range(min(num, 256)):
        e = pos + 0x20 * i
        if e + 0x14 > len(fff):
            break
        if struct.unpack_from(bo + "H", fff, e)[0] != 0x2B:
            continue
        rp, rl = struct.unpack_from(bo + "II", fff, e + 0x0C)
        if rl < 0x20 or rp + 0x20 > len(fff):
            return None
        # the GPS record itself is always little-endian (FLIR.pm: ByteOrder LittleEndian)
        if struct.unpack_from("<I", fff, rp)[0] != 1:  # GPSValid
            return None
        lat, lon = struct.unpack_from("<dd", fff, rp + 0x10)
        return (lat, lon) if (lat, lon) != (0.0, 0.0) else None
    return None


def read_flir_gps(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader: only for JPEGs whose EXIF Make is FLIR (no cost for other files)."""
    if not str(part.props.get("exif_make", "")).upper().startswith("FLIR"):
        return
    from mediaaudit.probe.xmp import jpeg_segments

    pieces: dict[int, bytes] = {}
    total = 0
    with open(path, "rb") as f:
        for marker, length in jpeg_segments(f):
            if marker == 0xE1 and total < 64 << 20:
                seg = f.read(length)
                if seg.startswith(b"FLIR\0") and len(seg) > 8:
                    pieces.setdefault(seg[6], seg[8:])
                    total += length
    where = flir_gps(b"".join(pieces[k] for k in sorted(pieces)))
    if where:
        part.fact("gps", f"{where[0]:.5f} {where[1]:.5f}", FactSource(FactOrigin.FLIR, "GPS"))

