"""XMP: find packets in every container, parse them safely, map them to facts.

Parsing uses defusedxml (a DOCTYPE, entity or external reference is refused, so an
'XML bomb' costs nothing) and matches on namespace URIs, never prefixes; the pre-2008
Creative Commons namespace is treated as the current one.  Packet finders walk
segment/box headers by seeking; they never read image or movie data.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from typing import IO, Any

from mediaaudit.probe.partial import Partial

MAX_PACKET = 4 << 20
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ALIAS = {"http://web.resource.org/cc/": "http://creativecommons.org/ns#"}
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")

NS = {
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://ns.adobe.com/xap/1.0/rights/": "xmpRights",
    "http://creativecommons.org/ns#": "cc",
    "http://ns.useplus.org/ldf/xmp/1.0/": "plus",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop",
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "Iptc4xmpCore",
    "http://iptc.org/std/Iptc4xmpExt/2008-02-29/": "Iptc4xmpExt",
    "http://ns.adobe.com/exif/1.0/": "exif",
    "http://ns.adobe.com/exif/1.0/aux/": "aux",
    "http://cipa.jp/exif/1.0/": "exifEX",
    "http://www.metadataworkinggroup.com/schemas/regions/": "mwg-rs",
    "http://ns.adobe.com/xap/1.0/": "xmp",
}
_P = {v: k for k, v in NS.items()}

# (namespace prefix, property) → normalised fact field
FIELDS = {
    ("cc", "license"): "licence",
    ("cc", "attributionName"): "attribution_name",
    ("xmpRights", "WebStatement"): "web_statement",
    ("xmpRights", "UsageTerms"): "usage_terms",
    ("xmpRights", "Marked"): "marked",
    ("xmpRights", "Owner"): "owner",
    ("dc", "rights"): "copyright",
    ("dc", "creator"): "creator",
    ("photoshop", "Credit"): "credit",
    ("plus", "CopyrightOwnerName"): "owner",
    ("plus", "LicensorName"): "licensor",
    ("plus", "ModelReleaseStatus"): "model_release",
    ("Iptc4xmpExt", "PersonInImage"): "person",
    ("Iptc4xmpExt", "ModelAge"): "model_age",
    ("Iptc4xmpExt", "DigitalSourceType"): "digital_source_type",
    ("Iptc4xmpExt", "AISystemUsed"): "ai_system",
    ("Iptc4xmpCore", "AltTextAccessibility"): "alt_text",
    ("Iptc4xmpCore", "ExtDescrAccessibility"): "ext_description",
    ("exif", "GPSLatitude"): "gps_lat",
    ("exif", "GPSLongitude"): "gps_lon",
    ("aux", "SerialNumber"): "serial",
    ("aux", "LensSerialNumber"): "serial",
    ("exifEX", "BodySerialNumber"): "serial",
    ("exifEX", "LensSerialNumber"): "serial",
    ("aux", "OwnerName"): "owner_name",
    ("exifEX", "CameraOwnerName"): "owner_name",
    ("mwg-rs", "Type"): "region_type",
}
_KEYS = {(_P[p], local): f for (p, local), f in FIELDS.items()}
# Lang Alt fields whose language matters to the user (alt text is pasted per language).
LANG_FIELDS = {"alt_text", "ext_description"}


class XmpRejected(ValueError):
    """The packet is unsafe or malformed; the reason goes into a finding."""


def _add(out: dict[tuple[str, str], list[str]], tag: str, val: Any) -> None:
    if not tag.startswith("{"):
        return
    ns, local = tag[1:].split("}", 1)
    if val is not None and str(val).strip():
        out.setdefault((ALIAS.get(ns, ns), local), []).append(str(val).strip())


def _walk(el: Any, out: dict[tuple[str, str], list[str]], depth: int = 0) -> None:
    if depth > 64:
        raise XmpRejected("nested too deeply")
    for k, v in el.attrib.items():
        if k.startswith("{") and not k.startswith("{" + RDF) and k != LANG:
            _add(out, k, v)
    for c in el:
        if not isinstance(c.tag, str):
            continue
        if c.tag.startswith("{" + RDF):
            _walk(c, out, depth + 1)
            continue
        res = c.attrib.get(f"{{{RDF}}}resource")
        if res is not None:
            _add(out, c.tag, res)
        elif len(c) == 0:
            _add(out, c.tag, c.text)
            _walk(c, out, depth + 1)  # attribute-form struct fields on an empty element
        else:
            lis = c.findall(f".//{{{RDF}}}li")
            if lis and all(len(li) == 0 for li in lis) and not any(
                k for li in lis for k in li.attrib if k.startswith("{") and
                not k.startswith("{" + RDF) and k != LANG
            ):
                for li in sorted(lis, key=lambda li: li.attrib.get(LANG, "") != "x-default"):
                    _add(out, c.tag, li.attrib.get(f"{{{RDF}}}resource", li.text))
                    if li.attrib.get(LANG) and li.text and li.text.strip():
                        _add(out, c.tag + "@lang", li.attrib[LANG])
            else:
                _walk(c, out, depth + 1)


def parse_xmp(packet: bytes) -> dict[tuple[str, str], list[str]]:
    """``{(namespace, property): [values]}``; raises XmpRejected for unsafe/bad XML."""
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as ET

    if len(packet) > MAX_PACKET:
        raise XmpRejected(f"packet of {len(packet)} bytes exceeds {MAX_PACKET} bytes")
    s = packet.find(b"<x:xmpmeta")
    s = packet.find(b"<rdf:RDF") if s < 0 else s
    if s < 0:
        raise XmpRejected("no x:xmpmeta or rdf:RDF element")
    if b"<!DOCTYPE" in packet[:s] or b"<!ENTITY" in packet:
        raise XmpRejected("DOCTYPE/entity declarations are not allowed (XML bomb guard)")
    e = packet.find(b"</x:xmpmeta>", s)
    body = packet[s:e + 12] if e >= 0 else packet[s:packet.rfind(b">") + 1]
    out: dict[tuple[str, str], list[str]] = {}
    try:
        root = ET.fromstring(body, forbid_dtd=True)
    except (DefusedXmlException, ValueError, SyntaxError) as exc:
        raise XmpRejected(f"{type(exc).__name__}: {exc}"[:160]) from exc
    _walk(root, out)
    return out


def add_packet(packet: bytes, part: Partial, origin: str = "xmp") -> None:
    """Parse one packet and record its facts; a bad packet becomes MA-LIC-007."""
    try:
        props = parse_xmp(packet)
    except XmpRejected as exc:
        part.note("MA-LIC-007", origin, reason=str(exc))
        return
    for key, values in props.items():
        fld = _KEYS.get(key)
        if fld is None:
            continue
        src = f"{origin}:{NS[key[0]]}:{key[1]}"
        if fld == "region_type":
            values = [v for v in values if v.lower() == "face"]
        langs = props.get((key[0], key[1] + "@lang"), [])
        if fld in LANG_FIELDS and len(langs) == len(values):
            for v, lang in zip(values, langs, strict=True):
                part.fact(fld, v, f"{src}@{lang}")
            continue
        for v in values:
            part.fact(fld, v, src)


# --- finders ---------------------------------------------------------------------------


def jpeg_segments(f: IO[bytes]) -> Iterator[tuple[int, int]]:
    """(marker, payload length) of each JPEG segment before start-of-scan.  While a pair is
    being handled the file is positioned at that payload; the caller may read from it."""
    f.seek(0)
    if f.read(2) != b"\xff\xd8":
        return
    for _ in range(4096):
        hdr = f.read(4)
        if len(hdr) < 4 or hdr[0] != 0xFF or hdr[1] in (0xDA, 0xD9):
            return
        n = struct.unpack(">H", hdr[2:4])[0]
        if n < 2:
            return
        start = f.tell()
        yield hdr[1], n - 2
        f.seek(start + n - 2)


def jpeg_packets(f: IO[bytes]) -> Iterator[tuple[str, bytes]]:
    """Standard and extended XMP from a JPEG's APP1 segments (stops at start-of-scan)."""
    ext: dict[bytes, dict[int, bytes]] = {}
    for marker, length in jpeg_segments(f):
        if marker != 0xE1:
            continue
        seg = f.read(length)
        if seg.startswith(b"http://ns.adobe.com/xap/1.0/\0"):
            yield "xmp", seg[29:]
        elif seg.startswith(b"http://ns.adobe.com/xmp/extension/\0") and len(seg) >= 75:
            guid = seg[35:67]
            off = struct.unpack(">I", seg[71:75])[0]
            ext.setdefault(guid, {})[off] = seg[75:]
    for parts in ext.values():
        yield "xmp-extended", b"".join(c for _, c in sorted(parts.items()))


def gif_packet(f: IO[bytes]) -> bytes | None:
    """GIF XMP application extension; the packet ends at the 258-byte magic trailer."""
    f.seek(0, 2)
    if f.tell() == 0:
        return None
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        i = mm.find(b"\x21\xff\x0bXMP DataXMP")
        if i < 0:
            return None
        j = mm.find(b"\x01\xff\xfe\xfd", i + 14, i + 14 + MAX_PACKET + 1)
        return bytes(mm[i + 14:j]) if j > 0 else None


def _boxes(f: IO[bytes], start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    off = start
    while off + 8 <= end:
        f.seek(off)
        h = f.read(16)
        if len(h) < 8:
            return
        size, typ = struct.unpack(">I4s", h[:8])
        hl = 8
        if size == 1 and len(h) >= 16:
            size, hl = struct.unpack(">Q", h[8:16])[0], 16
        elif size == 0:
            size = end - off
        if size < hl:
            return
        yield typ, off + hl, min(off + size, end)
        off += size


def bmff_has_uuid(f: IO[bytes], uuid: bytes) -> bool:
    """Is there a top-level ``uuid`` box with this id (C2PA marks MP4/MOV this way)?"""
    f.seek(0, 2)
    for typ, b, _ in _boxes(f, 0, f.tell()):
        if typ == b"uuid":
            f.seek(b)
            if f.read(16) == uuid:
                return True
    return False


def bmff_packets(f: IO[bytes]) -> list[bytes]:
    """XMP from MP4 ``uuid`` boxes and MOV ``moov/udta/XMP_``."""
    f.seek(0, 2)
    end = f.tell()
    packets: list[bytes] = []
    for typ, b, e in _boxes(f, 0, end):
        if typ == b"uuid":
            f.seek(b)
            if f.read(16) == XMP_UUID and e - b - 16 <= MAX_PACKET:
                packets.append(f.read(e - b - 16))
        elif typ == b"moov":
            for t2, b2, e2 in _boxes(f, b, e):
                udtas = [(b2, e2)] if t2 == b"udta" else (
                    [(b3, e3) for t3, b3, e3 in _boxes(f, b2, e2) if t3 == b"udta"]
                    if t2 == b"trak" else [])
                for ub, ue in udtas:
                    for t4, b4, e4 in _boxes(f, ub, ue):
                        if t4 == b"XMP_" and e4 - b4 <= MAX_PACKET:
                            f.seek(b4)
                            packets.append(f.read(e4 - b4))
    return packets


BMFF_MIMES = {"video/mp4", "video/quicktime", "video/3gpp", "video/3gpp2", "audio/mp4",
              "video/x-m4v", "image/avif", "image/heic", "image/heif"}


def read_container_xmp(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader: XMP that Pillow does not expose (JPEG extended, GIF, MP4/MOV)."""
    with open(path, "rb") as f:
        if head.startswith(b"\xff\xd8"):
            for origin, packet in jpeg_packets(f):
                add_packet(packet, part, origin)
        elif head[:6] in (b"GIF87a", b"GIF89a"):
            gif = gif_packet(f)
            if gif:
                add_packet(gif, part)
        elif mime in BMFF_MIMES and mime not in ("image/avif", "image/heic", "image/heif"):
            for packet in bmff_packets(f):
                add_packet(packet, part)


def read_image_xmp(im: Any, part: Partial) -> None:
    """Image reader: Pillow's XMP for PNG, TIFF, WebP, AVIF/HEIF (JPEG/GIF: file reader)."""
    if im.format in ("JPEG", "MPO", "GIF"):
        return
    packet = im.info.get("xmp")
    if packet is None and im.format == "TIFF":
        packet = im.getexif().get(700)
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    if packet:
        add_packet(bytes(packet), part)
