"""Pure evaluation, in memory: Facts + Profile + Policy → verdict.  No files involved."""

from __future__ import annotations

import pytest

from mediaaudit.evaluate import evaluate
from mediaaudit.model import (
    SPDX_LICENCE,
    FactOrigin,
    Facts,
    FactSource,
    FileRef,
    Identification,
    MediaProps,
    MetaFact,
    Outcome,
    ProbeNote,
    Track,
)
from mediaaudit.policy import PolicyError, build_policy
from mediaaudit.profile import load_profile

PROFILE = load_profile()
CC0 = (MetaFact("licence", "CC0-1.0",
                FactSource(FactOrigin.SIDECAR, SPDX_LICENCE, file="f.license")),)
POLICY = build_policy()


def facts(puid: str | None, kind: str, mime: str = "", tracks: tuple[Track, ...] = (),
          pclass: str = "", notes: tuple[ProbeNote, ...] = (), **media: object) -> Facts:
    return Facts(
        ref=FileRef("/x/f", "f", 10, 0), sha256="0" * 64,
        ident=Identification(puid=puid, format_name="F", mime=mime, pronom_class=pclass),
        media=MediaProps(kind=kind, tracks=tracks, **media),  # type: ignore[arg-type]
        notes=notes,
        meta=CC0,  # rights are settled, so these tests are about the format gate only
    )


V = lambda fmt, com=None: Track("video", fmt, commercial=com)
A = lambda fmt: Track("audio", fmt)


@pytest.mark.parametrize(("puid", "tracks", "status"), [
    ("fmt/569", (V("FFV1"), A("FLAC")), "preferred"),
    ("fmt/569", (V("FFV1"), A("AAC")), "acceptable"),       # worst of container and codecs
    ("fmt/569", (V("AVC"), A("FLAC")), "acceptable"),       # MKV condition not met
    ("fmt/569", (V("FFV1"), V("AVC")), "acceptable"),       # every video track must be FFV1
    ("fmt/569", (V("VP9"),), "not_listed"),
    ("fmt/199", (V("AVC"), A("AAC")), "acceptable"),
    ("fmt/199", (V("AVC"), A("Opus")), "not_listed"),
    ("fmt/199", (V("AVC"), A("AAC"), Track("text", "Timed Text")), "acceptable"),  # text ignored
    ("fmt/791", (V("MPEG Video", "XDCAM HD422"), A("PCM")), "preferred"),
    ("fmt/791", (V("MPEG Video"), A("PCM")), "not_listed"),  # plain MPEG-2 is not XDCAM
])
def test_container_and_codecs(puid: str, tracks: tuple[Track, ...], status: str) -> None:
    r = evaluate(facts(puid, "video", tracks=tracks, pclass="Video"), PROFILE, POLICY)
    assert r.format.status == status
    assert r.outcome is (Outcome.FAIL if status == "not_listed" else Outcome.PASS)


def test_unknown_never_passes_even_if_its_finding_is_ignored() -> None:
    pol = build_policy(ignore=("MA-ID",))
    r = evaluate(facts("UNKNOWN", "other", mime="application/octet-stream"), PROFILE, pol)
    assert r.format.status == "unknown" and r.outcome is Outcome.FAIL
    assert r.findings == ()


def test_not_listed_can_be_made_a_warning_by_policy() -> None:
    f = facts("fmt/566", "image", mime="image/webp", pclass="Image (Raster)")
    assert evaluate(f, PROFILE, POLICY).outcome is Outcome.FAIL
    lenient = build_policy({"policy": {"not_listed": "warning"}})
    r = evaluate(f, PROFILE, lenient)
    assert r.outcome is Outcome.PASS and r.findings[0].severity.value == "warning"


def test_mime_never_overrules_a_specific_pronom_answer() -> None:
    apng = facts("fmt/935", "image", mime="image/png", pclass="Image (Raster)")
    assert evaluate(apng, PROFILE, POLICY).format.status == "not_listed"
    svg_as_xml = facts("fmt/101", "vector", mime="image/svg+xml", pclass="Text (Mark-up)")
    r = evaluate(svg_as_xml, PROFILE, POLICY)
    assert r.format.status == "preferred" and r.format.via == "mime"


def test_unaudited_note_gives_error_outcome() -> None:
    f = facts(None, "other", notes=(ProbeNote("MA-IO-002", {"reason": "Permission denied"}),))
    r = evaluate(f, PROFILE, POLICY)
    assert r.outcome is Outcome.ERROR
    assert evaluate(f, PROFILE, build_policy(ignore=("MA-IO",))).outcome is Outcome.ERROR


def test_select_and_severity_overrides() -> None:
    f = facts("fmt/43", "image", mime="image/jpeg", pclass="Image (Raster)")
    assert [x.code for x in evaluate(f, PROFILE, POLICY).findings] == ["MA-FMT-002",
                                                                        "MA-ACC-002"]
    assert evaluate(f, PROFILE, build_policy(select=("MA-LIC",))).findings == ()
    strict = build_policy({"severity": {"MA-FMT-002": "error"}})
    assert evaluate(f, PROFILE, strict).outcome is Outcome.FAIL


@pytest.mark.parametrize(("doc", "message"), [
    ({"severity": {"MA-XYZ": "error"}}, "matches no finding code"),
    ({"severity": {"MA-FMT-002": "fatal"}}, "must be one of"),
    ({"policy": {"non_commercial": "maybe"}}, "must be one of"),
    ({"annotations": [{"licence": "CC0-1.0"}]}, "needs a 'path'"),
])
def test_bad_policy_is_rejected(doc: dict[str, object], message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        build_policy(doc)
