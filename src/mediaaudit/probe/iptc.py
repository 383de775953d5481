"""IPTC-IIM (the 'IPTC' panel in photo tools) via Pillow's getiptcinfo (JPEG APP13, TIFF).

Text is UTF-8 when dataset 1:90 says so (ESC % G); otherwise strict UTF-8, then cp1252.
"""

from __future__ import annotations

from typing import Any

from PIL import IptcImagePlugin

from mediaaudit.probe.partial import Partial

DATASETS = {
    (2, 116): ("copyright", "iptc:2:116"),     # Copyright Notice
    (2, 80): ("creator", "iptc:2:80"),         # By-line
    (2, 110): ("credit", "iptc:2:110"),        # Credit
    (2, 40): ("instructions", "iptc:2:40"),    # Special Instructions
}


def _decode(raw: bytes, utf8: bool) -> str:
    if utf8:
        return raw.decode("utf-8", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def read_iptc(im: Any, part: Partial) -> None:
    if im.format not in ("JPEG", "TIFF", "MPO"):
        return
    info = IptcImagePlugin.getiptcinfo(im)  # raises on damage: the caller guards it
    if not info:
        return
    utf8 = info.get((1, 90)) == b"\x1b%G"
    for key, (fld, src) in DATASETS.items():
        val = info.get(key)
        if val is None:
            continue
        for raw in val if isinstance(val, list) else [val]:
            part.fact(fld, _decode(bytes(raw), utf8), src)
