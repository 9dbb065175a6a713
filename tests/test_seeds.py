"""One seed rule for every command: calibration's replicates are compare's replicates."""

from __future__ import annotations

import pytest

from circsim.cli import main
from circsim.experiments import comparison_experiment, plan, run_seed
from circsim.scenario import CircsimError
from circsim.seeds import replicate_seeds


def test_replicate_seeds_are_the_experiments_common_random_numbers():
    exp = comparison_experiment(["baseline"], replicates=4, seed=42)
    assert [r.seed for r in plan(exp)] == replicate_seeds(42, 4)
    assert replicate_seeds(42, 2) == [run_seed(42, (0,)), run_seed(42, (1,))]
    assert replicate_seeds(42, 2) != [42, 43]


def test_calibration_seeds_its_replicates_by_the_rule(monkeypatch, capsys):
    seen: list[list[int]] = []

    def capture(scenario, seeds, months=None):
        seen.append(list(seeds))
        raise CircsimError("stopped after the seeds were chosen")

    monkeypatch.setattr("circsim.calibration.validation_report", capture)
    assert main(["calibration", "--seed", "7", "--replicates", "3"]) == 2
    assert seen == [replicate_seeds(7, 3)]
    assert "stopped after" in capsys.readouterr().err


@pytest.mark.parametrize("replicates", [0, 1])
def test_few_replicates(replicates):
    assert len(replicate_seeds(5, replicates)) == replicates
