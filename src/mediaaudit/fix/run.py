"""Do one conversion in a child process with a time limit.

Decoders and exiv2 parse untrusted bytes in native code: as in ``scan``, a file that
hangs or crashes one costs that file, never the run.  The child writes only the
temporary name it is given (inside ``--out``); on any failure, a kill included, the
parent removes whatever starts with that name, so no partial output is left.
"""

from __future__ import annotations

import contextlib
import glob
import multiprocessing
import os
import signal
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from mediaaudit.fix.plan import EXTENSIONS, Action, Options
from mediaaudit.fix.texts import Why, plain
from mediaaudit.pool import start_method


@dataclass(frozen=True)
class Job:
    """One conversion: the original, the temporary name prefix in the target folder
    (the child appends the extension) and how."""

    src: str
    tmp_prefix: str
    action: Action
    target: str | None
    opts: Options
    copy_video: bool = False
    copy_audio: bool = False
    carry: dict[str, Any] = field(default_factory=dict)  # XMP the audit found outside
    lang: str = "en"


@dataclass(frozen=True)
class Done:
    """What the child did, or why it could not: ``error`` in English (the fix record),
    ``why`` in either language (the console)."""

    ok: bool
    tmp: str | None = None
    target: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    why: Why | None = None


def failed(why: Why) -> Done:
    return Done(False, error=why.render("en"), why=why)


def _image(job: Job) -> Done:
    from mediaaudit.fix import image, metadata

    tmp = job.tmp_prefix + ".img"
    settings, blocks = image.convert_image(job.src, tmp, job.opts, job.lang)
    target = settings["format"]
    final = job.tmp_prefix + EXTENSIONS[target]
    os.replace(tmp, final)
    meta = metadata.copy_image(job.src, final, job.opts.strip_location,
                               tuple(settings["size"]), blocks, job.carry)
    return Done(True, final, target, settings, meta)


def _strip(job: Job) -> Done:
    import shutil

    from mediaaudit.fix import metadata

    assert job.target is not None
    final = job.tmp_prefix + EXTENSIONS[job.target]
    if job.target in ("mp4", "mkv"):
        return _video(job, copy_all=True)
    shutil.copyfile(job.src, final)
    return Done(True, final, job.target, {"re_encoded": False},
                metadata.strip_image(final, job.carry))


def _video(job: Job, copy_all: bool = False) -> Done:
    import av

    from mediaaudit.fix import metadata, video

    assert job.target is not None
    final = job.tmp_prefix + EXTENSIONS[job.target]
    with av.open(job.src, metadata_errors="ignore") as inp:
        original_tags = dict(inp.metadata)
    tags, removed = metadata.container_tags(original_tags, job.opts.strip_location, job.target)
    settings = video.convert_video(job.src, final, job.target, copy_all or job.copy_video,
                                   copy_all or job.copy_audio, tags)
    meta: dict[str, Any] = {"container_tags": sorted(tags), "removed": removed}
    packet = metadata.video_xmp(job.src)
    if packet is not None or job.carry:
        cleaned, gone = metadata.clean_xmp(packet or b"", job.opts.strip_location, job.carry)
        meta["removed"] = sorted(removed + gone)
        if not cleaned:
            meta["xmp"] = "nothing left after removing location"
        elif job.target == "mp4":
            metadata.append_xmp_box(final, cleaned)
            meta["xmp"] = "uuid box"
        else:
            with open(final + ".xmp", "wb") as f:
                f.write(cleaned)
            meta["xmp"] = "sidecar"
    return Done(True, final, job.target, settings, meta)


def execute(job: Job) -> Done:
    """Run the job here (in the child); every failure becomes a one-line reason."""
    from mediaaudit.fix.image import ImageUnfixable
    from mediaaudit.fix.video import VideoUnfixable

    try:
        if job.action is Action.CONVERT_IMAGE:
            return _image(job)
        if job.action is Action.CONVERT_VIDEO:
            return _video(job)
        return _strip(job)
    except (ImageUnfixable, VideoUnfixable) as exc:
        return Done(False, error=str(exc), why=exc.why or plain(str(exc)))
    except Exception as exc:  # a hostile file must cost one line, not the run
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" ({os.path.basename(last[0].filename)}:{last[0].lineno})" if last else ""
        return failed(Why("internal", {"why": f"{type(exc).__name__}: {exc}{where}"[:300]}))


def _child(conn: Connection, job: Job) -> None:
    try:
        conn.send(execute(job))
    finally:
        conn.close()


def cleanup(prefix: str) -> None:
    """Remove every temporary file a job left (its prefix is unique to it)."""
    for path in glob.glob(glob.escape(prefix) + "*"):
        with contextlib.suppress(OSError):
            os.unlink(path)


def run(job: Job, timeout: float) -> Done:
    """``execute`` in a child process; killed after ``timeout`` seconds."""
    ctx: Any = multiprocessing.get_context(start_method())  # typeshed: BaseContext
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, job), daemon=True)
    proc.start()
    child.close()
    done: Done | None = None
    timed_out = False
    unreadable: str | None = None
    try:
        if parent.poll(timeout):  # a result, or the pipe closed because the child ended
            try:
                done = parent.recv()
            except EOFError:
                pass
            except Exception as exc:  # a result the parent cannot unpickle
                unreadable = f"{type(exc).__name__}: {exc}"[:200]
            proc.join(5.0)  # let an ending child finish, so its real exit status is seen
        else:
            timed_out = True
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    if done is None:
        cleanup(job.tmp_prefix)
        if unreadable is not None:
            return failed(Why("unreadable_result", {"why": unreadable}))
        return failed(no_result_why(proc.exitcode, timed_out, timeout))
    if not done.ok:
        cleanup(job.tmp_prefix)
    return done


def no_result(exitcode: int | None, timed_out: bool, timeout: float) -> str:
    """``no_result_why`` in English."""
    return no_result_why(exitcode, timed_out, timeout).render("en")


def no_result_why(exitcode: int | None, timed_out: bool, timeout: float) -> Why:
    """Why a converter gave no result, in plain words: only a child the parent itself
    stopped at the time limit 'took longer'; one that ended by itself is reported by
    its exit code or the signal that ended it (a crash, or the kernel's OOM killer)."""
    if timed_out:
        return Why("timeout", {"seconds": f"{timeout:g}"})
    if exitcode is None:
        return Why("no_result")
    if exitcode < 0:
        try:
            name = f"{signal.Signals(-exitcode).name}, signal {-exitcode}"
        except ValueError:
            name = f"signal {-exitcode}"
        if -exitcode == getattr(signal, "SIGKILL", 9):
            return Why("killed", {"signal": name})
        return Why("crashed", {"signal": name})
    if exitcode == 0:
        return Why("ended")
    return Why("exit_code", {"code": exitcode})
