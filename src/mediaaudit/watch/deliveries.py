"""A delivery archive dropped into watch's drop folder: its members become files of the
drop folder, and the archive is kept.

A photographer's ZIP is unpacked (``containers.unpack``, with every check ``scan`` makes:
unsafe names, links, encryption, bombs) into a hidden folder of the drop folder, which the
walker never enters; the archive is then moved to ``deliveries/`` in the results folder,
and last the unpacked folder is renamed into the drop folder under the archive's name
(``Levering Pieter Bakker fotografie.zip`` → ``Levering Pieter Bakker fotografie/``).
From there every member is an ordinary upload: settled, audited, routed with its own
report, its sidecars beside it.  Members that were not unpacked (hostile, encrypted,
damaged) are logged and listed in ``deliveries/NAME.json`` beside the kept archive.

Crash safety, in that order: a kill before the archive is moved leaves the archive in the
drop folder (unpacked again at the next start; the hidden folder is removed as an orphan);
a kill after the move and before the rename leaves the archive in ``deliveries/`` without
its record, and ``pending`` finds it there to be unpacked again; the record is written last.
An archive refused whole (a bomb, a damaged archive) is not moved: the caller audits it as
the file it is, with the refusal as its finding, and routes it to the rejected folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from mediaaudit import codes
from mediaaudit.containers import Unpacked, is_archive_name, strip_archive_suffix, unpack
from mediaaudit.fsnames import fit
from mediaaudit.model import FileRef, ProbeNote
from mediaaudit.watch.route import move, unique_target

STORE = "deliveries"
HIDDEN = ".mediaaudit-unpack"  # inside the drop folder: same file system, never walked


@dataclass(frozen=True)
class Delivered:
    """An archive whose members are now files of the drop folder."""

    kept: str  # where the archive is kept
    folder: str  # the drop folder's new subfolder with the members
    members: int
    refused: tuple[tuple[str, ProbeNote], ...]  # members not unpacked, and why


@dataclass(frozen=True)
class Refused:
    """An archive refused whole: audit ``ref`` (it carries the finding) as a file."""

    ref: FileRef


def store(manifest_dir: str) -> str:
    return os.path.join(manifest_dir, STORE)


def is_delivery(ref: FileRef) -> bool:
    return ref.problem is None and is_archive_name(os.path.basename(ref.path))


def deliver(ref: FileRef, drop: str, manifest_dir: str) -> Delivered | Refused | None:
    """Unpack the archive ``ref`` of the drop folder into it, keep the archive.  None when
    the file is not an archive after all (audited as the file it is)."""
    return _deliver(ref, ref.path, drop, lambda sha: move(
        ref.path, store(manifest_dir), os.path.basename(ref.path), sha))


def _deliver(ref: FileRef, beside: str, drop: str, keep: Callable[[str], str]
             ) -> Delivered | Refused | None:
    """Unpack ``ref`` into a hidden folder of ``drop``, ``keep`` the archive (given its
    SHA-256; returns where it is kept), then place the members beside ``beside``."""
    with _hidden(drop) as hidden, unpack([ref], tmp=hidden) as got:
        outer = next((o for o in got.opened if o.display == ref.display), None)
        if outer is None:
            problem = next((r for r in got.refs if r.problem is not None and r.member is None),
                           None)
            return Refused(problem) if problem is not None else None
        kept = keep(outer.sha256)
        return _place(got, outer.folder, ref.display, beside, kept, drop, outer.members)


@contextlib.contextmanager
def _hidden(drop: str) -> Iterator[str]:
    """The hidden folder an archive is unpacked in, removed again when it is empty."""
    hidden = os.path.join(drop, HIDDEN)
    os.makedirs(hidden, mode=0o700, exist_ok=True)
    try:
        yield hidden
    finally:
        with contextlib.suppress(OSError):
            os.rmdir(hidden)


def _place(got: Unpacked, folder: str, display: str, beside: str, kept: str, drop: str,
           members: int) -> Delivered:
    """Rename the unpacked folder into the drop folder (beside where the archive lay) and
    write the record beside the kept archive: the last step, which marks it done."""
    where = os.path.dirname(beside)
    target = unique_target(where, fit(strip_archive_suffix(os.path.basename(beside))))
    os.rename(folder, target)
    refused = tuple((r.display, r.problem) for r in got.refs if r.problem is not None)
    record = {"archive": display, "kept": os.path.relpath(kept, os.path.dirname(kept)),
              "unpacked_to": os.path.relpath(target, drop), "members": members,
              "not_unpacked": [{"path": d, "code": n.code,
                                "message": codes.render(n.code, n.params, "en")}
                               for d, n in refused]}
    with open(kept + ".json", "w", encoding="utf-8") as fh:
        json.dump(record, fh, ensure_ascii=False, indent=1)
    return Delivered(kept, target, members, refused)


def pending(manifest_dir: str) -> Iterator[str]:
    """Kept archives without their record: moved, but killed before their members were
    in the drop folder.  Unpack them again (``redeliver``)."""
    folder = store(manifest_dir)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    for name in names:
        path = os.path.join(folder, name)
        if is_archive_name(name) and not os.path.exists(path + ".json"):
            yield path


def redeliver(kept: str, drop: str) -> Delivered | None:
    """``deliver`` for an archive already kept (see ``pending``): its members go to the
    top of the drop folder."""
    st = os.stat(kept)
    ref = FileRef(kept, os.path.basename(kept), st.st_size, st.st_mtime_ns)
    got = _deliver(ref, os.path.join(drop, ref.display), drop, lambda _sha: kept)
    return got if isinstance(got, Delivered) else None


def clean(drop: str) -> None:
    """Remove what an unpack killed half way left in the hidden folder."""
    shutil.rmtree(os.path.join(drop, HIDDEN), ignore_errors=True)
