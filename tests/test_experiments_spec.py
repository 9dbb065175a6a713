"""Experiment files and designs: clear file:line errors, design sizes, seeds by position."""

from __future__ import annotations

import numpy as np
import pytest

from circsim import load_scenario
from circsim.experiments import (
    ExperimentError,
    bundled_experiments,
    load_experiment,
    make_experiment,
    plan,
    points,
    run_seed,
)

GOOD = """\
name: small
scenario: baseline
replicates: 2
seed: 5
months: 6
scale: 0.002
overrides:
  warmup_months: 0
  policies.collection.enabled: true
grid:
  policies.collection.bins_per_10k_residents: [3, 6]
  households.displacement_rate: [0.6, 0.7, 0.8]
"""


def write(tmp_path, text, name="exp.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def problems(tmp_path, text) -> str:
    with pytest.raises(ExperimentError) as info:
        load_experiment(write(tmp_path, text))
    return str(info.value)


def test_bundled_experiments_load_and_cover_the_three_designs():
    names = dict(bundled_experiments())
    assert {"policies", "collection_awareness", "uncertain_parameters"} <= set(names)
    policies = load_experiment("policies")
    assert policies.scenarios[0] == "baseline" and len(policies.scenarios) >= 10
    assert len(plan(policies)) == len(policies.scenarios) * policies.replicates
    sweep = load_experiment("collection_awareness")
    assert sweep.design == "grid" and len(points(sweep)) == 16
    morris = load_experiment("uncertain_parameters")
    assert morris.sensitivity.method == "morris" and morris.sensitivity.ranges == "uncertainty"
    assert morris.ranges == load_scenario("baseline").uncertainty
    assert "climate.export_displacement_rate" in morris.ranges
    k = len(morris.ranges)
    assert len(points(morris)) == morris.sensitivity.n * (k + 1)


def test_ranges_uncertainty_sweeps_the_declared_ranges_and_explicit_ranges_still_work():
    declared = make_experiment(name="d", scenarios=["baseline"],
                               sample={"n": 5, "ranges": "uncertainty"})
    assert declared.ranges == load_scenario("baseline").uncertainty
    pts = points(declared)
    assert len(pts) == 5 and set(pts[0]) == set(declared.ranges)
    for path, (low, high) in declared.ranges.items():
        assert all(low <= p[path] <= high for p in pts)
    explicit = make_experiment(name="e", scenarios=["baseline"],
                               sample={"n": 3, "ranges": {"firms.unsold_share": [0.1, 0.5]}})
    assert explicit.ranges == {"firms.unsold_share": [0.1, 0.5]}
    assert len(points(explicit)) == 3


def test_grid_is_full_factorial_and_values_take_the_schema_type(tmp_path):
    exp = load_experiment(write(tmp_path, GOOD))
    pts = points(exp)
    assert len(pts) == 6
    assert pts[0] == {"policies.collection.bins_per_10k_residents": 3.0,
                      "households.displacement_rate": 0.6}
    assert isinstance(pts[0]["policies.collection.bins_per_10k_residents"], float)
    runs = plan(exp)
    assert [r.run_id for r in runs] == list(range(12))
    assert runs[5].point == 2 and runs[5].replicate == 1
    assert runs[5].overrides["policies.collection.enabled"] is True


def test_sampled_designs_are_reproducible_and_round_integer_keys():
    exp = make_experiment(name="s", scenarios=["baseline"], seed=3,
                          sample={"n": 7, "ranges": {"recyclers.count": [1, 6],
                                                     "firms.unsold_share": [0.2, 0.3]}})
    pts = points(exp)
    assert len(pts) == 7 and pts == points(exp)
    assert all(isinstance(p["recyclers.count"], int) for p in pts)
    assert all(0.2 <= p["firms.unsold_share"] <= 0.3 for p in pts)
    morris = make_experiment(name="m", scenarios=["baseline"], sensitivity={
        "method": "morris", "n": 3, "ranges": {"firms.unsold_share": [0.2, 0.3],
                                               "climate.production_kg_per_kg": [12, 18]}})
    assert len(points(morris)) == 3 * (2 + 1)


def test_seeds_depend_only_on_position_and_are_common_across_points(tmp_path):
    exp = load_experiment(write(tmp_path, GOOD))
    runs = plan(exp)
    by_replicate = {}
    for r in runs:
        by_replicate.setdefault(r.replicate, set()).add(r.seed)
    assert all(len(seeds) == 1 for seeds in by_replicate.values())   # common random numbers
    child = np.random.SeedSequence(5).spawn(2)[1]
    assert runs[1].seed == int(child.generate_state(1, np.uint64)[0]) >> 1
    assert 0 <= runs[1].seed < 2**63
    independent = make_experiment(**{**exp.model_dump(), "common_random_numbers": False})
    seeds = [r.seed for r in plan(independent)]
    assert len(set(seeds)) == len(seeds)
    assert seeds[3] == run_seed(5, (1, 1))


@pytest.mark.parametrize("text, expected", [
    (GOOD.replace("replicates:", "replicate:"),
     "exp.yaml:3: replicate: unknown key; did you mean 'replicates'?"),
    (GOOD.replace("policies.collection.bins", "policies.colection.bins"),
     "exp.yaml:11: grid.policies.colection.bins_per_10k_residents: no key 'colection' in "
     "policies; did you mean 'collection'?"),
    (GOOD.replace("households.displacement_rate", "households.displacment_rate"),
     "exp.yaml:12: grid.households.displacment_rate: no key 'displacment_rate' in households; "
     "did you mean 'displacement_rate'?"),
    (GOOD + "metrics: [co2e_t, residual_wast_t]\n",
     "exp.yaml:13: metrics.1: unknown metric 'residual_wast_t'; did you mean 'residual_waste_t'?"),
    (GOOD.replace("replicates: 2", "replicates: many"),
     "exp.yaml:3: replicates: expected a valid integer, got 'many'"),
    (GOOD + "sample: {n: 3, ranges: {firms.unsold_share: [0.2, 0.3]}}\n",
     "give at most one design, not grid and sample"),
    (GOOD.replace("grid:", "grid_:"), "exp.yaml:10: grid_: unknown key; did you mean 'grid'?"),
    (GOOD.replace("  households.displacement_rate: [0.6, 0.7, 0.8]\n", "  seed: [1, 2]\n"),
     "exp.yaml:12: grid.seed: the seed of every run is derived"),
    (GOOD.replace("scenario: baseline", "scenario: baseline_typo"),
     "baseline_typo: no such file, and no bundled scenario of that name"),
    (GOOD.replace("replicates: 2\n", "replicates: 2\nreplicates: 3\n"),
     "exp.yaml:4: replicates: duplicate key (first given at line 3)"),
    ("name: [x\n", "malformed YAML"),
])
def test_bad_experiment_files_say_where_and_what(tmp_path, text, expected):
    assert expected in problems(tmp_path, text)


def test_range_and_sobol_problems(tmp_path):
    base = "name: s\nscenario: baseline\nsensitivity:\n  method: sobol\n  n: {n}\n" \
           "  ranges:\n    {key}: {rng}\n"
    text = base.format(n=12, key="firms.unsold_share", rng="[0.3, 0.2]")
    message = problems(tmp_path, text)
    assert "low (0.3) must be below high (0.2)" in message
    message = problems(tmp_path, base.format(n=12, key="firms.unsold_share", rng="[0.2, 0.3]"))
    assert "exp.yaml:5: sensitivity.n: Sobol needs a power of two, got 12; try 8 or 16" in message
    message = problems(tmp_path, base.format(n=8, key="policies.epr.enabled", rng="[0, 1]"))
    assert "exp.yaml:7: sensitivity.ranges.policies.epr.enabled: a range needs a numeric key" \
        in message
    message = problems(tmp_path, base.format(n=8, key="firms.unsold_share", rng="[0.2]"))
    assert "sensitivity.ranges.firms.unsold_share" in message


def test_scenario_paths_are_relative_to_the_experiment_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "mine.yaml").write_text("name: mine\nextends: baseline\n")
    text = "name: e\nscenarios: [baseline, sub/mine.yaml]\nmonths: 3\n"
    exp = load_experiment(write(tmp_path, text))
    assert exp.scenarios[1] == str((tmp_path / "sub" / "mine.yaml").resolve())
    assert [r.scenario for r in plan(exp)] == ["baseline", "mine"]
    same = "name: e\nscenarios: [baseline, baseline.yaml]\n"
    (tmp_path / "baseline.yaml").write_text("name: baseline\nextends: baseline\n")
    assert "two scenarios are named 'baseline'" in problems(tmp_path, same)


def test_python_definitions_raise_experiment_errors_not_pydantic_ones():
    with pytest.raises(ExperimentError, match="replicates"):
        make_experiment(name="x", scenarios=["baseline"], replicates=0)
    exp = make_experiment(name="x", scenarios=["baseline"], grid={"firms.unsold_shar": [0.2]})
    with pytest.raises(ExperimentError, match="did you mean 'unsold_share'"):
        exp.check()
