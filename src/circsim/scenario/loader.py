"""Loading scenarios: find the file, follow ``extends:``, apply overrides, validate.

A scenario is either bundled (``"baseline"`` is ``data/scenarios/baseline.yaml``)
or a path to a YAML file. A file may start from another with ``extends:`` and
change only what differs; mappings merge key by key, lists and single values
replace. For every key the loader remembers the file and line it finally came
from, so a validation error points at the line to fix, even in an inherited
file. Retired keys (:mod:`.retired`) are translated, with a warning, before the
merge. Everything the user can get wrong surfaces as one :class:`ScenarioError`
listing all problems; nothing else escapes.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import CircsimWarning, Origin, ScenarioError, _locate, describe_error, show_value
from .retired import retire_dotted, retire_nested
from .schema import LEVERS, OWN_WORDS, Scenario
from .uncertainty import uncertainty_problems
from .yamlio import KeyPath, read_yaml

OVERRIDE_LABEL = "<override>"
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class BundledScenario:
    """A scenario shipped with circsim, loadable by name."""

    name: str
    description: str
    path: Path


def scenario_dir() -> Path:
    """The folder holding the bundled scenario files."""
    return Path(__file__).resolve().parent.parent / "data" / "scenarios"


def _bundled_paths() -> list[Path]:
    """The bundled scenario files, ``baseline`` first, then by name."""
    return sorted(scenario_dir().glob("*.yaml"), key=lambda p: (p.stem != "baseline", p.stem))


def bundled_scenarios() -> list[BundledScenario]:
    """Every bundled scenario, ``baseline`` first, then by name."""
    return [BundledScenario(path.stem, _description(path), path) for path in _bundled_paths()]


def bundled_names() -> list[str]:
    """Names of the bundled scenarios, ``baseline`` first (from the file names alone:
    reading every file for its description took a third of a second)."""
    return [path.stem for path in _bundled_paths()]


def resolve_source(source: str | os.PathLike[str]) -> Path:
    """The file a scenario name or path refers to; a :class:`ScenarioError` if none."""
    text = os.fspath(source)
    found = _find(text, None)
    if found is None:
        raise ScenarioError(
            text,
            [f"{text}: no such file, and no bundled scenario of that name ({_bundled_hint()})"],
            heading=f"Cannot find scenario {text}:",
        )
    return found


def load_scenario(
    source: str | os.PathLike[str],
    overrides: Mapping[str, object] | None = None,
    *,
    override_label: str = OVERRIDE_LABEL,
) -> Scenario:
    """Load, merge and validate a scenario; raise :class:`ScenarioError` listing every problem.

    ``overrides`` maps dotted keys to values (``{"policies.epr.enabled": True}``);
    they are applied after ``extends:`` is resolved and validated like file
    values. Problems they cause are reported under ``override_label``.
    """
    path = resolve_source(source)
    label = display_name(path)
    try:
        own, origins = _load_chain(path, (_real(path),))
        own_origins = dict(origins)
        data = apply_overrides(own, overrides or {}, origins, label=override_label)
    except ScenarioError as exc:
        if exc.source == label:
            raise
        raise ScenarioError(label, exc.problems) from None
    # the file's own values must be valid too: an override does not excuse a bad line
    problems = _schema_problems(own, own_origins, label) if overrides else []
    problems += [p for p in _schema_problems(data, origins, label) if p not in problems]
    if problems:
        raise ScenarioError(label, problems)
    scenario = Scenario.model_validate(data)
    overridden = frozenset(str(key) for key in overrides or ())
    problems = [f"{_locate(('uncertainty', path), origins, label)}: uncertainty.{path}: {msg}"
                for path, msg in uncertainty_problems(scenario, overridden)]
    if too_large := scenario.size_problem():
        key = ("population", "households")
        problems.append(f"{_locate(key, origins, label)}: population.{key[1]}: {too_large}")
    if problems:
        raise ScenarioError(label, problems)
    _warn_late_levers(scenario, origins, label)
    return scenario


def _schema_problems(data: Mapping[str, Any], origins: dict[KeyPath, Origin],
                     label: str) -> list[str]:
    """One ``file:line: key: problem`` line per way ``data`` breaks the schema."""
    try:
        Scenario.model_validate(data)
    except ValidationError as exc:
        return [describe_error(error, origins, label) for error in exc.errors(include_url=False)]
    return []


def _warn_late_levers(scenario: Scenario, origins: dict[KeyPath, Origin], label: str) -> None:
    """A lever switched on from a month after the run's last acts never: say so, run on."""
    for lever in LEVERS:
        settings = getattr(scenario.policies, lever)
        if settings.enabled and settings.start_month > scenario.months:
            key = ("policies", lever, "start_month")
            warnings.warn(
                f"{_locate(key, origins, label)}: policies.{lever}.start_month: the lever starts "
                f"in month {settings.start_month}, after the run's last month "
                f"({scenario.months}); it will have no effect", CircsimWarning, stacklevel=3)


def apply_overrides(
    data: Mapping[str, Any],
    overrides: Mapping[str, object],
    origins: dict[KeyPath, Origin] | None = None,
    *,
    label: str = OVERRIDE_LABEL,
) -> dict[str, Any]:
    """Scenario data with dotted-key overrides merged in, as :func:`load_scenario` does.

    Mappings merge key by key; anything else replaces. Retired keys are translated
    (with a warning); ``data`` is not changed. ``origins``, if given, records that
    the overridden keys came from ``label``.
    """
    origins = {} if origins is None else origins
    merged = dict(data)
    for key, value in retire_dotted(overrides, label).items():
        merged = _apply_override(merged, origins, key, value, label)
    return merged


def validate_files(
    paths: Iterable[str | os.PathLike[str]],
) -> list[tuple[str, ScenarioError | None]]:
    """Check several scenarios; one ``(name, error or None)`` pair per input, in order."""
    results: list[tuple[str, ScenarioError | None]] = []
    for path in paths:
        try:
            load_scenario(path)
        except ScenarioError as exc:
            results.append((os.fspath(path), exc))
        else:
            results.append((os.fspath(path), None))
    return results


def display_name(path: Path) -> str:
    """How messages name a file: ``scenarios/x.yaml`` if bundled, else relative if possible."""
    try:
        inside = _real(path).relative_to(scenario_dir())
        return f"scenarios/{inside.as_posix()}"
    except (ValueError, OSError, RuntimeError):
        pass
    if not path.is_absolute():
        return os.path.normpath(path)
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        return str(path)


# -- finding files ------------------------------------------------------------------


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # name too long, embedded NUL byte, ...
        return False


def _bundled(text: str) -> Path | None:
    """The bundled file for a bare name (``baseline`` or ``baseline.yaml``), if any."""
    if not text or Path(text).name != text or text.startswith("."):
        return None
    stem = text
    for suffix in _SUFFIXES:
        stem = stem.removesuffix(suffix)
    candidate = scenario_dir() / f"{stem}.yaml"
    return candidate if _exists(candidate) else None


def _find(text: str, relative_to: Path | None) -> Path | None:
    """A bare name is a bundled scenario first; anything else a path first."""
    bundled = _bundled(text)
    if bundled is not None and not text.endswith(_SUFFIXES):
        return bundled
    path = Path(text)
    with contextlib.suppress(RuntimeError):  # ~user of an unknown user: keep it as written
        path = path.expanduser()
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if text and _exists(path):
        return path
    return bundled


def _bundled_hint() -> str:
    names = bundled_names()
    return "bundled scenarios: " + (", ".join(names) if names else "none")


def _description(path: Path) -> str:
    try:
        text = read_yaml(path, path.name).data.get("description", "")
    except ScenarioError:
        return ""
    return " ".join(text.split()) if isinstance(text, str) else ""


# -- extends and merging --------------------------------------------------------------


def _load_chain(
    path: Path, stack: tuple[Path, ...]
) -> tuple[dict[str, Any], dict[KeyPath, Origin]]:
    """Read ``path`` and everything it extends; return merged data and key origins."""
    label = display_name(path)
    doc = read_yaml(path, label)
    lines = dict(doc.lines)
    data = retire_nested(dict(doc.data), lines, label)
    base: dict[str, Any] = {}
    origins: dict[KeyPath, Origin] = {}
    if "extends" in data:
        target_text = data.pop("extends")
        where = f"{label}:{lines.get(('extends',), '?')}: extends"
        if not isinstance(target_text, str) or not target_text.strip():
            raise ScenarioError(
                label,
                [
                    f"{where}: expected the name of a bundled scenario or a path to a "
                    f"YAML file, got {show_value(target_text)}"
                ],
            )
        target = _find(target_text.strip(), path.parent)
        if target is None:
            raise ScenarioError(
                label,
                [
                    f"{where}: cannot find {target_text!r}: no such file next to {label} "
                    f"and no bundled scenario of that name ({_bundled_hint()})"
                ],
            )
        real = _real(target)
        if real.suffix.lower() not in _SUFFIXES:
            raise ScenarioError(
                label,
                [f"{where}: {target_text!r} is not a scenario: expected a bundled scenario's "
                 "name or a path to a .yaml or .yml file"],
            )
        if real in stack:
            cycle = [display_name(p) for p in (*stack[stack.index(real) :], real)]
            raise ScenarioError(
                label, [f"{where}: scenarios extend each other in a cycle: {' -> '.join(cycle)}"]
            )
        base, origins = _load_chain(target, (*stack, real))
        base = {k: v for k, v in base.items() if k not in OWN_WORDS}
    merged = _merge(base, data, origins, label, lines, ())
    return merged, origins


def _merge(
    base: Mapping[str, Any],
    over: Mapping[str, Any],
    origins: dict[KeyPath, Origin],
    over_file: str,
    over_lines: Mapping[KeyPath, int],
    prefix: KeyPath,
) -> dict[str, Any]:
    """Deep-merge ``over`` onto ``base`` (neither is changed), updating ``origins``.

    Mappings merge key by key; anything else in ``over`` replaces what ``base``
    had, and the origins of everything under a replaced key are dropped.
    """
    merged = dict(base)
    for key, value in over.items():
        path = (*prefix, str(key))
        old = merged.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            merged[key] = _merge(old, value, origins, over_file, over_lines, path)
            if path in over_lines or path not in origins:  # the last file to write it
                origins[path] = (over_file, over_lines.get(path))
            continue
        merged[key] = value
        depth = len(path)
        for stale in [p for p in origins if p[:depth] == path]:
            del origins[stale]
        origins[path] = (over_file, over_lines.get(path))
        for sub, line in over_lines.items():
            if len(sub) > depth and sub[:depth] == path:
                origins[sub] = (over_file, line)
    return merged


def _apply_override(
    data: dict[str, Any],
    origins: dict[KeyPath, Origin],
    key: str,
    value: object,
    label: str,
) -> dict[str, Any]:
    """Set one dotted key (``policies.epr.enabled``), creating sections as needed."""
    parts = tuple(str(key).split("."))
    if not all(part.strip() for part in parts):
        raise ScenarioError(
            label,
            [f"{label}: {key!r}: expected a dotted key such as 'policies.epr.enabled'"],
        )
    nested: object = value
    for part in reversed(parts):
        nested = {part: nested}
    assert isinstance(nested, dict)
    return _merge(data, retire_nested(nested, {}, label), origins, label, {}, ())
