"""PNG tEXt/zTXt/iTXt chunks before IDAT (Pillow puts them in ``im.info`` for free)."""

from __future__ import annotations

from typing import Any

from mediaaudit.probe.partial import Partial

KEYWORDS = {"Copyright": "copyright", "License": "licence", "Licence": "licence",
            "Author": "creator", "Rights": "copyright"}


def read_png_text(im: Any, part: Partial) -> None:
    if im.format != "PNG":
        return
    for key, fld in KEYWORDS.items():
        val = im.info.get(key)
        if isinstance(val, str | bytes):
            text = val.decode("latin-1") if isinstance(val, bytes) else val
            part.fact(fld, text, f"png:{key}")
