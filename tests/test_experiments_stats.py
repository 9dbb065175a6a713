"""Statistics of experiments against hand computations: t intervals and paired differences."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from circsim.experiments.stats import compare, summarize_groups, t_interval

# Student's t quantiles t(0.975, df) from the printed tables: df 2 -> 4.303, df 4 -> 2.776
T_975_DF2, T_975_DF4 = 4.302653, 2.776445


def test_t_interval_matches_a_hand_computation():
    n, mean, sd, half = t_interval([1.0, 2.0, 3.0, 4.0, 5.0])
    assert (n, mean) == (5, 3.0)
    assert sd == pytest.approx(math.sqrt(2.5))                # sample sd (n - 1)
    assert half == pytest.approx(T_975_DF4 * math.sqrt(2.5) / math.sqrt(5), rel=1e-6)
    assert half == pytest.approx(1.963243, rel=1e-6)


def test_t_interval_edge_cases():
    assert t_interval([])[0] == 0
    n, mean, sd, half = t_interval([2.0, float("nan")])
    assert (n, mean) == (1, 2.0) and math.isnan(sd) and math.isnan(half)
    assert t_interval([4.0, 4.0, 4.0])[1:] == (4.0, 0.0, 0.0)


def runs_frame() -> pd.DataFrame:
    rows = []
    for s, values in enumerate(([10.0, 12.0, 14.0], [11.0, 14.0, 15.0])):
        for r, v in enumerate(values):
            rows.append({"run_id": s * 3 + r, "scenario": ["ref", "policy"][s], "point": 0,
                         "replicate": r, "seed": r, "waste_t": v, "jobs": 5.0 + s})
    return pd.DataFrame(rows)


def test_paired_difference_against_the_reference():
    table = compare(runs_frame(), ["waste_t", "jobs"]).set_index(["scenario", "metric"])
    ref = table.loc[("ref", "waste_t")]
    assert ref["mean"] == 12.0 and math.isnan(ref["diff"])
    assert ref["ci_high"] - 12.0 == pytest.approx(T_975_DF2 * 2.0 / math.sqrt(3), rel=1e-6)
    row = table.loc[("policy", "waste_t")]
    # differences by replicate: 1, 2, 1 -> mean 4/3, sd sqrt(1/3), half = t * sd / sqrt(3)
    half = T_975_DF2 * math.sqrt(1 / 3) / math.sqrt(3)
    assert row["n_pairs"] == 3
    assert row["diff"] == pytest.approx(4 / 3)
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx(
        (4 / 3 - half, 4 / 3 + half), rel=1e-6)
    assert row["pct_change"] == pytest.approx(100 * (4 / 3) / 12)
    assert row["pct_ci_low"] == pytest.approx(100 * (4 / 3 - half) / 12, rel=1e-6)
    # pairing removes the common spread: the paired interval is narrower than either mean's
    assert row["diff_ci_high"] - row["diff_ci_low"] < row["ci_high"] - row["ci_low"]
    jobs = table.loc[("policy", "jobs")]
    assert (jobs["diff"], jobs["diff_ci_low"], jobs["diff_ci_high"]) == (1.0, 1.0, 1.0)
    assert jobs["pct_change"] == pytest.approx(20.0)


def test_pairs_only_replicates_present_in_both():
    frame = runs_frame()
    frame = frame[frame["run_id"] != 4]            # policy replicate 1 failed
    row = compare(frame, ["waste_t"]).set_index("scenario").loc["policy"]
    assert row["n"] == 2 and row["n_pairs"] == 2
    assert row["diff"] == pytest.approx(1.0)        # replicates 0 and 2: 11-10, 15-14


def test_reference_can_be_named_and_must_exist():
    table = compare(runs_frame(), ["waste_t"], reference="policy").set_index("scenario")
    assert table.loc["ref", "diff"] == pytest.approx(-4 / 3)
    with pytest.raises(ValueError, match="nowhere"):
        compare(runs_frame(), ["waste_t"], reference="nowhere")


def test_summarize_groups_agrees_with_t_interval():
    frame = runs_frame()
    table = summarize_groups(frame, ["scenario"], ["waste_t"]).set_index("scenario")
    n, mean, sd, half = t_interval([11.0, 14.0, 15.0])
    row = table.loc["policy"]
    assert (row["n"], row["mean"], row["sd"]) == pytest.approx((n, mean, sd))
    assert row["ci_high"] == pytest.approx(mean + half)
    assert list(table.index) == ["policy", "ref"]
