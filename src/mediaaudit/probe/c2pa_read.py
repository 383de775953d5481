"""Read Content Credentials with the optional ``c2pa`` extra (c2pa-python), offline.

Runs only when ``c2pa.detect`` found a manifest store.  Remote manifest fetching and
OCSP are switched off: nothing goes over the network.  To get ``trusted`` rather than
``valid_untrusted``, point ``MEDIAAUDIT_C2PA_TRUST_ANCHORS`` at a PEM of trust anchors
(e.g. the C2PA trust list).
"""

from __future__ import annotations

import json
import os
from typing import Any

from mediaaudit.probe.partial import Partial


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


def _sources(manifest: dict[str, Any]) -> list[str]:
    out = []
    for a in manifest.get("assertions", []):
        if str(a.get("label", "")).startswith("c2pa.actions"):
            for act in (a.get("data") or {}).get("actions", []):
                if act.get("digitalSourceType"):
                    out.append(str(act["digitalSourceType"]))
    return out


def read_c2pa(path: str, head: bytes, mime: str | None, part: Partial) -> None:
    """File reader: validation state, signer, claim generator, digitalSourceType."""
    if not any(m.field == "c2pa" for m in part.meta) or not available():
        return
    import c2pa

    try:
        with c2pa.Reader(path, context=_context(c2pa)) as reader:
            state = str(reader.get_validation_state() or "")
            store = json.loads(reader.json())
    except Exception as exc:
        part.fact("c2pa_state", "invalid", "c2pa")
        part.fact("c2pa_error", f"{type(exc).__name__}: {exc}"[:200], "c2pa")
        return
    manifest = (store.get("manifests") or {}).get(store.get("active_manifest") or "", {})
    mapped = {"Trusted": "trusted", "Valid": "valid_untrusted", "Invalid": "invalid"}
    part.fact("c2pa_state", mapped.get(state, "invalid"), "c2pa")
    sig = manifest.get("signature_info") or {}
    if sig.get("common_name") or sig.get("issuer"):
        part.fact("c2pa_signer", sig.get("common_name") or sig.get("issuer"), "c2pa")
    gen = manifest.get("claim_generator_info") or [{}]
    name = gen[0].get("name") if gen else None
    if name or manifest.get("claim_generator"):
        part.fact("c2pa_generator", name or manifest.get("claim_generator"), "c2pa")
    for dst in _sources(manifest):
        part.fact("digital_source_type", dst, "c2pa:actions")
