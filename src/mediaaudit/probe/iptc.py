"""IPTC-IIM (the 'IPTC' panel in photo tools): JPEG APP13 and TIFF, parsed here.

Character set (IIM 4.2, dataset 1:90): ``ESC % G`` is UTF-8; without 1:90 the standard's
default is ISO 646/8859-1, read as cp1252, so a Latin-1 ``Müller`` stays ``Müller``.  Text
that is valid UTF-8 is read as UTF-8 first even without 1:90: many tools write UTF-8 and
omit the dataset, and Latin-1 text with accents is almost never valid UTF-8.  The
Photoshop IPTC digest (image resource 0x0425) is the MD5 of the IPTC block as last
written by a digest-aware tool; a mismatch means an IPTC-only tool changed the block
afterwards, so IPTC is newer than the XMP (Metadata Working Group): the fact
``iptc_changed`` tells the rights evaluation to prefer IPTC then.
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

from mediaaudit.codes import CodeId
from mediaaudit.model import FactOrigin, FactSource
from mediaaudit.probe.partial import Partial

DATASETS = {
    (2, 116): "copyright",     # Copyright Notice
    (2, 80): "creator",        # By-line
    (2, 110): "credit",        # Credit
    (2, 40): "instructions",   # Special Instructions
}
IPTC_RESOURCE, DIGEST_RESOURCE = 0x0404, 0x0425
MAX_DATASETS = 4096


class IimDamaged(ValueError):
    """A dataset claims more bytes than its block holds; what came before is kept."""


def parse_iim(data: bytes, part: Partial | None = None) -> list[tuple[int, int, bytes]]:
    """(record, dataset, value) of an IIM stream; stops at the first malformed tag, and
    notes MA-IO-009 (damaged metadata) on ``part`` when a dataset runs past the block."""
    out: list[tuple[int, int, bytes]] = []
    i = 0
    while i + 5 <= len(data) and len(out) < MAX_DATASETS:
        if data[i] != 0x1C:
            break
        rec, ds, n = data[i + 1], data[i + 2], struct.unpack(">H", data[i + 3:i + 5])[0]
        i += 5
        if n & 0x8000:  # extended length: the next (n & 0x7FFF) bytes hold the length
            k = n & 0x7FFF
            if k > 4 or i + k > len(data):
                _damaged(part, f"dataset {rec}:{ds} has a {k}-byte length field")
                break
            n = int.from_bytes(data[i:i + k], "big")
            i += k
        if i + n > len(data):
            _damaged(part, f"dataset {rec}:{ds} claims {n} bytes, {len(data) - i} are left")
            break
        out.append((rec, ds, data[i:i + n]))
        i += n
    return out


def _damaged(part: Partial | None, reason: str) -> None:
    if part is not None:
        part.note(CodeId.METADATA_DAMAGED, "IPTC", block="IPTC", reason=reason)


def parse_irb(data: bytes) -> dict[int, bytes]:
    """Photoshop image resources (``8BIM`` blocks) by id; the first of each id wins."""
    out: dict[int, bytes] = {}
    i = 0
    for _ in range(1024):
        if i + 12 > len(data) or data[i:i + 4] not in (b"8BIM", b"PHUT", b"DCSR", b"AgHg"):
            break
        rid = struct.unpack(">H", data[i + 4:i + 6])[0]
        nlen = data[i + 6]
        j = i + 6 + ((nlen + 2) & ~1)  # Pascal name padded to an even length
        if j + 4 > len(data):
            break
        size = struct.unpack(">I", data[j:j + 4])[0]
        out.setdefault(rid, data[j + 4:j + 4 + size])
        i = j + 4 + size + (size & 1)
    return out


def decode(raw: bytes) -> str:
    """UTF-8 when the bytes are UTF-8 (declared by 1:90 or not), else cp1252/latin-1."""
    try:
        return raw.decode("utf-8")  # declared (ESC % G) or simply valid UTF-8
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return raw.decode("latin-1")


def iim_facts(iim: bytes, part: Partial, digest: bytes | None = None) -> None:
    """Facts from one IIM stream; ``digest`` is Photoshop's 0x0425 resource, if any."""
    sets = parse_iim(iim, part)
    for rec, ds, raw in sets:
        fld = DATASETS.get((rec, ds))
        if fld:
            part.fact(fld, decode(raw), FactSource(FactOrigin.IPTC, f"{rec}:{ds}"))
    if (sets and digest and len(digest) == 16 and any(digest)
            and hashlib.md5(iim, usedforsecurity=False).digest() != digest):
        part.fact("iptc_changed", "true", FactSource(FactOrigin.IPTC, "digest"))


def irb_facts(irb: dict[int, bytes], part: Partial) -> None:
    iim = irb.get(IPTC_RESOURCE)
    if iim:
        iim_facts(iim, part, irb.get(DIGEST_RESOURCE))


def read_iptc(im: Any, part: Partial) -> None:
    """Image reader: JPEG APP13 (Pillow's ``info['photoshop']``) and TIFF tags 33723 (IPTC)
    and 34377 (Photoshop resources, which hold the digest)."""
    if im.format in ("JPEG", "MPO"):
        res = im.info.get("photoshop")
        if isinstance(res, dict):
            irb_facts(res, part)
        return
    if im.format != "TIFF":
        return
    tags = getattr(im.tag_v2, "_tagdata", {})  # the raw tag bytes, as in the file
    iim, ps = tags.get(33723), tags.get(34377)
    irb = parse_irb(bytes(ps)) if isinstance(ps, bytes) else {}
    if not isinstance(iim, bytes):
        iim = irb.get(IPTC_RESOURCE)
    if iim:
        iim_facts(bytes(iim), part, irb.get(DIGEST_RESOURCE))
