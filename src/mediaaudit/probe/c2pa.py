"""Content Credentials (C2PA): is a manifest present?  No library needed.

Markers (reference/rights-metadata.md §7): JPEG APP11 segments carrying JUMBF; PNG
``caBX`` chunk; WebP ``C2PA`` chunk; MP4/MOV top-level ``uuid`` D8FEC3D6-…; GIF
application extension ``C2PA_GIF``; TIFF tag 52545.  Reading and validating the
manifest needs the optional ``c2pa`` extra (c2pa-python), offline.
"""

from __future__ import annotations

import mmap
import struct
from typing import IO

from mediaaudit.probe.partial import Partial
from mediaaudit.probe.xmp import BMFF_MIMES, bmff_packets


def _jpeg(f: IO[bytes]) -> bool:
    f.seek(2)
    for _ in range(4096):
        hdr = f.read(4)
        if len(hdr) < 4 or hdr[0] != 0xFF or hdr[1] in (0xDA, 0xD9):
            return False
        n = struct.unpack(">H", hdr[2:4])[0]
        if n < 2:
            return False
        if hdr[1] == 0xEB:
            seg = f.read(min(n - 2, 64))
            if b"jumb" in seg or b"JP" in seg[:2]:
                return True
            f.seek(n - 2 - len(seg), 1)
        else:
            f.seek(n - 2, 1)
    return False


def _png(f: IO[bytes]) -> bool:
    f.seek(8)
    for _ in range(100000):
        hdr = f.read(8)
        if len(hdr) < 8:
            return False
        n, typ = struct.unpack(">I4s", hdr)
        if typ == b"caBX":
            return True
        if typ == b"IEND":
            return False
        f.seek(n + 4, 1)
    return False


def _riff(f: IO[bytes]) -> bool:
    f.seek(12)
    for _ in range(100000):
        hdr = f.read(8)
        if len(hdr) < 8:
            return False
        typ, n = struct.unpack("<4sI", hdr)
        if typ == b"C2PA":
            return True
        f.seek(n + (n & 1), 1)
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
            where = "png:caBX" if _png(f) else None
        elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            where = "webp:C2PA" if _riff(f) else None
        elif head[:6] in (b"GIF87a", b"GIF89a"):
            where = "gif:C2PA_GIF" if _scan(f, b"C2PA_GIF") else None
        elif mime in BMFF_MIMES:
            where = "bmff:uuid" if bmff_packets(f)[1] else None
        elif head[:4] in (b"II*\x00", b"MM\x00*"):
            where = "tiff:52545" if _scan(f, struct.pack("<H", 52545) if head[:2] == b"II"
                                          else struct.pack(">H", 52545)) else None
    if where:
        part.fact("c2pa", "present", where)
