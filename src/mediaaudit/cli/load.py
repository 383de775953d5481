"""Read a stored JSON manifest, with user-facing errors."""

from __future__ import annotations

import json
from typing import Any

from mediaaudit.cli.common import fail
from mediaaudit.digest import NotRegular, open_regular


def load_manifest(path: str) -> dict[str, Any]:
    try:  # a regular file only: a FIFO given as the manifest would block json.load forever
        with open(open_regular(path, follow=True), encoding="utf-8") as fh:
            m = json.load(fh)
    except NotRegular as exc:
        fail(f"cannot read manifest: {exc}")
    except OSError as exc:
        fail(f"cannot read manifest {path}: {exc.strerror}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        fail(f"{path} is not a JSON manifest: {exc}")
    if not isinstance(m, dict) or "schema_version" not in m or not isinstance(m.get("files"), list):
        fail(f"{path} is not a mediaaudit manifest (no schema_version/files)")
    if str(m["schema_version"]).split(".")[0] != "1":
        fail(f"{path} has manifest schema {m['schema_version']}; this mediaaudit reads 1.x")
    return m
