"""Open a delivery archive (ZIP, tar) as a folder of its members, safely.

Photographers deliver a ZIP (the WeTransfer form); the officer drops it into the upload
folder as it came.  ``scan``, ``watch`` and ``fix`` therefore judge the files *in* an
archive, each as a file of its own, named ``levering.zip/IMG_0001.jpg`` in the manifest
(DROID's form; siegfried's own ``-z`` output writes ``levering.zip#IMG_0001.jpg``).  The
archive itself is listed among the skipped entries with its size, SHA-256 and number of
members, so the manifest still accounts for every byte that was delivered.

Everything in an archive is hostile until checked, and the checks come before a byte is
written: the members are unpacked only into a private temporary folder (mode 0700, never
beside the upload), one regular file at a time with ``O_EXCL|O_NOFOLLOW``, under names this
module makes, and each check that fails becomes a finding on that member instead of an
extraction:

- a name that is absolute, has a drive letter, a ``..`` component or a NUL
  (``MA-ARC-002``, the "zip slip"); a second member of the same name (``MA-ARC-006``);
- a symbolic or hard link, a device or a FIFO (``MA-ARC-003``);
- an encrypted member (``MA-ARC-004``: nobody can check what cannot be read);
- an archive inside an archive inside an archive (``MA-ARC-005``: one level is opened);
- a compression method Python cannot unpack, a CRC error, a cut-off stream (``MA-IO-002``,
  ``MA-IO-004``).

A bomb is refused whole (``MA-ARC-001`` on the archive) from what the archive *declares*
before anything is written: too many members, more bytes than the limit or than the free
space of the temporary folder, or more than ``Limits.ratio`` times the archive's own size.
What is declared can lie, so the copy counts too: ``zipfile`` stops a member at its
declared size, and every copy stops at the budget that is left.  A compressed tar declares
nothing up front; its stream is read with a counter on the compressed bytes, so a gzip bomb
is stopped after ``ratio`` times its size, not after it has filled a disk.

Names in an archive are text in some encoding: ZIP names without the UTF-8 flag are cp437
by the standard, but many tools write UTF-8 without setting the flag; a name whose bytes are
valid UTF-8 is read as UTF-8, else as cp437 (siegfried decides the same way).  Backslashes,
which Windows tools write, are separators.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO, Any

from mediaaudit import codes
from mediaaudit.codes import CodeId
from mediaaudit.digest import sha256_file
from mediaaudit.fsnames import printable
from mediaaudit.model import FileRef, Member, ProbeNote
from mediaaudit.walk import Skipped, skip_reason

# The archives opened as folders: by name *and* by their first bytes (a .zip that is not
# one is audited as the file it is).  Formats built on ZIP (docx, epub, ODF) keep their own
# suffixes and are not opened.
ZIP_SUFFIXES = (".zip",)
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
ARCHIVE_SUFFIXES = ZIP_SUFFIXES + TAR_SUFFIXES
ARCHIVE_REASON = "archive"
# Folders that archivers add and nobody delivered: macOS's resource forks.
SYSTEM_FOLDERS = ("__MACOSX/",)
_CHUNK = 1 << 20
# What the standard library raises for an archive or member whose bytes are broken.
_BROKEN = (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error)
_RESERVE = 256 << 20  # free space left on the temporary folder's disk, at least


@dataclass(frozen=True)
class Limits:
    """What one archive may hold before it is refused as a bomb.  ``ratio``: unpacked bytes
    per byte of the archive, counted once more than 1 MiB is unpacked (real deliveries of
    JPEG, PNG and MP4 hardly compress; a bomb compresses a thousand-fold and more)."""

    members: int = 10_000
    total: int = 20 << 30
    ratio: int = 100
    depth: int = 1  # archives inside an archive that are opened too


@dataclass(frozen=True)
class Opened:
    """A delivery archive that was opened: the manifest's record of it."""

    display: str
    size: int
    sha256: str
    members: int
    folder: str = ""  # where its members were unpacked (for watch, which keeps them)


@dataclass
class Unpacked:
    """What ``unpack`` made of the walker's files: the files to audit (an archive's members
    in its place), members left out as the walker leaves files out, and the archives
    opened."""

    refs: list[FileRef] = field(default_factory=list)
    left_out: list[Skipped] = field(default_factory=list)
    opened: list[Opened] = field(default_factory=list)

    @property
    def skipped(self) -> list[Skipped]:
        """The manifest's skipped entries: members left out, and each opened archive with
        its size, SHA-256 and number of members (reason ``archive``)."""
        return self.left_out + [Skipped(o.display, ARCHIVE_REASON, o.size, o.sha256, o.members)
                                for o in self.opened]


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


class ArchiveKind(StrEnum):
    """The archive formats opened as folders, each read by its standard-library module."""

    ZIP = "zip"
    TAR = "tar"


def _kind(path: str, name: str) -> ArchiveKind | None:
    """The archive's kind, from the name and the first bytes; None for anything else."""
    low = name.lower()
    try:
        if low.endswith(ZIP_SUFFIXES):
            return ArchiveKind.ZIP if zipfile.is_zipfile(path) else None
        if low.endswith(TAR_SUFFIXES):
            return ArchiveKind.TAR if tarfile.is_tarfile(path) else None
    except OSError:
        return None
    return None


def member_name(raw: str, flag_utf8: bool) -> str:
    """A ZIP member's name as its maker meant it (see the module's docstring)."""
    if flag_utf8:
        return raw
    try:
        return raw.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw


_DRIVE = re.compile(r"^[A-Za-z]:")


def safe_parts(name: str) -> tuple[str, ...] | None:
    """The components of a member name as a relative path, or None when the name would
    lead anywhere but under the folder it is unpacked into."""
    name = name.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name) or "\x00" in name:
        return None
    parts = tuple(p for p in name.split("/") if p not in ("", "."))
    if not parts or ".." in parts:
        return None
    return parts


class _Budget:
    """Bytes that may still be unpacked from one delivery, nested archives included."""

    def __init__(self, total: int, archive_size: int, limits: Limits) -> None:
        self.left = total
        self.archive_size = archive_size
        self.limits = limits
        self.used = 0

    def take(self, n: int) -> None:
        self.used += n
        self.left -= n
        if self.left < 0:
            raise _Refused("size", limit=_mib(self.used + self.left))
        if self.used > (1 << 20) and self.used > self.limits.ratio * max(1, self.archive_size):
            raise _Refused("ratio", ratio=self.limits.ratio)


class _Refused(Exception):
    """The archive is a bomb (or behaves like one): refused whole.  The argument is the
    reason in English, from the reason table (``codes.reason``), so reports translate it."""

    def __init__(self, why: str, **params: Any) -> None:
        super().__init__(codes.reason(codes.Why(f"archive-{why}"), **params))


def _mib(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MiB"


class _Unpacker:
    """Unpacks one delivery (and the archives one level inside it) into ``root``."""

    def __init__(self, root: str, limits: Limits, out: Unpacked) -> None:
        self.root = root
        self.limits = limits
        self.out = out

    # -- the archive on disk ---------------------------------------------------------

    def delivery(self, ref: FileRef, kind: ArchiveKind) -> None:
        """Open the archive ``ref``; on a refusal the archive becomes an entry of its own
        with the finding, and none of its members is audited."""
        first = len(self.out.refs), len(self.out.left_out), len(self.out.opened)
        folder = tempfile.mkdtemp(prefix="d-", dir=self.root)
        budget = _Budget(self._room(), ref.size, self.limits)
        try:
            sha = sha256_file(ref.path)
            n = self._open(ref.path, kind, folder, ref.display, Member(ref.path, ref.display, ()),
                           budget, 0)
        except _Refused as exc:
            self._undo(first, folder)
            self.out.refs.append(_problem(ref, CodeId.ARCHIVE_REFUSED, reason=str(exc)))
            return
        except (*_BROKEN, ValueError) as exc:
            self._undo(first, folder)
            self.out.refs.append(_problem(ref, CodeId.DAMAGED, reason=f"archive: {exc}"[:200]))
            return
        except OSError as exc:
            self._undo(first, folder)
            self.out.refs.append(_problem(ref, CodeId.UNREADABLE,
                                          reason=exc.strerror or type(exc).__name__))
            return
        self.out.opened.append(Opened(ref.display, ref.size, sha, n, folder))

    def _room(self) -> int:
        try:
            vfs = os.statvfs(self.root)
            free = vfs.f_bavail * vfs.f_frsize - _RESERVE
        except OSError:
            free = self.limits.total
        return max(0, min(self.limits.total, free))

    def _undo(self, first: tuple[int, ...], folder: str) -> None:
        """Forget what an archive that was then refused had added so far."""
        del self.out.refs[first[0]:]
        del self.out.left_out[first[1]:]
        if len(first) > 2:
            del self.out.opened[first[2]:]
        shutil.rmtree(folder, ignore_errors=True)

    def _open(self, path: str, kind: ArchiveKind, folder: str, display: str, where: Member,
              budget: _Budget, depth: int) -> int:
        if kind == ArchiveKind.ZIP:
            with zipfile.ZipFile(path) as zf:
                return self._zip(zf, folder, display, where, budget, depth)
        with open(path, "rb") as raw, tarfile.open(fileobj=raw, mode="r|*") as tf:
            return self._tar(tf, folder, display, where, budget, depth)

    # -- ZIP -------------------------------------------------------------------------

    def _zip(self, zf: zipfile.ZipFile, folder: str, display: str, where: Member,
             budget: _Budget, depth: int) -> int:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > self.limits.members:
            raise _Refused("members", limit=self.limits.members)
        declared = sum(i.file_size for i in infos)
        if declared > budget.left:
            raise _Refused("size", limit=_mib(budget.left))
        if declared > (1 << 20) and declared > self.limits.ratio * max(1, budget.archive_size):
            raise _Refused("ratio", ratio=self.limits.ratio)
        seen: set[tuple[str, ...]] = set()
        for info in infos:
            name = member_name(info.filename, bool(info.flag_bits & 0x800))
            mode = info.external_attr >> 16 if info.create_system == 3 else 0
            ftype = stat.S_IFMT(mode)
            if ftype not in (0, stat.S_IFREG):
                self._hostile(display, name, where, CodeId.ARCHIVE_LINK,
                              kind=_link_kind(ftype))
                continue
            if info.flag_bits & 0x1:
                self._hostile(display, name, where, CodeId.ARCHIVE_ENCRYPTED)
                continue

            def source(info: zipfile.ZipInfo = info) -> IO[bytes]:
                return zf.open(info)

            self._member(display, name, where, folder, source, info.file_size,
                         info.date_time, budget, depth, seen)
        return len(infos)

    # -- tar -------------------------------------------------------------------------

    def _tar(self, tf: tarfile.TarFile, folder: str, display: str, where: Member,
             budget: _Budget, depth: int) -> int:
        seen: set[tuple[str, ...]] = set()
        n = declared = 0
        for ti in tf:
            if ti.isdir():
                continue
            n += 1
            if n > self.limits.members:
                raise _Refused("members", limit=self.limits.members)
            # Every member's data is decompressed, even one that is skipped: count what is
            # declared before the stream is read on (a tar declares nothing up front).
            declared += ti.size
            if declared > budget.left + budget.used:
                raise _Refused("size", limit=_mib(budget.left + budget.used))
            if declared > (1 << 20) and declared > self.limits.ratio * max(1, budget.archive_size):
                raise _Refused("ratio", ratio=self.limits.ratio)
            if not ti.isreg():
                kind = ("hard link" if ti.islnk() else "symlink" if ti.issym()
                        else "device" if ti.ischr() or ti.isblk() else "FIFO" if ti.isfifo()
                        else "special entry")
                self._hostile(display, ti.name, where, CodeId.ARCHIVE_LINK, kind=kind)
                continue

            def source(ti: tarfile.TarInfo = ti) -> IO[bytes]:
                f = tf.extractfile(ti)
                if f is None:
                    raise tarfile.TarError("no data")
                return f

            stamp = _date_time(ti.mtime)
            self._member(display, ti.name, where, folder, source, ti.size, stamp, budget,
                         depth, seen)
        return n

    # -- one member ------------------------------------------------------------------

    def _hostile(self, display: str, name: str, where: Member, code: CodeId,
                 **params: Any) -> None:
        """A member that is not unpacked (its name, type or encryption): a finding."""
        member = Member(where.archive, where.archive_display, (*where.names, name))
        self._problem_member(f"{display}/{printable(name)}", member, code, **params)

    def _member(self, display: str, name: str, where: Member, folder: str,
                source: Any, size: int, date_time: tuple[int, ...], budget: _Budget,
                depth: int, seen: set[tuple[str, ...]]) -> None:
        parts = safe_parts(name)
        if parts is None:
            self._hostile(display, name, where, CodeId.ARCHIVE_UNSAFE_NAME)
            return
        key = tuple(p.casefold() for p in parts)
        if key in seen:
            self._hostile(display, name, where, CodeId.ARCHIVE_DUPLICATE)
            return
        seen.add(key)
        clean = "/".join(parts)
        disp = f"{display}/{printable(clean)}"
        member = Member(where.archive, where.archive_display, (*where.names, clean))
        low = clean.lower()
        reason = ("system" if any(low.startswith(s.lower()) or f"/{s.lower()}" in f"/{low}"
                                  for s in SYSTEM_FOLDERS)
                  else skip_reason(parts[-1]))
        if reason is not None and reason != "sidecar":
            self.out.left_out.append(Skipped(disp, reason))
            return
        nested = is_archive_name(parts[-1])
        if nested and depth >= self.limits.depth:
            self._hostile(display, clean, where, CodeId.ARCHIVE_NESTED, depth=depth + 1)
            return
        target = ""
        try:
            target = self._place(folder, parts)
            with source() as src:
                written = _copy(src, target, budget)
        except OSError as exc:  # a name the file system refuses, a file where a folder
            # must go ('a.jpg' and 'a.jpg/b.jpg'): this member only
            if target:
                _remove(target)
            self._problem_member(disp, member, CodeId.UNREADABLE,
                                 reason=exc.strerror or type(exc).__name__)
            return
        except RuntimeError as exc:  # zipfile: "File ... is encrypted" and the like
            _remove(target)
            self._problem_member(disp, member, CodeId.UNREADABLE, reason=str(exc)[:200])
            return
        except NotImplementedError as exc:  # an unsupported compression method
            _remove(target)
            self._problem_member(disp, member, CodeId.UNREADABLE, reason=str(exc)[:200])
            return
        except _BROKEN as exc:
            _remove(target)
            self._problem_member(disp, member, CodeId.DAMAGED, reason=f"archive: {exc}"[:200])
            return
        _set_time(target, date_time)
        if reason == "sidecar":  # unpacked beside its media file, not audited itself
            self.out.left_out.append(Skipped(disp, reason))
            return
        st = os.stat(target)
        if nested:
            kind = _kind(target, parts[-1])
            if kind is not None:
                self._nested(target, kind, disp, member, budget, depth)
                return
        self.out.refs.append(FileRef(target, disp, written, st.st_mtime_ns,
                                     ctime_ns=st.st_ctime_ns, inode=st.st_ino, member=member))

    def _nested(self, path: str, kind: ArchiveKind, display: str, member: Member, budget: _Budget,
                depth: int) -> None:
        """An archive inside the delivery: its members are audited as well (one level),
        within what is left of the delivery's budget."""
        sub = _folder_for(path)
        first = len(self.out.refs), len(self.out.left_out), len(self.out.opened)
        left, used = budget.left, budget.used
        try:
            n = self._open(path, kind, sub, display, member, budget, depth + 1)
            self.out.opened.append(Opened(display, os.path.getsize(path), sha256_file(path), n,
                                          sub))
        except _Refused as exc:  # a bomb inside the delivery costs that member only
            self._undo(first, sub)
            budget.left, budget.used = left, used
            self._problem_member(display, member, CodeId.ARCHIVE_REFUSED, reason=str(exc))
        except (*_BROKEN, ValueError) as exc:
            self._undo(first, sub)
            self._problem_member(display, member, CodeId.DAMAGED,
                                 reason=f"archive: {exc}"[:200])
        finally:
            _remove(path)  # the inner archive's bytes were hashed; its members are what count

    def _problem_member(self, display: str, member: Member, code: CodeId,
                        **params: Any) -> None:
        self.out.refs.append(FileRef(member.archive, display, 0, 0,
                                     problem=ProbeNote(code, params), member=member))

    def _place(self, folder: str, parts: tuple[str, ...]) -> str:
        """A path under ``folder`` for the member, made only of folders this module
        created; a name the file system would refuse (too long, not UTF-8) gets a short
        stand-in with the same extension (the manifest keeps the real name)."""
        here = folder
        for p in parts[:-1]:
            here = os.path.join(here, _disk_name(p))
            os.makedirs(here, mode=0o700, exist_ok=True)
        return os.path.join(here, _disk_name(parts[-1]))


def _folder_for(archive: str) -> str:
    """A new folder beside an unpacked inner archive for its members, named after it
    (``fotos.zip`` → ``fotos``), so that watch, which keeps what it unpacks, shows them
    under that name; a name already taken gets a number."""
    parent, name = os.path.split(archive)
    stem = strip_archive_suffix(name) or "archive"
    for i in range(1, 1000):
        candidate = os.path.join(parent, stem if i == 1 else f"{stem} ({i})")
        try:
            os.mkdir(candidate, 0o700)
            return candidate
        except FileExistsError:
            continue
    return tempfile.mkdtemp(prefix="n-", dir=parent)


def strip_archive_suffix(name: str) -> str:
    """``Levering.zip`` → ``Levering``, ``set.tar.gz`` → ``set``; other names unchanged."""
    low = name.lower()
    for suffix in sorted(ARCHIVE_SUFFIXES, key=len, reverse=True):
        if low.endswith(suffix):
            return name[: len(name) - len(suffix)]
    return name


_UNSAFE_DISK = re.compile(r"[\x00-\x1f\x7f]")


def _disk_name(name: str) -> str:
    try:
        ok = len(name.encode("utf-8")) <= 200 and not _UNSAFE_DISK.search(name)
    except UnicodeEncodeError:
        ok = False
    if ok:
        return name
    ext = re.sub(r"[^A-Za-z0-9.]", "", os.path.splitext(name)[1])[:16]
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"member-{digest}{ext}"


def _link_kind(ftype: int) -> str:
    return {stat.S_IFLNK: "symlink", stat.S_IFCHR: "device", stat.S_IFBLK: "device",
            stat.S_IFIFO: "FIFO", stat.S_IFSOCK: "socket"}.get(ftype, "special entry")


def _problem(ref: FileRef, code: CodeId, **params: Any) -> FileRef:
    return FileRef(ref.path, ref.display, ref.size, ref.mtime_ns, problem=ProbeNote(code, params),
                   ctime_ns=ref.ctime_ns, inode=ref.inode)


def _copy(src: IO[bytes], target: str, budget: _Budget) -> int:
    """Copy one member to a new file that nothing else can be at (O_EXCL, O_NOFOLLOW, in a
    folder only this process writes), counting every byte against the budget."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    n = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := src.read(_CHUNK):
                budget.take(len(chunk))
                out.write(chunk)
                n += len(chunk)
    except BaseException:
        _remove(target)
        raise
    return n


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _date_time(mtime: float) -> tuple[int, ...]:
    import time

    try:
        return tuple(time.gmtime(mtime)[:6])
    except (OverflowError, ValueError, OSError):
        return (1980, 1, 1, 0, 0, 0)


def _set_time(path: str, date_time: tuple[int, ...]) -> None:
    """The member's own time, so that reports show when the photo was made, not when the
    scan unpacked it."""
    import calendar

    with contextlib.suppress(OverflowError, ValueError, OSError, TypeError):
        t = calendar.timegm((*date_time[:6], 0, 0, 0))
        os.utime(path, (t, t))


@contextlib.contextmanager
def unpack(refs: list[FileRef], limits: Limits | None = None,
           tmp: str | None = None) -> Iterator[Unpacked]:
    """The walker's ``refs`` with every delivery archive replaced by its members (each a
    ``FileRef`` whose ``member`` says where it came from), unpacked into a private
    temporary folder that is removed when the ``with`` block ends.  The order is kept:
    members follow in their archive's order, after the archive's place."""
    out = Unpacked()
    archives = [(r, k) for r in refs
                if r.problem is None and is_archive_name(r.display)
                and (k := _kind(r.path, r.display)) is not None]
    if not archives:
        out.refs = list(refs)
        yield out
        return
    root = tempfile.mkdtemp(prefix="mediaaudit-unpacked-", dir=tmp)
    try:
        unpacker = _Unpacker(root, limits or Limits(), out)
        kinds = {r.path: k for r, k in archives}
        for r in refs:
            kind = kinds.get(r.path) if r.problem is None else None
            if kind is None:
                out.refs.append(r)
            else:
                unpacker.delivery(r, kind)
        out.refs.sort(key=lambda r: r.display)
        yield out
    finally:
        shutil.rmtree(root, ignore_errors=True)


def member_digests(path: str, display: str) -> dict[str, str | None] | None:
    """The members of the archive at ``path`` as ``scan`` names them (``display/NAME``),
    each with the SHA-256 of its bytes (None for a member that is not unpacked: hostile,
    encrypted, damaged).  None when ``path`` is no delivery archive any more or is refused
    whole.  ``verify`` asks this only for an archive whose own hash has changed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    ref = FileRef(path, display, st.st_size, st.st_mtime_ns)
    with unpack([ref]) as got:
        if not got.opened:
            return None
        return {r.display: (sha256_file(r.path) if r.problem is None else None)
                for r in got.refs}


class Members:
    """The members of delivery archives, each archive unpacked once, for as long as the
    ``with`` block lasts: ``archive`` copies passed members into a bag from here.  The
    same checks as a scan's (``unpack``), so a member is only ever read as the regular
    file it was unpacked to."""

    def __init__(self, tmp: str | None = None) -> None:
        self._stack = contextlib.ExitStack()
        self._tmp = tmp
        self._got: dict[str, dict[tuple[str, ...], str]] = {}

    def __enter__(self) -> Members:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def path(self, archive: str, names: tuple[str, ...]) -> str | None:
        """Where the member ``names`` of the archive at ``archive`` was unpacked, or None
        when the archive (no longer) holds such a member that could be unpacked."""
        if archive not in self._got:
            try:
                st = os.stat(archive)
            except OSError:
                self._got[archive] = {}
                return None
            ref = FileRef(archive, os.path.basename(archive), st.st_size, st.st_mtime_ns)
            got = self._stack.enter_context(unpack([ref], tmp=self._tmp))
            self._got[archive] = {r.member.names: r.path for r in got.refs
                                  if r.member is not None and r.problem is None}
        return self._got[archive].get(names)
