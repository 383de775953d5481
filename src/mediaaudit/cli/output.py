"""Where and in which format a manifest is written (scan and report share this).

Formats come from ``writers.table``; files are written by ``writers.atomic`` (atomic,
with the umask's mode).  Any output that cannot be written raises
``OutputUnwritable``, which the commands turn into one line and exit status 2.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from mediaaudit.cli.common import CliKey
from mediaaudit.cli.common import text as say  # the one table of CLI texts
from mediaaudit.writers.atomic import OutputUnwritable, atomic_text, check_writable
from mediaaudit.writers.table import FORMATS, WRITERS, Writer, by_name, by_suffix

__all__ = ["FORMATS", "OutputError", "OutputUnwritable", "Target", "atomic", "check_targets",
           "targets", "write_all"]

Target = tuple[Writer, str | None]
"""A writer and its file (None = stdout)."""


class OutputError(ValueError):
    """A bad -o/--format combination: a key of the CLI's text table and its parameters,
    said in the run's language by ``text`` (``str`` is the English, for logs and tests)."""

    def __init__(self, key: CliKey, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        shown = dict(self.params)
        names = shown.get("suffixes")
        if isinstance(names, list):  # '.json, .csv, … or .pdf' with the language's 'or'
            shown["suffixes"] = f"{', '.join(names[:-1])} {say('or', lang)} {names[-1]}"
        return say(self.key, lang, **shown)


def targets(output: str | None, formats: tuple[str, ...]) -> list[Target]:
    """(writer, path or None for stdout) pairs for the given -o and --format options."""
    if output in (None, "-"):
        if len(formats) > 1:
            raise OutputError("several_formats")
        writer = by_name(formats[0] if formats else "json")
        if writer.binary and sys.stdout.isatty():
            raise OutputError("not_for_terminal", kind=writer.name.upper(),
                              suffix=writer.suffix)
        return [(writer, None)]
    assert output is not None
    implied = by_suffix(output)
    if not formats:
        if implied is None:
            raise OutputError("which_format", output=output,
                              suffixes=[w.suffix for w in WRITERS])
        return [(implied, output)]
    if len(formats) == 1:  # -o without a suffix gets the format's: never a bare "x"
        writer = by_name(formats[0])
        bare = implied is None and not os.path.isdir(output) and not output.endswith(os.sep)
        return [(writer, output + writer.suffix if bare else output)]
    base = os.path.splitext(output)[0] if implied else output
    return [(by_name(f), base + by_name(f).suffix) for f in dict.fromkeys(formats)]


def check_targets(pairs: list[Target]) -> None:
    """Refuse, before any work, an output that can never be written (OutputUnwritable):
    a folder that does not take the file, or a format this machine cannot make."""
    for writer, path in pairs:
        reason = writer.missing()
        if reason:
            raise OutputUnwritable(path or "-", reason)
        if path:
            check_writable(path)


@contextlib.contextmanager
def atomic(path: str | None) -> Iterator[TextIO]:
    """stdout, or a temporary file renamed over ``path`` only when writing succeeded."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_text(path) as fh:
        yield fh


def write_all(outs: list[Target], manifest: dict[str, Any], base: str = ".") -> None:
    """Write a complete manifest in every requested format, each atomically."""
    for writer, path in outs:
        with atomic(path) as out:
            writer.write(manifest, out, base)
