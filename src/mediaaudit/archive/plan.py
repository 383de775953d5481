"""What goes into the package, and what is refused.

A manifest is data, not a command.  Its paths are opened and copied into a bag that is
handed to an archive, so a crafted or stale manifest must never make ``archive`` pack a
file from outside the folder that was audited: an entry that is absolute, contains
``..``, lies outside every scanned root, or resolves (through symlinks) outside its root
is refused, and the whole package with it (``PlanError``: exit 2, nothing written).

The trust anchor is the folder ``archive`` runs in (``base``): the manifest stores paths
as given to ``scan``, relative to the folder it ran in, so the roots must be relative
and ``..``-free too and must exist under ``base``.  Roots are resolved before use: a
root that is a symlink, or lies under one, is refused (a root ``etc -> /etc`` made every
file of /etc "inside its scanned folder"), and every entry must resolve inside the
resolved root.

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
from dataclasses import dataclass, field
from typing import Any

from mediaaudit.archive.mdto import BESTAND_SUFFIX, SUFFIX
from mediaaudit.archive.safe import safe_component
from mediaaudit.fsnames import NAME_MAX, from_name_bytes, printable, within

MEDIA_DIR = "media"
"""Media files go to ``data/media/<path as in the manifest>``."""

_SHA256 = re.compile(r"[0-9a-f]{64}")


class PlanError(Exception):
    """The manifest cannot be packaged as it is; the message is one line for the user."""


@dataclass(frozen=True)
class Item:
    """A passed file that goes into the bag."""

    path: str  # as in the manifest
    disk: str  # where to read it (relative to base, or absolute when base is)
    payload: str  # relative to data/, POSIX separators; a safe name (``safe``)
    entry: Mapping[str, Any]

    @property
    def rel(self) -> str:
        """The path as in the manifest, normalised: what identifiers are made of (a
        backslash stays a character of the name: ``caf\\xe9.png`` is one name)."""
        n = posixpath.normpath(self.path)
        return "" if n == "." else n

    @property
    def renamed(self) -> bool:
        """The payload has a safe name instead of the file's own (``safe``)."""
        return self.payload != f"{MEDIA_DIR}/{self.rel}"

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
    why: str


@dataclass(frozen=True)
class Counts:
    """What a streamed manifest holds (``survey``)."""

    items: int
    left_out: int


@dataclass(frozen=True)
class Scope:
    """The checked roots of a manifest: where entries may lie and where they may lead."""

    base: str
    roots: tuple[str, ...]
    real: Mapping[str, str] = field(default_factory=dict)  # root -> its resolved path
    resolve: Callable[[str], str] = os.path.realpath
    name_max: int = NAME_MAX


def _lexical_problem(path: str) -> str | None:
    """Why a manifest path can never be opened safely, judged on the text alone."""
    if not path or "\x00" in path:
        return "empty or contains NUL"
    if (path.startswith(("/", "\\")) or os.path.isabs(path)
            or re.match(r"[A-Za-z]:", path)):
        return "absolute path"
    if ".." in re.split(r"[/\\]", path):
        return "contains '..'"
    return None


def _norm(path: str) -> str:
    n = posixpath.normpath(path.replace("\\", "/"))
    return "" if n == "." else n


def _root_of(path: str, roots: Sequence[str]) -> str | None:
    """The longest scanned root that ``path`` lies under, lexically."""
    n = _norm(path)
    best: str | None = None
    for r in roots:
        rn = _norm(r)
        if (rn == "" or n == rn or n.startswith(rn + "/")) and (
                best is None or len(rn) > len(_norm(best))):
            best = r
    return best


def _reasons(entry: Mapping[str, Any]) -> tuple[str, ...]:
    out = []
    for f in entry.get("findings") or []:
        if isinstance(f, Mapping) and f.get("severity") == "error":
            out.append(f"{f.get('code', '')} {f.get('message', '')}".strip())
    return tuple(out)


def payload_name(path: str, name_max: int = NAME_MAX) -> str:
    """Where a manifest path goes in the bag (relative to data/): ``media/`` and the path,
    each part kept or made safe (``safe.safe_component``), the last with room for the
    longest record suffix, so ``<name>.bestand.mdto.xml`` fits the file system too."""
    # "/" only: on POSIX a backslash is a character of the name (and the \xNN of a name
    # that is not UTF-8), which safe_component makes safe, not a folder separator
    parts = [p for p in posixpath.normpath(path).split("/") if p not in ("", ".")]
    safe = [safe_component(p, name_max=name_max) for p in parts[:-1]]
    safe.append(safe_component(parts[-1], len(BESTAND_SUFFIX), name_max))
    return "/".join([MEDIA_DIR, *safe])


def scope(
    manifest: Mapping[str, Any],
    base: str = ".",
    resolve: Callable[[str], str] = os.path.realpath,
    name_max: int = NAME_MAX,
) -> Scope:
    """The manifest's roots, checked and resolved; ``PlanError`` for a manifest from
    another folder (a root that is absolute, climbs out with ``..`` or does not exist
    under ``base``) and for a root that is, or lies under, a symlink."""
    roots = [r for r in manifest.get("roots") or [] if isinstance(r, str)]
    if not roots:
        raise PlanError("the manifest names no scanned folder (roots)")
    real_base = resolve(base)
    real: dict[str, str] = {}
    for r in roots:
        problem = _lexical_problem(r) if r not in ("", ".") else None
        if problem:
            raise PlanError(f"the manifest's scanned folder {r!r} is refused ({problem}): "
                            "archive reads only manifests of a folder scanned by a relative "
                            "path, run in the folder the scan ran in")
        if not os.path.lexists(os.path.join(base, r)):
            raise PlanError(f"the manifest comes from another folder: its scanned folder "
                            f"{r!r} is not in {os.path.abspath(base)} (run archive where "
                            "the scan ran)")
        resolved = resolve(os.path.join(base, r))
        if resolved != os.path.join(real_base, *filter(None, _norm(r).split("/"))):
            raise PlanError(f"the manifest's scanned folder {r!r} is refused (it is, or lies "
                            f"under, a symlink to {resolved}): archive packs only files of "
                            "the folder itself; scan and archive the real folder")
        real[r] = resolved
    return Scope(base, tuple(roots), real, resolve, name_max)


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


def judge(sc: Scope, entry: object) -> Item | LeftOut | Refusal:
    """One manifest entry: a passed file for the bag, a file left out, or refused."""
    path = entry.get("path") if isinstance(entry, Mapping) else None
    if not isinstance(path, str) or not isinstance(entry, Mapping):
        return Refusal(repr(path), "not a path")
    problem = _lexical_problem(path)
    root = _root_of(path, sc.roots) if problem is None else None
    if problem is None and root is None:
        problem = "outside every scanned folder of the manifest"
    exact = _exact(entry, path)
    if problem is None and root is not None:
        real = sc.resolve(os.path.join(sc.base, exact))
        if not within(real, sc.real[root]):
            problem = "resolves outside its scanned folder (symlink)"
    if problem is not None:
        return Refusal(path, problem)
    outcome = str(entry.get("outcome"))
    if outcome != "pass":
        return LeftOut(path, outcome, _reasons(entry))
    sha = entry.get("sha256")
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        return Refusal(path, "no SHA-256 in the manifest")
    fmt = entry.get("format") or {}
    if not isinstance(fmt, Mapping) or not fmt.get("puid"):
        return Refusal(path, "passed without a PRONOM identification")
    return Item(path=path, disk=os.path.join(sc.base, exact),
                payload=payload_name(exact, sc.name_max), entry=entry)


def _refused(refused: Sequence[Refusal], total: int) -> PlanError:
    first = refused[0]
    more = f" (and {total - 1} more)" if total > 1 else ""
    return PlanError(f"manifest entry refused: {first.path} ({first.why}){more}; a manifest "
                     "may only list files inside the folder it audited")


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
) -> Plan:
    """Check every entry and root of a loaded manifest; the passed files become
    ``Item``s.  Raises ``PlanError`` as ``scope`` and ``survey`` do, and for a name that
    two entries would share in the bag (the bag writer refuses that too, by creating
    every file exclusively)."""
    sc = scope(manifest, base, resolve)
    files = manifest.get("files") or []
    survey(sc, files)
    items: list[Item] = []
    left: list[LeftOut] = []
    for v in walk(sc, files):
        (items if isinstance(v, Item) else left).append(v)  # type: ignore[arg-type]
    names: set[str] = set()
    for i in items:
        for name in (i.payload, i.payload + SUFFIX, i.payload + BESTAND_SUFFIX):
            if name in names:
                raise PlanError(f"{name} is the name of two files in the bag (a file "
                                "listed twice, or a media file with the name of another's "
                                "MDTO record); rename it")
            names.add(name)
    return Plan(tuple(items), tuple(left))
