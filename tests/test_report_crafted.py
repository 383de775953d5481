"""``mediaaudit report`` on crafted manifests (issue 26): one line and exit 2, never a
traceback; a value the renderings do not know is shown as text.

A real manifest from a real scan is changed one value at a time: the issue's case (a
summary with strings for numbers), then every value of the manifest replaced by values
of other JSON types, each rendered in every text format.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import factory
from conftest import run_cli

FORMATS = ("md", "csv", "html", "json")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real manifest: a passing PNG with alt text and a credit line (actions), a PNG
    without rights (failing), a video (tracks) and an empty file (failing)."""
    d = tmp_path_factory.mktemp("crafted") / "upload"
    d.mkdir()
    factory.image(d / "ok.png", "PNG")
    (d / "ok.alt.txt").write_text("Een rode fiets\n")
    (d / "ok.png.license").write_text("SPDX-License-Identifier: CC-BY-4.0\n"
                                      "SPDX-FileCopyrightText: Anna de Vries\n")
    factory.image(d / "bad.png", "PNG")
    factory.video(d / "clip.mp4", "mp4", "libx264", "aac", frames=5)
    (d / "empty.jpg").write_bytes(b"")
    out = d.parent / "m.json"
    run = run_cli("scan", str(d), "-o", str(out), "-j", "1", "--no-cache", "-q")
    assert run.exit_code == 1, run.stderr
    m: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    ok = next(f for f in m["files"] if f["path"].endswith("ok.png"))
    assert ok["actions"] and ok["findings"] is not None
    return m


def _report(m: Any, tmp_path: Path, fmt: str) -> tuple[int, str, Path]:
    src = tmp_path / "crafted.json"
    src.write_text(json.dumps(m), encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    out.unlink(missing_ok=True)
    args = ["report", str(src), "-o", str(out)] + (["--lang", "nl"] if fmt == "json" else [])
    run = run_cli(*args)  # in-process, exceptions not caught: a traceback fails the test
    return run.exit_code, run.stderr, out


def _refused(m: Any, tmp_path: Path, fmt: str) -> str:
    code, err, out = _report(m, tmp_path, fmt)
    assert code == 2, (fmt, err)
    # one line, in the run's language (json is rendered with --lang nl)
    assert err.startswith(("mediaaudit: error: ", "mediaaudit: fout: ")), err
    assert err.count("\n") == 1, err
    assert not out.exists()
    return err


def _set(m: dict[str, Any], where: tuple[Any, ...], value: Any) -> dict[str, Any]:
    m = copy.deepcopy(m)
    node: Any = m
    for k in where[:-1]:
        node = node[k]
    node[where[-1]] = value
    return m


@pytest.mark.parametrize("fmt", FORMATS)
def test_summary_with_strings_for_numbers(real: dict[str, Any], tmp_path: Path,
                                          fmt: str) -> None:
    """The issue's case, with and without files (without, HTML counts from the summary)."""
    bad = {"files": "15", "pass": "8", "fail": "seven", "error": "0"}
    for files in (real["files"], []):
        err = _refused({**real, "summary": bad, "files": files}, tmp_path, fmt)
        assert "manifest.summary.files is string, not integer" in err


CRAFTED = [
    (("summary",), "all passed"),
    (("files", 0), "a file"),
    (("files", 0, "path"), 7),
    (("files", 0, "size"), "big"),
    (("files", 0, "format"), "PNG"),
    (("files", 0, "rights"), ["open"]),
    (("files", 0, "nvf", "status"), {"x": 1}),
    (("files", 0, "media", "frames"), "many"),
    (("files", 0, "media", "tracks"), [{"kind": "video", "format": ["AVC"]}]),
    (("files", 0, "findings"), "none"),
    (("files", 0, "findings", 0), 7),
    (("files", 0, "findings", 0, "code"), ["MA-LIC-001"]),
    (("files", 0, "findings", 0, "params"), "x"),
    (("files", 0, "actions"), {"code": "credit"}),
    (("files", 0, "actions", 0, "params"), [1]),
    (("files", 0, "actions", 0, "params", "finding"), ["MA-LIC-008"]),
    (("files", 0, "actions", 0, "params", "texts"), [{"text": {"nl": "x"}}]),
    (("files", 0, "accessibility", "alt_text"), "Een rode fiets"),
    (("lang",), ["nl"]),
    (("policy", "organisations"), 7),
    (("policy", "severity_overrides"), ["MA-LIC-001"]),
    (("skipped",), 7),
    (("roots",), 7),
    (("profile",), "nvf-2024"),
    (("tool",), "mediaaudit"),
]


@pytest.mark.parametrize(("where", "value"), CRAFTED, ids=lambda x: str(x))
def test_crafted_values_are_one_line_and_exit_2(real: dict[str, Any], tmp_path: Path,
                                                where: tuple[Any, ...], value: Any) -> None:
    m = copy.deepcopy(real)
    m["files"].sort(key=lambda f: not f["path"].endswith("ok.png"))  # files[0]: with actions
    crafted = _set(m, where, value)
    for fmt in FORMATS:
        err = _refused(crafted, tmp_path, fmt)
        assert "manifest." + ".".join(str(k) for k in where).replace(".0", "[0]") in err, err


@pytest.mark.parametrize("text", ['{"schema_version": "1.0", "files": [' + "[" * 100000
                                  + "]" * 100000 + "]}",
                                  '{"schema_version": "1.0", "files": [], "x": 1' + "0" * 5000
                                  + "}"])
def test_json_the_parser_refuses(tmp_path: Path, text: str) -> None:
    """Nested too deep for Python's parser, a number too long to convert."""
    src = tmp_path / "m.json"
    src.write_text(text)
    run = run_cli("report", str(src), "-o", str(tmp_path / "r.md"))
    assert run.exit_code == 2 and run.stderr.startswith("mediaaudit: error: ")
    assert run.stderr.count("\n") == 1


def test_unknown_values_are_shown_as_text(real: dict[str, Any], tmp_path: Path) -> None:
    """Right types, values no mediaaudit wrote: rendered, the value visible."""
    m = copy.deepcopy(real)
    m["files"][0]["outcome"] = "hacked"
    m["files"][0]["nvf"]["status"] = "weird-status"
    m["files"][0]["findings"].append({"code": "MA-NOPE-999", "severity": "error",
                                      "message": "made up", "params": {}})
    code, err, out = _report(m, tmp_path, "md")
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "weird-status" in text and "made up" in text


def _paths(o: Any, pre: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if pre:
        yield pre
    items = o.items() if isinstance(o, dict) else enumerate(o[:1]) if isinstance(o, list) else ()
    for k, v in items:
        yield from _paths(v, (*pre, k))


def test_no_value_of_the_wrong_type_gives_a_traceback(real: dict[str, Any],
                                                      tmp_path: Path) -> None:
    """Every value of a real manifest, one at a time, replaced by values of other JSON
    types: each rendering either renders (0) or refuses in one line (2)."""
    m = copy.deepcopy(real)
    m["files"] = sorted(m["files"], key=lambda f: not f["path"].endswith("ok.png"))[:2]
    tried = 0
    for where in _paths(m):
        for value in ("x", 7, [1], {"a": 1}, None, 1.5):
            crafted = _set(m, where, value)
            for fmt in ("md", "csv", "json"):
                code, err, _ = _report(crafted, tmp_path, fmt)
                assert code in (0, 2) and "Traceback" not in err, (where, value, fmt, err)
                assert code == 0 or err.count("\n") == 1, err
                tried += 1
    assert tried > 1000


@pytest.mark.parametrize("damage", [
    lambda m: m["files"].__setitem__(0, 7),
    lambda m: m["files"][0].__setitem__("path", 12),
    lambda m: m.__setitem__("roots", 7),
    lambda m: m["files"][0].__setitem__("path_bytes", ["x"]),
], ids=["entry-is-a-number", "path-is-a-number", "roots-is-a-number", "path-bytes-a-list"])
def test_verify_refuses_a_crafted_manifest_in_one_line(tmp_path: Path, damage: Any) -> None:
    """verify reads the manifest through the same type check as report: a crafted value is
    one line and exit 2 (it was a TypeError or AttributeError traceback)."""
    folder = tmp_path / "s"
    folder.mkdir()
    Image.new("RGB", (8, 8)).save(folder / "a.png")
    assert run_cli("scan", str(folder), "-o", str(tmp_path / "m.json")).exit_code in (0, 1)
    m = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    damage(m)
    (tmp_path / "m.json").write_text(json.dumps(m), encoding="utf-8")
    r = run_cli("verify", str(tmp_path / "m.json"))
    assert r.exit_code == 2 and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "manifest" in r.stderr
