"""The committed sample_media/ gets the verdicts docs/sample-media.md promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run, run_cli

ROOT = Path(__file__).parents[1]
EXPECT = {
    "IMG_4521.HEIC": ("fail", "not_listed", "owned"),
    "animatie.gif": ("pass", "acceptable", "open"),
    "archief.mkv": ("pass", "preferred", "open"),
    "banner.webp": ("fail", "not_listed", "open"),
    "campagne.jpg": ("pass", "acceptable", "open"),
    "interview.mp4": ("pass", "acceptable", "owned"),
    "leeg.jpg": ("fail", "unknown", "not_checked"),
    "logo.svg": ("pass", "preferred", "owned"),
    "markt-gps.jpg": ("pass", "acceptable", "open"),
    "notities.txt": ("fail", "unknown", "not_checked"),
    "persfoto.jpg": ("fail", "acceptable", "restricted"),
    "stadhuis.png": ("pass", "preferred", "open"),
    "telefoon.mov": ("fail", "not_listed", "open"),
    "vakantie.jpg": ("fail", "acceptable", "unknown"),
    "verkeerde-extensie.jpg": ("pass", "preferred", "open"),
}


@pytest.fixture(scope="module")
def run() -> Run:
    return run_cli("scan", "sample_media", cwd=ROOT)


def test_samples_get_documented_verdicts(run: Run) -> None:
    assert run.manifest is not None
    got = {Path(f["path"]).name: (f["outcome"], f["nvf"]["status"], f["rights"]["status"])
           for f in run.manifest["files"]}
    assert got == EXPECT
    assert run.exit_code == 1


def test_samples_are_documented() -> None:
    doc = (ROOT / "docs" / "sample-media.md").read_text(encoding="utf-8")
    for name in EXPECT:
        assert f"`{name}`" in doc, name


def test_samples_are_small() -> None:
    assert sum(p.stat().st_size for p in (ROOT / "sample_media").iterdir()) < 100_000
