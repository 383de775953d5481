"""Small inline previews for the HTML report (I/O edge: reads the media files).

Images (HEIC/AVIF too, through pillow-heif), a poster frame of every video (PyAV) and
small SVGs (embedded as a data: image, which a browser shows without running scripts or
fetching anything).  Only for files whose audit found no damage, bomb or read problem, and
never larger than the decompression limit; a file that is gone or changed since the audit
simply gets no preview.

Decoding untrusted bytes with native code can hang or crash, so previews are made in
the project's supervised worker pool (``pool.SupervisedPool``), never in the scan or watch
process: each preview has a time limit (``PREVIEW_TIMEOUT``); a worker that hangs on one
is killed and replaced, one that crashes is replaced, and that file simply has no
preview.  The workers stay warm for the whole report (a process per preview cost ~40 ms
each, 574 s for 20,000 files) and also check that a file is still the audited bytes, so
the report process neither decodes nor hashes media.  Previews are kept per SHA-256 for
the life of the process (a failed one too), so the same bytes are never decoded twice.

The HTML writer takes the previews of its cards in their order (``previews``, a
generator), one just before each card, so the workers make the next cards' previews
while the page is written and only those few are held at a time.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import signal
import time
import warnings
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image

from mediaaudit.containers import Members
from mediaaudit.digest import sha256_file
from mediaaudit.faults import injected
from mediaaudit.pool import Failure, SupervisedPool

SIZE = (160, 160)
_SKIP = ("MA-IO-",)
SVG_MAX = 200_000  # bytes: a logo or icon, not a hostile megabyte of nested groups
_POSTER_AT = 1.0  # seconds into the video, or its first frame when shorter
PREVIEW_TIMEOUT = 10.0  # seconds for one preview, a worker's start included
_CACHE_MAX = 256  # previews kept per SHA-256 in this process
_cache: OrderedDict[str, str | None] = OrderedDict()


def _register_heif() -> None:
    with contextlib.suppress(Exception):
        import pillow_heif

        pillow_heif.register_heif_opener()


def _jpeg_uri(im: Image.Image) -> str:
    im.thumbnail(SIZE)
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=72)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def thumbnail(path: str) -> str | None:
    """A still image as a small JPEG data URI, or None."""
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                im.draft("RGB", SIZE)
                return _jpeg_uri(im)
    except Exception:
        return None


def poster_frame(path: str) -> str | None:
    """A frame about a second into a video (or its first), as a JPEG data URI, or None."""
    try:
        import av
    except ImportError:
        return None
    try:
        with av.open(path) as container:
            if not container.streams.video:
                return None
            stream = container.streams.video[0]
            duration = (float(container.duration) / 1_000_000) if container.duration else 0.0
            if duration > _POSTER_AT * 2 and stream.time_base:
                with contextlib.suppress(Exception):
                    container.seek(int(_POSTER_AT / stream.time_base), stream=stream)
            for frame in container.decode(stream):
                if isinstance(frame, av.VideoFrame):
                    return _jpeg_uri(frame.to_image())  # type: ignore[no-untyped-call]
    except Exception:
        return None
    return None


def svg_preview(path: str) -> str | None:
    """A small SVG as it is (an <img> shows it without scripts or fetched resources)."""
    try:
        if os.path.getsize(path) > SVG_MAX:
            return None
        with open(path, "rb") as fh:
            data = fh.read(SVG_MAX + 1)
    except OSError:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


_MAKERS: dict[str, Callable[[str], str | None]] = {
    "image": thumbnail, "video": poster_frame, "vector": svg_preview}


def _injected_faults(path: str) -> frozenset[str]:
    """Test seam: MEDIAAUDIT_TEST_PREVIEW_FAULT="crash:GLOB,hang:GLOB" makes the preview
    of a matching file name die by SIGSEGV or hang, in the worker that makes it, so the
    isolation of previews can be tested end to end (``scan``'s MEDIAAUDIT_TEST_FAULT
    covers probes only).  Read here, in the report process, and handed to the worker
    with the file.  Unset in normal use."""
    return injected("MEDIAAUDIT_TEST_PREVIEW_FAULT", path)


@dataclass(frozen=True)
class _Job:
    """One file for a preview worker.  ``size`` and ``sha256`` are the audited bytes the
    file must still be; ``decode`` is False when this process already knows the preview
    of those bytes (the worker then only checks the file is still them)."""

    kind: str
    path: str
    size: int | None
    sha256: str
    decode: bool
    faults: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Made:
    """A worker's answer: ``same`` the file is still the audited bytes, ``uri`` the
    preview it made of them (None when none could be made, or none was asked)."""

    same: bool
    uri: str | None = None


def _unchanged(path: str, size: int | None, sha256: str) -> bool:
    """Show a preview only of the bytes that were audited."""
    try:
        return (os.path.isfile(path) and os.path.getsize(path) == size
                and sha256_file(path) == sha256)
    except OSError:
        return False


_muted = False  # this worker's stderr already goes nowhere


def _mute() -> None:
    """In a preview worker: send file descriptor 2 to /dev/null.  Native decoders write
    their warnings there themselves (libtiff: "Fax4Decode: Bad code word at line 27"),
    onto the user's terminal, through a report's progress line; for a preview they say
    nothing the user can act on (a failed preview is simply none)."""
    global _muted
    if _muted:
        return
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    _muted = True


def _make(job: _Job | None) -> _Made | None:
    """In a worker: check one file and make its preview (None: the file has none)."""
    if job is None:
        return None
    _mute()
    if not _unchanged(job.path, job.size, job.sha256):
        return _Made(False)
    if not job.decode:
        return _Made(True)
    if "crash" in job.faults:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "hang" in job.faults:
        time.sleep(3600)
    try:
        uri = _MAKERS[job.kind](job.path)
    except Exception:
        uri = None
    return _Made(True, uri)


def _lost(job: _Job | None, failure: Failure) -> _Made | None:
    """A preview whose worker hung (killed) or crashed: remembered as no preview of those
    bytes, so they are never decoded again in this process."""
    return None if job is None else _Made(True, None)


Previewers = SupervisedPool[_Job | None, _Made | None]
"""A pool of preview workers (``new_pool``)."""


def new_pool(jobs: int | None = None) -> Previewers:
    """Warm preview workers, one per core unless ``jobs`` says otherwise (kept until the
    pool is closed); each preview within ``PREVIEW_TIMEOUT`` seconds."""
    if jobs is None:
        from mediaaudit.scan import default_jobs  # the scan's rule: one per usable core

        jobs = default_jobs()
    return SupervisedPool(_make, jobs, PREVIEW_TIMEOUT, on_failure=_lost)


def _kind(f: Mapping[str, Any]) -> str | None:
    """The kind of preview this manifest entry can have, or None."""
    kind = str((f.get("media") or {}).get("kind", ""))
    if kind not in _MAKERS:
        return None
    if kind == "vector" and "svg" not in str((f.get("format") or {}).get("mime")):
        return None
    if any(str(x.get("code", "")).startswith(_SKIP) for x in f.get("findings") or []):
        return None
    return kind


def _remember(key: str, uri: str | None) -> None:
    _cache[key] = uri
    while len(_cache) > _CACHE_MAX:
        _cache.popitem(last=False)


def previews(files: Sequence[Mapping[str, Any]], base: str = ".",
             pool: Previewers | None = None) -> Generator[str | None, None, None]:
    """One preview (a data URI) or None per file, in order, made in ``pool`` (else in
    a pool started for these files and closed when they are done).  Results are read as
    they are needed; the workers keep ahead of the reader.

    Bytes whose preview this process knows (``_cache``), or that an earlier file of
    these brings, are not decoded again: the worker only checks the file still holds
    them, and the preview is taken from here.  When no worker can be started at all, the
    files left simply have no preview."""
    kinds = [_kind(f) for f in files]
    wanted = sum(1 for k in kinds if k)
    if not wanted:
        yield from (None for _ in files)
        return
    queued: Counter[str] = Counter()  # files sent and not yet answered, per key
    held: dict[str, str | None] = {}  # known previews that sent files still need
    sent: deque[tuple[str, bool]] = deque()  # (key, decode) of each file sent

    def jobs() -> Iterator[_Job | None]:
        for f, kind in zip(files, kinds, strict=True):
            if kind is None:
                yield None
                continue
            key = f"{kind}:{f.get('sha256')}"
            if key in _cache and key not in held:
                _cache.move_to_end(key)
                held[key] = _cache[key]
            decode = key not in held and not queued[key]
            queued[key] += 1
            sent.append((key, decode))
            full = _where(f, base, members)
            yield _Job(kind, full, f.get("size"), str(f.get("sha256")), decode,
                       _injected_faults(full) if decode else frozenset())

    members = Members()  # delivery archives' members, unpacked once each, if any
    workers = new_pool() if pool is None else pool
    results = workers.run(jobs(), wanted)
    given = 0
    try:
        for made in results:
            given += 1
            if made is None:
                yield None
                continue
            key, decoded = sent.popleft()
            queued[key] -= 1
            if decoded and made.same:
                _remember(key, made.uri)
                if queued[key]:
                    held[key] = made.uri
            uri = (made.uri if decoded else held.get(key)) if made.same else None
            if not queued[key]:
                del queued[key]
                held.pop(key, None)
            yield uri
    except OSError:  # no worker could be started (out of processes or memory)
        yield from (None for _ in files[given:])
    finally:
        if isinstance(results, Generator):  # a page given up half way: stop the busy
            results.close()  # workers now, not when the pool's run is collected
        if pool is None:
            workers.close()
        members.__exit__()


def _where(f: Mapping[str, Any], base: str, members: Members) -> str:
    """The file a manifest entry's preview is made from: its path, or for a member of a
    delivery archive its copy unpacked from the archive (checked against the entry's
    SHA-256 like any file, ``_unchanged``)."""
    am = f.get("archive_member")
    if isinstance(am, Mapping) and isinstance(am.get("archive"), str):
        names = tuple(str(n) for n in am.get("names") or [])
        found = members.path(os.path.join(base, am["archive"]), names)
        if found is not None:
            return found
    return os.path.join(base, str(f["path"]))


def thumbnails(files: Iterable[Mapping[str, Any]], base: str = ".") -> dict[str, str]:
    """path → data URI for every auditable image, video or SVG in the manifest that is
    still on disk unchanged (``previews`` as a mapping)."""
    files = list(files)
    return {str(f["path"]): uri for f, uri in zip(files, previews(files, base), strict=True)
            if uri}
