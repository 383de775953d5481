"""``mediaaudit archive``: the approved files of a manifest as a BagIt bag with MDTO
metadata, for the archive or e-depot.

The manifest is read as a stream (``archive.stream``), three times: to check every entry
(nothing is written when one is refused), to check every passed file against its SHA-256,
and to write the bag; memory does not grow with the number of files.  Paths are printed
with visible escapes (``archive.safe.visible``)."""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Sequence
from typing import NoReturn

import click

from mediaaudit.archive.bag import Changed, InvalidRecord, readable_path, write_bag
from mediaaudit.archive.plan import Item, PlanError, Scope, scope, survey, walk
from mediaaudit.archive.records import needs, require
from mediaaudit.archive.safe import visible
from mediaaudit.archive.stream import ManifestError, ManifestStream, open_manifest
from mediaaudit.archive.texts import ArchiveKey, Words, say
from mediaaudit.cli.common import LANG_OPTION, default_lang, fail
from mediaaudit.cli.help import HelpCommand
from mediaaudit.config import find_config, load_policy
from mediaaudit.containers import Members
from mediaaudit.digest import NotRegular, sha256_file
from mediaaudit.exitcode import FAILED
from mediaaudit.policy import PolicyError
from mediaaudit.texts import os_reason
from mediaaudit.writers.atomic import OutputUnwritable


def _said(exc: ManifestError | PlanError, lang: str) -> str:
    """A refusal in the run's language, the system's own reason (``why``) included
    (``cli.common.os_reason``), with visible escapes for what a name may carry."""
    w = exc.words
    params = {k: os_reason(v, lang) if k == "why" and isinstance(v, str) else v
              for k, v in w.params.items()}
    return visible(Words(w.key, params).render(lang))


def _one_line(value: str | None, option: str, lang: str) -> str | None:
    if value is None:
        return None
    if not value.strip() or any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in value):
        fail(say("one_line", lang, option=option, value=value))
    return value.strip()


def _changed(changed: Sequence[str], missing: Sequence[str], unreadable: Sequence[str],
             lang: str) -> NoReturn:
    lists: tuple[tuple[ArchiveKey, Sequence[str]], ...] = (
        ("changed", changed), ("missing", missing), ("refused", unreadable))
    for label, paths in lists:
        for p in paths:
            click.echo(f"{say(label, lang):<9} {visible(p)}")
    odd = say("odd", lang, n=len(unreadable)) if unreadable else ""
    click.echo(say("changed_since", lang, changed=len(changed), missing=len(missing), odd=odd),
               err=True)
    sys.exit(FAILED)


def _check_files(stream: ManifestStream, sc: Scope, lang: str) -> None:
    """Every passed file is still what was audited (exit 1 with a list when not); only
    regular files are read: a FIFO or device in place of a file is named, not read."""
    changed: list[str] = []
    missing: list[str] = []
    unreadable: list[str] = []
    with Members() as members:
        for v in walk(sc, stream.entries()):
            if isinstance(v, Item):
                _check_one(v, members, changed, missing, unreadable, lang)
    if changed or missing or unreadable:
        _changed(changed, missing, unreadable, lang)


def _check_one(v: Item, members: Members, changed: list[str], missing: list[str],
               unreadable: list[str], lang: str) -> None:
    missing.extend(v.sidecars_missing)  # evidence the audit read, gone since
    disk = readable_path(v, members)
    if disk is None:
        missing.append(v.path)
        return
    try:
        if sha256_file(disk, follow=False) != v.sha256:
            changed.append(v.path)
    except NotRegular as exc:
        unreadable.append(say("not_read", lang, path=v.path, why=exc.strerror))
    except FileNotFoundError:
        missing.append(v.path)
    except OSError as exc:
        unreadable.append(say("unreadable", lang, path=v.path, why=exc.strerror))


@click.command(cls=HelpCommand)
@click.argument("manifest_path", metavar="MANIFEST", type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, metavar="BAG_DIR", type=click.Path())
@click.option("--base", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--config", metavar="FILE")
@click.option("--request-id", metavar="ID")
@click.option("--posted", metavar="DATE", type=click.DateTime(formats=["%Y-%m-%d"]))
@LANG_OPTION
def archive(manifest_path: str, out: str, base: str | None, config: str | None,
            request_id: str | None, posted: _dt.datetime | None, lang: str | None) -> None:
    """The passed files of MANIFEST as a BagIt bag with MDTO (help: ``cli.help``)."""
    lang = lang or default_lang()
    request_id = _one_line(request_id, "--request-id", lang)
    try:
        stream = open_manifest(manifest_path)
        sc = scope(stream.header, base=base or ".", here=".")
        counts = survey(sc, stream.entries())
    except (ManifestError, PlanError) as exc:
        fail(_said(exc, lang))
    roots = [str(r) for r in stream.header.get("roots", [])]
    try:  # the file and the archive settings in one check: every problem in one run
        policy = load_policy(config, roots, require=needs)
        cfg = require(policy.archive, policy.organisations)
    except PolicyError as exc:
        fail(exc.text(lang))
    if not counts.items:
        click.echo(say("nothing_passed", lang), err=True)
        sys.exit(FAILED)
    try:
        _check_files(stream, sc, lang)
        done = write_bag(out, stream, sc, counts, cfg, request_id,
                         posted.date().isoformat() if posted else None)
    except Changed as exc:
        _changed(exc.changed, exc.missing, exc.unreadable, lang)
    except OutputUnwritable as exc:
        fail(exc)  # in the run's language (cli.common.said), like every command's output
    except (ManifestError, PlanError) as exc:
        fail(_said(exc, lang))
    except InvalidRecord as exc:
        fail(say("not_written", lang, why=visible(str(exc))))
    click.echo(f"{done.path}", err=False)
    sides = (say("with_sidecar" if done.sidecars == 1 else "with_sidecars", lang,
                 n=done.sidecars) if done.sidecars else "")
    click.echo(say("written", lang, path=done.path, files=done.files, sides=sides,
                   files_noun=say("file" if done.files == 1 else "files", lang),
                   left=counts.left_out, records=done.records, ident=visible(done.ident)),
               err=True)


def policy_source(config: str | None, roots: list[str]) -> str:
    """Which config file was read (for the error line)."""
    if config:
        return config
    found = find_config(roots)
    return str(found) if found else "no mediaaudit.toml found"
