"""Issue 4's must-show table plus one fixture per LIC/PRT/PRV code, on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

import fixtures_rights
from conftest import Run, run_cli

EXPECT = [
    # name, rights status, licence, outcome, codes that must be present
    ("cc_by.jpg", "open", "CC-BY-4.0", "pass", ["MA-LIC-008"]),
    ("webstatement_cc0.jpg", "open", "CC0-1.0", "pass", []),
    ("old_ns.png", "open", "CC-BY-SA-3.0", "pass", []),
    ("owned.tif", "owned", None, "pass", []),
    ("iptc_reserved.jpg", "restricted", None, "fail", ["MA-LIC-002"]),
    ("bare.jpg", "unknown", None, "fail", ["MA-LIC-001"]),
    ("conflict.jpg", "conflict", "CC-BY-4.0", "fail", ["MA-LIC-003"]),
    ("sidecar.jpg", "open", "CC-BY-4.0", "pass", []),
    ("owned.mp4", "owned", None, "pass", []),
    ("nc.mkv", "open", "CC-BY-NC-4.0", "pass", ["MA-LIC-004"]),
    ("gps.jpg", "open", "CC-BY-4.0", "pass", ["MA-PRV-001"]),
    ("xml_bomb.jpg", "unknown", None, "fail", ["MA-LIC-007", "MA-LIC-001"]),
    ("nd.jpg", "open", "CC-BY-ND-4.0", "pass", ["MA-LIC-005"]),
    ("unrecognised.png", "unknown", None, "fail", ["MA-LIC-006"]),
    ("noversion.jpg", "open", "CC-BY", "pass", ["MA-LIC-009"]),
    ("garbage.jpg", "unknown", None, "fail", ["MA-LIC-010", "MA-LIC-001"]),
    ("stock_ok.jpg", "licensed", "LicenseRef-ANP-2026", "pass", []),
    ("stock_unknown.jpg", "restricted", "LicenseRef-X", "fail", ["MA-LIC-011"]),
    ("people.jpg", "open", "CC-BY-4.0", "pass", ["MA-PRT-001"]),
    ("release_none.jpg", "open", "CC-BY-4.0", "fail", ["MA-PRT-002"]),
    ("released.jpg", "open", "CC-BY-4.0", "pass", []),
    ("serial.jpg", "open", "CC-BY-4.0", "pass", ["MA-PRV-002", "MA-PRV-003"]),
    ("extended.jpg", "open", "CC-BY-4.0", "pass", []),
    ("xmp.gif", "open", "CC-BY-4.0", "pass", []),
    ("xmp_uuid.mp4", "open", "CC-BY-4.0", "pass", []),
    ("xmpside.jpg", "open", "CC-BY-4.0", "pass", []),
]


@pytest.fixture(scope="module")
def rights_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixtures_rights.build_rights(tmp_path_factory.mktemp("rights") / "r")


@pytest.fixture(scope="module")
def run(rights_dir: Path) -> Run:
    return run_cli("scan", str(rights_dir), "-j", "1", "--lang", "en")


@pytest.mark.parametrize(("name", "status", "licence", "outcome", "must"), EXPECT)
def test_rights_table(run: Run, name: str, status: str, licence: str | None, outcome: str,
                      must: list[str]) -> None:
    e = run.entry(name)
    assert e["rights"]["status"] == status, e["rights"]
    assert e["rights"]["licence"] == licence
    assert e["outcome"] == outcome, e["findings"]
    codes = [x["code"] for x in e["findings"]]
    for code in must:
        assert code in codes, (name, codes)
    if status not in ("unknown",):
        assert e["rights"]["evidence"], "a verdict must show its evidence"


def test_evidence_names_its_sources(run: Run) -> None:
    srcs = {x["source"] for x in run.entry("cc_by.jpg")["rights"]["evidence"]}
    assert srcs == {"xmp:cc:license", "xmp:dc:creator"}
    assert run.entry("owned.tif")["rights"]["evidence"][0]["source"] == "exif:Copyright"
    assert run.entry("owned.tif")["rights"]["holder"] == "Gemeente Voorbeeld"
    assert run.entry("owned.mp4")["rights"]["evidence"][0]["source"] == "video-tag:copyright"
    side = run.entry("sidecar.jpg")
    assert side["sidecars"] == ["sidecar.jpg.license"]
    assert side["rights"]["evidence"][0]["source"].startswith("sidecar:sidecar.jpg.license")
    assert run.entry("extended.jpg")["rights"]["evidence"][0]["source"] == "xmp-extended:cc:license"
    assert run.entry("xmpside.jpg")["sidecars"] == ["xmpside.xmp"]


def test_attribution_text_to_use(run: Run) -> None:
    r = run.entry("cc_by.jpg")["rights"]
    assert r["attribution"] == ("© J. Jansen, CC BY 4.0 "
                                "(https://creativecommons.org/licenses/by/4.0/)")
    assert r["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert run.entry("webstatement_cc0.jpg")["rights"]["attribution"] is None


def test_sidecars_are_not_audited_as_media(run: Run) -> None:
    assert run.manifest is not None
    paths = [f["path"] for f in run.manifest["files"]]
    assert not any(p.endswith((".license", ".xmp", ".toml")) for p in paths)
    reasons = {Path(s["path"]).name: s["reason"] for s in run.manifest["skipped"]}
    assert reasons["sidecar.jpg.license"] == "sidecar" and reasons["xmpside.xmp"] == "sidecar"


def test_policy_can_make_nc_fail(rights_dir: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "strict.toml"
    cfg.write_text(fixtures_rights.CONFIG + 'non_commercial = "error"\n')
    run = run_cli("scan", str(rights_dir / "nc.mkv"), "--config", str(cfg))
    assert run.entry("nc.mkv")["outcome"] == "fail" and run.exit_code == 1


def test_annotation_last_match_wins(tmp_path: Path) -> None:
    d = tmp_path / "share"
    (d / "campagne").mkdir(parents=True)
    fixtures_rights.jpeg(d / "campagne" / "a.jpg")
    fixtures_rights.jpeg(d / "b.jpg")
    (d / "mediaaudit.toml").write_text(
        '[[annotations]]\npath = "**"\nlicence = "CC-BY-4.0"\nholder = "Fotograaf A"\n'
        '[[annotations]]\npath = "campagne/**"\nlicence = "CC0-1.0"\n')
    run = run_cli("scan", str(d))
    assert run.entry("campagne/a.jpg")["rights"]["licence"] == "CC0-1.0"
    assert run.entry("b.jpg")["rights"]["licence"] == "CC-BY-4.0"


def test_sidecar_outranks_embedded_metadata(tmp_path: Path) -> None:
    fixtures_rights.jpeg(tmp_path / "x.jpg", app13=fixtures_rights.iptc_app13(
        (2, 116, "All rights reserved, Foto Bureau X")))
    (tmp_path / "x.jpg.license").write_text("SPDX-License-Identifier: CC0-1.0\n")
    run = run_cli("scan", str(tmp_path / "x.jpg"))
    r = run.entry("x.jpg")["rights"]
    assert r["status"] == "open" and r["licence"] == "CC0-1.0"
    assert {e["source"] for e in r["evidence"]} >= {"iptc:2:116"}  # kept as evidence


def test_xml_bomb_is_rejected_fast(rights_dir: Path) -> None:
    import time

    t = time.monotonic()
    run = run_cli("scan", str(rights_dir / "xml_bomb.jpg"))
    assert time.monotonic() - t < 10
    msg = next(x for x in run.entry("xml_bomb.jpg")["findings"] if x["code"] == "MA-LIC-007")
    assert "entity" in msg["message"].lower()
