"""XMP: find packets in every container, parse them safely, map them to facts.

Parsing uses defusedxml (a DOCTYPE, entity or external reference is refused, so an
'XML bomb' costs nothing) and matches on namespace URIs, never prefixes; the pre-2008
Creative Commons namespace is treated as the current one.  Packet finders walk
segment/box headers by seeking and never read image or movie data, except in GIF, whose
XMP application extension can only be found by searching the (memory-mapped) file.
"""

from __future__ import annotations

import mmap
import re
import struct
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from mediaaudit.codes import CodeId
from mediaaudit.model import FactOrigin, FactSource
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


_BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"), (b"\xef\xbb\xbf", "utf-8"))
# XMP part 3, 1.1.3: without a BOM the first '<' tells the encoding by its zero bytes.
_WIDE = ("utf-32-be", "utf-32-le", "utf-16-be", "utf-16-le")
META_NS = b"adobe:ns:meta/"


def to_utf8(packet: bytes) -> bytes:
    """The packet as UTF-8: UTF-16/32 (LE/BE) are found by BOM or by the byte pattern of
    ``<?xpacket``/``<``; anything else is taken as UTF-8 (XMP's default)."""
    for bom, enc in _BOMS:
        if packet.startswith(bom):
            return _decode(packet[len(bom):], enc)
    if META_NS in packet or RDF.encode() in packet:
        return packet
    for enc in _WIDE:
        if packet.startswith("<".encode(enc)):
            return _decode(packet, enc)
    # Leading junk: the earliest wide '<?xpacket' wins (a UTF-16LE packet also holds the
    # UTF-16BE pattern one byte later).
    hits = [(i, enc) for enc in _WIDE if (i := packet.find("<?xpacket".encode(enc))) >= 0]
    if hits:
        i, enc = min(hits)
        return _decode(packet[i:], enc)
    return packet


def _decode(data: bytes, enc: str) -> bytes:
    if enc == "utf-8":
        return data
    unit = 4 if enc.startswith("utf-32") else 2
    try:
        return data[: len(data) - len(data) % unit].decode(enc).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise XmpRejected(f"not valid {enc.upper()}") from exc


def _span(packet: bytes, uri: bytes, locals_: tuple[bytes, ...]) -> tuple[int, int] | None:
    """Start and end of the element named ``locals_`` in namespace ``uri``, whatever its
    prefix (found through the xmlns declaration that binds the URI)."""
    decl = re.compile(rb"xmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*([\"'])" + re.escape(uri) + rb"\2")
    for m in decl.finditer(packet):
        qn = m.group(1) + b":" if m.group(1) else b""
        for local in locals_:
            tag = b"<" + qn + local
            s = packet.rfind(tag, 0, m.start())
            if s < 0 or packet[s + len(tag):s + len(tag) + 1] not in (b" ", b"\t", b"\r",
                                                                       b"\n"):
                s = packet.find(tag, m.end())
            if s < 0:
                continue
            # the first closing tag: the root never nests, and junk after the packet
            # (a second, cut copy in a .NET-written PNG) must not be swallowed
            e = packet.find(b"</" + qn + local, s)
            e = packet.find(b">", e) + 1 if e > s else packet.rfind(b">") + 1
            return s, e
    return None


def parse_xmp(packet: bytes) -> dict[tuple[str, str], list[str]]:
    """``{(namespace, property): [values]}``; raises XmpRejected for unsafe/bad XML.

    The root is found by namespace URI (``adobe:ns:meta/`` x:xmpmeta or the pre-2002
    x:xapmeta, else rdf:RDF), whatever the prefixes; UTF-16/32 packets are transcoded."""
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as ET

    if len(packet) > MAX_PACKET:
        raise XmpRejected(f"packet of {len(packet)} bytes exceeds {MAX_PACKET} bytes")
    packet = to_utf8(packet)
    span = (_span(packet, META_NS, (b"xmpmeta", b"xapmeta"))
            or _span(packet, RDF.encode(), (b"RDF",)))
    if span is None:
        raise XmpRejected("no x:xmpmeta or rdf:RDF element")
    s, e = span
    if b"<!DOCTYPE" in packet[:s] or b"<!ENTITY" in packet:
        raise XmpRejected("DOCTYPE/entity declarations are not allowed (XML bomb guard)")
    body = packet[s:e]
    out: dict[tuple[str, str], list[str]] = {}
    try:
        root = ET.fromstring(body, forbid_dtd=True)
    except (DefusedXmlException, ValueError, SyntaxError) as exc:
        raise XmpRejected(f"{type(exc).__name__}: {exc}"[:160]) from exc
    _walk(root, out)
    return out


def _zero_coord(value: str) -> bool:
    """XMP GPSCoordinate 'DDD,MM,SSk' / 'DDD,MM.mmk' that is exactly zero."""
    try:
        return all(float(x) == 0 for x in value.strip().rstrip("NSEWnsew").split(","))
    except ValueError:
        return False


EMBEDDED = FactSource(FactOrigin.XMP)


def add_packet(packet: bytes, part: Partial, origin: FactSource = EMBEDDED) -> None:
    """Parse one packet and record its facts; a bad packet becomes MA-LIC-007.
    ``origin`` is where the packet was (the file, its extended XMP, a sidecar); each
    fact's source is it with the property as tag."""
    try:
        props = parse_xmp(packet)
    except XmpRejected as exc:
        part.note(CodeId.XMP_REJECTED, str(origin), reason=str(exc))
        return
    _record(props, part, origin)


def _record(props: dict[tuple[str, str], list[str]], part: Partial,
            origin: FactSource) -> None:
    """The facts of parsed RDF properties, tagged ``prefix:Property`` (with the language
    of a language alternative)."""
    coords = [v for k in ("GPSLatitude", "GPSLongitude")
              for v in props.get((_P["exif"], k), [])]
    if coords and all(_zero_coord(v) for v in coords):  # 0,0 is a default, not a place
        for k in ("GPSLatitude", "GPSLongitude"):
            props.pop((_P["exif"], k), None)
    for key, values in props.items():
        fld = _KEYS.get(key)
        if fld is None:
            continue
        src = replace(origin, tag=f"{NS[key[0]]}:{key[1]}")
        if fld == "region_type":
            values = [v for v in values if v.lower() == "face"]
        langs = props.get((key[0], key[1] + "@lang"), [])
        if fld in LANG_FIELDS and len(langs) == len(values):
            for v, lang in zip(values, langs, strict=True):
                part.fact(fld, v, replace(src, lang=lang))
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


def jpeg_packets(f: IO[bytes]) -> Iterator[tuple[FactSource, bytes]]:
    """Standard and extended XMP from a JPEG's APP1 segments (stops at start-of-scan)."""
    ext: dict[bytes, dict[int, bytes]] = {}
    for marker, length in jpeg_segments(f):
        if marker != 0xE1:
            continue
        seg = f.read(length)
        if seg.startswith(b"http://ns.adobe.com/xap/1.0/\0"):
            yield EMBEDDED, seg[29:]
        elif seg.startswith(b"http://ns.adobe.com/xmp/extension/\0") and len(seg) >= 75:
            guid = seg[35:67]
            off = struct.unpack(">I", seg[71:75])[0]
            ext.setdefault(guid, {})[off] = seg[75:]
    for parts in ext.values():
        yield FactSource(FactOrigin.XMP_EXTENDED), b"".join(c for _, c in sorted(parts.items()))


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


def bmff_boxes(f: IO[bytes], start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, end) of the ISO BMFF boxes in [start, end), each clamped to
    its parent: lenient, for finding metadata (``structure.boxes`` is the strict walk
    that reports a box running past the end).  Bounded against hostile box counts."""
    off = start
    for _ in range(100_000):
        if off + 8 > end:
            return
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
    for typ, b, _ in bmff_boxes(f, 0, f.tell()):
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
    for typ, b, e in bmff_boxes(f, 0, end):
        if typ == b"uuid":
            f.seek(b)
            if f.read(16) == XMP_UUID and e - b - 16 <= MAX_PACKET:
                packets.append(f.read(e - b - 16))
        elif typ == b"moov":
            for t2, b2, e2 in bmff_boxes(f, b, e):
                udtas = [(b2, e2)] if t2 == b"udta" else (
                    [(b3, e3) for t3, b3, e3 in bmff_boxes(f, b2, e2) if t3 == b"udta"]
                    if t2 == b"trak" else [])
                for ub, ue in udtas:
                    for t4, b4, e4 in bmff_boxes(f, ub, ue):
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
        elif mime == "image/svg+xml":
            add_svg_rdf(f, part)


SVG_MAX = 16 << 20  # larger SVGs are not read for metadata (the structure walk says so)
_CC_AGENT = "{http://creativecommons.org/ns#}Agent"
_DC = "http://purl.org/dc/elements/1.1/"


def add_svg_rdf(f: IO[bytes], part: Partial) -> None:
    """Rights in an SVG's ``<metadata><rdf:RDF>`` (how Inkscape's Document Properties and
    Wikimedia Commons store licence, rights and creator): the same RDF as XMP, read with
    the same walk.  Parsed with defusedxml, entities refused; a file that is not XML has
    no metadata to read (the structure walk reports it).  Inkscape names a creator or
    rights holder as ``<dc:creator><cc:Agent><dc:title>Name``: that becomes the name."""
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as ET

    f.seek(0)
    data = f.read(SVG_MAX + 1)
    if len(data) > SVG_MAX:
        return
    try:
        root = ET.fromstring(data, forbid_dtd=False, forbid_entities=True,
                             forbid_external=True)
    except (DefusedXmlException, ValueError, SyntaxError):
        return
    out: dict[tuple[str, str], list[str]] = {}
    try:
        for rdf in root.iter(f"{{{RDF}}}RDF"):
            for el in rdf.iter():
                agent = el.find(_CC_AGENT) if el.tag.startswith("{" + _DC) else None
                title = agent.find(f"{{{_DC}}}title") if agent is not None else None
                if title is not None:
                    el.remove(agent)
                    el.text = title.text
            _walk(rdf, out)
    except XmpRejected as exc:
        part.note(CodeId.XMP_REJECTED, FactOrigin.SVG.value, reason=str(exc))
        return
    _record(out, part, FactSource(FactOrigin.SVG))


def image_packet(im: Any) -> bytes | None:
    """The XMP packet Pillow exposes for an open image (PNG iTXt, TIFF tag 700, WebP,
    AVIF, HEIF via pillow-heif), as bytes; None when there is none.  Shared with
    ``fix``, which carries this packet where exiv2 cannot read the container."""
    packet = im.info.get("xmp")
    if packet is None and im.format == "TIFF":
        packet = im.getexif().get(700)
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    return bytes(packet) if isinstance(packet, bytes | bytearray) and packet else None


def read_image_xmp(im: Any, part: Partial) -> None:
    """Image reader: Pillow's XMP for PNG, TIFF, WebP, AVIF/HEIF (JPEG/GIF: file reader)."""
    if im.format in ("JPEG", "MPO", "GIF"):
        return
    packet = image_packet(im)
    if packet:
        add_packet(packet, part)
