"""Helpers shared by the renderings: order, totals, message re-rendering, fix hints.

Renderings also serve manifests written by older versions, so every key of a file
entry may be missing: these helpers and the writers read with defaults.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from mediaaudit import codes

OUTCOME_ORDER = {"error": 0, "fail": 1, "pass": 2}


def failing_first(files: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(files, key=lambda f: (OUTCOME_ORDER.get(f.get("outcome", ""), 3),
                                        f.get("path", "")))


def summary_of(files: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Totals counted from the entries, for a manifest that has no ``summary``."""
    out = {"files": 0, "pass": 0, "fail": 0, "error": 0}
    for f in files:
        out["files"] += 1
        outcome = f.get("outcome", "error")
        out[outcome if outcome in out else "error"] += 1
    return out


def relang(manifest: dict[str, Any], lang: str) -> dict[str, Any]:
    """The same manifest with every message rendered in ``lang`` from code + params."""
    m = copy.deepcopy(manifest)
    m["lang"] = lang
    for f in m.get("files", []):
        for x in f.get("findings", []):
            if x.get("code") in codes.CODES:
                x["message"] = codes.render(x["code"], x.get("params") or {}, lang)
    return m


def fix_hint(code: str, lang: str) -> str:
    """The 'how to fix' sentence of a code's explanation (after 'Oplossen:'/'Fix:')."""
    if code not in codes.CODES:
        return ""
    text = codes.explain(code, lang)
    for marker in ("Oplossen:", "Fix:"):
        if marker in text:
            return text.split(marker, 1)[1].strip()
    return ""
