"""Read Content Credentials with c2pa-python, offline.

Runs only when ``c2pa.detect`` found a manifest store (or a remote-manifest reference).
Remote manifest fetching and OCSP are switched off: nothing goes over the network.  To
get ``trusted`` rather than ``valid_untrusted``, point ``MEDIAAUDIT_C2PA_TRUST_ANCHORS``
at a PEM of trust anchors (e.g. the C2PA trust list).

State (``c2pa_state``), from the failure codes of c2pa-rs's ``validation_results``
(active manifest, plus the ingredient deltas) or, for older output, ``validation_status``:

``invalid``
    a hash or signature no longer matches (``INTEGRITY`` below): the file or its
    manifest was changed after signing.  The only state that says so (MA-AI-002).
``unverifiable``
    the manifest is there but could not be checked: expired, revoked or unusable
    certificate, signed outside the certificate's validity, an identity assertion
    (CAWG) whose issuer/DID needs the network or does not verify, a remote manifest or
    assertion that was not fetched, a pre-C2PA ("prerelease") JUMBF store, a marker with
    no readable manifest behind it, a structural problem, or any reader error that is
    not an integrity failure (MA-AI-003, with the reason).
``trusted`` / ``valid_untrusted``
    no failure other than an untrusted signing (or identity/time-stamp) credential;
    ``trusted`` when c2pa-rs chains the signer to a configured trust anchor.

``present_unverified`` (set in ``evaluate.access``) is for a marker when this reader
could not run at all.

AI origin: the ``digitalSourceType`` of every action in every manifest of the store
(``c2pa.actions`` and ``c2pa.actions.v2``; the active manifest and every ingredient's
manifest) is recorded as ``digital_source_type`` with a ``c2pa_ai_origin`` fact saying
which manifest, ingredient (titles from the active manifest down) and action it came
from.  Which terms make MA-AI-001 is decided in ``evaluate.access`` (``AI_TYPES``).
"""

from __future__ import annotations

import json
import os
from typing import Any

from mediaaudit.model import C2paState, FactOrigin, FactSource
from mediaaudit.probe.partial import Partial

READER = FactSource(FactOrigin.C2PA)
"""The source of what the c2pa reader says of the whole store (state, signer...)."""
MAX_TAG = 195  # an ingredient's name, cut so the shown source stays within 200 characters

INTEGRITY = frozenset({
    "assertion.dataHash.mismatch", "assertion.bmffHash.mismatch",
    "assertion.boxesHash.mismatch", "assertion.collectionHash.mismatch",
    "assertion.hashedURI.mismatch", "hashedURI.mismatch", "claimSignature.mismatch",
    "ingredient.hashedURI.mismatch", "ingredient.manifest.mismatch",
    "ingredient.claimSignature.mismatch", "timeStamp.mismatch",
})
"""Failure codes meaning a hash or a signature does not match: changed after signing."""

UNTRUSTED = frozenset({
    "signingCredential.untrusted", "cawg.x509.credential.untrusted",
    "cawg.ica.untrusted_issuer", "timeStamp.untrusted",
})
"""Failure codes that only say a credential does not chain to a configured trust anchor."""

REASONS = {
    "signingCredential.expired": "the signing certificate has expired",
    "signingCredential.ocsp.revoked": "the signing certificate was revoked",
    "signingCredential.ocsp.unknown": "the revocation status of the certificate is unknown",
    "signingCredential.invalid": "the signing certificate is not valid for signing",
    "claimSignature.outsideValidity": "signed outside the certificate's validity period",
    "timeStamp.outsideValidity": "the time-stamp is outside the certificate's validity",
    "manifest.inaccessible": "a remote manifest was not fetched (offline)",
    "assertion.inaccessible": "a remote assertion was not fetched (offline)",
    "cawg.ica.did_unavailable": "an identity assertion needs the network (DID not resolved)",
    "com.adobe.prerelease": "a pre-C2PA (prerelease) manifest",
    "ingredient.manifest.missing": "an ingredient's manifest is missing",
    "algorithm.unsupported": "an unsupported algorithm",
}


def available() -> bool:
    try:
        import c2pa  # noqa: F401
    except ImportError:
        return False
    return True


def _context(c2pa: Any) -> Any:
    settings: dict[str, Any] = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    anchors = os.environ.get("MEDIAAUDIT_C2PA_TRUST_ANCHORS")
    if anchors and os.path.isfile(anchors):
        with open(anchors, encoding="utf-8") as fh:
            settings["trust"] = {"trust_anchors": fh.read()}
    return c2pa.Context.from_dict(settings)


def _reason(code: str) -> str:
    if code in REASONS:
        return f"{REASONS[code]} [{code}]"
    if code.startswith("cawg."):
        return f"an identity assertion could not be verified [{code}]"
    return code


def _codes(entries: Any) -> list[str]:
    return [str(e["code"]) for e in entries or [] if isinstance(e, dict) and e.get("code")]


def failures(store: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(failure codes of the active manifest, failure codes in the ingredient deltas)."""
    results = store.get("validation_results")
    if isinstance(results, dict):
        active = _codes((results.get("activeManifest") or {}).get("failure"))
        deltas = [c for d in results.get("ingredientDeltas") or []
                  for c in _codes(((d or {}).get("validationDeltas") or {}).get("failure"))]
        return active, deltas
    return _codes(store.get("validation_status")), []


def classify(validation_state: str, store: dict[str, Any]
             ) -> tuple[C2paState, str | None, list[str]]:
    """(state, reason, failure codes) for a manifest store that the reader could read."""
    active, deltas = failures(store)
    codes = list(dict.fromkeys(active + deltas))
    broken = [c for c in codes if c in INTEGRITY]
    if broken:
        return C2paState.INVALID, ", ".join(broken), codes
    other = [c for c in dict.fromkeys(active) if c not in UNTRUSTED]
    if other:
        return C2paState.UNVERIFIABLE, "; ".join(_reason(c) for c in other), codes
    if validation_state == "Invalid":  # c2pa-rs says invalid without a failure code
        return C2paState.UNVERIFIABLE, "validation failed without a status code", codes
    trusted = validation_state == "Trusted"
    return (C2paState.TRUSTED if trusted else C2paState.VALID_UNTRUSTED), None, codes


def classify_error(exc: BaseException, where: str) -> tuple[C2paState, str]:
    """(state, reason) when the reader raised instead of returning a manifest store."""
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    low = text.lower()
    hit = [c for c in INTEGRITY if c.lower() in low]
    if hit or "hashmismatch" in low:
        return C2paState.INVALID, (hit[0] if hit else "hash mismatch")
    if where.startswith("remote:") or "remote" in low:
        return C2paState.UNVERIFIABLE, "a remote manifest was not fetched (offline)"
    if "prerelease" in low:
        return C2paState.UNVERIFIABLE, "a pre-C2PA (prerelease) manifest [com.adobe.prerelease]"
    if "manifestnotfound" in low.replace(" ", "") or "no jumbf" in low:
        return C2paState.UNVERIFIABLE, "a C2PA marker but no readable manifest"
    return C2paState.UNVERIFIABLE, f"the manifest could not be read ({text[:160]})"


def _label(store: dict[str, Any]) -> dict[str, list[str]]:
    """Manifest label → ingredient titles from the active manifest down to it."""
    manifests = store.get("manifests") or {}
    paths: dict[str, list[str]] = {}
    todo = [(str(store.get("active_manifest") or ""), list[str]())]
    while todo:
        label, path = todo.pop(0)
        if label in paths or label not in manifests:
            continue
        paths[label] = path
        for ing in (manifests[label] or {}).get("ingredients") or []:
            child = (ing or {}).get("active_manifest")
            if child:
                todo.append((str(child), [*path, str(ing.get("title") or child)]))
    return paths


def ai_origins(store: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action with a ``digitalSourceType`` in every manifest of the store."""
    manifests = store.get("manifests") or {}
    paths = _label(store)
    out = []
    for label, manifest in manifests.items():
        for a in (manifest or {}).get("assertions") or []:
            if not str(a.get("label", "")).startswith("c2pa.actions"):
                continue
            for act in (a.get("data") or {}).get("actions") or []:
                dst = (act or {}).get("digitalSourceType")
                if dst:
                    path = paths.get(label)
                    out.append({"digital_source_type": str(dst), "action": act.get("action"),
                                "manifest": label, "active": path == [],
                                "ingredient": " > ".join(path) if path else None})
    out.sort(key=lambda o: not o["active"])  # the active manifest first
    return out


def read_c2pa(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader: validation state, signer, claim generator, digitalSourceType."""
    where = next((m.source.tag for m in part.meta if m.field == "c2pa"), None)
    if where is None or not available():
        return
    import c2pa

    try:
        with c2pa.Reader(path, context=_context(c2pa)) as reader:
            validation_state = str(reader.get_validation_state() or "")
            store = json.loads(reader.json())
    except Exception as exc:
        state, reason = classify_error(exc, where)
        part.fact("c2pa_state", state, READER)
        part.fact("c2pa_reason", reason, READER)
        part.fact("c2pa_error", f"{type(exc).__name__}: {exc}"[:200], READER)
        return
    state, why, codes = classify(validation_state, store)
    part.fact("c2pa_state", state, READER)
    if why:
        part.fact("c2pa_reason", why, READER)
    if codes:
        part.fact("c2pa_codes", json.dumps(codes), READER)
    manifest = (store.get("manifests") or {}).get(store.get("active_manifest") or "", {})
    sig = manifest.get("signature_info") or {}
    if sig.get("common_name") or sig.get("issuer"):
        part.fact("c2pa_signer", sig.get("common_name") or sig.get("issuer"), READER)
    gen = manifest.get("claim_generator_info") or [{}]
    name = gen[0].get("name") if gen else None
    if name or manifest.get("claim_generator"):
        part.fact("c2pa_generator", name or manifest.get("claim_generator"), READER)
    for origin in ai_origins(store):
        tag = ("actions" if origin["active"] else
               f"ingredient:{origin['ingredient'] or origin['manifest']}")
        part.fact("digital_source_type", origin["digital_source_type"],
                  FactSource(FactOrigin.C2PA, tag[:MAX_TAG]))
        part.fact("c2pa_ai_origin", json.dumps(origin), READER)
