"""Verify a bag written by ``archive``: bagit's own checks (structure, bagit.txt,
Payload-Oxum, completeness), every checksum in every payload and tag manifest, every MDTO
record against the XSD, and each ``bestand`` record against the file it describes.

bagit accepts a bag whose tag manifests were deleted (then an edited bag-info.txt goes
unnoticed) and one with extra top-level files, and opens whatever a manifest lists (a
FIFO there hangs it).  So: the folder is listed first without following anything; a tag
file that is not a regular file stops the check (``NotABag``); a FIFO, device, socket or
symlink in the payload is named and never opened; every checksum is computed here
through ``digest.open_regular``; there must be a tag manifest for every payload manifest
and each must list bagit.txt, bag-info.txt, every manifest and every other tag file; and
a top-level name ``archive`` does not write is an added file.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field

import bagit

from mediaaudit.archive import mdto
from mediaaudit.archive.safe import visible
from mediaaudit.digest import NotRegular, file_kind, open_regular

_MANIFEST = re.compile(r"(tag)?manifest-([a-z0-9_]+)\.txt")
DOSSIER = "dossier" + mdto.SUFFIX
TAG_FILES = ("bagit.txt", "bag-info.txt")
"""The tag files ``archive`` writes besides the manifests; any other top-level name is
refused as added."""


class NotABag(Exception):
    """The folder is not a bag that can be read at all; the message is for the user."""


@contextlib.contextmanager
def quiet_bagit() -> Iterator[None]:
    """bagit logs every warning and a traceback on failure to stderr; the CLI says what
    went wrong in its own words."""
    log = logging.getLogger("bagit")
    old = log.propagate, log.level
    handler = logging.NullHandler()
    log.addHandler(handler)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.propagate, log.level = old[0], old[1]


@dataclass
class BagCheck:
    payload: int = 0
    records: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra_files: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # "path: reason"
    other: list[str] = field(default_factory=list)  # bag-level problems

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra_files or self.invalid or self.other)


def is_bag(path: str) -> bool:
    return os.path.isdir(path) and os.path.isfile(os.path.join(path, "bagit.txt"))


@dataclass(frozen=True)
class _Listing:
    """What the folder holds, found without following a link or opening a file."""

    tags: tuple[str, ...]  # top-level regular files archive writes
    added: tuple[str, ...]  # top-level names archive does not write
    special: dict[str, str]  # bag-relative path -> kind, for anything not a regular file


def _listing(path: str) -> _Listing:
    tags: list[str] = []
    added: list[str] = []
    special: dict[str, str] = {}
    try:
        top = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError as exc:
        raise NotABag(f"{path} cannot be read as a bag: {exc.strerror}") from exc
    for e in top:
        try:
            mode = e.stat(follow_symlinks=False).st_mode
        except OSError:
            continue  # gone meanwhile
        if e.name == "data":
            if not stat.S_ISDIR(mode):
                raise NotABag(f"{path} cannot be read as a bag: data is a "
                              f"{file_kind(mode)}, not a folder")
            continue
        if e.name not in TAG_FILES and not _MANIFEST.fullmatch(e.name):
            added.append(e.name + ("/" if stat.S_ISDIR(mode) else ""))
        elif not stat.S_ISREG(mode):
            raise NotABag(f"{path} cannot be read as a bag: {e.name} is not a regular file "
                          f"({file_kind(mode)}); not read")
        else:
            tags.append(e.name)
    stack = ["data"]
    while stack:
        rel = stack.pop()
        try:
            entries = list(os.scandir(os.path.join(path, rel)))
        except OSError:
            continue  # reported by the completeness check
        for e in entries:
            try:
                mode = e.stat(follow_symlinks=False).st_mode
            except OSError:
                continue  # gone meanwhile: reported by the completeness check
            if stat.S_ISDIR(mode):
                stack.append(f"{rel}/{e.name}")
            elif not stat.S_ISREG(mode):
                special[f"{rel}/{e.name}"] = file_kind(mode)
    return _Listing(tuple(tags), tuple(added), special)


def _hashes(path: str, algorithms: list[str]) -> dict[str, str]:
    """Checksums of a regular file (``open_regular``: ``NotRegular``, ``OSError``)."""
    hs = {a: hashlib.new(a) for a in algorithms}
    with open(open_regular(path), "rb") as fh:
        while chunk := fh.read(1 << 20):
            for h in hs.values():
                h.update(chunk)
    return {a: h.hexdigest() for a, h in hs.items()}


def _check_entries(bag: bagit.Bag, res: BagCheck, listing: _Listing, message: str) -> None:
    """Every file any manifest lists, hashed here (payload and tag files alike); files
    missing from or added to the payload (bagit's comparison, which opens nothing)."""
    only_manifest, only_fs = bag.compare_manifests_with_fs()
    res.missing.extend(sorted(only_manifest))
    res.extra_files.extend(sorted(p for p in only_fs if p not in listing.special))
    gone = set(only_manifest)
    for rel, stored in sorted(bag.entries.items()):
        if rel in gone or rel in listing.special:
            continue
        algs = [a for a in stored if a in hashlib.algorithms_available]
        try:
            now = _hashes(os.path.join(bag.path, rel), algs)
        except NotRegular as exc:
            res.invalid.append(f"{rel}: {exc.strerror}; not read")
            continue
        except OSError:
            res.missing.append(rel)
            continue
        if any(now[a] != stored[a].lower() for a in algs):
            res.changed.append(rel)
    if message and not (res.missing or res.extra_files or res.changed or listing.special):
        res.other.append(message)


def _check_tag_manifests(listing: _Listing, bag: bagit.Bag, res: BagCheck) -> None:
    """A tag manifest for every payload manifest, each listing every tag file: without
    them an edited bag-info.txt (External-Identifier, Source-Organization) is not seen."""
    payload_algs = {m[2] for n in listing.tags if (m := _MANIFEST.fullmatch(n)) and not m[1]}
    tag_algs = {m[2] for n in listing.tags if (m := _MANIFEST.fullmatch(n)) and m[1]}
    for name in TAG_FILES:
        if name not in listing.tags:
            res.other.append(f"{name} is missing")
    if not tag_algs:
        res.other.append("no tag manifest (tagmanifest-*.txt): bagit.txt, bag-info.txt and "
                         "the manifests are not protected by a checksum")
    for alg in sorted(payload_algs - tag_algs):
        if tag_algs:
            res.other.append(f"tagmanifest-{alg}.txt is missing (there is a "
                             f"manifest-{alg}.txt)")
    covered = [n for n in listing.tags if not n.startswith("tagmanifest-")]
    for alg in sorted(tag_algs):
        for name in covered:
            if alg not in bag.entries.get(name, {}):
                res.other.append(f"{name} is not listed in tagmanifest-{alg}.txt")


def check_bag(path: str) -> BagCheck:
    """Everything wrong with the bag at ``path`` (``ok`` when nothing is)."""
    res = BagCheck()
    listing = _listing(path)
    res.extra_files.extend(listing.added)
    res.invalid.extend(f"{rel}: not a regular file ({kind}); not read"
                       for rel, kind in sorted(listing.special.items()))
    message = ""
    with quiet_bagit():
        try:
            bag = bagit.Bag(path)
        except (bagit.BagError, OSError, UnicodeDecodeError, ValueError) as exc:
            raise NotABag(f"{path} cannot be read as a bag: {exc}") from exc
        try:  # structure, bagit.txt, fetch, Payload-Oxum, completeness: nothing opened
            bag.validate(completeness_only=True)
        except bagit.BagValidationError as exc:
            message = str(exc.message if hasattr(exc, "message") else exc)
        except (bagit.BagError, OSError) as exc:
            res.other.append(str(exc))
        _check_entries(bag, res, listing, message)
    _check_tag_manifests(listing, bag, res)
    payload = sorted(bag.payload_files())
    res.payload = len(payload)
    present = {p.replace(os.sep, "/") for p in payload}
    described: set[str] = set()
    for rel in sorted(present):
        if not rel.endswith(mdto.SUFFIX) or rel in listing.special:
            continue
        res.records += 1
        try:
            with open(open_regular(os.path.join(path, rel)), "rb") as fh:
                data = fh.read()
        except OSError as exc:
            res.invalid.append(f"{rel}: cannot be read: {exc.strerror}")
            continue
        target = rel[: -len(mdto.BESTAND_SUFFIX)] if rel.endswith(mdto.BESTAND_SUFFIX) else None
        if target is not None:
            described.add(target)
        problems = mdto.validate(data)
        if problems:
            res.invalid.append(f"{rel}: {problems[0]}")
            continue
        if target is None:
            continue
        rec = mdto.read_bestand(data) or {}
        sha = (bag.entries.get(target) or {}).get("sha256")
        if target not in present:
            res.invalid.append(f"{rel}: describes {target}, which is not in the bag")
        elif sha and rec.get("sha256", "").lower() != sha.lower():
            res.invalid.append(f"{rel}: its SHA-256 differs from the bag's for {target}")
        elif rec.get("omvang") != str(os.lstat(os.path.join(path, target)).st_size):
            res.invalid.append(f"{rel}: its omvang differs from the size of {target}")
    for rel in sorted(present):
        if rel.startswith("data/media/") and not rel.endswith(mdto.SUFFIX) \
                and rel not in described:
            res.invalid.append(f"{rel}: no MDTO bestand record ({rel}{mdto.BESTAND_SUFFIX})")
    _check_info(path, bag, listing, res)
    return res


def _check_info(path: str, bag: bagit.Bag, listing: _Listing, res: BagCheck) -> None:
    """bag-info.txt says what the Dossier says: its identifier (External-Identifier,
    Internal-Sender-Identifier) and the archiefvormer (Source-Organization).  A bag-info.txt
    edited and re-hashed with bagit's ``save`` is caught here unless the Dossier was
    rewritten too."""
    rel = f"data/{DOSSIER}"
    if rel in listing.special:
        return
    try:
        with open(open_regular(os.path.join(path, rel)), "rb") as fh:
            found = mdto.read_dossier(fh.read())
    except OSError:
        return  # reported as missing
    if not found:
        return  # reported as invalid
    expect = {"Internal-Sender-Identifier": found.get("kenmerk"),
              "External-Identifier": found.get("kenmerk"),
              "Source-Organization": found.get("archiefvormer")}
    for key, want in expect.items():
        have = bag.info.get(key)
        if have is None and key == "External-Identifier":
            continue  # written only with --request-id
        if want is not None and have != visible(want):
            res.other.append(f"bag-info.txt {key} is {have!r}, but {rel} says {want!r}")
