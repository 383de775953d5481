"""Find and read ``mediaaudit.toml`` (I/O edge for ``policy``).

Every problem with the file, from a missing file to a misspelt key, is a
``PolicyError`` with a message for the user: ``scan`` prints it and exits 2, and a
long-running ``watch`` can catch that one class on reload and keep its old settings.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from mediaaudit.policy import Policy, PolicyError, build_policy

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
    config: str | None, paths: list[str], select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()
) -> Policy:
    """Read the given or discovered config; no config means the default policy."""
    build_policy(None, select, ignore)  # command-line mistakes are reported as such
    path = Path(config) if config else find_config(paths)
    if path is None:
        return build_policy(None, select, ignore)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Notepad writes a BOM
    except OSError as exc:
        raise PolicyError(f"cannot read config {path}: {exc.strerror}") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return build_policy(doc, select, ignore, source=str(path),
                            base=str(path.resolve().parent).replace("\\", "/"))
    except PolicyError as exc:
        raise PolicyError(f"{path}: {exc}") from exc
