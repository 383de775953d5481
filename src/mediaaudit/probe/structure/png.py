"""PNG: chunks by their declared lengths and checksums."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from mediaaudit.codes import CodeId, Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.contents import whole
from mediaaudit.probe.structure.common import CHUNK, Refused, fourcc, num

# Inflating the image data costs about 4 ms per MiB it unpacks to (a 640×480 RGB PNG:
# 0.9 MiB, 3.6 ms); a PNG whose image unpacks to more than this is left to ``--deep``
# (Pillow's full decode), so a 12-megapixel PNG does not add 160 ms to a default scan.
INFLATE_LIMIT = 34 << 20  # a 3840×2160 RGBA screenshot unpacks to 33.2 MB
# colour type: (channels, the bit depths the PNG specification allows for it)
_COLOUR = {0: (1, (1, 2, 4, 8, 16)), 2: (3, (8, 16)), 3: (1, (1, 2, 4, 8)), 4: (2, (8, 16)),
           6: (4, (8, 16))}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2))


@dataclass(frozen=True)
class _Header:
    """What IHDR says about the image data: its size, and where each row's filter byte is."""

    width: int
    height: int
    bits: int  # per pixel
    interlaced: bool
    indexed: bool  # colour type 3: each 8-bit sample is a palette index

    def passes(self) -> list[tuple[int, int]]:
        """(rows, bytes per row including the filter byte) of each pass."""
        out = []
        for x0, y0, dx, dy in _ADAM7 if self.interlaced else ((0, 0, 1, 1),):
            w = (self.width - x0 + dx - 1) // dx if self.width > x0 else 0
            h = (self.height - y0 + dy - 1) // dy if self.height > y0 else 0
            if w and h:
                out.append((h, 1 + (w * self.bits + 7) // 8))
        return out

    def need(self) -> int:
        return sum(rows * stride for rows, stride in self.passes())


def _header(data: bytes) -> _Header | None:
    if len(data) < 13:
        return None
    w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[:13])
    channels, depths = _COLOUR.get(colour, (0, ()))
    if depth not in depths or not w or not h or interlace > 1:
        return None  # a header the decoders refuse themselves: no row layout to check
    return _Header(w, h, depth * channels, interlace == 1, colour == 3 and depth == 8)


class _Inflate:
    """The IDAT stream unpacked as it is read, checking each row's filter type; holds no
    more than 1 MiB of unpacked data at a time.

    In an 8-bit palette image whose rows are all unfiltered (filter type 0, what writers
    use for palettes) the unpacked bytes *are* the indices, so an index past the end of
    the palette (libpng: "palette index exceeding num_palette"; the pixel has no colour)
    is seen with one C-level ``bytes.translate`` per piece, without defiltering."""

    def __init__(self, head: _Header) -> None:
        self.head = head
        self.need = head.need()
        self.z = zlib.decompressobj()
        self.got = 0
        self.rows = self._filter_bytes()
        self.next = next(self.rows, None)
        self.bad: str | None = None
        self.palette = 256  # entries; set from PLTE, which comes before the image data
        self.filtered = False
        self.beyond = b""  # indices past the palette, seen in unfiltered rows

    def _filter_bytes(self) -> Iterator[tuple[int, int]]:
        pos = row = 0
        for rows, stride in self.head.passes():
            for _ in range(rows):
                yield row, pos
                row += 1
                pos += stride

    def feed(self, piece: bytes | memoryview) -> None:
        if self.bad is not None or self.z.eof or self.got >= self.need:
            return  # every row is there: what follows is not image data (a bomb's tail)
        try:
            out = self.z.decompress(piece, CHUNK)
            while True:
                self._rows(out)
                if not self.z.unconsumed_tail or self.bad is not None or self.got >= self.need:
                    break
                out = self.z.decompress(self.z.unconsumed_tail, CHUNK)
        except zlib.error as e:
            self.bad = _why(Why.PNG_IDAT_CORRUPT, why=str(e).split(": ", 1)[-1])

    def _rows(self, out: bytes) -> None:
        end = self.got + len(out)
        while self.next is not None and self.next[1] < end:
            row, at = self.next
            value = out[at - self.got]
            if value > 4:
                self.bad = _why(Why.PNG_BAD_FILTER, row=num(row + 1), value=str(value))
                return
            self.filtered = self.filtered or value != 0
            self.next = next(self.rows, None)
        if self.head.indexed and not self.filtered and self.palette < 256:
            self.beyond = self.beyond or out[:max(0, self.need - self.got)].translate(
                None, bytes(range(self.palette)))
        self.got = end

    def verdict(self) -> str | None:
        if self.bad is None and self.got < self.need:
            return _why(Why.PNG_IDAT_SHORT, got=num(self.got), need=num(self.need),
                        w=num(self.head.width), h=num(self.head.height))
        if self.bad is None and self.beyond and not self.filtered:
            return _why(Why.PNG_PALETTE_INDEX, index=str(max(self.beyond)),
                        colours=str(self.palette))
        return self.bad


def _chunk(f: IO[bytes], typ: bytes, n: int, feed: _Inflate | None) -> int | None:
    """The CRC-32 of a chunk's type and data (from the file position), read in pieces or,
    over a kept file, from its bytes, feeding IDAT data to the inflater on the way; None
    when the file ends first."""
    crc = zlib.crc32(typ)
    data = whole(f)
    if data is not None:
        pos = f.tell()
        if pos + n > len(data):
            return None
        f.seek(pos + n)
        piece = memoryview(data)[pos:pos + n]
        if feed is not None:
            feed.feed(piece)
        return zlib.crc32(piece, crc)
    left = n
    while left:
        got = f.read(min(left, CHUNK))
        if not got:
            return None
        crc = zlib.crc32(got, crc)
        if feed is not None:
            feed.feed(got)
        left -= len(got)
    return crc


def png(f: IO[bytes], size: int) -> str | Refused | None:
    """Chunk lengths from the signature to IEND, every chunk's CRC, and the image data:
    present, in consecutive IDAT chunks, and (up to ``INFLATE_LIMIT``) unpacking to every
    row the header promises, each row with a valid filter type.

    The CRCs are checked by default: they cover every byte of every chunk, so a bit flip in
    the compressed image data (which Pillow's header read never sees, and which its decoder
    may not notice either) is found for the cost of reading the file once more from the
    page cache (0.03 ms for a 60 KB PNG, 0.07 ms for 175 KB).  A CRC says nothing of a
    file written wrong in the first place (image data cut short before its CRC was
    computed, chunks split), which only unpacking the data shows; that costs about 4 ms
    per unpacked MiB, so it is done for images up to a 4K screenshot.  The rows are not
    defiltered: that is a decode, for ``--deep``.

    A bad checksum in an ancillary chunk (text, time, HDR metadata such as cLLI) is what
    libpng treats it as: that metadata is lost (``MA-IO-009``), the image is not damaged;
    in a critical chunk (IHDR, PLTE, IDAT, IEND) it is damage."""
    pos = 8
    idat = False
    ended_at: tuple[bytes, int] | None = None  # the chunk after the first IDAT run
    lost: Refused | None = None
    inflate: _Inflate | None = None
    for _ in range(1_000_000):
        if pos >= size:
            return _why(Why.PNG_NO_IEND)
        f.seek(pos)
        h = f.read(8)
        if len(h) < 8:
            return _why(Why.PNG_HEADER_CUT, at=num(size))
        n, typ = struct.unpack(">I4s", h)
        if not typ.isalpha() or n > 0x7FFFFFFF:
            return _why(Why.PNG_BROKEN, at=num(pos))
        if typ == b"acTL" and n >= 8:
            if f.read(4) == b"\0\0\0\0":
                return _why(Why.APNG_NO_FRAMES)  # no reader can show it
            f.seek(pos + 8)
        if pos + 12 + n > size:
            return _why(Why.PNG_CHUNK_PAST_END, name=fourcc(typ))
        if typ == b"IHDR" and pos == 8:
            head = _header(f.read(13))
            if head is not None and head.need() <= INFLATE_LIMIT:
                inflate = _Inflate(head)
            f.seek(pos + 8)
        if typ == b"PLTE" and inflate is not None:
            inflate.palette = n // 3
        if typ == b"IDAT" and ended_at is not None:
            return _why(Why.PNG_IDAT_SPLIT, name=fourcc(ended_at[0]), at=num(ended_at[1]))
        if idat and typ != b"IDAT" and ended_at is None:
            ended_at = (typ, pos)
        crc = _chunk(f, typ, n, inflate if typ == b"IDAT" else None)
        stored = f.read(4)
        if crc is None or len(stored) < 4:
            return _why(Why.PNG_CHUNK_PAST_END, name=fourcc(typ))
        if crc != struct.unpack(">I", stored)[0]:
            if typ[:1].isupper():  # critical
                return _why(Why.PNG_BAD_CRC, name=fourcc(typ), at=num(pos))
            lost = lost or Refused(CodeId.METADATA_DAMAGED, {
                "block": f"PNG {fourcc(typ)}",
                "reason": _why(Why.PNG_BAD_CRC, name=fourcc(typ), at=num(pos))})
        idat = idat or typ == b"IDAT"
        pos += 12 + n
        if typ == b"IEND":
            if not idat:
                return _why(Why.PNG_NO_IDAT)
            return (inflate.verdict() if inflate is not None else None) or lost
    return None
