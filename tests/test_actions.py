"""Issue 15, item 1: what the poster must do when posting, decided once in
``evaluate.actions`` and carried by the manifest to every rendering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mediaaudit.codes import CodeId
from mediaaudit.evaluate import actions as act
from mediaaudit.evaluate.actions import ActionId
from mediaaudit.model import Finding, Outcome, RightsStatus, RightsVerdict, Severity
from mediaaudit.writers.common import relang

import fixtures_rights as fr
from conftest import Run, run_cli
from fixtures_access import DST, LIC

ROOT = Path(__file__).parents[1]
SCHEMA = ROOT / "src" / "mediaaudit" / "schema" / "manifest.schema.json"
CREDIT = "© Anna de Vries, CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
BY = RightsVerdict(RightsStatus.OPEN, "CC-BY-4.0", attribution=CREDIT)


def _f(code: str, sev: Severity = Severity.WARNING, **params: Any) -> Finding:
    return Finding(code, sev, params)


def _codes(todo: tuple[Any, ...]) -> list[str]:
    return [a.code for a in todo]


def test_a_failed_file_gets_no_actions() -> None:
    assert act.actions(Outcome.FAIL, [_f(CodeId.GPS_POSITION)], BY, None, None) == ()
    assert act.actions(Outcome.ERROR, [], BY, None, None) == ()


def test_credit_alt_text_ai_label_and_location() -> None:
    acc = {"alt_text": [{"text": "Wethouder opent de markt", "lang": "nl", "source": "x"},
                        {"text": "Alderman opens the market", "lang": "en", "source": "x"}]}
    todo = act.actions(Outcome.PASS, [
        _f(CodeId.ATTRIBUTION_REQUIRED, Severity.INFO, attribution=CREDIT),
        _f(CodeId.GPS_POSITION), _f(CodeId.AI_GENERATED)], BY, acc, {"ai_generated": True})
    assert _codes(todo) == [ActionId.CREDIT, ActionId.PASTE_ALT_TEXT, ActionId.AI_LABEL,
                            ActionId.REMOVE_LOCATION]
    credit, alt = todo[0], todo[1]
    assert credit.finding == CodeId.ATTRIBUTION_REQUIRED
    assert act.paste(credit.code, credit.params, "en") == CREDIT
    # the alt text in the report's language
    assert act.paste(alt.code, alt.params, "en") == "Alderman opens the market"
    assert act.paste(alt.code, alt.params, "nl") == "Wethouder opent de markt"
    assert act.render(alt.code, alt.params, "nl").startswith("Plak deze alt-tekst")
    assert act.render(todo[2].code, {}, "en") == "Label this post as AI-generated"


def test_no_alt_text_is_a_note_unless_the_policy_raises_it() -> None:
    info = act.actions(Outcome.PASS, [_f(CodeId.NO_ALT_TEXT, Severity.INFO)], None, {}, None)
    assert info == ()
    warn = act.actions(Outcome.PASS, [_f(CodeId.NO_ALT_TEXT)], None, {}, None)
    assert _codes(warn) == [ActionId.WRITE_ALT_TEXT]
    assert act.render(ActionId.WRITE_ALT_TEXT, {}, "en") == "Write alt text for the image"


def test_licence_limits_and_other_warnings() -> None:
    nc = RightsVerdict(RightsStatus.OPEN, "CC-BY-NC-ND-4.0")
    todo = act.actions(Outcome.PASS, [
        _f(CodeId.NON_COMMERCIAL, licence="CC BY-NC-ND 4.0"),
        _f(CodeId.NO_DERIVATIVES, licence="CC BY-NC-ND 4.0"),
        _f(CodeId.EXTENSION_MISMATCH, ext="jpg", format="PNG (fmt/13)"),
        _f(CodeId.ANIMATED_GIF, Severity.INFO, frames=3)], nc, None, None)
    assert _codes(todo) == [ActionId.NON_COMMERCIAL, ActionId.NO_DERIVATIVES, ActionId.CHECK]
    assert "CC BY-NC-ND 4.0" in act.render(todo[0].code, todo[0].params, "en")
    assert "no cropping" in act.render(todo[1].code, todo[1].params, "en")
    check = act.render(todo[2].code, todo[2].params, "nl")
    assert check.startswith("Controleer voor het plaatsen: ") and "{" not in check


def test_every_action_has_a_text_in_both_languages() -> None:
    for code in ActionId:
        nl, en = act.TEXTS[code]
        assert nl and en and nl != en, code


@pytest.fixture(scope="module")
def samples() -> Run:
    return run_cli("scan", "sample_media", "--lang", "en", cwd=ROOT)


def test_every_passing_sample_with_a_task_has_actions(samples: Run) -> None:
    """Done when: every passing file with a credit line, AI label or location warning
    has actions in the JSON (and the manifest validates)."""
    m = samples.manifest
    assert m is not None
    jsonschema.validate(m, json.loads(SCHEMA.read_text()))
    by = {Path(f["path"]).name: f for f in m["files"]}
    for f in m["files"]:
        codes = [a["code"] for a in f["actions"]]
        if f["outcome"] != "pass":
            assert codes == [], f["path"]
            continue
        if f["rights"].get("attribution"):
            assert ActionId.CREDIT in codes, f["path"]
        if CodeId.GPS_POSITION in [x["code"] for x in f["findings"]]:
            assert ActionId.REMOVE_LOCATION in codes, f["path"]
        if (f.get("provenance") or {}).get("ai_generated"):
            assert ActionId.AI_LABEL in codes, f["path"]
    stad = by["stadhuis.png"]["actions"]
    assert [a["code"] for a in stad] == ["credit", "paste_alt_text"]
    assert stad[0]["paste"] == CREDIT and stad[0]["finding"] == "MA-LIC-008"
    assert [a["code"] for a in by["markt-gps.jpg"]["actions"]] == ["remove_location"]
    assert by["logo.svg"]["actions"] == []
    # a caption file beside the video travels only if the poster uploads it with the post
    assert [(a["code"], a["params"]) for a in by["interview.mp4"]["actions"]] == [
        ("upload_captions", {"file": "interview.nl.vtt", "language": "nl"})]


def test_relang_renders_actions_again(samples: Run) -> None:
    assert samples.manifest is not None
    nl = relang(samples.manifest, "nl")
    en = relang(nl, "en")
    stad = next(f for f in nl["files"] if f["path"].endswith("stadhuis.png"))
    assert stad["actions"][1]["text"].startswith("Plak deze alt-tekst")
    assert stad["actions"][1]["paste"] == "Kleurverloop van roze naar groen (voorbeeldbeeld)"
    assert [f["actions"] for f in en["files"]] == \
        [f["actions"] for f in samples.manifest["files"]]


def test_ai_generated_pass_gets_the_label_action(tmp_path: Path) -> None:
    fr.jpeg(tmp_path / "ai.jpg", fr.xmp(LIC + f'<Iptc4xmpExt:DigitalSourceType rdf:resource="'
                                        f'{DST}trainedAlgorithmicMedia"/>'))
    run = run_cli("scan", str(tmp_path), "--lang", "en")
    entry = run.entry("ai.jpg")
    assert entry["outcome"] == "pass"
    texts = {a["code"]: a["text"] for a in entry["actions"]}
    assert texts[ActionId.AI_LABEL] == "Label this post as AI-generated"


def test_actions_in_csv_and_markdown(samples: Run, tmp_path: Path) -> None:
    man = tmp_path / "m.json"
    man.write_text(json.dumps(samples.manifest), encoding="utf-8")
    csv_text = run_cli("report", str(man), "--format", "csv", "--lang", "en").stdout
    row = next(ln for ln in csv_text.splitlines() if "markt-gps.jpg" in ln)
    assert row.endswith('"pass_actions","remove_location",'  # every cell quoted
                        "\"Remove the location (GPS) before posting, for example with "
                        "'mediaaudit fix'\"")
    md = run_cli("report", str(man), "--format", "md", "--lang", "en").stdout
    assert "8 of 15 files may be posted; 6 of them need an action when posting. 7 failed." in md
    assert f"  - [ ] Paste this credit line with the post: {CREDIT}" in md


def test_tally_counts_passes_with_actions() -> None:
    from mediaaudit import manifest

    s = manifest.empty_summary()
    for entry in ({"outcome": "pass", "actions": [{"code": "credit"}]},
                  {"outcome": "pass", "actions": []}, {"outcome": "fail", "actions": []}):
        manifest.tally(s, entry)
    assert s == {"files": 3, "pass": 2, "fail": 1, "error": 0, "pass_with_actions": 1}
