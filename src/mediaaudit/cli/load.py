"""Read a stored JSON manifest, with user-facing errors.

A stored manifest is input like any other: it may have been edited or crafted.  Before
``report`` renders it or ``verify`` follows it, every value in it must have the JSON type
the manifest schema (``schema/manifest.schema.json``) gives it, and the type the
renderings read where the schema leaves a value open (``_RENDERED``); otherwise the
command says where, in one line, and exits 2 (a summary count that is a string was a
``TypeError`` traceback in ``report``, a file entry that is a number one in ``verify``).
Only types are checked: a key may be missing (manifests of older versions), and a value
the renderings do not know (an outcome, a status) is shown as text.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any, NoReturn

from mediaaudit.cli.common import CliKey, fail, run_lang, text
from mediaaudit.digest import NotRegular, open_regular
from mediaaudit.texts import os_reason

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


def load_manifest(path: str) -> dict[str, Any]:
    """The manifest at ``path``, type-checked (see the module's docstring); one line and
    exit 2 for anything else."""
    try:  # a regular file only: a FIFO given as the manifest would block json.load forever
        with open(open_regular(path, follow=True), encoding="utf-8") as fh:
            m = json.load(fh)
    except NotRegular as exc:  # a FIFO, a device, a folder: never opened
        _refuse("manifest_not_regular", path=exc.filename, kind=exc.kind)
    except OSError as exc:
        _refuse("manifest_unreadable", path=path, why=exc.strerror or str(exc))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        _refuse("manifest_not_json", path=path, why=str(exc))
    except (RecursionError, ValueError) as exc:  # JSON nested too deep, a 5,000-digit number
        _refuse("manifest_not_json", path=path, why=str(exc)[:120])
    if not isinstance(m, dict) or "schema_version" not in m or not isinstance(m.get("files"), list):
        _refuse("manifest_not_ours", path=path)
    if str(m["schema_version"]).split(".")[0] != "1":
        _refuse("manifest_schema", path=path, version=m["schema_version"])
    problem = manifest_problem(m)
    if problem:
        _refuse("manifest_types", path=path, why=problem)
    return m


def _refuse(key: CliKey, **params: Any) -> NoReturn:
    """One line in the run's language; a reason the system or a parser gave is quoted
    as its technical text in Dutch (``os_reason``)."""
    lang = run_lang()
    if "why" in params:
        params["why"] = os_reason(str(params["why"]), lang)
    fail(text(key, lang, **params))
