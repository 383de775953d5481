"""JPEG: segments, the entropy-coded data up to the next marker, MPF images."""

from __future__ import annotations

import re
import struct
from typing import IO

from mediaaudit.codes import Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.contents import whole
from mediaaudit.probe.structure.common import CHUNK, Window, num

_JPEG_NAMES = {0xC4: "DHT", 0xCC: "DAC", 0xDA: "SOS", 0xDB: "DQT", 0xDD: "DRI", 0xFE: "COM"}
# In entropy-coded data FF is followed by 00 (stuffing) or D0–D7 (restart); FF FF is fill.
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_JPEG_STEPS = 20_000


def _jpeg_name(m: int) -> str:
    if 0xE0 <= m <= 0xEF:
        return f"APP{m - 0xE0}"
    if 0xC0 <= m <= 0xCF and m in (0xC4, 0xC8, 0xCC):
        return _JPEG_NAMES.get(m, f"FF{m:02X}")
    if 0xC0 <= m <= 0xCF:
        return f"SOF{m - 0xC0}"
    return _JPEG_NAMES.get(m, f"FF{m:02X}")


def _entropy_end(f: IO[bytes], pos: int) -> int | None:
    """Offset of the first marker after entropy-coded data starting at ``pos``, or None
    when the file ends first.  A scan for FF bytes, not a decode; over a kept file one
    search of its bytes (``contents``), else 1 MiB reads."""
    f.seek(pos)
    data = whole(f)
    if data is not None:
        m = _JPEG_MARKER.search(data, pos)
        return m.start() if m else None
    base, carry = pos, b""
    while chunk := f.read(CHUNK):
        buf = carry + chunk if carry else chunk
        m = _JPEG_MARKER.search(buf)
        if m:
            return base - len(carry) + m.start()
        carry = buf[-1:] if buf.endswith(b"\xff") else b""
        base += len(chunk)
    return None


def jpeg(f: IO[bytes], size: int) -> str | None:
    """Segments by their lengths (an APP1 Exif thumbnail, with its own FF D9, is skipped
    whole), each scan's entropy data up to the next marker, until EOI.  Progressive
    files have many scans; bytes after EOI (phone trailers, MPF images) are allowed."""
    w = Window(f)
    if w.at(0, 2) != b"\xff\xd8":
        return None
    pos = 2
    mpf: int | None = None
    for _ in range(_JPEG_STEPS):
        b = w.at(pos, 2)
        if len(b) < 2:
            return _why(Why.JPEG_NO_EOI, at=num(size))
        if b[0] != 0xFF:  # extraneous bytes before a marker: libjpeg skips them (a
            nxt = _entropy_end(f, pos)  # warning, not an error), so do we
            if nxt is None:
                return _why(Why.JPEG_NO_EOI, at=num(size))
            pos = nxt
            continue
        m = b[1]
        if m == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if m == 0xD9:
            return _mpf_images(w, size, mpf)
        if m == 0x01 or 0xD0 <= m <= 0xD7:
            pos += 2
            continue
        if m in (0x00, 0xD8):
            return _why(Why.JPEG_BROKEN, at=num(pos))
        ln = w.at(pos + 2, 2)
        if len(ln) < 2:
            return _why(Why.JPEG_HEADER_CUT, at=num(size))
        n = struct.unpack(">H", ln)[0]
        if n < 2:
            return _why(Why.JPEG_BROKEN, at=num(pos))
        if m == 0xE2 and mpf is None and w.at(pos + 4, 4) == b"MPF\x00":
            mpf = pos + 8  # offsets in the MPF index count from here
        pos += 2 + n
        if pos > size:
            return _why(Why.JPEG_SEGMENT_PAST_END, name=_jpeg_name(m))
        if m == 0xDA:
            end = _entropy_end(f, pos)
            if end is None:
                return _why(Why.JPEG_NO_EOI_DATA, at=num(size))
            pos = end
    return None


def _mpf_images(w: Window, size: int, base: int | None) -> str | None:
    """A Multi-Picture (MPF) index lists the other images in the file (phones' depth
    maps, previews); each must lie inside the file, or the file was cut after the first
    image (exiftool's sample: Pillow finds 'no data for frame')."""
    if base is None:
        return None
    hdr = w.at(base, 8)
    bo = "<" if hdr[:2] == b"II" else ">"
    if len(hdr) < 8 or hdr[:2] not in (b"II", b"MM"):
        return None
    ifd = base + struct.unpack(bo + "I", hdr[4:8])[0]
    count = struct.unpack(bo + "H", w.at(ifd, 2) or b"\0\0")[0]
    for i in range(min(count, 64)):
        tag, typ, n, val = struct.unpack(bo + "HHII", w.at(ifd + 2 + 12 * i, 12))
        if tag != 0xB002 or typ != 7:
            continue
        entries = w.at(base + val, min(n, 16 * 64))
        for j in range(0, len(entries) - 15, 16):
            _attr, length, offset = struct.unpack(bo + "III", entries[j:j + 12])
            if offset and base + offset + length > size:
                return _why(Why.JPEG_MPF_PAST_END, length=num(length), at=num(base + offset),
                            size=num(size))
    return None
