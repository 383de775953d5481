"""The format gate on 256 real files against a golden table (issue 12, §1-§5).

tests/realworld/files/ holds image, video and audio files from other projects' test
suites (Pillow, exiftool, Exiv2, TagLib, mutagen, libheif, the OPF format corpus, ...):
intact files, damaged ones and fuzzer output.  golden.toml says, per file, what a correct
tool must answer in a format-only audit; it was derived from independent oracles
(siegfried, Pillow full decode, ffmpeg full decode, exiftool, MediaInfo, jpylyzer) and the
profile, never from mediaaudit's own answer.  SOURCES.toml records where every file
came from (repository, commit, path, licence, SHA-256).
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli

ROOT = Path(__file__).parent / "realworld"
GOLDEN = tomllib.loads((ROOT / "golden.toml").read_text())["file"]
SOURCES = tomllib.loads((ROOT / "SOURCES.toml").read_text())["file"]
FORMAT_ONLY = ("--ignore", "MA-LIC", "--ignore", "MA-PRV", "--ignore", "MA-PRT",
               "--ignore", "MA-ACC", "--ignore", "MA-AI")


@pytest.fixture(scope="module")
def tool() -> dict[str, dict[str, Any]]:
    run = run_cli("scan", str(ROOT / "files"), "-j", "2", "--no-cache", "--lang", "en",
                  *FORMAT_ONLY)
    assert run.manifest is not None, run.stderr
    return {f["path"].split("realworld/", 1)[1]: f for f in run.manifest["files"]}


def test_every_file_has_a_source_and_a_golden_verdict() -> None:
    on_disk = {str(p.relative_to(ROOT)) for p in (ROOT / "files").rglob("*") if p.is_file()}
    assert on_disk == {s["path"] for s in SOURCES} == {g["path"] for g in GOLDEN}
    for s in SOURCES:
        data = (ROOT / s["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == s["sha256"], s["path"]
        assert len(s["commit"]) == 40 and s["repo"] and s["licence"], s["path"]


def _codes(entry: dict[str, Any]) -> list[str]:
    return [x["code"] for x in entry["findings"]]


@pytest.mark.parametrize("gold", GOLDEN, ids=[g["path"] for g in GOLDEN])
def test_golden_verdict(tool: dict[str, dict[str, Any]], gold: dict[str, Any]) -> None:
    e = tool[gold["path"]]
    why = gold.get("why", "")
    if "known_limit" in gold:
        assert e["outcome"] == gold["tool_outcome"], (gold["known_limit"], _codes(e))
        return
    if gold["outcome"] == "not_pass":
        assert e["outcome"] != "pass", ("wrong pass", why, e["nvf"], _codes(e))
    else:
        assert e["outcome"] == gold["outcome"], (why, e["nvf"], _codes(e))
    if "nvf" in gold:
        assert e["nvf"]["status"] == gold["nvf"], (why, e["nvf"])
    if "puid" in gold:
        assert (e["format"]["puid"] or "UNKNOWN") == gold["puid"]
    for code in gold.get("must", []):
        assert code in _codes(e), (code, why, _codes(e))
    for code in gold.get("must_not", []):
        assert code not in _codes(e), (code, why, e["findings"])


def test_wrong_passes_and_false_alarms(tool: dict[str, dict[str, Any]]) -> None:
    """The figures the README quotes: files, wrong passes (a file the oracles call
    damaged or unidentifiable that passes) and false alarms (an intact file called
    damaged).  Known limits are counted, not hidden."""
    wrong = [g["path"] for g in GOLDEN if g["outcome"] in ("not_pass", "fail", "error")
             and tool[g["path"]]["outcome"] == "pass"]
    false_alarm = [g["path"] for g in GOLDEN if "MA-IO-004" in g.get("must_not", [])
                   and "MA-IO-004" in _codes(tool[g["path"]])]
    limits = [g["path"] for g in GOLDEN if "known_limit" in g]
    assert len(GOLDEN) == 256  # 251 + 5 phone files for fix (issue 21)
    assert sorted(wrong) == sorted(limits) and len(limits) == 2, wrong
    assert false_alarm == []
