"""What the poster must do when posting a file that passed.  Pure; the one place that decides it.

A pass is not always the end of it: a credit line to paste, alt text to paste or write, an
AI label, a location to remove, the limits of an NC or ND licence.  These *actions* are
derived here, once, from the findings and verdicts of a passing file; the manifest carries
them (code, text, the literal string to paste) and every rendering (JSON, CSV, Markdown,
HTML, the ``watch`` log) reads that list instead of deciding again.

A failed file gets no actions: it may not be posted at all, its findings say what to fix.
Every *warning* on a pass is an action (a warning that has no specific action becomes
"check before posting: …"); info findings are notes, not tasks, except those in
``FINDING_ACTIONS``.  Texts are rendered at output time from code and params, like finding
messages, so a manifest can be re-rendered in the other language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from mediaaudit import codes
from mediaaudit.codes import CodeId
from mediaaudit.model import Action, Finding, Outcome, RightsVerdict, Severity


class ActionId(StrEnum):
    """Every action by name; the value is the code in the manifest."""

    CREDIT = "credit"
    PASTE_ALT_TEXT = "paste_alt_text"
    WRITE_ALT_TEXT = "write_alt_text"
    AI_LABEL = "ai_label"
    REMOVE_LOCATION = "remove_location"
    REMOVE_PERSONAL_DATA = "remove_personal_data"
    NON_COMMERCIAL = "non_commercial"
    NO_DERIVATIVES = "no_derivatives"
    ADD_CAPTIONS = "add_captions"
    UPLOAD_CAPTIONS = "upload_captions"
    CHECK_PEOPLE = "check_people"
    RESIZE = "resize"
    CHECK = "check"


# The finding that asks for each action.  A finding listed here is an action whatever its
# severity (unless the policy ignores it); any other *warning* becomes ``CHECK``.
FINDING_ACTIONS: Mapping[str, ActionId] = {
    CodeId.ATTRIBUTION_REQUIRED: ActionId.CREDIT,
    CodeId.AI_GENERATED: ActionId.AI_LABEL,
    CodeId.GPS_POSITION: ActionId.REMOVE_LOCATION,
    CodeId.DEVICE_SERIAL: ActionId.REMOVE_PERSONAL_DATA,
    CodeId.OWNER_NAME: ActionId.REMOVE_PERSONAL_DATA,
    CodeId.NON_COMMERCIAL: ActionId.NON_COMMERCIAL,
    CodeId.NO_DERIVATIVES: ActionId.NO_DERIVATIVES,
    CodeId.NO_CAPTIONS: ActionId.ADD_CAPTIONS,
    CodeId.PEOPLE_WITHOUT_RELEASE: ActionId.CHECK_PEOPLE,
    CodeId.VERY_LARGE_IMAGE: ActionId.RESIZE,
}
# Findings that ask for alt text: an action only when the policy made them a warning or
# error (by default "no alt text" is an info note).
_ALT_TEXT = CodeId.NO_ALT_TEXT

# (nl, en) text per action.  ``{paste}`` is the literal text to paste, shown apart in HTML.
TEXTS: Mapping[ActionId, tuple[str, str]] = {
    ActionId.CREDIT: ("Plaats deze naamsvermelding bij het bericht",
                      "Paste this credit line with the post"),
    ActionId.PASTE_ALT_TEXT: ("Plak deze alt-tekst bij de afbeelding",
                              "Paste this alt text with the image"),
    ActionId.WRITE_ALT_TEXT: ("Schrijf een alt-tekst bij de afbeelding",
                              "Write alt text for the image"),
    ActionId.AI_LABEL: ("Label het bericht als AI-gegenereerd",
                        "Label this post as AI-generated"),
    ActionId.REMOVE_LOCATION: ("Verwijder de locatie (GPS) voor het plaatsen, bijvoorbeeld met "
                               "'mediaaudit fix'",
                               "Remove the location (GPS) before posting, for example with "
                               "'mediaaudit fix'"),
    ActionId.REMOVE_PERSONAL_DATA: ("Verwijder serienummer of eigenaarsnaam uit de metadata "
                                    "voor het plaatsen ('mediaaudit fix')",
                                    "Remove the serial number or owner name from the metadata "
                                    "before posting ('mediaaudit fix')"),
    ActionId.NON_COMMERCIAL: ("Licentie {licence} (NietCommercieel): niet gebruiken in "
                              "advertenties of betaalde promotie",
                              "Licence {licence} (NonCommercial): do not use it in adverts "
                              "or paid promotion"),
    ActionId.NO_DERIVATIVES: ("Licentie {licence} (GeenAfgeleideWerken): ongewijzigd plaatsen, "
                              "niet bijsnijden, geen tekst of filters",
                              "Licence {licence} (NoDerivatives): post it unchanged, no "
                              "cropping, text or filters"),
    ActionId.ADD_CAPTIONS: ("Voeg ondertiteling toe bij het plaatsen (.srt/.vtt uploaden of "
                            "ondertitels van het platform)",
                            "Add captions when posting (upload an .srt/.vtt file or use the "
                            "platform's captions)"),
    ActionId.UPLOAD_CAPTIONS: ("Upload dit bestand bij het bericht: {file} (ondertiteling, "
                               "{language})",
                               "Upload this file with the post: {file} (captions, {language})"),
    ActionId.CHECK_PEOPLE: ("Controleer dat de herkenbare personen toestemming gaven",
                            "Check that the recognisable people gave their consent"),
    ActionId.RESIZE: ("Verklein het beeld tot hooguit 4096 pixels aan de lange zijde voor het "
                      "plaatsen (bewaar het origineel)",
                      "Scale the image to at most 4096 pixels on the long side for posting "
                      "(keep the original)"),
    ActionId.CHECK: ("Controleer voor het plaatsen: {message}",
                     "Check before posting: {message}"),
}


# A caption file whose name and header do not say its language (an SRT has no header).
UNKNOWN_LANGUAGE = ("taal onbekend", "language unknown")
# Actions that may be asked for more than once (one per finding, one per caption file).
_REPEATABLE = frozenset({ActionId.CHECK, ActionId.UPLOAD_CAPTIONS})


def language_name(code: Any, lang: str) -> str:
    """A caption file's language as shown to people: its code ('nl', 'pt-br') or, when
    nothing says which language it is, 'taal onbekend' / 'language unknown'."""
    return str(code) if code else UNKNOWN_LANGUAGE[_lang_i(lang)]


class _Safe(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _lang_i(lang: str) -> int:
    return 0 if lang == "nl" else 1


def _pick_alt(params: Mapping[str, Any], lang: str) -> str | None:
    """The alt text in ``lang`` if there is one, else the first."""
    texts = [t for t in params.get("texts") or [] if isinstance(t, Mapping) and t.get("text")]
    for t in texts:
        if str(t.get("lang") or "").split("-")[0].lower() == lang:
            return str(t["text"])
    return str(texts[0]["text"]) if texts else None


def paste(code: str, params: Mapping[str, Any], lang: str) -> str | None:
    """The literal text the poster pastes for this action, or None."""
    if code == ActionId.CREDIT:
        return str(params["credit"]) if params.get("credit") else None
    if code == ActionId.PASTE_ALT_TEXT:
        return _pick_alt(params, lang)
    return None


def lead(code: str, params: Mapping[str, Any], lang: str) -> str:
    """The instruction without the text to paste."""
    try:
        template = TEXTS[ActionId(code)][_lang_i(lang)]
    except ValueError:
        return code
    shown = dict(params)
    if code == ActionId.UPLOAD_CAPTIONS:
        shown["language"] = language_name(params.get("language"), lang)
    if code == ActionId.CHECK and params.get("finding") in codes.CODES:
        shown["message"] = codes.render(str(params["finding"]), params.get("params") or {}, lang)
    return template.format_map(_Safe(shown))


def render(code: str, params: Mapping[str, Any], lang: str) -> str:
    """The whole action as one line: instruction, then the text to paste."""
    text, value = lead(code, params, lang), paste(code, params, lang)
    return f"{text}: {value}" if value else text


def actions(outcome: Outcome, findings: Sequence[Finding], rights: RightsVerdict | None,
            accessibility: Mapping[str, Any] | None,
            provenance: Mapping[str, Any] | None) -> tuple[Action, ...]:
    """The actions for one evaluated file, in a fixed order; none unless it passed."""
    if outcome is not Outcome.PASS:
        return ()
    out: list[Action] = []
    seen: set[str] = set()

    def add(code: ActionId, params: Mapping[str, Any], finding: str | None) -> None:
        if code not in _REPEATABLE and code in seen:
            return
        seen.add(code)
        out.append(Action(code.value, dict(params), finding))

    by_code = {f.code: f for f in findings}
    if rights is not None and rights.attribution:
        add(ActionId.CREDIT, {"credit": rights.attribution},
            CodeId.ATTRIBUTION_REQUIRED if CodeId.ATTRIBUTION_REQUIRED in by_code else None)
    alts = [{"text": str(a.get("text")), "lang": a.get("lang")}
            for a in (accessibility or {}).get("alt_text") or [] if a.get("text")]
    if alts:
        add(ActionId.PASTE_ALT_TEXT, {"texts": alts}, None)
    elif _ALT_TEXT in by_code and by_code[_ALT_TEXT].severity is not Severity.INFO:
        add(ActionId.WRITE_ALT_TEXT, {}, _ALT_TEXT)
    for cap in (accessibility or {}).get("captions") or []:
        if cap.get("source") == "sidecar" and cap.get("file"):  # an embedded track travels
            add(ActionId.UPLOAD_CAPTIONS,  # with the video; a caption file does not
                {"file": str(cap["file"]), "language": cap.get("language")}, None)
    if (provenance or {}).get("ai_generated"):
        add(ActionId.AI_LABEL, {}, CodeId.AI_GENERATED if CodeId.AI_GENERATED in by_code
            else None)
    for f in findings:
        action = FINDING_ACTIONS.get(f.code)
        if action is ActionId.CREDIT:
            if f.params.get("attribution"):
                add(action, {"credit": f.params["attribution"]}, f.code)
        elif action is not None:
            params = {"licence": f.params.get("licence") or (rights.licence if rights else None)}
            add(action, params if action in (ActionId.NON_COMMERCIAL, ActionId.NO_DERIVATIVES)
                else {}, f.code)
        elif f.severity is Severity.WARNING and f.code != _ALT_TEXT:
            add(ActionId.CHECK, {"finding": f.code, "params": dict(f.params)}, f.code)
    return tuple(out)
