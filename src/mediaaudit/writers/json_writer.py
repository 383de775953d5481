"""The JSON manifest, streamed: header keys, then files one per line, then summary.

The summary comes last because it is known only at the end; JSON object order does
not matter to readers, and streaming keeps memory flat for very large folders.  A
scan and a later ``report --format json`` use this one layout, so the same manifest
always gives the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, TextIO

from mediaaudit.manifestview import entries
from mediaaudit.writers.common import summary_of

BODY_KEYS = ("files", "skipped", "summary")


# JSON leaves U+0085, U+2028 and U+2029 raw inside strings, but line readers (Python's
# ``splitlines``, log shippers, some editors) end a line there: a file name holding one
# would split a JSON line in two.  JSON allows them escaped.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(obj: Any, separators: tuple[str, str] = (", ", ": ")) -> str:
    """``obj`` as one JSON line that every line reader keeps whole: UTF-8 kept, control
    characters and the Unicode line breaks escaped."""
    text = json.dumps(obj, ensure_ascii=False, separators=separators)
    return text if text.isascii() else text.translate(_LINE_BREAKS)


def entry_line(entry: Mapping[str, Any]) -> str:
    """One file entry as the manifest writes it: one line, C encoder, UTF-8 kept."""
    return json_line(entry)


class StoredEntry(dict[str, Any]):
    """A file entry read back from the scan cache, with the line it was written as
    (``entry_line``), so a warm rescan writes it without encoding it again."""

    line: str


class JsonManifestWriter:
    """Incremental: ``add`` each entry as it is audited, ``close`` with the totals."""

    def __init__(self, out: TextIO, header: Mapping[str, Any]) -> None:
        self._out = out
        self._first = True
        body = json.dumps(dict(header), ensure_ascii=False, indent=2)
        out.write((body[:-2] + ",\n" if header else "{\n") + '  "files": [')

    def add(self, entry: Mapping[str, Any]) -> None:
        """One file per line: readable, diff-friendly, and json's fast C encoder."""
        text = entry.line if isinstance(entry, StoredEntry) else entry_line(entry)
        self._out.write(("\n    " if self._first else ",\n    ") + text)
        self._first = False

    def close(self, summary: Mapping[str, int], skipped: list[dict[str, str]]) -> None:
        tail = {"skipped": skipped, "summary": dict(summary)}
        rest = json.dumps(tail, ensure_ascii=False, indent=2)[1:]
        self._out.write(("\n  ]," if not self._first else "],") + rest + "\n")


def write_json(m: Mapping[str, Any], out: TextIO, base: str = ".") -> None:
    """Write manifest ``m``; its ``files`` may be a live iterator (``summary`` is read
    only after it is exhausted, so a scan can fill it in while the files arrive)."""
    writer = JsonManifestWriter(out, {k: v for k, v in m.items() if k not in BODY_KEYS})
    files = m.get("files") or []
    for entry in files:
        writer.add(entry)
    summary = m.get("summary")
    writer.close(summary_of(entries(m)) if summary is None else summary,
                 list(m.get("skipped") or []))


_TOOL = re.compile(rb'"tool"\s*:\s*\{\s*"name"\s*:\s*"mediaaudit"')


def is_own(head: bytes, tail: bytes) -> bool:
    """Is this a manifest this writer wrote (``head``: the file's first bytes, BOM
    removed)?  By content: a user's own ``manifest.json`` is still audited."""
    del tail
    return head.lstrip().startswith(b"{") and b'"schema_version"' in head[:1024] \
        and _TOOL.search(head[:1024]) is not None
