"""``mediaaudit fix``: NVF-conforming derivatives of files rejected on format.

Only parses, calls and prints: the run itself (audit the originals, plan, convert and
place, audit the derivatives) is ``fix.session``, the path ``watch --fix`` shares; the
words are ``fix.texts``.  Originals are opened for reading only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import click

from mediaaudit import manifest
from mediaaudit.cache import default_path as default_cache_path
from mediaaudit.cli.common import LANG_OPTION, PROFILE_OPTION, default_lang, fail, text
from mediaaudit.cli.help import HelpCommand
from mediaaudit.cli.setup import setup_or_fail
from mediaaudit.exitcode import FAILED, OK
from mediaaudit.fix import provenance, session
from mediaaudit.fix.place import Original
from mediaaudit.fix.plan import (
    BOMB_PIXELS,
    EXTENSIONS,
    FIX_PIXELS,
    IMAGE_FORMATS,
    Action,
    Options,
    Plan,
    plan,
)
from mediaaudit.fix.texts import Why, say
from mediaaudit.fix.texts import summary as summary_line
from mediaaudit.fsnames import within
from mediaaudit.scan import default_jobs
from mediaaudit.writers.atomic import OutputUnwritable

FIX_TIMEOUT = 300.0
OUT_TEXT = {
    "symlink": {"nl": "--out mag geen symbolische koppeling zijn: {out}",
                "en": "--out must not be a symlink: {out}"},
    "not_dir": {"nl": "--out is geen map: {out}", "en": "--out is not a folder: {out}"},
    "create": {"nl": "kan {out} niet maken: {why}", "en": "cannot create {out}: {why}"},
}


@click.command(cls=HelpCommand)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", required=True, metavar="DIR")
@click.option("--master", is_flag=True)
@click.option("--strip-location", is_flag=True)
@click.option("--dry-run", is_flag=True)
@click.option("--image-format", type=click.Choice(IMAGE_FORMATS), default=None)
@click.option("--manifest", "manifest_path", metavar="FILE", default=None)
@PROFILE_OPTION
@click.option("--config", metavar="FILE")
@LANG_OPTION
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=FIX_TIMEOUT,
              show_default=True, metavar="SECONDS")
@click.option("--max-pixels", type=click.IntRange(min=1, max=BOMB_PIXELS),
              default=FIX_PIXELS, show_default=True, metavar="N")
@click.option("--quiet", "-q", is_flag=True)
def fix(paths: tuple[str, ...], out_dir: str, master: bool, strip_location: bool,
        dry_run: bool, image_format: str | None, manifest_path: str | None,
        profile_spec: str, config: str | None, lang: str | None, jobs: int | None,
        timeout: float, max_pixels: int, quiet: bool) -> None:
    """NVF-conforming derivatives of what fails on format (help: ``cli.help``)."""
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
    real_out = _prepare_out(out_dir, dry_run, lang)
    setup = setup_or_fail(lang, profile_spec, config, paths,
                          engines_beside=default_cache_path())
    profile, policy = setup.profile, setup.policy
    workers = jobs or default_jobs()
    with ExitStack() as keep:  # delivery archives stay unpacked until the run ends
        found = session.originals(paths, real_out, profile, policy, workers, keep)
        if dry_run:
            sys.exit(_dry_run([(o, plan(o.result, opts, lang)) for o in found], out_dir, lang))
        todo = sum(plan(o.result, opts, lang).action not in (Action.NOTHING, Action.REFUSE)
                   for o in found)
        with _progress(todo, lang, quiet) as tick:
            done = session.fix_all(found, opts, real_out, os.path.normpath(out_dir), timeout,
                                   profile, policy, workers, lang, tick)
        for n in done.not_fixed:
            click.echo("mediaaudit: " + say("not_fixed", lang, path=n.original.ref.display,
                                            reason=n.why), err=True)
        for f in done.fixed:
            if quiet and not session.blockers(f.audit, lang):
                continue
            line = say("derivative", lang, path=f.original.ref.display, target=f.placed.display,
                       outcome=say(f.audit.outcome.value, lang))
            click.echo("; ".join([line, *session.blockers(f.audit, lang)]), err=True)
        doc = provenance.document(
            setup.header(paths), os.path.normpath(out_dir),
            {"master": master, "strip_location": strip_location, "image_format": image_format,
             "max_pixels": max_pixels},
            [session.derivative_record(f, strip_location, lang) for f in done.fixed],
            [session.not_fixed_record(n, lang) for n in done.not_fixed],
            [{"path": o.ref.display, "reason": why.render(lang)} for o, why in done.unchanged])
        try:
            if manifest_path:
                target = manifest_path
                provenance.write(target, doc)
            else:
                target = provenance.write_record(out_dir, started, doc)
        except OutputUnwritable as exc:
            fail(exc)
        s = doc["summary"]
        if not quiet:
            click.echo(summary_line(s, target, lang), err=True)
        ok = not done.not_fixed and s["derivatives_pass"] == s["derivatives"]
        sys.exit(OK if ok else FAILED)


@contextmanager
def _progress(n: int, lang: str, quiet: bool) -> Iterator[Callable[[], None]]:
    """A bar with an estimate on stderr while conversions run: only on a terminal,
    never with -q, and only for more than one conversion."""
    if quiet or n < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    bar: Any = click.progressbar(length=n, label=say("progress", lang), file=sys.stderr,
                                 show_eta=True, show_pos=True)
    with bar:
        yield lambda: bar.update(1)


def _overlapping(paths: tuple[str, ...], out_dir: str) -> str | None:
    """The first source that --out equals, lies in or contains, by real path (so a
    symlink on the way counts), else None.  Derivatives written among the originals
    would be walked as originals; and the walk leaves out everything under --out, so
    with --out equal to the source a run found '0 files' and passed (issue 26)."""
    real_out = os.path.realpath(out_dir)
    for p in paths:
        real = os.path.realpath(p)
        if within(real_out, real) or within(real, real_out):
            return p
    return None


def _prepare_out(out_dir: str, dry_run: bool, lang: str) -> str:
    """The real path of --out, created if needed; a symlink or a file there is refused
    (a link could send the derivatives anywhere)."""
    def say_out(key: str, **params: object) -> str:
        table = OUT_TEXT[key]
        return table.get(lang, table["en"]).format(out=out_dir, **params)

    if os.path.islink(out_dir):
        fail(say_out("symlink"))
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        fail(say_out("not_dir"))
    if not dry_run:
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as exc:
            fail(say_out("create", why=exc.strerror))
    return os.path.realpath(out_dir)


def _dry_run(plans: list[tuple[Original, Plan]], out_dir: str, lang: str) -> int:
    """One line per original on stdout; 1 when some file could not be fixed."""
    refused = False
    for o, pl in plans:
        reason = pl.reason or Why("could_not_audit")
        if pl.action is Action.REFUSE:
            refused = True
            click.echo(say("not_fixed", lang, path=o.ref.display, reason=reason))
        elif pl.action is Action.NOTHING:
            click.echo(f"{o.ref.display}: {reason.render(lang)}")
        else:
            stem = os.path.splitext(o.rel)[0]
            ext = EXTENSIONS[pl.target] if pl.target else ".jpg|.png"
            click.echo(say("would", lang, path=o.ref.display, action=pl.action.value,
                           target=os.path.join(os.path.normpath(out_dir), stem + ext)))
    return FAILED if refused else OK
