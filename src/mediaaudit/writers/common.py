"""Helpers shared by the renderings: order, totals, fix hints, a file in plain words,
values on one line.

They read a manifest through its view (``manifestview``), which already gives every key
that a manifest of an older version lacks as None or empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from mediaaudit import codes
from mediaaudit.evaluate import actions as _actions
from mediaaudit.manifestview import EntryView, MediaView, State, SummaryView, ordered
from mediaaudit.manifestview import relang as relang  # the manifest in another language
from mediaaudit.model import MediaKind

# The order the reports list files in: the most urgent state first (``State``'s order).
STATE_ORDER = {s: i for i, s in enumerate(State)}


# Everything that ends a line for some reader: CR alone (a line break in CommonMark and
# for spreadsheets), LF, VT, FF, the separators FS/GS/RS (Python's splitlines), NEL
# (U+0085), LINE and PARAGRAPH SEPARATOR (U+2028/U+2029); and TAB, a cell separator.
_BREAKS = re.compile("\r\n|[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# The control characters that are left, and the bidirectional controls (LRE…RLO, LRI…PDI,
# LRM/RLM/ALM), which reorder what is shown: ``foto\u202egpj.exe`` reads as "fotoexe.jpg".
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_escape(m: re.Match[str]) -> str:
    """The matched character as ``\\xNN`` (up to U+00FF) or ``\\uNNNN``: how every
    rendering shows a character it must not write as it is."""
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def one_line(value: Any) -> str:
    """A value as text for one line of a line-based rendering (a Markdown table row or
    list item, a CSV cell).  File names and metadata are untrusted: a CR in alt text
    started a new Markdown line ("# APPROVED BY LEGAL" as a heading).  Every line break
    (see ``_BREAKS``) and TAB becomes a space, so the text stays readable; any other
    control character (C0, DEL, C1) becomes a visible ``\\xNN``, like the bytes of a
    name that is not UTF-8 (``fsnames.printable``), and a bidirectional control a visible
    ``\\uNNNN``, so a name cannot show itself in another order.  None is the empty string."""
    text = _BREAKS.sub(" ", "" if value is None else str(value))
    return _CONTROL.sub(visible_escape, text)


def failing_first(files: Sequence[EntryView]) -> Sequence[EntryView]:
    """Could not be checked, failed, passed with actions, passed; by path within each."""
    return ordered(files, lambda f: (STATE_ORDER[f.state], f.path))


def summary_of(files: Iterable[EntryView]) -> dict[str, int]:
    """Totals counted from the entries, as the JSON manifest writes them for a manifest
    that has none (the four states people see are counted by ``states_of``)."""
    s = SummaryView.counted(files)
    return {"files": s.files, "pass": s.passed, "fail": s.failed, "error": s.errors}


def states_of(files: Iterable[EntryView]) -> dict[State, int]:
    """How many files are in each of the four states (counted from the entries)."""
    out = dict.fromkeys(State, 0)
    for f in files:
        out[f.state] += 1
    return out


def fix_hint(code: str, lang: str) -> str:
    """The 'how to fix' sentence of a code's explanation (after 'Oplossen:'/'Fix:')."""
    if code not in codes.CODES:
        return ""
    text = codes.explain(code, lang)
    for marker in ("Oplossen:", "Fix:"):
        if marker in text:
            return text.split(marker, 1)[1].strip()
    return ""


_CODECS = {"AVC": "H.264", "HEVC": "H.265", "MPEG Audio": "MP3", "AV1": "AV1", "VP8": "VP8",
           "VP9": "VP9", "AAC": "AAC", "FFV1": "FFV1", "FLAC": "FLAC", "Opus": "Opus",
           "Vorbis": "Vorbis", "PCM": "PCM"}
_IMAGE = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WebP", "svg+xml": "SVG",
          "heic": "HEIC", "heif": "HEIF", "avif": "AVIF", "tiff": "TIFF", "bmp": "BMP",
          "jp2": "JPEG 2000"}
_WORDS = {"nl": {"video": "video", "image": "afbeelding", "vector": "vectorafbeelding",
                 "audio": "audio", "frames": "{n} beelden", "file": "bestand",
                 "empty": "leeg bestand", "embedded": "ingebouwd spoor",
                 "not_unpacked": "in een archief, niet uitgepakt"},
          "en": {"video": "video", "image": "image", "vector": "vector image",
                 "audio": "audio", "frames": "{n} frames", "file": "file",
                 "empty": "empty file", "embedded": "embedded track",
                 "not_unpacked": "in an archive, not unpacked"}}


def captions(f: EntryView, lang: str) -> list[str]:
    """Each caption of a video as people read it: a caption file by its name with its
    language ('clip.nl.srt (nl)', 'clip.vtt (taal onbekend)'), a track inside the video
    by its format ('ingebouwd spoor SRT (en)').  The name is what the poster uploads."""
    w = _WORDS.get(lang, _WORDS["en"])
    out = []
    for c in f.captions:
        language = _actions.language_name(c.language, lang)
        if c.is_file:
            out.append(f"{c.file} ({language})")
        else:
            fmt = f" {c.format}" if c.format else ""
            out.append(f"{w['embedded']}{fmt} ({language})")
    return out


def _duration(ms: int) -> str:
    secs = max(1, round(ms / 1000)) if ms > 0 else 0
    h, rest = divmod(secs, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def _container(media: MediaView, mime: str | None) -> str | None:
    c, prof = media.container or "", media.container_profile or ""
    if prof == "QuickTime" or (mime or "").endswith("quicktime"):
        return "QuickTime (MOV)"
    return {"MPEG-4": "MP4", "Matroska": "MKV", "WebM": "WebM", "AVI": "AVI",
            "MPEG-TS": "MPEG-TS", "Ogg": "Ogg"}.get(c, c or None)


def describe(f: EntryView, lang: str) -> str:
    """The file in plain words: 'MP4 video, H.264 + AAC, 0:42, 1920×1080'."""
    w = _WORDS.get(lang, _WORDS["en"])
    media, fmt = f.media, f.format
    kind = media.kind
    size = f"{media.width}×{media.height}" if media.width and media.height else None
    if f.archive_member is not None and not f.sha256:
        return w["not_unpacked"]  # a hostile or encrypted member: nothing was read
    if not f.size:
        return w["empty"]
    if kind in (MediaKind.VIDEO, MediaKind.AUDIO):
        name = _container(media, fmt.mime) or (fmt.name or w["file"])
        codecs = [_CODECS.get(t.format, t.format) for t in media.tracks
                  if t.kind in ("video", "audio") and t.format]
        parts = [f"{name}-{w[kind]}" if lang == "nl" else f"{name} {w[kind]}"]
        if codecs:
            parts.append(" + ".join(codecs))
        if media.duration_ms is not None:
            parts.append(_duration(media.duration_ms))
        if size:
            parts.append(size)
        return ", ".join(parts)
    mime = fmt.mime or ""
    sub = mime.split("/", 1)[1] if mime.startswith("image/") else ""
    short = _IMAGE.get(sub) or (sub.upper() if sub else None)
    if kind in (MediaKind.IMAGE, MediaKind.VECTOR):
        name = f"{short}-{w[kind]}" if lang == "nl" and short else \
            f"{short} {w[kind]}" if short else w[kind]
        parts = [name]
        if size:
            parts.append(size)
        if (media.frames or 1) > 1:
            parts.append(w["frames"].format(n=media.frames))
        return ", ".join(parts)
    return fmt.name or fmt.mime or w["file"]


def human_size(n: float | None, lang: str = "en") -> str:
    """'3.6 KB', in Dutch '3,6 KB': the decimal sign of the report's language."""
    if n is None:
        return "?"
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            shown = f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
            return shown.replace(".", ",") if lang == "nl" else shown
        size /= 1024
    return f"{n} B"
