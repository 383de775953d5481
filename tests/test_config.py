"""mediaaudit.toml: a misspelt key or table is an error that names it (issue 13.7).

Before, ``[policy] organisatie = …`` was accepted silently and every own photo failed
as restricted.  Every problem with the file is one ``PolicyError`` (what ``watch``
catches on reload); the CLI prints it as one line and exits 2.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from mediaaudit.config import load_policy
from mediaaudit.policy import PolicyError, build_policy

from conftest import run_cli


@pytest.mark.parametrize(("doc", "message"), [
    ({"policy": {"organisatie": "Gemeente X"}},
     "[policy]: unknown key 'organisatie'; did you mean 'organisation'?"),
    ({"policy": {"allowed_licenses": ["LicenseRef-X"]}},
     "did you mean 'allowed_licences'?"),
    ({"policy": {"non_comercial": "info"}}, "did you mean 'non_commercial'?"),
    ({"policy": {"zzz": 1}}, "unknown key 'zzz' (valid: organisation, organisations, "),
    ({"polcy": {"organisation": "X"}}, "unknown table or key 'polcy'; did you mean 'policy'?"),
    ({"severty": {"MA-PRV-001": "error"}}, "did you mean 'severity'?"),
    ({"annotation": [{"path": "*"}]}, "did you mean 'annotations'?"),
    ({"organisation": "X"}, "'organisation' belongs in the [policy] table"),
    ({"xyz": {}}, "(valid: [policy], [severity], [[annotations]])"),
    ({"annotations": [{"path": "*", "holdr": "X"}]},
     "[[annotations]] #1: unknown key 'holdr'; did you mean 'holder'?"),
    ({"annotations": [{"pth": "*"}]}, "unknown key 'pth'; did you mean 'path'?"),
    ({"annotations": [{"path": "*"}, {"path": "*", "licnce": "CC0-1.0"}]},
     "[[annotations]] #2: unknown key 'licnce'; did you mean 'licence'?"),
    ({"annotations": [{"path": "*", "holder": 5}]}, "holder must be a string, got 5"),
    ({"annotations": [{"path": "*", "licence": "CC0-1.0", "license": "CC0-1.0"}]},
     "licence or license, not both"),
    ({"policy": {"organisation": "X", "organisations": ["Y"]}},
     "organisation or organisations, not both"),
    ({"severity": {"MA-PRV-01": "error"}}, "did you mean 'MA-PRV-001'?"),
    ({"policy": {"privacy": "warn"}}, "got 'warn'; did you mean 'warning'?"),
])
def test_unknown_keys_name_the_key_and_the_nearest(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(PolicyError) as err:
        build_policy(doc)
    assert message in str(err.value)


def test_every_valid_key_is_still_accepted() -> None:
    pol = build_policy({
        "policy": {"organisation": ["Gemeente Voorbeeld"], "allowed_licences": "LicenseRef-A",
                   "non_commercial": "info", "no_derivatives": "info", "not_listed": "warning",
                   "privacy": "error", "portrait": "info", "captions": "error",
                   "alt_text": "ignore", "ai_label": "error"},
        "severity": {"MA-LIC-002": "warning"},
        "annotations": [{"path": "a/**", "licence": "CC-BY-4.0", "holder": "H", "creator": "C",
                         "attribution": "A", "captions": "burned-in"},
                        {"path": "b/*", "license": "CC0-1.0"}],
    })
    assert pol.organisations == ("Gemeente Voorbeeld",)
    assert pol.annotations[1].licence == "CC0-1.0"
    assert build_policy({"policy": {"organisations": "X"}}).organisations == ("X",)


def test_misspelt_key_in_a_scan_is_one_line_exit_2(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes((corpus / "photo.png").read_bytes())
    cfg = tmp_path / "mediaaudit.toml"
    cfg.write_text('[policy]\norganisatie = "Gemeente Voorbeeld"\n')
    run = run_cli("scan", str(tmp_path), "-j", "1")
    assert run.exit_code == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert lines == [f"mediaaudit: error: {cfg}: [policy]: unknown key 'organisatie'; "
                     "did you mean 'organisation'?"]
    cfg.write_text('[polcy]\norganisation = "Gemeente Voorbeeld"\n')
    run = run_cli("scan", str(tmp_path), "-j", "1")
    assert run.exit_code == 2 and "did you mean 'policy'?" in run.stderr


@pytest.mark.parametrize("text", [
    '[policy]\norganisatie = "X"\n',
    "[policy\n",
    b"\xff\xfe[policy]\n".decode("latin-1"),
])
def test_load_policy_raises_only_policy_error(tmp_path: Path, text: str) -> None:
    """One class for watch's reload to catch, whatever is wrong with the file."""
    cfg = tmp_path / "mediaaudit.toml"
    cfg.write_text(text, encoding="latin-1")
    with pytest.raises(PolicyError):
        load_policy(str(cfg), [])
    with pytest.raises(PolicyError, match="cannot read config"):
        load_policy(str(tmp_path / "missing.toml"), [])
    with pytest.raises(PolicyError, match="cannot read config"):
        load_policy(str(tmp_path), [])


def test_symlink_loop_as_scanned_path_is_not_a_crash(tmp_path: Path) -> None:
    os.symlink(tmp_path / "b", tmp_path / "a")
    os.symlink(tmp_path / "a", tmp_path / "b")
    assert load_policy(None, [str(tmp_path / "a")]).source is None


def test_config_saved_with_a_bom_is_read(tmp_path: Path) -> None:
    cfg = tmp_path / "mediaaudit.toml"
    cfg.write_bytes(b'\xef\xbb\xbf[policy]\norganisation = "Gemeente Voorbeeld"\n')
    assert load_policy(None, [str(tmp_path)]).organisations == ("Gemeente Voorbeeld",)
