"""Scenarios: the validated description of a world and its policies, and how to load one."""

from .errors import CircsimError, CircsimWarning, ScenarioError
from .loader import (
    BundledScenario,
    bundled_scenarios,
    load_scenario,
    resolve_source,
    scenario_dir,
    validate_files,
)
from .retired import RETIRED, Retired, RetiredKeyWarning
from .schema import CATEGORIES, LEVERS, Scenario
from .yamlio import parse_scalar

__all__ = [
    "CATEGORIES",
    "LEVERS",
    "RETIRED",
    "BundledScenario",
    "CircsimError",
    "CircsimWarning",
    "Retired",
    "RetiredKeyWarning",
    "Scenario",
    "ScenarioError",
    "bundled_scenarios",
    "load_scenario",
    "parse_scalar",
    "resolve_source",
    "scenario_dir",
    "validate_files",
]
