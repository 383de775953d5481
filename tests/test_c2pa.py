"""Content Credentials read with the [c2pa] extra, offline, on a JPEG signed in the test
with a CA and leaf certificate made by openssl."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

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
DST = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not have("openssl"):
        pytest.skip("openssl not installed")
    d = tmp_path_factory.mktemp("c2pa")
    subprocess.run(["bash", "-c", CERTS], cwd=d, check=True, capture_output=True)
    src = factory.image(d / "in.jpg", "JPEG", 160, 120)
    info = c2pa.C2paSignerInfo(b"es256", (d / "chain.pem").read_bytes(),
                               (d / "leaf.p8").read_bytes(), None)
    manifest = {"claim_generator_info": [{"name": "mediaaudit-test", "version": "1"}],
                "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [
                    {"action": "c2pa.created", "digitalSourceType": DST}]}}]}
    builder = c2pa.Builder(json.dumps(manifest))
    out = d / "files" / "signed.jpg"
    out.parent.mkdir()
    with open(src, "rb") as s, open(out, "wb") as dst:
        builder.sign(c2pa.Signer.from_info(info), "image/jpeg", s, dst)
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
                         "claim_generator": "mediaaudit-test"}
    assert p["ai_generated"] is True  # digitalSourceType inside the C2PA actions
    assert "MA-AI-001" in run.codes("signed.jpg")


def test_tampered_file_is_invalid(signed: Path) -> None:
    run = run_cli("scan", str(signed / "tampered.jpg"))
    e = run.entry("tampered.jpg")
    assert e["provenance"]["c2pa"]["state"] == "invalid"
    assert "MA-AI-002" in run.codes("tampered.jpg")
    assert e["outcome"] == "pass"  # information, not a gate: a warning only


def test_trust_anchors_make_it_trusted(signed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDIAAUDIT_C2PA_TRUST_ANCHORS", str(signed.parent / "ca.pem"))
    run = run_cli("scan", str(signed / "signed.jpg"), "--no-cache")
    assert run.entry("signed.jpg")["provenance"]["c2pa"]["state"] == "trusted"
