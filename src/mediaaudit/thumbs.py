"""Small inline previews for the HTML report (I/O edge: reads the media files).

Images (HEIC/AVIF too, through pillow-heif), a poster frame of every video (PyAV) and
small SVGs (embedded as a data: image, which a browser shows without running scripts or
fetching anything).  Only for files whose audit found no damage, bomb or read problem, and
never larger than the decompression limit; a file that is gone or changed since the audit
simply gets no preview.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import warnings
from collections.abc import Iterable
from typing import Any

from PIL import Image

from mediaaudit.digest import sha256_file

SIZE = (160, 160)
_SKIP = ("MA-IO-",)
SVG_MAX = 200_000  # bytes: a logo or icon, not a hostile megabyte of nested groups
_POSTER_AT = 1.0  # seconds into the video, or its first frame when shorter


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


_MAKERS = {"image": thumbnail, "video": poster_frame, "vector": svg_preview}


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
            uri = make(full)
            if uri:
                out[f["path"]] = uri
    return out
