"""``mediaaudit doctor``: every engine a verdict rests on is installed and named."""

from __future__ import annotations

import re

from conftest import run_cli


def test_doctor_names_every_required_engine_with_its_version() -> None:
    run = run_cli("doctor")
    assert run.exit_code == 0, run.stdout + run.stderr
    for engine in ("libmagic", "mediainfo", "pillow", "pillow_heif", "siegfried", "c2pa",
                   "mutagen", "jpylyzer", "libav", "libtiff"):
        assert re.search(rf"^{engine}\s+\d", run.stdout, re.M), (engine, run.stdout)
    assert "not installed" not in run.stdout
