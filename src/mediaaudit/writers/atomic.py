"""Write an output file atomically, readable by whoever the umask allows.

A report is attached to a publication request and opened by colleagues on a shared
drive, so it must get the mode any other new file would get (``0o666 & ~umask``), not
the 0600 of ``tempfile.mkstemp``.  It is written to a temporary file in the target folder
and renamed over the target only once complete, so a reader never sees half a report.
Every way the target can be unusable ends in ``OutputUnwritable``, so the CLI can
say it in one line.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import os
import tempfile
from collections.abc import Iterator
from typing import TextIO

TEMP_PREFIX = ".mediaaudit-"


class OutputUnwritable(Exception):
    """An output file cannot be created or written; ``reason`` is for the user."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.reason = reason


@functools.cache
def process_umask() -> int:
    """The umask, read once per process.

    There is no call that only reads it: set a restrictive one and put the old one back
    at once, so a file that another thread creates in between is too private rather
    than world-writable."""
    old = os.umask(0o077)
    os.umask(old)
    return old


def file_mode() -> int:
    """The mode ``open()`` would give a new file."""
    return 0o666 & ~process_umask()


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def check_writable(path: str) -> None:
    """Fail before any work is done when ``path`` can never be written.

    Creates and removes a temporary file next to it: the only test that also catches
    read-only mounts, /proc and quota, which permission bits do not show."""
    if os.path.isdir(path):
        raise OutputUnwritable(path, os.strerror(errno.EISDIR))
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputUnwritable(path, _reason(exc)) from exc
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)


class _Stream(io.TextIOWrapper):
    """The temporary file: a failed write (disk full, share gone) says which output it
    was, while an ``OSError`` raised by the caller's own work between writes passes
    through unchanged, not mistaken for an unwritable output.  A lone surrogate (a byte of
    a name that is not UTF-8, should one reach a writer undisplayed) is written as its
    ``\\udcNN`` escape, which is valid JSON and readable anywhere, never a failed
    report."""

    def __init__(self, fd: int, path: str) -> None:
        super().__init__(io.BufferedWriter(io.FileIO(fd, "w")), encoding="utf-8",
                         errors="backslashreplace", newline="")
        self.target = path

    def write(self, s: str) -> int:
        try:
            return super().write(s)
        except OSError as exc:
            raise OutputUnwritable(self.target, _reason(exc)) from exc

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            raise OutputUnwritable(self.target, _reason(exc)) from exc


@contextlib.contextmanager
def atomic_text(path: str) -> Iterator[TextIO]:
    """A text stream (UTF-8, newlines as written) that replaces ``path`` when the block
    ends without an exception; on any error the temporary file is removed and the old
    ``path`` is left as it was.  Creating, writing or renaming it raises
    ``OutputUnwritable``."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputUnwritable(path, _reason(exc)) from exc
    stream = _Stream(fd, path)
    try:
        with contextlib.suppress(OSError):
            os.fchmod(fd, file_mode())  # a share that has no modes keeps its own
        yield stream
        try:
            stream.close()
            os.replace(tmp, path)
        except OSError as exc:
            raise OutputUnwritable(path, _reason(exc)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            stream.close()
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
