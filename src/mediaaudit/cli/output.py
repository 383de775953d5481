"""Where and in which format a manifest is written (scan and report share this)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import Any, TextIO

from mediaaudit.thumbs import thumbnails
from mediaaudit.writers.csv_writer import render_csv
from mediaaudit.writers.html_writer import render_html
from mediaaudit.writers.md_writer import render_md

FORMATS = ("json", "csv", "html", "md")
SUFFIX = {"json": ".json", "csv": ".csv", "html": ".html", "md": ".md"}


class OutputError(ValueError):
    """A bad -o/--format combination; the message is for the user."""


def targets(output: str | None, formats: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """(format, path or None for stdout) pairs for the given -o and --format options."""
    if output in (None, "-"):
        if len(formats) > 1:
            raise OutputError("several --format values need -o FILE (used as the base name)")
        return [(formats[0] if formats else "json", None)]
    assert output is not None
    stem, suffix = os.path.splitext(output)
    ext = suffix.lower().lstrip(".")
    if not formats:
        if ext not in FORMATS:
            raise OutputError(f"cannot tell the format from '{output}': use .json, .csv, "
                              ".html or .md, or --format")
        return [(ext, output)]
    if len(formats) == 1:
        return [(formats[0], output)]
    base = stem if ext in FORMATS else output
    return [(f, base + SUFFIX[f]) for f in dict.fromkeys(formats)]


def check_targets(pairs: list[tuple[str, str | None]]) -> None:
    for _, path in pairs:
        if path and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise OutputError(f"the folder for {path} does not exist")


@contextlib.contextmanager
def atomic(path: str | None) -> Iterator[TextIO]:
    """stdout, or a temp file renamed over ``path`` only when writing succeeded."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".mediaaudit-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_all(outs: list[tuple[str, str | None]], manifest: dict[str, Any],
              base: str = ".") -> None:
    """Write a complete manifest in every requested format, each atomically."""
    for fmt, path in outs:
        with atomic(path) as out:
            if fmt == "json":
                json.dump(manifest, out, ensure_ascii=False, indent=2)
                out.write("\n")
            else:
                out.write(render(fmt, manifest, base))


def render(fmt: str, manifest: dict[str, Any], base: str = ".") -> str:
    """A non-JSON rendering of a complete manifest."""
    if fmt == "html":
        return render_html(manifest, thumbnails(manifest["files"], base))
    if fmt == "csv":
        return render_csv(manifest["files"])
    if fmt == "md":
        return render_md(manifest)
    raise OutputError(f"unknown format {fmt}")
