"""The bytes of the file being probed, read once.

The probe reads every file once to hash it (``digest.sha256_head_and_contents``).  A file
of at most ``KEEP_BYTES`` whose structure walker reads it to its end (JPEG entropy data,
PNG checksums, GIF blocks, audio frames: ``structure.reads_whole``) is kept whole in
memory for the length of its own probe, and the walker reads it from there
(``open_probed``) instead of opening and reading it again.  What it judges is then
exactly the bytes the manifest's SHA-256 covers.

Why a context variable and not a new parameter: the file readers share one signature
(path, head, MIME type, findings); the bytes are an optimisation of how the file is read,
not an input to what a reader decides, and a reader that opens the path itself still
gets the same answer.  Never ``mmap``: a file truncated by someone else while mapped
would kill the worker with SIGBUS.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO

# Larger files are streamed: a kept file costs its size in memory while it is probed,
# once per worker process (a 12 MP JPEG is ~3.6 MB, a 12 MP PNG 20-36 MB).
KEEP_BYTES = 32 << 20

_HELD: ContextVar[tuple[str, bytes] | None] = ContextVar("probed_contents", default=None)


class InMemory(io.BytesIO):
    """A file object over a probed file's bytes (no copy: ``BytesIO`` shares an immutable
    ``bytes``).  ``name`` is the path, as for a file opened from disk, so a reader that
    hands the path to a library of its own (jpylyzer) or reads the name (mutagen) does
    as before; ``data`` lets a walker search the bytes without reading them in pieces."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.data = data
        self.name = name


@contextmanager
def holding(path: str, data: bytes | None) -> Iterator[None]:
    """While the block runs, ``open_probed(path)`` reads ``data`` (when not None)."""
    token = _HELD.set((path, data) if data is not None else None)
    try:
        yield
    finally:
        _HELD.reset(token)


def open_probed(path: str) -> IO[bytes]:
    """The file at ``path``: its kept bytes while it is being probed, else the file."""
    held = _HELD.get()
    if held is not None and held[0] == path:
        return InMemory(held[1], path)
    return open(path, "rb")


def whole(f: IO[bytes]) -> bytes | None:
    """All of ``f``'s bytes when it is a kept file, else None (read it in pieces)."""
    return f.data if isinstance(f, InMemory) else None
