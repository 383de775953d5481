"""Turn the paths a user gave into the files to audit, in a stable order.

Never follows a symlinked directory (no loops); records what it leaves out
(sidecars, the config file, temp and system files, mediaaudit's own earlier manifests and
reports) so every entry in the folder is accounted for in the manifest, either as an
audited file or as a skipped one.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from mediaaudit.codes import CodeId
from mediaaudit.digest import file_kind
from mediaaudit.fsnames import printable
from mediaaudit.model import FileRef, ProbeNote
from mediaaudit.sidecars import is_sidecar_name
from mediaaudit.writers.table import is_own_output

TEMP_SUFFIXES = (".part", ".crdownload", ".tmp", ".partial", ".download", ".swp")
SYSTEM_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
CONFIG_NAME = "mediaaudit.toml"


@dataclass(frozen=True)
class Skipped:
    """An entry the walker deliberately did not audit, with the reason.  A delivery
    archive that was opened (its members are audited instead) carries its size, SHA-256
    and number of members, so the manifest accounts for the file that was delivered."""

    display: str
    reason: str
    size: int | None = None
    sha256: str | None = None
    members: int | None = None


SYMLINK_REASON = "symlink (not followed)"


def skip_reason(name: str) -> str | None:
    """Why a directory entry is not audited as media, or None if it is."""
    low = name.lower()
    if low == CONFIG_NAME:
        return "config"
    if is_sidecar_name(low):
        return "sidecar"
    if low in SYSTEM_NAMES:
        return "system"
    if low.endswith(TEMP_SUFFIXES) or name.startswith("~$"):
        return "temporary"
    if name.startswith("."):
        return "hidden"
    return None


OUTPUT_REASON = "mediaaudit output"
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
            note = ProbeNote(CodeId.UNREADABLE, {"reason": f"cannot list folder: {exc.strerror}"})
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
            if is_link:  # a file, a device, a loop or nothing: the folder holds a pointer,
                # not the upload (watch cannot tell when a target is complete, and the
                # target may lie outside the shared folder); named paths are followed
                yield Skipped(disp, SYMLINK_REASON)
                continue
            reason = skip_reason(e.name)
            if reason:
                yield Skipped(disp, reason)
                continue
            try:
                st: os.stat_result | None = e.stat(follow_symlinks=False)
            except OSError:
                st = None
            if st is not None and stat.S_ISREG(st.st_mode) and is_own_output(e.path):
                yield Skipped(disp, OUTPUT_REASON)
                continue
            yield file_ref(e.path, disp, st)


def not_regular(st: os.stat_result) -> ProbeNote | None:
    """The finding for a FIFO, device or socket (None for a regular file): it is reported
    from its ``stat`` alone and never handed to a probe, so nothing ever opens it (a FIFO
    blocks its reader, ``/dev/zero`` never ends)."""
    if stat.S_ISREG(st.st_mode):
        return None
    return ProbeNote(CodeId.NOT_A_REGULAR_FILE, {"kind": file_kind(st.st_mode)})


def file_ref(path: str, display: str, st: os.stat_result | None) -> FileRef:
    """A FileRef carrying the whole stat the cache compares (size, mtime, ctime, inode),
    so a warm scan needs no second stat per file; a file that is not a regular file
    carries its finding (``not_regular``) and is never opened."""
    if st is None:
        return FileRef(path, display, 0, 0)
    return FileRef(path, display, st.st_size, st.st_mtime_ns, ctime_ns=st.st_ctime_ns,
                   inode=st.st_ino, problem=not_regular(st))


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
            items = iter([file_ref(p, printable(os.path.normpath(p)), st)])
        for item in items:
            if isinstance(item, Skipped):
                skipped.append(item)
            else:
                files.setdefault(item.display, item)
    return sorted(files.values(), key=lambda r: r.display), sorted(skipped, key=lambda s: s.display)
