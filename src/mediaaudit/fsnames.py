"""File names as data: how a name is shown, how it is kept exactly, and how a name this
tool derives from it is fitted to the file system.

A folder shared with a whole organisation holds every byte sequence a file system allows:
names that are not UTF-8 (a Windows-1252 ``é`` from an old SMB client arrives as byte
0xE9), names with control characters (a newline, an ESC), names at the file system's
limit of 255 bytes.  Each of them must reach the manifest, the logs and the reports
without breaking them, and every name derived from one (a routed ``foto (1).jpg``, a
result file, a report beside the file) must still be one the file system accepts: a
service that fails on a name at every restart has stopped for good.

- ``printable``: the display form; bytes that are not UTF-8 become ``\\xNN``.  JSON can
  carry every other character (it escapes control characters itself).
- ``name_bytes``: the exact form for JSON: the name's bytes in base64, given beside the
  display form only for a name that is not UTF-8 (the display form of such a name is
  ambiguous: ``\\xff`` could also be four real characters).
- (A name shown in a line-based rendering, the watch's text log included, goes through
  ``writers.common.one_line`` too, so it cannot start a line of its own.)
- ``fit``: a derived name shortened, with a hash of the whole name, to the limit.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import os
import re
import secrets

# The longest file name (one path component, in bytes) that ext4, XFS, Btrfs, tmpfs and
# SMB/NFS shares accept.
NAME_MAX = 255
# An extension longer than this is not kept whole when a name is shortened.
_EXT_MAX = 16


def printable(name: str) -> str:
    """A file name that is not valid UTF-8 (undecodable bytes arrive from the OS as lone
    surrogates) shown with ``\\xNN`` escapes, so every manifest writer can encode it.  The
    real path is kept separately for opening the file."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def name_bytes(path: str, display: str | None = None) -> str | None:
    """The manifest's ``path_bytes``: the exact bytes of a path that is not valid UTF-8,
    in base64 (standard alphabet, padded), else None.  With ``display`` (the printable path
    the manifest shows, which may be relative to another root than ``path``), the bytes of
    the same last components of ``path`` that ``display`` shows, so that the manifest's
    ``path`` and ``path_bytes`` name the same thing; ``from_name_bytes`` turns it back."""
    try:
        path.encode("utf-8")
        return None
    except UnicodeEncodeError:
        pass
    exact = path
    if display is not None:
        parts = os.path.normpath(path).split(os.sep)
        exact = os.sep.join(parts[-len(display.split(os.sep)):])
    return base64.b64encode(os.fsencode(exact)).decode("ascii")


def from_name_bytes(value: str) -> str:
    """The real path a manifest's ``path_bytes`` names (ValueError when it is not base64)."""
    return os.fsdecode(base64.b64decode(value.encode("ascii"), validate=True))


def within(path: str, folder: str) -> bool:
    """Is ``path`` the folder ``folder`` or below it?  Both absolute and resolved (real
    paths), compared by whole components: ``/srv/up-fixed`` is not within ``/srv/up``."""
    return os.path.commonpath([path, folder]) == folder


def _short_hash(name: str) -> str:
    return hashlib.sha256(os.fsencode(name)).hexdigest()[:10]


def fit(name: str, tail: str = "", limit: int = NAME_MAX) -> str:
    """``name + tail`` when its bytes fit in ``limit``; else ``name`` cut short, a ``~``,
    a hash of the whole of ``name`` and its extension, then ``tail``.  The same name always
    gives the same result, two long names that begin alike give different ones, and the
    extension a program opens the file by is kept."""
    whole = name + tail
    if len(os.fsencode(whole)) <= limit:
        return whole
    stem, ext = os.path.splitext(name)
    if len(os.fsencode(ext)) > _EXT_MAX:
        stem, ext = name, ""
    mark = "~" + _short_hash(name)
    room = limit - len(os.fsencode(mark + ext + tail))
    if room < 1:
        raise ValueError(f"no room for a name with the ending {tail!r}")
    cut = stem
    while cut and len(os.fsencode(cut)) > room:
        cut = cut[:-1]
    return cut + mark + ext + tail


def temp_name(kind: str) -> str:
    """A hidden temporary name of this process for a file being written (``kind`` says
    which: ``report``, ``partial``): short whatever the final name, unique per call, and
    carrying the process id, so files a killed process left can be found and removed."""
    return f".mediaaudit-{kind}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


_TEMP = re.compile(r"^\.mediaaudit-(?P<kind>[a-z]+)\.(?P<pid>\d+)\.[0-9a-f]+\.tmp$")


def stale_temp(name: str, kind: str) -> bool:
    """Is ``name`` a ``temp_name(kind)`` whose process is gone (left by a killed run)?"""
    m = _TEMP.match(name)
    return m is not None and m["kind"] == kind and not alive(int(m["pid"]))


def alive(pid: int) -> bool:
    """Is process ``pid`` still running?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


# Errors that mean "this file system does not do hard links here" (another device, SMB or
# FAT, a policy): the caller copies or renames instead.
NO_LINKS = frozenset({errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})


def link_new(src: str, target: str) -> bool:
    """Give the file ``src`` the further name ``target``, never replacing a file: a hard
    link fails on a name that exists, with no window between a check and the write.
    True when linked; False when this file system cannot link here (the caller copies or
    renames); ``FileExistsError`` when ``target`` is taken.  The one no-overwrite step of
    ``fix`` (placing a derivative) and ``watch`` (routing a file)."""
    try:
        os.link(src, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno in NO_LINKS:
            return False
        raise
    return True
