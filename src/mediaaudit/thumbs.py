"""Small inline thumbnails for the HTML report (I/O edge: reads the image files).

Only for images whose audit found no damage, bomb or read problem, and never larger than
the decompression limit; a file that is gone or changed simply gets no thumbnail.
"""

from __future__ import annotations

import base64
import io
import os
import warnings
from collections.abc import Iterable
from typing import Any

from PIL import Image

from mediaaudit.digest import sha256_file

SIZE = (96, 96)
_SKIP = ("MA-IO-",)


def thumbnail(path: str) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                im.draft("RGB", SIZE)
                im.thumbnail(SIZE)
                buf = io.BytesIO()
                im.convert("RGB").save(buf, "JPEG", quality=70)
    except Exception:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _unchanged(path: str, f: dict[str, Any]) -> bool:
    """Show a preview only of the bytes that were audited."""
    try:
        if os.path.getsize(path) != f.get("size"):
            return False
        return sha256_file(path) == f.get("sha256")
    except OSError:
        return False


def thumbnails(files: Iterable[dict[str, Any]], base: str = ".") -> dict[str, str]:
    """path → data URI for every auditable image in the manifest that is still on disk."""
    out: dict[str, str] = {}
    for f in files:
        if f.get("media", {}).get("kind") != "image":
            continue
        if any(x.get("code", "").startswith(_SKIP) for x in f.get("findings", [])):
            continue
        full = os.path.join(base, f["path"])
        if os.path.isfile(full) and _unchanged(full, f):
            uri = thumbnail(full)
            if uri:
                out[f["path"]] = uri
    return out
