"""``mediaaudit scan``: audit files and folders and write the manifest."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import click

from mediaaudit import manifest
from mediaaudit.cache import default_path as default_cache_path
from mediaaudit.cli.common import (
    LANG_OPTION,
    PROFILE_OPTION,
    default_lang,
    fail,
    summary_line,
    text,
    warn,
)
from mediaaudit.cli.help import HelpCommand
from mediaaudit.cli.output import (
    FORMATS,
    OutputError,
    OutputUnwritable,
    Target,
    atomic,
    check_targets,
    targets,
    write_all,
)
from mediaaudit.cli.setup import setup_or_fail
from mediaaudit.cluster import ClusterError, ClusterProbers, connect
from mediaaudit.containers import unpack
from mediaaudit.exitcode import exit_status
from mediaaudit.model import FileRef
from mediaaudit.scan import DEEP_TIMEOUT, DEFAULT_TIMEOUT, default_jobs, entries
from mediaaudit.walk import Skipped, walk
from mediaaudit.writers.pdf_writer import QUIET as pdf_quiet


@click.command(cls=HelpCommand, help_values={"default": f"{DEFAULT_TIMEOUT:g}",
                                             "deep": f"{DEEP_TIMEOUT:g}"})
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", metavar="FILE")
@click.option("--format", "fmts", type=click.Choice(FORMATS), multiple=True)
@PROFILE_OPTION
@click.option("--config", metavar="FILE")
@LANG_OPTION
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS")
@click.option("--deep", is_flag=True)
@click.option("--select", multiple=True, metavar="CODE|PREFIX")
@click.option("--ignore", multiple=True, metavar="CODE|PREFIX")
@click.option("--cache", "cache_path", metavar="FILE", default=None)
@click.option("--no-cache", is_flag=True)
@click.option("--exit-zero", is_flag=True)
@click.option("--quiet", "-q", is_flag=True)
@click.option("--cluster", metavar="tcp://HOST:PORT", default=None)
def scan(
    paths: tuple[str, ...], output: str | None, fmts: tuple[str, ...], profile_spec: str,
    config: str | None, lang: str | None, jobs: int | None, timeout: float | None,
    deep: bool, select: tuple[str, ...], ignore: tuple[str, ...], cache_path: str | None,
    no_cache: bool, exit_zero: bool, quiet: bool, cluster: str | None,
) -> None:
    """Audit PATHS and write the manifest (its help, in Dutch and English: ``cli.help``)."""
    lang = lang or default_lang()
    limit = timeout if timeout is not None else DEEP_TIMEOUT if deep else DEFAULT_TIMEOUT
    if quiet:  # nor the PDF writer's progress line
        token = pdf_quiet.set(True)
        click.get_current_context().call_on_close(lambda: pdf_quiet.reset(token))
    for p in paths:
        if not os.path.lexists(p):
            fail(text("no_path", lang, path=p))
    try:
        outs = targets(output, fmts)
        check_targets(outs)
    except (OutputError, OutputUnwritable) as exc:
        fail(exc)
    where = cache_path or default_cache_path()
    setup = setup_or_fail(lang, profile_spec, config, paths, engines_beside=where,
                          cache_path=None if no_cache else where, select=select, ignore=ignore)
    profile, policy = setup.profile, setup.policy
    remote: ClusterProbers | None = None
    if cluster or policy.scan_cluster:
        try:
            remote = connect(cluster or str(policy.scan_cluster), profile, setup.engines,
                             jobs or default_jobs(), deep, limit, paths)
        except ClusterError as exc:
            fail(exc)
    cache = setup.open_cache()
    head = setup.header(paths)
    refs, skipped = walk(list(paths))
    own = {os.path.realpath(p): "manifest" for _, p in outs if p}
    own[os.path.realpath(setup.engines_file)] = "cache"
    if cache is not None:
        own |= {os.path.realpath(cache.path + x): "cache" for x in ("", "-wal", "-shm")}
    ours = {r.path: own[real] for r in _maybe_own(refs, own, paths)
            if (real := os.path.realpath(r.path)) in own}
    skipped += [Skipped(r.display, ours[r.path]) for r in refs if r.path in ours]
    refs = [r for r in refs if r.path not in ours]
    delivered = ExitStack()  # delivery archives' members, unpacked until the scan ends
    unpacked = delivered.enter_context(unpack(refs))
    refs, skipped = unpacked.refs, skipped + unpacked.skipped
    summary = manifest.empty_summary()
    show_progress = not quiet and sys.stderr.isatty() and len(refs) > 1
    audited = entries(refs, profile, policy, lang, jobs or default_jobs(), deep, cache, limit,
                      remote)
    rights_fails: dict[str, int] = {}
    counted = _counted(len(refs), audited, lang, show_progress, summary, rights_fails)
    unwritable: OutputUnwritable | ClusterError | None = None
    try:
        _write(outs, {**head, "files": counted, "skipped": manifest.skipped_entries(skipped),
                      "summary": summary})
    except (OutputUnwritable, ClusterError) as exc:
        unwritable = exc
    finally:
        if remote is not None:
            remote.close()
        delivered.close()
        if cache is not None:
            cache.close()
    if cache is not None:
        for w in cache.warnings:
            warn(w)
    if unwritable is not None:
        fail(unwritable)
    if not quiet:
        click.echo(summary_line(summary, lang), err=True)
        hint = organisation_hint(summary, rights_fails, policy.organisations, lang)
        if hint:
            click.echo(hint, err=True)
        for writer, target in outs:
            if target:
                click.echo(text("written", lang, path=target,
                                what=writer.what.get(lang, writer.what["en"])), err=True)
    sys.exit(exit_status(summary, exit_zero))


def _write(outs: list[Target], live: dict[str, Any]) -> None:
    """Stream the entries straight into a single output that allows it; otherwise
    collect them (HTML and Markdown need the verdict first, several outputs each read
    the list) and write every output from the complete manifest."""
    if len(outs) == 1 and outs[0][0].streams:
        writer, path = outs[0]
        with atomic(path) as out:
            writer.write(live, out, ".")
        return
    write_all(outs, {**live, "files": list(live["files"])})


def _maybe_own(refs: list[FileRef], own: dict[str, str], named: tuple[str, ...]
               ) -> Iterator[FileRef]:
    """The refs that may be this scan's own outputs (manifest, cache): those with the name
    of one, and those named on the command line, which may be symlinks (inside a folder
    the walker follows none).  Only these are resolved: ``realpath`` costs a system call
    per path component, a third of a warm rescan when done for every file."""
    names = {os.path.basename(p) for p in own}
    given = {os.path.normpath(p) for p in named}
    for r in refs:
        if os.path.basename(r.path) in names or os.path.normpath(r.path) in given:
            yield r


def organisation_hint(summary: dict[str, int], rights_fails: dict[str, int],
                      organisations: tuple[str, ...], lang: str) -> str | None:
    """One line telling a first-time user how to name their organisation, when most files
    fail as 'restricted' or 'unknown' and no organisation is configured (their own
    photos then look like someone else's)."""
    n = rights_fails.get("restricted", 0) + rights_fails.get("unknown", 0)
    if organisations or not summary.get("files") or n * 2 <= summary["files"]:
        return None
    return text("set_organisation", lang, n=n, files=summary["files"])


def _counted(n: int, audited: Iterator[dict[str, Any]], lang: str, progress: bool,
             summary: dict[str, int], rights_fails: dict[str, int] | None = None
             ) -> Iterator[dict[str, Any]]:
    """Manifest entries as they arrive, counting outcomes, with a progress bar on a TTY."""
    bar = click.progressbar(length=n, label=text("scanning", lang), file=sys.stderr) \
        if progress else None
    try:
        for entry in audited:
            if bar is not None:
                bar.update(1)
            manifest.tally(summary, entry)
            if rights_fails is not None and _fails_on_rights(entry):
                status = str((entry.get("rights") or {}).get("status"))
                rights_fails[status] = rights_fails.get(status, 0) + 1
            yield entry
    finally:
        if bar is not None:
            bar.render_finish()


def _fails_on_rights(entry: dict[str, Any]) -> bool:
    """Does the file fail because of a rights finding?  Not merely: does it fail with a
    rights status (under ``--ignore MA-LIC`` a damaged file with unknown rights fails for
    its damage, and the organisation hint would have been beside the point)."""
    return entry.get("outcome") == "fail" and any(
        str(x.get("code", "")).startswith("MA-LIC") and x.get("severity") == "error"
        for x in entry.get("findings") or [])
