"""Sidecars next to a media file: REUSE-style ``NAME.license`` and XMP ``NAME.xmp`` /
``NAME.EXT.xmp``.  They are evidence for the file, never audited as media themselves."""

from __future__ import annotations

import os
import re

from mediaaudit.probe import xmp
from mediaaudit.probe.partial import Partial

MAX_SIDECAR = 1 << 20
_SPDX = re.compile(r"^\s*(?:#\s*)?SPDX-(FileCopyrightText|License-Identifier)\s*:\s*(.+?)\s*$",
                   re.MULTILINE)


def candidates(path: str) -> list[tuple[str, str]]:
    """(kind, sidecar path) pairs that may belong to ``path``."""
    stem, _ = os.path.splitext(path)
    return [("license", path + ".license"), ("xmp", path + ".xmp"), ("xmp", stem + ".xmp")]


def _read(path: str, limit: int) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read(limit + 1)
    except OSError:
        return None


def read_license_text(data: bytes, name: str, part: Partial) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        part.note("MA-LIC-010", f"sidecar:{name}", sidecar=name)
        return
    if "\x00" in text or len(data) > MAX_SIDECAR:
        part.note("MA-LIC-010", f"sidecar:{name}", sidecar=name)
        return
    found = False
    for key, value in _SPDX.findall(text):
        found = True
        if key == "License-Identifier":
            part.fact("licence", value, f"sidecar:{name}:SPDX-License-Identifier")
        else:
            part.fact("copyright", value, f"sidecar:{name}:SPDX-FileCopyrightText")
    if not found and text.strip():
        part.fact("licence", text.strip()[:500], f"sidecar:{name}")


def read_sidecars(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    seen = set()
    for kind, cand in candidates(path):
        if cand in seen or not os.path.isfile(cand):
            continue
        seen.add(cand)
        limit = MAX_SIDECAR if kind == "license" else xmp.MAX_PACKET
        data = _read(cand, limit)
        name = os.path.basename(cand)
        part.sidecars.append(name)
        if data is None:
            part.note("MA-LIC-010", f"sidecar:{name}", sidecar=name)
        elif kind == "license":
            read_license_text(data, name, part)
        elif len(data) > limit:
            part.note("MA-LIC-007", f"sidecar:{name}",
                      reason=f"sidecar larger than {limit} bytes")
        else:
            xmp.add_packet(data, part, f"sidecar:{name}")
