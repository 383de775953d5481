"""The watch results: ``audit-log.jsonl`` (one line per file, append-only, fsynced) and
one manifest per file, each written once per state row even across crashes; and the
HTML reports people see: one beside each routed file and one overview page per day in
each destination folder (``write_reports``), with the files' previews."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mediaaudit.fsnames import alive, fit, printable, stale_temp, temp_name
from mediaaudit.sidecars import REPORT_SUFFIX, report_name
from mediaaudit.watch.messages import Trouble
from mediaaudit.writers.html_writer import Previews, write_html
from mediaaudit.writers.json_writer import json_line
from mediaaudit.writers.table import is_own_output

LOG_NAME = "audit-log.jsonl"
# Fields of a log line that are not part of a manifest entry.
LOG_ONLY = ("audited_at", "derived_from", "fix")  # not in a scan manifest's file entry


class ResultsError(OSError):
    """The results folder cannot be written: the service must stop, not route unlogged.
    ``said``: the same, for the log to say in its language."""

    def __init__(self, code: int | None, directory: str, why: str) -> None:
        self.said = Trouble("results_unwritable", {"path": directory, "why": why})
        super().__init__(code, self.said.render("en"))


def check_writable(directory: str) -> None:
    """Fail early (one line, exit 2) rather than after the first audit."""
    try:
        os.makedirs(directory, exist_ok=True)
        probe = os.path.join(directory, f".mediaaudit-write-test-{os.getpid()}")
        with open(probe, "w", encoding="utf-8") as fh:
            fh.write("ok")
        os.remove(probe)
    except OSError as exc:
        raise ResultsError(exc.errno, directory, exc.strerror or str(exc)) from exc


def _logged(log: str, row_id: int) -> bool:
    """Was this row's line already appended (a crash right after the append)?"""
    try:
        with open(log, "rb") as fh:
            fh.seek(max(0, fh.seek(0, os.SEEK_END) - (256 << 10)))
            tail = fh.read()
    except OSError:
        return False
    return f'{{"id": {row_id},'.encode() in tail


def append_line(path: str, line: str) -> None:
    """Append ``line`` and a newline to ``path`` and fsync.  Every line stays whole, so
    each is read back or repeated, never glued to the next: a line a full disk cut short
    is taken back (the file truncated to where it was), and one a kill cut short is
    closed with a newline before the next.  A lone surrogate is written as its JSON
    escape."""
    data = (line + "\n").encode("utf-8", "backslashreplace")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o666)
    try:
        end = os.lseek(fd, 0, os.SEEK_END)
        if end and os.pread(fd, 1, end - 1) != b"\n":
            data = b"\n" + data
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, end)
            raise
    finally:
        os.close(fd)


def result_name(rel: str, sha256: object) -> str:
    """The name of one file's manifest in the results folder: its path with ``__`` for
    each folder separator, and the start of its SHA-256; shortened to fit (a deep path or
    a name at the limit still gets its manifest)."""
    safe = rel.replace(os.sep, "__")
    return fit(safe, f".{(str(sha256 or 'none'))[:12]}.json")


def write(directory: str, row_id: int, rel: str, entry: Mapping[str, Any],
          moved_to: str | None, head: Mapping[str, Any]) -> None:
    """Append the log line (with where the file went) and write the file's manifest."""
    try:
        os.makedirs(directory, exist_ok=True)
        log = os.path.join(directory, LOG_NAME)
        if not _logged(log, row_id):
            append_line(log, json_line({"id": row_id, **entry, "moved_to": moved_to}))
        pure = {k: v for k, v in entry.items() if k not in LOG_ONLY}
        outcome = pure.get("outcome")
        doc = {**head, "files": [pure], "skipped": [],
               "summary": {"files": 1, "pass": int(outcome == "pass"),
                           "fail": int(outcome == "fail"), "error": int(outcome == "error")}}
        out = os.path.join(directory, result_name(rel, pure.get("sha256")))
        tmp = os.path.join(directory, temp_name("result"))
        try:
            with open(tmp, "w", encoding="utf-8", errors="backslashreplace") as fh:
                json.dump(doc, fh, ensure_ascii=False, indent=2)
            os.replace(tmp, out)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    except OSError as exc:
        raise ResultsError(exc.errno, directory, exc.strerror or str(exc)) from exc



# --- reports people can see beside the routed files ---------------------------------
# Beside each routed file its report (``foto.jpg.mediaaudit.html``, a sidecar kind, so it
# moves and is renamed with the file and is never audited), and in each destination
# folder one overview page per day listing every file routed there that day.  Both are
# rendered by the same HTML writer as ``scan`` (the writer table), in the watch's
# language.  The day's entries are kept in ``DAYS/<date>.jsonl`` in the results folder, so
# the overview is rebuilt from a small file, whatever the age of the service.
#
# Previews: the one of each routed file is made once, for the report beside it (in a
# preview worker, of the audited bytes only), and kept with the file's line in the day's
# index (a small JPEG as a data: URI, a few KB).  The overview, rebuilt for every routed
# file, takes the previews from there: no file of the day is hashed or decoded again, and
# it shows each file as it was when it was routed.  Lines written before previews were
# kept show "no preview".
#
# One overview per day and destination, in the language of the watch that wrote it last:
# its name is in that language (``overzicht-DAY``, ``overview-DAY``), and the same day's
# overview in another language (a restart with another --lang) is removed when the new
# one is written, so a folder never holds two lists of the same day.  Earlier days keep
# the name and language they were written in.

DAYS = "days"
OVERVIEW = {"nl": "overzicht", "en": "overview"}


def overview_name(day: str, lang: str) -> str:
    """``overzicht-2026-05-04.mediaaudit.html`` (nl) / ``overview-…`` (en)."""
    return f"{OVERVIEW.get(lang, OVERVIEW['en'])}-{day}{REPORT_SUFFIX}"


def _other_overviews(dest_root: str, day: str, lang: str) -> list[str]:
    """The same day's overview pages in ``dest_root`` in every other language, where
    they are pages this service wrote (a user's file of that name is left alone)."""
    mine = overview_name(day, lang)
    found = []
    for other in OVERVIEW:
        path = os.path.join(dest_root, overview_name(day, other))
        if overview_name(day, other) != mine and os.path.isfile(path) \
                and not os.path.islink(path) and is_own_output(path):
            found.append(path)
    return found


def _summary(files: list[Mapping[str, Any]]) -> dict[str, int]:
    out = {"files": 0, "pass": 0, "fail": 0, "error": 0}
    for f in files:
        out["files"] += 1
        o = str(f.get("outcome"))
        out[o if o in out else "error"] += 1
    return out


# Temporary names of 0.2, derived from the final name (and so sometimes too long):
# ``.NAME.mediaaudit.html.PID.tmp`` for a report, ``.NAME.mediaaudit-partial`` for a copy.
_OLD_REPORT_TEMP = re.compile(r"^\..+\.mediaaudit\.html\.(\d+)\.tmp$", re.I)
_OLD_PARTIAL = ".mediaaudit-partial"


def _orphan(name: str) -> bool:
    if any(stale_temp(name, kind) for kind in ("report", "partial", "result")):
        return True
    if name.startswith(".") and name.endswith(_OLD_PARTIAL):
        return True  # no process id: only an old, killed watcher wrote these
    m = _OLD_REPORT_TEMP.match(name)
    return m is not None and not alive(int(m.group(1)))


def remove_orphans(root: str) -> list[str]:
    """Remove this service's own temporaries that a killed watcher left behind under a
    destination folder: half-written reports and partial copies of a move across file
    systems (whose source was never removed, so nothing is lost), whose process is gone.
    The share then holds only routed files and their reports, and no leftover can block
    the next write.  Run once at start-up.  Returns the paths removed."""
    removed = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if not _orphan(name):
                continue
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed.append(path)
    return removed


def _render(doc: Mapping[str, Any], out: str, shots: Previews) -> None:
    """Write ``doc`` as HTML to ``out`` atomically (a stale report is replaced), with the
    previews ``shots`` gives its cards (no media file is read here)."""
    tmp = os.path.join(os.path.dirname(out), temp_name("report"))
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            write_html(doc, fh, shots)
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _preview(one: Mapping[str, Any], here: str) -> str | None:
    """The routed file's preview, made in a preview worker from the audited bytes (None
    when it has none).  (Imported here: previews bring Pillow.)"""
    from mediaaudit.thumbs import previews

    shots = previews([one], here)
    try:
        return next(shots, None)
    finally:
        shots.close()


def _kept(row: Mapping[str, Any]) -> str | None:
    """The preview kept in a line of the day's index: an image as a data: URI, or None."""
    uri = row.get("preview")
    return uri if isinstance(uri, str) and uri.startswith("data:image/") else None


def _given(shots: Mapping[int, str | None]) -> Previews:
    """Previews already made, looked up by card (the entry objects listed)."""
    def take(cards: Sequence[Mapping[str, Any]]) -> Iterator[str | None]:
        return (shots.get(id(card)) for card in cards)
    return take


def write_reports(directory: str, row_id: int, entry: Mapping[str, Any], target: str,
                  dest_root: str, head: Mapping[str, Any], day: str | None = None
                  ) -> list[str]:
    """The report beside ``target`` (the routed file) and the day's overview page in
    ``dest_root``; return the paths written.  Safe to repeat (a resumed row)."""
    pure = {k: v for k, v in entry.items() if k not in LOG_ONLY}
    lang = str(head.get("lang") or "en")
    day = day or dt.date.today().isoformat()
    here = os.path.dirname(target)
    one = {**pure, "path": printable(os.path.basename(target))}
    report = os.path.join(here, report_name(os.path.basename(target)))
    rel = printable(os.path.relpath(target, dest_root))
    index = os.path.join(directory, DAYS, f"{day}.jsonl")
    os.makedirs(os.path.dirname(index), exist_ok=True)
    rows = _day_rows(index)
    known = next((r for r in rows if r.get("id") == row_id and r.get("dest") == dest_root),
                 None)
    # a resumed row has its preview in its line (one written by an earlier version not)
    uri = _kept(known) if known is not None and "preview" in known else _preview(one, here)
    _render({**head, "roots": [printable(here)], "files": [one], "skipped": [],
             "summary": _summary([one])}, report, _given({id(one): uri}))
    if known is None:
        line = {"id": row_id, "dest": dest_root, "entry": {**pure, "path": rel},
                "preview": uri}
        append_line(index, json_line(line))
        rows.append(line)
    files: dict[int, Mapping[str, Any]] = {}
    shots: dict[int, str | None] = {}
    for r in rows:
        if r.get("dest") == dest_root and isinstance(r.get("entry"), dict):
            files[int(r.get("id", 0))] = r["entry"]
            shots[id(r["entry"])] = _kept(r)
    listed = [files[k] for k in sorted(files)]
    overview = os.path.join(dest_root, overview_name(day, lang))
    _render({**head, "roots": [printable(dest_root)], "files": listed, "skipped": [],
             "summary": _summary(listed)}, overview, _given(shots))
    for stale in _other_overviews(dest_root, day, lang):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(stale)
    return [report, overview]


def _day_rows(index: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    try:
        with open(index, encoding="utf-8") as fh:
            for line in fh:
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by a crash: the next write repeats it
                if isinstance(row, dict):
                    rows.append(row)
    except FileNotFoundError:
        pass
    return rows
