"""circsim compare and circsim sweep as a user runs them."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from circsim.cli import main

QUICK = "warmup_months: 0\nmonths: 6\nscale: 0.002\n"


@pytest.fixture
def quick_scenarios(tmp_path):
    """The baseline and two policies without spin-up, so that each run takes a blink."""
    paths = []
    for name in ("baseline", "collection", "awareness_campaign"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(f"name: {name}\nextends: {name}\n{QUICK}")
        paths.append(str(path))
    return paths


def test_compare_writes_runs_table_and_figures(tmp_path, quick_scenarios, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", *quick_scenarios, "--replicates", "3", "--jobs", "2",
                 "--seed", "4", "--out", str(out)])
    assert code == 0
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 9
    assert {"scenario", "replicate", "seed", "residual_waste_t", "co2e_t", "jobs",
            "collection_rate", "ledger_imbalance_kg"} <= set(runs.columns)
    assert runs.groupby("replicate")["seed"].nunique().eq(1).all()   # common random numbers
    table = pd.read_csv(out / "comparison.csv")
    assert {"mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high",
            "pct_change"} <= set(table.columns)
    row = table.set_index(["scenario", "metric"]).loc[("collection", "collection_rate")]
    assert row["diff_ci_low"] > 0 and row["pct_change"] > 5        # more bins, more collected
    for png in ("comparison.png", "timeseries.png"):
        assert (out / png).read_bytes()[:4] == b"\x89PNG"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"]["common_random_numbers"] is True
    assert len(manifest["seeds"]["runs"]) == 9
    assert manifest["dependencies"]["mesa"].startswith("3.3")
    assert all(len(f["sha256"]) == 64 for f in manifest["scenario_files"])
    printed = capsys.readouterr().out
    assert "Collection rate" in printed and "change against baseline" in printed
    assert "[+" in printed          # a paired CI of a % change


def test_compare_needs_two_scenarios_and_valid_options(capsys):
    assert main(["compare", "baseline"]) == 2
    assert "at least two" in capsys.readouterr().err
    assert main(["compare", "baseline", "epr", "--replicates", "0"]) == 2
    assert "replicates" in capsys.readouterr().err
    assert main(["compare", "baseline", "nowhere"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_sweep_with_a_failing_point_exits_1_and_says_how_many(tmp_path, capsys):
    exp = tmp_path / "e.yaml"
    exp.write_text("name: e\nscenario: baseline\nreplicates: 2\nmonths: 4\nscale: 0.002\n"
                   "overrides: {warmup_months: 0}\n"
                   "grid:\n  firms.unsold_share: [0.21, 0.3, 0.95]\n")
    out = tmp_path / "o"
    assert main(["sweep", str(exp), "--jobs", "2", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "2 of 6 runs failed" in err and "firms.unsold_share" in err
    assert len(pd.read_parquet(out / "runs.parquet")) == 4
    assert len(pd.read_csv(out / "failures.csv")) == 2
    assert (out / "points.csv").exists() and (out / "sweep.png").exists()


def test_sensitivity_sweep_prints_and_writes_indices(tmp_path, capsys):
    exp = tmp_path / "s.yaml"
    exp.write_text("name: s\nscenario: baseline\nseed: 2\nmonths: 3\nscale: 0.002\n"
                   "overrides: {warmup_months: 0}\nmetrics: [co2e_t, residual_waste_t]\n"
                   "sensitivity:\n  method: sobol\n  n: 8\n  ranges:\n"
                   "    climate.production_kg_per_kg: [12, 18]\n"
                   "    firms.unsold_share: [0.21, 0.3]\n")
    out = tmp_path / "o"
    assert main(["sweep", str(exp), "--jobs", "2", "--out", str(out)]) == 0
    table = pd.read_csv(out / "sensitivity.csv")
    assert len(table) == 2 * 2 and {"S1", "S1_conf", "ST", "ST_conf"} <= set(table.columns)
    co2 = table[table["metric"] == "co2e_t"].set_index("parameter")
    # an emission factor only moves emissions; the unsold share also moves waste
    assert co2.loc["climate.production_kg_per_kg", "ST"] > 0.1
    waste = table[table["metric"] == "residual_waste_t"].set_index("parameter")
    assert waste.loc["climate.production_kg_per_kg", "ST"] == pytest.approx(0, abs=1e-9)
    assert (out / "sensitivity.png").exists()
    assert "Sobol indices" in capsys.readouterr().out


def test_bad_experiment_file_exits_2_with_the_line(tmp_path, capsys):
    exp = tmp_path / "bad.yaml"
    exp.write_text("name: bad\nscenario: baseline\ngrid:\n  policies.colection.enabled: [true]\n")
    assert main(["sweep", str(exp)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:4: grid.policies.colection.enabled" in err
    assert "did you mean 'collection'?" in err
    assert "Traceback" not in err


def test_points_of_single_replicates_print_without_intervals():
    from circsim.experiments.cli import format_points

    points = pd.DataFrame({"scenario": "s", "point": [0, 1], "policies.x.y": [1.0, 2.0],
                           "metric": "co2e_t", "n": 1, "mean": [5.0, 7.0], "sd": float("nan"),
                           "ci_low": float("nan"), "ci_high": float("nan")})
    text = format_points(points, ["policies.x.y"])      # one replicate: no interval to show
    assert "CI undefined with 1 replicate" in text
    rows = text.splitlines()[-2:]
    assert rows[0].endswith("5.000") and rows[1].endswith("7.000") and "±" not in "".join(rows)
