"""Caption and alt-text sidecars next to a media file (WCAG 1.2.2 and 1.1.1).

Captions: ``clip.srt``, ``clip.vtt``, ``clip.nl.vtt``, ``clip.en.srt`` (also with the full
name: ``clip.mp4.nl.vtt``).  Parsed just enough to know it is a caption file with cues,
and in which language.  Alt text: ``photo.alt.txt`` or ``photo.jpg.alt.txt``.
Each becomes a fact whose value is a small JSON object.
"""

from __future__ import annotations

import functools
import json
import os
import re

from mediaaudit.probe.partial import Partial

MAX_CAPTION = 4 << 20
_TIME = rb"(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}"
_CUE = re.compile(rb"^\s*" + _TIME + rb"\s+-->\s+" + _TIME, re.MULTILINE)
_LANG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$", re.I)


@functools.lru_cache(maxsize=64)
def _listing(directory: str, mtime_ns: int) -> tuple[str, ...]:
    """Directory entries, cached per directory version (its mtime changes on add/remove)."""
    del mtime_ns
    try:
        return tuple(os.listdir(directory))
    except OSError:
        return ()


def siblings(path: str) -> tuple[str, ...]:
    directory = os.path.dirname(path) or "."
    try:
        mtime = os.stat(directory).st_mtime_ns
    except OSError:
        return ()
    return _listing(directory, mtime)


def caption_files(path: str) -> list[tuple[str, str | None, str]]:
    """(file name, language or None, format) of caption sidecars belonging to ``path``."""
    name = os.path.basename(path)
    stem = os.path.splitext(name)[0]
    out: list[tuple[str, str | None, str]] = []
    for sib in siblings(path):
        low = sib.lower()
        if not low.endswith((".srt", ".vtt")):
            continue
        base, fmt = sib[:-4], low[-3:]
        for prefix in (name, stem):
            if base == prefix:
                out.append((sib, None, fmt))
                break
            if base.startswith(prefix + ".") and _LANG.match(base[len(prefix) + 1:]):
                out.append((sib, base[len(prefix) + 1:].lower(), fmt))
                break
    return sorted(set(out))


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
    for name, lang, fmt in caption_files(path):
        full = os.path.join(os.path.dirname(path), name)
        try:
            with open(full, "rb") as fh:
                data = fh.read(MAX_CAPTION + 1)
        except OSError:
            data = b""
        cues, header_lang = parse_caption(data[:MAX_CAPTION], fmt)
        part.sidecars.append(name)
        info = {"format": fmt.upper() if fmt == "srt" else "WebVTT", "language":
                lang or header_lang, "cues": cues, "file": name}
        part.fact("caption", json.dumps(info, ensure_ascii=False), f"sidecar:{name}")


def read_alt_text(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader (images): ``photo.alt.txt`` / ``photo.jpg.alt.txt``."""
    if part.kind not in ("image", "vector"):
        return
    stem = os.path.splitext(path)[0]
    for cand in (path + ".alt.txt", stem + ".alt.txt"):
        if not os.path.isfile(cand):
            continue
        try:
            with open(cand, "rb") as fh:
                text = fh.read(64 * 1024).decode("utf-8").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            name = os.path.basename(cand)
            part.sidecars.append(name)
            part.fact("alt_text", text, f"sidecar:{name}")
        return
