"""End-to-end: the circsim command as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from circsim.cli import main

SUMMARY_KEYS = {
    "residual_waste_t", "residual_waste_kg_per_capita_year",
    "separately_collected_kg_per_capita_year", "mean_service_life_months",
    "mean_owners_per_garment", "second_life_share", "low_income_reach_share",
    "low_income_kg_per_household_year", "collection_rate", "reuse_rate", "recycling_rate",
    "symbiosis_exchanged_t", "co2e_t", "jobs", "new_enterprises", "ledger_imbalance_kg",
    "scenario", "seed", "months", "scale", "version",
}


def test_run_writes_every_output(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["run", "--months", "6", "--scale", "0.002", "--seed", "3", "--out", str(out)])
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary.keys() >= SUMMARY_KEYS
    assert (summary["scenario"], summary["seed"], summary["months"]) == ("baseline", 3, 6)
    assert abs(summary["ledger_imbalance_kg"]) < 1e-3
    monthly = pd.read_parquet(out / "monthly.parquet")
    assert list(monthly["month"]) == list(range(1, 7))
    assert {"scenario", "seed", "version"} <= set(monthly.columns)
    flows = pd.read_csv(out / "flows.csv")
    assert {"month", "source", "route", "destination", "kg"} <= set(flows.columns)
    assert (flows["kg"] >= 0).all()
    png = (out / "run.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    printed = capsys.readouterr().out
    assert "baseline" in printed and "Textile waste per resident" in printed


def test_overlay_scenario_path_runs(tmp_path):
    overlay = tmp_path / "mine.yaml"
    overlay.write_text("name: mine\nextends: baseline\nmonths: 3\nscale: 0.002\n"
                       "policies:\n  repair_subsidy: {enabled: true}\n")
    assert main(["run", str(overlay), "--out", str(tmp_path / "o")]) == 0
    assert json.loads((tmp_path / "o" / "summary.json").read_text())["scenario"] == "mine"


@pytest.mark.parametrize("text, expected", [
    ("name: x\nextends: baseline\npolicies:\n  destuction_ban: {enabled: true}\n",
     "did you mean 'destruction_ban'"),
    ("name: x\nextends: baseline\nmonths: many\n", "months"),
    ("name: x\nextends: nowhere\n", "nowhere"),
    ("name: [x\n", "malformed YAML"),
])
def test_bad_scenarios_exit_2_without_traceback(tmp_path, text, expected):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    proc = subprocess.run([sys.executable, "-m", "circsim.cli", "run", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert expected in proc.stderr
    assert "bad.yaml:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_file_is_a_clear_error(capsys):
    assert main(["validate", "no/such/file.yaml"]) == 2
    assert "no/such/file.yaml" in capsys.readouterr().err


def test_validate_and_list_bundled(capsys):
    assert main(["validate", "baseline", "epr"]) == 0
    assert main(["scenarios"]) == 0
    listed = capsys.readouterr().out
    for name in ("baseline", "epr", "destruction_ban", "landfill_tax", "collection",
                 "awareness_campaign", "repair_subsidy", "symbiosis_platform",
                 "enterprise_support", "milan_programme"):
        assert name in listed


def test_calibration_prints_sources(capsys):
    assert main(["calibration", "--months", "12", "--scale", "0.002", "--replicates", "2"]) == 0
    text = capsys.readouterr().out
    assert "ISPRA" in text and "EEA" in text and "target" in text and "check" in text


def test_calibration_checks_patterns(tmp_path, capsys):
    out = tmp_path / "cal.csv"
    assert main(["calibration", "--months", "12", "--scale", "0.002", "--replicates", "2",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Patterns" in text and "reuse dominates" in text
    patterns = pd.read_csv(tmp_path / "cal_patterns.csv")
    assert set(patterns.columns) >= {"pattern", "holds", "replicates_holding", "source"}
    assert patterns["holds"].all()
