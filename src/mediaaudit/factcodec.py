"""Facts ⇄ JSON, for the cache.  Pure; round-trips every field of ``Facts``.

A fact's source is stored as its fields (origin, tag, language, sidecar file), not as the
text the manifest shows, which cannot be read back (a sidecar's name may hold ``:`` or
``@``).  Rows written before sources were typed are never read: the cache's version
includes a digest of this module and of ``model`` (``engines.probe_version``), and a
row that does not decode is a miss (``FactCache.decode``)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from mediaaudit.model import (
    FactOrigin,
    Facts,
    FactSource,
    FileRef,
    Identification,
    MediaKind,
    MediaProps,
    MetaFact,
    ProbeNote,
    Track,
)


def dumps(f: Facts) -> str:
    # ASCII escapes keep undecodable file names (lone surrogates) storable in SQLite.
    return json.dumps(dataclasses.asdict(f), ensure_ascii=True, separators=(",", ":"))


def loads(text: str, ref: FileRef) -> Facts:
    """Facts from JSON; ``ref`` (the current walk's) replaces the stored one."""
    d: dict[str, Any] = json.loads(text)
    m = d["media"]
    return Facts(
        ref=ref,
        sha256=d["sha256"],
        ident=Identification(**d["ident"]),
        media=MediaProps(**{**m, "kind": MediaKind(m["kind"]),
                             "tracks": tuple(Track(**t) for t in m["tracks"])}),
        meta=tuple(MetaFact(x["field"], x["value"], _source(x["source"])) for x in d["meta"]),
        notes=tuple(ProbeNote(n["code"], n["params"], n["source"]) for n in d["notes"]),
        sidecars=tuple(d["sidecars"]),
    )


def _source(d: dict[str, Any]) -> FactSource:
    return FactSource(FactOrigin(d["origin"]), d["tag"], d["lang"], d["file"])
