"""The watch service's lines on stderr (text or JSON).

A pass is not always the end of it: an AI label, a credit line or stripping a GPS
position is work for whoever posts the file.  Those passes are told apart from clean
ones, so the log shows at a glance which approved files need something done.  What counts
as an action is decided once, in ``evaluate.actions``; the log shows the manifest entry's
``actions`` list, the same one the reports show.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from mediaaudit.manifest import now_utc
from mediaaudit.texts import Phrase, Texts, os_reason, say
from mediaaudit.writers.common import one_line
from mediaaudit.writers.json_writer import json_line


def actions(entry: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The manifest entry's actions: what the poster must do when posting it."""
    return list(entry.get("actions") or [])


# Every key of ``TEXT``: mypy rejects a misspelt one where the service says a line,
# and the table is checked against this list when the module loads.
WatchKey = Literal[
    "actions", "start", "worker", "workers", "mode_once", "mode_poll", "mode_inotify",
    "mode_close_write", "symlink", "routes", "in_place", "defaults", "stop", "reloaded",
    "reload_failed", "not_moved", "sidecar_not_moved", "report_failed",
    "report_interrupted", "will_retry", "given_up", "paused", "resumed", "derived",
    "fix_failed", "gone", "held", "unpacked", "profile_version", "member", "members",
    "not_unpacked", "unpack_failed", "incomplete", "again", "sizes", "superseded",
    "superseded_verdict", "kept", "kept_cut", "cannot_move", "cannot_create", "cannot_copy",
    "target_exists", "no_free_name", "copy_differs", "not_regular_move", "results_unwritable"]

# Every line of the service in both languages, in one table (the file's own texts come
# from the manifest entry, already in the watch's language).
_TEXT: dict[WatchKey, dict[str, str]] = {
    "actions": {"nl": "(met acties: {items})", "en": "(with actions: {items})"},
    "start": {"nl": "bewaakt {drop}: {mode}; profiel {profile}; beleid {policy}{where}; "
                    "{workers}",
              "en": "watching {drop}: {mode}; profile {profile}; policy {policy}{where}; "
                    "{workers}"},
    "worker": {"nl": "{n} werkproces", "en": "{n} worker"},
    "workers": {"nl": "{n} werkprocessen", "en": "{n} workers"},
    "mode_once": {"nl": "eenmalig", "en": "once"},
    "mode_poll": {"nl": "kijkt elke {every} s", "en": "poll every {every} s"},
    "mode_inotify": {"nl": "inotify", "en": "inotify"},
    "mode_close_write": {"nl": "inotify (bij sluiten)", "en": "inotify (close-write)"},
    "symlink": {"nl": "symbolische koppeling (niet gevolgd)",
                "en": "symlink (not followed)"},
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
    # A file judged damaged may be an upload that paused (see ``service.Watcher._hold``).
    "held": {"nl": "beschadigd, afgebroken of leeg; misschien is de upload nog bezig: het "
                   "bestand blijft tot {seconds} s in de uploadmap staan en wordt opnieuw "
                   "gecontroleerd als het verandert",
             "en": "damaged, cut off or empty; the upload may still be in progress: the file "
                   "stays in the drop folder for up to {seconds} s and is judged again if it "
                   "changes"},
    "unpacked": {"nl": "uitgepakt naar {folder}: {n} {files}, elk wordt apart gecontroleerd; "
                       "het archief is bewaard als {kept}{refused}",
                 "en": "unpacked to {folder}: {n} {files}, each judged on its own; the archive "
                       "is kept as {kept}{refused}"},
    "profile_version": {"nl": "{id} (versie {version})", "en": "{id} (version {version})"},
    "member": {"nl": "bestand", "en": "file"},
    "members": {"nl": "bestanden", "en": "files"},
    "not_unpacked": {"nl": "; {n} niet uitgepakt (staat in {record})",
                     "en": "; {n} not unpacked (listed in {record})"},
    "unpack_failed": {"nl": "kan het archief niet uitpakken ({why}); het blijft in de "
                            "uploadmap en wordt later opnieuw geprobeerd",
                      "en": "cannot unpack the archive ({why}); it stays in the drop folder "
                            "and is tried again later"},
    "incomplete": {"nl": "De upload was misschien niet compleet: upload het hele bestand "
                         "opnieuw.",
                   "en": "The upload may not have been complete: upload the whole file "
                         "again."},
    "again": {"nl": "veranderd nadat het gecontroleerd was{sizes}; wordt opnieuw "
                    "gecontroleerd zodra het compleet is",
              "en": "changed after it was judged{sizes}; judged again once it is complete"},
    "sizes": {"nl": " ({old} → {new} bytes)", "en": " ({old} → {new} bytes)"},
    "superseded": {"nl": "vervangt de eerdere versie in {where}: het nieuwe bestand begint met "
                         "al haar bytes, dus die is verwijderd (geen dubbel bestand)",
                   "en": "replaces its earlier version at {where}: the new file begins with "
                         "all of its bytes, so that one was removed (no duplicate)"},
    "superseded_verdict": {"nl": "vervangt de eerdere uitslag van dit bestand (van {at}): het "
                                 "is daarna veranderd",
                           "en": "replaces this file's earlier verdict (of {at}): it changed "
                                 "afterwards"},
    "kept": {"nl": "een eerdere versie met deze naam staat in {where} en blijft staan (andere "
                   "inhoud){cut}",
             "en": "an earlier version under this name is at {where} and stays there "
                   "(different content){cut}"},
    "kept_cut": {"nl": "; die was afgebroken: is de upload daarna voortgezet, dan worden de "
                       "delen niet samengevoegd; upload het hele bestand opnieuw",
                 "en": "; that one was cut off: if the upload was continued afterwards, the "
                       "parts are not joined; upload the whole file again"},
    # what routing or writing a result could not do ({why}: the system's reason, said in
    # Dutch where it is a usual one: ``Trouble``)
    "cannot_move": {"nl": "kan {path} niet verplaatsen: {why}",
                    "en": "cannot move {path}: {why}"},
    "cannot_create": {"nl": "kan map {path} niet maken: {why}",
                      "en": "cannot create {path}: {why}"},
    "cannot_copy": {"nl": "kan {path} niet kopiëren naar {where}: {why}",
                    "en": "cannot copy {path} to {where}: {why}"},
    "target_exists": {"nl": "{path} bestaat al; niet verplaatst",
                      "en": "{path} already exists; not moved"},
    "no_free_name": {"nl": "geen vrije naam voor {name} in {where}",
                     "en": "no free name for {name} in {where}"},
    "copy_differs": {"nl": "de kopie van {path} klopt niet met zijn controlegetal; niet "
                           "verplaatst",
                     "en": "copy of {path} does not match its hash; not moved"},
    "not_regular_move": {"nl": "{path} is geen gewoon bestand; niet verplaatst",
                         "en": "{path} is not a regular file; not moved"},
    "results_unwritable": {"nl": "kan de resultaten niet schrijven in {path}: {why}",
                           "en": "cannot write results to {path}: {why}"},
}
TEXT: Texts[WatchKey] = Texts("watch.messages.TEXT", _TEXT, keys_of_type=get_args(WatchKey))


class Trouble(Phrase[WatchKey]):
    """What routing a file or writing a result could not do, kept as a key and its
    parameters so the log says it in its own language; ``why`` is the system's reason
    (``strerror``), in Dutch where it is a usual one ("de schijf is vol")."""

    TABLE = TEXT

    def render(self, lang: str) -> str:
        shown = {k: os_reason(v, lang) if k == "why" and isinstance(v, str) else v
                 for k, v in self.params.items()}
        return say(self.TABLE, self.key, lang, **shown)
# The word in front of a text line (upper-cased by the log), by language; JSON keeps the
# English keyword, which tools read.  An outcome is a word people read, so a Dutch log
# says GOEDGEKEURD where an English one says PASS.
TAGS: dict[str, dict[str, str]] = {
    "nl": {"reload": "herladen", "paused": "pauze", "resumed": "hervat", "gone": "weg",
           "pass": "goedgekeurd", "fail": "afgekeurd", "error": "fout", "start": "gestart",
           "stop": "gestopt", "skipped": "overgeslagen", "warning": "waarschuwing",
           "held": "wacht", "again": "opnieuw", "superseded": "vervangt", "kept": "eerder",
           "unpacked": "uitgepakt"},
}
_MODES: dict[str, WatchKey] = {"once": "mode_once", "inotify": "mode_inotify",
                               "inotify (close-write)": "mode_close_write"}
# The width of the word in front of a line: the outcomes of the language line up.
_WIDTH = {lang: max(len(tags[k]) for k in ("pass", "fail", "error", "start", "stop"))
          for lang, tags in TAGS.items()}


@dataclass(frozen=True)
class Log:
    """Formats lines; ``json`` is ``--json-log``; ``lang`` the watch's language."""

    json: bool
    lang: str = "en"

    def text(self, key: WatchKey, **params: object) -> str:
        """One of the service's texts in the watch's language (a duration in ``every``
        or ``seconds`` given as text with the language's decimal sign: '2,5 s')."""
        return say(TEXT, key, self.lang, **params)

    def why(self, exc: object) -> str:
        """An error or warning in the watch's language when it can say itself (a
        configuration problem: ``PolicyError.text``; ``CacheWarning.text``; a routing or
        results error: its ``Trouble``) or is the system's (``strerror``), else as it is."""
        said = getattr(exc, "text", None)
        if callable(said):
            return str(said(self.lang))
        trouble = getattr(exc, "said", None)
        if isinstance(trouble, Trouble):
            return trouble.render(self.lang)
        if isinstance(exc, OSError) and exc.strerror:
            return os_reason(exc.strerror, self.lang)
        return str(exc)

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
        word = self.tag(outcome).upper()
        width = _WIDTH.get(self.lang, 6)
        return f"{now_utc()} {word:<{width}} {one_line(rel)}  {one_line(detail)}".rstrip()

    def mode_text(self, mode: str) -> str:
        """How the watch notices files, in words.  ``mode`` is the JSON log's field (tools
        read it, so it keeps its English value): ``once``, ``poll every 2 s``, ``inotify``
        or ``inotify (close-write)``; another value is shown as it is."""
        poll = re.fullmatch(r"poll every (\S+) s", mode)
        if poll:
            return self.text("mode_poll", every=poll.group(1))  # '0,5 s' in Dutch
        key = _MODES.get(mode)
        return self.text(key) if key else mode

    def result(self, entry: Mapping[str, Any], rel: str, moved_to: str | None) -> str:
        """The line for one audited file: outcome, where it went, why or what to do (a
        derivative made by ``watch --fix`` says which file it was made from)."""
        outcome = str(entry.get("outcome"))
        todo = actions(entry) if outcome == "pass" else []
        errors = [str(f.get("message")) for f in entry.get("findings", [])
                  if f.get("severity") == "error"]
        parts: list[str] = []
        if todo:
            parts.append(self.text("actions", items="; ".join(
                str(a.get("text") or a.get("code")) for a in todo)))
        if moved_to:
            parts.append(f"→ {one_line(moved_to)}")
        made_from = (entry.get("derived_from") or {}).get("path")
        if made_from:
            parts.append(f"({self.text('derived', original=one_line(str(made_from)))})")
        if errors:
            parts.append(f"({errors[0]})")
        return self.line(outcome, rel, "  ".join(parts), moved_to=moved_to,
                         actions=[str(a.get("code")) for a in todo])

    def start(self, drop: str, mode: str, profile: str, policy: str | None,
              routes: Sequence[str | None], jobs: int) -> str:
        approved, rejected = routes
        where = (self.text("routes", approved=approved, rejected=rejected)
                 if approved and rejected else self.text("in_place"))
        return self.line("start", drop,
                         self.text("start", drop=drop, mode=self.mode_text(mode),
                                   profile=profile, policy=policy or self.text("defaults"),
                                   where=where,
                                   workers=self.text("worker" if jobs == 1 else "workers",
                                                     n=jobs)),
                         mode=mode, profile=profile, policy=policy)

    def stop(self, drop: str, counts: Mapping[str, int]) -> str:
        audited = sum(counts.get(k, 0) for k in ("pass", "fail", "error"))
        return self.line("stop", drop,
                         self.text("stop", audited=audited, p=counts.get("pass", 0),
                                   f=counts.get("fail", 0), e=counts.get("error", 0),
                                   s=counts.get("skipped", 0)),
                         **{k: counts.get(k, 0) for k in ("pass", "fail", "error", "skipped")})
