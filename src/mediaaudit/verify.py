"""Compare a manifest with the files on disk now (pure; hashing happens in the CLI).

The approver's question: are the files being posted exactly the files that were audited?
A listed path that is now a FIFO, device, socket or symlink is *refused*: never read
(``digest.open_regular``), reported on its own line, and verify does not pass.

Given the wrong folder (the one above the scanned folder, or one that holds far more), a
plain comparison lists thousands of "added" files and hides the mistake; ``misplaced``
says which folder to give instead, from names alone.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

# At most this many "added" files are listed unless all are asked for (``--all``); more
# than this many, and more than the manifest lists, means the folder was likely wrong.
SHOWN_ADDED = 20


@dataclass(frozen=True)
class VerifyResult:
    unchanged: tuple[str, ...]
    changed: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    refused: tuple[str, ...] = ()  # "path: why it was not read"

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra or self.refused)


def remap(path: str, roots: list[str], new_root: str | None) -> str:
    """Manifest path → path on disk; with ``new_root`` the scanned root is replaced."""
    if new_root is None:
        return path
    for r in roots:
        prefix = "" if r in ("", ".") else r.rstrip("/") + "/"
        if path == r or path.startswith(prefix):
            return os.path.join(new_root, path[len(prefix):])
    return os.path.join(new_root, path)


def compare(
    expected: Mapping[str, str | None],
    actual: Mapping[str, str | None],
    present: Iterable[str],
    refused: Mapping[str, str] | None = None,
) -> VerifyResult:
    """``expected``: path → audited sha256; ``actual``: path → sha256 now (None = gone);
    ``present``: every auditable file found under the roots now; ``refused``: path → why
    it was not read (not a regular file)."""
    unchanged, changed, missing = [], [], []
    refused = refused or {}
    for path, sha in sorted(expected.items()):
        now = actual.get(path)
        if path in refused:
            continue
        if now is None:
            missing.append(path)
        elif now == sha:
            unchanged.append(path)
        else:
            changed.append(path)
    extra = sorted(set(present) - set(expected))
    return VerifyResult(tuple(unchanged), tuple(changed), tuple(missing), tuple(extra),
                        tuple(f"{p}: {why}" for p, why in sorted(refused.items())))


def under_root(path: str, roots: list[str]) -> str:
    """A manifest path relative to its scanned root (what ``remap`` puts under ROOT)."""
    return os.path.relpath(remap(path, roots, "."), ".")


class Wrong(StrEnum):
    """Why the folder given (or the scanned root, as found from here) is likely not the
    one that was scanned."""

    INSIDE = "inside"  # the listed files are in a folder inside it
    TOO_WIDE = "too_wide"  # it holds far more files than the manifest lists


@dataclass(frozen=True)
class Misplaced:
    why: Wrong
    folder: str | None  # for INSIDE: the folder inside that holds them (relative)
    found: int  # for INSIDE: how many listed files it holds by name


def holding_folder(listed: Collection[str], present: Iterable[str]) -> tuple[str, int]:
    """The folder (relative to the walked one; ``""`` is the walked folder itself) that
    holds the most listed files under their names relative to the scanned root, and how
    many: ``upload/foto.jpg`` found while ``foto.jpg`` is listed votes for ``upload``."""
    wanted = set(listed)
    votes: Counter[str] = Counter()
    for p in present:
        parts = p.split(os.sep)
        for i in range(len(parts)):
            if os.sep.join(parts[i:]) in wanted:
                votes[os.sep.join(parts[:i])] += 1
    if not votes:
        return "", 0
    return max(votes.items(), key=lambda kv: (kv[1], -len(kv[0])))


def misplaced(listed: Collection[str], present: Collection[str], found_here: int,
              added: int) -> Misplaced | None:
    """Is the folder walked (its files ``present``, relative to it) likely not the one
    that was scanned?  INSIDE when a folder inside it holds more of the ``listed`` files
    (relative to the scanned root) than it does itself, and at least half; else TOO_WIDE
    when it holds more than ``SHOWN_ADDED`` files the manifest does not list, and more
    than it lists.  None when neither: a few added files are just added files."""
    folder, found = holding_folder(listed, present)
    if folder and found > found_here and found * 2 >= len(listed):
        return Misplaced(Wrong.INSIDE, folder, found)
    if added > max(SHOWN_ADDED, len(listed)):
        return Misplaced(Wrong.TOO_WIDE, None, 0)
    return None
