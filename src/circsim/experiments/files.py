"""Experiment files: finding them (bundled or by path), reading them, clear errors.

Read like scenarios (YAML 1.2 scalars, duplicate keys rejected); every problem is
reported as ``file:line: key: what was expected``, with a did-you-mean for typos.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from circsim.scenario import ScenarioError, resolve_source
from circsim.scenario.errors import show_value
from circsim.scenario.yamlio import dotted, read_yaml

from .paths import unwrap
from .spec import (
    Experiment,
    ExperimentError,
    KeyPath,
    path_problems,
    retire_paths,
    semantic_problems,
)

_SUFFIXES = (".yaml", ".yml")


def experiment_dir() -> Path:
    """The folder holding the bundled experiment files."""
    return Path(__file__).resolve().parent.parent / "data" / "experiments"


def bundled_experiments() -> list[tuple[str, str]]:
    """``(name, description)`` of every bundled experiment."""
    out = []
    for path in sorted(experiment_dir().glob("*.yaml")):
        data = read_yaml(path, path.name).data
        out.append((path.stem, " ".join(str(data.get("description", "")).split())))
    return out


def resolve_experiment(source: str | os.PathLike[str]) -> Path:
    """The file an experiment name or path refers to; :class:`ExperimentError` if none."""
    text = os.fspath(source)
    bare = text and Path(text).name == text and not text.endswith(_SUFFIXES)
    bundled = experiment_dir() / f"{text}.yaml"
    if bare and bundled.is_file():
        return bundled
    path = Path(text).expanduser()
    if path.is_file():
        return path
    if _exists(path):      # a folder, a pipe, a device: refused before reading
        raise ExperimentError(text, [f"{text}: is not a regular file; expected a YAML file"],
                              heading=f"Cannot read experiment {text}:")
    names = ", ".join(name for name, _ in bundled_experiments()) or "none"
    raise ExperimentError(text, [f"{text}: no such file, and no bundled experiment of that "
                                 f"name (bundled experiments: {names})"],
                          heading=f"Cannot find experiment {text}:")


def read_experiment_file(source: str | os.PathLike[str]
                         ) -> tuple[Path, str, dict[str, Any], dict[tuple[str, ...], int]]:
    """An experiment file found and parsed: its path, its label for messages, its data
    and the line of every key (an unreadable file is an :class:`ExperimentError`)."""
    path = resolve_experiment(source)
    label = _label(path)
    try:
        doc = read_yaml(path, label)
    except ScenarioError as err:
        raise ExperimentError(label, err.problems) from None
    return path, label, dict(doc.data), dict(doc.lines)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def load_experiment(source: str | os.PathLike[str],
                    overrides: Mapping[str, Any] | None = None) -> Experiment:
    """Read, validate and check an experiment file (a bundled name or a path).

    ``overrides`` replaces top-level keys (``{"replicates": 3}``), e.g. from a notebook.
    Scenario paths in the file are relative to the file.
    """
    path, label, data, lines = read_experiment_file(source)
    if "scenario" in data:
        if "scenarios" in data:
            line = lines.get(("scenario",))
            raise ExperimentError(label, [f"{label}:{line}: scenario: give `scenario` or "
                                          "`scenarios`, not both"])
        data["scenarios"] = [data.pop("scenario")]
        for key, line in list(lines.items()):
            if key[0] == "scenario":
                lines[("scenarios", "0", *key[1:])] = line
                lines.setdefault(("scenarios",), line)
    data.update(overrides or {})
    if isinstance(data.get("scenarios"), list):
        data["scenarios"] = [_near(s, path.parent) for s in data["scenarios"]]

    def where(key: KeyPath) -> str:
        while key:
            if key in lines:
                return f"{label}:{lines[key]}"
            key = key[:-1]
        return label

    data = retire_paths(data, label, where)
    try:
        exp = Experiment.model_validate(data)
    except ValidationError as err:
        found = [_describe(e, where) for e in err.errors()]
        found += [f"{where(key)}: {dotted(key)}: {msg}" for key, msg in path_problems(data)
                  if key is not None]
        raise ExperimentError(label, found) from None
    problems = [msg if key is None else f"{where(key)}: {dotted(key)}: {msg}"
                for key, msg in semantic_problems(exp, label)]
    if problems:
        raise ExperimentError(label, problems)
    exp._source = path.resolve()
    return exp


def make_experiment(label: str = "experiment", **data: Any) -> Experiment:
    """An experiment from keyword values, with :class:`ExperimentError` instead of pydantic's.

    Relative scenario paths are taken from the current folder.
    """
    if isinstance(data.get("scenarios"), list):
        data["scenarios"] = [_near(s, Path.cwd()) for s in data["scenarios"]]
    try:
        return Experiment.model_validate(data)
    except ValidationError as err:
        raise ExperimentError(label, [_describe(e, lambda _: label) for e in err.errors()]) \
            from None


def _near(entry: Any, folder: Path) -> Any:
    """A scenario entry: a bundled name stays; a relative path is taken from ``folder``."""
    if not isinstance(entry, str):
        return entry
    candidate = folder / Path(entry).expanduser()
    bare = Path(entry).name == entry and not entry.endswith(_SUFFIXES)
    if bare:
        try:
            resolve_source(entry)
            return entry
        except ScenarioError:
            pass
    return str(candidate.resolve()) if candidate.exists() else entry


def _label(path: Path) -> str:
    try:
        return f"experiments/{path.resolve().relative_to(experiment_dir()).as_posix()}"
    except ValueError:
        return os.path.relpath(path) if not path.is_absolute() else str(path)


def _describe(error: Mapping[str, Any], where: Any) -> str:
    """One ``file:line: key: problem`` line for a pydantic error on an experiment."""
    loc = tuple(str(p) for p in error.get("loc", ()))
    kind = error.get("type", "")
    key = dotted(loc)
    if kind == "extra_forbidden":
        valid = _keys_at(loc[:-1])
        match = difflib.get_close_matches(loc[-1], valid, n=1, cutoff=0.6)
        hint = f"; did you mean '{match[0]}'?" if match else ""
        return f"{where(loc)}: {key}: unknown key{hint} (valid keys: {', '.join(valid)})"
    if kind == "missing":
        return f"{where(loc[:-1])}: {key}: required key is missing"
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    message = message.replace("Input should be", "expected")
    if kind not in ("value_error", "assertion_error"):
        message += f", got {show_value(error.get('input'))}"
    return f"{where(loc)}: {key}: {message}"


def _keys_at(loc: tuple[str, ...]) -> list[str]:
    model: Any = Experiment
    for part in loc:
        fields = getattr(model, "model_fields", {})
        model = unwrap(fields[part].annotation) if part in fields else None
    keys = list(getattr(model, "model_fields", {}))
    return keys + ["scenario"] if model is Experiment else keys
