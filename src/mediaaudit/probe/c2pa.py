"""Content Credentials (C2PA): is a manifest present?  No library needed.

Markers (C2PA specification, embedding chapter): JPEG APP11 segments carrying JUMBF; PNG
``caBX`` chunk; WebP ``C2PA`` chunk; MP4/MOV top-level ``uuid`` D8FEC3D6-…; GIF
application extension ``C2PA_GIF``; TIFF/DNG tag 52545 (0xCD41) in an IFD of the main
chain (read from the IFDs, classic TIFF and BigTIFF, both byte orders: the two bytes of
the tag number occur by chance in the pixel data of many plain TIFFs).  A remote
manifest is announced by ``dcterms:provenance`` in the XMP (JPEG, PNG, WebP); it is
reported as ``remote:<url>`` and never fetched.  Reading and validating the manifest is
``c2pa_read`` (c2pa-python), offline.
"""

from __future__ import annotations

import mmap
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from typing import IO

from mediaaudit.model import FactOrigin, FactSource
from mediaaudit.probe.partial import Partial
from mediaaudit.probe.xmp import BMFF_MIMES, bmff_has_uuid, jpeg_packets, jpeg_segments

C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
TIFF_C2PA_TAG = 52545
MAX_IFDS = 1024  # a longer (or looping) chain is not a real TIFF
MAX_ENTRIES = 1 << 16  # entries in one IFD (classic TIFF cannot have more)
MAX_XMP = 4 << 20
_PROVENANCE = re.compile(
    rb"dcterms:provenance\s*(?:=\s*[\"']([^\"'<>]{1,2048})[\"']|>\s*([^<\s]{1,2048})\s*<)")


def _jpeg(f: IO[bytes]) -> bool:
    """An APP11 segment carrying JUMBF."""
    for marker, length in jpeg_segments(f):
        if marker == 0xEB:
            seg = f.read(min(length, 64))
            if b"jumb" in seg or b"JP" in seg[:2]:
                return True
    return False


def _png_chunk(h: bytes) -> tuple[bytes, int]:
    """PNG: length (big-endian), type; then data and a 4-byte CRC."""
    n = struct.unpack(">I", h[:4])[0]
    return h[4:8], n + 4


def _riff_chunk(h: bytes) -> tuple[bytes, int]:
    """RIFF: type, length (little-endian); data padded to an even length."""
    n = struct.unpack("<I", h[4:8])[0]
    return h[:4], n + (n & 1)


def _chunks(f: IO[bytes], start: int, header: Callable[[bytes], tuple[bytes, int]],
            stop: bytes | None = None) -> Iterator[tuple[bytes, int]]:
    """(type, data length incl. padding/CRC) of each chunk from ``start``; the file is
    positioned at the chunk's data while a pair is being handled."""
    f.seek(start)
    for _ in range(100000):
        hdr = f.read(8)
        if len(hdr) < 8:
            return
        typ, skip = header(hdr)
        begin = f.tell()
        yield typ, skip
        if typ == stop:
            return
        f.seek(begin + skip)


def _has_chunk(f: IO[bytes], start: int, header: Callable[[bytes], tuple[bytes, int]],
               want: bytes, stop: bytes | None = None) -> bool:
    """Walk chunks from ``start`` until ``want`` (found) or ``stop``/the end (not found)."""
    return any(typ == want for typ, _ in _chunks(f, start, header, stop))


def _scan(f: IO[bytes], marker: bytes) -> bool:
    f.seek(0, 2)
    if f.tell() == 0:
        return False
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        return mm.find(marker) >= 0


def tiff_has_tag(f: IO[bytes], tag: int = TIFF_C2PA_TAG) -> bool:
    """Is ``tag`` an entry of IFD0 or of a later IFD in the chain?  Classic TIFF and
    BigTIFF, little- and big-endian; loops, absurd counts and truncation end the walk."""
    f.seek(0, 2)
    size = f.tell()
    f.seek(0)
    hdr = f.read(16)
    if len(hdr) < 8 or hdr[:2] not in (b"II", b"MM"):
        return False
    bo = "<" if hdr[:2] == b"II" else ">"
    magic = struct.unpack(bo + "H", hdr[2:4])[0]
    if magic == 42:
        count_fmt, entry, off_fmt = "H", 12, "I"
        off = struct.unpack(bo + "I", hdr[4:8])[0]
    elif magic == 43 and len(hdr) == 16:
        count_fmt, entry, off_fmt = "Q", 20, "Q"
        off = struct.unpack(bo + "Q", hdr[8:16])[0]
    else:
        return False
    count_len, off_len = struct.calcsize(count_fmt), struct.calcsize(off_fmt)
    seen: set[int] = set()
    while off and off not in seen and len(seen) < MAX_IFDS and off + count_len <= size:
        seen.add(off)
        f.seek(off)
        n = struct.unpack(bo + count_fmt, f.read(count_len))[0]
        if n == 0 or n > MAX_ENTRIES or off + count_len + n * entry > size:
            return False
        table = f.read(n * entry)
        for i in range(0, len(table), entry):
            if struct.unpack(bo + "H", table[i:i + 2])[0] == tag:
                return True
        nxt = f.read(off_len)
        if len(nxt) < off_len:
            return False
        off = struct.unpack(bo + off_fmt, nxt)[0]
    return False


def _png_xmp(f: IO[bytes]) -> Iterator[bytes]:
    for typ, skip in _chunks(f, 8, _png_chunk, b"IEND"):
        if typ == b"iTXt" and skip - 4 <= MAX_XMP:
            data = f.read(skip - 4)
            key, _, rest = data.partition(b"\0")
            if key == b"XML:com.adobe.xmp" and len(rest) >= 4:
                flag, text = rest[0], rest[2:].split(b"\0", 2)[-1]
                yield zlib.decompressobj().decompress(text, MAX_XMP) if flag == 1 else text


def _webp_xmp(f: IO[bytes]) -> Iterator[bytes]:
    for typ, skip in _chunks(f, 12, _riff_chunk):
        if typ == b"XMP " and skip <= MAX_XMP:
            yield f.read(skip)


def remote_manifest(f: IO[bytes], head: bytes) -> str | None:
    """The http(s) URL in XMP ``dcterms:provenance`` (a remote manifest), if any."""
    if head.startswith(b"\xff\xd8"):
        packets: Iterator[bytes] = (p for _, p in jpeg_packets(f))
    elif head.startswith(b"\x89PNG"):
        packets = _png_xmp(f)
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        packets = _webp_xmp(f)
    else:
        return None
    try:
        for packet in packets:
            m = _PROVENANCE.search(packet)
            url = (m.group(1) or m.group(2)).decode("utf-8", "replace").strip() if m else ""
            if url.lower().startswith(("https://", "http://")):
                return url  # not ``self#jumbf=…``: a stale pointer to a removed manifest
    except (zlib.error, struct.error, ValueError):
        return None
    return None


def detect(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader: a 'c2pa' fact naming where the manifest store was found."""
    where = None
    with open(path, "rb") as f:
        if head.startswith(b"\xff\xd8"):
            where = "jpeg:APP11" if _jpeg(f) else None
        elif head.startswith(b"\x89PNG"):
            where = "png:caBX" if _has_chunk(f, 8, _png_chunk, b"caBX", b"IEND") else None
        elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            where = "webp:C2PA" if _has_chunk(f, 12, _riff_chunk, b"C2PA") else None
        elif head[:6] in (b"GIF87a", b"GIF89a"):
            where = "gif:C2PA_GIF" if _scan(f, b"C2PA_GIF") else None
        elif mime in BMFF_MIMES:
            where = "bmff:uuid" if bmff_has_uuid(f, C2PA_UUID) else None
        elif head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
            where = "tiff:52545" if tiff_has_tag(f) else None
        if where is None:
            url = remote_manifest(f, head)
            where = f"remote:{url}"[:300] if url else None
    if where:
        part.fact("c2pa", "present", FactSource(FactOrigin.C2PA_STORE, where))
