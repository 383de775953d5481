"""The typed, read-only view of a manifest that the renderings read (``manifestview``):
built from a real scan it holds the very values of the mapping; a manifest of an older
version, with keys missing, still renders in every format; a word this version does not
know is kept as text; nothing in it can be changed; entries read on demand stay on
demand; and mypy now catches a writer that reads a key that is not there."""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from mediaaudit.archive.stream import LazyEntries, open_manifest
from mediaaudit.codes import CodeId
from mediaaudit.evaluate.actions import ActionId
from mediaaudit.manifestview import EntryView, ManifestView, OnDemand, State, ordered
from mediaaudit.model import C2paState, MediaKind, NvfStatus, Outcome, RightsStatus, Severity
from mediaaudit.writers.common import failing_first
from mediaaudit.writers.csv_writer import render_csv
from mediaaudit.writers.html_writer import write_html
from mediaaudit.writers.md_writer import render_md

from conftest import run_cli

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sample_media and a ZIP delivery of two of its files (one with its licence
    sidecar), scanned to ``m.json``."""
    work = tmp_path_factory.mktemp("view")
    shutil.copytree(ROOT / "sample_media", work / "sample_media")
    with zipfile.ZipFile(work / "sample_media" / "levering.zip", "w") as z:
        for name in ("campagne.jpg", "campagne.jpg.license", "interview.mp4"):
            z.write(ROOT / "sample_media" / name, f"map/{name}")
    run = run_cli("scan", "sample_media", "-o", "m.json", "--lang", "nl", "-q", cwd=work)
    assert run.exit_code == 1, run.stderr
    return work


def _manifest(work: Path) -> dict[str, Any]:
    m: dict[str, Any] = json.loads((work / "m.json").read_text(encoding="utf-8"))
    return m


def test_a_real_scans_view_holds_the_values_of_the_mapping(scanned: Path) -> None:
    m = _manifest(scanned)
    view = ManifestView.of(m)
    assert view.lang == "nl" and view.created == m["created"]
    assert view.tool_version == m["tool"]["version"] and view.roots == tuple(m["roots"])
    assert (view.profile.id, view.profile.version, view.profile.sha256) == (
        m["profile"]["id"], m["profile"]["version"], m["profile"]["sha256"])
    assert view.policy.organisations == tuple(m["policy"]["organisations"])
    assert dict(view.engines) == m["engines"]
    assert view.summary is not None and view.summary == view.totals
    s = m["summary"]
    assert (view.summary.files, view.summary.passed, view.summary.failed, view.summary.errors,
            view.summary.pass_with_actions) == (s["files"], s["pass"], s["fail"], s["error"],
                                                s["pass_with_actions"])
    assert [(x.path, x.reason, x.members) for x in view.skipped] == [
        (x["path"], x["reason"], x.get("members")) for x in m["skipped"]]
    assert len(view.files) == len(m["files"]) == s["files"]
    for f, e in zip(view.files, m["files"], strict=True):
        assert f.source is e
        assert (f.path, f.outcome, f.size, f.sha256) == (
            e["path"], e["outcome"], e["size"], e["sha256"])
        assert isinstance(f.outcome, Outcome) and isinstance(f.media.kind, MediaKind)
        assert isinstance(f.nvf.status, NvfStatus)
        fmt, nvf, rights, media = e["format"], e["nvf"], e["rights"], e["media"]
        assert (f.format.puid, f.format.mime, f.format.name) == (
            fmt["puid"], fmt["mime"], fmt["name"])
        assert (f.nvf.status, f.nvf.row) == (nvf["status"], nvf["row"])
        assert (f.rights.status, f.rights.licence, f.rights.holder, f.rights.attribution) \
            == (rights["status"], rights["licence"], rights["holder"], rights.get("attribution"))
        assert isinstance(f.rights.status, RightsStatus) or f.rights.status == "not_checked"
        assert (f.media.kind, f.media.width, f.media.height, f.media.frames,
                f.media.duration_ms, f.media.container) == (
            media["kind"], media.get("width"), media.get("height"), media.get("frames"),
            media.get("duration_ms"), media.get("container"))
        assert [(t.kind, t.format) for t in f.media.tracks] == [
            (t.get("kind"), t.get("format")) for t in media.get("tracks", [])]
        assert [(x.code, x.severity, x.message, dict(x.params), x.source)
                for x in f.findings] == [
            (x["code"], x["severity"], x["message"], x["params"], x["source"])
            for x in e["findings"]]
        assert all(isinstance(x.code, CodeId) and isinstance(x.severity, Severity)
                   for x in f.findings)
        assert [(a.code, a.text, a.paste, dict(a.params), a.finding) for a in f.actions] == [
            (a["code"], a["text"], a.get("paste"), a["params"], a["finding"])
            for a in e["actions"]]
        assert all(isinstance(a.code, ActionId) and a.known for a in f.actions)
        acc, prov = e.get("accessibility", {}), e.get("provenance", {})
        assert [(t.lang, t.text) for t in f.alt_text] == [
            (t["lang"], t["text"]) for t in acc.get("alt_text", [])]
        assert [(c.source, c.file, c.format, c.language) for c in f.captions] == [
            (c["source"], c.get("file"), c.get("format"), c.get("language"))
            for c in acc.get("captions", [])]
        assert f.ai_generated == prov.get("ai_generated")
        assert f.c2pa_state == prov.get("c2pa", {}).get("state")
        assert f.sidecars == tuple(e.get("sidecars", []))
        member = e.get("archive_member")
        assert (f.archive_member.archive, list(f.archive_member.names)) == (
            member["archive"], member["names"]) if member else f.archive_member is None
        # the state people see, from the outcome and the actions
        assert f.state == ("pass_actions" if e["outcome"] == "pass" and e["actions"]
                           else e["outcome"])
    by_path = {f.path: f for f in view.files}
    members = [f for f in view.files if f.archive_member is not None]
    assert sorted(f.archive_member.names for f in members if f.archive_member) == [
        ("map/campagne.jpg",), ("map/interview.mp4",)]
    campagne = by_path["sample_media/levering.zip/map/campagne.jpg"]
    assert campagne.sidecars and all(".license" in s for s in campagne.sidecars)
    interview = by_path["sample_media/interview.mp4"]
    assert [(c.file, c.language) for c in interview.captions if c.is_file] == [
        ("interview.nl.vtt", "nl")]
    assert by_path["sample_media/persfoto.jpg"].c2pa_state in set(C2paState)


def _older(m: dict[str, Any]) -> dict[str, Any]:
    """The manifest as an older version (or a hand) wrote it: no summary, policy,
    engines, skipped, profile or tool, and each entry missing other keys."""
    old = copy.deepcopy(m)
    for key in ("summary", "policy", "engines", "roots", "skipped", "profile", "tool"):
        del old[key]
    drop = [("actions", "accessibility", "provenance", "nvf"), ("format",),
            ("media", "rights"), ("sha256", "size"), ("findings",), ()]
    for i, f in enumerate(old["files"]):
        for key in drop[i % len(drop)]:
            f.pop(key, None)
        for x in f.get("findings", []):
            if i % 2:
                del x["severity"], x["params"]
    return old


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_manifest_of_an_older_version_still_renders(scanned: Path, lang: str) -> None:
    old = _older(_manifest(scanned))
    (scanned / "old.json").write_text(json.dumps(old), encoding="utf-8")
    run = run_cli("report", "old.json", "-o", f"old-{lang}", "--format", "md", "--format",
                  "html", "--format", "csv", "--format", "json", "--lang", lang,
                  cwd=scanned)
    assert run.exit_code == 0, run.stderr
    md = (scanned / f"old-{lang}.md").read_text(encoding="utf-8")
    html = (scanned / f"old-{lang}.html").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(
        (scanned / f"old-{lang}.csv").read_text(encoding="utf-8-sig")),
        delimiter=";" if lang == "nl" else ","))
    n = len(old["files"])
    assert len(rows) == n + 1 and html.count('<article class="card') == n
    assert md.count("\n| ") == n + 1  # the header row and one row per file
    for f in old["files"]:
        assert f["path"].rsplit("/", 1)[-1] in md
    # what the manifest lacks is said as unknown, never guessed
    assert "(?, " in md and "mediaaudit ?" in md
    assert "<dt>Map</dt><dd></dd>" in html if lang == "nl" else "<dt>Folder</dt><dd></dd>" in html
    # the counts come from the entries when there is no summary
    again = json.loads((scanned / f"old-{lang}.json").read_text(encoding="utf-8"))
    assert again["summary"] == {"files": n, **{k: sum(f["outcome"] == k for f in old["files"])
                                               for k in ("pass", "fail", "error")}}


def test_every_key_may_be_missing() -> None:
    view = ManifestView.of({"files": [{}, {"outcome": "pass", "actions": [{}]}]})
    bare, todo = view.files
    assert bare == EntryView() and bare.state == State.ERROR and bare.outcome is None
    assert todo.state == State.PASS_ACTIONS and todo.actions[0].code == ""
    assert view.summary is None and view.totals.files == 2 and view.totals.errors == 1
    assert view.lang == "en" and view.profile.id is None and view.created is None
    md = render_md({"files": [{}]})
    assert "Norm: ? (?, version ?)" in md and "mediaaudit ?" in md
    out = io.StringIO()
    write_html({"files": [{}]}, out)
    assert "Could not be checked: 1" in out.getvalue()


def test_a_word_this_version_does_not_know_is_kept_as_text() -> None:
    entry = {"path": "x.png", "outcome": "later", "nvf": {"status": "maybe"},
             "findings": [{"code": "MA-NEW-001", "severity": "fatal", "message": "m"}],
             "actions": [{"code": "dance", "text": "Dance first"}]}
    f = EntryView.of(entry)
    assert (f.outcome, f.nvf.status, f.findings[0].code, f.findings[0].severity) == (
        "later", "maybe", "MA-NEW-001", "fatal")
    assert not isinstance(f.outcome, Outcome) and not f.actions[0].known
    assert f.state == State.ERROR  # not known to have passed
    row = next(csv.DictReader(io.StringIO(render_csv([entry]).lstrip("\ufeff"))))
    assert (row["outcome"], row["nvf_status"], row["actions"]) == ("later", "maybe",
                                                                  "Dance first")
    assert "MA-NEW-001 (fatal): m" in row["findings"]


def test_the_view_is_read_only_and_no_writer_changes_the_manifest(scanned: Path) -> None:
    m = _manifest(scanned)
    before = copy.deepcopy(m)
    view = ManifestView.of(m)
    f = next(f for f in view.files if f.actions and f.actions[0].params)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.path = "elsewhere"  # type: ignore[misc]
    with pytest.raises(TypeError):
        f.actions[0].params["credit"] = "someone else"  # type: ignore[index]
    assert isinstance(view.files, tuple) and isinstance(f.findings, tuple)
    render_md(m)
    render_csv(m["files"], "nl")
    write_html(m, io.StringIO())
    assert m == before


def test_entries_read_on_demand_stay_on_demand(scanned: Path) -> None:
    """archive hands the HTML writer entries decoded from the file when read: their views
    are made when read too, and sorting them keeps only their positions."""
    m = _manifest(scanned)
    stream = open_manifest(str(scanned / "m.json"))
    lazy = LazyEntries(stream)
    try:
        view = ManifestView.of(dict(stream.header, files=lazy))
        assert isinstance(view.files, OnDemand)
        loaded = ManifestView.of(m)
        assert list(view.files) == list(loaded.files)
        first = failing_first(view.files)
        assert isinstance(first, OnDemand)
        assert list(first) == list(failing_first(loaded.files))
        by_path = ordered(view.files, lambda f: f.path)
        assert [f.path for f in by_path] == sorted(f["path"] for f in m["files"])
        a, b = io.StringIO(), io.StringIO()
        write_html(dict(stream.header, files=lazy), a)
        write_html(m, b)
        assert a.getvalue() == b.getvalue()
    finally:
        lazy.close()


def test_mypy_catches_a_key_that_is_not_there(tmp_path: Path) -> None:
    """With the view, a misspelt key in a writer is a type error, not a silent None."""
    pytest.importorskip("mypy")
    code = tmp_path / "writer.py"
    code.write_text("from mediaaudit.manifestview import EntryView\n\n\n"
                    "def puid(f: EntryView) -> str | None:\n"
                    "    return f.format.piud\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                        "--follow-imports=silent", str(code)], cwd=ROOT,
                       env={**os.environ, "MYPYPATH": str(ROOT / "src")},
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and '"FormatView" has no attribute "piud"' in r.stdout, r.stdout
