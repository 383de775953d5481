"""Turn the paths a user gave into the files to audit, in a stable order.

Never follows a symlinked directory (no loops); records what it leaves out
(sidecars, the config file, temp and system files, mediaaudit's own earlier manifests and
reports) so every entry in the folder is accounted for in the manifest, either as an
audited file or as a skipped one.
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from mediaaudit.codes import CodeId
from mediaaudit.digest import file_kind
from mediaaudit.fsnames import printable
from mediaaudit.model import FileRef, ProbeNote
from mediaaudit.sidecars import is_sidecar_name
from mediaaudit.writers.csv_writer import COLUMNS as CSV_COLUMNS
from mediaaudit.writers.html_writer import CSP as HTML_CSP
from mediaaudit.writers.labels import LABELS

TEMP_SUFFIXES = (".part", ".crdownload", ".tmp", ".partial", ".download", ".swp")
SYSTEM_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
CONFIG_NAME = "mediaaudit.toml"


@dataclass(frozen=True)
class Skipped:
    """An entry the walker deliberately did not audit, with the reason."""

    display: str
    reason: str


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
# Extensions an earlier manifest or report can have; only these are opened during the walk.
OUTPUT_SUFFIXES = (".json", ".html", ".htm", ".csv", ".md")
HEAD_BYTES = 4096
_JSON_TOOL = re.compile(rb'"tool"\s*:\s*\{\s*"name"\s*:\s*"mediaaudit"')
_TITLES = tuple(v["title"] for v in LABELS.values())


def is_own_output(path: str, name: str) -> bool:
    """Is this regular file a manifest or report that mediaaudit wrote (an earlier scan's
    ``-o`` in the scanned folder)?  Decided by content, so a renamed report is still
    recognised and a user's own ``manifest.json`` is still audited; only files with an
    output extension are opened, and only their first ``HEAD_BYTES``."""
    low = name.lower()
    if not low.endswith(OUTPUT_SUFFIXES):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf")
    if low.endswith(".json"):
        return head.lstrip().startswith(b"{") and b'"schema_version"' in head[:1024] \
            and _JSON_TOOL.search(head[:1024]) is not None
    text = head.decode("utf-8", "replace")
    if low.endswith((".html", ".htm")):
        return _html_is_ours(text)
    if low.endswith(".csv"):
        first = next(csv.reader([text.partition("\n")[0].rstrip("\r")]), [])
        return first[:3] == list(CSV_COLUMNS[:3]) and "sha256" in first
    return _md_is_ours(text)


def _html_is_ours(text: str) -> bool:
    """The generator tag, or (reports written before it) the writer's exact
    Content-Security-Policy with a report title in any language."""
    if '<meta name="generator" content="mediaaudit' in text:
        return True
    csp = f'<meta http-equiv="Content-Security-Policy" content="{HTML_CSP}">'
    return csp in text and any(f"<title>{t} — " in text for t in _TITLES)


def _md_is_ours(text: str) -> bool:
    """A report title in any language on the first line, and the 'checked with
    mediaaudit' line of the same language within the first lines."""
    lines = text.splitlines()
    for labels in LABELS.values():
        if lines[:1] == [f"## {labels['title']}"] and any(
                f"{labels['tool']}: mediaaudit " in line for line in lines[1:8]):
            return True
    return False


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
            if st is not None and stat.S_ISREG(st.st_mode) and is_own_output(e.path, e.name):
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
