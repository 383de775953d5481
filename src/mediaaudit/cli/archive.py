"""``mediaaudit archive``: the approved files of a manifest as a BagIt bag with MDTO
metadata, for the archive or e-depot."""

from __future__ import annotations

import datetime as _dt
import io
import sys

import bagit
import click

from mediaaudit.archive.bag import Changed, InvalidRecord, write_bag
from mediaaudit.archive.plan import PlanError, make_plan
from mediaaudit.archive.records import require
from mediaaudit.cli.common import fail
from mediaaudit.cli.load import load_manifest
from mediaaudit.config import find_config, load_policy
from mediaaudit.digest import sha256_or_none
from mediaaudit.exitcode import FAILED
from mediaaudit.policy import PolicyError
from mediaaudit.verify import compare
from mediaaudit.writers.atomic import OutputUnwritable
from mediaaudit.writers.html_writer import write_html

HELP = ("Exit status: 0 = the bag was written; 1 = a file that passed has changed or is "
        "missing since the audit, or no file passed (nothing is written); 2 = the manifest, "
        "the configuration or BAG_DIR cannot be used, or the manifest lists a path outside "
        "the folder it audited (nothing is written).")


def _one_line(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    if not value.strip() or any(ord(c) < 32 for c in value):
        fail(f"{option} must be one line of text, got {value!r}")
    return value.strip()


def _changed(changed: tuple[str, ...] | list[str], missing: tuple[str, ...] | list[str]) -> None:
    for p in changed:
        click.echo(f"{'changed':<9} {p}")
    for p in missing:
        click.echo(f"{'missing':<9} {p}")
    click.echo(f"mediaaudit: {len(changed)} changed, {len(missing)} missing since the audit; "
               "no bag written (scan again and have the new manifest approved)", err=True)
    sys.exit(FAILED)


@click.command(epilog=HELP)
@click.argument("manifest_path", metavar="MANIFEST", type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, metavar="BAG_DIR", type=click.Path(),
              help="The bag to write: a new folder, or an empty one.")
@click.option("--config", metavar="FILE",
              help="mediaaudit.toml with the [archive] table (default: mediaaudit.toml in "
                   "the scanned folder or a parent).")
@click.option("--request-id", metavar="ID",
              help="The publication request's id: External-Identifier in bag-info.txt and "
                   "the identifier of the MDTO dossier.")
@click.option("--posted", metavar="DATE", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Date the media were posted (YYYY-MM-DD): a 'Publicatie' event in MDTO.")
def archive(manifest_path: str, out: str, config: str | None, request_id: str | None,
            posted: _dt.datetime | None) -> None:
    """Write the files MANIFEST passed, with the manifest, its HTML report and MDTO
    metadata (Nationaal Archief, schema 1.0.2) per file and per record, as a BagIt bag.

    Run it in the folder where the scan ran: the manifest's paths are relative to it.
    The files are checked against the manifest first; files that did not pass are left
    out and listed in data/archive-report.txt."""
    request_id = _one_line(request_id, "--request-id")
    m = load_manifest(manifest_path)
    try:
        with open(manifest_path, "rb") as fh:
            manifest_bytes = fh.read()
    except OSError as exc:
        fail(f"cannot read manifest {manifest_path}: {exc.strerror}")
    try:
        plan = make_plan(m)
    except PlanError as exc:
        fail(str(exc))
    roots = [str(r) for r in m.get("roots", [])]
    try:
        policy = load_policy(config, roots)
        cfg = require(policy.archive, policy.organisations)
    except PolicyError as exc:
        where = policy_source(config, roots)
        fail(f"{where}: {exc}" if where and not str(exc).startswith(where) else str(exc))
    if not plan.items:
        click.echo("mediaaudit: no file in the manifest passed the audit; nothing to "
                   "archive", err=True)
        sys.exit(FAILED)
    expected = {it.path: it.sha256 for it in plan.items}
    res = compare(expected, {it.path: sha256_or_none(it.disk) for it in plan.items}, [])
    if not res.ok:
        _changed(res.changed, res.missing)
    html = io.StringIO()
    write_html(m, html)  # no thumbnails: no picture of a file that was left out
    try:
        done = write_bag(out, plan, cfg, m, manifest_bytes, html.getvalue(), request_id,
                         posted.date().isoformat() if posted else None)
    except Changed as exc:
        _changed(exc.changed, exc.missing)
    except OutputUnwritable as exc:
        fail(str(exc))
    except (InvalidRecord, bagit.BagError) as exc:
        fail(f"bag not written: {exc}")
    click.echo(f"{done.path}", err=False)
    click.echo(f"mediaaudit: bag written to {done.path}: {done.files} file(s) archived, "
               f"{len(plan.left_out)} left out (data/archive-report.txt), {done.records} MDTO "
               f"records, dossier {done.ident}", err=True)


def policy_source(config: str | None, roots: list[str]) -> str:
    """Which config file was read (for the error line)."""
    if config:
        return config
    found = find_config(roots)
    return str(found) if found else "no mediaaudit.toml found"
