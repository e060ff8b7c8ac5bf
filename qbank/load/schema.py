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

from qbank.load.messages import UnknownKeys, dotted, message, prefers
from qbank.load.yamlparse import KeyPath, Parsed, Position

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
    errors = _described(sorted(_validator(model).iter_errors(parsed.data), key=_order))
    located = _expand_unknown_keys([(_locate(e, parsed), message(e)) for e in errors], parsed)
    if not located:  # a rule the JSON Schema cannot state (e.g. weights summing to 100)
        located = [
            (_nearest(parsed.positions, tuple(e["loc"])), _model_message(e)) for e in model_errors
        ]
    return located


def _order(error: SchemaError) -> tuple[str, ...]:
    return tuple(str(part) for part in error.absolute_path)


def _described(errors: list[SchemaError]) -> list[SchemaError]:
    """The errors worth a message: a type error is left out where another error at the same
    node already says what is allowed."""
    covered = {tuple(e.absolute_path) for e in errors if prefers(e)}
    return [e for e in errors if e.validator != "type" or tuple(e.absolute_path) not in covered]


def _expand_unknown_keys(
    located: list[tuple[Position, str | UnknownKeys]], parsed: Parsed
) -> list[tuple[Position, str]]:
    out: list[tuple[Position, str]] = []
    for position, described in located:
        if isinstance(described, UnknownKeys):
            for key in described.keys:
                where = parsed.key_positions.get((*described.path, key), position)
                out.append((where, described.describe(key)))
        else:
            out.append((position, described))
    return sorted(out)


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


def _model_message(error: Any) -> str:
    path = tuple(error["loc"])
    text = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] != "value_error":  # pydantic's own sentence: say what it was given
        text = f"{text[:1].lower()}{text[1:]}; got {error['input']!r}"
    return f"'{dotted(path)}': {text}" if path else text
