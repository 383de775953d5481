"""Move a file without ever overwriting or losing it.

Same filesystem: ``link()`` to the target (fails if the name exists: never overwrites)
then ``unlink()`` the source, so at every instant the file exists under at least one name.
Across filesystems: copy to a temporary name in the target folder, fsync, compare the
SHA-256 with the audited one, link into place, then remove the source.  The temporary
name is this process's own (``fsnames.temp_name``): a copy cut short by SIGKILL never
blocks the next one, and ``results.remove_orphans`` clears such copies at start-up (the
source is removed only after the link, so a partial copy is never the only one).  A full target
(``ENOSPC``/``EDQUOT``) is a ``DiskFull``: the file stays where it was, complete.

A name that fits in the drop folder may not fit once numbered (``foto (1).jpg`` of a
255-byte ``foto.jpg``): numbered names are shortened with a hash (``fsnames.fit``).

Only regular files are moved (``lstat``, never following a link): a symlinked sidecar
would otherwise be moved as a link, or, across filesystems, have its target's bytes
copied into the share.  A sidecar keeps strictly the name of its media file's final name
(``foto (1).jpg.license``); when that name is taken it is not moved, never renamed to
something that no longer pairs with its file.

A routed file is removed only when a later version of the same upload holds all of its
bytes (``remove_superseded``): one version in the destination, never a copy lost.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat

from mediaaudit.digest import NotRegular, open_regular, sha256_file
from mediaaudit.fsnames import fit, link_new, temp_name
from mediaaudit.sidecars import SidecarKind, sidecars_of
from mediaaudit.watch.messages import Trouble, WatchKey

# Errors that mean "no room", not "this file is wrong": routing waits and tries again.
FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


class RouteError(OSError):
    """The file could not be moved; it stays where it was.  ``said``: what went wrong, for
    the log to say in its language (the English is the exception's text)."""

    def __init__(self, code: int | None, said: Trouble) -> None:
        super().__init__(code, said.render("en"))
        self.said = said


class DiskFull(RouteError):
    """The target has no room (or the quota is used up); the file stays where it was."""


def _error(exc: OSError, key: WatchKey, **params: str) -> RouteError:
    cls = DiskFull if exc.errno in FULL else RouteError
    return cls(exc.errno, Trouble(key, {**params, "why": exc.strerror or str(exc)}))


def unique_target(directory: str, name: str) -> str:
    """``name``, or ``name (1).ext``, ``name (2).ext``… whichever does not exist yet;
    numbered names shortened to fit the file system (``fsnames.fit``)."""
    base, ext = os.path.splitext(name)
    cand = os.path.join(directory, fit(name))
    n = 1
    while os.path.lexists(cand):
        cand = os.path.join(directory, fit(f"{base} ({n}){ext}"))
        n += 1
    return cand


def _regular(src: str) -> None:
    """Refuse anything that is not a regular file (a symlink is never followed)."""
    try:
        st = os.lstat(src)
    except OSError as exc:
        raise _error(exc, "cannot_move", path=src) from exc
    if not stat.S_ISREG(st.st_mode):
        raise RouteError(errno.EINVAL, Trouble("not_regular_move", {"path": src}))


def _name_for(directory: str, name: str, exact: bool) -> str:
    if not exact:
        return unique_target(directory, name)
    target = os.path.join(directory, name)
    if os.path.lexists(target):
        raise RouteError(errno.EEXIST, Trouble("target_exists", {"path": target}))
    return target


def move(src: str, directory: str, name: str, sha256: str | None = None,
         exact: bool = False) -> str:
    """Move ``src`` into ``directory`` as ``name`` (or a unique variant; with ``exact``
    as ``name`` only, else RouteError); return the target.  Regular files only."""
    _regular(src)
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise _error(exc, "cannot_create", path=directory) from exc
    for _ in range(1 if exact else 100):
        target = _name_for(directory, name, exact)
        try:
            if not link_new(src, target):
                return _copy_move(src, directory, name, sha256, exact)
        except FileExistsError:
            continue  # someone took the name between the check and the link
        except RouteError:
            raise  # said already, by the step that failed
        except OSError as exc:
            raise _error(exc, "cannot_move", path=src) from exc
        os.unlink(src)
        return target
    if exact:
        raise RouteError(errno.EEXIST, Trouble("target_exists",
                                               {"path": os.path.join(directory, name)}))
    raise RouteError(errno.EEXIST, Trouble("no_free_name", {"name": name, "where": directory}))


def _copy_move(src: str, directory: str, name: str, sha256: str | None,
               exact: bool = False) -> str:
    _regular(src)
    tmp = os.path.join(directory, temp_name("partial"))
    try:
        try:
            fd = open_regular(src)  # what is copied is what was checked
        except NotRegular as exc:
            raise RouteError(errno.EINVAL, Trouble("not_regular_move", {"path": src})) from exc
        except OSError as exc:
            raise _error(exc, "cannot_move", path=src) from exc
        try:
            with open(fd, "rb") as fin, open(tmp, "xb") as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)
                fout.flush()
                os.fsync(fout.fileno())
            shutil.copystat(src, tmp, follow_symlinks=False)
        except RouteError:
            raise
        except OSError as exc:
            raise _error(exc, "cannot_copy", path=src, where=directory) from exc
        expected = sha256 or sha256_file(src)
        if sha256_file(tmp) != expected:
            raise RouteError(errno.EIO, Trouble("copy_differs", {"path": src}))
        for _ in range(1 if exact else 100):
            target = _name_for(directory, name, exact)
            try:
                if link_new(tmp, target):
                    break
            except FileExistsError:
                continue
            if not os.path.lexists(target):  # a share without hard links: checked rename
                os.rename(tmp, target)
                break
        else:
            raise RouteError(errno.EEXIST,
                             Trouble("no_free_name", {"name": name, "where": directory}))
        os.unlink(src)
        return target
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def sidecar_name(sidecar: str, old: str, new: str) -> str:
    """The sidecar's name after its media file ``old`` became ``new``: ``foto.jpg.license``
    follows ``foto (1).jpg`` as ``foto (1).jpg.license``, ``foto.xmp`` as ``foto (1).xmp``."""
    sname = os.path.basename(sidecar)
    if sname.startswith(old):
        return new + sname[len(old):]
    old_stem, new_stem = os.path.splitext(old)[0], os.path.splitext(new)[0]
    return new_stem + sname[len(old_stem):]


def move_with_sidecars(src: str, directory: str, sidecars: list[str], sha256: str | None
                       ) -> tuple[str, list[tuple[str, OSError]]]:
    """Move a media file, then its sidecars renamed with it; return the target and the
    sidecars that could not be moved (they stay where they were): one that is not a
    regular file (a symlink), or whose name after the media file's final name is taken."""
    target = move(src, directory, os.path.basename(src), sha256)
    failed: list[tuple[str, OSError]] = []
    for side in dict.fromkeys(sidecars):
        try:
            move(side, directory, sidecar_name(side, os.path.basename(src),
                                               os.path.basename(target)), exact=True)
        except OSError as exc:
            failed.append((side, exc))
    return target, failed


def find_moved(directory: str, name: str, size: int, mtime_ns: int, sha256: str | None,
               taken: set[str]) -> str | None:
    """Where an earlier run moved ``name`` when it stopped before recording it: a file
    ``name`` or ``name (n)`` with the same size, mtime (a link or copystat keeps it) and
    hash that no other record claims.  The newest such name, or None."""
    base, ext = os.path.splitext(name)
    try:
        names = os.listdir(directory)
    except OSError:
        return None
    found = None
    for cand in sorted(names, key=lambda n: (len(n), n)):
        if cand != name and not (cand.startswith(base + " (") and cand.endswith(")" + ext)):
            continue
        full = os.path.join(directory, cand)
        try:
            st = os.lstat(full)
        except OSError:
            continue
        if full in taken or (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
            continue
        if sha256 is None or sha256_file(full) == sha256:
            found = full
    return found


def begins_with(path: str, size: int, sha256: str) -> bool:
    """Do the first ``size`` bytes of ``path`` have this SHA-256?  Only a regular file is
    read (a symlink is never followed)."""
    h = hashlib.sha256()
    with open(open_regular(path), "rb") as fh:
        left = size
        while left > 0:
            chunk = fh.read(min(left, 1 << 20))
            if not chunk:
                return False  # shorter than ``size``
            h.update(chunk)
            left -= len(chunk)
    return h.hexdigest() == sha256


def remove_superseded(old: str, size: int, mtime_ns: int, sha256: str | None,
                      new: str) -> bool:
    """Remove the routed file ``old`` (and its watch report) because ``new``, a later
    version of the same upload, holds all of its bytes: it is ``old`` grown (a cut-off
    upload that went on) or ``old`` again.  Nothing is lost that way, so nothing is
    removed unless that is certain: ``old`` must still be exactly what was routed (size,
    mtime, hash), ``new`` must begin with every byte of it, and ``old`` must have no
    sidecar but its report (a licence or XMP beside it is evidence someone may still
    need).  Returns whether it was removed."""
    try:
        st = os.lstat(old)
        if (not stat.S_ISREG(st.st_mode) or sha256 is None
                or (st.st_size, st.st_mtime_ns) != (size, mtime_ns)):
            return False
        sides = sidecars_of(old)
        if any(s.kind is not SidecarKind.REPORT for s in sides):
            return False
        if sha256_file(old, follow=False) != sha256 or not begins_with(new, size, sha256):
            return False
        for side in sides:
            os.unlink(side.path)
        os.unlink(old)
    except OSError:
        return False
    return True
