"""Audio frames: MP3, ADTS AAC, FLAC and Ogg, walked frame by frame or page by page."""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from mediaaudit.codes import Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.common import CHUNK, Window, num


def _mutagen(f: IO[bytes], label: str, reader: Callable[[IO[bytes]], Any] | None = None
             ) -> str | None:
    """First gate: mutagen must parse the file (header, tags, first frames).  ``reader``:
    the one mutagen class for the format, where ``mutagen.File``'s guess is wrong (an
    ADTS stream after an ID3 tag, as HLS packs audio, is taken for MP3 and "cannot sync")."""
    import mutagen

    f.seek(0)
    try:
        m = (reader or mutagen.File)(f)
    except Exception as exc:  # mutagen raises many types on hostile input
        why = str(exc).strip()
        said = (_why(Why.AUDIO_UNREADABLE, fmt=label, why=why) if why
                else _why(Why.AUDIO_UNREADABLE_NO_FRAMES, fmt=label))
        return said[:160]
    return None if m is not None else _why(Why.AUDIO_NO_FRAMES, fmt=label)


def _id3_end(f: IO[bytes]) -> int:
    """Where audio starts after an ID3v2 tag (0 when there is none)."""
    f.seek(0)
    h = f.read(10)
    if len(h) < 10 or not h.startswith(b"ID3"):
        return 0
    n = (h[6] & 0x7F) << 21 | (h[7] & 0x7F) << 14 | (h[8] & 0x7F) << 7 | (h[9] & 0x7F)
    return 10 + n + (10 if h[5] & 0x10 else 0)


def _tags_start(f: IO[bytes], size: int) -> int:
    """Where audio ends before ID3v1 / APEv2 tags at the end of the file."""
    end = size
    if size >= 128:
        f.seek(size - 128)
        if f.read(3) == b"TAG":
            end -= 128
    if end >= 32:
        f.seek(end - 32)
        ape = f.read(32)
        if ape.startswith(b"APETAGEX"):
            end -= struct.unpack("<I", ape[12:16])[0] + (32 if ape[23] & 0x80 else 0)
    return max(end, 0)


_MP3_KBPS = {
    (3, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (3, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (3, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (2, 3): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (2, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_frame_len(h: bytes) -> int | None:
    """Length of the MPEG audio frame whose 4-byte header is ``h``; None if not one."""
    if len(h) < 4 or h[0] != 0xFF or h[1] & 0xE0 != 0xE0:
        return None
    ver, layer = (h[1] >> 3) & 3, 4 - ((h[1] >> 1) & 3)  # layer 1..3
    bri, sri, pad = h[2] >> 4, (h[2] >> 2) & 3, (h[2] >> 1) & 1
    if ver == 1 or layer == 4 or bri in (0, 15) or sri == 3:
        return None
    kbps = _MP3_KBPS[(3, layer) if ver == 3 else (2, 3 if layer == 1 else 2)][bri]
    sr = _MP3_RATES[ver][sri]
    if layer == 1:
        return (12 * kbps * 1000 // sr + pad) * 4
    if layer == 3 and ver != 3:
        return 72 * kbps * 1000 // sr + pad
    return 144 * kbps * 1000 // sr + pad


def adts_frame_len(h: bytes) -> int | None:
    if len(h) < 7 or h[0] != 0xFF or h[1] & 0xF6 != 0xF0:
        return None
    n = ((h[3] & 3) << 11) | (h[4] << 3) | (h[5] >> 5)
    return n if n >= 7 else None


def _frames(f: IO[bytes], start: int, end: int, label: str,
            frame_len: Callable[[bytes], int | None], hdr_len: int) -> str | None:
    """Chain frame headers from ``start``: at least a few must sync, and none may run
    past the end of the audio.  A non-header after the chain (an unknown tag) ends the
    walk without an opinion."""
    w = Window(f)
    pos = start
    for count in range(2_000_000):
        if pos >= end:
            return None
        hdr = w.at(pos, hdr_len)
        if len(hdr) < hdr_len and hdr[:1] == b"\xff" and count >= 3:
            return _why(Why.AUDIO_FRAME_HEADER_CUT, fmt=label, at=num(pos))
        n = frame_len(hdr)
        if n is None:
            if count < 3:
                return _why(Why.AUDIO_NO_FRAME_RUN, fmt=label, at=num(start))
            return None
        if pos + n > end:
            return _why(Why.AUDIO_FRAME_CUT, fmt=label, at=num(pos), need=num(n),
                        left=num(end - pos))
        pos += n
    return None


def mp3(f: IO[bytes], size: int) -> str | None:
    """mutagen parses it, then MPEG frames chain from the first to the last."""
    start = _id3_end(f)
    if start > size:
        return _why(Why.MP3_ID3_CUT)
    f.seek(start)
    head = f.read(7)
    if head.startswith(b"fLaC"):
        return flac(f, size)
    if adts_frame_len(head) is not None:
        return adts(f, size)
    why = _mutagen(f, "MP3")
    if why:
        return why
    f.seek(start)
    data = f.read(4096)  # some taggers leave padding after the ID3 tag: find the sync
    i = next((i for i in range(len(data) - 3) if mp3_frame_len(data[i:i + 4])), 0)
    end = _tags_start(f, size)
    declared = _mp3_declared_bytes(data[i:])
    if declared is not None and declared > end:  # counted from the first frame, or (some
        # encoders) from the start of the file: comparing with the absolute end is safe
        return _why(Why.MP3_EARLY, declared=num(declared), size=num(end))
    return _frames(f, start + i, end, "MP3", mp3_frame_len, 4)


def _mp3_declared_bytes(frame: bytes) -> int | None:
    """The stream size a Xing/Info or VBRI header in the first frame declares."""
    if len(frame) < 4:
        return None
    mpeg1, mono = (frame[1] >> 3) & 3 == 3, frame[3] >> 6 == 3
    x = 4 + ((17 if mono else 32) if mpeg1 else (9 if mono else 17))
    if frame[x:x + 4] in (b"Xing", b"Info") and len(frame) >= x + 16:
        flags = struct.unpack(">I", frame[x + 4:x + 8])[0]
        if flags & 2:
            return int(struct.unpack(">I", frame[x + 8 + (4 if flags & 1 else 0):][:4])[0])
    if frame[36:40] == b"VBRI" and len(frame) >= 50:
        return int(struct.unpack(">I", frame[46:50])[0])
    return None


def adts(f: IO[bytes], size: int) -> str | None:
    """ADTS AAC: every frame's 13-bit length chains to the end.  mutagen is asked only
    when the stream is long: it needs several frames to sync, and a one-frame file
    (exiftool's 31-byte sample) is complete when its one frame ends at the end."""
    start, end = _id3_end(f), _tags_start(f, size)
    f.seek(start)
    first = adts_frame_len(f.read(7))
    if first is not None and start + first == end:
        return None
    from mutagen.aac import AAC

    why = _mutagen(f, "AAC", AAC)  # skips an ID3 tag before the stream, as decoders do
    if why:
        return why
    return _frames(f, start, end, "AAC", adts_frame_len, 7)


def _crc(data: bytes, table: tuple[int, ...], bits: int) -> int:
    c, shift, mask = 0, bits - 8, (1 << bits) - 1
    for b in data:
        c = ((c << 8) & mask) ^ table[(c >> shift) ^ b]
    return c


def _crc_table(poly: int, bits: int) -> tuple[int, ...]:
    top, mask, out = 1 << (bits - 1), (1 << bits) - 1, []
    for i in range(256):
        c = i << (bits - 8)
        for _ in range(8):
            c = ((c << 1) ^ poly) & mask if c & top else (c << 1) & mask
        out.append(c)
    return tuple(out)


_CRC8, _CRC16 = _crc_table(0x07, 8), _crc_table(0x8005, 16)
_FLAC_SYNC = re.compile(rb"\xff[\xf8\xf9]")


@dataclass(frozen=True)
class FlacFrame:
    first_sample: int
    samples: int


def _flac_frame(b: bytes, fixed_block: int) -> FlacFrame | None:
    """Parse a FLAC frame header at the start of ``b`` (CRC-8 checked), or None."""
    if len(b) < 6:
        return None
    bs_code, sr_code, ch, ss = b[2] >> 4, b[2] & 15, b[3] >> 4, (b[3] >> 1) & 7
    if bs_code == 0 or sr_code == 15 or ch > 10 or ss == 3 or b[3] & 1:
        return None
    lead = b[4]
    extra = 0 if lead < 0x80 else 8 - (lead ^ 0xFF).bit_length() - 1
    if extra < 0 or extra > 6 or (lead >= 0x80 and extra == 0):
        return None
    num = lead & (0x7F >> extra) if extra else lead
    i = 5
    for _ in range(extra):
        if i >= len(b) or b[i] & 0xC0 != 0x80:
            return None
        num, i = (num << 6) | (b[i] & 0x3F), i + 1
    if bs_code == 1:
        bs = 192
    elif bs_code <= 5:
        bs = 576 << (bs_code - 2)
    elif bs_code == 6:
        bs, i = (b[i] + 1 if i < len(b) else 0), i + 1
    elif bs_code == 7:
        bs, i = (int.from_bytes(b[i:i + 2], "big") + 1), i + 2
    else:
        bs = 256 << (bs_code - 8)
    i += 1 if sr_code == 12 else 2 if sr_code in (13, 14) else 0
    if i >= len(b) or _crc(b[:i], _CRC8, 8) != b[i]:
        return None
    first = num if b[1] & 1 else num * fixed_block
    return FlacFrame(first, bs)


def flac(f: IO[bytes], size: int) -> str | None:
    """FLAC frames are not length-prefixed, so the check reads only the tail: the last
    frame must be the one that ends at STREAMINFO's sample count, and its CRC-16 must
    match the bytes up to the end of the file (a one-byte cut breaks it)."""
    why = _mutagen(f, "FLAC")
    if why:
        return why
    start = _id3_end(f)
    f.seek(start + 8)
    si = f.read(34)
    if len(si) < 34:
        return _why(Why.FLAC_STREAMINFO_CUT, at=num(size))
    max_block = struct.unpack(">H", si[2:4])[0]
    max_frame = int.from_bytes(si[7:10], "big")
    total = int.from_bytes(si[13:18], "big") & ((1 << 36) - 1)
    end = _tags_start(f, size)
    span = min(max(max_frame, 16 << 10) + 32, CHUNK, end)
    f.seek(end - span)
    tail = f.read(span)
    for m in reversed(list(_FLAC_SYNC.finditer(tail))):
        fr = _flac_frame(tail[m.start():m.start() + 16], max_block)
        if fr is None:
            continue
        last = total == 0 or fr.first_sample + fr.samples == total
        if last and _crc(tail[m.start():-2], _CRC16, 16) == int.from_bytes(tail[-2:], "big"):
            return None
        if total and fr.first_sample + fr.samples < total:
            got = fr.first_sample + fr.samples
            return _why(Why.FLAC_EARLY, got=num(got), total=num(total))
    return _why(Why.FLAC_LAST_FRAME_CUT)


def ogg(f: IO[bytes], size: int) -> str | None:
    """Ogg pages (27-byte header + segment table) chain to the end of the file, the last
    one flagged end-of-stream, and mutagen parses the stream's headers.

    Junk between two pages is skipped as decoders skip it (the capture pattern ``OggS``
    is a resync point, RFC 3533 §6): when the next page carries the next sequence number
    of its stream, no page was lost and the file plays whole, so neither the junk nor
    mutagen's refusal of it ("expected b'OggS'") is damage.  A skip that loses a page
    is."""
    pages = _ogg_pages(f, size)
    if isinstance(pages, str):
        return pages
    why = _mutagen(f, "Ogg")
    if why and not pages:
        return why
    return None


def _ogg_pages(f: IO[bytes], size: int) -> str | int:
    """The page walk: a reason, or how many times it resynchronised over junk.  After
    junk the next page must carry the next sequence number of its stream, or begin a
    new chained stream (its first page, after a page that ended the last one)."""
    w = Window(f)
    pos, flags, skips = 0, 0, 0
    seq: dict[bytes, int] = {}
    for _ in range(2_000_000):
        if pos >= size:
            break
        h = w.at(pos, 27)
        if not h.startswith(b"OggS"):
            if pos == 0:
                return _why(Why.OGG_BROKEN, at=num(pos))
            nxt = _next_capture(f, pos, size)
            if nxt is None:
                break  # trailing bytes after the last page: judged by that page
            h = w.at(nxt, 27)
            number = int.from_bytes(h[18:22], "little")
            chained = bool(flags & 0x04) and len(h) >= 27 and h[5] & 0x02 and number == 0
            if not chained and (len(h) < 27 or seq.get(h[14:18]) != number - 1):
                return _why(Why.OGG_PAGE_LOST, at=num(pos), skipped=num(nxt - pos))
            pos, skips = nxt, skips + 1
        if len(h) < 27:
            return _why(Why.OGG_HEADER_CUT, at=num(size))
        segs = w.at(pos + 27, h[26])
        if len(segs) < h[26]:
            return _why(Why.OGG_HEADER_CUT, at=num(size))
        end = pos + 27 + h[26] + sum(segs)
        if end > size:
            return _why(Why.OGG_PAGE_PAST_END, at=num(pos))
        seq[h[14:18]] = int.from_bytes(h[18:22], "little")
        pos, flags = end, h[5]
    if not flags & 0x04:
        return _why(Why.OGG_NO_EOS)
    return skips


def _next_capture(f: IO[bytes], pos: int, size: int) -> int | None:
    """The offset of the next ``OggS`` after ``pos``, searched in 1 MiB pieces."""
    at = pos
    while at < size:
        f.seek(at)
        piece = f.read(CHUNK + 3)
        found = piece.find(b"OggS", 1 if at == pos else 0)
        if found >= 0:
            return at + found
        if len(piece) < CHUNK + 3:
            return None
        at += CHUNK
    return None
