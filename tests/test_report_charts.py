"""Tests of the run report: the one-page PNG and the plain-text summary and tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from circsim.report import format_summary, format_table, plot_run

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

COLUMNS = (
    "incinerated_t", "landfilled_t", "exported_reuse_t", "exported_waste_t",
    "recycled_out_t", "recycled_fibre_to_firms_t", "secondhand_bought_t", "free_given_t",
    "repaired_t", "residual_waste_t", "residual_waste_kg_per_capita_year",
    "mean_service_life_months", "mean_owners_per_garment", "second_life_share",
    "low_income_reach_share", "low_income_kg_per_household_year", "collection_rate",
    "reuse_rate", "recycling_rate", "separately_collected_kg_per_capita_year",
    "symbiosis_exchanged_t", "co2e_t", "jobs", "awareness_mean",
)


def synthetic_monthly(months: int = 24, seed: int = 0, level: float = 1.0) -> pd.DataFrame:
    """A plausible monthly frame: positive flows, shares in [0, 1], gentle trends."""
    rng = np.random.default_rng(seed)
    month = np.arange(1, months + 1)
    trend = np.linspace(0.0, 1.0, months)
    data: dict[str, np.ndarray] = {
        "month": month,
        "year": 2026.0 + (month - 1) / 12.0,
    }
    for i, col in enumerate(COLUMNS):
        base = 50.0 + 40.0 * i
        data[col] = level * base * (1 + 0.2 * trend) * rng.uniform(0.9, 1.1, months)
    for col in ("second_life_share", "low_income_reach_share", "collection_rate",
                "reuse_rate", "recycling_rate", "awareness_mean"):
        data[col] = np.clip(0.1 + 0.3 * trend * level + rng.uniform(0, 0.05, months), 0, 1)
    data["residual_waste_kg_per_capita_year"] = level * (14.0 - 3.0 * trend)
    data["mean_service_life_months"] = 30.0 + 6.0 * trend * level
    return pd.DataFrame(data)


def synthetic_summary(**overrides: object) -> dict[str, object]:
    """A summary dict with every key the report reads."""
    summary: dict[str, object] = {
        "scenario": "reuse_hubs", "seed": 7, "months": 24, "scale": 0.01,
        "version": "0.1.0", "residual_waste_t": 45_678.9,
        "residual_waste_kg_per_capita_year": 90.0,
        "separately_collected_kg_per_capita_year": 4.2, "mean_service_life_months": 33.3,
        "mean_owners_per_garment": 1.27, "second_life_share": 0.214,
        "low_income_reach_share": 0.356, "low_income_kg_per_household_year": 6.5,
        "collection_rate": 0.18, "reuse_rate": 0.09, "recycling_rate": 0.04,
        "symbiosis_exchanged_t": 1_234.5, "co2e_t": 987_654.3, "jobs": 1520,
        "new_enterprises": 12, "ledger_imbalance_kg": 3e-9, "runtime_s": 12.3,
    }
    summary.update(overrides)
    return summary


def assert_png(path) -> None:
    """The file is a PNG of a real page, not an empty canvas."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 20_000


# ---------------------------------------------------------------- chart


def test_plot_run_writes_png(tmp_path):
    out = plot_run(synthetic_monthly(), synthetic_summary(), tmp_path / "run.png")
    assert out == tmp_path / "run.png"
    assert_png(out)


def test_plot_run_with_baseline_and_str_path(tmp_path):
    target = tmp_path / "sub" / "run.png"
    out = plot_run(synthetic_monthly(), synthetic_summary(), str(target),
                   baseline=synthetic_monthly(seed=1, level=1.2))
    assert out == target
    assert_png(out)


def test_plot_run_single_month_with_nans(tmp_path):
    monthly = synthetic_monthly(months=1)
    monthly["mean_service_life_months"] = np.nan
    monthly["second_life_share"] = np.nan
    monthly["incinerated_t"] = np.nan
    summary = synthetic_summary(months=1, mean_service_life_months=float("nan"))
    out = plot_run(monthly, summary, tmp_path / "one.png", baseline=synthetic_monthly(1))
    assert_png(out)


def test_plot_run_works_after_pyplot_import(tmp_path):
    pytest.importorskip("matplotlib.pyplot")
    out = plot_run(synthetic_monthly(6), synthetic_summary(), tmp_path / "p.png")
    assert_png(out)


# ---------------------------------------------------------------- text


def test_format_summary_sections_and_numbers():
    text = format_summary(synthetic_summary())
    assert "reuse_hubs" in text
    for heading in ("Waste", "Product life", "Low-income households", "Climate"):
        assert heading in text.splitlines()
    assert "45,678.9 t" in text
    assert "987,654.3" in text
    assert "35.6 %" in text  # low-income reach share as a percentage
    assert "vs baseline" not in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_format_summary_change_vs_baseline():
    summary = synthetic_summary(residual_waste_kg_per_capita_year=90.0, jobs=1520)
    baseline = synthetic_summary(residual_waste_kg_per_capita_year=100.0, jobs=0)
    text = format_summary(summary, baseline)
    waste_line = next(ln for ln in text.splitlines() if "waste per resident" in ln)
    assert "(-10.0 % vs baseline)" in waste_line
    jobs_line = next(ln for ln in text.splitlines() if ln.strip().startswith("Jobs"))
    assert "vs baseline" not in jobs_line  # baseline 0: no change shown
    assert "(+0.0 % vs baseline)" in text  # identical values elsewhere
    assert all(len(line) <= 80 for line in text.splitlines())


def test_format_summary_tolerates_missing_and_nan():
    text = format_summary({"scenario": "bare", "co2e_t": float("nan")})
    assert "bare" in text
    assert "n/a" in text


def test_format_table_aligns_columns():
    rows = [
        {"scenario": "baseline", "co2e_t": 1234567.891, "jobs": 12},
        {"scenario": "reuse_hubs_everywhere", "co2e_t": 3.5, "jobs": 1520},
        {"scenario": "x", "jobs": None},
    ]
    table = format_table(rows, ["scenario", "co2e_t", "jobs"])
    lines = table.splitlines()
    assert len(lines) == 2 + len(rows)
    assert len({len(line) for line in lines}) == 1
    assert "1,234,567.89" in table
    assert "1,520" in table
    # numbers are right-aligned: the last digits share a column
    assert lines[2].endswith("12") and lines[3].endswith("1,520")


def test_plot_run_has_one_axis_per_panel_from_zero(tmp_path, monkeypatch):
    """No twin y-axes; every headline panel's y axis starts at zero."""
    from matplotlib.figure import Figure

    saved: list[Figure] = []
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: saved.append(self))
    plot_run(synthetic_monthly(), synthetic_summary(), tmp_path / "run.png",
             baseline=synthetic_monthly(seed=1, level=1.2))
    fig = saved[0]
    panels = [ax for ax in fig.axes if ax.get_title(loc="left") in
              ("Waste reduction", "Product life extension",
               "Help reaching low-income households")]
    assert len(panels) == 3 and len(fig.axes) == 5     # fates, summary box, three goals
    assert all(ax.get_ylim()[0] == 0 for ax in panels)
