"""``mediaaudit verify``: are the files now exactly the files that were audited?"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click

from mediaaudit.archive.check import NotABag, check_bag, is_bag
from mediaaudit.archive.safe import visible
from mediaaudit.cli.common import (
    LANG_OPTION,
    counted,
    default_lang,
    fail,
    listed,
    locate_base,
    os_reason,
    text,
)
from mediaaudit.cli.load import load_manifest
from mediaaudit.digest import NotRegular, sha256_file
from mediaaudit.fsnames import from_name_bytes, printable
from mediaaudit.verify import compare, remap
from mediaaudit.walk import walk

HELP = ("Exit status: 0 = every listed file is present and unchanged and no file was added; "
        "1 = something changed, is missing, was added or is no longer a regular file (for a "
        "bag also: an MDTO record is not valid, or a tag manifest is missing or incomplete); "
        "2 = the manifest, the bag or ROOT cannot be used.")

REFUSED = {
    "nl": "{n} geweigerd: geen gewoon bestand meer (FIFO, apparaat, socket of symlink), niet "
          "gelezen",
    "en": "{n} refused: no longer a regular file (FIFO, device, socket or symlink), not read",
}


def _hash(path: str, named: bool, lang: str) -> tuple[str | None, str | None]:
    """(SHA-256, None), (None, None) when the file is gone or unreadable, or (None, why)
    when it is not a regular file: only regular files are read.  A symlink is followed
    only when ``named`` (the path was given to scan itself, which follows it); inside a
    scanned folder scan never audits one, so there it is refused."""
    try:
        return sha256_file(path, follow=named), None
    except NotRegular as exc:
        return None, text("not_read", lang, why=os_reason(exc.strerror or str(exc), lang))
    except OSError:
        return None, None


def _verify_bag(path: str, quiet: bool, lang: str) -> NoReturn:
    if not is_bag(path):
        fail(text("not_a_bag", lang, path=path))
    try:
        res = check_bag(path)
    except NotABag as exc:
        fail(str(exc))
    for label, paths in (("v_changed", res.changed), ("v_missing", res.missing),
                         ("v_added", res.extra_files), ("v_invalid", res.invalid),
                         ("v_invalid", res.other)):
        for p in paths:
            click.echo(f"{listed(label, lang)} {visible(p)}")
    if not quiet and res.ok:
        click.echo(f"{listed('v_valid', lang)} {path}")
    click.echo(text("verify_bag", lang, payload=res.payload,
                    payload_noun=counted(res.payload, "payload_file", "payload_files", lang),
                    records=res.records,
                    records_noun=counted(res.records, "record", "records", lang),
                    changed=len(res.changed), missing=len(res.missing),
                    added=len(res.extra_files), invalid=len(res.invalid) + len(res.other)),
               err=True)
    sys.exit(0 if res.ok else 1)


@click.command(epilog=HELP)
@click.argument("manifest_path", metavar="MANIFEST|BAG_DIR", type=click.Path())
@click.argument("root", required=False, type=click.Path(file_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print only problems and the summary.")
@LANG_OPTION
def verify(manifest_path: str, root: str | None, quiet: bool, lang: str | None) -> None:
    """Re-hash the files MANIFEST lists and report unchanged, changed, missing and added files.

    Paths are resolved as they were scanned (relative to the current folder); give ROOT
    when the scanned folder has moved (ROOT replaces it).

    Given a bag written by 'mediaaudit archive' (BAG_DIR), check the bag instead: every
    checksum in its manifests, that no file is missing or added, every MDTO record
    against the MDTO 1.0.2 schema, and each bestand record against its file."""
    lang = lang or default_lang()
    if os.path.isdir(manifest_path):
        if root is not None:
            fail(text("root_with_bag", lang))
        _verify_bag(manifest_path, quiet, lang)
    m = load_manifest(manifest_path)
    roots = [str(r) for r in m.get("roots", [])]
    if root is not None and len(roots) != 1:
        fail(text("root_single", lang))
    if root is not None and not os.path.isdir(root):
        fail(text("root_not_dir", lang, root=root))
    where = {f["path"]: remap(_real(f), roots, root) for f in m["files"]}
    expected = {f["path"]: f.get("sha256") for f in m["files"]}
    actual: dict[str, str | None] = {}
    refused: dict[str, str] = {}
    for p, disk in where.items():
        actual[p], why = _hash(disk, p in roots, lang)
        if why:
            refused[p] = why
    scan_roots = [root] if root is not None else [r for r in roots if os.path.isdir(r)]
    refs, _ = walk(scan_roots)
    manifest_abs = os.path.realpath(manifest_path)
    back = {os.path.realpath(d): p for p, d in where.items()}
    present = [back.get(os.path.realpath(r.path)) or printable(_as_listed(r.path, roots, root))
               for r in refs if os.path.realpath(r.path) != manifest_abs]
    res = compare(expected, actual, present, refused)
    for label, paths in (("v_changed", res.changed), ("v_missing", res.missing),
                         ("v_added", res.extra), ("v_refused", res.refused)):
        for p in paths:
            click.echo(f"{listed(label, lang)} {visible(p)}")
    if not quiet:
        for p in res.unchanged:
            click.echo(f"{listed('v_unchanged', lang)} {visible(p)}")
    click.echo(text("verify_counts", lang, unchanged=len(res.unchanged),
                    changed=len(res.changed), missing=len(res.missing),
                    added=len(res.extra)), err=True)
    if res.refused:
        click.echo(REFUSED[lang].format(n=len(res.refused)), err=True)
    if root is None and expected and len(res.missing) * 2 > len(expected):
        found = locate_base(manifest_path, list(expected), roots)
        hint = os.path.join(found, roots[0]) if found and len(roots) == 1 else None
        click.echo(text("verify_elsewhere", lang, n=len(res.missing), files=len(expected),
                        cwd=os.getcwd(), manifest=manifest_path,
                        root=hint or {"nl": "MAP"}.get(lang, "DIR")), err=True)
    sys.exit(0 if res.ok else 1)


def _real(entry: dict[str, Any]) -> str:
    """The path a manifest entry names on disk: its exact bytes (``path_bytes``) for a
    name that is not UTF-8, whose ``path`` shows them as ``\\xNN`` escapes."""
    exact = entry.get("path_bytes")
    if isinstance(exact, str):
        try:
            return from_name_bytes(exact)
        except ValueError:
            pass  # a crafted value: the shown path, which then is simply missing
    return str(entry["path"])


def _as_listed(path: str, roots: list[str], root: str | None) -> str:
    """A file found on disk, named as the manifest would name it: relative, under the
    scanned root's name (never the absolute ROOT given on the command line)."""
    if root is not None and len(roots) == 1:
        rel = os.path.relpath(path, root)
        return rel if roots[0] in ("", ".") else os.path.join(roots[0], rel)
    return path  # walked from the root as the manifest gives it, so named the same way
