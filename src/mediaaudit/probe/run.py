"""Run the probes on one file, cheapest first, and merge what they found into ``Facts``.

Order: stat → read once (SHA-256 + head; the whole file kept for the walkers when it is
small enough, ``contents``) → libmagic on the head → siegfried → Pillow (images) →
MediaInfo (video/audio, or images Pillow cannot open) → file readers.  Every
library call is guarded: an exception becomes a finding on this file, never a crash of
the scan ("could not audit" is a value, not an exception).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import stat
from collections.abc import Callable
from typing import Any

from PIL import Image

from mediaaudit.codes import CodeId, Why
from mediaaudit.codes import reason as _why
from mediaaudit.digest import NotRegular, file_kind, sha256_head_and_contents
from mediaaudit.model import (
    Facts,
    FileRef,
    Identification,
    MediaKind,
    MediaProps,
    ProbeNote,
)
from mediaaudit.probe import contents, identify, image, mediainfo, native, structure
from mediaaudit.probe.partial import Partial

HEAD_BYTES = 64 * 1024

ImageReader = Callable[[Any, Partial], None]
FileReader = Callable[[str, bytes, str | None, Partial], None]


def media_kind(pclass: str, mime: str | None) -> MediaKind:
    """image / vector / video / audio / other, from PRONOM's class, else the MIME type."""
    c = pclass.lower()
    if "image (vector)" in c:
        return MediaKind.VECTOR
    if "image (raster)" in c:
        return MediaKind.IMAGE
    if "video" in c:
        return MediaKind.VIDEO
    if "audio" in c:
        return MediaKind.AUDIO
    m = mime or ""
    if m == "image/svg+xml":
        return MediaKind.VECTOR
    for kind in (MediaKind.IMAGE, MediaKind.VIDEO, MediaKind.AUDIO):
        if m.startswith(kind + "/"):
            return kind
    return MediaKind.OTHER


def _pillow_mimes() -> set[str]:
    Image.init()
    return {m.lower() for m in Image.MIME.values()}


def _unaudited(ref: FileRef, code: CodeId, **params: Any) -> Facts:
    return Facts(ref=ref, notes=(ProbeNote(code, params, None),))


def _guard(part: Partial, step: str, fn: Callable[[], Any]) -> Any:
    """Run one probe step; turn its exception into a finding on this file."""
    try:
        return fn()
    except FileNotFoundError:
        part.note(CodeId.CHANGED_DURING_SCAN, step)
    except OSError as exc:
        if exc.errno is None:  # a library's parse error dressed as OSError, not real I/O
            part.note(CodeId.DAMAGED, step, reason=f"{step}: {exc}"[:200])
        else:
            part.note(CodeId.UNREADABLE, step, reason=exc.strerror or type(exc).__name__)
    except identify.LibmagicMissing:
        raise
    except Exception as exc:
        part.note(CodeId.PROBE_FAILED, step, reason=f"{step}: {type(exc).__name__}")
    return None


def probe_file(
    ref: FileRef,
    image_readers: list[ImageReader] | None = None,
    file_readers: list[FileReader] | None = None,
    deep: bool = False,
    match: dict[str, Any] | None = None,
) -> Facts:
    """Probe one file (``_probe``); what native libraries write to standard error while
    it is probed becomes an info finding on it (``native``), not noise on a terminal."""
    with native.caught() as said:
        facts = _probe(ref, image_readers, file_readers, deep, match)
    if not said:
        return facts
    note = ProbeNote(CodeId.LIBRARY_MESSAGE, {"details": said[0]}, "native")
    return dataclasses.replace(facts, notes=(*facts.notes, note))


def _probe(
    ref: FileRef,
    image_readers: list[ImageReader] | None = None,
    file_readers: list[FileReader] | None = None,
    deep: bool = False,
    match: dict[str, Any] | None = None,
) -> Facts:
    """Probe one file.  Readers add metadata facts (rights, privacy) from the same pass.
    ``match``: siegfried's first match when it was identified already (the scan's one
    identifier process); else siegfried runs here."""
    try:
        st0 = os.stat(ref.path)
    except FileNotFoundError:
        if os.path.islink(ref.path):
            return _unaudited(ref, CodeId.NOT_A_REGULAR_FILE, kind="broken symlink")
        return _unaudited(ref, CodeId.CHANGED_DURING_SCAN)
    except OSError as exc:
        if exc.errno == 40:  # ELOOP: a symlink loop
            return _unaudited(ref, CodeId.NOT_A_REGULAR_FILE, kind="symlink loop")
        return _unaudited(ref, CodeId.UNREADABLE, reason=exc.strerror or str(exc))
    if not stat.S_ISREG(st0.st_mode):
        return _unaudited(ref, CodeId.NOT_A_REGULAR_FILE, kind=file_kind(st0.st_mode))
    ref = FileRef(ref.path, ref.display, st0.st_size, st0.st_mtime_ns, member=ref.member)
    try:
        sha, head, data = sha256_head_and_contents(ref.path, HEAD_BYTES, contents.KEEP_BYTES,
                                                   structure.reads_whole)
    except NotRegular as exc:  # swapped for a FIFO or device after the stat: never opened
        return _unaudited(ref, CodeId.NOT_A_REGULAR_FILE, kind=exc.kind)
    except FileNotFoundError:
        return _unaudited(ref, CodeId.CHANGED_DURING_SCAN)
    except OSError as exc:
        return _unaudited(ref, CodeId.UNREADABLE, reason=exc.strerror or str(exc))
    part = Partial()
    if not head:
        part.note(CodeId.EMPTY_FILE)
        return _finish(ref, sha, Identification(mime="inode/x-empty"), part, st0)

    sniffed = _guard(part, "libmagic", lambda: identify.sniff(head)) or (None, None)
    if match is None:
        match = _guard(part, "siegfried", lambda: identify.pronom(ref.path))
    ident = identify.identification(sniffed[0], sniffed[1], match)
    kind = media_kind(identify.pronom_class(match), ident.mime)
    part.kind = kind

    need_mediainfo = kind in (MediaKind.VIDEO, MediaKind.AUDIO)
    unread: str | None = None  # why Pillow could not open an image of a type it claims
    if kind == MediaKind.IMAGE:
        opened = _guard(
            part, "pillow", lambda: image.probe_image(ref.path, part, image_readers or [], deep)
        )
        if opened is False:
            if (ident.mime or "").lower() in _pillow_mimes():
                unread = str(part.props.get("pillow_error", "Pillow cannot open it"))
            need_mediainfo = True  # the dimensions, from a reader that can (HEIC without
            # the heif extra, 12-bit JPEG, BMP layouts Pillow lacks)
    if need_mediainfo:
        tracks = _guard(part, "mediainfo", lambda: mediainfo.parse(ref.path))
        if tracks is not None:
            _guard(part, "mediainfo",
                   functools.partial(mediainfo.probe_mediainfo, ref.path, part, tracks))
            if kind == MediaKind.VIDEO and part.tracks and not any(
                t.kind == "video" for t in part.tracks
            ):
                audio = any(t.kind == "audio" for t in part.tracks)
                part.kind = MediaKind.AUDIO if audio else kind
    with contents.holding(ref.path, data):
        for reader in file_readers or []:
            name = getattr(reader, "__name__", "reader")
            _guard(part, name, functools.partial(reader, ref.path, head, ident.mime, part))
    if unread is not None:  # decided after the structure walk, which it may rest on
        _not_opened(ref.path, head, ident.mime, part, unread)
    elif _damaged(part):  # "another engine reads it" (--deep's decode) is no vouch then
        part.notes[:] = [n for n in part.notes if n.code != CodeId.ENGINE_CANNOT_READ]
    elif deep:
        moving = part.kind in (MediaKind.VIDEO, MediaKind.AUDIO)
        _guard(part, "deep", functools.partial(_deep_look, ref.path, ident.mime, moving, part))
    return _finish(ref, sha, ident, part, st0)


def _damaged(part: Partial) -> bool:
    return any(n.code == CodeId.DAMAGED for n in part.notes)


def _deep_look(path: str, mime: str | None, moving: bool, part: Partial) -> None:
    """``--deep``: the format's reference decoder reads the coded data of a file its first
    decoder passed (``second.deep_look``); what it finds bad is damage."""
    from mediaaudit.probe import second  # only under --deep

    found = second.deep_look(path, mime, moving)
    if found is not None:
        engine, why = found
        part.note(CodeId.DAMAGED, engine.split()[0].lower(),
                  reason=_why(Why.DECODER_SAYS, engine=engine, why=why[:160]))


def _not_opened(path: str, head: bytes, mime: str | None, part: Partial, reason: str) -> None:
    """Pillow could not open a file of a type it claims.  That is damage only when nothing
    else says the file is sound: the structure walk found it cut or broken (its finding
    is there already), or no second reader decodes it and no walker vouches for its
    structure.  A variant Pillow lacks (10-bit or float TIFF, BMP bitfields, a PNG with a
    bad checksum in a metadata chunk) is an engine's limit: ``MA-IO-010`` when libav
    decodes it, ``MA-IO-012`` (a warning: no engine here shows it) when libav says it
    lacks the feature too and the structure walk vouches for the rest, ``MA-IO-010``
    again when libtiff reads every strip of a TIFF libav cannot place."""
    from mediaaudit.probe import libtiff, second  # only for a file Pillow cannot open

    if any(n.code == CodeId.DAMAGED and n.source == "structure" for n in part.notes):
        return
    words = second.decode_error(path, 1, strict=False) if second.asked(mime) else reason
    if words is None:
        part.note(CodeId.ENGINE_CANNOT_READ, "pillow", engine="Pillow", other=second.ENGINE,
                  reason=reason)
    elif second.unsupported(words, mime) and structure.pick(head, mime) is not None:
        part.note(CodeId.NO_ENGINE_READS, "pillow", reason=words)
    elif _libtiff_reads(path, mime):
        part.note(CodeId.ENGINE_CANNOT_READ, "pillow", engine="Pillow", other=libtiff.ENGINE,
                  reason=reason)
    else:
        part.note(CodeId.DAMAGED, "pillow", reason=reason)


def _not_read(path: str, part: Partial, engine: str, reason: str, frames: int,
              mime: str | None) -> None:
    """A decoder could not decode a file it opened (``--deep``, up to frame ``frames``):
    damage only when no second reader decodes it either (libav, asked to be strict; for
    a TIFF also libtiff); else an info note that names the engine that could."""
    from mediaaudit.probe import libtiff, second  # only for a file Pillow cannot decode

    other: str | None = None
    if (second.decode_error(path, frames) if second.asked(mime) else reason) is None:
        other = second.ENGINE
    elif _libtiff_reads(path, mime):
        other = libtiff.ENGINE
    if other is not None:
        part.note(CodeId.ENGINE_CANNOT_READ, engine.lower(), engine=engine, other=other,
                  reason=reason)
    else:
        part.note(CodeId.DAMAGED, engine.lower(), reason=reason)


def _libtiff_reads(path: str, mime: str | None) -> bool:
    """Does libtiff, the format's reference library, read every strip of every page of
    this TIFF without complaint?  It knows compressions and layouts that libav and
    Pillow's build lack (WebP, 16-bit palettes, big-endian BigTIFF)."""
    from mediaaudit.probe import libtiff

    if (mime or "").lower() != "image/tiff":
        return False
    reading = libtiff.read(path, uncompressed=True)
    return reading.read and reading.error is None


def _finish(
    ref: FileRef, sha: str, ident: Identification, part: Partial, st0: os.stat_result
) -> Facts:
    try:
        st1 = os.stat(ref.path)
        if (st1.st_size, st1.st_mtime_ns) != (st0.st_size, st0.st_mtime_ns):
            part.note(CodeId.CHANGED_DURING_SCAN)
    except OSError:
        part.note(CodeId.CHANGED_DURING_SCAN)
    p = part.props
    media = MediaProps(
        kind=part.kind or MediaKind.OTHER,
        width=p.get("width"),
        height=p.get("height"),
        frames=p.get("frames"),
        duration_ms=p.get("duration_ms"),
        container=p.get("container"),
        container_profile=p.get("container_profile"),
        streamable=p.get("streamable"),
        tracks=tuple(part.tracks),
    )
    return Facts(
        ref=ref,
        sha256=sha,
        ident=ident,
        media=media,
        meta=tuple(part.meta),
        notes=tuple(part.notes),
        sidecars=tuple(part.sidecars),
    )
