"""The output formats: one interface, one table, chosen by format name or file suffix.

Adding a format is one ``Writer`` row here; the CLI never names a format itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from mediaaudit.writers.csv_writer import write_csv
from mediaaudit.writers.json_writer import write_json
from mediaaudit.writers.md_writer import write_md

WriteFn = Callable[[Mapping[str, Any], TextIO, str], None]
"""(manifest, stream, base folder of the manifest's paths) → writes the whole output.
The manifest carries its own language (``lang``)."""


@dataclass(frozen=True)
class Writer:
    """One output format.

    ``streams``: the writer reads ``files`` once, in order, and ``summary`` and
    ``skipped`` only after that, so a scan can hand it the entries while they are
    audited (a live iterator, and a summary filled in as they pass) and never hold the
    list.  Writers that put the verdict first need the whole list and get it.

    ``binary``: the output is bytes (written to the stream's ``buffer``), never sent to a
    terminal.  ``missing``: what the format still needs on this machine (a sentence for
    the user), or None; asked before any work is done."""

    name: str
    suffixes: tuple[str, ...]
    write: WriteFn
    streams: bool
    binary: bool = False
    missing: Callable[[], str | None] = lambda: None

    @property
    def suffix(self) -> str:
        """The suffix given to ``-o BASE`` when several formats are asked for."""
        return self.suffixes[0]


def _html(m: Mapping[str, Any], out: TextIO, base: str) -> None:
    """HTML with a preview of every image that is still on disk unchanged under ``base``.
    (Imported here: previews bring Pillow, which a JSON scan never needs in this process.)"""
    from mediaaudit.thumbs import previews
    from mediaaudit.writers.html_writer import write_html

    write_html(m, out, lambda cards: previews(cards, base))


def _pdf(m: Mapping[str, Any], out: TextIO, base: str) -> None:
    """PDF/A: the HTML report above, previews included, laid out on A4."""
    from mediaaudit.writers.pdf_writer import write_pdf

    write_pdf(m, out, base, _html)


def _pdf_missing() -> str | None:
    from mediaaudit.writers.pdf_writer import pdf_missing

    return pdf_missing()


WRITERS: tuple[Writer, ...] = (
    Writer("json", (".json",), write_json, streams=True),
    Writer("csv", (".csv",), write_csv, streams=True),
    Writer("html", (".html", ".htm"), _html, streams=False),
    Writer("md", (".md", ".markdown"), write_md, streams=False),
    Writer("pdf", (".pdf",), _pdf, streams=False, binary=True, missing=_pdf_missing),
)

FORMATS: tuple[str, ...] = tuple(w.name for w in WRITERS)
_BY_NAME = {w.name: w for w in WRITERS}
_BY_SUFFIX = {s: w for w in WRITERS for s in w.suffixes}


def by_name(name: str) -> Writer:
    """The writer of a ``--format`` value (``KeyError`` for an unknown one)."""
    return _BY_NAME[name]


def by_suffix(path: str) -> Writer | None:
    """The writer a file name asks for by its suffix (case ignored), or None."""
    return _BY_SUFFIX.get(os.path.splitext(path)[1].lower())
