"""The one home of 'which files are sidecars of which media file'.

A sidecar is evidence about a media file kept beside it: a REUSE licence
(``photo.jpg.license``), an XMP sidecar (``photo.xmp``, ``photo.jpg.xmp``), captions
(``clip.srt``, ``clip.nl.vtt``, ``clip.mp4.en.srt``) and alt text (``photo.alt.txt``,
``photo.jpg.alt.txt``).  ``watch`` adds one kind of its own: the file's report
(``photo.jpg.mediaaudit.html``), written beside a routed file; it is not evidence (no
reader reads it) but it travels with its file like any sidecar and is never audited.

The walker leaves them out of the audit, the readers read them,
the cache fingerprints them and ``watch`` moves them with their media file: all through
this module, so a new kind of sidecar is one entry here and no two places can disagree.

Name endings are matched without regard to case (the walker skips ``X.JPG.LICENSE`` as a
sidecar, so it must also be read as one); the media file's own name is matched exactly.
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass
from enum import StrEnum

from mediaaudit import fstime
from mediaaudit.digest import is_regular, open_regular
from mediaaudit.fsnames import fit, printable


class SidecarKind(StrEnum):
    LICENSE = "license"
    XMP = "xmp"
    CAPTION = "caption"
    ALT_TEXT = "alt_text"
    REPORT = "report"  # watch's per-file report; never read as evidence


@dataclass(frozen=True)
class Sidecar:
    """One sidecar file that exists next to a media file."""

    kind: SidecarKind
    path: str
    lang: str | None = None  # captions: 'nl' in clip.nl.vtt
    fmt: str | None = None  # captions: 'srt' or 'vtt'
    full_name: bool = True  # named after 'photo.jpg' (preferred) rather than 'photo'

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    @property
    def display(self) -> str:
        """The name as the manifest shows it (``\\xNN`` for bytes that are not UTF-8)."""
        return printable(self.name)


# The ending of watch's per-file report (``foto.jpg.mediaaudit.html``) and of its daily
# overview page (``overzicht-2026-05-04.mediaaudit.html``): both are skipped by the walker.
REPORT_SUFFIX = ".mediaaudit.html"


@dataclass(frozen=True)
class Ending:
    """One sidecar ending and everything about it: its kind, whether it may follow the
    media file's full name (``photo.jpg.xmp``) and its stem (``photo.xmp``), and whether a
    language may stand before it (``clip.nl.vtt``).  A new sidecar kind is one row here
    (and the reader that uses it); the walker's skip list and the matching derive from it."""

    suffix: str
    kind: SidecarKind
    after_stem: bool = False
    with_language: bool = False


ENDINGS = (
    Ending(".license", SidecarKind.LICENSE),
    Ending(".xmp", SidecarKind.XMP, after_stem=True),
    Ending(".alt.txt", SidecarKind.ALT_TEXT, after_stem=True),
    Ending(".srt", SidecarKind.CAPTION, after_stem=True, with_language=True),
    Ending(".vtt", SidecarKind.CAPTION, after_stem=True, with_language=True),
    Ending(REPORT_SUFFIX, SidecarKind.REPORT),
)
# Name endings that mark a sidecar whatever media file it belongs to (the walker's test).
SUFFIXES = tuple(e.suffix for e in ENDINGS)
_CAPTION_EXT = tuple(e.suffix for e in ENDINGS if e.with_language)
_LANG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$", re.I)
# Ending (lower case) → kind, for endings that follow the media file's name or its stem.
_AFTER_NAME = {e.suffix: e.kind for e in ENDINGS if not e.with_language}
_AFTER_STEM = {e.suffix: e.kind for e in ENDINGS if e.after_stem and not e.with_language}
_KIND_ORDER = {k: i for i, k in enumerate(SidecarKind)}


def read_sidecar(path: str, limit: int) -> bytes | None:
    """At most ``limit + 1`` bytes of a sidecar (one more than allowed, so the caller sees
    it is too large), or None when it is not a regular file or cannot be read.  Never
    follows a symlink (``photo.jpg.license`` → ``/etc/passwd`` would put that file's text
    in the manifest as licence evidence) and never opens a FIFO or device
    (``open_regular``)."""
    try:
        with open(open_regular(path), "rb") as fh:
            return fh.read(limit + 1)
    except OSError:
        return None


def report_name(media_name: str) -> str:
    """The name of the report that belongs beside ``media_name``; for a name too long to
    take the suffix, a shortened one (``fsnames.fit``), still a report by its ending."""
    return fit(media_name, REPORT_SUFFIX)


def is_report_name(name: str) -> bool:
    """Is this a report or overview page written by ``watch``?"""
    return name.lower().endswith(REPORT_SUFFIX)


def is_sidecar_name(name: str) -> bool:
    """Is this directory entry evidence rather than media (never audited as media)?"""
    return name.lower().endswith(SUFFIXES)


_MAX_LISTINGS = 64
_Index = dict[str, tuple[str, ...]]
_listings: dict[str, tuple[int, tuple[str, ...], _Index]] = {}
_lock = threading.Lock()


def siblings(path: str) -> tuple[str, ...]:
    """The sorted names in the directory holding ``path``."""
    return _listing(path)[0]


def _index(names: tuple[str, ...]) -> _Index:
    """Each name under every prefix that ends before one of its dots ('a.jpg.nl.vtt' under
    'a', 'a.jpg', 'a.jpg.nl'): a sidecar always continues its media file's name or stem
    with a dot, so a file's candidates are one lookup instead of a pass over the folder
    (which made a folder of n files cost n² comparisons)."""
    out: dict[str, list[str]] = {}
    for name in names:
        i = name.find(".", 1)
        while i > 0:
            out.setdefault(name[:i], []).append(name)
            i = name.find(".", i + 1)
    return {k: tuple(v) for k, v in out.items()}


def _listing(path: str) -> tuple[tuple[str, ...], _Index]:
    """The sorted names in the directory holding ``path``, and their prefix index.

    Listings are reused while the directory's mtime is unchanged (adding or removing an
    entry changes it), which keeps a folder of thousands of files from being listed once
    per file.  A listing taken within the mtime's granularity is not kept: an entry added
    in the same tick would leave the mtime unchanged and never be seen (a sidecar missed
    for good by a long-running ``watch``)."""
    directory = os.path.dirname(path) or "."
    try:
        mtime = os.stat(directory).st_mtime_ns
    except OSError:
        return (), {}
    with _lock:
        hit = _listings.get(directory)
    if hit is not None and hit[0] == mtime:
        return hit[1], hit[2]
    listed_at = time.time_ns()
    try:
        names = tuple(sorted(os.listdir(directory)))
    except OSError:
        return (), {}
    index = _index(names)
    if not fstime.is_racy(mtime, listed_at):
        with _lock:
            if len(_listings) >= _MAX_LISTINGS:
                _listings.pop(next(iter(_listings)))
            _listings[directory] = (mtime, names, index)
    return names, index


def _match(sib: str, prefix: str, full_name: bool) -> Sidecar | None:
    """The sidecar ``sib`` is for a media file named (or stemmed) ``prefix``, if any."""
    if len(sib) <= len(prefix) or not sib.startswith(prefix) or sib[len(prefix)] != ".":
        return None
    rest = sib[len(prefix):].lower()
    kind = (_AFTER_NAME if full_name else _AFTER_STEM).get(rest)
    if kind is not None:
        return Sidecar(kind, sib, full_name=full_name)
    if rest.endswith(_CAPTION_EXT):
        ext = next(e for e in _CAPTION_EXT if rest.endswith(e))
        middle = rest[:-len(ext)]  # '' in clip.vtt, '.nl' in clip.nl.vtt
        if not middle:
            return Sidecar(SidecarKind.CAPTION, sib, None, ext[1:], full_name)
        if _LANG.match(middle[1:]):
            return Sidecar(SidecarKind.CAPTION, sib, middle[1:], ext[1:], full_name)
    return None


def sidecars_of(path: str) -> list[Sidecar]:
    """Every sidecar that exists next to ``path`` as a regular file (symlinks are never
    sidecars, as they are never media: a linked 'sidecar' would let whoever can write to
    the folder make the audit, watch's reports and moves read any file on the server),
    in a stable order: by kind, the ones named after
    the full file name (``photo.jpg.xmp``) before those named after its stem
    (``photo.xmp``), then by name."""
    directory = os.path.dirname(path)
    name = os.path.basename(path)
    stem = os.path.splitext(name)[0]
    out: list[Sidecar] = []
    # every sidecar continues the stem (or the name, when there is no extension) with a dot
    for sib in _listing(path)[1].get(stem, ()):
        if sib == name:
            continue
        found = _match(sib, name, True) or (_match(sib, stem, False) if stem != name else None)
        if found is not None and is_regular(os.path.join(directory, sib)):
            out.append(Sidecar(found.kind, os.path.join(directory, sib), found.lang, found.fmt,
                               found.full_name))
    return sorted(out, key=lambda s: (_KIND_ORDER[s.kind], not s.full_name, s.name))
