"""TIFF and BigTIFF: directories, strips, tiles and thumbnails inside the file."""

from __future__ import annotations

import struct
from typing import IO

from mediaaudit.codes import Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.common import num

_TIFF_TYPES = {3: ("H", 2), 4: ("I", 4), 13: ("I", 4), 16: ("Q", 8), 18: ("Q", 8)}
_TIFF_DATA = ((273, 279, "strip"), (324, 325, "tile"), (513, 514, "thumbnail"))
_TIFF_WIDTH = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8,
               13: 4, 16: 8, 17: 8, 18: 8}


def _tiff_values(f: IO[bytes], bo: str, typ: int, count: int, field: bytes,
                 size: int) -> list[int] | None:
    """An IFD entry's integer values (inline or at their offset), or None if unreadable."""
    if typ not in _TIFF_TYPES or not 0 < count <= 1 << 20:
        return None
    ch, width = _TIFF_TYPES[typ]
    nbytes = count * width
    if nbytes <= len(field):
        raw = field[:nbytes]
    else:
        off = struct.unpack(bo + ("Q" if len(field) == 8 else "I"), field)[0]
        if off + nbytes > size:
            return None
        f.seek(off)
        raw = f.read(nbytes)
        if len(raw) < nbytes:
            return None
    return list(struct.unpack(f"{bo}{count}{ch}", raw))


def tiff(f: IO[bytes], size: int) -> str | None:
    """The IFD chain (classic and BigTIFF): each directory inside the file, and every
    strip, tile and thumbnail it points to inside the file."""
    f.seek(0)
    h = f.read(16)
    if len(h) < 8:
        return _why(Why.TIFF_HEADER_CUT, at=num(size))
    bo = "<" if h[:2] == b"II" else ">"
    magic = struct.unpack(bo + "H", h[2:4])[0]
    if magic == 43:
        if len(h) < 16:
            return _why(Why.TIFF_HEADER_CUT, at=num(size))
        big, off = True, struct.unpack(bo + "Q", h[8:16])[0]
    else:
        big, off = False, struct.unpack(bo + "I", h[4:8])[0]
    cnt_fmt, cnt_len, ent_len, nxt_fmt = ("Q", 8, 20, "Q") if big else ("H", 2, 12, "I")
    nxt_len = 8 if big else 4
    seen: set[int] = set()
    for _ in range(1024):
        if off == 0 or off in seen:
            return None
        seen.add(off)
        if off + cnt_len > size:
            return _why(Why.TIFF_IFD_BEYOND_END, at=num(off))
        f.seek(off)
        count = struct.unpack(bo + cnt_fmt, f.read(cnt_len))[0]
        if count > 65535:
            return None
        ifd_end = off + cnt_len + count * ent_len + nxt_len
        if ifd_end > size:
            return _why(Why.TIFF_IFD_PAST_END, at=num(off))
        body = f.read(count * ent_len + nxt_len)
        entries: dict[int, tuple[int, int, bytes]] = {}
        for i in range(count):
            e = body[i * ent_len:(i + 1) * ent_len]
            tag, typ = struct.unpack(bo + "HH", e[:4])
            n = struct.unpack(bo + cnt_fmt.replace("H", "I"), e[4:4 + (8 if big else 4)])[0]
            field = e[12:20] if big else e[8:12]
            entries[tag] = (typ, n, field)
            nbytes = n * _TIFF_WIDTH.get(typ, 0)
            if nbytes > len(field):  # the value lives elsewhere: it must be in the file
                at = struct.unpack(bo + ("Q" if big else "I"), field)[0]
                if at + nbytes > size:
                    return _why(Why.TIFF_TAG_PAST_END, tag=tag)
        for off_tag, len_tag, what in _TIFF_DATA:
            if off_tag not in entries or len_tag not in entries:
                continue
            offs = _tiff_values(f, bo, *entries[off_tag], size)
            lens = _tiff_values(f, bo, *entries[len_tag], size)
            if offs is None or lens is None:
                continue
            need = max((o + n for o, n in zip(offs, lens, strict=False)), default=0)
            if need > size:
                return _why(Why.TIFF_DATA_PAST_END, what=what, need=num(need), size=num(size))
        off = struct.unpack(bo + nxt_fmt, body[-nxt_len:])[0]
    return None
