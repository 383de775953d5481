"""What native libraries print while a file is probed, caught instead of shown.

libtiff, libjpeg and libav write warnings about odd files straight to the process's
standard error ("ZIPDecode: Decoding error at scanline 0…"), past any Python logging.  In
a scan they interleaved with the progress bar and said nothing about which file they
meant.  The probe workers therefore point file descriptor 2 at a private file while a
file is probed, and what was written becomes an info finding on that file
(``MA-IO-011``), in the manifest where an archivist can read it beside the verdict.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator

_MAX = 400  # characters kept: the first lines say what happened
# libav names its context by address ("[tiff @ 0x5648…] "): different in every run, which
# would make two manifests of the same file differ.
_ADDRESS = re.compile(r"\[([\w-]+) @ 0x[0-9a-fA-F]+\] ")


def _plain(line: str) -> str:
    return _ADDRESS.sub(r"\1: ", line.strip())
_sinks: list[int] = []  # one private file per level of nesting, made once, reused
_depth = 0


def _fd(level: int) -> int:
    while len(_sinks) <= level:
        fd, path = tempfile.mkstemp(prefix="mediaaudit-stderr-")
        os.unlink(path)  # nothing left behind, whatever happens to this process
        _sinks.append(fd)
    return _sinks[level]


@contextlib.contextmanager
def caught() -> Iterator[list[str]]:
    """Within the block, fd 2 writes go to a private file; afterwards the list holds what
    was written (one string, trimmed), or nothing.  Blocks may nest (the second decoder's
    own words are caught inside the probe's): each level has its own file."""
    global _depth
    out: list[str] = []
    sink = _fd(_depth)
    os.ftruncate(sink, 0)
    os.lseek(sink, 0, os.SEEK_SET)
    saved = os.dup(2)
    os.dup2(sink, 2)
    _depth += 1
    try:
        yield out
    finally:
        _depth -= 1
        os.dup2(saved, 2)
        os.close(saved)
        os.lseek(sink, 0, os.SEEK_SET)
        text = os.read(sink, _MAX * 4).decode("utf-8", "replace")
        lines = list(dict.fromkeys(_plain(line) for line in text.splitlines() if line.strip()))
        if lines:
            out.append(" / ".join(lines)[:_MAX])
