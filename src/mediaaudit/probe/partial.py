"""What one probe contributes; ``run`` merges these into ``Facts``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mediaaudit.codes import CodeId
from mediaaudit.model import FactSource, MediaKind, MetaFact, ProbeNote, Track


@dataclass
class Partial:
    """Mutable accumulator used only inside one probe run (never leaves ``probe``)."""

    kind: MediaKind | None = None
    props: dict[str, Any] = field(default_factory=dict)
    tracks: list[Track] = field(default_factory=list)
    meta: list[MetaFact] = field(default_factory=list)
    notes: list[ProbeNote] = field(default_factory=list)
    sidecars: list[str] = field(default_factory=list)

    def note(self, code: CodeId, source: str | None = None, **params: Any) -> None:
        self.notes.append(ProbeNote(code, params, source))

    def fact(self, field_: str, value: object, source: FactSource) -> None:
        if isinstance(value, bytes | bytearray):  # a TIFF tag read as bytes (exifread):
            from mediaaudit.probe.exif import fix_text  # text, never b'M\xdftteo…'

            value = fix_text(bytes(value))
        text = str(value).strip().strip("\x00").strip() if value is not None else ""
        if text:
            self.meta.append(MetaFact(field_, text, source))
