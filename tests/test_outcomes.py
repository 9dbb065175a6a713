"""The outcome table is the one declaration of every output, and summaries follow it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from circsim import load_scenario, outcomes, run_scenario
from circsim.calibration import KINDS, PATTERNS, TARGETS, TIME_CHECKS, Target
from circsim.outcomes import OUTCOMES, Outcome, by_name, headline
from circsim.outcomes.describe import describe


@pytest.fixture(scope="module")
def run():
    scenario = load_scenario("baseline", overrides={"scale": 0.002, "months": 14,
                                                    "warmup_months": 2})
    return run_scenario(scenario, seed=5, keep_model=True)


def test_every_aggregate_is_what_its_declaration_says(run):
    records = pd.DataFrame(run.model.records)
    monthly, summary = run.monthly, run.summary
    years = len(monthly) / 12
    for o in OUTCOMES:
        value = summary[o.name]
        if o.aggregate == "sum":
            expected = monthly[o.name].sum()
        elif o.aggregate == "mean":
            expected = monthly[o.name].mean()
        elif o.aggregate == "last":
            expected = monthly[o.name].iloc[-1]
        elif o.aggregate == "ratio":
            num, den = o.hidden_columns()
            expected = records[num].sum() / records[den].sum()
        elif o.aggregate == "per_year":
            expected = monthly[o.of].sum() / years
        elif o.aggregate == "annual":
            expected = monthly[o.of].mean() * 12
        else:
            expected = o.at_end(run.model)
        assert math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12) or (
            math.isnan(value) and math.isnan(expected)), o.name


def test_monthly_ratio_is_its_numerator_over_its_denominator(run):
    records = pd.DataFrame(run.model.records)
    for o in (o for o in OUTCOMES if o.aggregate == "ratio"):
        num, den = o.hidden_columns()
        ok = records[den] > 0
        assert (abs(records.loc[ok, o.name] - records.loc[ok, num] / records.loc[ok, den])
                < 1e-12).all(), o.name


def test_headline_ranks_put_the_three_goals_first():
    top = headline(3)
    assert [o.group for o in top] == ["waste", "life", "low_income"]
    assert all(o.colour for o in top)
    assert all(o.better is not None for o in headline())
    ranks = [o.headline for o in headline()]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


def test_calibration_reads_only_declared_outcomes(run):
    for target in TARGETS:
        assert target.metric in outcomes.BY_NAME, target.metric
    for pattern in PATTERNS:          # each pattern evaluates on the summary alone
        assert isinstance(pattern.holds(run.summary), bool)
    for check in TIME_CHECKS:
        assert check.metric in outcomes.BY_NAME and check.path().is_file()


def test_every_calibration_row_says_what_kind_it_is():
    """Targets, independent checks and input echoes are told apart, each range cited."""
    kinds = {t.kind for t in TARGETS} | {c.kind for c in TIME_CHECKS}
    assert kinds == set(KINDS)
    assert all(t.low <= t.high and len(t.source) > 30 for t in (*TARGETS, *TIME_CHECKS))
    with pytest.raises(ValueError, match="kind"):
        Target("collection_rate", "x", 0, 1, "a source", "tuned")


def test_a_time_check_compares_yearly_means():
    check = TIME_CHECKS[0]
    dates = pd.date_range(f"{check.first_year}-01-01", periods=36, freq="MS")
    monthly = pd.DataFrame({"date": dates, check.metric: [2.0] * 12 + [2.5] * 12 + [3.0] * 12})
    assert check.ratio(monthly) == pytest.approx(3.0 / 2.0)


def test_declarations_reject_mistakes():
    with pytest.raises(ValueError, match="unknown unit"):
        Outcome("x", "furlongs", "waste", "X", "X", "doc", lambda v: 0.0)
    with pytest.raises(ValueError, match="num and den"):
        Outcome("x", "share", "waste", "X", "X", "doc", aggregate="ratio")
    with pytest.raises(ValueError, match="unknown group"):
        Outcome("x", "t", "misc", "X", "X", "doc", lambda v: 0.0)
    with pytest.raises(KeyError):
        by_name("no_such_outcome")


def test_labels_and_units_in_both_languages():
    for o in OUTCOMES:
        assert o.label("en") and o.label("it")
        assert o.label_with_unit("it").startswith(o.it)
    md = describe("md", "it")
    assert all(f"`{o.name}`" in md for o in OUTCOMES)
    assert describe("csv").count("\n") == len(OUTCOMES) + 1
