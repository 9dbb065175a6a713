"""Scenario discovery (``circsim discover``): PRIM boxes on a results folder.

The planted-box tests write a results folder by hand (``runs.parquet`` as ``circsim sweep``
writes it) whose outcome meets the target exactly inside a known box of two inputs, and
check that PRIM finds that box and leaves the other inputs alone.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from circsim.analysis.discover import discover, parse_target
from circsim.cli import main
from circsim.scenario import CircsimError

BINS, REACH, NOISE = ("policies.collection.bins_per_10k_residents",
                      "policies.awareness_campaign.reach_share_per_month",
                      "households.awareness_peer_rate")


def planted_folder(folder, n=300, replicates=2, seed=3):
    """A sweep's folder whose waste is low exactly where bins >= 6 and reach >= 0.05."""
    rng = np.random.default_rng(seed)
    bins, reach, noise = rng.uniform(3, 9, n), rng.uniform(0, 0.1, n), rng.uniform(0, 1, n)
    inside = (bins >= 6) & (reach >= 0.05)
    rows = []
    for point in range(n):
        for r in range(replicates):
            waste = (100.0 if inside[point] else 160.0) + rng.normal(0, 3)
            rows.append({"run_id": point * replicates + r, "scenario": "milan_programme",
                         "point": point, "replicate": r, "seed": 7 + r, "version": "0",
                         "months": 48, "scale": 0.005, BINS: bins[point],
                         REACH: reach[point], NOISE: noise[point],
                         "residual_waste_t": waste, "co2e_t": waste * 2})
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_parquet(folder / "runs.parquet")
    return folder, int(inside.sum())


def test_prim_finds_the_planted_box(tmp_path):
    folder, inside = planted_folder(tmp_path / "sweep")
    found = discover(folder, "residual_waste_t", "<= 130")
    assert found.cases == 300 and found.hits == inside        # replicates averaged per point
    box = found.chosen
    assert set(box.limits) == {BINS, REACH}                   # the noise input is left free
    assert box.limits[BINS][0] == pytest.approx(6, abs=0.3)
    assert box.limits[REACH][0] == pytest.approx(0.05, abs=0.005)
    assert box.density >= 0.95 and box.coverage >= 0.9
    assert box.quasi_p[BINS][0] < 0.01 and box.quasi_p[REACH][0] < 0.01   # not chance
    table = found.boxes
    first = table[table["box"] == 1].set_index("parameter")
    assert first.loc[BINS, "upper"] == pytest.approx(first.loc[BINS, "range_upper"])
    assert first.loc[BINS, "n_points"] == box.points


def test_per_run_counts_every_run_and_above_targets_work(tmp_path):
    folder, inside = planted_folder(tmp_path / "sweep", n=200)
    found = discover(folder, "residual_waste_t", ">= 130", per_run=True)
    assert found.cases == 400 and found.hits == 2 * (200 - inside)
    box = found.chosen             # high waste lies outside the planted box: an L, not a box
    assert box.limits and box.density >= found.threshold > found.hits / found.cases


@pytest.mark.parametrize("text", ["< 5", "<=", "== 3", "<= 1,000", "5 <=", "<= five",
                                  "<= 3 4", "=< 3", ""])
def test_a_malformed_target_is_a_clear_error(text):
    with pytest.raises(CircsimError, match=r'--target: expected "<= VALUE" or ">= VALUE"'):
        parse_target(text)


def test_targets_parse_strictly():
    assert (parse_target("<=150000").op, parse_target("<=150000").value) == ("<=", 150000.0)
    assert parse_target("  >= -2.5e-1 ").value == -0.25
    assert str(parse_target(">= 0.9")) == ">= 0.9"


def test_the_command_exits_2_on_a_bad_target_or_an_unknown_metric(tmp_path, capsys):
    folder, _ = planted_folder(tmp_path / "sweep", n=40)
    assert main(["discover", str(folder), "--outcome", "residual_waste_t",
                 "--target", "less than 5"]) == 2
    assert '--target: expected "<= VALUE"' in capsys.readouterr().err
    assert main(["discover", str(folder), "--outcome", "waste",
                 "--target", "<= 5"]) == 2
    err = capsys.readouterr().err
    assert "--outcome: 'waste' is not among the metrics" in err
    assert "available: residual_waste_t, co2e_t" in err
    assert main(["discover", str(folder), "--outcome", "co2e_t", "--target", "<= 5",
                 "--threshold", "1.5"]) == 2
    assert "--threshold" in capsys.readouterr().err


def test_the_command_writes_its_files(tmp_path, capsys):
    folder, _ = planted_folder(tmp_path / "sweep")
    assert main(["discover", str(folder), "--outcome", "residual_waste_t",
                 "--target", "<= 130"]) == 0
    out = folder / "discover_residual_waste_t"
    assert {p.name for p in out.iterdir()} == {"boxes.csv", "peeling.csv", "tradeoff.png",
                                               "discover.md", "discover.json"}
    peeling = pd.read_csv(out / "peeling.csv")
    assert peeling["chosen"].sum() == len(pd.read_csv(out / "boxes.csv")["box"].unique())
    reading = (out / "discover.md").read_text()
    assert "collection: bins per 10k residents \u2265 6" in reading
    assert "Coverage:" in reading and "Density:" in reading
    assert json.loads((out / "discover.json").read_text())["target"] == "<= 130"
    assert "box 1: coverage" in capsys.readouterr().out


def test_the_report_shows_the_boxes_in_english_and_italian(tmp_path):
    from circsim.report.html import build_report

    folder, _ = planted_folder(tmp_path / "sweep", n=120)
    discover(folder, "residual_waste_t", "<= 130").save(folder / "discover_residual_waste_t")
    english = build_report(folder, lang="en").read_text()
    assert "Where a target is met (scenario discovery)" in english
    assert re.search("collection: bins per 10k residents \u2265 (5.9|6)", english)
    assert "Coverage: the share of all the cases" in english
    italian = build_report(folder, lang="it").read_text()
    assert "Dove un obiettivo è raggiunto" in italian and "Copertura" in italian
    assert "Where a target is met" not in build_report(
        planted_folder(tmp_path / "plain", n=40)[0], lang="en").read_text()


def test_discover_on_a_tiny_real_morris_sweep_writes_its_files(tmp_path):
    from circsim.experiments import make_experiment, run_experiment

    exp = make_experiment("test", name="tiny", scenarios=["baseline"], seed=5, months=3,
                          scale=0.002, metrics=["residual_waste_t", "co2e_t"],
                          overrides={"warmup_months": 0, "policies.collection.enabled": True},
                          sensitivity={"method": "morris", "n": 3, "levels": 4, "ranges": {
                              BINS: [3.0, 9.0], "households.life_months.clothing": [30.0,
                                                                                    48.0]}})
    result = run_experiment(exp, tmp_path / "sweep", jobs=1, progress=False)
    waste = result.runs["residual_waste_t"]
    found = discover(tmp_path / "sweep", "residual_waste_t", f"<= {waste.median()}",
                     threshold=0.6)
    assert found.cases == len(result.points(["residual_waste_t"]))
    assert found.hits == int((waste <= waste.median()).sum())
    paths = found.save(tmp_path / "out")
    assert all(p.exists() for p in paths.values())
    assert {"boxes", "peeling", "reading", "summary"} <= set(paths)
    assert "Scenario discovery: Textile waste over the run (t) \u2264" in paths[
        "reading"].read_text()


def test_without_ema_workbench_the_error_says_how_to_install_it(tmp_path, monkeypatch):
    import sys

    for name in ("ema_workbench", "ema_workbench.analysis", "ema_workbench.analysis.prim"):
        monkeypatch.setitem(sys.modules, name, None)      # as if it were not installed
    folder, _ = planted_folder(tmp_path / "sweep", n=30)
    with pytest.raises(CircsimError, match=r"pip install 'circsim\[discover\]'"):
        discover(folder, "residual_waste_t", "<= 130")
