"""What goes into the package, and what is refused.

A manifest is data, not a command.  Its paths are opened and copied into a bag that is
handed to an archive, so a crafted or stale manifest must never make ``archive`` pack a
file from outside the folder that was audited: an entry that is absolute, contains
``..``, lies outside every scanned root, or resolves (through symlinks) outside its root
is refused, and the whole package with it (``PlanError``: exit 2, nothing written).

The trust anchor is the folder ``archive`` runs in (``base``): the manifest stores paths
as given to ``scan``, relative to the folder it ran in, so the roots must be relative
and ``..``-free too and must exist under ``base``.

Only files whose outcome is ``pass`` go in; every other entry is listed as left out.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mediaaudit.archive.mdto import BESTAND_SUFFIX, SUFFIX

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
    payload: str  # relative to data/, POSIX separators
    entry: Mapping[str, Any]

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


def _inside(child: str, parent: str) -> bool:
    return child == parent or child.startswith(parent.rstrip(os.sep) + os.sep)


def _reasons(entry: Mapping[str, Any]) -> tuple[str, ...]:
    out = []
    for f in entry.get("findings") or []:
        if isinstance(f, Mapping) and f.get("severity") == "error":
            out.append(f"{f.get('code', '')} {f.get('message', '')}".strip())
    return tuple(out)


def make_plan(
    manifest: Mapping[str, Any],
    base: str = ".",
    resolve: Callable[[str], str] = os.path.realpath,
) -> Plan:
    """Check every entry and root; the passed files become ``Item``s.

    Raises ``PlanError`` for a manifest from another folder (a root that is absolute,
    climbs out with ``..`` or does not exist under ``base``) and for any unsafe entry."""
    roots = [r for r in manifest.get("roots") or [] if isinstance(r, str)]
    if not roots:
        raise PlanError("the manifest names no scanned folder (roots)")
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
    refused: list[str] = []
    items: list[Item] = []
    left: list[LeftOut] = []
    seen: set[str] = set()
    for entry in manifest.get("files") or []:
        path = entry.get("path") if isinstance(entry, Mapping) else None
        if not isinstance(path, str):
            refused.append(f"{path!r} (not a path)")
            continue
        problem = _lexical_problem(path)
        root = _root_of(path, roots) if problem is None else None
        if problem is None and root is None:
            problem = "outside every scanned folder of the manifest"
        if problem is None and root is not None:
            real_root = resolve(os.path.join(base, root))
            real = resolve(os.path.join(base, path))
            if not _inside(real, real_root):
                problem = "resolves outside its scanned folder (symlink)"
        if problem is None and _norm(path) in seen:
            problem = "listed twice"
        if problem is not None:
            refused.append(f"{path} ({problem})")
            continue
        seen.add(_norm(path))
        outcome = str(entry.get("outcome"))
        if outcome != "pass":
            left.append(LeftOut(path, outcome, _reasons(entry)))
            continue
        sha = entry.get("sha256")
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            refused.append(f"{path} (no SHA-256 in the manifest)")
            continue
        fmt = entry.get("format") or {}
        if not isinstance(fmt, Mapping) or not fmt.get("puid"):
            refused.append(f"{path} (passed without a PRONOM identification)")
            continue
        items.append(Item(path=path, disk=os.path.join(base, path),
                          payload=f"{MEDIA_DIR}/{_norm(path)}", entry=entry))
    if refused:
        more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
        raise PlanError(f"manifest entry refused: {refused[0]}{more}; a manifest may only "
                        "list files inside the folder it audited")
    names = {i.payload for i in items}
    for i in items:
        for extra in (i.payload + SUFFIX, i.payload + BESTAND_SUFFIX):
            if extra in names:
                raise PlanError(f"{extra} is both a media file and the name of an MDTO "
                                "record for another; rename it")
    return Plan(tuple(items), tuple(left))

