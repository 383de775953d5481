"""The package's own report, ``data/archive-report.txt`` (pure): what was archived, and
which files of the audit were left out because they did not pass, with why.

Made of lines per file (``item_line``, ``left_out_lines``) that the bag writer streams
between the ``head`` and the ``middle``, so the report of any number of files is never
held whole.  Paths are written with visible escapes (``safe.visible``): a file name
cannot put a terminal escape or a false line into the report; a media file with a safe
name in the bag says which path it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mediaaudit.archive.plan import Item, LeftOut
from mediaaudit.archive.safe import visible

NAME = "archive-report.txt"


def head(
    manifest: Mapping[str, Any],
    ident: str,
    request_id: str | None,
    archived_at: str,
    archiefvormer: str,
    items: int,
) -> str:
    """Everything before the first archived file."""
    tool = manifest.get("tool") or {}
    profile = manifest.get("profile") or {}
    lines = [
        "mediaaudit archive report",
        "",
        f"Archiefvormer:        {visible(archiefvormer)}",
        f"Publication request:  {visible(request_id or '(not given)')}",
        f"Dossier identifier:   {visible(ident)}",
        f"Audited:              {manifest.get('created')} by mediaaudit "
        f"{tool.get('version', '?')}, profile {profile.get('id', '?')}",
        f"Archived:             {archived_at}",
        "Audit manifest:       mediaaudit-manifest.json (as written by the scan)",
        "Audit report:         mediaaudit-report.html",
        "",
        f"Archived ({items}): passed the audit, unchanged since (SHA-256 checked)",
    ]
    return "\n".join(lines) + "\n"


def item_line(it: Item) -> str:
    fmt = it.entry.get("format") or {}
    rights = it.entry.get("rights") or {}
    lic = rights.get("licence") or rights.get("status")
    line = f"  {visible(it.payload)}  {visible(str(fmt.get('puid')))}  {visible(str(lic))}  " \
           f"sha256:{it.sha256}"
    if it.renamed:
        line += f"  (from {visible(it.path)})"
    return line + "\n"


def middle(left_out: int) -> str:
    """Between the archived files and the files left out."""
    return f"\nNot archived ({left_out}): did not pass the audit\n"


def left_out_lines(lo: LeftOut) -> str:
    lines = [f"  {visible(lo.path)}  ({visible(lo.outcome)})"]
    lines.extend(f"      {visible(r)}" for r in lo.reasons)
    return "\n".join(lines) + "\n"


NONE_LEFT_OUT = "  (none)\n"
