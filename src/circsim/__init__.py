"""circsim: an agent-based simulation of a circular textile economy (Metropolitan City of Milan).

The public API in a few names::

    from circsim import load_scenario, TextileEconomy, run_scenario
    result = run_scenario(load_scenario("baseline"), seed=1, months=24)
    result.monthly      # pandas DataFrame, one row per month
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("circsim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

from circsim.model import TextileEconomy  # noqa: E402
from circsim.run import RunResult, run_scenario  # noqa: E402
from circsim.scenario import CircsimError, Scenario, ScenarioError, load_scenario  # noqa: E402

__all__ = ["CircsimError", "RunResult", "Scenario", "ScenarioError", "TextileEconomy",
           "__version__", "load_scenario", "run_scenario"]
