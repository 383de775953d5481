"""Turn the paths a user gave into the files to audit, in a stable order.

Never follows a symlinked directory (no loops); records what it leaves out
(sidecars, the config file, temp and system files) so every entry in the folder is
accounted for in the manifest, either as an audited file or as a skipped one.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from mediaaudit.model import FileRef, ProbeNote

SIDECAR_SUFFIXES = (".license", ".xmp", ".srt", ".vtt", ".alt.txt")  # evidence, not media
TEMP_SUFFIXES = (".part", ".crdownload", ".tmp", ".partial", ".download", ".swp")
SYSTEM_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
CONFIG_NAME = "mediaaudit.toml"


@dataclass(frozen=True)
class Skipped:
    """An entry the walker deliberately did not audit, with the reason."""

    display: str
    reason: str


def skip_reason(name: str) -> str | None:
    """Why a directory entry is not audited as media, or None if it is."""
    low = name.lower()
    if low == CONFIG_NAME:
        return "config"
    if low.endswith(SIDECAR_SUFFIXES):
        return "sidecar"
    if low in SYSTEM_NAMES:
        return "system"
    if low.endswith(TEMP_SUFFIXES) or name.startswith("~$"):
        return "temporary"
    if name.startswith("."):
        return "hidden"
    return None


def printable(name: str) -> str:
    """A file name that is not valid UTF-8 (undecodable bytes arrive from the OS as lone
    surrogates) shown with ``\\xNN`` escapes, so every manifest writer can encode it.  The
    real path is kept separately for opening the file."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _join(root: str, rel: str) -> str:
    return printable(rel if root in ("", ".") else os.path.join(root, rel))


def walk_tree(
    root: str, display_root: str = ".", exclude: frozenset[str] = frozenset()
) -> Iterator[FileRef | Skipped]:
    """Every entry under ``root`` (unsorted); folders whose absolute path is in
    ``exclude`` are not entered.  Shared by ``scan`` and the watcher, so both see the same
    files and both get printable names for bytes that are not UTF-8."""
    stack = [("", root)]
    while stack:
        rel_dir, abs_dir = stack.pop()
        try:
            entries = list(os.scandir(abs_dir))
        except OSError as exc:
            disp = _join(display_root, rel_dir) or abs_dir
            note = ProbeNote("MA-IO-002", {"reason": f"cannot list folder: {exc.strerror}"})
            yield FileRef(abs_dir, disp, 0, 0, problem=note)
            continue
        for e in entries:
            rel = os.path.join(rel_dir, e.name) if rel_dir else e.name
            disp = _join(display_root, rel)
            try:
                is_dir = e.is_dir(follow_symlinks=False)
                is_link = e.is_symlink()
            except OSError:
                is_dir, is_link = False, False
            if is_dir:
                if os.path.abspath(e.path) in exclude:
                    continue
                if e.name.startswith("."):
                    yield Skipped(disp + "/", "hidden")
                else:
                    stack.append((rel, e.path))
                continue
            if is_link and os.path.isdir(e.path):
                yield Skipped(disp + "/", "symlinked folder (not followed)")
                continue
            reason = skip_reason(e.name)
            if reason:
                yield Skipped(disp, reason)
                continue
            try:
                st = e.stat(follow_symlinks=False)
                size, mtime = st.st_size, st.st_mtime_ns
            except OSError:
                size, mtime = 0, 0
            yield FileRef(e.path, disp, size, mtime)


def walk(paths: list[str]) -> tuple[list[FileRef], list[Skipped]]:
    """All files under ``paths`` sorted by display path; duplicates given twice appear once."""
    files: dict[str, FileRef] = {}
    skipped: list[Skipped] = []
    for p in paths:
        display_root = os.path.normpath(p) if p not in ("", ".") else "."
        try:
            st = os.stat(p)
        except OSError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            items: Iterator[FileRef | Skipped] = walk_tree(p, display_root)
        else:
            items = iter([FileRef(p, printable(os.path.normpath(p)), st.st_size if st else 0,
                                  st.st_mtime_ns if st else 0)])
        for item in items:
            if isinstance(item, Skipped):
                skipped.append(item)
            else:
                files.setdefault(item.display, item)
    return sorted(files.values(), key=lambda r: r.display), sorted(skipped, key=lambda s: s.display)
