"""``watch --fix``: a file rejected only on format or location gets a derivative.

An officer who drops iPhone photos into the share should get postable JPEGs back
without a command line (issue 21).  The conversion is ``fix``'s own (``fix.place``:
the same plan, converter child, metadata carry and all-or-nothing placement), written
into a staging folder of the watcher (``<state folder>/fix/<row id>/<relative folder>``,
outside the drop folder's listing), audited there and then routed like any dropped
file: to the approved folder with its report (or to rejected, should it still fail).
The original is routed as before, to the rejected folder with its own report: it is
kept, never changed, and its report says why it was rejected.

Only a file whose every failing finding a conversion removes qualifies (format:
MA-FMT-001/003 and the extension and fast-start remarks; location, serial numbers and
owner names: MA-PRV-*, always removed here).  A file that also fails on rights,
portrait rights or damage is left to a person: converting it would only give a
second rejected file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from dataclasses import dataclass

from mediaaudit.faults import injected
from mediaaudit.fix.place import Original, Placed, Unsafe, convert
from mediaaudit.fix.plan import FORMAT_CODES, PRIVACY_CODES, Action, Options, Plan, plan
from mediaaudit.fix.run import Done
from mediaaudit.fix.texts import Why
from mediaaudit.model import FileRef, FileResult, Outcome, Severity

STAGING = "fix"
OPTIONS = Options(strip_location=True)
_CONVERTS = (Action.CONVERT_IMAGE, Action.CONVERT_VIDEO, Action.STRIP_ONLY)


def kill_point(point: str, path: str, staging: str) -> None:
    """Test seam: MEDIAAUDIT_TEST_FIX_KILL="converted:GLOB,recorded:GLOB,routed:GLOB"
    makes the watcher SIGKILL itself at that step of fixing a matching original, once
    (a marker in the staging root remembers it), so a restart after a kill at each step
    can be tested end to end.  Unset in normal use."""
    if point not in injected("MEDIAAUDIT_TEST_FIX_KILL", path):
        return
    marker = os.path.join(staging, f"killed-{point}-{os.path.basename(path)}")
    if os.path.exists(marker):
        return
    os.makedirs(staging, exist_ok=True)
    with open(marker, "w"):
        pass
    os.kill(os.getpid(), signal.SIGKILL)


def staging_root(state_path: str) -> str:
    """Where derivatives are made: beside the state database, which the watcher never
    lists as dropped files."""
    return os.path.join(os.path.dirname(os.path.abspath(state_path)), STAGING)


def eligible(result: FileResult, lang: str = "en") -> Plan | None:
    """The plan for a file rejected only on what a conversion fixes, else None."""
    errors = {f.code for f in result.findings if f.severity is Severity.ERROR}
    if result.outcome is not Outcome.FAIL or not errors or not errors <= (
            FORMAT_CODES | PRIVACY_CODES):
        return None
    pl = plan(result, OPTIONS, lang)
    return pl if pl.action in _CONVERTS else None


@dataclass(frozen=True)
class Made:
    """A derivative in its staging folder; ``rel`` is the name it is logged under (the
    original's relative folder and the new name)."""

    placed: Placed
    rel: str


def make(row_id: int, path: str, rel: str, result: FileResult, pl: Plan, root: str,
         timeout: float, lang: str) -> Made | Done:
    """Convert the original of row ``row_id`` into a fresh staging folder; ``Unsafe``
    or a failed ``Done`` when it could not.  Whatever an earlier, killed attempt left
    in that folder is removed first."""
    _real_folder(root)
    staging = os.path.join(root, str(row_id))
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    st = os.lstat(path)
    ref = FileRef(path, rel, st.st_size, st.st_mtime_ns)
    got = convert(Original(ref, rel, result), pl, OPTIONS, staging, "", timeout, lang)
    if isinstance(got, Done):
        shutil.rmtree(staging, ignore_errors=True)
        return got
    return Made(got, os.path.normpath(got.display))


def _linked(root: str) -> str | None:
    """The staging root or the folder above it when it is a symlink, else None.  Neither
    may be one: the drop folder's ``.mediaaudit`` is writable by whoever may drop files,
    and a planted link would make the clearing of a staging folder (``rmtree``) act
    somewhere else."""
    return next((p for p in (os.path.dirname(root), root) if os.path.islink(p)), None)


def _real_folder(root: str) -> None:
    linked = _linked(root)
    if linked is not None:
        raise Unsafe(Why("through_symlink", {"path": linked}))
    os.makedirs(root, exist_ok=True)


def dest_dir(path: str, root: str) -> str | None:
    """The relative folder a staged derivative is routed to (its original's), or None
    when ``path`` is not a staged derivative."""
    rel = os.path.relpath(path, root)
    parts = rel.split(os.sep)
    if rel.startswith("..") or len(parts) < 2 or not parts[0].isdigit():
        return None
    return os.path.join(*parts[1:-1]) if len(parts) > 2 else ""


def staged_row(path: str, root: str) -> int | None:
    """The original's row id of a staged derivative, else None."""
    if dest_dir(path, root) is None:
        return None
    return int(os.path.relpath(path, root).split(os.sep, 1)[0])


def clean(root: str, keep: set[int]) -> None:
    """Remove the staging folders of rows that are not pending any more (emptied by
    their routing) or never became a row (a conversion killed with the watcher)."""
    if _linked(root) is not None:
        return
    with contextlib.suppress(OSError):
        for name in os.listdir(root):
            if name.isdigit() and int(name) not in keep:
                shutil.rmtree(os.path.join(root, name), ignore_errors=True)


def done_with(root: str, row_id: int) -> None:
    """Remove the (now empty) staging folder of row ``row_id``."""
    if _linked(root) is not None:
        return
    shutil.rmtree(os.path.join(root, str(row_id)), ignore_errors=True)
