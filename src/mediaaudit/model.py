"""Frozen value types passed between the pipeline stages.

Facts are what a probe saw in a file (serialisable, cacheable); verdicts are what the
pure evaluation made of them.  Keeping the two apart is what lets a profile or policy
change re-evaluate without re-reading any file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much a finding weighs: ``error`` fails the file, the others only inform."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Outcome(StrEnum):
    """Per-file result.  ``error`` means the file could not be audited at all."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"


class MediaKind(StrEnum):
    """What a file is to the checks: which gates and posting checks apply (captions for
    video, alt text for images, codecs for video and audio)."""

    IMAGE = "image"
    VECTOR = "vector"
    VIDEO = "video"
    AUDIO = "audio"
    OTHER = "other"


class NvfStatus(StrEnum):
    """The format gate's answer under the profile (the norm's Voorkeur / Acceptabel)."""

    PREFERRED = "preferred"
    ACCEPTABLE = "acceptable"
    NOT_LISTED = "not_listed"
    UNKNOWN = "unknown"


class Via(StrEnum):
    """How a file was matched to a profile row."""

    PUID = "puid"
    EQUIVALENT = "equivalent"
    REFINEMENT = "refinement"
    MIME = "mime"


class RightsStatus(StrEnum):
    """The rights gate's answer."""

    OPEN = "open"
    OWNED = "owned"
    LICENSED = "licensed"
    RESTRICTED = "restricted"
    UNKNOWN = "unknown"
    CONFLICT = "conflict"


class C2paState(StrEnum):
    """What the Content Credentials of a file amount to.  Only INVALID (a hash or signature
    mismatch) may say 'changed after signing'."""

    ABSENT = "absent"
    PRESENT_UNVERIFIED = "present_unverified"  # a marker, but the reader could not run
    VALID_UNTRUSTED = "valid_untrusted"
    TRUSTED = "trusted"
    UNVERIFIABLE = "unverifiable"
    INVALID = "invalid"


@dataclass(frozen=True)
class Member:
    """Where a file that came out of a delivery archive lives: the archive on disk
    (``archive``, the outermost one), how the manifest names it, and the member's names
    inside it, outermost first (two names for a file in an archive inside the archive)."""

    archive: str
    archive_display: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class FileRef:
    """A file found by the walker: where to open it and how to name it in the manifest.
    For a member of a delivery archive, ``path`` is its unpacked copy (a temporary file)
    and ``member`` says where it came from."""

    path: str
    display: str
    size: int
    mtime_ns: int
    problem: ProbeNote | None = None
    # The rest of the walker's stat, for the cache fingerprint (0 = not known: the cache
    # then stats the file itself).
    ctime_ns: int = 0
    inode: int = 0
    member: Member | None = None

    @property
    def where(self) -> str:
        """The path the user would name for this file: its own path, or for an archive's
        member the archive's path with the member's names (not a path to open)."""
        if self.member is None:
            return self.path
        return os.path.join(self.member.archive, *self.member.names)


@dataclass(frozen=True)
class ProbeNote:
    """Something a probe noticed that becomes a finding (e.g. truncation, bad XMP)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None


@dataclass(frozen=True)
class Identification:
    """What the identifiers said: siegfried (PRONOM) and libmagic, side by side."""

    puid: str | None = None
    format_name: str | None = None
    format_version: str | None = None
    basis: str | None = None
    sf_warning: str | None = None
    pronom_class: str | None = None
    mime: str | None = None
    description: str | None = None

    @property
    def extension_mismatch(self) -> bool:
        return bool(self.sf_warning and "extension mismatch" in self.sf_warning)

    @property
    def known(self) -> bool:
        return bool(self.puid and self.puid != "UNKNOWN")


@dataclass(frozen=True)
class Track:
    """One elementary stream inside a container, as MediaInfo names it."""

    kind: str
    format: str | None
    codec_id: str | None = None
    profile: str | None = None
    commercial: str | None = None
    language: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class MediaProps:
    """Technical properties that the profile and the posting checks need."""

    kind: MediaKind = MediaKind.OTHER
    width: int | None = None
    height: int | None = None
    frames: int | None = None
    duration_ms: int | None = None
    container: str | None = None
    container_profile: str | None = None
    streamable: bool | None = None
    tracks: tuple[Track, ...] = ()


class FactOrigin(StrEnum):
    """The kind of place a metadata fact was read from, as reuse-tool's ``SourceType``
    says whether a licence came from a file header, a ``.license`` file or REUSE.toml.

    The evaluation weighs facts by it (a sidecar beats a folder annotation in the config,
    which beats anything embedded; XMP beats IPTC-IIM unless the IPTC digest says IPTC is
    newer), so it compares these members, never prefixes of a text.  The value is the
    prefix the manifest shows in front of the tag (``xmp`` in ``xmp:cc:license``)."""

    XMP = "xmp"  # an XMP packet in the file (JPEG APP1, PNG iTXt, TIFF 700, MP4 uuid...)
    XMP_EXTENDED = "xmp-extended"  # JPEG extended XMP, its APP1 pieces joined
    SVG = "svg"  # the RDF in an SVG's <metadata>, read as XMP
    IPTC = "iptc"  # IPTC-IIM datasets by record:dataset (``2:116``); ``digest``
    EXIF = "exif"  # EXIF tags by name (``Copyright``, ``GPS``, ``BodySerialNumber``)
    MAKERNOTE = "makernote"  # a camera maker's note: ``vendor:tag``
    FLIR = "flir"  # a FLIR camera's own GPS record
    PNG = "png"  # PNG text chunks by keyword (ImageMagick's ``exif:Artist`` too)
    VIDEO_TAG = "video-tag"  # container tags as MediaInfo names them (MP4, MOV, Matroska)
    C2PA = "c2pa"  # what the c2pa reader read from the manifest store
    C2PA_STORE = "c2pa-store"  # where the store sits (``jpeg:APP11``, ``remote:URL``)
    SIDECAR = "sidecar"  # a file beside the media file: licence, XMP, captions, alt text
    CONFIG = "config"  # a folder annotation in the policy file

    @property
    def prefix(self) -> str:
        """What the manifest writes before the tag: a store's place is shown as it is
        (``jpeg:APP11``), every other origin by its value."""
        return "" if self is FactOrigin.C2PA_STORE else self.value


@dataclass(frozen=True)
class FactSource:
    """Where one fact came from, with its provenance typed: the origin, the tag inside it
    (``cc:license``, ``2:116``, ``SPDX-License-Identifier``), the language of an XMP
    language alternative, and for a sidecar the file as the manifest names it.

    ``str()`` is the text the manifest shows: ``xmp:cc:license``,
    ``xmp:Iptc4xmpCore:AltTextAccessibility@nl``,
    ``sidecar:foto.jpg.license:SPDX-License-Identifier``.  That text is for people; it is
    not read back (a sidecar's name may itself hold ``:`` or ``@``), so the fact cache
    stores these fields, not the text."""

    origin: FactOrigin
    tag: str = ""
    lang: str | None = None
    file: str | None = None

    def __str__(self) -> str:
        text = ":".join(p for p in (self.origin.prefix, self.file, self.tag) if p)
        return text if self.lang is None else f"{text}@{self.lang}"


SPDX_LICENCE = "SPDX-License-Identifier"
"""The tag of a REUSE licence sidecar's SPDX expression: the rights gate reads its value
as an SPDX expression, not as free text."""
SPDX_COPYRIGHT = "SPDX-FileCopyrightText"


@dataclass(frozen=True)
class MetaFact:
    """One metadata value with where it came from (``source``, shown as e.g.
    ``xmp:cc:license``).

    ``field`` is a normalised role (``licence``, ``copyright``, ``creator``...), so that
    the rights evaluation does not have to know every container's tag names.
    """

    field: str
    value: str
    source: FactSource


@dataclass(frozen=True)
class Facts:
    """Everything the probes learned about one file.  No verdicts in here."""

    ref: FileRef
    sha256: str | None = None
    ident: Identification = field(default_factory=Identification)
    media: MediaProps = field(default_factory=MediaProps)
    meta: tuple[MetaFact, ...] = ()
    notes: tuple[ProbeNote, ...] = ()
    sidecars: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A rendered-later finding: code + params; the text comes from the code table."""

    code: str
    severity: Severity
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None


@dataclass(frozen=True)
class CodecVerdict:
    """Status of one track's codec under the profile."""

    track: str
    codec: str
    status: NvfStatus
    row: str | None


@dataclass(frozen=True)
class FormatVerdict:
    """The NVF gate: preferred / acceptable / not_listed / unknown, and why."""

    status: NvfStatus
    row: str | None = None
    row_id: str | None = None
    via: Via | None = None
    container_status: NvfStatus | None = None
    codecs: tuple[CodecVerdict, ...] = ()


@dataclass(frozen=True)
class RightsVerdict:
    """The rights gate: open / owned / licensed / restricted / unknown / conflict."""

    status: RightsStatus
    licence: str | None = None
    licence_url: str | None = None
    holder: str | None = None
    creator: str | None = None
    attribution: str | None = None
    evidence: tuple[MetaFact, ...] = ()


@dataclass(frozen=True)
class Action:
    """Something the poster must do when posting a passing file: an action code (see
    ``evaluate.actions``), its params, and the finding that asked for it (if any)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    finding: str | None = None


@dataclass(frozen=True)
class FileResult:
    """Facts plus the verdicts and findings evaluated from them."""

    facts: Facts
    outcome: Outcome
    format: FormatVerdict
    rights: RightsVerdict | None
    findings: tuple[Finding, ...]
    accessibility: Mapping[str, Any] | None = None
    provenance: Mapping[str, Any] | None = None
    actions: tuple[Action, ...] = ()
