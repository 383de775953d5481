"""Test seams: faults injected by environment variable, so the supervision of real hangs
and native crashes can be tested end to end.  Unset in normal use.

A variable holds ``KIND:GLOB`` items separated by commas; a file whose name matches GLOB
gets that KIND of fault where the variable's reader acts on it."""

from __future__ import annotations

import fnmatch
import os


def injected(variable: str, path: str) -> frozenset[str]:
    """The fault kinds ``variable`` asks for on the file at ``path`` (by its name)."""
    spec = os.environ.get(variable)
    if not spec:
        return frozenset()
    name = os.path.basename(path)
    return frozenset(kind for kind, _, pattern in (i.partition(":") for i in spec.split(","))
                     if pattern and fnmatch.fnmatchcase(name, pattern))
