"""The watch service's lines on stderr (text or JSON).

A pass is not always the end of it: an AI label, a credit line or stripping a GPS
position is work for whoever posts the file.  Those passes are told apart from clean
ones, so the log shows at a glance which approved files need something done.  What counts
as an action is decided once, in ``evaluate.actions``; the log shows the manifest entry's
``actions`` list, the same one the reports show.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def actions(entry: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The manifest entry's actions: what the poster must do when posting it."""
    return list(entry.get("actions") or [])


@dataclass(frozen=True)
class Log:
    """Formats lines; ``json`` is ``--json-log``."""

    json: bool

    def line(self, outcome: str, rel: str, detail: str, **extra: Any) -> str:
        detail = " ".join(detail.split())  # one line, whatever an error message holds
        if self.json:
            return json.dumps({"time": now(), "outcome": outcome, "path": rel,
                               "detail": detail, **extra}, ensure_ascii=False)
        return f"{now()} {outcome.upper():<6} {rel}  {detail}".rstrip()

    def result(self, entry: Mapping[str, Any], rel: str, moved_to: str | None) -> str:
        """The line for one audited file: outcome, where it went, why or what to do."""
        outcome = str(entry.get("outcome"))
        todo = actions(entry) if outcome == "pass" else []
        errors = [str(f.get("message")) for f in entry.get("findings", [])
                  if f.get("severity") == "error"]
        parts: list[str] = []
        if todo:
            parts.append("(with actions: " + "; ".join(
                f"{a.get('code')}: {a.get('text')}" for a in todo) + ")")
        if moved_to:
            parts.append(f"→ {moved_to}")
        if errors:
            parts.append(f"({errors[0]})")
        return self.line(outcome, rel, "  ".join(parts), moved_to=moved_to,
                         actions=[str(a.get("code")) for a in todo])

    def start(self, drop: str, mode: str, profile: str, policy: str | None,
              routes: Sequence[str | None], jobs: int) -> str:
        approved, rejected = routes
        where = (f"; approved → {approved}; rejected → {rejected}" if approved and rejected
                 else "; files stay in place")
        return self.line("start", drop,
                         f"watching {drop}: {mode}; profile {profile}; "
                         f"policy {policy or 'built-in defaults'}{where}; "
                         f"{jobs} worker{'s' if jobs != 1 else ''}",
                         mode=mode, profile=profile, policy=policy)

    def stop(self, drop: str, counts: Mapping[str, int]) -> str:
        audited = sum(counts.get(k, 0) for k in ("pass", "fail", "error"))
        return self.line("stop", drop,
                         f"stopped: {audited} audited ({counts.get('pass', 0)} pass, "
                         f"{counts.get('fail', 0)} fail, {counts.get('error', 0)} error), "
                         f"{counts.get('skipped', 0)} skipped",
                         **{k: counts.get(k, 0) for k in ("pass", "fail", "error", "skipped")})
