"""GIF: blocks and sub-blocks."""

from __future__ import annotations

from typing import IO

from mediaaudit.codes import Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.common import Window, num


def gif(f: IO[bytes], size: int) -> str | None:
    """Header, colour tables, then image and extension blocks with their sub-blocks, to
    the trailer byte 3B.  An unknown block byte gets no opinion (decoders skip junk)."""
    w = Window(f)
    cut = _why(Why.GIF_NO_TRAILER, at=num(size))
    hdr = w.at(0, 13)
    if len(hdr) < 13:
        return cut
    pos = 13 + (3 << ((hdr[10] & 7) + 1) if hdr[10] & 0x80 else 0)
    for _ in range(8_000_000):
        b = w.at(pos, 1)
        if not b:
            return cut
        if b[0] == 0x3B:
            return None
        if b[0] == 0x2C:
            d = w.at(pos, 10)
            if len(d) < 10:
                return cut
            pos += 10 + (3 << ((d[9] & 7) + 1) if d[9] & 0x80 else 0) + 1  # + LZW size
        elif b[0] == 0x21:
            pos += 2
        else:
            return None
        end = w.skip_subblocks(pos)  # a length byte, that many bytes, until a 0 length
        if end is None:
            return cut
        pos = end
    return None
