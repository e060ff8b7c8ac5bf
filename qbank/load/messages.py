"""What a JSON Schema error means, said in the words of the question format.

Every kind of error the schemas can raise has its own sentence that names what is allowed and
what was found; the raw regular expression of a pattern is shown only for a pattern this
module has no words for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbank.load.yamlparse import KeyPath
from qbank.models.question import QUESTION_ID_PATTERN, TAG_PATTERN, URL_PATTERN
from qbank.suggest import did_you_mean

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError as SchemaError

# The patterns of the models (question and exam guide), in words.
PATTERN_WORDS = {
    QUESTION_ID_PATTERN: "3 to 64 lower-case letters, digits and '-', e.g. pmle-4-2-003",
    r"^[0-9]+\.[0-9]+$": 'a subsection code in quotes, e.g. "4.2"',
    r"^[0-9]+$": 'a section number in quotes, e.g. "4"',
    TAG_PATTERN: "letters, digits and _ . : + / - (no spaces), starting with a letter or digit",
    URL_PATTERN: "a URL such as https://cloud.google.com/...",
    r"^(QB[0-9]{3}|[a-z][a-z0-9-]*)$": "a rule code (QB202) or rule name (unemphasized-negative)",
    r"^[a-z0-9][a-z0-9-]*$": "lower-case letters, digits and '-'",
    r"^[A-Za-z0-9][A-Za-z0-9 _-]*$": "letters, digits, spaces, '_' and '-'",
}
_BOUNDS = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "more than",
    "exclusiveMaximum": "less than",
}


class UnknownKeys:
    """Keys a mapping does not allow; each is reported at its own position."""

    def __init__(self, path: KeyPath, keys: list[str], allowed: list[str]) -> None:
        self.path, self.keys, self.allowed = path, keys, allowed

    def describe(self, key: str) -> str:
        where = f" in {dotted(self.path)}" if self.path else ""
        return f"unknown key '{key}'{where}{did_you_mean(key, self.allowed)}"


def dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def message(error: SchemaError) -> str | UnknownKeys:
    """One sentence for one schema error (UnknownKeys for keys to report one by one)."""
    path = tuple(error.absolute_path)
    field = f"'{dotted(path)}'" if path else "the question"
    kind, wanted, found = error.validator, error.validator_value, error.instance
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return UnknownKeys(path, [key for key in found if key not in allowed], allowed)
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        why = " (a multiple-answer question says how many to choose)" if missing == "select" else ""
        return f"missing required key '{missing}'" + (f" in {dotted(path)}" if path else "") + why
    if kind == "type":
        hint = " (put it in quotes)" if wanted == "string" and _is_number(found) else ""
        return f"{field} must be {_a(wanted)}, not {_value(found)}{hint}"
    if kind in ("enum", "const"):
        choices = [str(c) for c in (wanted if kind == "enum" else [wanted]) if c is not None]
        hint = did_you_mean(found, choices) if isinstance(found, str) else ""
        return f"{field} must be {_one_of(choices)}; got {_got(found)}{hint}"
    if kind == "pattern":
        words = PATTERN_WORDS.get(wanted, f"text matching {wanted}")
        return f"{field} must be {words}; got {_got(found)}"
    if kind in ("minItems", "maxItems"):
        bound = "at least" if kind == "minItems" else "at most"
        return f"{field} must have {bound} {wanted} items; it has {len(found)}"
    if kind == "minLength":
        return f"{field} must not be empty"
    if kind == "maxLength":
        return f"{field} must be at most {wanted} characters long; it has {len(found)}"
    if kind in _BOUNDS:
        return f"{field} must be {_BOUNDS[kind]} {wanted:g}; got {_got(found)}"
    if kind == "not" and path == () and "select" in (found or {}):
        return "'select' is only allowed when type is 'multiple'"
    if kind == "anyOf":
        return _any_of(error, field)
    return f"{field}: {error.message}"


def _any_of(error: SchemaError, field: str) -> str:
    """A value that may be one of several things. When all but one branch only allow null
    (an optional field), the reason is why the value fails that one branch."""
    branches = [s for s in error.validator_value if isinstance(s, dict)]
    real = [i for i, schema in enumerate(branches) if schema.get("type") != "null"]
    if len(real) == 1 and error.context:
        reasons = [e for e in error.context if e.relative_schema_path[0] == real[0]]
        if reasons:
            described = message(min(reasons, key=lambda e: e.validator == "type"))
            if isinstance(described, str):
                return described
    wanted = " or ".join(_a(branches[i].get("type")) for i in real)
    return f"{field} must be {wanted or 'valid'}, not {_value(error.instance)}"


def prefers(error: SchemaError) -> bool:
    """Whether this error says more than a type error at the same node would (an enum lists
    the allowed values, whatever their type)."""
    return error.validator in ("enum", "const")


def _one_of(choices: list[str]) -> str:
    return choices[0] if len(choices) == 1 else f"one of {', '.join(choices)}"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _a(json_type: object) -> str:
    names = {"string": "a string", "integer": "a whole number", "number": "a number",
             "boolean": "true or false", "array": "a list", "object": "a mapping",
             "null": "empty"}  # fmt: skip
    if isinstance(json_type, list):
        return " or ".join(names.get(str(t), str(t)) for t in json_type)
    return names.get(str(json_type), str(json_type))


def _got(value: object) -> str:
    return repr(value) if _is_number(value) else _value(value)


def _value(value: object) -> str:
    """What was found, with the value itself when it is short."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else "a longer text"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else type(value).__name__
