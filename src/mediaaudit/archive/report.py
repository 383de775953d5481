"""The package's own report, ``data/archive-report.txt`` (pure): what was archived, and
which files of the audit were left out because they did not pass, with why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mediaaudit.archive.plan import Item, LeftOut

NAME = "archive-report.txt"


def archive_report(
    items: Sequence[Item],
    left_out: Sequence[LeftOut],
    manifest: Mapping[str, Any],
    ident: str,
    request_id: str | None,
    archived_at: str,
    archiefvormer: str,
) -> str:
    tool = manifest.get("tool") or {}
    profile = manifest.get("profile") or {}
    lines = [
        "mediaaudit archive report",
        "",
        f"Archiefvormer:        {archiefvormer}",
        f"Publication request:  {request_id or '(not given)'}",
        f"Dossier identifier:   {ident}",
        f"Audited:              {manifest.get('created')} by mediaaudit "
        f"{tool.get('version', '?')}, profile {profile.get('id', '?')}",
        f"Archived:             {archived_at}",
        "Audit manifest:       mediaaudit-manifest.json (as written by the scan)",
        "Audit report:         mediaaudit-report.html",
        "",
        f"Archived ({len(items)}): passed the audit, unchanged since (SHA-256 checked)",
    ]
    for it in items:
        fmt = it.entry.get("format") or {}
        rights = it.entry.get("rights") or {}
        lic = rights.get("licence") or rights.get("status")
        lines.append(f"  {it.payload}  {fmt.get('puid')}  {lic}  sha256:{it.sha256}")
    lines += ["", f"Not archived ({len(left_out)}): did not pass the audit"]
    for lo in left_out:
        lines.append(f"  {lo.path}  ({lo.outcome})")
        lines.extend(f"      {r}" for r in lo.reasons)
    if not left_out:
        lines.append("  (none)")
    return "\n".join(lines) + "\n"
