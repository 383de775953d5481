"""Find and read ``mediaaudit.toml`` (I/O edge for ``policy``).

Every problem with the file, from a missing file to a misspelt key, is a
``PolicyError`` that lists all of them for the user (``configerrors``): ``scan`` prints
it in the run's language and exits 2, and a long-running ``watch`` can catch that one
class on reload and keep its old settings.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from mediaaudit.configerrors import PolicyError, Problem, Wrong, problem
from mediaaudit.policy import Policy, Requirement, build_policy

CONFIG_NAME = "mediaaudit.toml"


def find_config(paths: list[str]) -> Path | None:
    """The first ``mediaaudit.toml`` in a scanned folder or one of its parents."""
    for p in paths:
        start = Path(os.path.realpath(p))  # Path.resolve raises on a symlink loop
        if not start.is_dir():
            start = start.parent
        for d in (start, *start.parents):
            cand = d / CONFIG_NAME
            if cand.is_file():
                return cand
    return None


def load_policy(
    config: str | None, paths: list[str], select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (), require: Requirement | None = None,
) -> Policy:
    """Read the given or discovered config; no config means the default policy.

    ``require`` adds what one command needs (``archive``: its settings), so a file
    with a misspelt key and two missing archive settings is one error with three
    lines, not three runs."""
    build_policy(None, select, ignore)  # command-line mistakes are reported as such
    path = Path(config) if config else find_config(paths)
    if path is None:
        try:
            return build_policy(None, select, ignore, require=require)
        except PolicyError as exc:
            where = ", ".join(paths) or "."
            raise PolicyError(exc.problems, lead=Problem(where, Wrong.NO_CONFIG)) from exc
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Notepad writes a BOM
    except OSError as exc:
        raise PolicyError(problem(str(path), Wrong.UNREADABLE,
                                  why=exc.strerror or exc)) from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(problem(str(path), Wrong.NOT_TOML, why=exc)) from exc
    return build_policy(doc, select, ignore, source=str(path),
                        base=str(path.resolve().parent).replace("\\", "/"), require=require)
