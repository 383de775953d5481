"""ISO-BMFF (MP4, MOV, HEIF, AVIF): boxes, and the sample table against mdat."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import IO

from mediaaudit.codes import CodeId, Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.common import Refused, fourcc, num


@dataclass(frozen=True)
class Box:
    typ: bytes
    start: int  # offset of the box header
    body: int  # offset of the payload
    end: int


def boxes(f: IO[bytes], start: int, end: int, label: str) -> tuple[list[Box], str | None]:
    """Strict box walk: unlike ``xmp.bmff_boxes`` (which clamps a box to its parent so a
    packet can still be found) a box reaching past ``end`` is the finding here."""
    out: list[Box] = []
    off = start
    for _ in range(100_000):
        if end - off < 8:  # done; a few stray bytes after the last box get no opinion
            return out, None
        f.seek(off)
        h = f.read(16)
        size, typ = struct.unpack(">I4s", h[:8])
        hl = 8
        if size == 1:
            if len(h) < 16:
                return out, _why(Why.BOX_HEADER_CUT, fmt=label, name=fourcc(typ))
            size, hl = struct.unpack(">Q", h[8:16])[0], 16
        elif size == 0:
            size = end - off
        if size < hl:
            return out, _why(Why.BOX_BROKEN, fmt=label, at=num(off))
        if off + size > end:
            return out, _why(Why.BOX_CLAIMS, fmt=label, name=fourcc(typ), claimed=num(size),
                             left=num(end - off))
        out.append(Box(typ, off, off + hl, off + size))
        off += size
    return out, None


def child(f: IO[bytes], box: Box, typ: bytes) -> Box | None:
    """The first box of type ``typ`` inside ``box``, or None."""
    inner, _ = boxes(f, box.body, box.end, "MP4")
    return next((b for b in inner if b.typ == typ), None)


_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"mif1", b"mif2", b"avif", b"avio"}
_SEQ_BRANDS = {b"avis", b"msf1", b"hevc", b"hevx"}
_MOVIE_BRANDS = (b"isom", b"iso", b"mp4", b"mp7", b"qt  ", b"M4A ", b"M4V ", b"M4B ",
                 b"M4P ", b"avc1", b"3gp", b"3g2", b"dash", b"f4v ", b"MSNV", b"XAVC")


def bmff(f: IO[bytes], size: int) -> str | Refused | None:
    """Top-level boxes (32/64-bit sizes, 0 = to the end) all inside the file; a movie
    (isom/mp4*/qt/M4A/3gp…) needs ``moov``, a HEIF/AVIF image needs ``meta``; a movie
    with an encrypted track is refused (``MA-FMT-009``): it is complete, but unplayable;
    its tracks must hold samples, all inside the media data, and H.264/H.265 samples
    must split into their NAL units (``nal``)."""
    f.seek(0)
    h = f.read(12)
    brand = h[8:12] if h[4:8] == b"ftyp" else b"qt  "
    if brand in _HEIF_BRANDS:
        label = "AVIF" if brand.startswith(b"avi") else "HEIF"
    elif brand in _SEQ_BRANDS:
        label = "AVIF" if brand == b"avis" else "HEIF"
    else:
        label = "MOV" if brand == b"qt  " else "MP4"
    found, reason = boxes(f, 0, size, label)
    if reason:
        return reason
    types = {b.typ for b in found}
    if brand in _HEIF_BRANDS and b"meta" not in types:
        return _why(Why.NO_META, fmt=label)
    if brand in _SEQ_BRANDS and not types & {b"meta", b"moov"}:
        return _why(Why.NO_META_NOR_MOOV, fmt=label)
    if brand.startswith(_MOVIE_BRANDS) and b"moov" not in types:
        return _why(Why.NO_MOOV, fmt=label)
    moov = next((b for b in found if b.typ == b"moov"), None)
    if moov is not None and _encrypted(f, moov):
        return Refused(CodeId.ENCRYPTED_TRACK)
    if moov is not None and b"moof" not in types:
        media = sum(b.end - b.body for b in found if b.typ == b"mdat")
        declared = _sample_bytes(f, moov)
        if declared == 0 and _sample_tables(f, moov):
            # tracks with empty sample tables and no fragments: a CMAF/DASH initialisation
            # segment without its media segments; a player has no frame to show
            return _why(Why.NO_SAMPLES, fmt=label)
        if declared is not None and declared > media:
            return _why(Why.SAMPLES_MISSING, fmt=label, declared=num(declared), media=num(media))
    if moov is not None:
        from mediaaudit.probe.structure.nal import nal_framing  # it walks boxes with ours

        try:
            return nal_framing(f, size, moov, found)
        except (struct.error, ValueError, IndexError, OverflowError):
            return None  # a sample table this walk does not understand: no opinion
    return None


_STSZ_MAX = 8 << 20  # a sample-size table of 2 million samples; larger ones: no opinion


def _sample_tables(f: IO[bytes], moov: Box) -> list[Box] | None:
    """Every track's sample table (``trak/mdia/minf/stbl``); None when a track is not laid
    out as expected."""
    level = [moov]
    for typ in (b"trak", b"mdia", b"minf", b"stbl"):
        nxt: list[Box] = []
        for box in level:
            inner, why = boxes(f, box.body, box.end, "MP4")
            if why:
                return None
            nxt += [b for b in inner if b.typ == typ]
        level = nxt
    return level


# Sample entries of protected tracks (ISO/IEC 23001-7, Common Encryption: cenc, cbcs, …):
# the real codec hides behind ``sinf``, and no player shows them without the key.
_PROTECTED = {b"encv", b"enca", b"enct", b"encs", b"drmi", b"drms"}


def _encrypted(f: IO[bytes], moov: Box) -> bool:
    """Does any track hold encrypted (DRM-protected) samples?  Read from each track's
    sample description (``stsd``), the few bytes a player reads first."""
    for stbl in _sample_tables(f, moov) or []:
        inner, _ = boxes(f, stbl.body, stbl.end, "MP4")
        for stsd in (b for b in inner if b.typ == b"stsd"):
            entries, _ = boxes(f, stsd.body + 8, stsd.end, "MP4")  # after version, count
            if any(e.typ in _PROTECTED for e in entries):
                return True
    return False


def _sample_bytes(f: IO[bytes], moov: Box) -> int | None:
    """The bytes of every sample the movie's tracks index (``stsz``), so that a movie
    whose media data is missing or short is seen without reading any of it.  None when
    a table is too large to read cheaply or a track is not laid out as expected."""
    total = 0
    level = _sample_tables(f, moov)
    if level is None:
        return None
    for stbl in level:
        stsz = child(f, stbl, b"stsz")
        if stsz is None or stsz.end - stsz.body > _STSZ_MAX:
            return None
        f.seek(stsz.body + 4)
        fixed, count = struct.unpack(">II", f.read(8))
        if fixed:
            total += fixed * count
            continue
        if 12 + 4 * count > stsz.end - stsz.body:  # a count the box cannot hold: no opinion
            return None
        table = f.read(4 * count)
        if len(table) < 4 * count:
            return None
        total += sum(struct.unpack(f">{count}I", table))
    return total


# Top-level QuickTime atoms that may open a file without an ftyp box (old .mov files):
# with libmagic's "video/quicktime" they pick the ISO-BMFF walker.
QT_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
