"""Facts ⇄ JSON, for the cache.  Pure; round-trips every field of ``Facts``."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from mediaaudit.model import (
    Facts,
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
        meta=tuple(MetaFact(**x) for x in d["meta"]),
        notes=tuple(ProbeNote(n["code"], n["params"], n["source"]) for n in d["notes"]),
        sidecars=tuple(d["sidecars"]),
    )
