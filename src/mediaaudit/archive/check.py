"""Verify a bag written by ``archive``: bagit's own validation (every checksum in every
payload and tag manifest, completeness, Payload-Oxum), every MDTO record against the XSD,
and each ``bestand`` record against the file it describes."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

import bagit

from mediaaudit.archive import mdto
from mediaaudit.archive.bag import quiet_bagit


class NotABag(Exception):
    """The folder is not a bag that can be read at all; the message is for the user."""


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


def _hashes(path: str, algorithms: list[str]) -> dict[str, str] | None:
    hs = {a: hashlib.new(a) for a in algorithms}
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                for h in hs.values():
                    h.update(chunk)
    except OSError:
        return None
    return {a: h.hexdigest() for a, h in hs.items()}


def _diagnose(bag: bagit.Bag, res: BagCheck, message: str) -> None:
    """bagit said the bag is invalid; name the files (it stops at the first kind of
    problem, and a changed size only shows as a Payload-Oxum mismatch)."""
    only_manifest, only_fs = bag.compare_manifests_with_fs()
    res.missing.extend(sorted(only_manifest))
    res.extra_files.extend(sorted(only_fs))
    gone = set(only_manifest)
    for rel, stored in sorted(bag.entries.items()):
        if rel in gone:
            continue
        algs = [a for a in stored if a in hashlib.algorithms_available]
        now = _hashes(os.path.join(bag.path, rel), algs)
        if now is None:
            res.missing.append(rel)
        elif any(now[a] != stored[a].lower() for a in algs):
            res.changed.append(rel)
    if not (res.missing or res.extra_files or res.changed):
        res.other.append(message)


def check_bag(path: str) -> BagCheck:
    """Everything wrong with the bag at ``path`` (``ok`` when nothing is)."""
    res = BagCheck()
    with quiet_bagit():
        try:
            bag = bagit.Bag(path)
        except (bagit.BagError, OSError, UnicodeDecodeError, ValueError) as exc:
            raise NotABag(f"{path} cannot be read as a bag: {exc}") from exc
        try:
            bag.validate()
        except bagit.BagValidationError as exc:
            _diagnose(bag, res, str(exc.message if hasattr(exc, "message") else exc))
        except (bagit.BagError, OSError) as exc:
            res.other.append(str(exc))
    payload = sorted(bag.payload_files())
    res.payload = len(payload)
    present = {p.replace(os.sep, "/") for p in payload}
    described: set[str] = set()
    for rel in sorted(present):
        if not rel.endswith(mdto.SUFFIX):
            continue
        res.records += 1
        try:
            with open(os.path.join(path, rel), "rb") as fh:
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
        elif rec.get("omvang") != str(os.path.getsize(os.path.join(path, target))):
            res.invalid.append(f"{rel}: its omvang differs from the size of {target}")
    for rel in sorted(present):
        if rel.startswith("data/media/") and not rel.endswith(mdto.SUFFIX) \
                and rel not in described:
            res.invalid.append(f"{rel}: no MDTO bestand record ({rel}{mdto.BESTAND_SUFFIX})")
    return res
