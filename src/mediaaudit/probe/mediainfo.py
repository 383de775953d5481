"""MediaInfo (pymediainfo, bundled libmediainfo): container and every track's codec.

Called with ``parse_speed=0``: the reference measurements show the same fields at a
fraction of the cost; ``full=True`` is kept because it carries ``isstreamable``.
"""

from __future__ import annotations

import contextlib
import struct
from typing import Any

from mediaaudit.codes import CodeId
from mediaaudit.model import FactOrigin, FactSource, MediaKind, Track
from mediaaudit.probe.partial import Partial
from mediaaudit.probe.xmp import bmff_boxes

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
    track = "" if ttype == "General" else f"{ttype.lower()}:"
    for key, value in d.items():
        fld = TAGS.get(key)
        if fld:
            part.fact(fld, value, FactSource(FactOrigin.VIDEO_TAG, track + key))
        elif ("location" in key and "iso6709" in key) or key in ("location", "location_eng"):
            part.fact("gps", value, FactSource(FactOrigin.VIDEO_TAG, track + key))


def _cstring(data: bytes, i: int) -> int:
    """Index just past a 3GPP string at ``i`` (UTF-8, or UTF-16 with a BOM)."""
    if data[i:i + 2] in (b"\xfe\xff", b"\xff\xfe"):
        j = i + 2
        while j + 1 < len(data) and data[j:j + 2] != b"\0\0":
            j += 2
        return j + 2
    j = data.find(b"\0", i)
    return len(data) if j < 0 else j + 1


def parse_loci(data: bytes) -> tuple[float, float] | None:
    """(latitude, longitude) of a 3GPP TS 26.244 ``loci`` payload (after the box header):
    version/flags, language, name, role byte, then 16.16 fixed longitude, latitude."""
    i = _cstring(data, 6) + 1
    if i + 8 > len(data):
        return None
    lon, lat = struct.unpack(">ii", data[i:i + 8])
    return lat / 65536, lon / 65536


def read_loci(path: str, part: Partial) -> None:
    """GPS in the 3GPP ``loci`` box (moov/udta, moov/trak/udta, moov[/udta]/meta), which
    MediaInfo does not report.  0,0 is a default, not a position."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        places: list[tuple[bytes, int, int]] = []
        for typ, b, e in bmff_boxes(f, 0, f.tell()):
            if typ != b"moov":
                continue
            for t2, b2, e2 in bmff_boxes(f, b, e):
                if t2 == b"trak":
                    places += [box for box in bmff_boxes(f, b2, e2) if box[0] == b"udta"]
                elif t2 in (b"udta", b"meta"):
                    places.append((t2, b2, e2))
        i = 0
        while i < len(places) and i < 64:
            kind, b, e = places[i]
            i += 1
            # ISO 'meta' is a full box (4 more header bytes); QuickTime's 'meta' is not
            for start in (b, b + 4) if kind == b"meta" else (b,):
                for typ, b4, e4 in bmff_boxes(f, start, e):
                    if typ == b"meta" and kind == b"udta":
                        places.append((typ, b4, e4))
                    elif typ == b"loci" and e4 - b4 <= 4096:
                        f.seek(b4)
                        pos = parse_loci(f.read(e4 - b4))
                        if pos and pos != (0, 0):
                            part.fact("gps", f"{pos[0]:.5f} {pos[1]:.5f}",
                                      FactSource(FactOrigin.VIDEO_TAG, "loci"))
                            return


def probe_mediainfo(path: str, part: Partial, tracks_data: list[dict[str, Any]]) -> None:
    """Fill container and track facts (and container tags) from MediaInfo's track dicts."""
    if any(d.get("track_type") == "General" and d.get("format") in ("MPEG-4", "QuickTime")
           for d in tracks_data):
        with contextlib.suppress(OSError, struct.error, IndexError):
            read_loci(path, part)
    for d in tracks_data:
        ttype = d.get("track_type")
        if part.kind not in (MediaKind.IMAGE, MediaKind.VECTOR):
            # an image's metadata is the image readers' (and what they refused, such as a
            # PNG text chunk whose checksum fails, must not come back through MediaInfo,
            # which is asked about an image only for its dimensions)
            _tags(d, str(ttype), part)
        if ttype == "General":
            part.props["container"] = _clean(d.get("format"))
            part.props["container_profile"] = _clean(d.get("format_profile"))
            part.props["codec_id"] = _clean(d.get("codec_id"))
            s = d.get("isstreamable")
            if s is not None:
                part.props["streamable"] = str(s).lower() == "yes"
            if str(d.get("istruncated", "")).lower() == "yes":
                part.note(CodeId.DAMAGED, "mediainfo", reason="MediaInfo: truncated")
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
