"""A small JSON Schema checker and body mutator, enough for our OpenAPI document.

Written here instead of adding jsonschema/schemathesis: the document uses a small subset
($ref, type, const, enum, properties, required, additionalProperties, items, oneOf,
min/maxLength, minimum/maximum, pattern), and the negative tests must run in-process in
milliseconds, not drive a live server through a separate tool.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

JSON_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _is(value: Any, json_type: str) -> bool:
    if json_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if json_type == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, JSON_TYPES[json_type])


class Schemas:
    """Resolves ``#/components/schemas/X`` references within one document."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            node: Any = self.doc
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def errors(self, value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
        """Every way ``value`` breaks ``schema`` (empty when valid)."""
        s = self.resolve(schema)
        if "oneOf" in s:
            matches = [o for o in s["oneOf"] if not self.errors(value, o, path)]
            return [] if len(matches) == 1 else [f"{path}: matches {len(matches)} of oneOf"]
        out: list[str] = []
        if "const" in s and value != s["const"]:
            out.append(f"{path}: expected {s['const']!r}")
        if "enum" in s and value not in s["enum"]:
            out.append(f"{path}: {value!r} not in enum")
        types = s.get("type")
        if types is not None:
            types = [types] if isinstance(types, str) else types
            if not any(_is(value, t) for t in types):
                return [*out, f"{path}: {value!r} is not {types}"]
        if isinstance(value, str):
            if len(value) < s.get("minLength", 0) or len(value) > s.get("maxLength", 10**9):
                out.append(f"{path}: length {len(value)} out of range")
            if "pattern" in s and not re.search(s["pattern"], value):
                out.append(f"{path}: does not match {s['pattern']}")
        low, high = s.get("minimum", -(10**18)), s.get("maximum", 10**18)
        if _is(value, "number") and not low <= value <= high:
            out.append(f"{path}: {value} out of range")
        if isinstance(value, list) and "items" in s:
            for i, item in enumerate(value):
                out += self.errors(item, s["items"], f"{path}[{i}]")
        if isinstance(value, dict):
            props = s.get("properties", {})
            out += [f"{path}.{k}: required" for k in s.get("required", []) if k not in value]
            extra = s.get("additionalProperties", True)
            for key, item in value.items():
                if key in props:
                    out += self.errors(item, props[key], f"{path}.{key}")
                elif extra is False:
                    out.append(f"{path}.{key}: not allowed")
                elif isinstance(extra, dict):
                    out += self.errors(item, extra, f"{path}.{key}")
        return out

    def sample(self, schema: dict[str, Any], name: str = "") -> Any:
        """A valid value (names chosen so that the fake game accepts them)."""
        s = self.resolve(schema)
        if "const" in s:
            return s["const"]
        if "oneOf" in s:
            return self.sample(s["oneOf"][0], name)
        kind = s["type"] if isinstance(s.get("type"), str) else "string"
        if kind == "object":
            return {k: self.sample(s["properties"][k], k) for k in s.get("required", [])}
        if kind == "integer":
            return s.get("minimum", 1)
        if kind == "array":
            return []
        if kind == "boolean":
            return True
        return {"language": "python", "text": "hello"}.get(name, "ana")

    def malformed(self, schema: dict[str, Any], valid: Any) -> Iterator[tuple[str, Any]]:
        """Bodies that break ``schema`` in one way each, starting from ``valid``."""
        yield from self._mutate(schema, valid, "$")

    def _mutate(self, schema: dict[str, Any], valid: Any, path: str) -> Iterator[tuple[str, Any]]:
        s = self.resolve(schema)
        for wrong in _wrong_types(valid):
            yield f"{path}: wrong type {wrong!r}", wrong
        if "const" in s:
            yield f"{path}: not the const", f"{s['const']}-nope"
        if isinstance(valid, str):
            if "minLength" in s:
                yield f"{path}: too short", ""
            if "maxLength" in s:
                yield f"{path}: too long", "x" * (s["maxLength"] + 1)
            if "pattern" in s:
                yield f"{path}: pattern", "1 bad name!"
        if isinstance(valid, int) and not isinstance(valid, bool):
            if "minimum" in s:
                yield f"{path}: below minimum", s["minimum"] - 1
            if "maximum" in s:
                yield f"{path}: above maximum", s["maximum"] + 1
        if isinstance(valid, dict):
            for key in s.get("required", []):
                smaller = {k: v for k, v in valid.items() if k != key}
                yield f"{path}.{key}: missing", smaller
            if s.get("additionalProperties") is False:
                yield f"{path}: unknown field", {**valid, "zz_unknown": 1}
            for key, value in valid.items():
                sub = s["properties"][key]
                for why, mutated in self._mutate(sub, value, f"{path}.{key}"):
                    yield why, {**valid, key: mutated}


def _wrong_types(valid: Any) -> list[Any]:
    candidates: list[Any] = ["text", 7, 1.5, True, None, [], {}]
    return [c for c in candidates if type(c) is not type(valid)]
