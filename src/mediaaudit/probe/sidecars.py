"""Reading licence and XMP sidecars: REUSE-style ``NAME.license`` and XMP ``NAME.xmp`` /
``NAME.EXT.xmp``.  Which files those are is decided by ``mediaaudit.sidecars`` alone (the
walker, the cache and ``watch`` ask the same module); this module only reads them."""

from __future__ import annotations

import re
from dataclasses import replace

from mediaaudit.codes import CodeId
from mediaaudit.model import SPDX_COPYRIGHT, SPDX_LICENCE, FactOrigin, FactSource
from mediaaudit.probe import xmp
from mediaaudit.probe.partial import Partial
from mediaaudit.sidecars import SidecarKind, read_sidecar, sidecars_of

MAX_SIDECAR = 1 << 20
_SPDX = re.compile(r"^\s*(?:#\s*)?SPDX-(FileCopyrightText|License-Identifier)\s*:\s*(.+?)\s*$",
                   re.MULTILINE)
_KINDS = (SidecarKind.LICENSE, SidecarKind.XMP)


def read_license_text(data: bytes, name: str, part: Partial) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        part.note(CodeId.SIDECAR_UNREADABLE, f"sidecar:{name}", sidecar=name)
        return
    if "\x00" in text or len(data) > MAX_SIDECAR:
        part.note(CodeId.SIDECAR_UNREADABLE, f"sidecar:{name}", sidecar=name)
        return
    found = False
    side = FactSource(FactOrigin.SIDECAR, file=name)
    for key, value in _SPDX.findall(text):
        found = True
        if key == "License-Identifier":
            part.fact("licence", value, replace(side, tag=SPDX_LICENCE))
        else:
            part.fact("copyright", value, replace(side, tag=SPDX_COPYRIGHT))
    if not found and text.strip():
        part.fact("licence", text.strip()[:500], side)


def read_sidecars(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader: the licence and XMP sidecars of ``path`` as rights facts."""
    for side in sidecars_of(path):
        if side.kind not in _KINDS:
            continue
        licence = side.kind is SidecarKind.LICENSE
        limit = MAX_SIDECAR if licence else xmp.MAX_PACKET
        data = read_sidecar(side.path, limit)
        name = side.display
        part.sidecars.append(name)
        if data is None:
            part.note(CodeId.SIDECAR_UNREADABLE, f"sidecar:{name}", sidecar=name)
        elif licence:
            read_license_text(data, name, part)
        elif len(data) > limit:
            part.note(CodeId.XMP_REJECTED, f"sidecar:{name}",
                      reason=f"sidecar larger than {limit} bytes")
        else:
            xmp.add_packet(data, part, FactSource(FactOrigin.SIDECAR, file=name))
