"""Every sentence ``fix`` says, in Dutch and English: its lines, its summary (with
plurals: one derivative, never '1 derivatives'), and every reason a file was not
fixed.  The core (``plan``, ``place``, ``run``, ``session``) speaks in keys and
parameters (``Why``), so the words live here only and the fix manifest can keep the
key as well as the sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args

from mediaaudit.texts import Phrase, Texts
from mediaaudit.texts import say as _say

# Every key of ``TEXT``: mypy rejects a misspelt reason where the core makes it, and
# the table is checked against this list when the module loads.
FixKey = Literal[
    "not_fixed", "derivative", "still_blocks", "would", "passes_already", "pass",
    "fail", "error", "progress", "summary", "use_strip", "could_not_audit", "animated",
    "no_conversion", "cannot_strip", "nothing_to_fix", "exists", "outside_out",
    "through_symlink", "no_folder", "reread", "changed", "sidecar_link",
    "sidecar_irregular", "sidecar_unreadable", "cannot_write", "timeout", "no_result",
    "killed", "crashed", "ended", "exit_code", "unreadable_result", "cannot_decode",
    "cannot_open_video", "video_failed", "bitmap_subs", "too_many_pixels", "internal",
    "plain", "convert_image", "convert_video", "strip_only",
    "n_files", "n_files_one", "n_derivatives", "n_derivatives_one"]

_TEXT: dict[FixKey, dict[str, str]] = {
    # --- lines -----------------------------------------------------------------------
    "not_fixed": {"nl": "{path}: niet te herstellen door omzetten: {reason}",
                  "en": "{path}: cannot be fixed by conversion: {reason}"},
    "derivative": {"nl": "{path} → {target}: {outcome}",
                   "en": "{path} → {target}: {outcome}"},
    "still_blocks": {"nl": "{code} {message} Oplossen: {fix}",
                     "en": "{code} {message} Fix: {fix}"},
    "would": {"nl": "{path}: {action} → {target}", "en": "{path}: {action} → {target}"},
    "passes_already": {"nl": "al goedgekeurd", "en": "passes already"},
    "pass": {"nl": "goedgekeurd", "en": "pass"},
    "fail": {"nl": "afgekeurd", "en": "fail"},
    "error": {"nl": "fout", "en": "error"},
    "progress": {"nl": "Omzetten", "en": "Converting"},
    "summary": {
        "nl": "{files}: {derivatives} ({passed} goedgekeurd), {not_fixed} niet hersteld, "
              "{unchanged} ongewijzigd; verslag: {record}",
        "en": "{files}: {derivatives} ({passed} pass), {not_fixed} not fixed, "
              "{unchanged} unchanged; manifest: {record}",
    },
    # --- reasons (plan) --------------------------------------------------------------
    "use_strip": {"nl": " (gebruik --strip-location)", "en": " (use --strip-location)"},
    "could_not_audit": {"nl": "kon niet worden gecontroleerd",
                        "en": "could not be audited"},
    "animated": {"nl": "bewegend beeld: een stilstaand formaat laat beelden weg; exporteer "
                       "het als MP4 (H.264)",
                 "en": "animated image: a still format would drop frames; export it as "
                       "MP4 (H.264)"},
    "no_conversion": {"nl": "geen omzetting voor {kind}-bestanden",
                      "en": "no conversion for {kind} files"},
    "cannot_strip": {"nl": "de locatie kan niet uit {what} worden gehaald zonder het om "
                           "te zetten",
                     "en": "cannot remove location from {what} without converting it"},
    "nothing_to_fix": {"nl": "een omzetting lost hier niets op: {reason}",
                       "en": "no conversion fixes this: {reason}"},
    # --- reasons (placement) ---------------------------------------------------------
    "exists": {"nl": "{path} bestaat al; niet overschreven",
               "en": "{path} exists; not overwritten"},
    "outside_out": {"nl": "een pad buiten --out geweigerd: {path}",
                    "en": "refusing a path outside --out: {path}"},
    "through_symlink": {"nl": "niet geschreven via een symbolische koppeling: {path}",
                        "en": "refusing to write through a symlink: {path}"},
    "no_folder": {"nl": "kan de map onder --out niet maken: {why}",
                  "en": "cannot create the folder under --out: {why}"},
    "reread": {"nl": "het origineel is niet opnieuw te lezen: {why}",
               "en": "the original cannot be read again: {why}"},
    "changed": {"nl": "het origineel veranderde tijdens het omzetten; afgeleide weggegooid",
                "en": "the original changed during the fix; derivative discarded"},
    "sidecar_link": {"nl": "bijbestand {name} is een symbolische koppeling; niet gekopieerd",
                     "en": "sidecar {name} is a symlink; not copied"},
    "sidecar_irregular": {"nl": "bijbestand {name} is geen gewoon bestand; niet gekopieerd",
                          "en": "sidecar {name} is not a regular file; not copied"},
    "sidecar_unreadable": {"nl": "bijbestand {name} is niet te lezen: {why}",
                           "en": "sidecar {name} cannot be read: {why}"},
    "cannot_write": {"nl": "kan {name} niet schrijven onder --out: {why}; niets bewaard",
                     "en": "cannot write {name} under --out: {why}; nothing kept"},
    # --- reasons (the converter) -----------------------------------------------------
    "timeout": {"nl": "duurde langer dan {seconds} s", "en": "took longer than {seconds} s"},
    "no_result": {"nl": "de omzetter stopte zonder resultaat",
                  "en": "the converter stopped without a result"},
    "killed": {"nl": "de omzetter werd gestopt ({signal}), bijvoorbeeld doordat het "
                     "geheugen op was",
               "en": "the converter was killed ({signal}), for example when memory ran out"},
    "crashed": {"nl": "de omzetter crashte ({signal})", "en": "the converter crashed ({signal})"},
    "ended": {"nl": "de omzetter eindigde zonder resultaat",
              "en": "the converter ended without a result"},
    "exit_code": {"nl": "de omzetter eindigde met code {code} zonder resultaat",
                  "en": "the converter exited with code {code} without a result"},
    "unreadable_result": {"nl": "het resultaat van de omzetter was niet te lezen ({why})",
                          "en": "the converter's result could not be read ({why})"},
    "cannot_decode": {"nl": "het beeld is niet te decoderen: {why}",
                      "en": "cannot decode the image: {why}"},
    "cannot_open_video": {"nl": "de video is niet te openen: {why}",
                          "en": "cannot open the video: {why}"},
    "video_failed": {"nl": "omzetten mislukt: {why}", "en": "conversion failed: {why}"},
    "bitmap_subs": {"nl": "ondertitels als beeld ({codec}) kunnen niet als tekst mee",
                    "en": "bitmap subtitles ({codec}) cannot be carried as text"},
    "too_many_pixels": {"nl": "{code} {message} {hint}", "en": "{code} {message} {hint}"},
    "internal": {"nl": "omzetten mislukt: {why}", "en": "conversion failed: {why}"},
    "plain": {"nl": "{text}", "en": "{text}"},
    # --- actions (dry run) -----------------------------------------------------------
    "convert_image": {"nl": "beeld omzetten", "en": "convert image"},
    "convert_video": {"nl": "video omzetten", "en": "convert video"},
    "strip_only": {"nl": "locatie verwijderen", "en": "remove location"},
    # --- counts: the singular only for one ('1 afgeleide', '5 derivatives') ------------
    "n_files": {"nl": "{n} bestanden", "en": "{n} files"},
    "n_files_one": {"nl": "{n} bestand", "en": "{n} file"},
    "n_derivatives": {"nl": "{n} afgeleiden", "en": "{n} derivatives"},
    "n_derivatives_one": {"nl": "{n} afgeleide", "en": "{n} derivative"},
}
TEXT: Texts[FixKey] = Texts("fix.texts.TEXT", _TEXT, keys_of_type=get_args(FixKey))


class Why(Phrase[FixKey]):
    """A reason in neither language yet: a key of TEXT and its parameters (a duration
    in ``seconds`` given as text is shown with the language's decimal sign: '0,5 s')."""

    TABLE = TEXT


def plain(text: str) -> Why:
    """A reason that is already words (a library's own message, a finding's text)."""
    return Why("plain", {"text": text})


def say(key: FixKey, lang: str, **params: Any) -> str:
    return _say(TEXT, key, lang, **params)


def count(n: int, key: FixKey, lang: str) -> str:
    """'1 afgeleide', '5 derivatives': the singular only for one."""
    return say(TEXT.singular(key) if n == 1 else key, lang, n=n)


def summary(s: Mapping[str, int], record: str, lang: str) -> str:
    """'16 files: 5 derivatives (5 pass), 4 not fixed, 7 unchanged; manifest: …'."""
    return say("summary", lang, files=count(s["originals"], "n_files", lang),
               derivatives=count(s["derivatives"], "n_derivatives", lang),
               passed=s["derivatives_pass"], not_fixed=s["not_fixed"],
               unchanged=s["unchanged"], record=record)
