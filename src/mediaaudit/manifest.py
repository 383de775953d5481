"""Build the JSON manifest from results: header, one entry per file, summary.

The JSON is canonical; every other rendering is made from it.  Messages are rendered
here, at output time, in the chosen language, next to the code and params that
produced them, so a manifest can be re-rendered in the other language.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

from mediaaudit import __version__, codes
from mediaaudit.evaluate import actions as _actions
from mediaaudit.fsnames import name_bytes, printable
from mediaaudit.model import Action, FileResult, MetaFact
from mediaaudit.policy import Policy
from mediaaudit.profile import Profile
from mediaaudit.walk import Skipped

SCHEMA_VERSION = "1.0"


def now_utc() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def header(
    roots: list[str],
    profile: Profile,
    policy: Policy,
    engines: Mapping[str, str | None],
    lang: str,
    created: str | None = None,
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "mediaaudit", "version": __version__},
        "created": created or now_utc(),
        "lang": lang,
        "roots": roots,
        "profile": {
            "id": profile.id,
            "name": profile.name,
            "version": profile.version,
            "sha256": profile.sha256,
            "source_url": profile.header.get("source_url"),
            "source_sha256": profile.header.get("source_sha256"),
        },
        "policy": policy.as_dict(),
        "engines": dict(engines),
    }


def _evidence(m: MetaFact) -> dict[str, str]:
    return {"field": m.field, "value": m.value, "source": str(m.source)}


def action_entry(a: Action, lang: str) -> dict[str, Any]:
    """One action as JSON: code, the sentence in ``lang``, the text to paste (if any),
    the finding that asked for it and the params the text is rendered from."""
    out: dict[str, Any] = {"code": a.code, "text": _actions.render(a.code, a.params, lang)}
    value = _actions.paste(a.code, a.params, lang)
    if value:
        out["paste"] = value
    out["finding"] = a.finding
    out["params"] = dict(a.params)
    return out


def file_entry(r: FileResult, lang: str) -> dict[str, Any]:
    """One file as a JSON-ready dict."""
    f = r.facts
    i = f.ident
    m = f.media
    media: dict[str, Any] = {"kind": m.kind}
    for key in ("width", "height", "frames", "duration_ms", "container", "container_profile",
                "streamable"):
        val = getattr(m, key)
        if val is not None:
            media[key] = val
    if m.tracks:
        media["tracks"] = [
            {k: v for k, v in (("kind", t.kind), ("format", t.format), ("codec_id", t.codec_id),
                               ("profile", t.profile), ("language", t.language)) if v}
            for t in m.tracks
        ]
    fv = r.format
    nvf: dict[str, Any] = {"status": fv.status, "row": fv.row, "row_id": fv.row_id,
                           "via": fv.via}
    if fv.codecs:
        nvf["container_status"] = fv.container_status
        nvf["codecs"] = [{"track": c.track, "codec": c.codec, "status": c.status, "row": c.row}
                         for c in fv.codecs]
    if r.rights is None:
        rights: dict[str, Any] = {"status": "not_checked", "licence": None, "holder": None,
                                  "evidence": []}
    else:
        rv = r.rights
        rights = {"status": rv.status, "licence": rv.licence, "licence_url": rv.licence_url,
                  "holder": rv.holder, "creator": rv.creator, "attribution": rv.attribution,
                  "evidence": [_evidence(e) for e in rv.evidence]}
    entry: dict[str, Any] = {
        "path": f.ref.display,
        "size": f.ref.size,
        "sha256": f.sha256,
        "outcome": r.outcome.value,
        "format": {
            "puid": i.puid,
            "mime": i.mime,
            "name": i.format_name,
            "version": i.format_version,
            "description": i.description,
            "basis": i.basis,
            "extension_mismatch": i.extension_mismatch,
        },
        "media": media,
        "nvf": nvf,
        "rights": rights,
        "findings": [
            {"code": x.code, "severity": x.severity.value,
             "message": codes.render(x.code, x.params, lang),
             "params": {k: v for k, v in x.params.items()}, "source": x.source}
            for x in r.findings
        ],
        "actions": [action_entry(a, lang) for a in r.actions],
    }
    if r.accessibility is not None:
        entry["accessibility"] = dict(r.accessibility)
    if r.provenance is not None:
        entry["provenance"] = dict(r.provenance)
    if f.sidecars:
        entry["sidecars"] = list(f.sidecars)
    if f.ref.member is not None:
        entry["archive_member"] = {"archive": f.ref.member.archive_display,
                                   "names": [printable(n) for n in f.ref.member.names]}
        exact = name_bytes(f.ref.member.archive, f.ref.member.archive_display)
        if exact is not None:  # the archive's name is not UTF-8
            entry["path_bytes"] = exact
    else:
        exact = name_bytes(f.ref.path, f.ref.display)
        if exact is not None:  # the name is not UTF-8: "path" shows it, this is exact
            entry["path_bytes"] = exact
    return entry


def skipped_entries(skipped: Iterable[Skipped]) -> list[dict[str, Any]]:
    ordered = sorted(skipped, key=lambda s: s.display)
    out: list[dict[str, Any]] = []
    for s in ordered:
        item: dict[str, Any] = {"path": s.display, "reason": s.reason}
        for key in ("size", "sha256", "members"):
            if getattr(s, key) is not None:
                item[key] = getattr(s, key)
        out.append(item)
    return out


def empty_summary() -> dict[str, int]:
    return {"files": 0, "pass": 0, "fail": 0, "error": 0, "pass_with_actions": 0}


def tally(summary: dict[str, int], entry: Mapping[str, Any]) -> None:
    """Count one file entry into ``summary``: its outcome, and ``pass_with_actions`` (a
    subset of ``pass``) when a passing file has actions for the poster."""
    summary["files"] = summary.get("files", 0) + 1
    outcome = str(entry.get("outcome"))
    key = outcome if outcome in ("pass", "fail", "error") else "error"
    summary[key] = summary.get(key, 0) + 1
    if key == "pass" and entry.get("actions"):
        summary["pass_with_actions"] = summary.get("pass_with_actions", 0) + 1
