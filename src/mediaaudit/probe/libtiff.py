"""libtiff itself, as the second reader of a TIFF's pixel data under ``--deep``.

Pillow decodes TIFF through libtiff but keeps what libtiff says to itself: a CCITT fax
strip that stops at its first line ("Premature EOL"), a JPEG-in-TIFF strip whose
entropy data ends early ("Corrupt JPEG data: premature end of data segment") and a
ThunderScan strip short of its scanlines all decode "cleanly" through Pillow, and libav's
TIFF decoder lacks most of these compressions.  libtiff, asked strip by strip (or tile by
tile), fails the read or says why, in its own words.  It is called through ``ctypes``:
the library every TIFF reader here rests on, already on every machine that has
ImageMagick or Pillow's system dependencies, with a stable C API of four calls; no Python
binding of it is maintained.  Without the library there is no opinion.

The file is opened with mode ``rm``: libtiff maps files by default, and a file cut by
someone else while mapped kills the process with SIGBUS (the structure walkers never map
for the same reason).  Only what libtiff says *while reading pixel data* counts:
tag-level warnings at open (an unknown private tag, an odd ASCII count) are about
metadata, which the probes judge elsewhere.  Uncompressed pages are not read: their data
is complete when every strip lies inside the file, which the structure walk checks
already, and libtiff refuses some that other readers show whole (Pillow's
``tiff_overflow_rows_per_strip.tif``: a RowsPerStrip of 2³¹ over 64 strips that hold
every row).
"""

from __future__ import annotations

import ctypes
import functools
import os
import re
from dataclasses import dataclass
from typing import Any

from mediaaudit.probe import native

ENGINE = "libtiff"

_MAX_CHUNKS = 1_000_000  # strips or tiles: beyond this, no opinion (a bomb, not a photo)
_MAX_BUFFER = 64 << 20  # one strip's or tile's decoded bytes (a 12 MP RGB strip: 36 MB)
# What libtiff's codecs say about bad data, as opposed to notes on odd but readable files.
_DAMAGE = re.compile(r"corrupt|premature|not enough data|buffer overflow|bad code|"
                     r"decoding error|unexpected end|invalid|error", re.IGNORECASE)


@functools.cache
def _lib() -> Any | None:
    """The library by its soname first: ``find_library`` runs ``ldconfig`` (~25 ms)."""
    try:
        lib = ctypes.CDLL("libtiff.so.6")
    except OSError:
        from ctypes.util import find_library  # imports subprocess & co: only when needed

        name = find_library("tiff")
        if name is None:
            return None
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            return None
    lib.TIFFOpen.restype = ctypes.c_void_p
    lib.TIFFOpen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.TIFFClose.argtypes = [ctypes.c_void_p]
    lib.TIFFReadDirectory.argtypes = [ctypes.c_void_p]
    lib.TIFFIsTiled.argtypes = [ctypes.c_void_p]
    lib.TIFFGetField.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p]
    for count, size in (("TIFFNumberOfStrips", "TIFFStripSize"),
                        ("TIFFNumberOfTiles", "TIFFTileSize")):
        getattr(lib, count).argtypes = [ctypes.c_void_p]
        getattr(lib, count).restype = ctypes.c_uint32
        getattr(lib, size).argtypes = [ctypes.c_void_p]
        getattr(lib, size).restype = ctypes.c_ssize_t
    for read in ("TIFFReadEncodedStrip", "TIFFReadEncodedTile"):
        getattr(lib, read).argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p,
                                       ctypes.c_ssize_t]
        getattr(lib, read).restype = ctypes.c_ssize_t
    return lib


def version() -> str | None:
    """libtiff's version ("4.5.0"), or None when it is not installed (``doctor``)."""
    lib = _lib()
    if lib is None:
        return None
    lib.TIFFGetVersion.restype = ctypes.c_char_p
    words = (lib.TIFFGetVersion() or b"").decode("ascii", "replace")
    found = re.search(r"Version (\S+)", words)
    return found.group(1) if found else words.splitlines()[0] if words else "unknown"


@dataclass(frozen=True)
class Reading:
    """What libtiff made of a file's pixel data: ``read`` when it opened the file and
    read every page it was asked to; ``error`` its words when a read failed or it
    complained about the data."""

    read: bool
    error: str | None = None


_NO_OPINION = Reading(False)


def read(path: str, uncompressed: bool = False) -> Reading:
    """Read every strip or tile of every page (of compressed pages only, unless
    ``uncompressed``).  No opinion without the library, or for a file libtiff will not
    open or whose strips are too many or too large to read here: the structure walk and
    Pillow speak to those."""
    lib = _lib()
    if lib is None:
        return _NO_OPINION
    with native.caught():  # what it says while opening: metadata, not pixels
        tif = lib.TIFFOpen(os.fsencode(path), b"rm")  # m: read, never memory-map
    if not tif:
        return _NO_OPINION
    try:
        return _pages(lib, tif, uncompressed)
    finally:
        with native.caught():
            lib.TIFFClose(tif)


_COMPRESSION = 259
_NONE = 1


def _compressed(lib: Any, tif: int) -> bool:
    value = ctypes.c_uint16(_NONE)
    lib.TIFFGetField(tif, _COMPRESSION, ctypes.byref(value))
    return value.value != _NONE


def _pages(lib: Any, tif: int, uncompressed: bool) -> Reading:
    for page in range(10_000):
        if not uncompressed and not _compressed(lib, tif):
            if not _next_page(lib, tif):
                return Reading(True)
            continue
        tiled = bool(lib.TIFFIsTiled(tif))
        count = (lib.TIFFNumberOfTiles if tiled else lib.TIFFNumberOfStrips)(tif)
        size = (lib.TIFFTileSize if tiled else lib.TIFFStripSize)(tif)
        fetch = lib.TIFFReadEncodedTile if tiled else lib.TIFFReadEncodedStrip
        if count > _MAX_CHUNKS or not 0 < size <= _MAX_BUFFER:
            return _NO_OPINION
        buf = ctypes.create_string_buffer(size)
        failed = 0
        with native.caught() as said:
            for i in range(count):
                if fetch(tif, i, buf, size) < 0:
                    failed += 1
        words = said[0] if said else ""
        if failed or _DAMAGE.search(words):
            what = "tile" if tiled else "strip"
            lead = f"page {page + 1}: " if page else ""
            return Reading(True, (f"{lead}{failed} of {count} {what}s unreadable: {words}"
                                  if failed else f"{lead}{words}")[:200])
        if not _next_page(lib, tif):
            return Reading(True)
    return _NO_OPINION


def _next_page(lib: Any, tif: int) -> bool:
    with native.caught():
        return bool(lib.TIFFReadDirectory(tif))
