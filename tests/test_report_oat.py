"""One-at-a-time responses read from one-parameter sweeps: table, checks and figure."""

from __future__ import annotations

import pandas as pd
import pytest

from circsim.report.oat import load_runs, markdown_table, oat_figure, oat_table, rough_spots
from circsim.scenario import CircsimError


def _sweep(folder, param, levels, values):
    """A fake sweep folder: two replicates per level, ``values[level]`` each."""
    (folder / "parts").mkdir(parents=True)
    for k, (level, (a, b)) in enumerate(zip(levels, values, strict=True)):
        pd.DataFrame({"run_id": [2 * k, 2 * k + 1], "point": k, "replicate": [0, 1],
                      param: level, "symbiosis_links": [a, b]}).to_parquet(
            folder / "parts" / f"run-{k:06d}.parquet")
    return folder


def test_table_means_each_level_and_names_the_parameter(tmp_path):
    f = _sweep(tmp_path / "a", "exchange.trust_gain_per_month", [0.02, 0.05, 0.1],
               [(1, 3), (4, 4), (6, 8)])
    assert load_runs(f)[0] == "exchange.trust_gain_per_month"
    t = oat_table([f], ["symbiosis_links"])
    assert t["mean"].tolist() == [2.0, 4.0, 7.0] and t["max"].tolist() == [3, 4, 8]
    assert rough_spots(t) == []
    assert "| exchange.trust_gain_per_month | 0.05 | 4 |" in markdown_table(t)
    assert len(oat_figure(t).axes) >= 1


def test_a_collapse_and_a_reversal_are_flagged(tmp_path):
    down = _sweep(tmp_path / "d", "firms.disposal_fee_eur_per_t", [100, 125, 150],
                  [(5, 5), (0, 0), (5, 5)])
    spots = rough_spots(oat_table([down], ["symbiosis_links"]))
    assert any("zero" in s for s in spots) and any("turns back" in s for s in spots)


def test_a_sweep_of_two_parameters_is_refused(tmp_path):
    f = _sweep(tmp_path / "b", "a.b", [1, 2], [(1, 1), (2, 2)])
    df = pd.read_parquet(f / "parts" / "run-000000.parquet").assign(**{"c.d": 1})
    df.to_parquet(f / "parts" / "run-000000.parquet")
    with pytest.raises(CircsimError, match="one varied parameter"):
        load_runs(f)


def test_folders_without_runs_or_the_metric_are_clear_errors(tmp_path):
    with pytest.raises(CircsimError, match="no runs here"):
        load_runs(tmp_path / "missing")
    f = _sweep(tmp_path / "c", "a.b", [1, 2], [(1, 1), (2, 2)])
    with pytest.raises(CircsimError, match="no symbiosis_nothing_t in these runs"):
        oat_table([f], ["symbiosis_nothing_t"])
