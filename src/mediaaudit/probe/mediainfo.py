"""MediaInfo (pymediainfo, bundled libmediainfo): container and every track's codec.

Called with ``parse_speed=0``: the reference measurements show the same fields at a
fraction of the cost; ``full=True`` is kept because it carries ``isstreamable``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from mediaaudit.model import Track
from mediaaudit.probe.partial import Partial

_KINDS = {"Video": "video", "Audio": "audio", "Text": "text", "Image": "image", "Menu": "menu"}


def mediainfo_version() -> str | None:
    try:
        from pymediainfo import MediaInfo

        info = MediaInfo._get_library()  # returns (lib, handle, version-string, version-tuple)
        return str(info[2]).replace("MediaInfoLib - v", "")
    except Exception:
        return None


def _clean(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def parse(path: str) -> list[dict[str, Any]]:
    from pymediainfo import MediaInfo

    mi = MediaInfo.parse(path, parse_speed=0)
    return [t.to_data() for t in mi.tracks]


# MediaInfo tag keys (lower-cased by pymediainfo) → fact field.  MP4 cprt / MOV ©cpy →
# copyright; Matroska LICENSE/TERMS_OF_USE/...; mdta keys; on ANY track (MKV track tags).
TAGS = {
    "copyright": "copyright", "production_copyright": "copyright", "rights": "copyright",
    "license": "licence", "licence": "licence", "terms_of_use": "usage_terms",
    "performer": "creator", "artist": "creator", "composer": "creator",
    "xyz": "gps", "encoded_by": None,
}


def _tags(d: dict[str, Any], ttype: str, part: Partial) -> None:
    prefix = "video-tag" if ttype == "General" else f"video-tag:{ttype.lower()}"
    for key, value in d.items():
        fld = TAGS.get(key)
        if fld:
            part.fact(fld, value, f"{prefix}:{key}")
        elif ("location" in key and "iso6709" in key) or key in ("location", "location_eng"):
            part.fact("gps", value, f"{prefix}:{key}")


def probe_mediainfo(path: str, part: Partial, tracks_data: list[dict[str, Any]]) -> None:
    """Fill container and track facts (and container tags) from MediaInfo's track dicts."""
    for d in tracks_data:
        ttype = d.get("track_type")
        _tags(d, str(ttype), part)
        if ttype == "General":
            part.props["container"] = _clean(d.get("format"))
            part.props["container_profile"] = _clean(d.get("format_profile"))
            part.props["codec_id"] = _clean(d.get("codec_id"))
            s = d.get("isstreamable")
            if s is not None:
                part.props["streamable"] = str(s).lower() == "yes"
            if str(d.get("istruncated", "")).lower() == "yes":
                part.note("MA-IO-004", "mediainfo", reason="MediaInfo: truncated")
            dur = d.get("duration")
            if dur is not None:
                with contextlib.suppress(TypeError, ValueError):
                    part.props["duration_ms"] = int(float(dur))
            continue
        kind = _KINDS.get(str(ttype), "other")
        part.tracks.append(
            Track(
                kind=kind,
                format=_clean(d.get("format")),
                codec_id=_clean(d.get("codec_id")),
                profile=_clean(d.get("format_profile")),
                commercial=_clean(d.get("format_commercial_if_any")),
                language=_clean(d.get("language")),
                title=_clean(d.get("title")),
            )
        )
        if kind in ("video", "image") and "width" not in part.props:
            for key in ("width", "height"):
                if d.get(key) is not None:
                    with contextlib.suppress(TypeError, ValueError):
                        part.props[key] = int(d[key])
