"""The watch service's lines on stderr (text or JSON).

A pass is not always the end of it: an AI label, a credit line or stripping a GPS
position is work for whoever posts the file.  Those passes are told apart from clean
ones, so the log shows at a glance which approved files need something done.  What counts
as an action is decided once, in ``evaluate.actions``; the log shows the manifest entry's
``actions`` list, the same one the reports show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mediaaudit.manifest import now_utc
from mediaaudit.writers.common import one_line
from mediaaudit.writers.json_writer import json_line


def actions(entry: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The manifest entry's actions: what the poster must do when posting it."""
    return list(entry.get("actions") or [])


# Every line of the service in both languages, in one table (the file's own texts come
# from the manifest entry, already in the watch's language).
TEXT: dict[str, dict[str, str]] = {
    "actions": {"nl": "(met acties: {items})", "en": "(with actions: {items})"},
    "start": {"nl": "bewaakt {drop}: {mode}; profiel {profile}; beleid {policy}{where}; "
                    "{jobs} werkproces(sen)",
              "en": "watching {drop}: {mode}; profile {profile}; policy {policy}{where}; "
                    "{jobs} worker(s)"},
    "routes": {"nl": "; goedgekeurd → {approved}; afgekeurd → {rejected}",
               "en": "; approved → {approved}; rejected → {rejected}"},
    "in_place": {"nl": "; bestanden blijven staan", "en": "; files stay in place"},
    "defaults": {"nl": "ingebouwde standaard", "en": "built-in defaults"},
    "stop": {"nl": "gestopt: {audited} gecontroleerd ({p} goedgekeurd, {f} afgekeurd, "
                   "{e} fout), {s} overgeslagen",
             "en": "stopped: {audited} audited ({p} pass, {f} fail, {e} error), {s} skipped"},
    "reloaded": {"nl": "configuratie en profiel opnieuw geladen",
                 "en": "configuration and profile reloaded"},
    "reload_failed": {"nl": "opnieuw laden mislukt, de oude instellingen blijven gelden: {why}",
                      "en": "reload failed, keeping the old settings: {why}"},
    "not_moved": {"nl": "niet verplaatst: {why}", "en": "not moved: {why}"},
    "sidecar_not_moved": {"nl": "bijbehorend bestand niet verplaatst: {why}",
                          "en": "sidecar not moved: {why}"},
    "report_failed": {"nl": "rapport niet geschreven: {why}", "en": "report not written: {why}"},
    "report_interrupted": {"nl": "schrijven werd twee keer onderbroken",
                           "en": "writing it was interrupted twice"},
    "will_retry": {"nl": "niet afgerond: {why}; wordt nog één keer geprobeerd (bij de "
                         "volgende start)",
                   "en": "not finished: {why}; will be tried once more (at the next start)"},
    "given_up": {"nl": "niet afgerond: {why}; het bestand blijft staan in {where}",
                 "en": "not finished: {why}; the file stays in {where}"},
    "paused": {"nl": "verplaatsen gepauzeerd: {why}; er gaat niets verloren, nieuwe "
                     "bestanden wachten in de uploadmap; elke {every} s opnieuw geprobeerd",
               "en": "routing paused: {why}; nothing is lost, new files wait in the drop "
                     "folder; trying again every {every} s"},
    "resumed": {"nl": "weer ruimte: verplaatsen gaat verder", "en": "room again: routing "
                "resumed"},
    "derived": {"nl": "afgeleide van {original}", "en": "derivative of {original}"},
    "fix_failed": {"nl": "niet omgezet: {why}", "en": "not converted: {why}"},
    "gone": {"nl": "hernoemd of verwijderd vóór het verplaatsen; een hernoemd bestand wordt "
                   "onder de nieuwe naam gecontroleerd",
             "en": "renamed or removed before it was routed; a renamed file is audited "
                   "under its new name"},
}
# The word in front of a text line (upper-cased by the log), by language; JSON keeps the
# English keyword, which tools read.
TAGS: dict[str, dict[str, str]] = {"nl": {"reload": "herladen", "paused": "pauze",
                                          "resumed": "hervat", "gone": "weg"}}


@dataclass(frozen=True)
class Log:
    """Formats lines; ``json`` is ``--json-log``; ``lang`` the watch's language."""

    json: bool
    lang: str = "en"

    def _t(self, key: str, **params: object) -> str:
        texts = TEXT[key]
        return texts.get(self.lang, texts["en"]).format(**params)

    def text(self, key: str, **params: object) -> str:
        """One of the service's texts in the watch's language."""
        return self._t(key, **params)

    def tag(self, tag: str) -> str:
        """The word in front of a text line; JSON keeps the English keyword."""
        if self.json:
            return tag
        return TAGS.get(self.lang, {}).get(tag, tag)

    def line(self, outcome: str, rel: str, detail: str, **extra: Any) -> str:
        """One line, whatever a file name or an error message holds: a name is data, and
        a newline or a CR in it must not start a forged line of its own (``one_line``)."""
        detail = " ".join(detail.split())
        if self.json:
            return json_line({"time": now_utc(), "outcome": outcome, "path": rel,
                              "detail": detail, **extra}, separators=(", ", ": "))
        return f"{now_utc()} {outcome.upper():<6} {one_line(rel)}  {one_line(detail)}".rstrip()

    def result(self, entry: Mapping[str, Any], rel: str, moved_to: str | None) -> str:
        """The line for one audited file: outcome, where it went, why or what to do (a
        derivative made by ``watch --fix`` says which file it was made from)."""
        outcome = str(entry.get("outcome"))
        todo = actions(entry) if outcome == "pass" else []
        errors = [str(f.get("message")) for f in entry.get("findings", [])
                  if f.get("severity") == "error"]
        parts: list[str] = []
        if todo:
            parts.append(self._t("actions", items="; ".join(
                f"{a.get('code')}: {a.get('text')}" for a in todo)))
        if moved_to:
            parts.append(f"→ {one_line(moved_to)}")
        made_from = (entry.get("derived_from") or {}).get("path")
        if made_from:
            parts.append(f"({self._t('derived', original=one_line(str(made_from)))})")
        if errors:
            parts.append(f"({errors[0]})")
        return self.line(outcome, rel, "  ".join(parts), moved_to=moved_to,
                         actions=[str(a.get("code")) for a in todo])

    def start(self, drop: str, mode: str, profile: str, policy: str | None,
              routes: Sequence[str | None], jobs: int) -> str:
        approved, rejected = routes
        where = (self._t("routes", approved=approved, rejected=rejected)
                 if approved and rejected else self._t("in_place"))
        return self.line("start", drop,
                         self._t("start", drop=drop, mode=mode, profile=profile,
                                 policy=policy or self._t("defaults"), where=where, jobs=jobs),
                         mode=mode, profile=profile, policy=policy)

    def stop(self, drop: str, counts: Mapping[str, int]) -> str:
        audited = sum(counts.get(k, 0) for k in ("pass", "fail", "error"))
        return self.line("stop", drop,
                         self._t("stop", audited=audited, p=counts.get("pass", 0),
                                 f=counts.get("fail", 0), e=counts.get("error", 0),
                                 s=counts.get("skipped", 0)),
                         **{k: counts.get(k, 0) for k in ("pass", "fail", "error", "skipped")})
