"""--ensemble: parameter sets assigned to replicates, paired across scenarios, clean errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from circsim.cli import main
from circsim.experiments import comparison_experiment, plan
from circsim.experiments.ensemble import EnsembleError, read_ensemble

QUICK = "warmup_months: 0\nmonths: 3\nscale: 0.002\n"
SETS = {"households.repair_base_share": [0.01, 0.02, 0.03],
        "households.dormant_months.clothing": [30.0, 40.0, 50.0]}


@pytest.fixture
def quick(tmp_path):
    """Two quick scenarios and a three-set ensemble."""
    paths = []
    for name in ("baseline", "collection"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(f"name: {name}\nextends: {name}\n{QUICK}")
        paths.append(str(path))
    ensemble = tmp_path / "ensemble.csv"
    pd.DataFrame({**SETS, "weight": [1.0, 1.0, 1.0]}).to_csv(ensemble, index=False)
    return paths, ensemble


def test_replicate_r_uses_set_r_mod_n_in_every_scenario(quick):
    scenarios, ensemble = quick
    exp = comparison_experiment(scenarios, replicates=5, seed=3, ensemble=ensemble)
    runs = plan(exp)
    assert [r.ensemble_set for r in runs] == [0, 1, 2, 0, 1] * 2
    for r in runs:
        assert r.overrides["households.repair_base_share"] == \
            SETS["households.repair_base_share"][r.replicate % 3]
    by = {(r.scenario, r.replicate): (r.seed, r.ensemble_set) for r in runs}
    for rep in range(5):                  # same set and same stream in every scenario
        assert by[("baseline", rep)] == by[("collection", rep)]
    again = plan(comparison_experiment(scenarios, replicates=5, seed=3, ensemble=ensemble))
    assert [(r.seed, r.overrides) for r in again] == [(r.seed, r.overrides) for r in runs]


def test_compare_with_ensemble_records_the_uncertainty(tmp_path, quick, capsys):
    scenarios, ensemble = quick
    out = tmp_path / "cmp"
    code = main(["compare", *scenarios, "--replicates", "3", "--jobs", "1", "--seed", "2",
                 "--ensemble", str(ensemble), "--out", str(out)])
    assert code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["uncertainty"].startswith("stochastic and parameter (ensemble")
    assert "3 sets" in manifest["uncertainty"]
    runs = pd.read_parquet(out / "runs.parquet")
    assert sorted(runs["ensemble_set"].unique()) == [0, 1, 2]
    assert "ensemble_set" not in set(pd.read_csv(out / "comparison.csv")["metric"])
    assert "combine stochastic and parameter uncertainty" in capsys.readouterr().out
    from circsim.report import write_report

    page = write_report(out).read_text()
    assert "combine stochastic and parameter uncertainty" in page and "--ensemble" in page


@pytest.mark.parametrize("table, expected", [
    ({"households.no_such_key": [1.0]}, "no key 'no_such_key'"),
    ({"households.repair_base_share": [5.0]}, "row 0: households.repair_base_share"),
    ({"households.repair_base_share": ["a lot"]}, "values must be numbers"),
])
def test_bad_ensemble_is_a_clean_error(tmp_path, quick, capsys, table, expected):
    scenarios, _ = quick
    bad = tmp_path / "bad.csv"
    pd.DataFrame(table).to_csv(bad, index=False)
    code = main(["compare", *scenarios, "--replicates", "2", "--jobs", "1",
                 "--ensemble", str(bad), "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err and "Traceback" not in err


def test_missing_ensemble_file(tmp_path):
    with pytest.raises(EnsembleError, match="no such file"):
        read_ensemble(tmp_path / "none.csv")
