"""PNG text chunks: rights keywords, XMP, ImageMagick raw profiles, late eXIf.

Before IDAT Pillow has already read (and decompressed) tEXt/zTXt/iTXt into ``im.info``:
the image reader takes them from there.  Pillow stops at the first IDAT, so the file
reader walks the chunk headers by seeking (never reading image data) and reads only the
text and eXIf chunks that come after IDAT.  Compressed text is inflated with a size cap.

ImageMagick keeps a JPEG's profiles in PNG as ``Raw profile type exif|iptc|8bim|xmp``
text: ``"\\nxmp\\n    1234\\n3c3f78..."`` (name, byte count, hex).
"""

from __future__ import annotations

import mmap
import struct
import zlib
from typing import Any

from mediaaudit.codes import CodeId
from mediaaudit.model import FactOrigin, FactSource
from mediaaudit.probe import exif, iptc, xmp
from mediaaudit.probe.partial import Partial

KEYWORDS = {"Copyright": "copyright", "License": "licence", "Licence": "licence",
            "Author": "creator", "Rights": "copyright"}
SIGNATURE = b"\x89PNG\r\n\x1a\n"
XMP_KEY = "XML:com.adobe.xmp"
RAW = "Raw profile type "
MAX_CHUNKS = 1 << 20
TEXT_TYPES = (b"tEXt", b"zTXt", b"iTXt")


def inflate(data: bytes, limit: int = xmp.MAX_PACKET) -> bytes:
    """zlib with a cap on the output (a small chunk can inflate to gigabytes)."""
    d = zlib.decompressobj()
    out = d.decompress(data, limit + 1)
    if len(out) > limit or d.unconsumed_tail:
        raise ValueError(f"compressed text inflates beyond {limit} bytes")
    return out


def unhex_profile(text: str | bytes) -> bytes:
    """The bytes of an ImageMagick raw profile (name line, length line, hex lines)."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    parts = text.split(None, 2)
    if len(parts) < 3 or not parts[1].isdigit():
        raise ValueError("not an ImageMagick raw profile")
    n = int(parts[1])
    if n > xmp.MAX_PACKET:
        raise ValueError(f"raw profile of {n} bytes")
    return bytes.fromhex("".join(parts[2].split())[: 2 * n])


def text_facts(items: list[tuple[str, bytes, bool]], part: Partial, where: str) -> None:
    """Facts from (keyword, value bytes, value-is-UTF-8) text chunks."""
    raw: dict[str, bytes] = {}
    for key, value, utf8 in items:
        fld = KEYWORDS.get(key)
        if fld:
            part.fact(fld, value.decode("utf-8" if utf8 else "latin-1", "replace"),
                      FactSource(FactOrigin.PNG, key))
        elif key == XMP_KEY:
            xmp.add_packet(value, part)
        elif key.startswith(RAW):
            try:
                raw.setdefault(key[len(RAW):].lower(), unhex_profile(value))
            except ValueError as exc:
                part.note(CodeId.METADATA_DAMAGED, where, block=key, reason=str(exc)[:80])
    profile_facts(raw, part)


def profile_facts(raw: dict[str, bytes], part: Partial) -> None:
    app1 = raw.get("app1", b"")  # older ImageMagick: the JPEG APP1 payload as is
    if app1.startswith(b"Exif\0\0"):
        raw.setdefault("exif", app1)
    elif app1.startswith(b"http://ns.adobe.com/xap/1.0/\0"):
        raw.setdefault("xmp", app1[29:])
    if "xmp" in raw:
        xmp.add_packet(raw["xmp"], part)
    if "exif" in raw:
        exif.read_exif_bytes(raw["exif"], part)
    irb = iptc.parse_irb(raw["8bim"]) if "8bim" in raw else {}
    if "iptc" in raw and raw["iptc"][:1] == b"8":  # some writers put the IRB here
        irb, raw["iptc"] = iptc.parse_irb(raw["iptc"]), b""
    iim = raw.get("iptc") or irb.get(iptc.IPTC_RESOURCE)
    if iim:
        iptc.iim_facts(iim, part, irb.get(iptc.DIGEST_RESOURCE))


def _zero_rational(text: str) -> bool:
    try:
        return all(float(n) == 0 for x in text.split(",") for n in x.split("/")[:1])
    except ValueError:
        return False


def magick_exif_text(text: dict[str, bytes], part: Partial) -> None:
    """ImageMagick's ``exif:Copyright`` / ``exif:Artist`` / ``exif:GPSLatitude`` text
    chunks (written after IDAT); used only when the file has no EXIF block itself."""
    for key, fld in (("exif:Copyright", "copyright"), ("exif:Artist", "creator")):
        if key in text:
            part.fact(fld, text[key].decode("utf-8", "replace"), FactSource(FactOrigin.PNG, key))
    lat = text.get("exif:GPSLatitude", b"").decode("latin-1")
    lon = text.get("exif:GPSLongitude", b"").decode("latin-1")
    if (lat or lon) and not (_zero_rational(lat or "0") and _zero_rational(lon or "0")):
        part.fact("gps", f"{lat} {lon}".strip(), FactSource(FactOrigin.PNG, "exif:GPSLatitude"))


def read_png_text(im: Any, part: Partial) -> None:
    """Image reader: the text chunks before IDAT, as Pillow decoded them."""
    if im.format != "PNG":
        return
    items: list[tuple[str, bytes, bool]] = []
    for key, val in im.info.items():
        if not isinstance(key, str) or not isinstance(val, str):
            continue
        if key in KEYWORDS or key.startswith(RAW) or (key == XMP_KEY and "xmp" not in im.info):
            # Pillow decodes tEXt/zTXt as Latin-1 (lossless back to bytes); iTXt as UTF-8
            is_itxt = type(val).__name__ == "iTXt"
            items.append((key, val.encode("utf-8" if is_itxt else "latin-1"), is_itxt))
    text_facts(items, part, "PNG text")


def _chunk_text(typ: bytes, data: bytes) -> tuple[str, bytes, bool] | None:
    key, sep, rest = data.partition(b"\0")
    if not sep or not key:
        return None
    name = key.decode("latin-1")
    if typ == b"tEXt":
        return name, rest, False
    if typ == b"zTXt":
        return (name, inflate(rest[1:]), False) if rest[:1] == b"\0" else None
    if len(rest) < 2:
        return None
    flag, method, rest = rest[0], rest[1], rest[2:]
    _lang, _, rest = rest.partition(b"\0")
    _tkey, _, text = rest.partition(b"\0")
    if flag:
        if method != 0:
            return None
        text = inflate(text)
    return name, text, True


def read_png_late(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader: text and eXIf chunks after the first IDAT (Pillow never sees them)."""
    if not head.startswith(SIGNATURE):
        return
    items: list[tuple[str, bytes, bool]] = []
    late_exif: bytes | None = None
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        # mmap: a chunk header costs no system call (a 70 MB PNG has ~2,000 IDAT chunks)
        size = len(mm)
        off, seen_idat = 8, False
        for _ in range(MAX_CHUNKS):
            if off + 12 > size:
                break
            n, typ = struct.unpack_from(">I4s", mm, off)
            if typ == b"IEND" or off + 12 + n > size:
                break
            if typ == b"IDAT":
                seen_idat = True
            elif seen_idat and typ in TEXT_TYPES and n <= xmp.MAX_PACKET:
                try:
                    item = _chunk_text(typ, mm[off + 8:off + 8 + n])
                except (ValueError, zlib.error) as exc:
                    part.note(CodeId.METADATA_DAMAGED, "PNG text", block=typ.decode(),
                              reason=str(exc)[:80])
                    item = None
                if item:
                    items.append(item)
            elif seen_idat and typ == b"eXIf" and n <= xmp.MAX_PACKET and late_exif is None:
                late_exif = mm[off + 8:off + 8 + n]
            off += 12 + n
    text_facts(items, part, "PNG text")
    if not late_exif and not any(m.source.origin is FactOrigin.EXIF for m in part.meta):
        magick_exif_text({k: v for k, v, _ in items if k.startswith("exif:")}, part)
    if late_exif:
        try:
            exif.read_exif_bytes(late_exif, part)
        except Exception as exc:  # a damaged block costs that block, not the audit
            part.note(CodeId.METADATA_DAMAGED, "EXIF", block="EXIF", reason=type(exc).__name__)
