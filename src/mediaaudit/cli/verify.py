"""``mediaaudit verify``: are the files now exactly the files that were audited?"""

from __future__ import annotations

import hashlib
import os
import sys

import click

from mediaaudit.cli.common import fail
from mediaaudit.cli.load import load_manifest
from mediaaudit.verify import compare, remap
from mediaaudit.walk import walk

HELP = ("Exit status: 0 = every listed file is present and unchanged and no file was added; "
        "1 = something changed, is missing or was added; 2 = the manifest or ROOT cannot be "
        "used.")


def _sha256(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


@click.command(epilog=HELP)
@click.argument("manifest_path", metavar="MANIFEST", type=click.Path(dir_okay=False))
@click.argument("root", required=False, type=click.Path(file_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print only problems and the summary.")
def verify(manifest_path: str, root: str | None, quiet: bool) -> None:
    """Re-hash the files MANIFEST lists and report unchanged, changed, missing and added files.

    Paths are resolved as they were scanned (relative to the current folder); give ROOT
    when the scanned folder has moved (ROOT replaces it)."""
    m = load_manifest(manifest_path)
    roots = [str(r) for r in m.get("roots", [])]
    if root is not None and len(roots) != 1:
        fail("ROOT can only be given for a manifest of a single scanned folder")
    if root is not None and not os.path.isdir(root):
        fail(f"ROOT {root} is not a folder")
    where = {f["path"]: remap(f["path"], roots, root) for f in m["files"]}
    expected = {f["path"]: f.get("sha256") for f in m["files"]}
    actual = {p: _sha256(disk) for p, disk in where.items()}
    scan_roots = [root] if root is not None else [r for r in roots if os.path.isdir(r)]
    refs, _ = walk(scan_roots)
    manifest_abs = os.path.realpath(manifest_path)
    back = {os.path.realpath(d): p for p, d in where.items()}
    present = [back.get(os.path.realpath(r.path), r.display) for r in refs
               if os.path.realpath(r.path) != manifest_abs]
    res = compare(expected, actual, present)
    for label, paths in (("changed", res.changed), ("missing", res.missing),
                         ("added", res.extra)):
        for p in paths:
            click.echo(f"{label:<9} {p}")
    if not quiet:
        for p in res.unchanged:
            click.echo(f"{'unchanged':<9} {p}")
    click.echo(f"{len(res.unchanged)} unchanged, {len(res.changed)} changed, "
               f"{len(res.missing)} missing, {len(res.extra)} added", err=True)
    sys.exit(0 if res.ok else 1)
