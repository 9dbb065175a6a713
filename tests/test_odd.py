"""docs/ODD.md cannot drift from the code: every agent type, lever and metric is named in
it, and its process overview follows the order of the calls in ``TextileEconomy.step``."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import circsim.agents
from circsim import load_scenario, outcomes, run_scenario
from circsim.model import TextileEconomy
from circsim.run import IDENTITY
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


def test_every_output_is_a_declared_outcome():
    """Every monthly column and summary number comes from the outcome table, with a meaning."""
    result = run_scenario(load_scenario("baseline", overrides={
        "scale": 0.001, "months": 2, "warmup_months": 0}))
    declared = set(outcomes.monthly_names()) | set(outcomes.summary_names())
    run_info = {"scenario", "seed", "months", "scale", "version", "households", "residents",
                "runtime_s"}
    assert set(result.monthly.columns) == {*outcomes.monthly_names(), *IDENTITY, "date"}
    assert set(result.summary) - run_info == set(outcomes.summary_names())
    assert all(o.doc and o.en and o.it for o in outcomes.OUTCOMES)
    assert declared


def test_odd_metrics_section_names_only_declared_outcomes_in_rank_order():
    section = ODD[ODD.index("## 8. Metrics"):]
    names = re.findall(r"`([a-z][a-z0-9_]*)`", section)
    known = set(outcomes.monthly_names()) | set(outcomes.summary_names()) | {
        "scenario", "seed", "months", "scale", "version", "runtime_s"}
    assert [n for n in names if n not in known] == []
    ranks = [outcomes.by_name(n).headline for n in names
             if n in outcomes.BY_NAME and outcomes.by_name(n).headline is not None]
    assert ranks == sorted(ranks) and len(ranks) >= 3
    assert "circsim outcomes" in section


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
