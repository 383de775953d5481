"""Helpers shared by the renderings: order, message re-rendering, fix hints."""

from __future__ import annotations

import copy
from typing import Any

from mediaaudit import codes

OUTCOME_ORDER = {"error": 0, "fail": 1, "pass": 2}


def failing_first(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(files, key=lambda f: (OUTCOME_ORDER.get(f.get("outcome", ""), 3),
                                        f.get("path", "")))


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
