"""docs/ODD.md cannot drift from the code: every agent type, lever and metric is named in
it, and its process overview follows the order of the calls in ``TextileEconomy.step``."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import circsim.agents
from circsim import load_scenario, run_scenario
from circsim.model import TextileEconomy
from circsim.scenario.schema import LEVERS

ODD = (Path(__file__).parents[1] / "docs" / "ODD.md").read_text()


def named(name: str) -> bool:
    return f"`{name}`" in ODD or re.search(rf"`[^`]*\b{re.escape(name)}\b[^`]*`", ODD) is not None


@pytest.mark.parametrize("agent", circsim.agents.__all__)
def test_every_agent_type_is_described(agent):
    assert named(agent)


@pytest.mark.parametrize("lever", LEVERS)
def test_every_lever_is_described(lever):
    assert named(lever)


def test_every_metric_is_described():
    result = run_scenario(load_scenario("baseline", overrides={
        "scale": 0.001, "months": 2, "warmup_months": 0}))
    missing = [m for m in [*result.monthly.columns, *result.summary] if not named(m)]
    assert missing == []


def test_process_overview_follows_the_step():
    """The calls in step(), in order, appear in section 3 in the same order."""
    section = ODD[ODD.index("## 3. Process overview"):ODD.index("## 4. Design concepts")]
    source = inspect.getsource(TextileEconomy.step)
    calls = re.findall(r'\.shuffle_do\("(\w+)"|\.(\w+)\(', source)
    names = [a or b for a, b in calls]
    steps = [n for n in names if n not in {"shuffle_do", "append", "monthly", "held_by_node",
                                           "conditions_at"}]
    assert len(steps) >= 12
    positions = []
    for name in steps:
        assert name in section, f"{name} is called in step() but not in ODD section 3"
        positions.append(section.index(name, positions[-1] if positions else 0))
    assert positions == sorted(positions)
