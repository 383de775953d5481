"""The NVF 2024 profile is the norm, verbatim: checked row by row against the CSV export of
the Nationaal Archief workbook (formats/source/), and validated with clear errors."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import pytest

from mediaaudit.profile import ProfileError, expand_puid, load_profile, parse_profile

from conftest import run_cli

ROOT = Path(__file__).parents[1]
TOML = ROOT / "formats" / "nvf-2024.toml"
CSV = ROOT / "formats" / "source" / "nvf-2024-lijst.csv"
MEDIA = ("Afbeelding (raster)", "Afbeelding (vector)", "Audio", "Video")


def media_rows() -> list[dict[str, str]]:
    """Content rows of the workbook's media categories, with the block they sit in."""
    rows, top, block = [], "", ""
    with CSV.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            cat = r["Informatiesoort"].strip()
            content = any(r[k].strip() for k in ("Extensie", "Formaat naam", "Status"))
            if cat and not content:
                top, block = cat, cat
                continue
            if cat:
                block = cat
            if top in MEDIA and content:
                rows.append({**r, "block": block})
    return rows


def toml_entries() -> list[dict[str, object]]:
    doc = tomllib.loads(TOML.read_text(encoding="utf-8"))
    return list(doc["formats"]) + list(doc["codecs"])


def test_every_media_row_of_the_norm_is_in_the_profile_verbatim() -> None:
    rows = media_rows()
    assert len(rows) == 23  # 5 raster + 5 vector + 4 audio + 3 audio codecs + 3 video + 3 codecs
    entries = toml_entries()
    assert len(entries) == len(rows)
    for r in rows:
        matches = [e for e in entries if e["norm_name"] == r["Formaat naam"]
                   and e.get("norm_extension", "") == r["Extensie"]]
        assert len(matches) == 1, r
        e = matches[0]
        assert e["norm_status"] == r["Status"], r  # verbatim, stray space included
        assert e.get("norm_version", "") == r["Versie en/of profiel"], r
        puids = r["PUID"].split()
        assert (e["puids"] == "Geen") if puids == ["Geen"] else (e["puids"] == puids), r
        expected = {"Voorkeur": "preferred", "Acceptabel": "acceptable"}[r["Status"].strip()]
        assert e["status"] == expected
        if r["Opmerkingen"].strip():
            assert e["norm_remark"] == r["Opmerkingen"]


def test_quirks_are_kept_and_explained() -> None:
    p = load_profile("nvf-2024")
    assert "TSS-fmt/9" in p.row("mp4").puids
    assert "fmt/21-36" in p.row("dwg").puids
    assert p.by_puid["fmt/27"].id == "dwg"  # the range is expanded for matching
    assert expand_puid("fmt/21-23") == ["fmt/21", "fmt/22", "fmt/23"]
    text = TOML.read_text()
    assert "TSS-fmt/9" in text.split("[profile]")[0]  # explained in the header comment
    mkv = p.row("mkv")
    assert mkv.condition and mkv.condition.video_codecs == ("ffv1",)


def test_equivalents_are_separate_and_never_override_the_norm() -> None:
    p = load_profile()
    assert "fmt/645" not in p.by_puid and p.by_equivalent["fmt/645"][0].id == "jpeg"
    extra = b'\n[[equivalents]]\npuids = ["fmt/11"]\nmaps_to = "jpeg"\nreason = "x"\n'
    bad = TOML.read_bytes() + extra
    with pytest.raises(ProfileError, match="already listed by the norm"):
        parse_profile(bad, "bad.toml")


@pytest.mark.parametrize(("mutation", "message"), [
    (lambda s: s.replace('status = "preferred"', 'status = "voorkeur"', 1), "must be one of"),
    (lambda s: s.replace('puids = ["fmt/353"]', 'puids = ["png"]'), "not a PRONOM PUID"),
    (lambda s: s.replace('category = "raster"', 'category = "pixels"', 1), "'category'"),
    (lambda s: s.replace("[profile]", "[profiel]"), "missing [profile]"),
    (lambda s: s + "\n[[formats]\n", "not valid TOML"),
    (lambda s: s.replace('maps_to = "tiff"', 'maps_to = "tif"'), "is not a [[formats]] id"),
])
def test_bad_profiles_are_rejected_with_a_clear_message(mutation, message) -> None:  # type: ignore[no-untyped-def]
    text = mutation(TOML.read_text(encoding="utf-8"))
    with pytest.raises(ProfileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_profile(text.encode(), "custom.toml")


def test_cli_profile_file_and_errors(tmp_path: Path, corpus: Path) -> None:
    custom = tmp_path / "webp-ok.toml"
    custom.write_text(TOML.read_text().replace(
        'puids = ["fmt/11", "fmt/12", "fmt/13"]',
        'puids = ["fmt/11", "fmt/12", "fmt/13", "fmt/566"]'))
    run = run_cli("scan", str(corpus / "photo.webp"), "--profile", str(custom))
    assert run.exit_code == 0
    assert run.entry("photo.webp")["nvf"]["row_id"] == "png"
    assert run.manifest and run.manifest["profile"]["sha256"] != load_profile().sha256
    broken = tmp_path / "broken.toml"
    broken.write_text("[profile]\nid='x'\n")
    bad = run_cli("scan", str(corpus / "photo.png"), "--profile", str(broken))
    assert bad.exit_code == 2 and "mediaaudit: error:" in bad.stderr and bad.stdout == ""
    missing = run_cli("scan", str(corpus / "photo.png"), "--profile", "nvf-1999")
    assert missing.exit_code == 2 and "nvf-2024" in missing.stderr


def test_profiles_command_lists_and_shows() -> None:
    listing = run_cli("profiles")
    assert listing.exit_code == 0 and listing.stdout.startswith("nvf-2024\t")
    shown = run_cli("profiles", "show", "nvf-2024")
    assert "fmt/21-36" in shown.stdout and "Equivalents" in shown.stdout
    assert load_profile().sha256 in shown.stdout
