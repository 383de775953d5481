"""Decide, from an original's own audit, whether a conversion can fix it and how.

Only what a conversion really repairs is fixed: the format gate (MA-FMT-001/003, and
the extension or fast-start remarks a re-export fixes with it) and, when asked, the
privacy findings (MA-PRV-*).  A file that also fails on something else (rights,
portrait rights, a missing caption) is converted all the same (issue 21): those facts
are carried into the derivative, which is audited again and still fails on them, and
its line says what still blocks it.  Refused are only the files a conversion would
launder: damaged, truncated or unreadable ones, formats that cannot be identified, and
rejected XMP (``NO_CONVERT``); and files with nothing a conversion fixes.
Pure: no I/O, so ``--dry-run`` and the real run decide alike.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum

from PIL import Image

from mediaaudit import codes
from mediaaudit.codes import CodeId
from mediaaudit.fix.texts import Why, plain
from mediaaudit.model import FileResult, MediaKind, Outcome, Severity

# Findings a new export removes by itself.
FORMAT_CODES = frozenset({CodeId.NOT_LISTED, CodeId.CODEC_NOT_LISTED,
                          CodeId.EXTENSION_MISMATCH, CodeId.NOT_FAST_START})
PRIVACY_CODES = frozenset({CodeId.GPS_POSITION, CodeId.DEVICE_SERIAL, CodeId.OWNER_NAME})
# Findings that stop a conversion: a converted copy of a damaged, truncated or
# unidentifiable file would look whole and hide the damage, and a rejected XMP packet
# would be copied along.  Every MA-IO-* code counts as well (``_hard``).
NO_CONVERT = frozenset({CodeId.IDENTIFIED_BY_MIME_ONLY, CodeId.UNKNOWN_FORMAT,
                        CodeId.NOT_MEDIA, CodeId.CONDITION_NOT_MET, CodeId.SVG_DOCTYPE,
                        CodeId.XMP_REJECTED})
IMAGE_FORMATS = ("jpeg", "png", "tiff")
EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "tiff": ".tif", "mp4": ".mp4", "mkv": ".mkv"}
# Video codecs (MediaInfo names) an MP4 derivative can carry without re-encoding.
MP4_VIDEO_COPY = frozenset({"AVC"})
MP4_AUDIO_COPY = frozenset({"AAC"})
# Pillow's DecompressionBombError threshold (2 x 89,478,485): above it ``scan`` reports
# MA-IO-007 and the file fails anyway, so it is also the most ``fix`` will convert.
BOMB_PIXELS = 2 * (Image.MAX_IMAGE_PIXELS or 89_478_485)
# The default for ``--max-pixels``: Pillow's own decompression-bomb warning level.  Every
# phone photo but the 108/200 MP modes fits, and a conversion then needs at most ~1.4 GB
# (WebP, ~16 bytes per pixel); up to BOMB_PIXELS (~2.9 GB) when the operator asks for it.
FIX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
_LIMIT_HINT = {"nl": "fix zet beelden tot {limit} pixels om (--max-pixels)",
               "en": "fix converts images of up to {limit} pixels (--max-pixels)"}


class Action(StrEnum):
    CONVERT_IMAGE = "convert_image"
    CONVERT_VIDEO = "convert_video"
    STRIP_ONLY = "strip_only"  # format already fine: metadata removed in a copy
    NOTHING = "nothing"  # passes already
    REFUSE = "refuse"  # cannot be fixed by conversion


@dataclass(frozen=True)
class Options:
    master: bool = False
    strip_location: bool = False
    image_format: str | None = None  # jpeg | png | tiff: overrides the rule
    # An image is decoded whole (the derivative keeps every pixel), and the decoders
    # need up to ~16 bytes per pixel (WebP), so the pixel count bounds the memory.
    max_pixels: int = FIX_PIXELS


@dataclass(frozen=True)
class Plan:
    """What will happen to one original.  ``target`` is a key of EXTENSIONS, or None
    for an image whose JPEG/PNG choice needs its pixels (decided by ``image_target``
    in the worker, which opens the file anyway)."""

    action: Action
    target: str | None = None
    reason: Why | None = None
    blocking: tuple[str, ...] = ()  # codes that make the file unfixable


def image_target(opts: Options, has_alpha: bool, lossless: bool) -> str:
    """The documented rule: ``--master`` → TIFF (preferred); ``--image-format`` wins
    otherwise; transparency or a lossless source (BMP, GIF, lossless WebP, palette
    images: graphics, screenshots, logos) → PNG, so nothing is lost and edges stay
    sharp; every other source (HEIC, AVIF, lossy WebP: photographs) → JPEG, which
    keeps the file small and is what every platform takes."""
    if opts.image_format:
        return opts.image_format
    if opts.master:
        return "tiff"
    return "png" if has_alpha or lossless else "jpeg"


def _errors(result: FileResult) -> list[str]:
    return [f.code for f in result.findings if f.severity is Severity.ERROR]


def _hard(code: str) -> bool:
    return code in NO_CONVERT or code.startswith("MA-IO-")


def _reason(result: FileResult, blocking: list[str], lang: str, suffix: str = "") -> Why:
    msgs = [f"{f.code} {codes.render(f.code, f.params, lang)}" for f in result.findings
            if f.code in blocking]
    if not msgs:
        return Why("could_not_audit")
    return plain("; ".join(dict.fromkeys(msgs)) + suffix)


def too_many_pixels(pixels: int, limit: int, lang: str = "en") -> str:
    """Why an image over the limit is not converted: MA-IO-007, and the option."""
    bomb = CodeId.DECOMPRESSION_BOMB
    return (f"{bomb} {codes.render(bomb, {'pixels': pixels}, lang)} "
            + _LIMIT_HINT.get(lang, _LIMIT_HINT["en"]).format(limit=limit))


def still_blocking(result: FileResult) -> list[str]:
    """The codes that fail ``result`` (a derivative's audit), first seen first."""
    return list(dict.fromkeys(_errors(result)))


def plan(result: FileResult, opts: Options, lang: str = "en") -> Plan:
    """The plan for one original, from its audit under the user's profile and policy."""
    kind = result.facts.media.kind
    privacy = [f.code for f in result.findings if f.code in PRIVACY_CODES]
    errors = _errors(result)
    if result.outcome is Outcome.ERROR:
        return Plan(Action.REFUSE, reason=_reason(result, errors, lang),
                    blocking=tuple(dict.fromkeys(errors)))
    hard = [c for c in errors if _hard(c)]
    if hard:
        return Plan(Action.REFUSE, reason=_reason(result, hard, lang),
                    blocking=tuple(dict.fromkeys(hard)))
    format_fail = any(c in (CodeId.NOT_LISTED, CodeId.CODEC_NOT_LISTED) for c in errors)
    if not format_fail:
        if opts.strip_location and privacy:
            return _strip_only(result)
        if not errors:
            return Plan(Action.NOTHING, reason=Why("passes_already"))
        blocking = [c for c in errors if c not in FORMAT_CODES]
        hint = (Why("use_strip").render(lang)
                if blocking and set(blocking) <= PRIVACY_CODES else "")
        return Plan(Action.REFUSE, reason=_reason(result, blocking, lang, hint),
                    blocking=tuple(dict.fromkeys(blocking)))
    if kind == MediaKind.IMAGE:
        if (result.facts.media.frames or 1) > 1:
            return Plan(Action.REFUSE, reason=Why("animated"), blocking=(CodeId.NOT_LISTED,))
        pixels = (result.facts.media.width or 0) * (result.facts.media.height or 0)
        if pixels > opts.max_pixels:
            return Plan(Action.REFUSE,
                        reason=plain(too_many_pixels(pixels, opts.max_pixels, lang)),
                        blocking=(CodeId.DECOMPRESSION_BOMB,))
        forced = opts.image_format or ("tiff" if opts.master else None)
        return Plan(Action.CONVERT_IMAGE, target=forced)
    if kind == MediaKind.VIDEO:
        return Plan(Action.CONVERT_VIDEO, target="mkv" if opts.master else "mp4")
    return Plan(Action.REFUSE, reason=Why("no_conversion", {"kind": kind}),
                blocking=(CodeId.NOT_LISTED,))


def _strip_only(result: FileResult) -> Plan:
    """Location removed in a copy of a file whose format already passes: same
    container, no re-encoding."""
    media = result.facts.media
    ext = os.path.splitext(result.facts.ref.path)[1].lower()
    if media.kind == MediaKind.IMAGE:
        target = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".tif": "tiff",
                  ".tiff": "tiff"}.get(ext)
        if target:
            return Plan(Action.STRIP_ONLY, target=target)
    if media.kind == MediaKind.VIDEO and media.container in ("MPEG-4", "Matroska"):
        return Plan(Action.STRIP_ONLY, target="mp4" if media.container == "MPEG-4" else "mkv")
    return Plan(Action.REFUSE, reason=Why("cannot_strip", {"what": media.container or ext}),
                blocking=tuple(sorted(PRIVACY_CODES)))


def video_copy(result: FileResult, target: str) -> tuple[bool, bool]:
    """(copy video, copy audio) for an MP4 target: H.264 and AAC are re-muxed as they are
    (no generation loss, seconds instead of minutes); anything else is re-encoded."""
    if target != "mp4":
        return False, False
    tracks = result.facts.media.tracks
    vids = [t.format for t in tracks if t.kind == "video"]
    auds = [t.format for t in tracks if t.kind == "audio"]
    return (all(v in MP4_VIDEO_COPY for v in vids),
            all(a in MP4_AUDIO_COPY for a in auds))
