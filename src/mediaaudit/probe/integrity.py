"""Cheap end-of-file checks: does the file end the way its format says it must?

A header read cannot see a truncated JPEG, PNG or GIF (Pillow opens them happily); one
seek to the tail can: JPEG ends with EOI (FF D9), PNG with an IEND chunk, GIF with the
trailer byte 3B.  Trailing bytes after the end marker (some phones append data) are
allowed, so the marker is looked for in the last 64 KiB, not only at the very end.
"""

from __future__ import annotations

import os

from mediaaudit.probe.partial import Partial

TAIL = 64 * 1024


def _tail(path: str) -> bytes:
    with open(path, "rb") as f:
        size = f.seek(0, os.SEEK_END)
        f.seek(max(0, size - TAIL))
        return f.read()


def check_end(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader: MA-IO-004 when the format's end marker is missing."""
    reason = None
    if head.startswith(b"\xff\xd8\xff"):
        reason = None if b"\xff\xd9" in _tail(path) else "JPEG has no end-of-image marker"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        reason = None if b"IEND" in _tail(path) else "PNG has no IEND chunk"
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        ok = _tail(path).rstrip(b"\x00").endswith(b"\x3b")
        reason = None if ok else "GIF has no trailer"
    if reason:
        part.note("MA-IO-004", "integrity", reason=reason)
