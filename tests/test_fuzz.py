"""Fuzzing the probe layer: mutated JPEG/PNG/MP4/XMP bytes give facts or findings, never
an exception.  CI runs a short pass; run longer by hand with:

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import os
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediaaudit.model import FileRef
from mediaaudit.probe.xmp import XmpRejected, parse_xmp
from mediaaudit.scan import probe_one

import factory
import fixtures_rights as fr

settings.register_profile("ci", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _seeds(tmp: Path) -> dict[str, bytes]:
    jpg = BytesIO()
    factory.picture().save(jpg, "JPEG", xmp=fr.xmp(f'<cc:license rdf:resource="{fr.CC_BY}"/>'))
    png = BytesIO()
    factory.picture().save(png, "PNG")
    mp4 = factory.video(tmp / "seed.mp4", "mp4", "libx264", "aac", frames=3).read_bytes()
    return {"jpg": jpg.getvalue(), "png": png.getvalue(), "mp4": mp4}


SEEDS: dict[str, bytes] = {}


@pytest.fixture(scope="module", autouse=True)
def seeds(tmp_path_factory: pytest.TempPathFactory) -> None:
    SEEDS.update(_seeds(tmp_path_factory.mktemp("seeds")))


mutation = st.tuples(
    st.sampled_from(["jpg", "png", "mp4"]),
    st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=12),
    st.one_of(st.none(), st.integers(1, 1 << 20)),
)


@given(mutation)
def test_mutated_media_never_raises(tmp_path: Path, case) -> None:  # type: ignore[no-untyped-def]
    kind, flips, cut = case
    data = bytearray(SEEDS[kind])
    for pos, val in flips:
        data[pos % len(data)] = val
    if cut is not None:
        data = data[: cut % len(data)]
    p = tmp_path / f"fuzz.{kind}"
    p.write_bytes(bytes(data))
    st_ = p.stat()
    facts = probe_one(FileRef(str(p), p.name, st_.st_size, st_.st_mtime_ns))
    assert facts.sha256 is not None or facts.notes


@given(st.binary(max_size=4096) | st.text(max_size=2048).map(str.encode))
def test_random_xmp_is_parsed_or_rejected(blob: bytes) -> None:
    for packet in (blob, b"<x:xmpmeta>" + blob + b"</x:xmpmeta>",
                   fr.xmp("<dc:rights>x</dc:rights>")[:len(blob) % 900 + 10]):
        with contextlib.suppress(XmpRejected):
            assert isinstance(parse_xmp(packet), dict)
