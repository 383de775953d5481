"""What goes into the package, and what is refused.

A manifest is data, not a command.  Its paths are opened and copied into a bag that is
handed to an archive, so a crafted or stale manifest must never make ``archive`` pack a
file from outside the folders the operator trusts: an entry that lies outside every
scanned root, climbs out of its root with ``..``, or resolves (through symlinks) outside
its root is refused, and the whole package with it (``PlanError``: exit 2, nothing
written).

The trust anchor is the **base folder** (``--base``, by default the folder ``archive``
runs in).  The manifest stores its roots and paths as given to ``scan``: relative to the
folder the scan ran in (``here``: ``archive`` runs there too), ``../upload``, or absolute
(``/srv/share/uploads/PV-42``, as ``watch`` and scripts write them).  Every root is
resolved (symlinks followed) and must lie inside the resolved base; a root that is, or
lies under, a symlink *inside* the base is refused as before (a root ``etc -> /etc`` made
every file of /etc "inside its scanned folder"); every entry must lie, as text, under one
of the roots, with no ``..`` of its own, and resolve inside that root.

Where an entry's file is on disk is decided in one place (``source``): the entry's exact
name joined to ``here``, resolved and checked against its root.  Its place in the bag is
``media/`` and the root's folder relative to the base, then the entry's path below its
root (``payload_name``), so ``../upload/a.jpg`` and ``/srv/share/uploads/PV-42/a.jpg``
never put ``..`` or ``/srv`` into a bag.

A passed media file takes its caption (``clip.vtt``, ``clip.nl.srt``) and licence
(``photo.jpg.license``) sidecars into the bag beside it (``Item.sidecars``): those that
``mediaaudit.sidecars`` finds beside the file now and that the audit read (the entry's
``sidecars``).  One the audit read that is gone is named (``Item.sidecars_missing``):
the bag would lack evidence its verdict rested on.

Entries are judged one at a time (``judge``), so ``archive`` can read a manifest of any
size as a stream (``survey`` counts them and refuses the whole package at the end);
``make_plan`` is the same in memory, for a manifest already loaded.

Only files whose outcome is ``pass`` go in; every other entry is listed as left out.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mediaaudit.archive.mdto import BESTAND_SUFFIX, SUFFIX
from mediaaudit.archive.safe import safe_component
from mediaaudit.archive.texts import Words, words
from mediaaudit.fsnames import NAME_MAX, from_name_bytes, printable, within
from mediaaudit.sidecars import SidecarKind, sidecars_of

MEDIA_DIR = "media"
"""Media files go to ``data/media/<root's folder in the base>/<path below the root>``."""

BAG_SIDECARS = (SidecarKind.CAPTION, SidecarKind.LICENSE)
"""The sidecars that go into the bag beside their media file: what the poster uploads
with it (captions) and the evidence of its rights (REUSE licence)."""

_SHA256 = re.compile(r"[0-9a-f]{64}")
_SEP = re.compile(r"[/\\]")


class PlanError(Exception):
    """The manifest cannot be packaged as it is: ``words`` is one line for the user, in
    either language; ``str()`` is the English line."""

    def __init__(self, what: Words) -> None:
        super().__init__(what.render("en"))
        self.words = what

    def render(self, lang: str) -> str:
        return self.words.render(lang)


@dataclass(frozen=True)
class SidecarFile:
    """A caption or licence file of a passed media file, for the bag beside it."""

    path: str  # as the manifest would name it: the media file's folder and its own name
    rel: str  # its path in the base folder (``Item.rel``): what its identifier is made of
    disk: str  # where to read it
    payload: str  # relative to data/, beside the media file's payload
    kind: SidecarKind
    fmt: str | None  # 'vtt' or 'srt' for a caption
    shared: bool  # named after the stem (clip.vtt): clip.mp4 and clip.mov may share it


@dataclass(frozen=True)
class Item:
    """A passed file that goes into the bag."""

    path: str  # as in the manifest
    disk: str  # where to read it (``source``)
    payload: str  # relative to data/, POSIX separators; a safe name (``safe``)
    entry: Mapping[str, Any]
    sidecars: tuple[SidecarFile, ...] = ()
    sidecars_missing: tuple[str, ...] = ()  # read by the audit, gone now
    in_base: str = ""  # the path in the base folder (``rel``)
    member: tuple[str, ...] = ()  # a delivery archive's member: ``disk`` is the archive

    @property
    def rel(self) -> str:
        """What identifiers are made of: the file's path in the base folder, its root's
        folder there and the path below the root, names as the manifest shows them (for a
        root given relative to the base, the manifest's path, normalised; never ``..``
        or a server's absolute path).  A backslash stays a character of the name:
        ``caf\\xe9.png`` is one name."""
        if self.in_base:
            return self.in_base
        n = posixpath.normpath(self.path)
        return "" if n == "." else n

    @property
    def renamed(self) -> bool:
        """The payload has another name than the path in the manifest (a safe name,
        ``safe``, or a root that is absolute or starts with ``..``)."""
        n = posixpath.normpath(self.path)
        return self.payload != f"{MEDIA_DIR}/{n}"

    @property
    def sha256(self) -> str:
        return str(self.entry["sha256"])


@dataclass(frozen=True)
class LeftOut:
    """A manifest entry that is not archived: it did not pass."""

    path: str
    outcome: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    items: tuple[Item, ...]
    left_out: tuple[LeftOut, ...]


@dataclass(frozen=True)
class Refusal:
    """A manifest entry that may not be packaged: the whole package is refused."""

    path: str
    why: Words


@dataclass(frozen=True)
class Counts:
    """What a streamed manifest holds (``survey``)."""

    items: int
    left_out: int


@dataclass(frozen=True)
class Scope:
    """The checked roots of a manifest: where entries may lie and where they may lead."""

    base: str  # the base folder as the operator named it
    roots: tuple[str, ...]
    real: Mapping[str, str] = field(default_factory=dict)  # root -> its resolved path
    resolve: Callable[[str], str] = os.path.realpath
    name_max: int = NAME_MAX
    here: str = "."  # where the manifest's relative paths start (the scan's folder)
    folders: Mapping[str, str] = field(default_factory=dict)  # root -> its folder in media/


def _parts(path: str) -> list[str]:
    """The components of a manifest path, "/" and "\\" both splitting (for the ``..``
    check only: a backslash is a character of a POSIX name, but never a way out)."""
    return _SEP.split(path)


def _looks_absolute(path: str) -> bool:
    return (path.startswith(("/", "\\")) or os.path.isabs(path)
            or re.match(r"[A-Za-z]:", path) is not None)


def _components(path: str) -> list[str]:
    """The components of a normalised POSIX path, without the leading "" of an absolute
    path and without "."."""
    return [p for p in posixpath.normpath(path).split("/") if p not in ("", ".")]


def _under(path: str, root: str) -> bool:
    """Does ``path`` lie, as text, at or under ``root`` (both normalised, whole
    components; a root ``.`` holds every relative path that does not climb out)?"""
    n, rn = posixpath.normpath(path), posixpath.normpath(root)
    if rn == ".":
        return not n.startswith("/") and n != ".." and not n.startswith("../")
    return n == rn or n.startswith(rn if rn.endswith("/") else rn + "/")


def _root_of(path: str, roots: Sequence[str]) -> str | None:
    """The longest scanned root that ``path`` lies under, as text."""
    best: str | None = None
    for r in roots:
        if _under(path, r) and (best is None
                                or len(posixpath.normpath(r)) > len(posixpath.normpath(best))):
            best = r
    return best


def _reasons(entry: Mapping[str, Any]) -> tuple[str, ...]:
    out = []
    for f in entry.get("findings") or []:
        if isinstance(f, Mapping) and f.get("severity") == "error":
            out.append(f"{f.get('code', '')} {f.get('message', '')}".strip())
    return tuple(out)


def payload_name(path: str, name_max: int = NAME_MAX, folder: str = "") -> str:
    """Where a path goes in the bag (relative to data/): ``media/``, ``folder`` (the
    root's folder relative to the base) and ``path`` (below the root), each part kept or
    made safe (``safe.safe_component``), the last with room for the longest record
    suffix, so ``<name>.bestand.mdto.xml`` fits the file system too."""
    # "/" only: on POSIX a backslash is a character of the name (and the \xNN of a name
    # that is not UTF-8), which safe_component makes safe, not a folder separator
    parts = _components(folder) + _components(path)
    safe = [safe_component(p, name_max=name_max) for p in parts[:-1]]
    safe.append(safe_component(parts[-1], len(BESTAND_SUFFIX), name_max))
    return "/".join([MEDIA_DIR, *safe])


def _root_problem(r: str, here: str, real_base: str, base: str,
                  resolve: Callable[[str], str]) -> tuple[Words | None, str]:
    """Why the scanned folder ``r`` may not be archived (None when it may), and its
    resolved path."""
    if not r or "\x00" in r:
        return words("root_nul", root=r), ""
    lexical = os.path.normpath(os.path.join(os.path.abspath(here), r))
    if not os.path.lexists(lexical):
        if os.path.isabs(r):
            return words("root_missing", root=r), ""
        return words("root_elsewhere", root=r, here=os.path.abspath(here)), ""
    resolved = resolve(lexical)
    # a symlink inside the base on the way to the root: refused even when it leads to
    # another folder of the base (the root is judged as the folder it names)
    parts = lexical.split(os.sep)
    for i in range(2, len(parts) + 1):
        step = os.sep.join(parts[:i]) or os.sep
        if os.path.islink(step) and within(resolve(os.path.dirname(step)), real_base):
            return words("root_symlink", root=r, real=resolved), resolved
    if not within(resolved, real_base):
        hint = resolved if os.path.isdir(resolved) else os.path.dirname(resolved)
        return words("root_outside_base", root=r, real=resolved,
                     base=os.path.abspath(base), hint=hint), resolved
    return None, resolved


def scope(
    manifest: Mapping[str, Any],
    base: str = ".",
    resolve: Callable[[str], str] = os.path.realpath,
    name_max: int = NAME_MAX,
    here: str | None = None,
) -> Scope:
    """The manifest's roots, checked and resolved against the base folder ``base``;
    relative roots start at ``here`` (by default ``base``).  ``PlanError`` for a root
    that does not exist, lies outside the base (resolved), or is, or lies under, a
    symlink inside the base."""
    here = base if here is None else here
    roots = [r for r in manifest.get("roots") or [] if isinstance(r, str)]
    if not roots:
        raise PlanError(words("no_roots"))
    if not os.path.isdir(base):
        raise PlanError(words("base_missing", base=base))
    real_base = resolve(base)
    real: dict[str, str] = {}
    folders: dict[str, str] = {}
    for r in roots:
        problem, resolved = _root_problem(r, here, real_base, base, resolve)
        if problem is not None:
            raise PlanError(problem)
        real[r] = resolved
        rel = os.path.relpath(resolved, real_base)
        folders[r] = "" if rel == os.curdir else rel.replace(os.sep, "/")
    return Scope(base, tuple(roots), real, resolve, name_max, here, folders)


def _exact(entry: Mapping[str, Any], path: str) -> str:
    """The file an entry names on disk: its exact bytes (``path_bytes``) for a name that
    is not UTF-8, whose ``path`` shows them as ``\\xNN``; only when they name the same
    place as ``path`` (the same folders, the same number of parts), so a crafted
    ``path_bytes`` cannot point where ``path`` was not checked to lie."""
    raw = entry.get("path_bytes")
    if not isinstance(raw, str):
        return path
    try:
        exact = from_name_bytes(raw)
    except ValueError:
        return path
    return exact if printable(exact) == path else path


def _lexical(sc: Scope, path: str) -> tuple[str | None, Words | None]:
    """The root ``path`` lies under as text, or why it lies under none: no ``..`` below
    the root (more ``..`` than the root has), nothing absolute outside the roots."""
    if not path or "\x00" in path:
        return None, words("nul")
    root = _root_of(path, sc.roots)
    climbs = _parts(path).count("..")
    if root is None:
        if climbs:
            return None, words("dotdot")
        return None, words("absolute_outside" if _looks_absolute(path) else "outside")
    if climbs > _parts(root).count(".."):
        return None, words("dotdot")
    return root, None


def source(sc: Scope, root: str, exact: str) -> tuple[str, Words | None]:
    """Where the file a manifest path names is read from, and why it may not be (None
    when it may): the one place an entry's path becomes a file on disk.

    ``exact`` (the entry's exact name, already known to lie under ``root`` as text) is
    joined to the folder the scan ran in and resolved; it must resolve inside the
    resolved root.  Sidecars of the file are checked here too."""
    disk = os.path.join(sc.here, exact)
    real = sc.resolve(disk)
    if not within(real, sc.real[root]):
        return disk, words("resolves_outside", root=root, real=real)
    return disk, None


def _below(path: str, root: str) -> str:
    """``path`` (under ``root`` as text) relative to ``root``: the same number of parts
    off the front, so a name that is not UTF-8 keeps its exact bytes."""
    return "/".join(_components(path)[len(_components(root)):])


def _sidecars(sc: Scope, root: str, exact: str, item: Item) -> Item | Refusal:
    """``item`` with the caption and licence sidecars the audit read and that are
    beside its file now (``mediaaudit.sidecars`` decides which files those are: regular
    files only, never a symlink), each checked by ``source`` like the file itself."""
    listed = item.entry.get("sidecars")
    names = {n for n in listed if isinstance(n, str)} if isinstance(listed, list) else set()
    if not names:
        return item
    found: list[SidecarFile] = []
    seen: set[str] = set()
    folder = posixpath.dirname(item.path)
    for side in sidecars_of(item.disk):
        if side.kind not in BAG_SIDECARS or side.display not in names:
            continue
        seen.add(side.display)
        path = posixpath.join(folder, side.display)
        rel = posixpath.join(posixpath.dirname(item.rel), side.display)
        disk, problem = source(sc, root, posixpath.join(posixpath.dirname(exact), side.name))
        if problem is not None:
            return Refusal(path, problem)
        payload = posixpath.join(posixpath.dirname(item.payload), safe_component(
            side.name, len(BESTAND_SUFFIX), sc.name_max))
        found.append(SidecarFile(path, rel, disk, payload, side.kind, side.fmt,
                                 not side.full_name))
    gone = tuple(posixpath.join(folder, n) for n in sorted(names - seen)
                 if n.lower().endswith((".license", ".srt", ".vtt")))
    return replace(item, sidecars=tuple(found), sidecars_missing=gone)


def _member(entry: Mapping[str, Any], path: str) -> tuple[str, ...] | None:
    """For a member of a delivery archive: the archive's path, then the member's names;
    ``()`` for an ordinary file; None when ``archive_member`` does not name exactly the
    entry's ``path`` (a crafted manifest must not read one file and call it another)."""
    am = entry.get("archive_member")
    if am is None:
        return ()
    if not isinstance(am, Mapping):
        return None
    archive, names = am.get("archive"), am.get("names")
    if (not isinstance(archive, str) or not isinstance(names, list) or not names
            or not all(isinstance(n, str) and n for n in names)
            or "/".join([archive, *names]) != path):
        return None
    return (archive, *names)


def judge(sc: Scope, entry: object) -> Item | LeftOut | Refusal:
    """One manifest entry: a passed file for the bag, a file left out, or refused."""
    path = entry.get("path") if isinstance(entry, Mapping) else None
    if not isinstance(path, str) or not isinstance(entry, Mapping):
        return Refusal(repr(path), words("not_a_path"))
    member = _member(entry, path)
    if member is None:
        return Refusal(path, words("member_mismatch"))
    # a member's own name is data (a zip-slip name is a finding of the scan, never a
    # path): where it is read from is decided by its archive's path alone
    on_disk = member[0] if member else path
    root, problem = _lexical(sc, on_disk)
    if root is None:
        return Refusal(path, problem or words("outside"))
    exact = _exact(entry, on_disk)
    disk, problem = source(sc, root, exact)
    if problem is not None:
        return Refusal(path, problem)
    outcome = str(entry.get("outcome"))
    if outcome != "pass":
        return LeftOut(path, outcome, _reasons(entry))
    sha = entry.get("sha256")
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        return Refusal(path, words("no_sha"))
    fmt = entry.get("format") or {}
    if not isinstance(fmt, Mapping) or not fmt.get("puid"):
        return Refusal(path, words("no_puid"))
    below, folder = _below(path if member else exact, root), sc.folders.get(root, "")
    if not below and not folder:
        return Refusal(path, words("not_a_path"))
    item = Item(path=path, disk=disk, entry=entry,
                payload=payload_name(below, sc.name_max, folder),
                in_base="/".join(_components(printable(folder))
                                 + _components(_below(path, root))),
                member=member[1:])
    return item if member else _sidecars(sc, root, exact, item)


def _refused(refused: Sequence[Refusal], total: int) -> PlanError:
    first = refused[0]
    more = words("more", n=total - 1) if total > 1 else ""
    return PlanError(words("entry_refused", path=first.path, why=first.why, more=more))


def walk(sc: Scope, entries: Iterable[object]) -> Iterator[Item | LeftOut]:
    """The judged entries in manifest order; ``PlanError`` at the first refusal (after
    ``survey`` found none, only a manifest changed in between can still have one)."""
    for entry in entries:
        v = judge(sc, entry)
        if isinstance(v, Refusal):
            raise _refused([v], 1)
        yield v


def survey(sc: Scope, entries: Iterable[object]) -> Counts:
    """Judge every entry without keeping any; ``PlanError`` naming the first refused
    entry (and how many more) when any is refused."""
    items = left = refused = 0
    first: list[Refusal] = []
    for entry in entries:
        v = judge(sc, entry)
        if isinstance(v, Refusal):
            refused += 1
            first = first or [v]
        elif isinstance(v, Item):
            items += 1
        else:
            left += 1
    if refused:
        raise _refused(first, refused)
    return Counts(items, left)


def make_plan(
    manifest: Mapping[str, Any],
    base: str = ".",
    resolve: Callable[[str], str] = os.path.realpath,
    here: str | None = None,
) -> Plan:
    """Check every entry and root of a loaded manifest; the passed files become
    ``Item``s.  Raises ``PlanError`` as ``scope`` and ``survey`` do, and for a name that
    two entries would share in the bag (the bag writer refuses that too, by creating
    every file exclusively)."""
    sc = scope(manifest, base, resolve, here=here)
    files = manifest.get("files") or []
    survey(sc, files)
    items: list[Item] = []
    left: list[LeftOut] = []
    for v in walk(sc, files):
        (items if isinstance(v, Item) else left).append(v)  # type: ignore[arg-type]
    names: set[str] = set()
    shared: set[str] = set()
    for i in items:
        own = [i.payload] + [s.payload for s in i.sidecars if not s.shared]
        own += [s.payload for s in i.sidecars if s.shared and s.payload not in shared]
        shared.update(s.payload for s in i.sidecars if s.shared)
        for payload in own:
            for name in (payload, payload + SUFFIX, payload + BESTAND_SUFFIX):
                if name in names:
                    raise PlanError(words("name_twice", name=name))
                names.add(name)
    return Plan(tuple(items), tuple(left))
