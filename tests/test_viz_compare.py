"""Saved lever settings round-trip through a scenario file; B follows A on the same seed."""

from __future__ import annotations

import subprocess
import sys

from circsim.scenario import load_scenario
from circsim.viz.compare_view import SideB
from circsim.viz.persist import levers_of, levers_yaml, load_levers_text
from circsim.viz.session import DemoRun


def test_saved_levers_validate_and_load_back_the_same(tmp_path) -> None:
    run = DemoRun("baseline")
    run.set_lever("collection", "enabled", True)
    run.set_lever("collection", "bins_per_10k_residents", 6.5)
    run.set_lever("epr", "end_month", 30)
    text = levers_yaml(run.source, run.levers, run.seed, "mine", "test")
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    done = subprocess.run([sys.executable, "-m", "circsim.cli", "validate", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert levers_of(load_scenario(path)) == run.levers
    assert levers_of(load_levers_text(text, "mine.yaml")) == run.levers
    other = DemoRun("baseline")
    other.load_levers(levers_of(load_scenario(path)))
    assert other.levers == run.levers and other.month == 0


def test_side_b_follows_a_on_the_same_seed() -> None:
    a = DemoRun("baseline")
    side = SideB(a, levers_of(load_scenario("collection")), "collection")
    for _ in range(3):
        a.step()
    side.follow(a)
    assert side.run.month == 3 and side.run.seed == a.seed
    assert side.run.levers["collection"]["enabled"] and not a.levers["collection"]["enabled"]
    assert a.records()[0]["month"] == side.run.records()[0]["month"]
    a.reset()
    side.follow(a)
    assert side.run.month == 0
