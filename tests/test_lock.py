"""requirements.lock pins every runtime dependency, so a deployment gets the verdicts the
tests saw (PRONOM signatures inside pygfried, MediaInfo inside pymediainfo)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_lock_pins_every_runtime_dependency() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    wanted = {_norm(re.split(r"[<>=!~\[ ;]", d)[0]) for d in deps}
    pinned = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not pinned: {line}"
            pinned[_norm(name)] = version
    assert wanted <= set(pinned), sorted(wanted - set(pinned))
