"""Rights verdicts on 81 real photos against a reviewer's verdicts (issue 12, §2b).

tests/realworld/rights/ holds photos whose rights metadata was written by photographers,
institutions and other projects' test suites (sources and licences in its SOURCES.toml).
reviewed.toml holds a reviewer's verdict per photo, made from exiftool's read-out only.
Where mediaaudit knowingly differs, the entry says so in ``tool_differs`` with the reason
and the status the tool gives (``tool_rights``), so any change shows up here.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli

ROOT = Path(__file__).parent / "realworld"
REVIEWED = tomllib.loads((ROOT / "rights" / "reviewed.toml").read_text())["photo"]
SOURCES = tomllib.loads((ROOT / "rights" / "SOURCES.toml").read_text())["file"]


@pytest.fixture(scope="module")
def tool() -> dict[str, dict[str, Any]]:
    run = run_cli("scan", str(ROOT / "rights"), "-j", "2", "--no-cache", "--lang", "en")
    assert run.manifest is not None, run.stderr
    return {f["path"].split("realworld/", 1)[1]: f for f in run.manifest["files"]}


def test_every_photo_has_a_source_and_a_review() -> None:
    on_disk = {str(p.relative_to(ROOT)) for p in (ROOT / "rights").rglob("*")
               if p.is_file() and p.suffix != ".toml"}
    assert on_disk == {s["path"] for s in SOURCES} == {r["path"] for r in REVIEWED}
    assert len(REVIEWED) >= 50
    assert len({s["repo"] for s in SOURCES}) >= 8


@pytest.mark.parametrize("review", REVIEWED, ids=[r["path"] for r in REVIEWED])
def test_photo_verdict(tool: dict[str, dict[str, Any]], review: dict[str, Any]) -> None:
    e = tool[review["path"]]
    r = e["rights"]
    if r["status"] == "open":  # the one mistake that must never happen
        assert review["rights"] == "open", ("wrong open", review["path"], r)
    if "tool_differs" in review:
        assert r["status"] == review["tool_rights"], (review["tool_differs"], r)
        return
    assert r["status"] == review["rights"], (review["why"], r, [x["code"] for x in e["findings"]])
    if review["rights"] == "open":
        assert r["licence"] == review["licence"]
    line = (r.get("attribution") or "").casefold()
    for text in review.get("credit_must", []):
        assert text.casefold() in line, (text, r["attribution"])
    for text in review.get("credit_must_not", []):
        assert text.casefold() not in line, (text, r["attribution"])
    if r["holder"]:
        for text in review.get("credit_must_not", []):
            assert text.casefold() not in r["holder"].casefold(), (text, r["holder"])


def test_agreement_figures(tool: dict[str, dict[str, Any]]) -> None:
    """The figures the README quotes: photos, agreements, explained differences."""
    differs = [r for r in REVIEWED if "tool_differs" in r]
    agree = [r for r in REVIEWED if tool[r["path"]]["rights"]["status"] == r["rights"]]
    assert len(agree) == len(REVIEWED) - len(differs), json.dumps(
        [r["path"] for r in REVIEWED if r not in agree and r not in differs])
