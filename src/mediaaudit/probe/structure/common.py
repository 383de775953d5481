"""What every structure walker shares: the result types, number and name formatting, and
the read window for dense headers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO

from mediaaudit.codes import CodeId
from mediaaudit.probe.contents import whole

CHUNK = 1 << 20


@dataclass(frozen=True)
class Refused:
    """What a walker returns for a file that is complete but has a finding of its own,
    not 'damaged or truncated': refused by rule (an SVG with a DOCTYPE), or damage to its
    metadata only (a PNG text chunk with a bad checksum), with the finding's params."""

    code: CodeId
    params: Mapping[str, str] = field(default_factory=dict)


Check = Callable[[IO[bytes], int], "str | Refused | None"]


def num(x: int) -> str:
    return f"{x:,}"


def fourcc(raw: bytes) -> str:
    """A box/chunk type for a message: printable ASCII as is, else hex."""
    if all(32 <= c < 127 for c in raw):
        return raw.decode("ascii").strip() or repr(raw)
    return raw.hex()


class Window:
    """Small reads at increasing offsets through one 1 MiB buffer.

    For formats whose headers are dense (GIF sub-blocks every 256 bytes, MP3 frames every
    ~400): one read per MiB instead of one per header.  Not mmap: a file truncated by
    someone else while mapped would kill the process with SIGBUS.  Over a kept file
    (``contents``) the window is the whole file, read by the hashing pass already."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f = f
        self.start = 0
        data = whole(f)
        self.whole = data is not None
        self.buf = data if data is not None else b""

    def at(self, pos: int, n: int) -> bytes:
        if self.whole and pos >= 0:
            return self.buf[pos:pos + n]
        if pos < self.start or pos + n > self.start + len(self.buf):
            self.f.seek(pos)
            self.buf = self.f.read(max(n, CHUNK))
            self.start = pos
        return self.buf[pos - self.start:pos - self.start + n]

    def skip_subblocks(self, pos: int) -> int | None:
        """The offset after a chain of GIF sub-blocks starting at ``pos`` (a length byte,
        that many bytes, ... up to a 0 length), or None when the file ends first.
        Indexes the buffer directly: a 640×480 GIF has ~1,200 sub-blocks, and one ``at``
        call per block cost 0.6 ms."""
        while True:
            buf, i = self.buf, pos - self.start
            if 0 <= i < len(buf):
                n = len(buf)
                while i < n:
                    ln = buf[i]
                    i += 1 + ln
                    if ln == 0:
                        return self.start + i
                pos = self.start + i
            if not self.at(pos, 1):
                return None
