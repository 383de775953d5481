"""Small inline previews for the HTML report (I/O edge: reads the media files).

Images (HEIC/AVIF too, through pillow-heif), a poster frame of every video (PyAV) and
small SVGs (embedded as a data: image, which a browser shows without running scripts or
fetching anything).  Only for files whose audit found no damage, bomb or read problem, and
never larger than the decompression limit; a file that is gone or changed since the audit
simply gets no preview.

Decoding untrusted bytes with native code can hang or crash, so every preview is made in
a short-lived child process with a time limit (``PREVIEW_TIMEOUT``), never in the scan
or watch process: a preview that crashes or runs out of time is simply no preview.
Previews are kept per SHA-256 for the life of the process (a failed one too), so the
same bytes are never decoded twice.
"""

from __future__ import annotations

import base64
import contextlib
import io
import multiprocessing
import os
import signal
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from typing import Any

from PIL import Image

from mediaaudit.digest import sha256_file
from mediaaudit.faults import injected

SIZE = (160, 160)
_SKIP = ("MA-IO-",)
SVG_MAX = 200_000  # bytes: a logo or icon, not a hostile megabyte of nested groups
_POSTER_AT = 1.0  # seconds into the video, or its first frame when shorter
PREVIEW_TIMEOUT = 10.0  # seconds for one preview, child process start included
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
    of a matching file name die by SIGSEGV or hang, in the child process that makes it,
    so the isolation of previews can be tested end to end (``scan``'s
    MEDIAAUDIT_TEST_FAULT covers probes only).  Read here, in the parent, and handed to
    the child.  Unset in normal use."""
    return injected("MEDIAAUDIT_TEST_PREVIEW_FAULT", path)


def _child(conn: Connection, kind: str, path: str, faults: frozenset[str]) -> None:
    """In the child: make one preview and send it (or None) back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # forked: not the watcher's reload
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # forked: not the watcher's handler
    if "crash" in faults:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "hang" in faults:
        time.sleep(3600)
    try:
        uri = _MAKERS[kind](path)
    except Exception:
        uri = None
    conn.send(uri)
    conn.close()


def isolated(kind: str, path: str, timeout: float | None = None) -> str | None:
    """One preview made in a child process within ``timeout`` seconds; None when the
    child crashes, hangs or cannot be started."""
    from mediaaudit.pool import start_method  # the pool's rule for when fork is safe

    limit = PREVIEW_TIMEOUT if timeout is None else timeout
    ctx: Any = multiprocessing.get_context(start_method())
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, kind, path, _injected_faults(path)),
                       daemon=True)
    try:
        proc.start()
    except Exception:
        recv.close()
        send.close()
        return None
    send.close()  # only the child writes: EOF when it dies
    uri: str | None = None
    try:
        if recv.poll(limit):
            got = recv.recv()
            uri = got if isinstance(got, str) else None
    except (EOFError, OSError):
        uri = None  # crashed before sending
    finally:
        recv.close()
        proc.join(0.5)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
        with contextlib.suppress(ValueError):
            proc.close()
    return uri


def _cached(kind: str, path: str, sha256: str) -> str | None:
    """The preview of these bytes, made at most once per process."""
    key = f"{kind}:{sha256}"
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    uri = isolated(kind, path)
    _cache[key] = uri
    while len(_cache) > _CACHE_MAX:
        _cache.popitem(last=False)
    return uri


def _unchanged(path: str, f: dict[str, Any]) -> bool:
    """Show a preview only of the bytes that were audited."""
    try:
        if os.path.getsize(path) != f.get("size"):
            return False
        return sha256_file(path) == f.get("sha256")
    except OSError:
        return False


def thumbnails(files: Iterable[dict[str, Any]], base: str = ".") -> dict[str, str]:
    """path → data URI for every auditable image, video or SVG in the manifest that is
    still on disk unchanged."""
    out: dict[str, str] = {}
    for f in files:
        make = _MAKERS.get(f.get("media", {}).get("kind", ""))
        if make is None:
            continue
        if make is svg_preview and "svg" not in str((f.get("format") or {}).get("mime")):
            continue
        if any(x.get("code", "").startswith(_SKIP) for x in f.get("findings", [])):
            continue
        full = os.path.join(base, f["path"])
        if os.path.isfile(full) and _unchanged(full, f):
            kind = str(f["media"]["kind"])
            uri = _cached(kind, full, str(f.get("sha256")))
            if uri:
                out[f["path"]] = uri
    return out
