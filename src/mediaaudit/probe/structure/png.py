"""PNG: chunks by their declared lengths."""

from __future__ import annotations

import struct
from typing import IO

from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.common import fourcc, num


def png(f: IO[bytes], size: int) -> str | None:
    """Chunk lengths from the signature to IEND, by seeking (CRCs are ``--deep``'s job)."""
    pos = 8
    for _ in range(1_000_000):
        if pos >= size:
            return _why("png-no-iend")
        f.seek(pos)
        h = f.read(8)
        if len(h) < 8:
            return f"PNG ends inside a chunk header (cut at byte {num(size)})"
        n, typ = struct.unpack(">I4s", h)
        if not typ.isalpha() or n > 0x7FFFFFFF:
            return f"PNG chunk structure is broken at byte {num(pos)}"
        if typ == b"acTL" and n >= 8 and f.read(4) == b"\0\0\0\0":
            return "animated PNG declares zero frames (acTL)"  # no reader can show it
        pos += 12 + n
        if pos > size:
            return _why("png-chunk-past-end", name=fourcc(typ))
        if typ == b"IEND":
            return None
    return None
