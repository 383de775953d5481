"""Content Credentials (C2PA): is a manifest present?  No library needed.

Markers (reference/rights-metadata.md §7): JPEG APP11 segments carrying JUMBF; PNG
``caBX`` chunk; WebP ``C2PA`` chunk; MP4/MOV top-level ``uuid`` D8FEC3D6-…; GIF
application extension ``C2PA_GIF``; TIFF tag 52545.  Reading and validating the
manifest needs the optional ``c2pa`` extra (c2pa-python), offline.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Callable
from typing import IO

from mediaaudit.probe.partial import Partial
from mediaaudit.probe.xmp import BMFF_MIMES, bmff_has_uuid, jpeg_segments

C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")


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


def _has_chunk(f: IO[bytes], start: int, header: Callable[[bytes], tuple[bytes, int]],
               want: bytes, stop: bytes | None = None) -> bool:
    """Walk chunks from ``start`` until ``want`` (found) or ``stop``/the end (not found)."""
    f.seek(start)
    for _ in range(100000):
        hdr = f.read(8)
        if len(hdr) < 8:
            return False
        typ, skip = header(hdr)
        if typ == want:
            return True
        if typ == stop:
            return False
        f.seek(skip, 1)
    return False


def _scan(f: IO[bytes], marker: bytes) -> bool:
    f.seek(0, 2)
    if f.tell() == 0:
        return False
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        return mm.find(marker) >= 0


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
        elif head[:4] in (b"II*\x00", b"MM\x00*"):
            where = "tiff:52545" if _scan(f, struct.pack("<H", 52545) if head[:2] == b"II"
                                          else struct.pack(">H", 52545)) else None
    if where:
        part.fact("c2pa", "present", where)
