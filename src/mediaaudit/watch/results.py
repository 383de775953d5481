"""The watch results: ``audit-log.jsonl`` (one line per file, append-only, fsynced) and
one manifest per file, each written once per state row even across crashes."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

LOG_NAME = "audit-log.jsonl"
# Fields of a log line that are not part of a manifest entry.
LOG_ONLY = ("audited_at",)


class ResultsError(OSError):
    """The results folder cannot be written: the service must stop, not route unlogged."""


def check_writable(directory: str) -> None:
    """Fail early (one line, exit 2) rather than after the first audit."""
    try:
        os.makedirs(directory, exist_ok=True)
        probe = os.path.join(directory, f".mediaaudit-write-test-{os.getpid()}")
        with open(probe, "w", encoding="utf-8") as fh:
            fh.write("ok")
        os.remove(probe)
    except OSError as exc:
        raise ResultsError(exc.errno, f"cannot write results to {directory}: "
                           f"{exc.strerror or exc}") from exc


def _logged(log: str, row_id: int) -> bool:
    """Was this row's line already appended (a crash right after the append)?"""
    try:
        with open(log, "rb") as fh:
            fh.seek(max(0, fh.seek(0, os.SEEK_END) - (256 << 10)))
            tail = fh.read()
    except OSError:
        return False
    return f'{{"id": {row_id},'.encode() in tail


def write(directory: str, row_id: int, rel: str, entry: Mapping[str, Any],
          moved_to: str | None, head: Mapping[str, Any]) -> None:
    """Append the log line (with where the file went) and write the file's manifest."""
    try:
        os.makedirs(directory, exist_ok=True)
        log = os.path.join(directory, LOG_NAME)
        if not _logged(log, row_id):
            line = json.dumps({"id": row_id, **entry, "moved_to": moved_to},
                              ensure_ascii=False)
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        pure = {k: v for k, v in entry.items() if k not in LOG_ONLY}
        outcome = pure.get("outcome")
        doc = {**head, "files": [pure], "skipped": [],
               "summary": {"files": 1, "pass": int(outcome == "pass"),
                           "fail": int(outcome == "fail"), "error": int(outcome == "error")}}
        safe = rel.replace(os.sep, "__")
        out = os.path.join(directory, f"{safe}.{(pure.get('sha256') or 'none')[:12]}.json")
        tmp = out + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=2)
        os.replace(tmp, out)
    except OSError as exc:
        raise ResultsError(exc.errno, f"cannot write results to {directory}: "
                           f"{exc.strerror or exc}") from exc

