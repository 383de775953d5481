"""The one home of 'which files are sidecars of which media file'.

A sidecar is evidence about a media file kept beside it: a REUSE licence
(``photo.jpg.license``), an XMP sidecar (``photo.xmp``, ``photo.jpg.xmp``), captions
(``clip.srt``, ``clip.nl.vtt``, ``clip.mp4.en.srt``) and alt text (``photo.alt.txt``,
``photo.jpg.alt.txt``).  The walker leaves them out of the audit, the readers read them,
the cache fingerprints them and ``watch`` moves them with their media file: all through
this module, so a new kind of sidecar is one entry here.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from enum import StrEnum


class SidecarKind(StrEnum):
    LICENSE = "license"
    XMP = "xmp"
    CAPTION = "caption"
    ALT_TEXT = "alt_text"


@dataclass(frozen=True)
class Sidecar:
    """One sidecar file that exists next to a media file."""

    kind: SidecarKind
    path: str
    lang: str | None = None  # captions: 'nl' in clip.nl.vtt
    fmt: str | None = None  # captions: 'srt' or 'vtt'

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


# Name endings that mark a sidecar whatever media file it belongs to (the walker's test).
SUFFIXES = (".license", ".xmp", ".srt", ".vtt", ".alt.txt")
_CAPTION_EXT = (".srt", ".vtt")
_LANG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$", re.I)


def is_sidecar_name(name: str) -> bool:
    """Is this directory entry evidence rather than media (never audited as media)?"""
    return name.lower().endswith(SUFFIXES)


@functools.lru_cache(maxsize=64)
def _listing(directory: str, mtime_ns: int) -> tuple[str, ...]:
    """Directory entries, cached per directory version (its mtime changes on add/remove)."""
    del mtime_ns
    try:
        return tuple(sorted(os.listdir(directory)))
    except OSError:
        return ()


def siblings(path: str) -> tuple[str, ...]:
    """The names in the directory holding ``path`` (cheap on repeated calls)."""
    directory = os.path.dirname(path) or "."
    try:
        mtime = os.stat(directory).st_mtime_ns
    except OSError:
        return ()
    return _listing(directory, mtime)


def _caption(sib: str, name: str, stem: str) -> tuple[str | None, str] | None:
    """(language, format) when ``sib`` is a caption file for ``name``/``stem``."""
    low = sib.lower()
    if not low.endswith(_CAPTION_EXT):
        return None
    base, fmt = sib[:-4], low[-3:]
    for prefix in (name, stem):
        if base == prefix:
            return None, fmt
        if base.startswith(prefix + ".") and _LANG.match(base[len(prefix) + 1:]):
            return base[len(prefix) + 1:].lower(), fmt
    return None


def sidecars_of(path: str) -> list[Sidecar]:
    """Every sidecar that exists next to ``path``, in a stable order (kind, name)."""
    directory = os.path.dirname(path)
    name = os.path.basename(path)
    stem = os.path.splitext(name)[0]
    wanted = {
        name + ".license": SidecarKind.LICENSE,
        name + ".xmp": SidecarKind.XMP,
        stem + ".xmp": SidecarKind.XMP,
        name + ".alt.txt": SidecarKind.ALT_TEXT,
        stem + ".alt.txt": SidecarKind.ALT_TEXT,
    }
    out: list[Sidecar] = []
    for sib in siblings(path):
        if sib == name:
            continue
        full = os.path.join(directory, sib)
        kind = wanted.get(sib)
        if kind is not None:
            out.append(Sidecar(kind, full))
            continue
        cap = _caption(sib, name, stem)
        if cap is not None:
            out.append(Sidecar(SidecarKind.CAPTION, full, cap[0], cap[1]))
    return sorted(out, key=lambda s: (list(SidecarKind).index(s.kind), s.name))
