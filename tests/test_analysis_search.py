"""Lever-package search: the spec's errors, the Pareto filter, seeds, resume, constraints.

The optimiser tests replace the model runs by a cheap synthetic outcome of the levers and
the run's seed (so they take a second); one test runs the real model at a tiny size.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("optuna")

import circsim.analysis.search as search_mod  # noqa: E402
from circsim.analysis.pareto import pareto_mask, pick_packages  # noqa: E402
from circsim.analysis.search import mark_front, search  # noqa: E402
from circsim.analysis.search_spec import load_search  # noqa: E402
from circsim.experiments import ExperimentError  # noqa: E402
from circsim.experiments.store import Outcome  # noqa: E402
from circsim.scenario import CircsimError  # noqa: E402

SPEC = """\
name: tiny_search
scenarios: [milan_programme]
replicates: 2
seed: 7
months: 2
scale: 0.001
search:
  levers:
    policies.collection.bins_per_10k_residents: [3, 9]
    policies.repair_subsidy.eur_per_repair: [0, 30]
  objectives:
    residual_waste_t: min
    net_public_cost_eur: min
  constraints:
    - net_public_cost_eur <= {budget}
  population: 4
  generations: 3
"""
BUNDLED = Path(__file__).parents[1] / "src" / "circsim" / "data" / "experiments"


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def fake_execute(calls: list[int], stop_after: int | None = None):
    """A stand-in for the runner: waste falls and cost rises with the levers, plus noise
    drawn from the run's seed (so common random numbers and seeds matter)."""

    def execute_all(todo, write_outcome, jobs, *args, **kwargs):
        for spec in todo:
            if stop_after is not None and len(calls) >= stop_after:
                raise KeyboardInterrupt
            levers = dict(spec.params)
            bins = levers["policies.collection.bins_per_10k_residents"]
            repair = levers["policies.repair_subsidy.eur_per_repair"]
            noise = np.random.default_rng(spec.seed).normal()
            row = {"run_id": spec.run_id, "scenario": spec.scenario, "point": spec.point,
                   "replicate": spec.replicate, "seed": spec.seed, **levers,
                   "residual_waste_t": 1000 - 40 * bins - 10 * repair + 5 * noise,
                   "net_public_cost_eur": 1e5 * bins + 2e4 * repair + 1e3 * noise}
            write_outcome(Outcome(spec.run_id, row))
            calls.append(spec.run_id)
        return len(todo), 0

    return execute_all


# -- the spec -------------------------------------------------------------------------------

def test_spec_errors_name_file_line_and_key(tmp_path):
    bad = (SPEC.format(budget=1e6)
           .replace("policies.repair_subsidy.eur_per_repair: [0, 30]",
                    "policies.repair_subsidy.eur_per_repare: [0, 30]")
           .replace("net_public_cost_eur: min", "net_public_cost_eur: lowest")
           .replace("- net_public_cost_eur <= 1000000.0", "- net_public_cost_eur < 1e6")
           .replace("population: 4", "populaton: 4"))
    with pytest.raises(ExperimentError) as info:
        load_search(write(tmp_path, bad))
    text = str(info.value)
    assert "s.yaml:13: search.objectives.net_public_cost_eur: expected min or max" in text
    assert "s.yaml:15: search.constraints.0: expected 'metric <= number'" in text
    assert "s.yaml:16: search.populaton: unknown key; did you mean 'population'?" in text
    # with the schema fixed, the lever path is checked against the scenario schema
    bad = SPEC.format(budget=1e6).replace("eur_per_repair: [0, 30]", "eur_per_repare: [30, 0]")
    bad = bad.replace("residual_waste_t: min", "residual_wast_t: min")
    with pytest.raises(ExperimentError) as info:
        load_search(write(tmp_path, bad))
    text = str(info.value)
    assert "s.yaml:10: search.levers.policies.repair_subsidy.eur_per_repare: no key" in text
    assert "did you mean 'eur_per_repair'" in text
    assert "s.yaml:12: search.objectives.residual_wast_t: unknown metric" in text


def test_spec_needs_one_scenario_no_design_and_a_search_section(tmp_path):
    two = SPEC.format(budget=1e6).replace("[milan_programme]", "[baseline, milan_programme]")
    with pytest.raises(ExperimentError, match="s.yaml:2: scenarios: a search varies"):
        load_search(write(tmp_path, two))
    with pytest.raises(ExperimentError, match="search: required section is missing"):
        load_search(write(tmp_path, "name: x\nscenarios: [baseline]\n"))


def test_bundled_search_loads_with_its_budget():
    spec = load_search("milan_search")
    assert spec.experiment.scenarios == ["milan_programme"]
    assert [str(c) for c in spec.search.parsed_constraints] == [
        "net_public_cost_eur <= 45,000,000"]
    assert set(spec.search.objectives) == {"residual_waste_t", "low_income_reach_share",
                                           "net_public_cost_eur"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_search_files_load_or_fail_clearly(tmp_path_factory, seed):
    rng = random.Random(seed)
    lines = (BUNDLED / "milan_search.yaml").read_text().splitlines()
    i = rng.randrange(len(lines))
    lines[i] = rng.choice([lines[i] + rng.choice([" x", " ]", " -1"]), "  bogus: 1",
                           lines[i].replace(":", " ", 1), "    - foo >= bar"])
    path = tmp_path_factory.mktemp("fuzz") / "milan_search.yaml"
    path.write_text("\n".join(lines) + "\n")
    try:
        load_search(path)
    except CircsimError as err:
        assert "milan_search.yaml" in str(err) and "Traceback" not in str(err)


# -- the Pareto filter and the packages -------------------------------------------------------

def test_pareto_mask_on_synthetic_points():
    points = np.array([[1, 5], [2, 2], [5, 1], [3, 3], [2, 2], [6, 6], [np.nan, 0]])
    assert pareto_mask(points, ["min", "min"]).tolist() == [
        True, True, True, False, True, False, False]
    # maximising the second column turns the front around
    assert pareto_mask(points, ["min", "max"]).tolist() == [
        True, False, False, False, False, True, False]
    # brute force on random points: no front member is dominated, every other point is
    rng = np.random.default_rng(3)
    x = rng.random((60, 3))
    mask = pareto_mask(x, ["min", "max", "min"])
    y = x * np.array([1, -1, 1])
    for i in range(len(y)):
        dominated = any((y[j] <= y[i]).all() and (y[j] < y[i]).any() for j in range(len(y)))
        assert mask[i] == (not dominated)


def test_constraints_exclude_infeasible_candidates_from_the_front(tmp_path):
    spec = load_search(write(tmp_path, SPEC.format(budget=5e5)))
    table = pd.DataFrame({
        "candidate": [0, 1, 2, 3], "n_ok": 2,
        "residual_waste_t_mean": [500.0, 400.0, 450.0, 300.0],
        "net_public_cost_eur_mean": [3e5, 4e5, 5e5, 6e5],
        "feasible": [True, True, True, False]})
    front = mark_front(table, spec)
    # candidate 3 dominates nothing it may not: it is outside the budget, so 1 stays
    assert front["pareto"].tolist() == [True, True, False, False]
    for m in ("residual_waste_t", "net_public_cost_eur"):
        table[f"{m}_ci_low"] = table[f"{m}_ci_high"] = table[f"{m}_mean"]
    table["policies.collection.bins_per_10k_residents"] = 5.0
    table["policies.repair_subsidy.eur_per_repair"] = 10.0
    marked = mark_front(table, spec)
    packs = {p["key"]: p for p in pick_packages(marked[marked["pareto"]], marked, spec)}
    assert packs["lean"]["candidate"] == 0          # cheapest at least as good as candidate 0
    assert packs["reach"]["candidate"] == 1         # the best waste within the budget
    assert {p["candidate"] for p in packs.values()} <= {0, 1}


# -- the optimiser: seeds, resume, outputs ----------------------------------------------------

def test_same_seed_same_evaluations_and_resume_reuses_finished_runs(tmp_path, monkeypatch):
    path = write(tmp_path, SPEC.format(budget=6e5))
    calls: list[int] = []
    monkeypatch.setattr(search_mod, "execute_all", fake_execute(calls))
    first = search(path, tmp_path / "a", reports=False)
    repeats = first.evaluations["same_as"].notna().sum()     # children equal to a parent
    assert first.ran == len(calls) == (4 * 3 - repeats) * 2
    second = search(path, tmp_path / "b", reports=False)
    pd.testing.assert_frame_equal(first.evaluations, second.evaluations)
    # candidate 0 is the scenario's own package; the rest differ with another seed
    assert first.evaluations.loc[0, "policies.repair_subsidy.eur_per_repair"] == 10.0
    other = search(load_search(path, {"seed": 8}), tmp_path / "c", reports=False)
    assert not np.allclose(other.evaluations.iloc[4:, 3:5], first.evaluations.iloc[4:, 3:5])
    # every candidate ran on the same replicate seeds (common random numbers)
    runs = pd.read_parquet(tmp_path / "a" / "runs.parquet")
    assert runs.groupby("replicate")["seed"].nunique().eq(1).all()

    calls.clear()
    monkeypatch.setattr(search_mod, "execute_all", fake_execute(calls, stop_after=11))
    with pytest.raises(KeyboardInterrupt):
        search(path, tmp_path / "d", reports=False)
    with pytest.raises(CircsimError, match="--resume"):
        search(path, tmp_path / "d", reports=False)
    calls.clear()
    monkeypatch.setattr(search_mod, "execute_all", fake_execute(calls))
    resumed = search(path, tmp_path / "d", resume=True, reports=False)
    assert resumed.ran == len(calls) == first.ran - 11   # the 11 saved runs are not repeated
    pd.testing.assert_frame_equal(resumed.evaluations, first.evaluations)
    # resuming a finished search runs nothing
    assert search(path, tmp_path / "d", resume=True, reports=False).ran == 0


def test_resume_refuses_a_changed_search(tmp_path, monkeypatch):
    monkeypatch.setattr(search_mod, "execute_all", fake_execute([]))
    search(write(tmp_path, SPEC.format(budget=6e5)), tmp_path / "a", reports=False)
    with pytest.raises(CircsimError, match="different experiment"):
        search(write(tmp_path, SPEC.format(budget=7e5)), tmp_path / "a", resume=True)


def test_a_tiny_real_search_writes_its_outputs(tmp_path):
    spec = load_search(write(tmp_path, SPEC.format(budget=1e9)),
                       {"search": {"population": 2, "generations": 1}})
    result = search(spec, tmp_path / "out", jobs=1, progress=False)
    for name in ("evaluations.csv", "pareto.csv", "pareto.png", "packages.md", "search.json"):
        assert (tmp_path / "out" / name).is_file(), name
    ev = pd.read_csv(tmp_path / "out" / "evaluations.csv")
    assert len(ev) == 2 and ev["feasible"].all() and ev["n_ok"].eq(2).all()
    text = (tmp_path / "out" / "packages.md").read_text()
    assert text.count("## ") == 3 and "Net public cost: **EUR" in text
    assert len(result.packages) == 3
    # the policy report of the folder shows the front and the packages, in both languages
    from circsim.report.html import build_report

    page = build_report(tmp_path / "out", "en").read_text()
    assert "Lever packages on the Pareto front" in page and "Balanced (candidate" in page
    assert page.count("data:image/png;base64,") >= 1
    page = build_report(tmp_path / "out", "it").read_text()
    assert "Pacchetti di leve sul fronte di Pareto" in page and "Equilibrato" in page


def test_the_command_reports_a_bad_search_file_without_a_traceback(tmp_path, capsys):
    from circsim.cli import main

    bad = SPEC.format(budget=1e6).replace("generations: 3", "generations: 0")
    assert main(["search", str(write(tmp_path, bad)), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "s.yaml:17: search.generations: expected" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()
