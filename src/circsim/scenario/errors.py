"""User-facing errors: problems a user can fix, reported without a traceback.

The command line catches :class:`CircsimError`, prints its message to stderr and
exits with status 2; anything else is a bug in circsim and keeps its traceback.
A :class:`CircsimWarning` is printed as one line and the work goes on.
This module also turns pydantic's validation errors into such messages:
``file:line: dotted.key: what was expected, and what was found``.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

MAX_PROBLEMS_SHOWN = 20


class CircsimError(Exception):
    """A mistake in the user's input (a file, a flag), not a bug in circsim."""


class CircsimWarning(UserWarning):
    """Something the user should know that does not stop the work (one line, no traceback)."""


class ScenarioError(CircsimError):
    """A scenario file that cannot be read or does not describe a valid scenario.

    ``problems`` holds one line per problem, each of the form
    ``file:line: dotted.key: what was expected, and what was found``.
    """

    def __init__(self, source: str, problems: Iterable[str], *, heading: str | None = None) -> None:
        self.source = source
        # one line each, in order, without exact repeats (one typo can surface twice)
        lines = (" ".join(str(problem).splitlines()) for problem in problems)
        self.problems: list[str] = list(dict.fromkeys(lines))
        self.heading = heading or f"Scenario {source} is not valid:"
        super().__init__(str(self))

    def __str__(self) -> str:
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        lines = [self.heading, *(f"  {problem}" for problem in shown)]
        hidden = len(self.problems) - len(shown)
        if hidden > 0:
            lines.append(f"  and {hidden} more problem{'s' if hidden > 1 else ''}")
        return "\n".join(lines)

    def naming_options(self, label: str, keys: Iterable[str]) -> ScenarioError:
        """The same error with problems ``label: key: ...`` shown as ``label: --key: ...``
        (a value given as a command-line option is named as the option)."""
        keys = list(keys)

        def named(problem: str) -> str:
            for key in keys:
                prefix = f"{label}: {key}:"
                if problem.startswith(prefix):
                    return f"{label}: --{key}:{problem[len(prefix):]}"
            return problem

        return type(self)(self.source, [named(p) for p in self.problems], heading=self.heading)

    def __reduce__(self) -> tuple[object, ...]:
        # picklable across processes (parallel experiments): rebuild from the fields
        return (_rebuild, (self.source, self.problems, self.heading))


def _rebuild(source: str, problems: list[str], heading: str) -> ScenarioError:
    return ScenarioError(source, problems, heading=heading)


# -- turning pydantic's errors into problems a scenario author can act on ----------------

#: Where a key's value came from: the file's display name and the key's line (if known).
Origin = tuple[str, int | None]

_TOP_LEVEL_EXTRA = ("extends",)  # removed before validation, but a valid key to write


def describe_error(
    error: Mapping[str, Any], origins: Mapping[tuple[str, ...], Origin], root: str
) -> str:
    """One line ``file:line: dotted.key: expected ..., got ...`` for a pydantic error."""
    loc = tuple(error.get("loc", ()))
    kind = str(error.get("type", ""))
    value = error.get("input")
    where = _locate(loc, origins, root)
    is_key = bool(loc) and loc[-1] == "[key]"
    shown_loc = loc[:-1] if is_key else loc
    key = _dotted(shown_loc)
    annotation, info = _field_at((*loc[:-2], "[key]") if is_key else loc)
    if kind == "missing":
        section = _dotted(loc[:-1])
        place = f"from section '{section}'" if loc[:-1] else "at the top level"
        expected = f" (expected {_expected(annotation, info)})" if annotation is not None else ""
        return f"{where}: {key}: required key is missing {place}{expected}"
    if kind == "extra_forbidden":
        return f"{where}: {key}: unknown key{_suggest(loc[-1], _keys_of(_model_at(loc[:-1])))}"
    if is_key:
        valid = [str(arg) for arg in get_args(annotation)] if _is_literal(annotation) else []
        if valid:
            return f"{where}: {key}: unknown key{_suggest(value, valid)}"
        expected = _expected(annotation, info)
        return f"{where}: {key}: keys here must be {expected}, got {show_value(value)}"
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        return f"{where}: {key}: {message.removeprefix('Assertion failed, ')}"
    if kind == "invalid_key":
        return f"{where}: {key}: keys must be text, got {show_value(value)}"
    if annotation is not None:
        return f"{where}: {key}: expected {_expected(annotation, info)}, got {show_value(value)}"
    message = str(error.get("msg", "invalid value")).replace("Input should be", "expected")
    return f"{where}: {key}: {message}, got {show_value(value)}"


def show_value(value: object) -> str:
    """A value as the author wrote it in YAML: ``'yes'``, ``true``, ``null``, ``12``."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a value of type {type(value).__name__}"


def _dotted(loc: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def _locate(loc: tuple[object, ...], origins: Mapping[tuple[str, ...], Origin], root: str) -> str:
    """``file:line`` of the deepest key on ``loc`` that was written somewhere."""
    path = tuple(str(part) for part in loc if part != "[key]")
    while path:
        if path in origins:
            file, line = origins[path]
            return f"{file}:{line}" if line is not None else file
        path = path[:-1]
    return root


def _suggest(key: object, valid: list[str]) -> str:
    match = difflib.get_close_matches(str(key), valid, n=1, cutoff=0.6)
    hint = f"; did you mean '{match[0]}'?" if match else ""
    return f"{hint} (valid keys: {', '.join(valid)})" if valid else hint


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` -> (X, True); anything else -> (itself, False)."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _is_model(annotation: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _is_literal(annotation: Any) -> bool:
    return get_origin(annotation) is Literal


def _field_at(loc: tuple[object, ...]) -> tuple[Any, FieldInfo | None]:
    """The annotation (and field, if a model field) that ``loc`` validates against."""
    from .schema import Scenario  # here: schema is the contract, errors the base of all

    annotation: Any = Scenario
    info: FieldInfo | None = None
    for part in loc:
        annotation, _ = _unwrap(annotation)
        origin = get_origin(annotation)
        if _is_model(annotation):
            fields = annotation.model_fields
            if not isinstance(part, str) or part not in fields:
                return None, None
            info = fields[part]
            annotation = info.annotation
        elif origin is dict:
            key_type, value_type = get_args(annotation)
            annotation, info = (key_type if part == "[key]" else value_type), None
        elif origin is list:
            annotation, info = get_args(annotation)[0], None
        else:
            return None, None
    return annotation, info


def _model_at(loc: tuple[object, ...]) -> Any:
    annotation, _ = _field_at(loc)
    return _unwrap(annotation)[0]


def _keys_of(model: Any) -> list[str]:
    if not _is_model(model):
        return []
    keys = list(model.model_fields)
    from .schema import Scenario

    return keys + list(_TOP_LEVEL_EXTRA) if model is Scenario else keys


def _expected(annotation: Any, info: FieldInfo | None) -> str:
    """``an integer >= 1 and <= 1200``, ``true or false``, ``one of 'a', 'b'`` ..."""
    annotation, nullable = _unwrap(annotation)
    if annotation is bool:
        text = "true or false"
    elif annotation is int:
        text = "an integer"
    elif annotation is float:
        text = "a finite number"
    elif annotation is str:
        text = "text"
    elif _is_literal(annotation):
        text = "one of " + ", ".join(repr(arg) for arg in get_args(annotation))
    elif _is_model(annotation):
        text = "a mapping with keys " + ", ".join(annotation.model_fields)
    elif get_origin(annotation) is dict:
        text = "a mapping"
    elif get_origin(annotation) is list:
        text = f"a list of {_expected(get_args(annotation)[0], None).removeprefix('a ')}"
    else:
        text = "a value of a different kind"
    text += _bounds(info)
    return text + " (or null)" if nullable else text


def _bounds(info: FieldInfo | None) -> str:
    if info is None:
        return ""
    parts: list[str] = []
    lengths: dict[str, int] = {}
    for item in info.metadata:
        for attr, symbol in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            bound = getattr(item, attr, None)
            if bound is not None:
                parts.append(f"{symbol} {_number(bound)}")
        for attr in ("min_length", "max_length"):
            if getattr(item, attr, None) is not None:
                lengths[attr] = getattr(item, attr)
    if lengths:
        low, high = lengths.get("min_length", 0), lengths.get("max_length")
        parts.append(f"of {low} to {high} characters" if high else f"of {low}+ characters")
    return " " + " and ".join(parts) if parts else ""


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)
