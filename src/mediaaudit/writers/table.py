"""The output formats: one interface, one table, chosen by format name or file suffix.

Adding a format is one ``Writer`` row here, with its writer and its recogniser; the CLI
never names a format itself, and the walk knows the project's own earlier outputs (never
audited as media) from this table alone (``is_own_output``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from mediaaudit.digest import open_regular
from mediaaudit.writers import csv_writer, html_writer, json_writer, md_writer, pdf_writer

WriteFn = Callable[[Mapping[str, Any], TextIO, str], None]
"""(manifest, stream, base folder of the manifest's paths) → writes the whole output.
The manifest carries its own language (``lang``)."""
IsOwn = Callable[[bytes, bytes], bool]
"""(the file's first ``HEAD_BYTES`` without a BOM, its last ``Writer.tail_bytes``) → did
this writer write it?  Pure; decided by content, so a renamed report is still known and a
user's own ``manifest.json`` is still audited."""
HEAD_BYTES = 4096


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
    is_own: IsOwn
    what: Mapping[str, str]  # what the output is, per language: "HTML report"
    binary: bool = False
    missing: Callable[[], str | None] = lambda: None
    tail_bytes: int = 0  # how much of the file's end ``is_own`` needs

    @property
    def suffix(self) -> str:
        """The suffix given to ``-o BASE`` when several formats are asked for."""
        return self.suffixes[0]


def _html(m: Mapping[str, Any], out: TextIO, base: str, *, printed: bool = False,
          progress: Callable[[int, int], None] | None = None) -> None:
    """HTML with a preview of every image that is still on disk unchanged under ``base``
    (``printed`` and ``progress``: the PDF's page, see ``write_html``).
    (Imported here: previews bring Pillow, which a JSON scan never needs in this process.)"""
    from mediaaudit.thumbs import previews
    from mediaaudit.writers.html_writer import write_html

    write_html(m, out, lambda cards: previews(cards, base), printed, progress)


def _pdf(m: Mapping[str, Any], out: TextIO, base: str) -> None:
    """PDF/A: the HTML report above, previews included, laid out on A4."""
    from mediaaudit.writers.pdf_writer import write_pdf

    write_pdf(m, out, base, _html)


def _pdf_missing() -> str | None:
    from mediaaudit.writers.pdf_writer import pdf_missing

    return pdf_missing()


WRITERS: tuple[Writer, ...] = (
    Writer("json", (".json",), json_writer.write_json, True, json_writer.is_own,
           {"nl": "JSON-manifest", "en": "JSON manifest"}),
    Writer("csv", (".csv",), csv_writer.write_csv, True, csv_writer.is_own,
           {"nl": "CSV-tabel", "en": "CSV table"}),
    Writer("html", (".html", ".htm"), _html, False, html_writer.is_own,
           {"nl": "HTML-rapport", "en": "HTML report"}),
    Writer("md", (".md", ".markdown"), md_writer.write_md, False, md_writer.is_own,
           {"nl": "Markdown-samenvatting", "en": "Markdown summary"}),
    Writer("pdf", (".pdf",), _pdf, False, pdf_writer.is_own,
           {"nl": "PDF-rapport", "en": "PDF report"}, binary=True,
           missing=_pdf_missing, tail_bytes=pdf_writer.TAIL_BYTES),
)
# Every name ending an earlier output of this project can have.
SUFFIXES: tuple[str, ...] = tuple(s for w in WRITERS for s in w.suffixes)

FORMATS: tuple[str, ...] = tuple(w.name for w in WRITERS)
_BY_NAME = {w.name: w for w in WRITERS}
_BY_SUFFIX = {s: w for w in WRITERS for s in w.suffixes}


def by_name(name: str) -> Writer:
    """The writer of a ``--format`` value (``KeyError`` for an unknown one)."""
    return _BY_NAME[name]


def by_suffix(path: str) -> Writer | None:
    """The writer a file name asks for by its suffix (case ignored), or None."""
    return _BY_SUFFIX.get(os.path.splitext(path)[1].lower())


def is_own_output(path: str) -> bool:
    """Is this regular file a manifest or report that mediaaudit wrote (an earlier scan's
    ``-o`` in the scanned folder)?  Only a file with an output suffix is opened (never
    following a link, never a FIFO), and only its first ``HEAD_BYTES`` and the end its
    writer's recogniser asks for are read."""
    writer = by_suffix(path)
    if writer is None:
        return False
    try:
        with open(open_regular(path), "rb") as fh:
            head = fh.read(HEAD_BYTES)
            tail = b""
            if writer.tail_bytes:
                size = os.fstat(fh.fileno()).st_size
                fh.seek(max(0, size - writer.tail_bytes))
                tail = fh.read(writer.tail_bytes)
    except OSError:
        return False
    return writer.is_own(head.removeprefix(b"\xef\xbb\xbf"), tail)
