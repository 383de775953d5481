"""RIFF (WAV, AVI, WebP): chunks by their declared sizes."""

from __future__ import annotations

import struct
from typing import IO

from mediaaudit.codes import Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.common import fourcc, num

_RIFF_LABELS = {b"WAVE": "WAV", b"AVI ": "AVI", b"WEBP": "WebP"}


def riff(f: IO[bytes], size: int) -> str | None:
    """RIFF size + 8 within the file, and its chunks within it.  A missing final pad
    byte after an odd-sized last chunk is tolerated; an unknown size (0 or FFFFFFFF,
    written by streaming tools) gets no opinion."""
    f.seek(0)
    h = f.read(12)
    if len(h) < 12:
        return _why(Why.RIFF_HEADER_CUT, at=num(size))
    label = _RIFF_LABELS.get(h[8:12], "RIFF")
    n = struct.unpack("<I", h[4:8])[0]
    if n in (0, 0xFFFFFFFF):
        return None
    end = 8 + n
    if end > size + 1:
        return _why(Why.RIFF_CLAIMS, fmt=label, claimed=num(end), size=num(size))
    limit = min(end, size)
    pos, last_odd_end = 12, -1
    for _ in range(100_000):
        if limit - pos < 8:
            break
        f.seek(pos)
        cid, cn = struct.unpack("<4sI", f.read(8))
        if cn == 0xFFFFFFFF:
            return None
        cend = pos + 8 + cn
        if cend > limit:
            return _why(Why.RIFF_CHUNK_PAST_END, fmt=label, name=fourcc(cid))
        last_odd_end = cend if cn & 1 else -1
        pos = cend + (cn & 1)
    if end == size + 1 and last_odd_end != size:
        return _why(Why.RIFF_CLAIMS, fmt=label, claimed=num(end), size=num(size))
    return None
