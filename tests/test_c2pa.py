"""Content Credentials read with c2pa-python, offline, on files signed in the test with a
CA and leaf certificate made by openssl (and, for the expired case, by ``cryptography``).
The real-world files from c2pa-rs are in tests/realworld/c2pa/."""

from __future__ import annotations

import datetime as dt
import json
import struct
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

import factory
from conftest import have, run_cli

c2pa = pytest.importorskip("c2pa", reason="the [c2pa] extra is not installed")

CERTS = """set -e
openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -x509 -new -key ca.key -sha256 -days 30 -subj "/CN=mediaaudit test CA" -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl ecparam -name prime256v1 -genkey -noout -out leaf.key
openssl pkcs8 -topk8 -nocrypt -in leaf.key -out leaf.p8
openssl req -new -key leaf.key -subj "/CN=Gemeente Voorbeeld signer/O=Gemeente Voorbeeld" \
  -out leaf.csr
printf "basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\n\
extendedKeyUsage=emailProtection\\nsubjectKeyIdentifier=hash\\nauthorityKeyIdentifier=keyid\\n" \
  > leaf.ext
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -sha256 \
  -extfile leaf.ext -out leaf.pem
cat leaf.pem ca.pem > chain.pem
"""
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
DST = IPTC + "trainedAlgorithmicMedia"


def _manifest(dst: str | None, action: str = "c2pa.created") -> dict[str, Any]:
    act: dict[str, Any] = {"action": action}
    if action == "c2pa.opened":
        act["parameters"] = {"ingredientIds": ["parent"]}
    if dst:
        act["digitalSourceType"] = dst
    return {"claim_generator_info": [{"name": "mediaaudit-test", "version": "1"}],
            "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [act]}}]}


def _sign(d: Path, manifest: dict[str, Any], mime: str, src: Path, out: Path,
          ingredient: Path | None = None, chain: bytes | None = None,
          key: bytes | None = None) -> Path:
    info = c2pa.C2paSignerInfo(b"es256", chain or (d / "chain.pem").read_bytes(),
                               key or (d / "leaf.p8").read_bytes(), None)
    builder = c2pa.Builder(json.dumps(manifest))
    if ingredient is not None:
        with open(ingredient, "rb") as ing:
            builder.add_ingredient(json.dumps({"title": ingredient.name, "label": "parent",
                                               "relationship": "parentOf"}),
                                   "image/jpeg", ing)
    with open(src, "rb") as s, open(out, "wb") as dst:
        builder.sign(c2pa.Signer.from_info(info), mime, s, dst)
    return out


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not have("openssl"):
        pytest.skip("openssl not installed")
    d = tmp_path_factory.mktemp("c2pa")
    subprocess.run(["bash", "-c", CERTS], cwd=d, check=True, capture_output=True)
    src = factory.image(d / "in.jpg", "JPEG", 160, 120)
    out = d / "files" / "signed.jpg"
    out.parent.mkdir()
    _sign(d, _manifest(DST), "image/jpeg", src, out)
    data = bytearray(out.read_bytes())
    data[-200] ^= 0xFF  # one changed byte in the pixel data
    (out.parent / "tampered.jpg").write_bytes(bytes(data))
    (out.parent / "mediaaudit.toml").write_text(
        '[[annotations]]\npath = "*"\nlicence = "CC0-1.0"\n')
    return out.parent


def test_signed_jpeg_state_signer_and_ai_source(signed: Path) -> None:
    run = run_cli("scan", str(signed), "-j", "1")
    p = run.entry("signed.jpg")["provenance"]
    assert p["c2pa"] == {"state": "valid_untrusted", "where": "jpeg:APP11",
                         "signer": "Gemeente Voorbeeld signer",
                         "claim_generator": "mediaaudit-test", "reason": None,
                         "codes": ["signingCredential.untrusted"],
                         "ai_origin": [p["c2pa"]["ai_origin"][0]]}
    assert p["c2pa"]["ai_origin"][0] | {"manifest": ""} == {
        "digital_source_type": "trainedAlgorithmicMedia", "action": "c2pa.created",
        "manifest": "", "active": True, "ingredient": None, "ai": True}
    assert p["ai_generated"] is True  # digitalSourceType inside the C2PA actions
    assert "MA-AI-001" in run.codes("signed.jpg")
    assert not {"MA-AI-002", "MA-AI-003"} & set(run.codes("signed.jpg"))


def test_tampered_file_is_invalid(signed: Path) -> None:
    run = run_cli("scan", str(signed / "tampered.jpg"))
    e = run.entry("tampered.jpg")
    assert e["provenance"]["c2pa"]["state"] == "invalid"
    assert e["provenance"]["c2pa"]["reason"] == "assertion.dataHash.mismatch"
    assert "MA-AI-002" in run.codes("tampered.jpg")
    assert "MA-AI-003" not in run.codes("tampered.jpg")
    assert e["outcome"] == "pass"  # information, not a gate: a warning only


def test_trust_anchors_make_it_trusted(signed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDIAAUDIT_C2PA_TRUST_ANCHORS", str(signed.parent / "ca.pem"))
    run = run_cli("scan", str(signed / "signed.jpg"), "--no-cache")
    assert run.entry("signed.jpg")["provenance"]["c2pa"]["state"] == "trusted"


def test_ai_only_in_an_ingredient(signed: Path, tmp_path: Path) -> None:
    """The AI term is in the parent's manifest only; the edit on top says nothing."""
    d = signed.parent
    child = _sign(d, _manifest(None, "c2pa.opened"), "image/jpeg", signed / "signed.jpg",
                  tmp_path / "edited.jpg", ingredient=signed / "signed.jpg")
    run = run_cli("scan", str(child))
    p = run.entry("edited.jpg")["provenance"]
    assert p["c2pa"]["state"] == "valid_untrusted"
    assert p["ai_generated"] is True and "MA-AI-001" in run.codes("edited.jpg")
    origin = p["c2pa"]["ai_origin"]
    assert [(o["active"], o["ingredient"], o["digital_source_type"]) for o in origin] == [
        (False, "signed.jpg", "trainedAlgorithmicMedia")]
    ai = next(f for f in run.entry("edited.jpg")["findings"] if f["code"] == "MA-AI-001")
    assert "signed.jpg" in json.dumps(ai)  # the finding says where it came from


@pytest.mark.parametrize(("term", "labelled"), [
    ("trainedAlgorithmicMedia", True), ("compositeWithTrainedAlgorithmicMedia", True),
    ("compositeSynthetic", True), ("algorithmicMedia", False), ("dataDrivenMedia", False),
    ("digitalCapture", False)])
def test_which_source_types_are_ai(signed: Path, tmp_path: Path, term: str,
                                   labelled: bool) -> None:
    d = signed.parent
    out = _sign(d, _manifest(IPTC + term), "image/jpeg", d / "in.jpg", tmp_path / "t.jpg")
    run = run_cli("scan", str(out))
    p = run.entry("t.jpg")["provenance"]
    assert p["digital_source_type"] == term
    assert p["ai_generated"] is labelled
    assert ("MA-AI-001" in run.codes("t.jpg")) is labelled


def test_trained_algorithmic_data_is_not_labelled() -> None:
    """C2PA's trainedAlgorithmicData is model output that is data (CSV...), not media."""
    from mediaaudit.evaluate.access import AI_TYPES, NOT_AI_TYPES

    assert "trainedalgorithmicdata" in NOT_AI_TYPES and not NOT_AI_TYPES & AI_TYPES


def _expired_chain(d: Path) -> tuple[bytes, bytes]:
    """A leaf certificate that is valid for three more seconds (c2pa-rs refuses to sign
    with one that has already expired)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca_key = serialization.load_pem_private_key((d / "ca.key").read_bytes(), None)
    ca = x509.load_pem_x509_certificate((d / "ca.pem").read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "short-lived")]))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(seconds=3))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca.public_key()), critical=False)  # type: ignore[arg-type]
            .sign(ca_key, hashes.SHA256()))  # type: ignore[arg-type]
    chain = cert.public_bytes(serialization.Encoding.PEM) + (d / "ca.pem").read_bytes()
    pkcs8 = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    return chain, pkcs8


def test_expired_certificate_is_unverifiable_not_changed(signed: Path, tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    d = signed.parent
    chain, key = _expired_chain(d)
    out = _sign(d, _manifest(IPTC + "digitalCapture"), "image/jpeg", d / "in.jpg",
                tmp_path / "expired.jpg", chain=chain, key=key)
    time.sleep(4)
    run = run_cli("scan", str(out), "--no-cache")
    c = run.entry("expired.jpg")["provenance"]["c2pa"]
    assert c["state"] == "unverifiable"
    assert "signingCredential.expired" in c["codes"] and "expired" in c["reason"]
    assert "MA-AI-003" in run.codes("expired.jpg")
    assert "MA-AI-002" not in run.codes("expired.jpg")


@pytest.mark.parametrize(("name", "fmt", "mime"), [
    ("signed.tif", "TIFF", "image/tiff"), ("signed.png", "PNG", "image/png"),
    ("signed.webp", "WEBP", "image/webp")])
def test_signed_tiff_png_webp(signed: Path, tmp_path: Path, name: str, fmt: str,
                              mime: str) -> None:
    d = signed.parent
    src = factory.image(tmp_path / ("in." + name.split(".")[1]), fmt, 96, 64)
    out = _sign(d, _manifest(IPTC + "digitalCapture"), mime, src, tmp_path / name)
    run = run_cli("scan", str(out))
    c = run.entry(name)["provenance"]["c2pa"]
    assert (c["state"], c["where"]) == ("valid_untrusted", {
        "TIFF": "tiff:52545", "PNG": "png:caBX", "WEBP": "webp:C2PA"}[fmt])
    if fmt == "TIFF":  # a changed pixel is caught in TIFF too
        data = bytearray(out.read_bytes())
        data[200] ^= 0xFF
        (tmp_path / "bad.tif").write_bytes(bytes(data))
        bad = run_cli("scan", str(tmp_path / "bad.tif"))
        assert bad.entry("bad.tif")["provenance"]["c2pa"]["state"] == "invalid"


def test_signed_mp4_and_a_silent_one(signed: Path, tmp_path: Path) -> None:
    d = signed.parent
    src = factory.video(tmp_path / "in.mp4", "mp4", "libx264", "aac", faststart=True)
    out = _sign(d, _manifest(IPTC + "digitalCapture"), "video/mp4", src, tmp_path / "s.mp4")
    run = run_cli("scan", str(out))
    assert run.entry("s.mp4")["provenance"]["c2pa"]["state"] == "valid_untrusted"
    assert run.entry("s.mp4")["provenance"]["c2pa"]["where"] == "bmff:uuid"


def _tiff(bo: str, ifds: list[list[int]], big: bool = False, filler: bytes = b"") -> bytes:
    """A minimal TIFF (or BigTIFF) with the given tag numbers in a chain of IFDs."""
    e = "<" if bo == "II" else ">"
    head = (bo.encode() + struct.pack(e + "HHHQ", 43, 8, 0, 0) if big
            else bo.encode() + struct.pack(e + "HI", 42, 0))
    body = bytearray(head + filler)
    cfmt, efmt, ofmt = ("Q", "HHQQ", "Q") if big else ("H", "HHII", "I")
    offsets = []
    for tags in ifds:
        offsets.append(len(body))
        body += struct.pack(e + cfmt, len(tags))
        for t in tags:
            body += struct.pack(e + efmt, t, 7, 1, 0)
        body += struct.pack(e + ofmt, 0)
    for i, off in enumerate(offsets):  # link the chain
        nxt = offsets[i + 1] if i + 1 < len(offsets) else 0
        pos = off + struct.calcsize(e + cfmt) + len(ifds[i]) * struct.calcsize(e + efmt)
        body[pos:pos + struct.calcsize(e + ofmt)] = struct.pack(e + ofmt, nxt)
    first = struct.pack(e + ofmt, offsets[0])
    if big:
        body[8:16] = first
    else:
        body[4:8] = first
    return bytes(body)


@pytest.mark.parametrize("big", [False, True])
@pytest.mark.parametrize("bo", ["II", "MM"])
def test_tiff_tag_is_read_from_the_ifds(tmp_path: Path, bo: str, big: bool) -> None:
    from mediaaudit.probe.c2pa import tiff_has_tag

    e = "<" if bo == "II" else ">"
    noise = struct.pack(e + "H", 52545) * 8  # the tag's bytes in the "pixel data"
    cases = {"ifd0": ([[256, 257, 52545]], True), "chain": ([[256], [256, 52545]], True),
             "plain": ([[256, 257, 273]], False)}
    for label, (ifds, want) in cases.items():
        p = tmp_path / f"{label}.tif"
        p.write_bytes(_tiff(bo, ifds, big, noise))
        with open(p, "rb") as f:
            assert tiff_has_tag(f) is want, (label, bo, big)
    loop = bytearray(_tiff(bo, [[256]], big))  # an IFD that points at itself
    first = loop[8:16] if big else loop[4:8]
    off = struct.unpack(e + ("Q" if big else "I"), first)[0]
    pos = off + (8 + 20 if big else 2 + 12)
    loop[pos:pos + (8 if big else 4)] = first
    (tmp_path / "loop.tif").write_bytes(bytes(loop))
    with open(tmp_path / "loop.tif", "rb") as f:
        assert tiff_has_tag(f) is False


def test_remote_manifest_reference_is_unverifiable(tmp_path: Path) -> None:
    """XMP dcterms:provenance with an http(s) URL (here in a compressed PNG iTXt chunk):
    the remote manifest is not fetched, so 'unverifiable'; a stale ``self#jumbf`` pointer
    left behind by a removed manifest is not a manifest at all."""
    import zlib

    png = factory.image(tmp_path / "p.png", "PNG").read_bytes()

    def with_xmp(url: str) -> bytes:
        xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/'
               '1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dcterms="http://purl.org/'
               f'dc/terms/" dcterms:provenance="{url}"/></rdf:RDF></x:xmpmeta>').encode()
        data = b"XML:com.adobe.xmp\0\x01\x00\0\0" + zlib.compress(xmp)
        chunk = (struct.pack(">I", len(data)) + b"iTXt" + data
                 + struct.pack(">I", zlib.crc32(b"iTXt" + data)))
        return png[:33] + chunk + png[33:]

    (tmp_path / "remote.png").write_bytes(with_xmp("https://example.org/m.c2pa"))
    (tmp_path / "stale.png").write_bytes(with_xmp("self#jumbf=/c2pa/urn:uuid:x/c2pa.claim"))
    run = run_cli("scan", str(tmp_path), "-j", "1")
    remote = run.entry("remote.png")["provenance"]["c2pa"]
    assert remote["where"] == "remote:https://example.org/m.c2pa"
    assert remote["state"] == "unverifiable" and "remote manifest" in remote["reason"]
    assert "MA-AI-003" in run.codes("remote.png") and "MA-AI-002" not in run.codes("remote.png")
    assert run.entry("stale.png")["provenance"]["c2pa"]["state"] == "absent"
