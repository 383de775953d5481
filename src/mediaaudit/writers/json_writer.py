"""Stream the JSON manifest: header keys, then files one per line, then summary.

The summary comes last because it is known only at the end; JSON object order does
not matter to readers, and streaming keeps memory flat for very large folders.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TextIO


class JsonManifestWriter:
    def __init__(self, out: TextIO, header: Mapping[str, Any]) -> None:
        self._out = out
        self._first = True
        body = json.dumps(dict(header), ensure_ascii=False, indent=2)
        out.write(body[:-2] + ',\n  "files": [')

    def add(self, entry: Mapping[str, Any]) -> None:
        """One file per line: readable, diff-friendly, and json's fast C encoder."""
        text = json.dumps(entry, ensure_ascii=False, separators=(", ", ": "))
        self._out.write(("\n    " if self._first else ",\n    ") + text)
        self._first = False

    def close(self, summary: Mapping[str, int], skipped: list[dict[str, str]]) -> None:
        tail = {"skipped": skipped, "summary": dict(summary)}
        rest = json.dumps(tail, ensure_ascii=False, indent=2)[1:]
        self._out.write(("\n  ]," if not self._first else "],") + rest + "\n")
