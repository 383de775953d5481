"""The format gate: a file's status under the profile (NVF), and why.

Rules: identify the row by PUID, else by a labelled equivalent,
else (siegfried silent) by libmagic's MIME with a warning.  For containers the status is
the worst of the container and every audio/video track's codec.  A row's condition
(MKV only preferred with FFV1) downgrades the container.  Text tracks never count.
"""

from __future__ import annotations

from mediaaudit.codes import CodeId
from mediaaudit.evaluate.draft import Draft, draft
from mediaaudit.model import (
    CodecVerdict,
    Facts,
    FormatVerdict,
    MediaKind,
    NvfStatus,
    Track,
    Via,
)
from mediaaudit.profile import CodecRow, FormatRow, Profile

RANK = {s: i for i, s in enumerate(NvfStatus)}  # best first: preferred … unknown
_NO_CONTENT = {CodeId.EMPTY_FILE, CodeId.UNREADABLE, CodeId.CHANGED_DURING_SCAN,
               CodeId.NOT_A_REGULAR_FILE}
LARGE_PIXELS = 50_000_000


def worst(*statuses: NvfStatus) -> NvfStatus:
    return max(statuses, key=lambda s: RANK[s])


def format_label(f: Facts) -> str:
    i = f.ident
    if i.format_name and i.known:
        ver = f" {i.format_version}" if i.format_version else ""
        return f"{i.format_name}{ver} ({i.puid})"
    return i.mime or "?"


def match_codec(track: Track, profile: Profile) -> CodecRow | None:
    fmt = (track.format or "").lower()
    com = (track.commercial or "").lower()
    for c in profile.codecs:
        if c.track != track.kind or fmt not in c.mediainfo:
            continue
        if not c.commercial or com in c.commercial:
            return c
        if (track.profile or "").lower() in c.profiles:  # the technical name of the same
            return c
    return None


_MEDIA_CLASSES = ("image", "video", "audio")


def _find_row(f: Facts, profile: Profile) -> tuple[FormatRow | None, Via | None, list[Draft]]:
    """PUID, then a labelled equivalent; libmagic's MIME only where PRONOM is silent or
    says something generic (SVG with a DOCTYPE is 'XML' to siegfried).  A specific
    PRONOM media answer (APNG, MXF OP1a) is never overruled by a MIME type."""
    i = f.ident
    row = profile.by_mime.get((i.mime or "").lower())
    if i.known and i.puid:
        if i.puid in profile.by_puid:
            return profile.by_puid[i.puid], Via.PUID, []
        if i.puid in profile.by_equivalent:
            row_eq, eq = profile.by_equivalent[i.puid]
            if not eq.container_profiles or (
                    (f.media.container_profile or "").lower() in eq.container_profiles):
                return row_eq, eq.via, []
        generic = not any(c in (i.pronom_class or "").lower() for c in _MEDIA_CLASSES)
        if row is not None and generic:
            note = draft(CodeId.GENERIC_PRONOM_MATCH, "libmagic", format=format_label(f),
                         mime=i.mime)
            return row, Via.MIME, [note]
        return None, None, []
    if row is not None:
        return row, Via.MIME, [draft(CodeId.IDENTIFIED_BY_MIME_ONLY, "libmagic", mime=i.mime)]
    return None, None, []


def _codecs(f: Facts, row: FormatRow, profile: Profile) -> tuple[list[CodecVerdict], list[Draft]]:
    verdicts, drafts = [], []
    for t in f.media.tracks:
        if t.kind not in ("video", "audio"):
            continue
        crow = match_codec(t, profile)
        name = t.commercial if t.commercial and t.commercial != t.format else t.format
        codec = name or t.codec_id or "?"
        status = crow.status if crow else NvfStatus.NOT_LISTED
        verdicts.append(CodecVerdict(t.kind, codec, status, crow.name if crow else None))
        if crow is None:
            drafts.append(draft(CodeId.CODEC_NOT_LISTED, "mediainfo", track=t.kind, codec=codec,
                                profile=profile.short_name))
    return verdicts, drafts


def format_verdict(f: Facts, profile: Profile) -> tuple[FormatVerdict, list[Draft]]:
    """The NVF status and the drafts (findings) that explain it."""
    if f.sha256 is None or any(n.code in _NO_CONTENT for n in f.notes):
        return FormatVerdict(NvfStatus.UNKNOWN), []  # nothing was read: the IO finding says why
    out: list[Draft] = []
    label = format_label(f)
    ext = f.ref.display.rsplit(".", 1)[-1] if "." in f.ref.display.rsplit("/", 1)[-1] else ""
    if f.media.kind == MediaKind.OTHER:
        if f.ident.known:
            out.append(draft(CodeId.NOT_MEDIA, "siegfried", format=label))
        else:
            out.append(draft(CodeId.UNKNOWN_FORMAT, None, mime=f.ident.mime or "?"))
        return FormatVerdict(NvfStatus.UNKNOWN), out
    row, via, extra = _find_row(f, profile)
    by_mime_ext = row is not None and via is Via.MIME and ext.lower() in row.extensions
    if f.ident.extension_mismatch and not by_mime_ext:
        out.append(draft(CodeId.EXTENSION_MISMATCH, "siegfried", ext=ext, format=label))
    out += extra
    if row is None:
        if not f.ident.known:
            out.append(draft(CodeId.UNKNOWN_FORMAT, None, mime=f.ident.mime or "?"))
            return FormatVerdict(NvfStatus.UNKNOWN), out
        out.append(draft(CodeId.NOT_LISTED, "siegfried", format=label, profile=profile.short_name))
        return FormatVerdict(NvfStatus.NOT_LISTED, via=via), out
    if via is Via.MIME and not f.ident.known:
        # MIME-only (MA-ID-002): the row is shown, but an identification libmagic alone
        # makes is not a verdict the norm can rest on, so the status stays unknown.
        return FormatVerdict(NvfStatus.UNKNOWN, row.name, row.id, via), out
    container = row.status
    codecs: list[CodecVerdict] = []
    if row.container:
        codecs, cdrafts = _codecs(f, row, profile)
        out += cdrafts
        if not codecs and f.media.kind in (MediaKind.VIDEO, MediaKind.AUDIO):
            if f.media.tracks:  # e.g. a timed-text-only MXF: not damaged, not media
                kinds = ", ".join(sorted({t.kind for t in f.media.tracks}))
                out.append(draft(CodeId.NOT_MEDIA, "mediainfo", format=f"{label} ({kinds})"))
                return FormatVerdict(NvfStatus.UNKNOWN, row.name, row.id, via), out
            out.append(draft(CodeId.DAMAGED, "mediainfo", reason="no audio or video track found"))
        cond = row.condition
        if cond and container is NvfStatus.PREFERRED:
            video = [(t.format or "").lower() for t in f.media.tracks if t.kind == "video"]
            if not video or any(v not in cond.video_codecs for v in video):
                container = cond.otherwise
                out.append(draft(CodeId.CONDITION_NOT_MET, None, format=row.name,
                                 condition=cond.text))
    status = worst(container, *(c.status for c in codecs))
    if status is NvfStatus.ACCEPTABLE:
        out.append(draft(CodeId.ACCEPTABLE, None, format=row.name, profile=profile.short_name))
    out += _posting_checks(f)
    return FormatVerdict(status, row.name, row.id, via, container, tuple(codecs)), out


def _posting_checks(f: Facts) -> list[Draft]:
    """Informational checks about how the file will behave on a platform."""
    m, out = f.media, []
    if m.kind == MediaKind.IMAGE and (f.ident.mime == "image/gif") and (m.frames or 1) > 1:
        out.append(draft(CodeId.ANIMATED_GIF, "pillow", frames=m.frames))
    if m.container == "MPEG-4" and m.streamable is False and m.kind == MediaKind.VIDEO:
        out.append(draft(CodeId.NOT_FAST_START, "mediainfo"))
    if m.width and m.height and m.width * m.height >= LARGE_PIXELS:
        mp = round(m.width * m.height / 1e6, 1)
        out.append(draft(CodeId.VERY_LARGE_IMAGE, None, width=m.width, height=m.height,
                         megapixels=mp))
    return out
