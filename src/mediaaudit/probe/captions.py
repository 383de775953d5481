"""Reading caption and alt-text sidecars next to a media file (WCAG 1.2.2 and 1.1.1).

Captions: ``clip.srt``, ``clip.vtt``, ``clip.nl.vtt``, ``clip.en.srt`` (also with the full
name: ``clip.mp4.nl.vtt``).  Parsed just enough to know it is a caption file with cues,
and in which language.  Alt text: ``photo.alt.txt`` or ``photo.jpg.alt.txt``.
Each becomes a fact whose value is a small JSON object.  Which files those are is decided
by ``mediaaudit.sidecars`` alone; this module only parses them.
"""

from __future__ import annotations

import json
import re

from mediaaudit.model import FactOrigin, FactSource
from mediaaudit.probe.partial import Partial
from mediaaudit.sidecars import SidecarKind, read_sidecar, sidecars_of

MAX_CAPTION = 4 << 20
_TIME = rb"(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}"
_CUE = re.compile(rb"^\s*" + _TIME + rb"\s+-->\s+" + _TIME, re.MULTILINE)


def parse_caption(data: bytes, fmt: str) -> tuple[int, str | None]:
    """Number of cues and, for WebVTT, a 'Language:' header value."""
    text = data.lstrip(b"\xef\xbb\xbf")
    lang = None
    if fmt == "vtt":
        if not text.startswith(b"WEBVTT"):
            return 0, None
        m = re.search(rb"^Language:\s*([A-Za-z-]+)", text[:2048], re.MULTILINE)
        lang = m.group(1).decode("ascii").lower() if m else None
    return len(_CUE.findall(text)), lang


def read_captions(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader (video only): caption sidecars as 'caption' facts."""
    if part.kind != "video":
        return
    for side in sidecars_of(path):
        if side.kind is not SidecarKind.CAPTION:
            continue
        name, lang, fmt = side.display, side.lang, side.fmt or ""
        data = read_sidecar(side.path, MAX_CAPTION) or b""
        cues, header_lang = parse_caption(data[:MAX_CAPTION], fmt)
        part.sidecars.append(name)
        info = {"format": fmt.upper() if fmt == "srt" else "WebVTT", "language":
                lang or header_lang, "cues": cues, "file": name}
        part.fact("caption", json.dumps(info, ensure_ascii=False),
                  FactSource(FactOrigin.SIDECAR, file=name))


def read_alt_text(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader (images): ``photo.alt.txt`` / ``photo.jpg.alt.txt``."""
    if part.kind not in ("image", "vector"):
        return
    for side in sidecars_of(path):  # photo.jpg.alt.txt before photo.alt.txt
        if side.kind is not SidecarKind.ALT_TEXT:
            continue
        try:
            text = (read_sidecar(side.path, 64 * 1024) or b"")[:64 * 1024].decode("utf-8")
        except UnicodeDecodeError:
            continue
        text = text.strip()
        if text:
            part.sidecars.append(side.display)
            part.fact("alt_text", text, FactSource(FactOrigin.SIDECAR, file=side.display))
        return
