"""``mediaaudit report``: re-render a stored JSON manifest without rescanning.

A stored manifest is input like any other: it may have been edited or crafted.  Before
anything is rendered, every value in it must have the JSON type the manifest schema
(``schema/manifest.schema.json``) gives it, and the type the renderings read where the
schema leaves a value open (``_RENDERED``); otherwise ``report`` says where, in one line,
and exits 2 (a summary count that is a string was a ``TypeError`` traceback).  Only types
are checked: a key may be missing (manifests of older versions), and a value the
renderings do not know (an outcome, a status) is shown as text.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

import click

from mediaaudit.cli.common import fail, locate_base
from mediaaudit.cli.load import load_manifest
from mediaaudit.cli.output import (
    FORMATS,
    OutputError,
    OutputUnwritable,
    check_targets,
    targets,
    write_all,
)
from mediaaudit.writers.common import relang

_STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_SCALAR: dict[str, Any] = {"type": ["string", "number", "boolean", "null"]}
# What the renderings read where the schema says only "object": the policy in the
# archivist's footer, the tracks a file's description names, the parameters an action's
# text is rendered from.
_RENDERED: dict[str, Any] = {"type": "object", "properties": {
    "policy": {"type": "object", "properties": {
        "source": {"type": ["string", "null"]},
        "organisations": _STRINGS, "select": _STRINGS, "ignore": _STRINGS,
        "allowed_licences": _STRINGS,
        "severity_overrides": {"type": "object", "additionalProperties": {"type": "string"}},
    }},
    "files": {"type": "array", "items": {"type": "object", "properties": {
        "media": {"type": "object", "properties": {"tracks": {"type": "array", "items": {
            "type": "object", "properties": {"kind": {"type": ["string", "null"]},
                                             "format": {"type": ["string", "null"]}}}}}},
        "actions": {"type": "array", "items": {"type": "object", "properties": {
            "params": {"type": "object", "properties": {
                "finding": {"type": ["string", "null"]}, "credit": _SCALAR,
                "params": {"type": "object"},
                "texts": {"type": "array", "items": {"type": "object", "properties": {
                    "lang": {"type": ["string", "null"]}, "text": _SCALAR}}}}}}}},
    }}},
}}


@functools.cache
def _schema() -> dict[str, Any]:
    text = resources.files("mediaaudit").joinpath("schema", "manifest.schema.json").read_text(
        encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}.get(
        type(value), type(value).__name__)


def _is(value: Any, name: str) -> bool:
    t = _json_type(value)
    return t == name or (name == "number" and t == "integer")


def type_problem(value: Any, node: Mapping[str, Any], where: str = "manifest",
                 defs: Mapping[str, Any] | None = None) -> str | None:
    """The first place in ``value`` whose JSON type is not what the schema ``node`` says
    ('files[2].findings is a string, not an array'), or None.  Understands the parts of
    JSON Schema the manifest schema uses for types (type, enum, const, $ref, oneOf/anyOf,
    properties, additionalProperties, items); presence (required) and values (enum
    members, patterns, minimums) are not checked, see the module's docstring."""
    defs = _schema().get("$defs", {}) if defs is None else defs
    if "$ref" in node:
        node = defs[str(node["$ref"]).rsplit("/", 1)[-1]]
    alts = node.get("oneOf") or node.get("anyOf")
    if alts:
        problems = [type_problem(value, alt, where, defs) for alt in alts]
        if all(problems):
            return problems[0]
    types = node.get("type")
    if types is None and ("enum" in node or "const" in node):
        types = sorted({_json_type(v) for v in node.get("enum", [node.get("const")])})
    if types is not None:
        wanted = [types] if isinstance(types, str) else list(types)
        if not any(_is(value, t) for t in wanted):
            return f"{where} is {_json_type(value)}, not {' or '.join(wanted)}"
    if isinstance(value, dict):
        props, extra = node.get("properties") or {}, node.get("additionalProperties")
        for key, item in value.items():
            sub = props.get(key, extra if isinstance(extra, dict) else None)
            found = type_problem(item, sub, f"{where}.{key}", defs) if sub else None
            if found:
                return found
    items = node.get("items")
    if isinstance(value, list) and isinstance(items, dict):
        for i, item in enumerate(value):
            found = type_problem(item, items, f"{where}[{i}]", defs)
            if found:
                return found
    return None


def manifest_problem(m: Mapping[str, Any]) -> str | None:
    """Why a loaded manifest cannot be rendered (a value of the wrong type), or None."""
    return (type_problem(m, _schema(), "manifest")
            or type_problem(m, _RENDERED, "manifest"))


@click.command()
@click.argument("manifest_path", metavar="MANIFEST", type=click.Path(dir_okay=False))
@click.option("-o", "--output", metavar="FILE", help="Output file; format from its suffix.")
@click.option("--format", "fmts", type=click.Choice(FORMATS), multiple=True,
              help="Output format (repeatable; with several, -o is the base name).")
@click.option("--lang", type=click.Choice(["nl", "en"]), default=None,
              help="Re-render messages in this language (default: the manifest's).")
@click.option("--base", default=None, metavar="DIR",
              help="Folder the manifest's paths are relative to (for HTML thumbnails). "
              "Default: found from the manifest's roots (the current folder, the "
              "manifest's folder or one of its parents).")
def report(manifest_path: str, output: str | None, fmts: tuple[str, ...], lang: str | None,
           base: str | None) -> None:
    """Render MANIFEST (JSON) as HTML, PDF/A, CSV or Markdown (or JSON in another language)."""
    try:
        m = load_manifest(manifest_path)
    except (RecursionError, ValueError) as exc:  # JSON nested too deep, a 5,000-digit number
        fail(f"{manifest_path} is not a JSON manifest: {str(exc)[:120]}")
    problem = manifest_problem(m)
    if problem:
        fail(f"{manifest_path} is not a manifest mediaaudit can render: {problem}")
    if lang:
        m = relang(m, lang)
    m.setdefault("lang", "en")
    if base is None:
        base = locate_base(manifest_path, [str(f.get("path", "")) for f in m["files"]],
                           [str(r) for r in m.get("roots") or []]) or "."
    try:
        outs = targets(output, fmts)
        check_targets(outs)
        write_all(outs, m, base)
    except (OutputError, OutputUnwritable) as exc:
        fail(str(exc))
    for _, path in outs:
        if path:
            click.echo(f"{path}", err=True)
