"""Load and validate a format profile (TOML) such as ``formats/nvf-2024.toml``.

The profile is data: the norm's rows verbatim plus mediaaudit's reading of them.  This
module turns the TOML into frozen lookup tables and rejects a malformed file with a
message that names the entry and key, because users may write their own profiles.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediaaudit.model import NvfStatus, Via

STATUSES = (NvfStatus.PREFERRED, NvfStatus.ACCEPTABLE)  # what a row of the norm can say
CATEGORIES = ("raster", "vector", "video", "audio")
_PUID_RE = re.compile(r"^(?:[A-Za-z]+-)?(x-)?fmt/(\d+)(?:-(\d+))?$")


class ProfileError(ValueError):
    """A profile file that cannot be used; the message is meant for the user.  The ones a
    user meets (a profile that does not exist or cannot be read) also carry a ``key`` and
    its ``params``, so the command line can say them in the run's language."""

    def __init__(self, message: str, key: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.key, self.params = key, params


@dataclass(frozen=True)
class Condition:
    """A condition on a row's status (NVF: MKV preferred only with FFV1)."""

    video_codecs: tuple[str, ...]
    otherwise: NvfStatus
    text: str


@dataclass(frozen=True)
class FormatRow:
    """One file-format row of the norm."""

    id: str
    category: str
    name: str
    status: NvfStatus
    puids: tuple[str, ...]
    extensions: tuple[str, ...]
    mime: tuple[str, ...]
    container: bool = False
    condition: Condition | None = None
    norm: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CodecRow:
    """One codec row of the norm, matched on MediaInfo format names."""

    id: str
    track: str
    name: str
    status: NvfStatus
    mediainfo: tuple[str, ...]
    commercial: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Equivalent:
    """A labelled mapping of PUIDs the norm does not list onto one of its rows.

    With ``container_profiles`` it is a refinement: it applies only when MediaInfo names
    one of these operational patterns / profiles (MXF OP-1a), so a PUID that covers more
    than the norm means is narrowed by what is really inside the file."""

    puids: tuple[str, ...]
    maps_to: str
    reason: str
    container_profiles: tuple[str, ...] = ()

    @property
    def via(self) -> Via:
        return Via.REFINEMENT if self.container_profiles else Via.EQUIVALENT


@dataclass(frozen=True)
class NotMapped:
    """A PUID that was considered as an equivalent and deliberately left out, with why."""

    puids: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Profile:
    """A validated profile with lookup tables by PUID and MIME type."""

    id: str
    name: str
    short_name: str
    version: str
    header: Mapping[str, str]
    formats: tuple[FormatRow, ...]
    codecs: tuple[CodecRow, ...]
    equivalents: tuple[Equivalent, ...]
    not_mapped: tuple[NotMapped, ...]
    sha256: str
    source: str
    by_puid: Mapping[str, FormatRow]
    by_equivalent: Mapping[str, tuple[FormatRow, Equivalent]]
    by_mime: Mapping[str, FormatRow]

    def row(self, row_id: str) -> FormatRow:
        for r in self.formats:
            if r.id == row_id:
                return r
        raise KeyError(row_id)


def expand_puid(puid: str) -> list[str]:
    """``fmt/21-36`` → fmt/21 … fmt/36; anything else unchanged (``TSS-fmt/9`` kept)."""
    m = _PUID_RE.match(puid.strip())
    if m and m.group(3):
        prefix = puid[: puid.index("/") + 1]
        lo, hi = int(m.group(2)), int(m.group(3))
        return [f"{prefix}{n}" for n in range(lo, hi + 1)]
    return [puid.strip()]


def _req(entry: Mapping[str, Any], key: str, where: str, kind: type = str) -> Any:
    if key not in entry:
        raise ProfileError(f"{where}: missing key '{key}'")
    val = entry[key]
    if not isinstance(val, kind):
        raise ProfileError(f"{where}: '{key}' must be a {kind.__name__}, got {val!r}")
    return val


def _strlist(entry: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    val = entry.get(key, [])
    if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
        raise ProfileError(f"{where}: '{key}' must be a list of strings")
    return tuple(val)


def _status(entry: Mapping[str, Any], where: str, key: str = "status") -> NvfStatus:
    st = _req(entry, key, where)
    if st not in STATUSES:
        raise ProfileError(f"{where}: '{key}' must be one of {', '.join(STATUSES)}, got {st!r}")
    return NvfStatus(st)


def _format_row(i: int, e: Mapping[str, Any]) -> FormatRow:
    where = f"[[formats]] #{i + 1}"
    rid = _req(e, "id", where)
    where = f"[[formats]] '{rid}'"
    cat = _req(e, "category", where)
    if cat not in CATEGORIES:
        raise ProfileError(f"{where}: 'category' must be one of {', '.join(CATEGORIES)}")
    puids = _strlist(e, "puids", where)
    for p in puids:
        if not _PUID_RE.match(p):
            raise ProfileError(f"{where}: {p!r} is not a PRONOM PUID (fmt/N, x-fmt/N or a range)")
    cond = None
    if "condition" in e:
        c = e["condition"]
        if not isinstance(c, dict):
            raise ProfileError(f"{where}: 'condition' must be a table")
        cond = Condition(
            video_codecs=tuple(v.lower() for v in _strlist(c, "video_codecs", where)),
            otherwise=_status(c, where + ".condition", "otherwise"),
            text=str(c.get("text", "")),
        )
    norm = {k: str(v) for k, v in e.items() if k.startswith("norm_")}
    return FormatRow(
        id=rid,
        category=cat,
        name=str(e.get("norm_name", rid)).strip(),
        status=_status(e, where),
        puids=puids,
        extensions=tuple(x.lower() for x in _strlist(e, "extensions", where)),
        mime=tuple(x.lower() for x in _strlist(e, "mime", where)),
        container=bool(e.get("container", False)),
        condition=cond,
        norm=norm,
    )


def _codec_row(i: int, e: Mapping[str, Any]) -> CodecRow:
    where = f"[[codecs]] #{i + 1}"
    cid = _req(e, "id", where)
    where = f"[[codecs]] '{cid}'"
    track = _req(e, "track", where)
    if track not in ("video", "audio"):
        raise ProfileError(f"{where}: 'track' must be 'video' or 'audio'")
    mi = _strlist(e, "mediainfo", where)
    if not mi:
        raise ProfileError(f"{where}: 'mediainfo' must name at least one MediaInfo format")
    return CodecRow(
        id=cid,
        track=track,
        name=str(e.get("norm_name", cid)).strip(),
        status=_status(e, where),
        mediainfo=tuple(m.lower() for m in mi),
        commercial=tuple(m.lower() for m in _strlist(e, "commercial", where)),
        profiles=tuple(m.lower() for m in _strlist(e, "profiles", where)),
    )


def parse_profile(data: bytes, source: str) -> Profile:
    """Validate TOML bytes and build the lookup tables."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{source}: not valid TOML: {exc}") from exc
    head = doc.get("profile")
    if not isinstance(head, dict):
        raise ProfileError(f"{source}: missing [profile] table")
    for key in ("id", "name", "version"):
        _req(head, key, f"{source} [profile]")
    raw_formats = doc.get("formats")
    if not isinstance(raw_formats, list) or not raw_formats:
        raise ProfileError(f"{source}: needs at least one [[formats]] entry")
    try:
        formats = tuple(_format_row(i, e) for i, e in enumerate(raw_formats))
        codecs = tuple(_codec_row(i, e) for i, e in enumerate(doc.get("codecs", [])))
    except ProfileError as exc:
        raise ProfileError(f"{source}: {exc}") from exc
    ids = [f.id for f in formats]
    if len(set(ids)) != len(ids):
        raise ProfileError(f"{source}: duplicate [[formats]] ids")
    by_puid: dict[str, FormatRow] = {}
    by_mime: dict[str, FormatRow] = {}
    for row in formats:
        for p in row.puids:
            for q in expand_puid(p):
                by_puid.setdefault(q, row)
        for m in row.mime:
            by_mime.setdefault(m, row)
    equivalents: list[Equivalent] = []
    by_eq: dict[str, tuple[FormatRow, Equivalent]] = {}
    for i, e in enumerate(doc.get("equivalents", [])):
        where = f"{source}: [[equivalents]] #{i + 1}"
        target = _req(e, "maps_to", where)
        if target not in ids:
            raise ProfileError(f"{where}: maps_to '{target}' is not a [[formats]] id")
        eq = Equivalent(_strlist(e, "puids", where), target, str(_req(e, "reason", where)),
                        tuple(x.lower() for x in _strlist(e, "container_profiles", where)))
        equivalents.append(eq)
        row = formats[ids.index(target)]
        for p in eq.puids:
            if p in by_puid:
                raise ProfileError(f"{where}: {p} is already listed by the norm itself")
            by_eq[p] = (row, eq)
    not_mapped = []
    for i, e in enumerate(doc.get("not_mapped", [])):
        where = f"{source}: [[not_mapped]] #{i + 1}"
        nm = NotMapped(_strlist(e, "puids", where), str(_req(e, "reason", where)))
        if any(p in by_puid or p in by_eq for p in nm.puids):
            raise ProfileError(f"{where}: a PUID here is also mapped to a row")
        not_mapped.append(nm)
    return Profile(
        id=str(head["id"]),
        name=str(head["name"]),
        short_name=str(head.get("short_name", head["name"])),
        version=str(head["version"]),
        header={k: str(v) for k, v in head.items()},
        formats=formats,
        codecs=codecs,
        equivalents=tuple(equivalents),
        not_mapped=tuple(not_mapped),
        sha256=hashlib.sha256(data).hexdigest(),
        source=source,
        by_puid=by_puid,
        by_equivalent=by_eq,
        by_mime=by_mime,
    )


def builtin_dir() -> Path:
    """Where the shipped profiles live: inside the wheel, or ``formats/`` in a checkout."""
    packaged = Path(str(importlib.resources.files("mediaaudit"))) / "formats"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "formats"


def builtin_ids() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def load_profile(spec: str = "nvf-2024") -> Profile:
    """Load a built-in profile by id, or a profile file by path."""
    path = Path(spec)
    if spec in builtin_ids():
        path = builtin_dir() / f"{spec}.toml"
    elif not path.is_file():
        known = ", ".join(builtin_ids())
        raise ProfileError(f"profile '{spec}' is neither a built-in profile ({known}) nor a file",
                           "unknown_profile", spec=spec, known=known)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProfileError(f"cannot read profile {path}: {exc.strerror}", "profile_unreadable",
                           path=str(path), why=exc.strerror or str(exc)) from exc
    return parse_profile(data, str(path))
