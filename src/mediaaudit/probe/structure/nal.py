"""H.264 and H.265 samples inside ISO-BMFF: each sample is a run of NAL units, each
prefixed by its length, and the lengths must tile the sample exactly.

A video whose boxes are all in place can still carry samples a decoder cannot split
("Error splitting the input into NAL units", "Invalid NAL unit size"): a writer that
wrote the wrong length, a sample table that points into the wrong bytes.  libav refuses
those frames; the box walk cannot see them.  Following the length prefixes reads a few
bytes per NAL unit (2–3 per frame), in 4 KiB reads, not the video data.  Samples are
found from the sample tables (``stsz``, ``stsc``, ``stco``/``co64``) or, in a fragmented
file, from each fragment's track runs (``tfhd``, ``trun``).  What this walk cannot place
(a sample outside the file, a table it does not understand, a track with sample
descriptions of different kinds) gets no opinion here: the box walk and the sample-size
check speak to those.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import IO

from mediaaudit.codes import Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.bmff import Box, boxes, child
from mediaaudit.probe.structure.common import num

_AVC = {b"avc1": b"avcC", b"avc3": b"avcC", b"hvc1": b"hvcC", b"hev1": b"hvcC"}
_VISUAL_ENTRY = 78  # bytes of a visual sample entry, after its header, before its children
_MAX_SAMPLES = 4_000_000  # 37 hours at 30 frames/s; beyond, no opinion
_MAX_TABLE = 32 << 20


def _read(f: IO[bytes], box: Box, at: int, n: int) -> bytes:
    f.seek(box.body + at)
    return f.read(n)


def _length_size(f: IO[bytes], stbl: Box) -> int | None:
    """The NAL length prefix size (1, 2 or 4) of a track coded as H.264/H.265 with
    out-of-band parameter sets, else None.  A track with several sample descriptions
    is walked only when every one is such a codec with the same prefix size (which
    description a sample uses is not followed)."""
    stsd = child(f, stbl, b"stsd")
    if stsd is None:
        return None
    entries, _ = boxes(f, stsd.body + 8, stsd.end, "MP4")
    sizes = {_entry_length_size(f, entry) for entry in entries}
    if len(sizes) != 1:
        return None
    return sizes.pop()


def _entry_length_size(f: IO[bytes], entry: Box) -> int | None:
    if entry.typ not in _AVC:
        return None
    inner, _ = boxes(f, entry.body + _VISUAL_ENTRY, entry.end, "MP4")
    config = next((b for b in inner if b.typ == _AVC[entry.typ]), None)
    if config is None:
        return None
    at = 4 if entry.typ.startswith(b"avc") else 21
    raw = _read(f, config, at, 1)
    size = (raw[0] & 3) + 1 if raw else 0
    return size if size in (1, 2, 4) else None


def _track_id(f: IO[bytes], trak: Box) -> int | None:
    tkhd = child(f, trak, b"tkhd")
    if tkhd is None:
        return None
    head = _read(f, tkhd, 0, 24)
    at = 20 if head[:1] == b"\x01" else 12
    return struct.unpack(">I", head[at:at + 4])[0] if len(head) >= at + 4 else None


def _stbl(f: IO[bytes], trak: Box) -> Box | None:
    box: Box | None = trak
    for typ in (b"mdia", b"minf", b"stbl"):
        box = child(f, box, typ) if box is not None else None
    return box


def _table(f: IO[bytes], box: Box | None, skip: int, fmt: str, width: int) -> list[int]:
    """A full box's table: entry count after ``skip`` bytes, then entries of ``fmt``."""
    if box is None or box.end - box.body > _MAX_TABLE:
        raise ValueError("table")
    raw = _read(f, box, 0, box.end - box.body)
    count = struct.unpack(">I", raw[skip:skip + 4])[0]
    if skip + 4 + count * width > len(raw) or count > _MAX_SAMPLES:
        raise ValueError("table")
    return list(struct.unpack(f">{count * (width // struct.calcsize(fmt))}{fmt}",
                              raw[skip + 4:skip + 4 + count * width]))


def _table_samples(f: IO[bytes], stbl: Box) -> Iterator[tuple[int, int]]:
    """(offset, size) of every sample, from the sample tables.  ValueError (no opinion)
    for tables that cannot describe a real file: more samples than ``_MAX_SAMPLES``,
    chunk runs that do not go forward or hold no samples."""
    stsz = child(f, stbl, b"stsz")
    if stsz is None:
        raise ValueError("table")
    fixed, count = struct.unpack(">II", _read(f, stsz, 4, 8))
    if count > _MAX_SAMPLES:
        raise ValueError("table")
    sizes = _table(f, stsz, 8, "I", 4) if not fixed else None
    co64 = child(f, stbl, b"co64")
    offsets = (_table(f, co64, 4, "Q", 8) if co64 is not None
               else _table(f, child(f, stbl, b"stco"), 4, "I", 4))
    stsc = _table(f, child(f, stbl, b"stsc"), 4, "I", 12)
    runs = [stsc[i:i + 3] for i in range(0, len(stsc), 3)]
    firsts = [r[0] for r in runs]
    if any(r[1] == 0 for r in runs) or firsts != sorted(set(firsts)) or (firsts and firsts[0] < 1):
        raise ValueError("table")
    sample = 0
    for i, (first, per_chunk, _) in enumerate(runs):
        last = runs[i + 1][0] - 1 if i + 1 < len(runs) else len(offsets)
        for chunk in range(first - 1, min(last, len(offsets))):
            at = offsets[chunk]
            for _ in range(per_chunk):
                if sample >= count:
                    return
                n = sizes[sample] if sizes is not None else fixed
                yield at, n
                at += n
                sample += 1


def _fragment_samples(f: IO[bytes], moof: Box, sizes: dict[int, int],
                      tracks: dict[int, int], budget: list[int]
                      ) -> Iterator[tuple[int, int, int]]:
    """(track, offset, size) of every sample of one movie fragment's track runs;
    ``budget``: how many samples all fragments may still list (ValueError beyond)."""
    base_end = moof.start
    for traf in (b for b in boxes(f, moof.body, moof.end, "MP4")[0] if b.typ == b"traf"):
        inner, _ = boxes(f, traf.body, traf.end, "MP4")
        tfhd = next((b for b in inner if b.typ == b"tfhd"), None)
        if tfhd is None:
            continue
        head = _read(f, tfhd, 0, min(tfhd.end - tfhd.body, 64))
        flags = int.from_bytes(head[1:4], "big")
        track = struct.unpack(">I", head[4:8])[0]
        at = 8
        base = moof.start if flags & 0x20000 else base_end
        if flags & 0x1:
            base = struct.unpack(">Q", head[at:at + 8])[0]
            at += 8
        at += 4 if flags & 0x2 else 0
        at += 4 if flags & 0x8 else 0
        default = struct.unpack(">I", head[at:at + 4])[0] if flags & 0x10 else sizes.get(track, 0)
        for trun in (b for b in inner if b.typ == b"trun"):
            raw = _read(f, trun, 0, min(trun.end - trun.body, _MAX_TABLE))
            tflags = int.from_bytes(raw[1:4], "big")
            count = struct.unpack(">I", raw[4:8])[0]
            at = 8
            pos = base
            if tflags & 0x1:
                pos = base + struct.unpack(">i", raw[at:at + 4])[0]
                at += 4
            at += 4 if tflags & 0x4 else 0
            fields = [bit for bit in (0x100, 0x200, 0x400, 0x800) if tflags & bit]
            budget[0] -= count
            if budget[0] < 0:
                raise ValueError("table")
            for _ in range(count):
                size = default
                for bit in fields:
                    if bit == 0x200:
                        size = struct.unpack(">I", raw[at:at + 4])[0]
                    at += 4
                if track in tracks:
                    yield track, pos, size
                pos += size
            base_end = pos


def nal_framing(f: IO[bytes], size: int, moov: Box, top: list[Box]) -> str | None:
    """The first sample whose NAL length prefixes do not tile it, as a reason."""
    tracks: dict[int, int] = {}  # track ID -> length prefix size
    tables: dict[int, Box] = {}
    for trak in (b for b in boxes(f, moov.body, moov.end, "MP4")[0] if b.typ == b"trak"):
        stbl = _stbl(f, trak)
        track = _track_id(f, trak)
        length = _length_size(f, stbl) if stbl is not None else None
        if stbl is not None and track is not None and length is not None:
            tracks[track], tables[track] = length, stbl
    if not tracks:
        return None
    w = _Prefixes(f)
    fragments = [b for b in top if b.typ == b"moof"]
    if fragments:
        defaults = _trex(f, moov)
        budget = [_MAX_SAMPLES]
        for moof in fragments:
            for track, at, n in _fragment_samples(f, moof, defaults, tracks, budget):
                if (why := _split(w, at, n, tracks[track], size)) is not None:
                    return why
        return None
    for track, stbl in tables.items():
        for at, n in _table_samples(f, stbl):
            if (why := _split(w, at, n, tracks[track], size)) is not None:
                return why
    return None


def _trex(f: IO[bytes], moov: Box) -> dict[int, int]:
    """Default sample sizes per track of a fragmented movie (``mvex/trex``)."""
    mvex = child(f, moov, b"mvex")
    out: dict[int, int] = {}
    for trex in (b for b in boxes(f, mvex.body, mvex.end, "MP4")[0] if b.typ == b"trex") \
            if mvex is not None else ():
        raw = _read(f, trex, 0, 24)
        if len(raw) >= 24:
            out[struct.unpack(">I", raw[4:8])[0]] = struct.unpack(">I", raw[16:20])[0]
    return out


class _Prefixes:
    """Reads the few bytes of each NAL length prefix: one small read where the next
    prefix lies in the last 4 KiB read (the parameter sets and SEI units before a
    slice), else a new one.  A 1 MiB window, as the other walkers use, read nearly the
    whole of a 1080p clip (90 of its 95 MB), one frame's prefix per refill."""

    SPAN = 4096

    def __init__(self, f: IO[bytes]) -> None:
        self.f = f
        self.start = 0
        self.buf = b""

    def at(self, pos: int, n: int) -> bytes:
        if not self.start <= pos <= pos + n <= self.start + len(self.buf):
            self.f.seek(pos)
            self.buf = self.f.read(self.SPAN)
            self.start = pos
        return self.buf[pos - self.start:pos - self.start + n]


def _split(w: _Prefixes, at: int, n: int, length: int, size: int) -> str | None:
    """None when the NAL units of the sample at ``at`` fill its ``n`` bytes (or the
    sample lies outside the file: not this walk's question).  Fewer bytes left than a
    length prefix are padding, as libav reads them; a unit of length 0 or one that runs
    past its sample is what libav refuses ("Invalid NAL unit size")."""
    if at < 0 or n <= 0 or at + n > size:
        return None
    pos, end = at, at + n
    while end - pos >= length:
        unit = int.from_bytes(w.at(pos, length), "big")
        if unit == 0 or pos + length + unit > end:
            return _why(Why.NAL_SPLIT, at=num(at), size=num(n))
        pos += length + unit
    return None
