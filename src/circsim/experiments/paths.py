"""Dotted paths into a scenario (``policies.collection.bins_per_10k_residents``).

What a path reaches in the scenario schema, the type a design value must take
there, and the files a scenario is read from (for hashes and worker caches).
"""

from __future__ import annotations

import difflib
import hashlib
import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from circsim.scenario import resolve_source
from circsim.scenario.schema import Scenario
from circsim.scenario.yamlio import read_yaml

RESERVED_PATHS = ("seed",)  # each run's seed is derived; never set by a design


def unwrap(annotation: Any) -> Any:
    """``X | None`` -> ``X``; anything else unchanged."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def scenario_field(path: str) -> Any:
    """The type annotation a dotted path reaches in a scenario; ValueError if none."""
    annotation: Any = Scenario
    parts = path.split(".")
    for depth, part in enumerate(parts):
        annotation = unwrap(annotation)
        here = ".".join(parts[:depth]) or "the top level"
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            valid = list(annotation.model_fields)
        elif get_origin(annotation) is dict and get_origin(get_args(annotation)[0]) is Literal:
            valid = [str(a) for a in get_args(get_args(annotation)[0])]
        else:
            raise ValueError(f"{'.'.join(parts[:depth])} is a single value; it has no key "
                             f"{part!r}")
        if part not in valid:
            match = difflib.get_close_matches(part, valid, n=1, cutoff=0.6)
            hint = f"; did you mean '{match[0]}'?" if match else ""
            raise ValueError(f"no key {part!r} in {here}{hint} (valid keys: {', '.join(valid)})")
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            annotation = annotation.model_fields[part].annotation
        else:
            annotation = get_args(annotation)[1]
    return unwrap(annotation)


def coerce(path: str, value: Any) -> Any:
    """A design value in the type its scenario key expects (3 -> 3.0, 2.6 -> 3 for ints)."""
    kind = scenario_field(path)
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, float) and value == value:
        return int(round(value))
    return value


def check_path(path: str, numeric: bool = False) -> str | None:
    if path in RESERVED_PATHS:
        return "the seed of every run is derived from the experiment's seed; set `seed:` instead"
    try:
        kind = scenario_field(path)
    except ValueError as err:
        return str(err)
    if isinstance(kind, type) and issubclass(kind, BaseModel) and numeric:
        return "is a section; a range needs a number"
    if numeric and kind not in (int, float):
        return "a range needs a numeric key (an integer or a number)"
    return None


def scenario_files(source: str) -> list[Path]:
    """The scenario file ``source`` names and every file it extends, in order."""
    files: list[Path] = []
    path: Path | None = resolve_source(source).resolve()
    while path is not None and path not in files:
        files.append(path)
        target = read_yaml(path, path.name).data.get("extends")
        if not isinstance(target, str):
            break
        near = path.parent / target
        bare = Path(target).name == target and not target.endswith((".yaml", ".yml"))
        path = (resolve_source(target) if bare or not near.exists() else near).resolve()
    return files


def fingerprint(source: str) -> str:
    """A hash of the contents of a scenario's files (``extends:`` chain included)."""
    digest = hashlib.sha256()
    for path in scenario_files(source):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
