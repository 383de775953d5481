"""``mediaaudit verify``: are the files now exactly the files that were audited?"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import click

from mediaaudit.archive.check import NotABag, check_bag, is_bag
from mediaaudit.archive.safe import visible
from mediaaudit.cli.common import (
    LANG_OPTION,
    CliKey,
    counted,
    default_lang,
    fail,
    listed,
    locate_base,
    text,
)
from mediaaudit.cli.help import HelpCommand
from mediaaudit.cli.load import load_manifest
from mediaaudit.containers import ARCHIVE_REASON, member_digests
from mediaaudit.digest import NotRegular, sha256_file
from mediaaudit.fsnames import from_name_bytes, printable
from mediaaudit.texts import os_reason
from mediaaudit.verify import (
    SHOWN_ADDED,
    Misplaced,
    VerifyResult,
    compare,
    misplaced,
    remap,
    under_root,
)
from mediaaudit.walk import walk

REFUSED = {
    "nl": "{n} geweigerd: geen gewoon bestand meer (FIFO, apparaat, socket of symlink), niet "
          "gelezen",
    "en": "{n} refused: no longer a regular file (FIFO, device, socket or symlink), not read",
}


# Said before the listing when the folder is likely the wrong one (``verify.misplaced``).
TEXTS = {
    "inside": {
        "nl": "{given} is niet de map die gescand is: {found} van de {files} bestanden uit het "
              "manifest staan in {folder}, een map daarbinnen. Geef die map op: "
              "mediaaudit verify {manifest} {folder}",
        "en": "{given} is not the folder that was scanned: {found} of the {files} files the "
              "manifest lists are in {folder}, a folder inside it. Give that folder: "
              "mediaaudit verify {manifest} {folder}",
    },
    "too_wide": {
        "nl": "{given} bevat {added} bestanden die niet in het manifest staan (dat noemt er "
              "{files}): geef de map op die gescand is, niet een map erboven of ernaast "
              "(mediaaudit verify {manifest} MAP). Is dit wel de goede map, dan zijn ze na "
              "de scan toegevoegd.",
        "en": "{given} holds {added} files the manifest does not list (it lists {files}): "
              "give the folder that was scanned, not one above or beside it (mediaaudit "
              "verify {manifest} DIR). If this is the right folder, they were added after "
              "the scan.",
    },
    "more_added": {
        "nl": "… en nog {n} toegevoegde bestanden (--all toont ze allemaal)",
        "en": "… and {n} more added files (--all lists them all)",
    },
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
    lists: tuple[tuple[CliKey, Sequence[str]], ...] = (
        ("v_changed", res.changed), ("v_missing", res.missing),
        ("v_added", res.extra_files), ("v_invalid", res.invalid), ("v_invalid", res.other))
    for label, paths in lists:
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


@click.command(cls=HelpCommand, help_values={"shown": SHOWN_ADDED})
@click.argument("manifest_path", metavar="MANIFEST|BAG_DIR", type=click.Path())
@click.argument("root", required=False, type=click.Path(file_okay=False))
@click.option("--quiet", "-q", is_flag=True)
@click.option("--all", "all_added", is_flag=True)
@LANG_OPTION
def verify(manifest_path: str, root: str | None, quiet: bool, all_added: bool,
           lang: str | None) -> None:
    """Re-hash what MANIFEST lists, or check a bag (help: ``cli.help``)."""
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
    files = [f for f in m["files"] if not f.get("archive_member")]
    where = {f["path"]: remap(_real(f), roots, root) for f in files}
    expected = {f["path"]: f.get("sha256") for f in m["files"]}
    actual: dict[str, str | None] = {}
    refused: dict[str, str] = {}
    for p, disk in where.items():
        actual[p], why = _hash(disk, p in roots, lang)
        if why:
            refused[p] = why
    inside = _members(m, roots, root, lang)
    expected.update(inside.expected)
    actual.update(inside.actual)
    scan_roots = [root] if root is not None else [r for r in roots if os.path.isdir(r)]
    refs, _ = walk(scan_roots)
    manifest_abs = os.path.realpath(manifest_path)
    back = {os.path.realpath(d): p for p, d in where.items()}
    present = [back.get(os.path.realpath(r.path)) or printable(_as_listed(r.path, roots, root))
               for r in refs if os.path.realpath(r.path) not in {manifest_abs, *inside.archives}]
    present += inside.added
    res = compare(expected, actual, present, refused)
    wrong = None
    if len(scan_roots) == 1 and expected:  # before the list it would otherwise drown in
        base = scan_roots[0]
        wrong = _misplaced(res, roots, base, [r.path for r in refs])
        if wrong is not None:
            click.echo(TEXTS[wrong.why.value][lang].format(
                given=root if root is not None else os.path.abspath(base),
                found=wrong.found, files=len(expected), added=len(res.extra),
                folder=os.path.normpath(os.path.join(base, wrong.folder or "")),
                manifest=manifest_path),
                err=True)
    added = res.extra if all_added else res.extra[:SHOWN_ADDED]
    lists: tuple[tuple[CliKey, Sequence[str]], ...] = (
        ("v_changed", res.changed), ("v_missing", res.missing), ("v_added", added),
        ("v_refused", res.refused))
    for label, paths in lists:
        for p in paths:
            click.echo(f"{listed(label, lang)} {visible(p)}")
    if len(added) < len(res.extra):
        click.echo(TEXTS["more_added"][lang].format(n=len(res.extra) - len(added)))
    if not quiet:
        for p in res.unchanged:
            click.echo(f"{listed('v_unchanged', lang)} {visible(p)}")
    click.echo(text("verify_counts", lang, unchanged=len(res.unchanged),
                    changed=len(res.changed), missing=len(res.missing),
                    added=len(res.extra)), err=True)
    if res.refused:
        click.echo(REFUSED[lang].format(n=len(res.refused)), err=True)
    if (root is None and wrong is None and expected
            and len(res.missing) * 2 > len(expected)):
        found = locate_base(manifest_path, list(expected), roots)
        hint = os.path.join(found, roots[0]) if found and len(roots) == 1 else None
        click.echo(text("verify_elsewhere", lang, n=len(res.missing), files=len(expected),
                        cwd=os.getcwd(), manifest=manifest_path,
                        root=hint or {"nl": "MAP"}.get(lang, "DIR")), err=True)
    sys.exit(0 if res.ok else 1)


@dataclass
class _Inside:
    """The members of delivery archives, as ``verify`` compares them."""

    expected: dict[str, str | None] = field(default_factory=dict)
    actual: dict[str, str | None] = field(default_factory=dict)
    archives: set[str] = field(default_factory=set)  # real paths: not "added" files
    added: list[str] = field(default_factory=list)  # members the archive holds now, unlisted


def _members(m: Mapping[str, Any], roots: list[str], root: str | None, lang: str) -> _Inside:
    """Members are checked through their archive: an archive whose SHA-256 is the one the
    scan recorded holds exactly the audited members (nothing is unpacked); a changed one
    is unpacked with scan's checks and each member hashed, so the list says which member
    changed, went or came.  A member that was never unpacked (a hostile name, encrypted)
    has no hash of its own: it is unchanged while its archive is."""
    out = _Inside()
    recorded = {s.get("path"): s.get("sha256") for s in m.get("skipped") or []
                if isinstance(s, Mapping) and s.get("reason") == ARCHIVE_REASON}
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for f in m["files"]:
        am = f.get("archive_member")
        if isinstance(am, Mapping) and isinstance(am.get("archive"), str):
            groups.setdefault(am["archive"], []).append(f)
    for archive, entries in groups.items():
        disk = remap(_real({"path": archive, "path_bytes": entries[0].get("path_bytes")}),
                     roots, root)
        out.archives.add(os.path.realpath(disk))
        now, _why = _hash(disk, False, lang)
        same = now is not None and now == recorded.get(archive)
        digests = None if same or now is None else member_digests(disk, archive)
        for f in entries:
            path, sha = str(f["path"]), f.get("sha256")
            if same or (digests is not None and sha is None and path in digests
                        and digests[path] is None):
                out.expected[path] = out.actual[path] = sha or f"archive:{now}"
            else:
                out.actual[path] = (digests or {}).get(path)
        if digests is not None:
            out.added += [p for p in digests if p not in {str(f["path"]) for f in entries}]
    return out


def _misplaced(res: VerifyResult, roots: list[str], base: str,
               walked: list[str]) -> Misplaced | None:
    """``verify.misplaced`` for the one folder walked (``base``: ROOT, or the scanned
    root as found from here), its files named relative to it."""
    listed_here = [under_root(p, roots) for p in (*res.unchanged, *res.changed, *res.missing)]
    present = [os.path.relpath(p, base) for p in walked]
    found_here = len(res.unchanged) + len(res.changed) + len(res.refused)
    return misplaced(listed_here, present, found_here, len(res.extra))


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
