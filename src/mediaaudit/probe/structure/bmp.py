"""BMP: the file header's pixel offset and the pixel data the header describes."""

from __future__ import annotations

import struct
from typing import IO

from mediaaudit.codes import Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.common import num

# Compressions whose rows are stored uncompressed (BI_RGB, BI_BITFIELDS,
# BI_ALPHABITFIELDS): their size follows from width, height and bit depth.
_UNCOMPRESSED = {0, 3, 6}


def bmp(f: IO[bytes], size: int) -> str | None:
    """The pixel data starts inside the file and, for uncompressed rows, all of it is
    there: rows of ``width × bits`` rounded up to four bytes, ``|height|`` of them.
    Bitfield layouts (which Pillow decodes only in part) are judged like any other, so a
    variant no decoder here shows still gets an answer about its completeness."""
    f.seek(0)
    head = f.read(34)
    if len(head) < 18:
        return _why(Why.BMP_HEADER_CUT, at=num(size))
    offset = struct.unpack_from("<I", head, 10)[0]
    dib = struct.unpack_from("<I", head, 14)[0]
    if len(head) < (26 if dib == 12 else 34):
        return _why(Why.BMP_HEADER_CUT, at=num(size))
    if dib == 12:  # OS/2 BITMAPCOREHEADER: 16-bit sizes, no compression field
        width, height = struct.unpack_from("<HH", head, 18)
        bits, compression = struct.unpack_from("<H", head, 24)[0], 0
    elif dib >= 40:
        width, height = struct.unpack_from("<ii", head, 18)
        bits, compression = struct.unpack_from("<HI", head, 28)
    else:
        return None  # a header this walker does not know: no opinion
    if offset > size:
        return _why(Why.BMP_DATA_PAST_END, need=num(offset), size=num(size))
    if compression not in _UNCOMPRESSED or width <= 0 or bits not in (1, 2, 4, 8, 16, 24, 32):
        return None
    need = offset + ((width * bits + 31) // 32) * 4 * abs(height)
    if need > size:
        return _why(Why.BMP_DATA_PAST_END, need=num(need), size=num(size))
    return None
