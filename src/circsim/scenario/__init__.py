"""Scenarios: the validated description of a world and its policies, and how to load one.

Names are imported when first used: the errors load without pydantic, so the command
line can catch a :class:`CircsimError` without loading the schema.
"""

from circsim.lazy import lazy_exports

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

__getattr__, __dir__ = lazy_exports(__name__, {
    **dict.fromkeys(("CircsimError", "CircsimWarning", "ScenarioError"), ".errors"),
    **dict.fromkeys(("BundledScenario", "bundled_scenarios", "load_scenario",
                     "resolve_source", "scenario_dir", "validate_files"), ".loader"),
    **dict.fromkeys(("RETIRED", "Retired", "RetiredKeyWarning"), ".retired"),
    **dict.fromkeys(("CATEGORIES", "LEVERS", "Scenario"), ".schema"),
    "parse_scalar": ".yamlio",
})
