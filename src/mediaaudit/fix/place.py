"""Put one derivative and its sidecars in their folder: converted in a supervised child
(``run``), checked against the audited original, placed without ever replacing a file,
all or nothing.

Shared by ``mediaaudit fix`` (folder: the original's relative folder under ``--out``)
and ``watch --fix`` (folder: a staging folder of the watcher, from where the derivative
is routed like any dropped file).  Originals are only read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from dataclasses import dataclass

from mediaaudit.digest import sha256_file
from mediaaudit.fix import carry
from mediaaudit.fix.plan import EXTENSIONS, Options, Plan, video_copy
from mediaaudit.fix.run import Done, Job, cleanup, run
from mediaaudit.fix.texts import Why
from mediaaudit.fsnames import link_new
from mediaaudit.model import FileRef, FileResult
from mediaaudit.sidecars import Sidecar, SidecarKind, sidecars_of


class Unsafe(Exception):
    """A target that would land outside the folder or on top of an existing file, or
    an original that changed: ``why`` says which, in either language."""

    def __init__(self, why: Why) -> None:
        super().__init__(why.render("en"))
        self.why = why


@dataclass(frozen=True)
class Original:
    """A file to consider: its walk entry, its path relative to the root it was found
    under (kept under --out), and its audit."""

    ref: FileRef
    rel: str
    result: FileResult


@dataclass(frozen=True)
class Placed:
    """A derivative in its folder: what the converter did, its path, the path shown,
    and the sidecars placed beside it."""

    done: Done
    path: str
    display: str
    sidecars: tuple[str, ...]


def target_dir(root: str, rel_dir: str, create: bool) -> str:
    """The folder under ``root`` for a relative folder; never leaves it: '..' and
    absolute parts are refused, and so is any existing component that is a symlink."""
    parts = [c for c in rel_dir.split(os.sep) if c not in ("", ".")]
    if os.path.isabs(rel_dir) or ".." in parts:
        raise Unsafe(Why("outside_out", {"path": rel_dir}))
    cur = root
    for part in parts:
        cur = os.path.join(cur, part)
        if os.path.islink(cur):
            raise Unsafe(Why("through_symlink", {"path": cur}))
        if create and not os.path.isdir(cur):
            os.mkdir(cur)
    return cur


def _place(tmp: str, final: str) -> None:
    """Give the finished temporary file its name without ever replacing a file: a hard
    link fails on an existing name (no race); where links are not supported, a checked
    rename."""
    try:
        linked = link_new(tmp, final)
    except FileExistsError as exc:
        raise Unsafe(Why("exists", {"path": final})) from exc
    if not linked:
        if os.path.lexists(final):
            raise Unsafe(Why("exists", {"path": final}))
        os.rename(tmp, final)
        return
    os.unlink(tmp)


def convert(o: Original, pl: Plan, opts: Options, root: str, shown_root: str,
            timeout: float, lang: str = "en") -> Placed | Done:
    """Run the job, place the derivative and its sidecars under ``root`` (shown as
    ``shown_root``); the failed ``Done`` when the converter could not.

    All or nothing: the sidecars are read before anything is placed, and when one of
    them cannot be written the derivative and the sidecars already written are removed
    again (``Unsafe`` with the reason)."""
    rel_dir, name = os.path.split(o.rel)
    try:
        folder = target_dir(root, rel_dir, create=True)
    except OSError as exc:
        raise Unsafe(Why("no_folder", {"why": exc.strerror or str(exc)})) from exc
    prefix = os.path.join(folder, f".mediaaudit-fix-{uuid.uuid4().hex}")
    stem = os.path.splitext(name)[0]
    if pl.target is not None and os.path.lexists(os.path.join(folder, stem + EXTENSIONS[
            pl.target])):
        raise Unsafe(Why("exists", {"path": os.path.join(shown_root, rel_dir,
                                                         stem + EXTENSIONS[pl.target])}))
    cv, ca = video_copy(o.result, pl.target or "")
    job = Job(o.ref.path, prefix, pl.action, pl.target, opts, cv, ca,
              carry.outside(o.result), lang)
    done = run(job, timeout)
    if not done.ok or done.tmp is None or done.target is None:
        return done
    new_name = stem + EXTENSIONS[done.target]
    final = os.path.join(folder, new_name)
    try:
        unchanged(o)
        copies = _sidecar_copies(o, name, new_name, opts)
        embedded = done.tmp + ".xmp"
        if os.path.exists(embedded) and not any(c.kind is SidecarKind.XMP for c in copies):
            extra: str | None = embedded
        else:
            extra = None
        for target in [new_name, *(c.name for c in copies)] + (
                [new_name + ".xmp"] if extra else []):
            if os.path.lexists(os.path.join(folder, target)):
                raise Unsafe(Why("exists", {"path": os.path.join(shown_root, rel_dir,
                                                                 target)}))
        sides = _put(done.tmp, final, folder, copies, extra)
    except Unsafe:
        cleanup(prefix)
        raise
    cleanup(prefix)
    return Placed(done, final, os.path.join(shown_root, rel_dir, new_name), tuple(sides))


def unchanged(o: Original) -> None:
    """``Unsafe`` when the original is no longer the file that was audited."""
    if not o.result.facts.sha256:
        return
    try:
        now = sha256_file(o.ref.path)
    except OSError as exc:
        raise Unsafe(Why("reread", {"why": exc.strerror or str(exc)})) from exc
    if now != o.result.facts.sha256:
        raise Unsafe(Why("changed"))


@dataclass(frozen=True)
class _Copy:
    """A sidecar read from beside the original, with its name beside the derivative."""

    kind: SidecarKind
    name: str
    data: bytes


def _sidecar_copies(o: Original, name: str, new_name: str, opts: Options) -> list[_Copy]:
    """The original's sidecars under the derivative's name (``photo.heic.license`` →
    ``photo.jpg.license``; stem-named ones keep their name), read in full before
    anything is placed.  XMP sidecars lose their privacy properties with
    --strip-location.  A sidecar that is not a regular file or cannot be read is
    ``Unsafe``: the derivative would lack evidence the original has.  A watch report
    (``photo.heic.mediaaudit.html``) is about the original and stays behind."""
    from mediaaudit.fix.metadata import clean_xmp

    copies: list[_Copy] = []
    for side in sidecars_of(o.ref.path):
        if side.kind is SidecarKind.REPORT:
            continue
        new = new_name + side.name[len(name):] if side.full_name else side.name
        data = _read_sidecar(side)
        if side.kind is SidecarKind.XMP:
            with contextlib.suppress(Exception):
                data = clean_xmp(data, opts.strip_location)[0]
        copies.append(_Copy(side.kind, new, data))
    return copies


def _read_sidecar(side: Sidecar) -> bytes:
    """The bytes of a sidecar that is a regular file.  A symlink is never followed (it
    could point at any file on the server: ``photo.jpg.alt.txt -> /etc/passwd``), and
    neither a folder nor a pipe is opened for reading."""
    try:
        mode = os.lstat(side.path).st_mode
        if stat.S_ISLNK(mode):
            raise Unsafe(Why("sidecar_link", {"name": side.name}))
        if not stat.S_ISREG(mode):
            raise Unsafe(Why("sidecar_irregular", {"name": side.name}))
        fd = os.open(side.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise Unsafe(Why("sidecar_irregular", {"name": side.name}))
            return f.read()
    except OSError as exc:
        raise Unsafe(Why("sidecar_unreadable", {"name": side.name,
                                                "why": exc.strerror or str(exc)})) from exc


def _put(tmp: str, final: str, folder: str, copies: list[_Copy],
         embedded_xmp: str | None) -> list[str]:
    """Place the derivative, then its sidecars; on any failure remove what was placed
    (``Unsafe``).  The names of the sidecars placed."""
    placed: list[str] = []
    current = final
    try:
        _place(tmp, final)
        placed.append(final)
        for c in copies:
            current = os.path.join(folder, c.name)
            _write_new(current, c.data)
            placed.append(current)
        if embedded_xmp is not None:
            current = final + ".xmp"
            _place(embedded_xmp, current)
            placed.append(current)
    except (Unsafe, OSError) as exc:
        for path in reversed(placed):
            with contextlib.suppress(OSError):
                os.unlink(path)
        if isinstance(exc, Unsafe):
            raise
        raise Unsafe(Why("cannot_write", {"name": os.path.basename(current),
                                          "why": exc.strerror or str(exc)})) from exc
    return [os.path.basename(p) for p in placed[1:]]


def _write_new(path: str, data: bytes) -> None:
    """Write a new file; never replaces one (``Unsafe``), and a failed write leaves
    nothing behind (``OSError``)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o666)
    except FileExistsError as exc:
        raise Unsafe(Why("exists", {"path": path})) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
