"""The words of ``archive`` in Dutch and English (pure).

A refusal is decided in ``plan`` and ``bag`` long before anything is printed, and the
same refusal is shown in the run's language (``--lang``): so a refusal carries a key of
``TEXT`` and its parameters (``Words``, a ``texts.Phrase``), and becomes a sentence only
where it is shown.
Paths in the parameters are shown as the manifest has them; the line they end up in goes
through ``safe.visible`` before it reaches a terminal.  Dutch uses "je".
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from mediaaudit.manifestwords import MANIFEST_PROBLEMS, ManifestKey
from mediaaudit.texts import Phrase, Texts
from mediaaudit.texts import say as _say

# Every key of ``TEXT``: mypy rejects a misspelt one where a refusal is made, and the
# table is checked against this list when the module loads.
ArchiveKey = Literal[
    ManifestKey,
    "not_a_path", "nul", "dotdot", "absolute_outside", "outside", "resolves_outside",
    "no_sha", "member_mismatch", "no_puid", "entry_refused", "more", "manifest_changed",
    "no_roots", "root_nul", "root_elsewhere", "root_missing", "root_outside_base",
    "root_symlink", "base_missing", "name_twice", "cannot_write", "none_passed",
    "one_line", "changed", "missing", "refused", "not_read", "unreadable", "odd",
    "changed_since", "nothing_passed", "not_written", "written", "with_sidecars",
    "with_sidecar", "file", "files"]

_TEXT: dict[ArchiveKey, dict[str, str]] = {
    # why one manifest entry is refused
    "not_a_path": {"nl": "geen pad", "en": "not a path"},
    "nul": {"nl": "leeg of bevat NUL", "en": "empty or contains NUL"},
    "dotdot": {"nl": "bevat '..' onder de gescande map",
               "en": "contains '..' below its scanned folder"},
    "absolute_outside": {
        "nl": "een absoluut pad buiten alle gescande mappen van het manifest",
        "en": "an absolute path outside every scanned folder of the manifest"},
    "outside": {"nl": "buiten alle gescande mappen van het manifest",
                "en": "outside every scanned folder of the manifest"},
    "resolves_outside": {
        "nl": "wijst via een symlink buiten zijn gescande map {root}, naar {real}",
        "en": "resolves outside its scanned folder {root}, through a symlink, to {real}"},
    "no_sha": {"nl": "geen SHA-256 in het manifest", "en": "no SHA-256 in the manifest"},
    "member_mismatch": {
        "nl": "de gegevens over het archief waar het uit komt (archive_member) noemen een "
              "ander pad",
        "en": "the record of the archive it came from (archive_member) names another path"},
    "no_puid": {"nl": "goedgekeurd zonder PRONOM-identificatie",
                "en": "passed without a PRONOM identification"},
    "entry_refused": {
        "nl": "regel in het manifest geweigerd: {path} ({why}){more}; een manifest mag "
              "alleen bestanden in de gescande mappen noemen",
        "en": "manifest entry refused: {path} ({why}){more}; a manifest may only list "
              "files inside the folders it audited"},
    "more": {"nl": " (en nog {n})", "en": " (and {n} more)"},
    "manifest_changed": {"nl": "{path} is veranderd terwijl het werd gearchiveerd",
                         "en": "{path} changed while it was being archived"},
    # why the manifest's scanned folders (roots) are refused
    "no_roots": {"nl": "het manifest noemt geen gescande map (roots)",
                 "en": "the manifest names no scanned folder (roots)"},
    "root_nul": {"nl": "de gescande map {root!r} van het manifest is geweigerd (leeg of "
                       "bevat NUL)",
                 "en": "the manifest's scanned folder {root!r} is refused (empty or "
                       "contains NUL)"},
    "root_elsewhere": {
        "nl": "het manifest komt uit een andere map: de gescande map {root!r} staat niet in "
              "{here} (start archive in de map waarin de scan liep)",
        "en": "the manifest comes from another folder: its scanned folder {root!r} is not "
              "in {here} (run archive in the folder the scan ran in)"},
    "root_missing": {
        "nl": "de gescande map {root!r} van het manifest bestaat niet (verplaatst of "
              "verwijderd na de scan?)",
        "en": "the manifest's scanned folder {root!r} does not exist (moved or removed "
              "since the scan?)"},
    "root_outside_base": {
        "nl": "de gescande map {root!r} van het manifest is geweigerd: {real} ligt buiten "
              "de basismap {base} (heb je die map zelf gescand, geef dan --base {hint})",
        "en": "the manifest's scanned folder {root!r} is refused: {real} lies outside the "
              "base folder {base} (if you scanned that folder yourself, give --base {hint})"},
    "root_symlink": {
        "nl": "de gescande map {root!r} van het manifest is geweigerd (die is, of ligt "
              "onder, een symlink naar {real}): archive neemt alleen bestanden uit de map "
              "zelf; scan en archiveer de echte map",
        "en": "the manifest's scanned folder {root!r} is refused (it is, or lies under, a "
              "symlink to {real}): archive packs only files of the folder itself; scan "
              "and archive the real folder"},
    "base_missing": {"nl": "de basismap {base} bestaat niet of is geen map (--base)",
                     "en": "the base folder {base} does not exist or is not a folder "
                           "(--base)"},
    # why the bag cannot be written
    "name_twice": {
        "nl": "{name} is de naam van twee bestanden in de bag (een bestand dat twee keer "
              "in het manifest staat, of een mediabestand met de naam van het MDTO-record "
              "van een ander); geef er een een andere naam",
        "en": "{name} is the name of two files in the bag (a file listed twice, or a "
              "media file with the name of another's MDTO record); rename it"},
    "cannot_write": {"nl": "de bag kan niet worden geschreven: {why}: {path}",
                     "en": "cannot write the bag: {why}: {path}"},
    "none_passed": {"nl": "geen bestand in het manifest is goedgekeurd",
                    "en": "no file in the manifest passed the audit"},
    # what the command says
    "one_line": {"nl": "{option} moet één regel tekst zijn, niet {value!r}",
                 "en": "{option} must be one line of text, got {value!r}"},
    "changed": {"nl": "gewijzigd", "en": "changed"},
    "missing": {"nl": "ontbreekt", "en": "missing"},
    "refused": {"nl": "geweigerd", "en": "refused"},
    "not_read": {"nl": "{path}: {why}; niet gelezen", "en": "{path}: {why}; not read"},
    "unreadable": {"nl": "{path}: kan niet worden gelezen: {why}",
                   "en": "{path}: cannot be read: {why}"},
    "odd": {"nl": ", {n} geen gewoon bestand meer", "en": ", {n} no longer a regular file"},
    "changed_since": {
        "nl": "mediaaudit: {changed} gewijzigd, {missing} ontbreekt{odd} sinds de controle; "
              "geen bag geschreven (scan opnieuw en laat het nieuwe manifest goedkeuren)",
        "en": "mediaaudit: {changed} changed, {missing} missing{odd} since the audit; no "
              "bag written (scan again and have the new manifest approved)"},
    "nothing_passed": {
        "nl": "mediaaudit: geen bestand in het manifest is goedgekeurd; er is niets te "
              "archiveren",
        "en": "mediaaudit: no file in the manifest passed the audit; nothing to archive"},
    "not_written": {"nl": "bag niet geschreven: {why}", "en": "bag not written: {why}"},
    "written": {
        "nl": "mediaaudit: bag geschreven naar {path}: {files} {files_noun} gearchiveerd{sides}, "
              "{left} weggelaten (data/archive-report.txt), {records} MDTO-records, dossier "
              "{ident}",
        "en": "mediaaudit: bag written to {path}: {files} {files_noun} archived{sides}, {left} "
              "left out (data/archive-report.txt), {records} MDTO records, dossier {ident}"},
    "with_sidecars": {"nl": " met {n} ondertitel- en licentiebestanden ernaast",
                      "en": " with {n} caption and licence files beside them"},
    "with_sidecar": {"nl": " met 1 ondertitel- of licentiebestand ernaast",
                     "en": " with 1 caption or licence file beside them"},
    "file": {"nl": "bestand", "en": "file"},
    "files": {"nl": "bestanden", "en": "files"},
}
# archive's words, with those every command says of a manifest it cannot read
TEXT: Texts[ArchiveKey] = Texts(
    "archive.texts.TEXT", {**_TEXT, **{k: v for k, v in MANIFEST_PROBLEMS.items()}},
    keys_of_type=get_args(ArchiveKey))


class Words(Phrase[ArchiveKey]):
    """A sentence in neither language yet: a key of ``TEXT`` and its parameters (which
    may be ``Words`` themselves)."""

    TABLE = TEXT


def words(key: ArchiveKey, **params: Any) -> Words:
    return Words(key, params)


def say(key: ArchiveKey, lang: str, **params: Any) -> str:
    """``TEXT[key]`` in ``lang`` (English for a language it does not have)."""
    return _say(TEXT, key, lang, **params)
