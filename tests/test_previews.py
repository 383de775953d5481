"""Issue 26 part 6, reports scale: previews are made by warm workers of the supervised
pool (``thumbs.previews``), not in a new process per file.  A preview that hangs or
crashes costs that preview only; the workers are reused (counted by their process ids);
the previews are the very bytes the preview makers give; the same bytes are decoded once.

Decoding is observed from outside: the preview seam (MEDIAAUDIT_TEST_PREVIEW_FAULT)
crashes the worker that *decodes* a file, so a file that still has its preview under
``crash:`` was not decoded again."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from mediaaudit import thumbs
from mediaaudit.writers.table import by_name

import factory

FAULT = "MEDIAAUDIT_TEST_PREVIEW_FAULT"


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with no preview known (the cache lives as long as the process)."""
    monkeypatch.setattr(thumbs, "_cache", OrderedDict())
    monkeypatch.delenv(FAULT, raising=False)


def entry(base: Path, name: str, kind: str = "image", mime: str = "image/png") -> dict[str, Any]:
    """The manifest entry of a file as the audit writes it (the fields previews read)."""
    data = (base / name).read_bytes()
    return {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "outcome": "pass", "media": {"kind": kind}, "format": {"mime": mime},
            "findings": []}


def pngs(base: Path, n: int) -> list[dict[str, Any]]:
    """``n`` different small PNGs (different bytes: nothing comes from the cache)."""
    out = []
    for i in range(n):
        name = f"p{i:03d}.png"
        factory.picture(24, 16, seed=i).save(base / name)
        out.append(entry(base, name))
    return out


def size_of(uri: str | None) -> tuple[int, int]:
    assert uri and uri.startswith("data:image/jpeg;base64,")
    with Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))) as im:
        return im.size


@pytest.fixture
def pool() -> Iterator[thumbs.Previewers]:
    p = thumbs.new_pool(2)
    with p:
        yield p


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[thumbs.Previewers]:
    """Every preview pool started from now on (real pools, only recorded)."""
    started: list[thumbs.Previewers] = []
    real = thumbs.new_pool

    def recorded(jobs: int | None = None) -> thumbs.Previewers:
        started.append(real(jobs))
        return started[-1]

    monkeypatch.setattr(thumbs, "new_pool", recorded)
    return started


def test_a_hanging_and_a_crashing_preview_cost_only_themselves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = pngs(tmp_path, 40)
    hang, crash = files[9]["path"], files[25]["path"]  # each in the middle of a chunk
    monkeypatch.setenv(FAULT, f"hang:{hang},crash:{crash}")
    monkeypatch.setattr(thumbs, "PREVIEW_TIMEOUT", 2.0)
    with thumbs.new_pool(2) as pool:
        got = list(thumbs.previews(files, str(tmp_path), pool))
        assert pool.replaced == 2  # the hung worker was killed, the crashed one replaced
    assert len(got) == 40
    for f, uri in zip(files, got, strict=True):
        if f["path"] in (hang, crash):
            assert uri is None, f["path"]
        else:
            assert size_of(uri) == (24, 16), f["path"]
    # remembered as no preview: those bytes are not decoded again (no second wait)
    monkeypatch.delenv(FAULT)
    again = thumbs.thumbnails([files[9], files[10]], str(tmp_path))
    assert list(again) == [files[10]["path"]]


def test_a_hanging_preview_in_a_scan_leaves_the_other_cards_their_previews(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import run_cli

    folder = tmp_path / "media"
    folder.mkdir()
    pngs(folder, 30)
    monkeypatch.setenv(FAULT, "hang:p007.png,crash:p021.png")
    monkeypatch.setattr(thumbs, "PREVIEW_TIMEOUT", 2.0)
    out = tmp_path / "r.html"
    run = run_cli("scan", str(folder), "-o", str(out), "--lang", "en", "--no-cache")
    assert run.exit_code in (0, 1), run.stderr
    cards = re.findall(r'<article class="card.*?</article>', out.read_text("utf-8"), re.S)
    assert len(cards) == 30
    without = sorted(re.search(r"p\d{3}\.png", c).group(0)  # type: ignore[union-attr]
                     for c in cards if '<img class="thumb"' not in c)
    assert without == ["p007.png", "p021.png"]


def test_previews_from_the_pool_are_the_bytes_the_makers_give(
        tmp_path: Path, pool: thumbs.Previewers) -> None:
    factory.image(tmp_path / "a.jpg", "JPEG", 640, 480)
    factory.image(tmp_path / "b.png", "PNG", 300, 500)
    factory.video(tmp_path / "c.mp4", "mp4", "libx264", frames=30)
    (tmp_path / "d.svg").write_text(factory.SVG_11)
    files = [entry(tmp_path, "a.jpg", mime="image/jpeg"), entry(tmp_path, "b.png"),
             entry(tmp_path, "c.mp4", "video", "video/mp4"),
             entry(tmp_path, "d.svg", "vector", "image/svg+xml")]
    got = list(thumbs.previews(files, str(tmp_path), pool))
    made = [thumbs.thumbnail(str(tmp_path / "a.jpg")), thumbs.thumbnail(str(tmp_path / "b.png")),
            thumbs.poster_frame(str(tmp_path / "c.mp4")),
            thumbs.svg_preview(str(tmp_path / "d.svg"))]
    assert all(made)
    assert got == made
    assert size_of(got[0]) == (160, 120) and size_of(got[1]) == (96, 160)


def test_workers_are_reused_across_files_and_reports(
        tmp_path: Path, pool: thumbs.Previewers) -> None:
    files = pngs(tmp_path, 120)
    assert all(thumbs.previews(files[:60], str(tmp_path), pool))
    pids = {s.proc.pid for s in pool.slots}
    assert all(thumbs.previews(files[60:], str(tmp_path), pool))
    assert {s.proc.pid for s in pool.slots} == pids  # the same processes, still alive
    for pid in pids:
        os.kill(pid, 0)
    assert 1 <= len(pids) <= 2 and pool.started == len(pids)  # 2 processes for 120 previews


def test_the_html_writer_uses_one_pool_for_the_whole_page(
        tmp_path: Path, pools: list[thumbs.Previewers]) -> None:
    """Through the writer ``watch`` and ``scan`` call (``by_name("html")``): one pool,
    at most a worker per core, every card its preview."""
    files = pngs(tmp_path, 50)
    m = {"lang": "en", "files": files,
         "summary": {"files": 50, "pass": 50, "fail": 0, "error": 0}}
    out = io.StringIO()
    by_name("html").write(m, out, str(tmp_path))
    assert out.getvalue().count('<img class="thumb"') == 50
    assert len(pools) == 1
    assert 1 <= pools[0].started <= (os.cpu_count() or 1)
    assert not pools[0].slots  # closed with the page


def test_the_same_bytes_are_decoded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         pool: thumbs.Previewers) -> None:
    files = pngs(tmp_path, 3)
    shutil.copy(tmp_path / "p000.png", tmp_path / "copy.png")
    files.append(entry(tmp_path, "copy.png"))
    # the copy would crash its worker if it were decoded: within one report it is not
    monkeypatch.setenv(FAULT, "crash:copy.png")
    first = list(thumbs.previews(files, str(tmp_path), pool))
    assert first[3] == first[0] and first[0] is not None
    # nor in a later report of this process (watch), for any of them
    monkeypatch.setenv(FAULT, "crash:*.png")
    assert list(thumbs.previews(files, str(tmp_path), pool)) == first
    assert pool.replaced == 0
    # a file changed since the audit is shown from neither the cache nor the disk
    factory.picture(24, 16, seed=99).save(tmp_path / "p001.png")
    later = list(thumbs.previews(files, str(tmp_path), pool))
    assert later[1] is None and later[0] == first[0]


def test_previews_of_any_subset_in_any_order_are_the_same(tmp_path: Path) -> None:
    """A preview depends on its file only, not on which others are asked with it."""
    files = pngs(tmp_path, 4)
    expected = {f["path"]: uri for f, uri in
                zip(files, thumbs.previews(files, str(tmp_path)), strict=True)}
    thumbs._cache.clear()
    got: dict[str, str] = {}
    for part in ([files[0]], [files[2]], [files[1]], files[3:]):
        got.update(thumbs.thumbnails(part, str(tmp_path)))
    assert got == expected and len(got) == 4


def test_a_report_without_files_to_preview_starts_no_worker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "n.txt").write_text("hello")
    f: Mapping[str, Any] = {**entry(tmp_path, "n.txt"), "media": {"kind": "other"}}

    def no_pool(jobs: int | None = None) -> thumbs.Previewers:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(thumbs, "new_pool", no_pool)
    assert list(thumbs.previews([f, f], str(tmp_path))) == [None, None]


def test_the_pdf_report_gets_its_previews_from_the_same_pool(
        tmp_path: Path, pools: list[thumbs.Previewers]) -> None:
    from mediaaudit.writers.pdf_writer import pdf_missing

    if pdf_missing():
        pytest.skip("WeasyPrint is not installed")
    files = pngs(tmp_path, 12)
    m = {"lang": "en", "files": files,
         "summary": {"files": 12, "pass": 12, "fail": 0, "error": 0}}
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    by_name("pdf").write(m, out, str(tmp_path))
    out.flush()
    pdf = raw.getvalue()
    assert pdf.startswith(b"%PDF")
    assert len(pools) == 1 and pools[0].started <= (os.cpu_count() or 1)
    assert pdf.count(b"/Subtype /Image") == 12
