"""circsim: an agent-based simulation of a circular textile economy (Metropolitan City of Milan).

The public API in a few names::

    from circsim import load_scenario, TextileEconomy, run_scenario
    result = run_scenario(load_scenario("baseline"), seed=1, months=24)
    result.monthly      # pandas DataFrame, one row per month

The names are imported on first use, so ``import circsim`` and ``circsim --help`` stay
fast: the model, Mesa and pandas load only when a run needs them.
"""

from circsim.lazy import lazy_exports

__all__ = ["CircsimError", "RunResult", "Scenario", "ScenarioError", "TextileEconomy",
           "__version__", "load_scenario", "run_scenario"]

_public, __dir__ = lazy_exports(__name__, {
    "TextileEconomy": "circsim.model",
    "RunResult": "circsim.run",
    "run_scenario": "circsim.run",
    "CircsimError": "circsim.scenario",
    "Scenario": "circsim.scenario",
    "ScenarioError": "circsim.scenario",
    "load_scenario": "circsim.scenario",
})


def _version() -> str:
    """The installed distribution's version (reading package metadata takes a tenth of a
    second, so only when asked for)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("circsim")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+unknown"


def __getattr__(name: str):
    if name == "__version__":
        globals()["__version__"] = value = _version()
        return value
    return _public(name)
