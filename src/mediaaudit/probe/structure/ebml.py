"""EBML (Matroska, WebM): elements by their declared sizes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from mediaaudit.codes import Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.common import num

_EBML_NAMES = {0x114D9B74: "SeekHead", 0x1549A966: "Info", 0x1654AE6B: "Tracks",
               0x1F43B675: "Cluster", 0x1C53BB6B: "Cues", 0x1941A469: "Attachments",
               0x1043A770: "Chapters", 0x1254C367: "Tags", 0xEC: "Void", 0xBF: "CRC-32"}
_SEGMENT, _CLUSTER = 0x18538067, 0x1F43B675


@dataclass(frozen=True)
class Element:
    id: int
    body: int
    size: int | None  # None: unknown size ("until the parent ends")


def _element(f: IO[bytes], pos: int) -> Element | None:
    """One EBML element header at ``pos`` (ID 1–4 bytes, size vint 1–8), None if cut or
    malformed."""
    f.seek(pos)
    h = f.read(12)
    if not h or h[0] < 0x10:
        return None
    il = 9 - h[0].bit_length()
    if len(h) < il + 1 or h[il] == 0:
        return None
    eid = int.from_bytes(h[:il], "big")
    sl = 9 - h[il].bit_length()
    if len(h) < il + sl:
        return None
    v = int.from_bytes(h[il:il + sl], "big") & ((1 << (7 * sl)) - 1)
    return Element(eid, pos + il + sl, None if v == (1 << (7 * sl)) - 1 else v)


def ebml(f: IO[bytes], size: int) -> str | None:
    """EBML header, then the Segment: a known Segment size must fit the file, and each
    top-level element in it (SeekHead, Tracks, Clusters, Cues…) must fit too.  An
    unknown-size Cluster (live recording) ends the walk without an opinion."""
    head = _element(f, 0)
    if head is None or head.size is None:
        return _why(Why.EBML_HEADER_CUT, fmt="Matroska")
    f.seek(head.body)
    label = "WebM" if b"webm" in f.read(min(head.size, 64)) else "Matroska"
    pos = head.body + head.size
    if pos > size:
        return _why(Why.EBML_HEADER_CUT, fmt=label)
    seg = _element(f, pos)
    if seg is None:
        return _why(Why.EBML_NO_SEGMENT, fmt=label, at=num(size)) if size - pos < 12 else None
    if seg.id != _SEGMENT:
        return None
    seg_end = size
    if seg.size is not None:
        seg_end = seg.body + seg.size
        if seg_end > size:
            return _why(Why.SEGMENT_CLAIMS, fmt=label, claimed=num(seg.size),
                        left=num(size - seg.body))
    pos = seg.body
    for _ in range(200_000):
        if pos >= seg_end:
            return None
        el = _element(f, pos)
        if el is None:
            return _why(Why.EBML_ELEMENT_HEADER_CUT, fmt=label, at=num(pos))
        if el.size is None:
            return None
        name = _EBML_NAMES.get(el.id, f"0x{el.id:X}")
        if el.body + el.size > seg_end:
            where = Why.EBML_ELEMENT_PAST_END if seg_end == size else Why.EBML_ELEMENT_PAST_SEGMENT
            return _why(where, fmt=label, name=name)
        pos = el.body + el.size
    return None
