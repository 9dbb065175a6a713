"""circsim fit: history-matching arithmetic, and a toy fit that writes its files and resumes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from circsim.analysis.history import Observed, choose_parameters, implausibility, refocus

TARGET = Observed("y", 10.0, 14.0)          # z = 12, V_obs = 1


def test_implausibility_counts_observation_and_stochastic_variance():
    runs = pd.DataFrame({"ensemble_set": [0, 0, 1, 1], "y": [12.0, 12.0, 17.0, 19.0]})
    table = implausibility(runs, [TARGET])
    # pooled replicate variance (0 + 2) / 2 = 1; R = 2: spread 1 + 1 + 0.5
    assert table.loc[0, "I_max"] == pytest.approx(0.0)
    assert table.loc[1, "I_max"] == pytest.approx(6.0 / np.sqrt(2.5))


def test_refocus_keeps_the_box_of_the_sets_not_ruled_out():
    sets = pd.DataFrame({"a": [0.1, 0.5, 0.9], "b": [1.0, 5.0, 9.0]})
    box, note = refocus(sets, pd.Series([1.0, 2.0, 9.0]), {"a": [0, 1], "b": [0, 10]})
    assert box["a"] == pytest.approx([0.0, 0.6]) and box["b"] == pytest.approx([0.0, 6.0])
    assert note.startswith("2 of 3 sets")
    _, none = refocus(sets, pd.Series([5.0, 4.0, 9.0]), {"a": [0, 1], "b": [0, 10]})
    assert "least implausible" in none


def test_choose_parameters_takes_the_strongest_on_each_target_up_to_the_limit():
    other = Observed("z", 0.0, 1.0)
    screening = pd.DataFrame({
        "metric": ["y"] * 3 + ["z"] * 3,
        "parameter": ["p", "q", "r"] * 2,
        "mu_star": [8.0, 2.0, 0.01, 0.0, 0.1, 0.9]})
    chosen, why = choose_parameters(screening, [TARGET, other], limit=8)
    assert chosen == ["p", "r", "q"]                      # p best on y, r best on z, then q
    assert why["r"].startswith("rank 1 on z")
    assert choose_parameters(screening, [TARGET, other], limit=1)[0] == ["p"]


@pytest.fixture
def toy(tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text("name: toy\nextends: baseline\nwarmup_months: 0\nmonths: 3\nscale: 0.002\n")
    return str(path)


TOY = {"jobs": 1, "progress": False, "scale": 0.002, "months": 2, "waves": 2,
       "sets_per_wave": 2, "replicates": 2,
       "parameters": ["households.repair_base_share", "households.dormant_months.clothing"],
       # a toy of two months without spin-up cannot meet every target: a wide cutoff lets
       # it accept sets, which is what is tested here
       "cutoff": 1000.0}


def test_toy_fit_accepts_sets_writes_files_and_resumes(tmp_path, toy, monkeypatch):
    from circsim.analysis import fit as fit_mod

    out = tmp_path / "fit"
    result = fit_mod.fit(toy, out, **TOY)
    assert {"ensemble.csv", "fit.json", "fit.png", "sets.csv"} <= {p.name for p in out.iterdir()}
    ensemble = pd.read_csv(out / "ensemble.csv")
    assert list(ensemble.columns) == TOY["parameters"] and len(ensemble) == 4
    info = json.loads((out / "fit.json").read_text())
    assert info["accepted"] == 4 and len(info["targets"]) == 5 and len(info["checks"]) == 3
    for row in info["targets"]:
        assert set(row) >= {"observed", "mean", "range95", "inside"}
    low, high = info["parameter_ranges"]["households.repair_base_share"]["posterior"]
    assert 0.005 <= low <= high <= 0.03
    assert result.parameters == TOY["parameters"]

    def no_runs(*args, **kwargs):
        raise AssertionError("a finished run was run again")

    monkeypatch.setattr("circsim.experiments.runner.execute", no_runs)
    again = fit_mod.fit(toy, out, resume=True, **TOY)
    assert again.info["accepted"] == 4
    assert again.ensemble.equals(result.ensemble)


def test_fit_without_resume_refuses_a_folder_with_runs(tmp_path, toy):
    from circsim.analysis.fit import fit
    from circsim.scenario import CircsimError

    options = {**TOY, "waves": 1, "replicates": 1}
    fit(toy, tmp_path / "f", **options)
    with pytest.raises(CircsimError, match="--resume"):
        fit(toy, tmp_path / "f", **options)
