"""The code table: both languages, an explanation, valid ids, and every code produced."""

from __future__ import annotations

import re
import string

from mediaaudit import codes

from conftest import run_cli

# Codes with no fixture yet, each with the reason.  Keep this list short and honest.
NOT_YET_PRODUCED: dict[str, str] = {}
# Codes produced by a dedicated test rather than by a fixture corpus scan.
PRODUCED_ELSEWHERE = {
    "MA-IO-003": "test_io_edges.py::test_file_vanishing_before_probe_is_an_error_not_a_crash",
    "MA-IO-005": "test_hostile.py::test_hanging_file_is_killed_and_the_scan_goes_on",
    "MA-IO-006": "test_hostile.py::test_crashing_worker_costs_one_file",
    "MA-AI-002": "test_c2pa.py and tests/realworld/c2pa (XCA.jpg, E-sig-CA.jpg: hash or "
                 "signature mismatch)",
    "MA-IO-002": "test_io_edges.py::test_a_file_whose_reads_fail_is_an_error",
    "MA-LIC-013": "test_rights_rules.py::test_rights_rule[pd_text.jpg ...]",
    "MA-LIC-014": "test_rights_rules.py::test_rights_rule[creator_only.jpg ...]",
    "MA-LIC-015": "test_rights_rules.py::test_rights_rule[or_choice.jpg ...]",
    "MA-IO-010": "test_trust_round_two.py (a BMP layout Pillow lacks, read by libav)",
    "MA-IO-011": "test_trust_round_two.py::test_deep_decodes_every_page_and_never_errors (libtiff)",
    "MA-IO-012": "test_trust_round_two.py (a 10-bit TIFF and a bitfields BMP from real suites)",
    "MA-FMT-009": "test_trust_round_two.py::test_an_encrypted_mp4_cannot_be_posted",
    "MA-ARC-001": "test_delivery_archives.py (zip bomb, tar header, too many members)",
    "MA-ARC-002": "test_delivery_archives.py::test_a_photographers_zip_is_judged_member_by_member",
    "MA-ARC-003": "test_delivery_archives.py (zip symlink entry, tar symlink and hard link)",
    "MA-ARC-004": "test_delivery_archives.py::test_a_password_protected_delivery_cannot_be_checked",
    "MA-ARC-005": "test_delivery_archives.py::test_a_photographers_zip_is_judged_member_by_member",
    "MA-ARC-006": "test_delivery_archives.py::test_a_photographers_zip_is_judged_member_by_member",
}


def test_every_code_has_both_languages_and_an_explanation() -> None:
    for c in codes.CODES.values():
        assert re.fullmatch(r"MA-(ID|FMT|LIC|PRT|PRV|ACC|AI|IO|ARC)-\d{3}", c.code)
        for lang in codes.LANGS:
            assert c.message[lang].strip() and c.explanation[lang].strip(), (c.code, lang)
            assert "Wat:" in c.explanation["nl"] and "What:" in c.explanation["en"]
        fields = lambda t: {f for _, f, _, _ in string.Formatter().parse(t) if f}
        assert fields(c.message["nl"]) == fields(c.message["en"]), c.code


def test_names_are_unique() -> None:
    names = [c.name for c in codes.CODES.values()]
    assert len(names) == len(set(names))


def test_explain_command() -> None:
    r = run_cli("explain", "MA-FMT-001", "--lang", "nl")
    assert r.exit_code == 0 and "Norm Voorkeursformaten" in r.stdout
    by_name = run_cli("explain", "extension-mismatch", "--lang", "en")
    assert "MA-ID-001" in by_name.stdout
    listing = run_cli("explain")
    assert all(code in listing.stdout for code in codes.CODES)
    bad = run_cli("explain", "MA-NOPE-1")
    assert bad.exit_code == 2 and "unknown finding code" in bad.stderr


def test_every_code_is_produced_by_a_fixture(corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    seen: set[str] = set()
    for target in [corpus, *rights_and_edge_dirs(tmp_path)]:
        run = run_cli("scan", str(target), "-j", "1")
        assert run.manifest is not None
        seen |= {x["code"] for f in run.manifest["files"] for x in f["findings"]}
    missing = set(codes.CODES) - seen - set(NOT_YET_PRODUCED) - set(PRODUCED_ELSEWHERE)
    assert not missing, f"codes no fixture produces: {sorted(missing)}"


def rights_and_edge_dirs(tmp_path):  # type: ignore[no-untyped-def]
    """Build the extra fixture folders (edges, rights) in tmp_path."""
    import fixtures_all

    return fixtures_all.build(tmp_path)


def test_code_names_match_the_table() -> None:
    """``CodeId`` is what the code uses, the table is what users read: the same codes."""
    assert {c.value for c in codes.CodeId} == set(codes.CODES)
    for c in codes.CodeId:
        assert c.name == codes.CODES[c.value].name.upper().replace("-", "_")
