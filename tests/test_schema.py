"""Real manifests validate against the published JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from conftest import run_cli

SCHEMA = Path(__file__).parents[1] / "src" / "mediaaudit" / "schema" / "manifest.schema.json"


def test_corpus_manifest_matches_schema(corpus: Path) -> None:
    run = run_cli("scan", str(corpus), "-j", "1")
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(run.manifest, schema)


def test_schema_rejects_a_broken_manifest(corpus: Path) -> None:
    """The schema is not vacuous: a pass with an unknown NVF status must not validate."""
    run = run_cli("scan", str(corpus / "photo.png"))
    assert run.manifest is not None
    bad = json.loads(json.dumps(run.manifest))
    bad["files"][0]["nvf"]["status"] = "fine"
    schema = json.loads(SCHEMA.read_text())
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("schema accepted an invalid status")
