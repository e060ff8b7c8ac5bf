"""Validate parsed YAML against the models, with every problem located in the file.

pydantic (strict) is the fast path and builds the typed record. Only when it rejects a file
is the raw data run through the JSON Schema generated from the same model, because
jsonschema's errors carry the exact path of the offending node.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as ModelError

from qbank.load.yamlparse import KeyPath, Parsed, Position
from qbank.suggest import did_you_mean

if TYPE_CHECKING:  # jsonschema is imported only when a file is invalid
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError

M = TypeVar("M", bound=BaseModel)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(model: type[BaseModel], schema_id: str) -> dict[str, Any]:
    """The JSON Schema of a model, as committed under schema/."""
    schema = model.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, "$id": schema_id, **schema}


@functools.cache
def _validator(model: type[BaseModel]) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json_schema(model, model.__name__))


def located_errors(model: type[M], parsed: Parsed) -> list[tuple[Position, str]]:
    """Why the parsed data is not a valid `model`, each message with its position."""
    try:
        model.model_validate(parsed.data)
        return []
    except ModelError as exc:
        model_errors = exc.errors()
    located = [
        (_locate(error, parsed), _message(error))
        for error in sorted(_validator(model).iter_errors(parsed.data), key=_order)
    ]
    located = _expand_unknown_keys(located, parsed)
    if not located:  # a rule the JSON Schema cannot state (e.g. weights summing to 100)
        located = [
            (_nearest(parsed.positions, tuple(e["loc"])), _model_message(e)) for e in model_errors
        ]
    return located


def _order(error: SchemaError) -> tuple[str, ...]:
    return tuple(str(part) for part in error.absolute_path)


def _expand_unknown_keys(
    located: list[tuple[Position, Any]], parsed: Parsed
) -> list[tuple[Position, str]]:
    out: list[tuple[Position, str]] = []
    for position, message in located:
        if isinstance(message, _UnknownKeys):
            for key in message.keys:
                where = parsed.key_positions.get((*message.path, key), position)
                out.append((where, message.describe(key)))
        else:
            out.append((position, message))
    return sorted(out)


class _UnknownKeys:
    def __init__(self, path: KeyPath, keys: list[str], allowed: list[str]) -> None:
        self.path, self.keys, self.allowed = path, keys, allowed

    def describe(self, key: str) -> str:
        where = f" in {_dotted(self.path)}" if self.path else ""
        return f"unknown key '{key}'{where}{did_you_mean(key, self.allowed)}"


def _locate(error: SchemaError, parsed: Parsed) -> Position:
    path = tuple(error.absolute_path)
    if error.validator == "not" and isinstance(error.instance, dict):
        for offending in error.validator_value.get("required", []):
            if (*path, offending) in parsed.key_positions:
                return parsed.key_positions[(*path, offending)]
    return _nearest(parsed.positions, path)


def _nearest(positions: dict[KeyPath, Position], path: KeyPath) -> Position:
    while path not in positions and path:
        path = path[:-1]
    return positions.get(path, (1, 1))


def _dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(error: SchemaError) -> Any:
    path = tuple(error.absolute_path)
    field = f"'{_dotted(path)}'" if path else "the question"
    kind = error.validator
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        return _UnknownKeys(path, extra, allowed)
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"missing required key '{missing}'" + (f" in {_dotted(path)}" if path else "")
    if kind == "type":
        return f"{field} must be {_a(error.validator_value)}, not {_json_type(error.instance)}"
    if kind == "enum":
        choices = [str(c) for c in error.validator_value if c is not None]
        hint = did_you_mean(str(error.instance), choices) if isinstance(error.instance, str) else ""
        return f"{field} must be one of {', '.join(choices)}; got {error.instance!r}{hint}"
    if kind == "const":
        return f"{field} must be {error.validator_value!r}"
    if kind == "pattern":
        return f"{field} {error.instance!r} does not match {error.validator_value}"
    if kind in ("minItems", "maxItems"):
        bound = "at least" if kind == "minItems" else "at most"
        return f"{field} must have {bound} {error.validator_value} items"
    if kind in ("minLength", "maxLength"):
        return f"{field} must not be empty" if kind == "minLength" else f"{field} is too long"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"{field} is out of range: {error.message}"
    if kind == "not" and path == () and "select" in (error.instance or {}):
        return "'select' is only allowed when type is 'multiple'"
    if kind == "anyOf":
        branches = [s.get("type") for s in error.validator_value if isinstance(s, dict)]
        wanted = " or ".join(_a(t) for t in branches if t and t != "null")
        return f"{field} must be {wanted or 'valid'}, not {_json_type(error.instance)}"
    return f"{field}: {error.message}"


def _model_message(error: Any) -> str:
    path = tuple(error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"'{_dotted(path)}': {message}" if path else message


def _a(json_type: object) -> str:
    names = {"string": "a string", "integer": "an integer", "number": "a number",
             "boolean": "true or false", "array": "a list", "object": "a mapping"}  # fmt: skip
    if isinstance(json_type, list):
        return " or ".join(names.get(str(t), str(t)) for t in json_type)
    return names.get(str(json_type), str(json_type))


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return {str: "a string", int: "an integer", float: "a number", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)  # fmt: skip
