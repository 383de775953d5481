"""A typed, read-only view of a JSON manifest, for the renderings.

The JSON manifest is the canonical record, and the JSON writer writes it as it is.  Every
other rendering (HTML, PDF, Markdown, CSV) and ``report`` reads it through the frozen
dataclasses here, built once per rendering by ``ManifestView.of`` (the streamed CSV
makes each entry's view as its row is written, ``entries``; entries that ``archive``
reads from the file on demand stay on demand, ``OnDemand``).  The manifest's key names
are spelt here and in no rendering, so a key renamed or added is one change, and mypy
checks every value a writer reads instead of trusting ``Any``.

A manifest of an older version, or one made or edited by hand, is rendered too, so every
key may be missing (``cli.load`` has checked the JSON type of each value that is there).
A missing value is None, or an empty tuple for a list: the view never guesses, and each
rendering shows a missing value as it always has (``?``, ``—``, an empty cell).  A word
of the manifest (an outcome, a status, a severity) is its enum member when this version
knows it, else the text as stored, which the renderings show as it is.

Read-only throughout: tuples rather than lists, and the few free-form parts (an action's
or a finding's ``params``) as read-only mappings.  ``relang`` is the one change of a
manifest the renderings ask for (its messages in another language); it returns a new
mapping, which the JSON writer writes.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar, overload

from mediaaudit import codes
from mediaaudit.codes import CodeId
from mediaaudit.evaluate import actions as _actions
from mediaaudit.evaluate.actions import ActionId
from mediaaudit.model import C2paState, MediaKind, NvfStatus, Outcome, RightsStatus, Severity

_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")
_EMPTY: Mapping[str, Any] = MappingProxyType({})


# (``dict`` and ``list`` are asked first: an ABC's isinstance is several times slower, and
# a view is made for every entry of a report.)

def _is_obj(value: Any) -> bool:
    return isinstance(value, (dict, Mapping))


def _obj(value: Any) -> Mapping[str, Any]:
    """A JSON object, or an empty one for a missing (or null) value."""
    return value if _is_obj(value) else _EMPTY


def _items(value: Any) -> Iterable[Any]:
    """A JSON array (or the entries a scan or a manifest read as a stream hands over one
    at a time), or an empty one for a missing value."""
    if isinstance(value, list):
        return value
    return value if isinstance(value, Iterable) and not isinstance(value, (str, Mapping)) \
        else ()


def _objs(value: Any) -> Iterator[Mapping[str, Any]]:
    """The objects of a JSON array (anything else in it is not an entry of that list)."""
    return (x for x in _items(value) if _is_obj(x))


def _text(value: Any) -> str | None:
    """A text value, None when it is missing."""
    return None if value is None else value if isinstance(value, str) else str(value)


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(str(x) for x in _items(value))


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@functools.cache
def _members(kind: type[_E]) -> Mapping[str, _E]:
    """``kind``'s members by value (a lookup; calling an enum class is slow)."""
    return {m.value: m for m in kind}


def _word(kind: type[_E], value: Any) -> _E | str | None:
    """A word of the manifest as ``kind``'s member, the stored text when this version
    does not know it, None when it is missing."""
    text = _text(value)
    return None if text is None else _members(kind).get(text, text)


def _or(value: _T | None, missing: _T) -> _T:
    """``value``, or ``missing`` only when there is none (an empty text stays empty)."""
    return missing if value is None else value


def _frozen(value: Any) -> Mapping[str, Any]:
    """Free-form parameters, read-only (a shallow copy: the manifest stays the caller's)."""
    return MappingProxyType(dict(value)) if isinstance(value, Mapping) else _EMPTY


class State(StrEnum):
    """The four states people see, most urgent first: could not be checked, failed,
    passed with something to do when posting (the entry's ``actions``), passed."""

    ERROR = "error"
    FAIL = "fail"
    PASS_ACTIONS = "pass_actions"
    PASS = "pass"


@dataclass(frozen=True, slots=True)
class FormatView:
    """What the identifiers said the file is."""

    puid: str | None = None
    mime: str | None = None
    name: str | None = None

    @classmethod
    def of(cls, m: Mapping[str, Any]) -> FormatView:
        return cls(puid=_text(m.get("puid")), mime=_text(m.get("mime")),
                   name=_text(m.get("name")))


@dataclass(frozen=True, slots=True)
class NvfView:
    """The format gate's answer: the NVF status and the norm's row that gave it."""

    status: NvfStatus | str | None = None
    row: str | None = None

    @classmethod
    def of(cls, m: Mapping[str, Any]) -> NvfView:
        return cls(status=_word(NvfStatus, m.get("status")), row=_text(m.get("row")))


@dataclass(frozen=True, slots=True)
class RightsView:
    """The rights gate's answer; ``status`` is also ``not_checked`` (a word the manifest
    has beside ``RightsStatus``, for a file whose rights were not asked)."""

    status: RightsStatus | str | None = None
    licence: str | None = None
    holder: str | None = None
    attribution: str | None = None

    @classmethod
    def of(cls, m: Mapping[str, Any]) -> RightsView:
        return cls(status=_word(RightsStatus, m.get("status")), licence=_text(m.get("licence")),
                   holder=_text(m.get("holder")), attribution=_text(m.get("attribution")))


@dataclass(frozen=True, slots=True)
class TrackView:
    """One stream inside a container, as MediaInfo named it."""

    kind: str | None = None
    format: str | None = None


@dataclass(frozen=True, slots=True)
class MediaView:
    """Technical properties: what kind of media, its size in pixels, frames, duration,
    container and tracks."""

    kind: MediaKind | str = MediaKind.OTHER
    width: int | None = None
    height: int | None = None
    frames: int | None = None
    duration_ms: int | None = None
    container: str | None = None
    container_profile: str | None = None
    tracks: tuple[TrackView, ...] = ()

    @classmethod
    def of(cls, m: Mapping[str, Any]) -> MediaView:
        return cls(kind=_or(_word(MediaKind, m.get("kind")), MediaKind.OTHER),
                   width=_int(m.get("width")), height=_int(m.get("height")),
                   frames=_int(m.get("frames")), duration_ms=_int(m.get("duration_ms")),
                   container=_text(m.get("container")),
                   container_profile=_text(m.get("container_profile")),
                   tracks=tuple(TrackView(kind=_text(t.get("kind")), format=_text(t.get("format")))
                                for t in _objs(m.get("tracks"))))


@dataclass(frozen=True, slots=True)
class TextView:
    """An alt text (or another text in a language) as the file's metadata gives it;
    ``lang`` None or ``x-default``: the default language."""

    text: str = ""
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class CaptionView:
    """One caption of a video: a caption file beside it (``source`` ``sidecar``, its name
    in ``file``) or a track inside it (``embedded``, its ``format``)."""

    source: str | None = None
    file: str | None = None
    format: str | None = None
    language: str | None = None

    @property
    def is_file(self) -> bool:
        """A caption file the poster uploads, named by ``file``."""
        return self.source == "sidecar" and bool(self.file)


@dataclass(frozen=True, slots=True)
class FindingView:
    """One finding: its code, how much it weighs, the message in the manifest's language
    and the parameters the message was rendered from."""

    code: CodeId | str | None = None
    severity: Severity | str | None = None
    message: str | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    source: str | None = None

    @classmethod
    def of(cls, m: Mapping[str, Any]) -> FindingView:
        return cls(code=_word(CodeId, m.get("code")), severity=_word(Severity, m.get("severity")),
                   message=_text(m.get("message")), params=_frozen(m.get("params")),
                   source=_text(m.get("source")))


@dataclass(frozen=True, slots=True)
class ActionView:
    """Something the poster does when posting a passing file: the action's code (``""``
    when the entry names none), its sentence as stored (None when missing), the text to
    paste, and the parameters a version that knows the code renders it from again."""

    code: ActionId | str = ""
    text: str | None = None
    paste: str | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    finding: str | None = None

    @property
    def known(self) -> bool:
        """This version knows the action, so it can say it in any language."""
        return isinstance(self.code, ActionId)

    @classmethod
    def of(cls, m: Mapping[str, Any]) -> ActionView:
        return cls(code=_or(_word(ActionId, m.get("code")), ""), text=_text(m.get("text")),
                   paste=_text(m.get("paste")), params=_frozen(m.get("params")),
                   finding=_text(m.get("finding")))


@dataclass(frozen=True, slots=True)
class ArchiveMemberView:
    """Where a file that came out of a delivery archive lives: the archive as the
    manifest names it, and the member's names in it, outermost first."""

    archive: str | None = None
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EntryView:
    """One file entry of the manifest.

    ``source`` is the entry as stored, for the one edge that reads files on disk (the
    HTML report's previews, made from the entry's path and checksum); no rendering reads
    it."""

    path: str = ""
    outcome: Outcome | str | None = None
    size: int | float | None = None
    sha256: str | None = None
    format: FormatView = FormatView()
    nvf: NvfView = NvfView()
    rights: RightsView = RightsView()
    media: MediaView = MediaView()
    findings: tuple[FindingView, ...] = ()
    actions: tuple[ActionView, ...] = ()
    alt_text: tuple[TextView, ...] = ()
    captions: tuple[CaptionView, ...] = ()
    ai_generated: bool | None = None
    c2pa_state: C2paState | str | None = None
    archive_member: ArchiveMemberView | None = None
    sidecars: tuple[str, ...] = ()
    source: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False,
                                      repr=False)

    @property
    def state(self) -> State:
        """Which of the four states the file is in; an outcome this version does not
        know, or none, is "could not be checked"."""
        if self.outcome == Outcome.PASS:
            return State.PASS_ACTIONS if self.actions else State.PASS
        return State.FAIL if self.outcome == Outcome.FAIL else State.ERROR

    @classmethod
    def of(cls, m: Mapping[str, Any]) -> EntryView:
        acc, prov = _obj(m.get("accessibility")), _obj(m.get("provenance"))
        member = _obj(m.get("archive_member"))
        size = m.get("size")
        return cls(
            path=_text(m.get("path")) or "",
            outcome=_word(Outcome, m.get("outcome")),
            size=size if isinstance(size, (int, float)) and not isinstance(size, bool)
            else None,
            sha256=_text(m.get("sha256")),
            format=FormatView.of(_obj(m.get("format"))),
            nvf=NvfView.of(_obj(m.get("nvf"))),
            rights=RightsView.of(_obj(m.get("rights"))),
            media=MediaView.of(_obj(m.get("media"))),
            findings=tuple(FindingView.of(x) for x in _objs(m.get("findings"))),
            actions=tuple(ActionView.of(a) for a in _objs(m.get("actions"))),
            alt_text=tuple(TextView(text=_text(a.get("text")) or "", lang=_text(a.get("lang")))
                           for a in _objs(acc.get("alt_text"))),
            captions=tuple(CaptionView(source=_text(c.get("source")), file=_text(c.get("file")),
                                       format=_text(c.get("format")),
                                       language=_text(c.get("language")))
                           for c in _objs(acc.get("captions"))),
            ai_generated=bool(prov["ai_generated"]) if "ai_generated" in prov else None,
            c2pa_state=_word(C2paState, _obj(prov.get("c2pa")).get("state")),
            archive_member=ArchiveMemberView(archive=_text(member.get("archive")),
                                             names=_texts(member.get("names")))
            if member else None,
            sidecars=_texts(m.get("sidecars")),
            source=m,
        )


@dataclass(frozen=True, slots=True)
class SummaryView:
    """The batch's totals: files, and how many passed, failed or could not be audited
    (``pass_with_actions``: the passing ones with something to do when posting)."""

    files: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    pass_with_actions: int = 0

    @classmethod
    def of(cls, m: Mapping[str, Any]) -> SummaryView:
        def n(key: str) -> int:
            return _int(m.get(key)) or 0
        return cls(files=n("files"), passed=n("pass"), failed=n("fail"), errors=n("error"),
                   pass_with_actions=n("pass_with_actions"))

    @classmethod
    def counted(cls, files: Iterable[EntryView]) -> SummaryView:
        """Totals counted from the entries, for a manifest that has no ``summary``; an
        outcome this version does not know counts as an error."""
        states = [f.state for f in files]
        return cls(files=len(states), passed=sum(s in (State.PASS, State.PASS_ACTIONS)
                                                 for s in states),
                   failed=states.count(State.FAIL), errors=states.count(State.ERROR),
                   pass_with_actions=states.count(State.PASS_ACTIONS))


@dataclass(frozen=True, slots=True)
class ProfileView:
    """The format profile (the norm) the files were judged by."""

    id: str | None = None
    name: str | None = None
    version: str | None = None
    sha256: str | None = None
    source_url: str | None = None
    source_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class PolicyView:
    """The effective policy, for the archivist.  ``annotations`` is how many folder
    annotations applied, as text ("" for none)."""

    source: str | None = None
    organisations: tuple[str, ...] = ()
    severity_overrides: tuple[tuple[str, str], ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    allowed_licences: tuple[str, ...] = ()
    annotations: str = ""


@dataclass(frozen=True, slots=True)
class SkippedView:
    """An entry of the folder that was not audited, and why (``reason``, in English as
    tools read it); ``members``: how many files an opened delivery archive held."""

    path: str = ""
    reason: str | None = None
    members: int | None = None


@dataclass(frozen=True, slots=True)
class ManifestView:
    """A whole manifest: its header, the file entries in the manifest's order, the
    skipped entries and the totals (``summary`` None: the manifest has none, see
    ``totals``)."""

    lang: str = "en"
    created: str | None = None
    tool_version: str | None = None
    roots: tuple[str, ...] = ()
    profile: ProfileView = ProfileView()
    policy: PolicyView = PolicyView()
    engines: tuple[tuple[str, str | None], ...] = ()
    files: Sequence[EntryView] = ()
    skipped: tuple[SkippedView, ...] = ()
    summary: SummaryView | None = None

    @property
    def totals(self) -> SummaryView:
        """The manifest's summary, or the totals counted from its entries."""
        return self.summary if self.summary is not None else SummaryView.counted(self.files)

    @classmethod
    def of(cls, m: Mapping[str, Any]) -> ManifestView:
        """The view of a whole manifest mapping (a loaded JSON manifest or a scan's).

        Entries already in memory (a list) get their views here, once; entries read
        from the file when they are used (a sequence of another kind: ``archive``
        streams a manifest of any size that way) keep being read so, each view made
        when it is read (``OnDemand``)."""
        files = m.get("files")
        return replace(cls.header(m), summary=_summary(m.get("summary")),
                       files=OnDemand(files) if isinstance(files, Sequence)
                       and not isinstance(files, (list, tuple, str)) else tuple(entries(m)))

    @classmethod
    def header(cls, m: Mapping[str, Any]) -> ManifestView:
        """The view of a manifest's header alone, without files or summary: for a
        writer that streams the files (``entries``) while a scan still audits them and
        fills the summary in."""
        p, pol = _obj(m.get("profile")), _obj(m.get("policy"))
        return cls(
            lang=_or(_text(m.get("lang")), "en"),
            created=_text(m.get("created")),
            tool_version=_text(_obj(m.get("tool")).get("version")),
            roots=_texts(m.get("roots")),
            profile=ProfileView(id=_text(p.get("id")), name=_text(p.get("name")),
                                version=_text(p.get("version")), sha256=_text(p.get("sha256")),
                                source_url=_text(p.get("source_url")),
                                source_sha256=_text(p.get("source_sha256"))),
            policy=PolicyView(
                source=_text(pol.get("source")), organisations=_texts(pol.get("organisations")),
                severity_overrides=tuple((str(k), str(v)) for k, v in
                                         _obj(pol.get("severity_overrides")).items()),
                select=_texts(pol.get("select")), ignore=_texts(pol.get("ignore")),
                allowed_licences=_texts(pol.get("allowed_licences")),
                annotations=str(pol.get("annotations") or "")),
            engines=tuple((str(k), _text(v)) for k, v in _obj(m.get("engines")).items()),
            skipped=tuple(SkippedView(path=_text(x.get("path")) or "",
                                      reason=_text(x.get("reason")),
                                      members=_int(x.get("members")))
                          for x in _objs(m.get("skipped"))),
        )


class OnDemand(Sequence[EntryView]):
    """The views of entries that are read when they are used (a manifest read as a
    stream): each view is made when it is read, and none is kept, so memory does not
    grow with the number of entries.  ``ordered`` puts them in order the same way."""

    def __init__(self, entries: Sequence[Any], order: Sequence[int] | None = None) -> None:
        self._entries = entries
        self._order = order

    def __len__(self) -> int:
        return len(self._entries) if self._order is None else len(self._order)

    @overload
    def __getitem__(self, i: int) -> EntryView: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[EntryView]: ...

    def __getitem__(self, i: int | slice) -> EntryView | Sequence[EntryView]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return EntryView.of(_obj(self._entries[self._position(i)]))

    def _position(self, i: int) -> int:
        return i if self._order is None else self._order[i]

    def in_order(self, key: Callable[[EntryView], Any]) -> OnDemand:
        """The same views sorted by ``key`` (stable): only their positions are kept."""
        order = sorted(range(len(self)), key=lambda i: key(self[i]))
        return OnDemand(self._entries, [self._position(i) for i in order])


def ordered(files: Sequence[EntryView], key: Callable[[EntryView], Any]) -> Sequence[EntryView]:
    """``files`` sorted by ``key`` (stable); views made on demand stay so."""
    return files.in_order(key) if isinstance(files, OnDemand) else sorted(files, key=key)


def entries(m: Mapping[str, Any]) -> Iterator[EntryView]:
    """The views of a manifest's file entries, each made as it is taken: ``files`` may
    be a scan's live iterator."""
    return (EntryView.of(f) for f in _objs(m.get("files")))


def paths(m: Mapping[str, Any]) -> list[str]:
    """The paths of a manifest's file entries as their views give them, without making
    the views (``report`` looks for them on disk before any writer runs)."""
    return [_text(f.get("path")) or "" for f in _objs(m.get("files"))]


def _summary(value: Any) -> SummaryView | None:
    """A manifest's totals, None when it has none (or an empty one)."""
    return SummaryView.of(value) if isinstance(value, Mapping) and value else None


def relang(manifest: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The same manifest (a new mapping, for the JSON writer too) with every message and
    action rendered in ``lang`` from its code and params; a code this version does not
    know keeps its stored text."""
    m = copy.deepcopy(dict(manifest))
    m["lang"] = lang
    for f in m.get("files", []):
        for x in f.get("findings", []):
            if x.get("code") in codes.CODES:
                x["message"] = codes.render(x["code"], x.get("params") or {}, lang)
        for a in f.get("actions", []):
            if a.get("code") in set(ActionId):
                params = a.get("params") or {}
                a["text"] = _actions.render(a["code"], params, lang)
                value = _actions.paste(a["code"], params, lang)
                if value:
                    a["paste"] = value
    return m


def in_language(manifest: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    """The manifest as ``report`` renders and writes it: in ``lang`` (``relang``) when one
    is asked, else as it is, in English when it names no language."""
    if lang:
        return relang(manifest, lang)
    m = dict(manifest)
    m.setdefault("lang", "en")
    return m
