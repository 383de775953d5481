"""``mediaaudit fix``: NVF-conforming derivatives of files rejected on format.

Audits the originals with the profile and policy a ``scan`` would use, lets
``fix.plan`` decide what a conversion can repair, converts each fixable file in a
supervised child (``fix.run``), places the derivative and its sidecars under ``--out``
without overwriting anything, audits every derivative again and writes the fix
manifest.  Originals are opened for reading only.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import uuid
from dataclasses import dataclass
from typing import Any

import click

from mediaaudit import manifest
from mediaaudit.cache import default_path as default_cache_path
from mediaaudit.cli.common import LANG_OPTION, PROFILE_OPTION, default_lang, fail, text
from mediaaudit.config import load_policy
from mediaaudit.digest import sha256_file
from mediaaudit.engines import engines_cached
from mediaaudit.exitcode import FAILED, OK
from mediaaudit.fix import provenance
from mediaaudit.fix.plan import (
    BOMB_PIXELS,
    EXTENSIONS,
    FIX_PIXELS,
    IMAGE_FORMATS,
    Action,
    Options,
    Plan,
    plan,
    video_copy,
)
from mediaaudit.fix.run import Done, Job, cleanup, run
from mediaaudit.model import FileRef, FileResult
from mediaaudit.policy import Policy, PolicyError
from mediaaudit.probe.identify import LibmagicMissing, check_libmagic
from mediaaudit.profile import Profile, ProfileError, load_profile
from mediaaudit.scan import DEFAULT_TIMEOUT, audit, default_jobs
from mediaaudit.sidecars import Sidecar, SidecarKind, sidecars_of
from mediaaudit.walk import walk
from mediaaudit.writers.atomic import OutputUnwritable

FIX_TIMEOUT = 300.0
HELP = ("Exit status: 0 = every derivative passes the audit; 1 = some file could not be "
        "fixed or a derivative still fails; 2 = usage, config, profile or output error.")


class Unsafe(Exception):
    """A target that would land outside --out or on top of an existing file."""


@dataclass(frozen=True)
class Original:
    """A file to consider: its walk entry, its path relative to the root it was found
    under (kept under --out), and its audit."""

    ref: FileRef
    rel: str
    result: FileResult


@click.command(epilog=HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", required=True, metavar="DIR",
              help="Folder for the derivatives (same relative paths, new extension).")
@click.option("--master", is_flag=True,
              help="Archival masters in preferred formats: TIFF for images, Matroska with "
              "FFV1 + FLAC for video.")
@click.option("--strip-location", is_flag=True,
              help="Also remove GPS positions, device serial numbers and owner names "
              "(MA-PRV-*), in a copy when the format is already fine.")
@click.option("--dry-run", is_flag=True, help="Say what would be done; write nothing.")
@click.option("--image-format", type=click.Choice(IMAGE_FORMATS), default=None,
              help="Override the rule (photographs → JPEG, graphics, transparency and "
              "lossless sources → PNG).")
@click.option("--manifest", "manifest_path", metavar="FILE", default=None,
              help="Fix manifest (JSON). Default: DIR/mediaaudit-fix-<time>.json.")
@PROFILE_OPTION
@click.option("--config", metavar="FILE",
              help="Policy file (default: mediaaudit.toml beside the originals or above).")
@LANG_OPTION
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for the audits (default: CPU count).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=FIX_TIMEOUT,
              show_default=True, metavar="SECONDS",
              help="Time limit per file for a conversion (audits: the scan default).")
@click.option("--max-pixels", type=click.IntRange(min=1, max=BOMB_PIXELS),
              default=FIX_PIXELS, show_default=True, metavar="N",
              help="Convert no image larger than N pixels (width x height); a larger one "
              "is not fixed (MA-IO-007). Decoding takes up to ~16 bytes per pixel, so this "
              "bounds the memory (~1.4 GB at the default, Pillow's bomb warning level); "
              "at most scan's decompression-bomb limit.")
@click.option("--quiet", "-q", is_flag=True, help="Only the lines about files not fixed.")
def fix(paths: tuple[str, ...], out_dir: str, master: bool, strip_location: bool,
        dry_run: bool, image_format: str | None, manifest_path: str | None,
        profile_spec: str, config: str | None, lang: str | None, jobs: int | None,
        timeout: float, max_pixels: int, quiet: bool) -> None:
    """Make NVF-conforming derivatives of the files in PATHS that fail on format.

    Only what a conversion can fix is fixed: the format gate (MA-FMT-001/003) and, with
    --strip-location, location, serial numbers and owner names (MA-PRV-*).  Files that
    fail on rights, damage or anything else are reported as 'cannot be fixed by
    conversion', with the reason.  Licence, holder, credit, alt text and captions are
    carried over; every derivative is audited again; the fix manifest records where
    each came from.  Originals are never changed.
    """
    lang = lang or default_lang()
    opts = Options(master=master, strip_location=strip_location, image_format=image_format,
                   max_pixels=max_pixels)
    for p in paths:
        if not os.path.lexists(p):
            fail(text("no_path", lang, path=p))
    clash = _overlapping(paths, out_dir)
    if clash is not None:
        fail(text("fix_out_overlap", lang, out=out_dir, path=clash))
    started = manifest.now_utc()
    real_out = _prepare_out(out_dir, dry_run)
    try:
        check_libmagic()
        profile = load_profile(profile_spec)
        policy = load_policy(config, list(paths))
    except LibmagicMissing as exc:
        fail(text("libmagic", lang, err=exc))
    except (ProfileError, PolicyError) as exc:
        fail(str(exc))
    engines_file = os.path.join(os.path.dirname(os.path.abspath(default_cache_path())),
                                "engines.json")
    engines = engines_cached(profile.source, engines_file)
    workers = jobs or default_jobs()
    originals = _originals(paths, real_out, profile, policy, workers)
    plans = [(o, plan(o.result, opts, lang)) for o in originals]
    if dry_run:
        sys.exit(_dry_run(plans, out_dir))
    derivatives: list[dict[str, Any]] = []
    not_fixed: list[dict[str, Any]] = []
    unchanged: list[dict[str, Any]] = []
    placed: list[tuple[Original, Plan, Done, str, str, list[str]]] = []
    for o, pl in plans:
        if pl.action is Action.NOTHING:
            unchanged.append({"path": o.ref.display, "reason": pl.reason})
            continue
        if pl.action is Action.REFUSE:
            _not_fixed(not_fixed, o, pl.reason or "", pl.blocking)
            continue
        try:
            done, final, display, sides = _convert(o, pl, opts, real_out, out_dir, timeout)
        except Unsafe as exc:
            _not_fixed(not_fixed, o, str(exc), ())
            continue
        if not done.ok:
            _not_fixed(not_fixed, o, done.error or "conversion failed", ())
            continue
        placed.append((o, pl, done, final, display, sides))
    audits = _reaudit([(final, display) for *_, final, display, _ in placed], profile, policy,
                      workers)
    for (o, pl, done, _final, display, sides), res in zip(placed, audits, strict=True):
        entry = manifest.file_entry(res, lang)
        derivatives.append(provenance.derivative_entry(
            {"path": o.ref.display, "sha256": o.result.facts.sha256, "size": o.ref.size,
             "outcome": o.result.outcome.value,
             "findings": [f.code for f in o.result.findings]},
            {"path": display, "sha256": res.facts.sha256, "size": res.facts.ref.size},
            {"action": pl.action.value, "conversion": done.settings,
             "metadata": done.metadata, "strip_location": strip_location},
            sides, entry, provenance.content_credentials(o.result)))
        if not quiet:
            click.echo(f"{o.ref.display} → {display}: {res.outcome.value}", err=True)
    head = manifest.header([os.path.normpath(p) for p in paths], profile, policy, engines, lang)
    doc = provenance.document(head, os.path.normpath(out_dir),
                              {"master": master, "strip_location": strip_location,
                               "image_format": image_format, "max_pixels": max_pixels},
                              derivatives, not_fixed, unchanged)
    try:
        if manifest_path:
            target = manifest_path
            provenance.write(target, doc)
        else:
            target = provenance.write_record(out_dir, started, doc)
    except OutputUnwritable as exc:
        fail(str(exc))
    s = doc["summary"]
    if not quiet:
        files = "file" if s["originals"] == 1 else "files"
        click.echo(f"{s['originals']} {files}: {s['derivatives']} derivatives "
                   f"({s['derivatives_pass']} pass), {s['not_fixed']} not fixed, "
                   f"{s['unchanged']} unchanged; manifest: {target}", err=True)
    ok = not not_fixed and s["derivatives_pass"] == s["derivatives"]
    sys.exit(OK if ok else FAILED)


def _within(path: str, folder: str) -> bool:
    """Is the real path ``path`` the real path ``folder`` or below it?"""
    return os.path.commonpath([path, folder]) == folder


def _overlapping(paths: tuple[str, ...], out_dir: str) -> str | None:
    """The first source that --out equals, lies in or contains, by real path (so a
    symlink on the way counts), else None.  Derivatives written among the originals
    would be walked as originals; and the walk leaves out everything under --out, so
    with --out equal to the source a run found '0 files' and passed (issue 26)."""
    real_out = os.path.realpath(out_dir)
    for p in paths:
        real = os.path.realpath(p)
        if _within(real_out, real) or _within(real, real_out):
            return p
    return None


def _prepare_out(out_dir: str, dry_run: bool) -> str:
    """The real path of --out, created if needed; a symlink or a file there is refused
    (a link could send the derivatives anywhere)."""
    if os.path.islink(out_dir):
        fail(f"--out must not be a symlink: {out_dir}")
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        fail(f"--out is not a folder: {out_dir}")
    if not dry_run:
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as exc:
            fail(f"cannot create {out_dir}: {exc.strerror}")
    return os.path.realpath(out_dir)


def _originals(paths: tuple[str, ...], real_out: str, profile: Profile, policy: Policy,
               jobs: int) -> list[Original]:
    """Every file under PATHS (not under --out), with its path relative to its root."""
    found: dict[str, tuple[FileRef, str]] = {}
    for p in paths:
        refs, _ = walk([p])
        is_dir = os.path.isdir(p)
        for r in refs:
            if _within(os.path.realpath(r.path), real_out):  # a link into --out
                continue
            rel = os.path.relpath(r.path, p) if is_dir else os.path.basename(r.path)
            found.setdefault(r.display, (r, rel))
    items = sorted(found.values(), key=lambda x: x[0].display)
    refs = [r for r, _ in items]
    results = audit(refs, profile, policy, jobs)
    return [Original(r, rel, res) for (r, rel), res in zip(items, results, strict=True)]


def _not_fixed(into: list[dict[str, Any]], o: Original, reason: str,
               blocking: tuple[str, ...]) -> None:
    into.append({"path": o.ref.display, "sha256": o.result.facts.sha256,
                 "outcome": o.result.outcome.value, "reason": reason,
                 "blocking": list(blocking)})
    click.echo(f"mediaaudit: {o.ref.display}: cannot be fixed by conversion: {reason}",
               err=True)


def _target_dir(real_out: str, rel_dir: str, create: bool) -> str:
    """The folder under --out for a relative folder; never leaves --out: '..' and
    absolute parts are refused, and so is any existing component that is a symlink."""
    parts = [c for c in rel_dir.split(os.sep) if c not in ("", ".")]
    if os.path.isabs(rel_dir) or ".." in parts:
        raise Unsafe(f"refusing a path outside --out: {rel_dir}")
    cur = real_out
    for part in parts:
        cur = os.path.join(cur, part)
        if os.path.islink(cur):
            raise Unsafe(f"refusing to write through a symlink: {cur}")
        if create and not os.path.isdir(cur):
            os.mkdir(cur)
    return cur


def _place(tmp: str, final: str) -> None:
    """Give the finished temporary file its name without ever replacing a file: a hard
    link fails on an existing name (no race); where links are not supported, a checked
    rename."""
    try:
        os.link(tmp, final)
    except FileExistsError as exc:
        raise Unsafe(f"{final} exists; not overwritten") from exc
    except OSError:
        if os.path.lexists(final):
            raise Unsafe(f"{final} exists; not overwritten") from None
        os.rename(tmp, final)
        return
    os.unlink(tmp)


def _convert(o: Original, pl: Plan, opts: Options, real_out: str, out_dir: str,
             timeout: float) -> tuple[Done, str, str, list[str]]:
    """Run the job, place the derivative and its sidecars; (done, path, display, sidecars).

    All or nothing: the sidecars are read before anything is placed, and when one of
    them cannot be written the derivative and the sidecars already written are removed
    again (``Unsafe`` with the reason)."""
    rel_dir, name = os.path.split(o.rel)
    try:
        folder = _target_dir(real_out, rel_dir, create=True)
    except OSError as exc:
        raise Unsafe(f"cannot create the folder under --out: {exc.strerror or exc}") from exc
    prefix = os.path.join(folder, f".mediaaudit-fix-{uuid.uuid4().hex}")
    stem = os.path.splitext(name)[0]
    if pl.target is not None and os.path.lexists(os.path.join(folder, stem + EXTENSIONS[
            pl.target])):
        raise Unsafe(f"{os.path.join(out_dir, rel_dir, stem + EXTENSIONS[pl.target])} "
                     "exists; not overwritten")
    cv, ca = video_copy(o.result, pl.target or "")
    job = Job(o.ref.path, prefix, pl.action, pl.target, opts, cv, ca)
    done = run(job, timeout)
    if not done.ok or done.tmp is None or done.target is None:
        return done, "", "", []
    new_name = stem + EXTENSIONS[done.target]
    final = os.path.join(folder, new_name)
    try:
        _unchanged(o)
        copies = _sidecar_copies(o, name, new_name, opts)
        embedded = done.tmp + ".xmp"
        if os.path.exists(embedded) and not any(c.kind is SidecarKind.XMP for c in copies):
            extra: str | None = embedded
        else:
            extra = None
        for target in [new_name, *(c.name for c in copies)] + (
                [new_name + ".xmp"] if extra else []):
            if os.path.lexists(os.path.join(folder, target)):
                raise Unsafe(f"{os.path.join(out_dir, rel_dir, target)} exists; "
                             "not overwritten")
        sides = _put(done.tmp, final, folder, copies, extra)
    except Unsafe:
        cleanup(prefix)
        raise
    cleanup(prefix)
    return done, final, os.path.join(os.path.normpath(out_dir), rel_dir, new_name), sides


def _unchanged(o: Original) -> None:
    """``Unsafe`` when the original is no longer the file that was audited."""
    if not o.result.facts.sha256:
        return
    try:
        now = sha256_file(o.ref.path)
    except OSError as exc:
        raise Unsafe(f"the original cannot be read again: {exc.strerror or exc}") from exc
    if now != o.result.facts.sha256:
        raise Unsafe("the original changed during the fix; derivative discarded")


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
    ``Unsafe``: the derivative would lack evidence the original has."""
    from mediaaudit.fix.metadata import clean_xmp

    copies: list[_Copy] = []
    for side in sidecars_of(o.ref.path):
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
            raise Unsafe(f"sidecar {side.name} is a symlink; not copied")
        if not stat.S_ISREG(mode):
            raise Unsafe(f"sidecar {side.name} is not a regular file; not copied")
        fd = os.open(side.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise Unsafe(f"sidecar {side.name} is not a regular file; not copied")
            return f.read()
    except OSError as exc:
        raise Unsafe(f"sidecar {side.name} cannot be read: {exc.strerror or exc}") from exc


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
        raise Unsafe(f"cannot write {os.path.basename(current)} under --out: "
                     f"{exc.strerror or exc}; nothing kept") from exc
    return [os.path.basename(p) for p in placed[1:]]


def _write_new(path: str, data: bytes) -> None:
    """Write a new file; never replaces one (``Unsafe``), and a failed write leaves
    nothing behind (``OSError``)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o666)
    except FileExistsError as exc:
        raise Unsafe(f"{path} exists; not overwritten") from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _reaudit(items: list[tuple[str, str]], profile: Profile, policy: Policy,
             jobs: int) -> list[FileResult]:
    """The derivatives' audits, with the same profile and policy as the originals."""
    refs = []
    for path, display in items:
        st = os.stat(path)
        refs.append(FileRef(path, display, st.st_size, st.st_mtime_ns, ctime_ns=st.st_ctime_ns,
                            inode=st.st_ino))
    return list(audit(refs, profile, policy, jobs, timeout=DEFAULT_TIMEOUT))


def _dry_run(plans: list[tuple[Original, Plan]], out_dir: str) -> int:
    """One line per original on stdout; 1 when some file could not be fixed."""
    refused = False
    for o, pl in plans:
        if pl.action is Action.REFUSE:
            refused = True
            click.echo(f"{o.ref.display}: cannot be fixed by conversion: {pl.reason}")
        elif pl.action is Action.NOTHING:
            click.echo(f"{o.ref.display}: {pl.reason}")
        else:
            stem = os.path.splitext(o.rel)[0]
            ext = EXTENSIONS[pl.target] if pl.target else ".jpg|.png"
            click.echo(f"{o.ref.display}: {pl.action.value} → "
                       f"{os.path.join(os.path.normpath(out_dir), stem + ext)}")
    return FAILED if refused else OK
