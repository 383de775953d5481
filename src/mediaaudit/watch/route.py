"""Move a file without ever overwriting or losing it.

Same filesystem: ``link()`` to the target (fails if the name exists: never overwrites)
then ``unlink()`` the source, so at every instant the file exists under at least one name.
Across filesystems: copy to a temporary name in the target folder, fsync, compare the
SHA-256 with the audited one, link into place, then remove the source.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil

from mediaaudit.digest import sha256_file


class RouteError(OSError):
    """The file could not be moved; it stays where it was."""


def unique_target(directory: str, name: str) -> str:
    """``name``, or ``name (1).ext``, ``name (2).ext``… whichever does not exist yet."""
    base, ext = os.path.splitext(name)
    cand = os.path.join(directory, name)
    n = 1
    while os.path.lexists(cand):
        cand = os.path.join(directory, f"{base} ({n}){ext}")
        n += 1
    return cand


def move(src: str, directory: str, name: str, sha256: str | None = None) -> str:
    """Move ``src`` into ``directory`` as ``name`` (or a unique variant); return the target."""
    os.makedirs(directory, exist_ok=True)
    for _ in range(100):
        target = unique_target(directory, name)
        try:
            os.link(src, target)
        except FileExistsError:
            continue  # someone took the name between the check and the link
        except OSError as exc:
            if exc.errno in (errno.EXDEV, errno.EPERM, errno.ENOTSUP):
                return _copy_move(src, directory, name, sha256)
            raise RouteError(exc.errno, f"cannot move {src}: {exc.strerror}") from exc
        os.unlink(src)
        return target
    raise RouteError(errno.EEXIST, f"no free name for {name} in {directory}")


def _copy_move(src: str, directory: str, name: str, sha256: str | None) -> str:
    tmp = os.path.join(directory, f".{name}.mediaaudit-partial")
    try:
        with open(src, "rb") as fin, open(tmp, "xb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
            fout.flush()
            os.fsync(fout.fileno())
        shutil.copystat(src, tmp)
        expected = sha256 or sha256_file(src)
        if sha256_file(tmp) != expected:
            raise RouteError(errno.EIO, f"copy of {src} does not match its hash; not moved")
        for _ in range(100):
            target = unique_target(directory, name)
            try:
                os.link(tmp, target)
                break
            except FileExistsError:
                continue
        else:
            raise RouteError(errno.EEXIST, f"no free name for {name} in {directory}")
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
    sidecars that could not be moved (they stay where they were)."""
    target = move(src, directory, os.path.basename(src), sha256)
    failed: list[tuple[str, OSError]] = []
    for side in dict.fromkeys(sidecars):
        try:
            move(side, directory, sidecar_name(side, os.path.basename(src),
                                               os.path.basename(target)))
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
