"""The format gate on 1,991 real files against a golden table (issue 12, §1-§5).

tests/realworld/files/ holds image, video and audio files from other projects' test
suites (Pillow, exiftool, Exiv2, TagLib, mutagen, libheif, the OPF format corpus, ...;
a second corpus of 1,735 from AndroidX Media, image-rs, libwebp, jpylyzer, libjpeg-turbo,
libtiff and resvg): intact files, damaged ones and fuzzer output.  golden.toml says, per
file, what a correct tool must answer in a format-only audit; it was derived from
independent oracles (siegfried, Pillow full decode, ffmpeg full decode, exiftool, MediaInfo,
jpylyzer; ImageMagick for the second corpus) and the profile, never from mediaaudit's own
answer.  What mediaaudit still gets wrong is pinned per file (known_limit, tool_outcome;
deep_tool_outcome for --deep) and counted per class (CLASSES.md).  SOURCES.toml records
where every file came from (repository, commit, path, licence, SHA-256).
"""

from __future__ import annotations

import hashlib
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli

ROOT = Path(__file__).parent / "realworld"
GOLDEN = tomllib.loads((ROOT / "golden.toml").read_text())["file"]
SOURCES = tomllib.loads((ROOT / "SOURCES.toml").read_text())["file"]
FORMAT_ONLY = ("--ignore", "MA-LIC", "--ignore", "MA-PRV", "--ignore", "MA-PRT",
               "--ignore", "MA-ACC", "--ignore", "MA-AI")
# The second corpus (its known limits are counted by class; the first corpus's in one line).
SECOND = ("androidx-media", "image-gif", "image-png", "image-rs", "image-tiff", "image-webp",
          "jpylyzer", "libjpeg-turbo", "libtiff", "libwebp-test-data", "resvg")
# Known limits per class (CLASSES.md): what mediaaudit still answers wrongly on the corpus.
LIMITS = {
    "first corpus": 2,
    # default scan only: --deep gets all of these right (the reference decoder of the data)
    "wrong pass/corrupt compressed data": 10,
    "wrong pass/audio-video stream errors": 2,
}


def _scan(*args: str) -> dict[str, dict[str, Any]]:
    run = run_cli("scan", *args, "-j", "2", "--no-cache", "--lang", "en", *FORMAT_ONLY)
    assert run.manifest is not None, run.stderr
    return {f["path"].split("realworld/", 1)[1]: f for f in run.manifest["files"]}


@pytest.fixture(scope="module")
def tool() -> dict[str, dict[str, Any]]:
    return _scan(str(ROOT / "files"))


@pytest.fixture(scope="module")
def deep_tool() -> dict[str, dict[str, Any]]:
    return _scan("--deep", str(ROOT / "files"))


def _second(gold: dict[str, Any]) -> bool:
    return gold["path"].split("/")[1] in SECOND


def _class(gold: dict[str, Any]) -> str:
    return str(gold["known_limit"]).split(":", 1)[0] if _second(gold) else "first corpus"


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
    if "known_limit" in gold:
        e = tool[gold["path"]]
        assert e["outcome"] == gold["tool_outcome"], (gold["known_limit"], _codes(e))
        return
    _agrees(tool[gold["path"]], gold)


@pytest.mark.parametrize("gold", GOLDEN, ids=[g["path"] for g in GOLDEN])
def test_golden_verdict_deep(deep_tool: dict[str, dict[str, Any]], gold: dict[str, Any]) -> None:
    """--deep on both corpora: right where no deep limit is pinned (none is, now: every
    damaged file fails and no intact one is called damaged)."""
    e = deep_tool[gold["path"]]
    if "deep_tool_outcome" in gold:
        assert e["outcome"] == gold["deep_tool_outcome"], (gold.get("deep_known_limit"),
                                                           gold.get("deep"), _codes(e))
        return
    _agrees(e, gold)


def _agrees(e: dict[str, Any], gold: dict[str, Any]) -> None:
    why = gold.get("why", "")
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
                   and "MA-IO-004" in _codes(tool[g["path"]]) and "known_limit" not in g]
    limits = {g["path"] for g in GOLDEN if "known_limit" in g}
    assert len(GOLDEN) == 1991  # 251 + 5 phone files for fix + 1,735 of the second corpus
    assert set(wrong) <= limits, sorted(set(wrong) - limits)
    assert len(wrong) == 2 + 12, wrong  # every wrong pass is a listed known limit
    assert Counter(_class(g) for g in GOLDEN if "known_limit" in g) == LIMITS
    assert false_alarm == []
