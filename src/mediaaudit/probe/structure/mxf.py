"""MXF: partitions, the random index pack and essence."""

from __future__ import annotations

import struct
from typing import IO

from mediaaudit.codes import Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.common import num

MXF_PARTITION = bytes.fromhex("060e2b34020501010d01020101")  # + kind (2/3/4), status
_MXF_RIP = bytes.fromhex("060e2b34020501010d01020101110100")


def _klv(f: IO[bytes], pos: int) -> tuple[bytes, int] | None:
    """(key, end of value) of the KLV at ``pos`` (BER length), None when cut."""
    f.seek(pos)
    h = f.read(25)
    if len(h) < 17:
        return None
    ln = h[16]
    if ln < 0x80:
        return h[:16], pos + 17 + ln
    k = ln & 0x7F
    if k == 0 or k > 8 or len(h) < 17 + k:
        return None
    return h[:16], pos + 17 + k + int.from_bytes(h[17:17 + k], "big")


def _mxf_rip_last(f: IO[bytes], size: int) -> int:
    """The last partition listed by a random index pack ending the file, else 0."""
    f.seek(max(0, size - 4))
    rip_len = struct.unpack(">I", f.read(4).rjust(4, b"\0"))[0]
    if not 21 <= rip_len <= min(size, 1 << 20):
        return 0
    kl = _klv(f, size - rip_len)
    if kl is None or kl[0] != _MXF_RIP or kl[1] != size:
        return 0
    f.seek(size - rip_len)
    rip = f.read(rip_len)
    body = rip[rip_len - 4 - 12 * ((rip_len - 21) // 12):-4]
    return max((struct.unpack(">Q", body[i + 4:i + 12])[0] for i in range(0, len(body), 12)
                if len(body[i:i + 12]) == 12), default=0)


def _mxf_essence(f: IO[bytes], stop: int) -> bool | None:
    """Is there any essence (picture, sound, data) before the footer?  True at the first
    non-empty essence element, which comes right after the header metadata, so this
    stays a few seeks; False when every essence element is empty (exiftool's stub holds
    a 0-byte sound element); None when it cannot tell."""
    pos, seen = 0, False
    for _ in range(20_000):
        if pos >= stop:
            return False if seen else None
        kl = _klv(f, pos)
        if kl is None or not kl[0].startswith(b"\x06\x0e\x2b\x34"):
            return None
        key, end = kl
        if key[4:8] == b"\x01\x02\x01\x01" and key[10:12] == b"\x03\x01":
            seen = True
            f.seek(pos + 16)
            ber = f.read(1)[0]
            if end > pos + 17 + (ber & 0x7F if ber >= 0x80 else 0):  # a non-empty value
                return True
        pos = end
    return None


def mxf(f: IO[bytes], size: int) -> str | None:
    """The header partition names the footer partition (or a random index pack at the
    end lists it); the footer must be inside the file and every KLV from the footer to
    the end must fit, which also catches a cut of a single byte."""
    f.seek(0)
    h = f.read(17 + 9 + 48)
    if len(h) < 17 + 9 + 48 or h[16] < 0x80:
        return _why(Why.MXF_HEADER_CUT, at=num(size))
    val = 17 + (h[16] & 0x7F)
    footer = struct.unpack(">Q", h[val + 24:val + 32])[0]
    if footer == 0:  # open header: the random index pack at the end, if any, lists it
        footer = _mxf_rip_last(f, size)
        if footer == 0:
            return _why(Why.MXF_NO_FOOTER)
    if footer >= size:
        return _why(Why.MXF_FOOTER_PAST_END, at=num(footer))
    f.seek(footer)
    key = f.read(16)
    if not key.startswith(MXF_PARTITION) or key[13] != 0x04:
        return _why(Why.MXF_FOOTER_NOT_THERE, at=num(footer))
    if _mxf_essence(f, footer) is False:
        return _why(Why.MXF_NO_ESSENCE)
    pos = footer
    for _ in range(100_000):
        if pos >= size:
            return None
        kl = _klv(f, pos)
        if kl is None or kl[1] > size:
            return _why(Why.MXF_FOOTER_CUT, at=num(size))
        if not kl[0].startswith(b"\x06\x0e\x2b\x34"):
            return None  # not KLV any more: trailing bytes, no opinion
        pos = kl[1]
    return None
