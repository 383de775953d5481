"""The walker: mediaaudit's own earlier outputs are recognised by content and skipped
(issue 13 item 9), every format and suffix the writer table has (issue 27: a report.pdf
or report.markdown of an earlier run was audited as media); FileRefs carry the stat the
cache compares (item 5)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mediaaudit.walk import OUTPUT_REASON, walk
from mediaaudit.writers.table import WRITERS, is_own_output

import fixtures_rights as fr
from conftest import run_cli

FORMATS = tuple(w.name for w in WRITERS)  # every format the project writes


def _earlier_outputs(d: Path, tmp_path: Path) -> list[str]:
    """Every format, in both languages, as an earlier scan wrote them into ``d``; and a
    renamed copy of each (recognised by content, not by name)."""
    names = []
    for lang in ("en", "nl"):
        args = [a for f in FORMATS for a in ("--format", f)]
        run_cli("scan", str(d), "-q", "--lang", lang, *args, "-o", str(d / f"rapport-{lang}"),
                "--cache", str(tmp_path / "c.sqlite"))
        names += [f"rapport-{lang}.{f}" for f in FORMATS]
    for w in WRITERS:  # renamed, under every suffix of the format
        for i, suffix in enumerate(w.suffixes):
            (d / f"renamed-{w.name}-{i}{suffix}").write_bytes(
                (d / f"rapport-en.{w.name}").read_bytes())
            names.append(f"renamed-{w.name}-{i}{suffix}")
    return sorted(names)


def test_earlier_manifests_and_reports_are_skipped(tmp_path: Path) -> None:
    d = tmp_path / "upload"
    d.mkdir()
    fr.jpeg(d / "a.jpg")
    ours = _earlier_outputs(d, tmp_path)
    assert all((d / n).is_file() for n in ours)
    # look-alikes that are the user's own: audited as usual
    (d / "data.json").write_text(json.dumps({"schema_version": "1.0", "tool": {"name": "x"}}))
    (d / "notes.md").write_text("## Media audit for publication\n\nmy own notes\n")
    (d / "list.csv").write_text("path,outcome\nx,y\n")
    (d / "page.html").write_text("<!DOCTYPE html><html><title>mediaaudit</title></html>")
    (d / "brochure.pdf").write_bytes(b"%PDF-1.4\n% mediaaudit\n%%EOF\n")
    r = run_cli("scan", str(d), "--cache", str(tmp_path / "c.sqlite"))
    assert r.manifest is not None
    audited = sorted(os.path.basename(f["path"]) for f in r.manifest["files"])
    assert audited == ["a.jpg", "brochure.pdf", "data.json", "list.csv", "notes.md",
                       "page.html"]
    skipped = {os.path.basename(s["path"]): s["reason"] for s in r.manifest["skipped"]}
    assert {n: skipped.get(n) for n in ours} == dict.fromkeys(ours, OUTPUT_REASON)


@pytest.mark.parametrize("fmt", FORMATS)
def test_own_output_is_recognised_by_content(tmp_path: Path, fmt: str) -> None:
    fr.jpeg(tmp_path / "a.jpg")
    out = tmp_path / f"m.{fmt}"
    run_cli("scan", str(tmp_path / "a.jpg"), "-q", "-o", str(out))
    assert is_own_output(str(out))
    other = tmp_path / f"x.{fmt}"
    other.write_bytes(b"\xef\xbb\xbfpath,outcome,nvf_status\n" if fmt == "csv" else b"{}")
    assert not is_own_output(str(other))
    assert not is_own_output(str(tmp_path / "a.jpg"))  # never opened: not a candidate


def test_walk_does_not_open_a_fifo_named_like_a_report(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "stuck.json")
    refs, skipped = walk([str(tmp_path)])  # would block forever if it were opened
    assert [r.display for r in refs] == [str(tmp_path / "stuck.json")]
    assert not skipped


def test_file_refs_carry_ctime_and_inode(tmp_path: Path) -> None:
    p = fr.jpeg(tmp_path / "a.jpg")
    st = p.stat()
    for refs in (walk([str(tmp_path)])[0], walk([str(p)])[0]):
        (ref,) = refs
        assert (ref.size, ref.mtime_ns, ref.ctime_ns, ref.inode) == (
            st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
