"""``mediaaudit watch``: audit every file dropped into a folder, for months on end."""

from __future__ import annotations

import os
import sqlite3

import click

from mediaaudit.cache import default_path as default_cache_path
from mediaaudit.cli.common import (
    LANG_OPTION,
    PROFILE_OPTION,
    default_lang,
    fail,
    text,
)
from mediaaudit.cli.help import HelpCommand
from mediaaudit.cli.setup import setup_or_fail
from mediaaudit.scan import DEFAULT_TIMEOUT
from mediaaudit.texts import os_reason
from mediaaudit.watch.results import ResultsError, check_writable
from mediaaudit.watch.service import Options, Watcher


@click.command(cls=HelpCommand)
@click.argument("drop_dir", type=click.Path())
@click.option("--approved", metavar="DIR")
@click.option("--rejected", metavar="DIR")
@click.option("--manifest-dir", metavar="DIR")
@click.option("--state", "state_path", metavar="FILE")
@click.option("--poll", type=click.FloatRange(min=0.1), metavar="SECONDS")
@click.option("--settle", type=click.FloatRange(min=0.0), default=5.0, show_default=True,
              metavar="SECONDS")
@click.option("--once", is_flag=True)
@click.option("--rescan", is_flag=True)
@PROFILE_OPTION
@click.option("--config", metavar="FILE")
@LANG_OPTION
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True, metavar="SECONDS")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--cache", "cache_path", metavar="FILE", default=None)
@click.option("--no-cache", is_flag=True)
@click.option("--json-log", is_flag=True)
@click.option("--fix", "fix", is_flag=True)
def watch(drop_dir: str, approved: str | None, rejected: str | None, manifest_dir: str | None,
          state_path: str | None, poll: float | None, settle: float, once: bool, rescan: bool,
          profile_spec: str, config: str | None, lang: str | None, timeout: float,
          jobs: int, cache_path: str | None, no_cache: bool, json_log: bool,
          fix: bool) -> None:
    """Audit what is dropped into DROP_DIR, for months on end (help: ``cli.help``)."""
    lang = lang or default_lang()
    if os.path.lexists(drop_dir) and not os.path.isdir(drop_dir):
        fail(text("watch_not_dir", lang, path=drop_dir))
    if not os.path.isdir(drop_dir):
        fail(text("watch_no_dir", lang, path=drop_dir))
    if bool(approved) != bool(rejected):
        fail(text("watch_pair", lang))
    if fix and not approved:
        fail(text("watch_fix_routes", lang))
    base = os.path.join(drop_dir, ".mediaaudit")
    opts = Options(
        drop=os.path.abspath(drop_dir), approved=os.path.abspath(approved) if approved else None,
        rejected=os.path.abspath(rejected) if rejected else None,
        manifest_dir=os.path.abspath(manifest_dir or os.path.join(base, "manifests")),
        state_path=os.path.abspath(state_path or os.path.join(base, "state.sqlite")),
        poll=poll, settle=settle, once=once, rescan_state=rescan, lang=lang,
        profile_spec=profile_spec, config=config, timeout=timeout, json_log=json_log,
        jobs=jobs, cache_path=None if no_cache else (cache_path or default_cache_path()),
        fix=fix)
    try:
        for d in (opts.approved, opts.rejected, os.path.dirname(opts.state_path)):
            if d:
                os.makedirs(d, exist_ok=True)
        check_writable(opts.manifest_dir)
        setup = setup_or_fail(lang, profile_spec, config, [opts.drop],
                              engines_beside=opts.state_path, cache_path=opts.cache_path)
        watcher = Watcher(opts, lambda line: click.echo(line, err=True), setup)
    except ResultsError as exc:
        fail(exc.said.render(lang))
    except OSError as exc:
        fail(text("cannot_create", lang, path=exc.filename or "?",
                  why=os_reason(exc.strerror or str(exc), lang)))
    watcher.install_signals()
    try:
        watcher.run()
    except ResultsError as exc:
        fail(exc.said.render(lang))
    except sqlite3.Error as exc:
        fail(text("state_db", lang, path=opts.state_path, why=os_reason(str(exc), lang)))
