"""Validate Open311 answers against the official GeoReport v2 JSON schemas (copied, unchanged,
in open311_schemas/ beside this file; see SOURCE.md there).

Uses `jsonschema` (a dev dependency); RFC 3339 date-times are checked by a small walker of the
keywords those schemas use, since jsonschema needs an extra package for that format.
"""

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent / "open311_schemas"


@cache
def load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def swagger_array(definition: str) -> dict[str, Any]:
    """A response that is an array of swagger.json's `definition` (POST answers, tokens)."""
    return {"type": "array", "items": load("swagger.json")["definitions"][definition]}


# GeoReport v2 errors and discovery have no schema in the official set: written from the spec.
ERRORS = {
    "type": "array",
    "items": {
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}
DISCOVERY = {
    "required": ["changeset", "endpoints"],
    "properties": {
        "changeset": {"type": "string", "format": "date-time"},
        "endpoints": {
            "type": "array",
            "items": {
                "required": ["specification", "url", "changeset", "type", "formats"],
                "properties": {
                    "specification": {"type": "string"},
                    "url": {"type": "string"},
                    "type": {"type": "string", "enum": ["production", "test"]},
                    "formats": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def validate(instance: Any, schema: dict[str, Any] | str) -> None:
    """Raise AssertionError when `instance` does not satisfy the schema (a file name or dict)."""
    if isinstance(schema, str):
        schema = load(schema)
    registry = Registry().with_resources(
        (name, Resource.from_contents(load(name), default_specification=DRAFT4))
        for name in ("request.json", "service.json")
    )
    validator = jsonschema.Draft4Validator(
        schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]
    errors += [e for e in _check_formats(instance, schema, "$")]
    assert not errors, "; ".join(errors)


_TYPES: dict[str, Any] = {
    "string": str,
    "boolean": bool,
    "array": list,
    "object": dict,
    "null": type(None),
}


def _type_ok(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def _date_time_ok(value: str) -> bool:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None and "T" in value


def _check_formats(value: Any, schema: dict[str, Any], path: str) -> list[str]:
    """RFC 3339 date-times are checked here too: jsonschema needs an extra package for it."""
    return [e for e in _check(value, schema, path) if "date-time" in e]


def _check(value: Any, schema: dict[str, Any], path: str) -> Any:
    if "$ref" in schema:
        yield from _check(value, load(schema["$ref"]), path)
        return
    if "anyOf" in schema:
        if not any(not list(_check(value, s, path)) for s in schema["anyOf"]):
            yield f"{path}: matches none of anyOf"
        return
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_type_ok(value, n) for n in names):
            yield f"{path}: {value!r} is not of type {types}"
            return
    if "enum" in schema and value not in schema["enum"]:
        yield f"{path}: {value!r} not in {schema['enum']}"
    if isinstance(value, str):
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield f"{path}: longer than {schema['maxLength']}"
        if schema.get("format") == "date-time" and not _date_time_ok(value):
            yield f"{path}: {value!r} is not a date-time"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                yield f"{path}: {key!r} is required"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                yield from _check(value[key], sub, f"{path}.{key}")
    elif "required" in schema and types is None:
        yield f"{path}: {value!r} is not an object"
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            yield from _check(item, schema["items"], f"{path}[{n}]")
