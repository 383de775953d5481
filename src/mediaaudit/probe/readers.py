"""The metadata readers run during a probe (rights, privacy, portrait facts).

Image readers receive the already-open Pillow image (no second open); file readers get
the path, the first bytes and libmagic's MIME type, for what Pillow does not expose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mediaaudit.codes import CodeId
from mediaaudit.probe import (
    c2pa,
    c2pa_read,
    captions,
    exif,
    iptc,
    pngtext,
    sidecars,
    structure,
    xmp,
)
from mediaaudit.probe.partial import Partial
from mediaaudit.probe.run import FileReader, ImageReader


@dataclass(frozen=True)
class Reader:
    """One metadata reader and its contract with the others.

    Readers share one ``Partial``; some read what an earlier step put there (C2PA reading
    needs the marker that detection found; the FLIR reader needs the EXIF Make).  Saying so
    here lets ``check_order`` prove the order instead of a comment remembering it.
    ``needs``/``gives`` name Partial facts (``fact:c2pa``), props (``prop:exif_make``) or
    the kind (``kind``)."""

    run: Callable[..., None]
    block: str
    needs: frozenset[str] = frozenset()
    gives: frozenset[str] = frozenset()


# What the probe core sets before any reader runs (identification, Pillow, MediaInfo).
CORE = frozenset({"kind", "prop:pillow_error"})

IMAGE_READERS = (
    Reader(exif.read_exif, "EXIF", gives=frozenset({"fact:exif", "prop:exif_make"})),
    Reader(iptc.read_iptc, "IPTC"),
    Reader(pngtext.read_png_text, "PNG text"),
    Reader(xmp.read_image_xmp, "XMP"),
)
FILE_READERS = (
    Reader(structure.check_structure, "structure"),
    Reader(xmp.read_container_xmp, "XMP"),
    Reader(sidecars.read_sidecars, "sidecar"),
    Reader(exif.read_exif_fallback, "EXIF", needs=frozenset({"kind", "prop:pillow_error"}),
           gives=frozenset({"fact:exif"})),
    Reader(captions.read_captions, "captions", needs=frozenset({"kind"})),
    Reader(captions.read_alt_text, "alt text", needs=frozenset({"kind"})),
    Reader(c2pa.detect, "C2PA", gives=frozenset({"fact:c2pa"})),
    Reader(c2pa_read.read_c2pa, "C2PA", needs=frozenset({"fact:c2pa"})),
    Reader(pngtext.read_png_late, "PNG text", needs=frozenset({"fact:exif"})),
    Reader(exif.read_flir_gps, "FLIR", needs=frozenset({"prop:exif_make"})),
)


def check_order(readers: Sequence[Reader], given: frozenset[str] = CORE) -> None:
    """Raise when a reader needs something that no earlier step gives."""
    have = set(given)
    for r in readers:
        missing = r.needs - have
        if missing:
            name = getattr(r.run, "__name__", r.block)
            raise RuntimeError(f"reader {name} runs before what it needs: {sorted(missing)}")
        have |= r.gives


check_order((*IMAGE_READERS, *FILE_READERS))  # image readers run first (probe.run)


def image_readers() -> list[ImageReader]:
    """Image readers get the open Pillow image; each is guarded: a damaged block (a
    hostile TIFF's XMP tag) costs that block (MA-IO-009), not the file's audit."""
    return [guarded(r.run, r.block) for r in IMAGE_READERS]


def file_readers() -> list[FileReader]:
    """The structure check first and unguarded here: if it cannot run, the file's
    completeness is unknown, which the probe's guard reports as 'could not audit'.  A
    metadata reader that fails costs its block only (MA-IO-009): the format verdict still
    stands, so a readable file fails or passes, it does not become an error."""
    return [r.run if r.run is structure.check_structure else guarded_file(r.run, r.block)
            for r in FILE_READERS]


def guarded(read: ImageReader, block: str) -> ImageReader:
    """A damaged metadata block costs that block (MA-IO-009), not the file's audit."""

    def run(im: Any, part: Partial) -> None:
        try:
            read(im, part)
        except Exception as exc:
            part.note(CodeId.METADATA_DAMAGED, block, block=block, reason=type(exc).__name__)

    run.__name__ = getattr(read, "__name__", block)
    return run


def guarded_file(read: FileReader, block: str) -> FileReader:
    """``guarded`` for file readers; a vanished or unreadable file is still an I/O
    problem of the whole file, so OSError goes on to the probe's guard."""

    def run(path: str, head: bytes, mime: str | None, part: Partial) -> None:
        try:
            read(path, head, mime, part)
        except OSError as exc:
            if exc.errno is not None:  # real I/O; a library's parse error has no errno
                raise
            part.note(CodeId.METADATA_DAMAGED, block, block=block, reason=type(exc).__name__)
        except Exception as exc:
            part.note(CodeId.METADATA_DAMAGED, block, block=block, reason=type(exc).__name__)

    run.__name__ = getattr(read, "__name__", block)
    return run
