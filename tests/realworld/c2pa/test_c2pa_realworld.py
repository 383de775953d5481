"""Real Content Credentials files from contentauth/c2pa-rs (listed in SOURCES.toml), scanned
with the CLI: the C2PA state and the AI finding must match the oracle (c2pa-python's own
reader output, mapped as documented in probe/c2pa_read.py), and nothing that has no
integrity failure may ever be called "changed after signing" (MA-AI-002)."""

from __future__ import annotations

import hashlib
import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, run_cli

HERE = Path(__file__).parent
FILES: list[dict[str, Any]] = tomllib.loads((HERE / "SOURCES.toml").read_text())["file"]
INTEGRITY = {"assertion.dataHash.mismatch", "assertion.bmffHash.mismatch",
             "assertion.boxesHash.mismatch", "assertion.hashedURI.mismatch",
             "claimSignature.mismatch", "hashedURI.mismatch"}


def _name(entry: dict[str, Any]) -> str:
    return Path(entry["path"]).name


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    d = tmp_path_factory.mktemp("realworld_c2pa")
    for entry in FILES:
        shutil.copyfile(HERE / _name(entry), d / _name(entry))
    return run_cli("scan", str(d), "-j", "1", "--no-cache")


def test_sources_are_complete_and_unchanged() -> None:
    names = {_name(e) for e in FILES}
    on_disk = {p.name for p in HERE.iterdir() if p.suffix not in (".py", ".toml")
               and p.is_file()}
    assert names == on_disk
    total = 0
    for e in FILES:
        data = (HERE / _name(e)).read_bytes()
        assert hashlib.sha256(data).hexdigest() == e["sha256"], e["path"]
        assert len(e["commit"]) == 40 and int(e["commit"], 16) >= 0
        assert e["licence"] and e["repo"] and e["source_path"]
        assert len(data) < 500_000
        total += len(data)
    assert total < 6_000_000


@pytest.mark.parametrize("entry", FILES, ids=_name)
def test_oracle_still_says_so(entry: dict[str, Any]) -> None:
    """c2pa-python itself, offline: the recorded oracle output still holds (a library
    upgrade that changes it shows up here, not as a puzzling CLI failure)."""
    c2pa = pytest.importorskip("c2pa")
    ctx = c2pa.Context.from_dict({"verify": {"remote_manifest_fetch": False,
                                             "ocsp_fetch": False}})
    try:
        with c2pa.Reader(str(HERE / _name(entry)), context=ctx) as r:
            state = str(r.get_validation_state())
            store = json.loads(r.json())
    except Exception as exc:
        assert entry["oracle_state"] == "error"
        assert f"{exc}"[:40] in entry["oracle_error"]
        return
    fails = [x["code"] for x in store["validation_results"]["activeManifest"].get("failure", [])]
    assert state == entry["oracle_state"]
    assert fails == entry["oracle_failures"]


@pytest.mark.parametrize("entry", FILES, ids=_name)
def test_state_and_ai_match_the_oracle(run: Run, entry: dict[str, Any]) -> None:
    name = _name(entry)
    e = run.entry(name)
    prov = e["provenance"]
    codes = run.codes(name)
    assert prov["c2pa"]["state"] == entry["expect_state"], prov["c2pa"]
    assert prov["ai_generated"] is entry["expect_ai"]
    assert ("MA-AI-001" in codes) is entry["expect_ai"]
    assert ("MA-AI-002" in codes) is (entry["expect_state"] == "invalid")
    assert ("MA-AI-003" in codes) is (entry["expect_state"] == "unverifiable")
    if entry["expect_state"] in ("invalid", "unverifiable"):
        assert prov["c2pa"]["reason"]


def test_no_changed_after_signing_without_an_integrity_failure(run: Run) -> None:
    for entry in FILES:
        name = _name(entry)
        if "MA-AI-002" in run.codes(name):
            assert set(entry["oracle_failures"]) & INTEGRITY, name


def test_plain_tiffs_are_absent_not_tampered(run: Run) -> None:
    """The false alarm: 0xCD41 in the pixel data of a plain TIFF is not tag 52545."""
    data = (HERE / "MultiPage.tif").read_bytes()
    assert (52545).to_bytes(2, "little") in data  # the bytes the old search hit on
    for name in ("MultiPage.tif", "TUSCANY.TIF"):
        assert run.entry(name)["provenance"]["c2pa"] == {
            **run.entry(name)["provenance"]["c2pa"], "state": "absent", "where": None}


def test_ai_in_an_ingredient_names_where_it_came_from(run: Run) -> None:
    c2pa = run.entry("ocsp.jpg")["provenance"]["c2pa"]
    deep = [o for o in c2pa["ai_origin"] if o["digital_source_type"] == "trainedAlgorithmicMedia"]
    assert deep and not deep[0]["active"] and deep[0]["ingredient"] == "ocsp.jpg"
    assert deep[0]["action"] == "c2pa.created" and deep[0]["ai"] is True


def test_algorithmic_media_is_reported_but_not_labelled(run: Run) -> None:
    prov = run.entry("C.jpg")["provenance"]
    assert prov["digital_source_type"] == "algorithmicMedia"
    assert prov["ai_generated"] is False and "MA-AI-001" not in run.codes("C.jpg")
    assert [o["ai"] for o in prov["c2pa"]["ai_origin"]] == [False]


def test_reasons_name_the_cause(run: Run) -> None:
    reason = {n: run.entry(n)["provenance"]["c2pa"]["reason"] for n in (
        "cloud.jpg", "prerelease.jpg", "cawg_adobe_connected_identities.jpg", "XCA.jpg",
        "E-sig-CA.jpg")}
    assert "remote manifest" in reason["cloud.jpg"]
    assert "prerelease" in reason["prerelease.jpg"]
    assert "cawg.ica.did_unavailable" in reason["cawg_adobe_connected_identities.jpg"]
    assert reason["XCA.jpg"] == "assertion.dataHash.mismatch"
    assert reason["E-sig-CA.jpg"] == "claimSignature.mismatch"
    assert run.entry("cloud.jpg")["provenance"]["c2pa"]["where"].startswith("remote:https://")


def test_manifest_matches_the_schema(run: Run) -> None:
    import jsonschema

    schema = json.loads((HERE.parents[2] / "src" / "mediaaudit" / "schema" /
                         "manifest.schema.json").read_text())
    jsonschema.validate(run.manifest, schema)
