"""Running experiments: bit-identical results on any backend, isolated failures, flat memory."""

from __future__ import annotations

import gc

import pandas as pd
import pytest
from mesa import Agent

from circsim import TextileEconomy, load_scenario
from circsim.experiments import make_experiment, run_experiment
from circsim.experiments.design import RunSpec
from circsim.experiments.runner import execute, release_models

SMALL = {"months": 6, "scale": 0.002}


def small_experiment(**extra):
    spec = {"name": "tiny", "scenarios": ["baseline", "collection"], "replicates": 2, "seed": 9,
            **SMALL, "overrides": {"warmup_months": 0},
            "metrics": ["residual_waste_t", "collection_rate", "co2e_t", "jobs"],
            "grid": {"households.displacement_rate": [0.6, 0.8]}, **extra}
    return make_experiment(**spec)


def test_results_are_bit_identical_across_jobs_and_backends(tmp_path):
    exp = small_experiment()
    one = run_experiment(exp, tmp_path / "one", jobs=1)
    two = run_experiment(exp, tmp_path / "two", jobs=2)
    assert len(one.runs) == 8 and one.n_failed == 0
    assert list(one.runs["run_id"]) == list(range(8))
    for name in ("runs.parquet", "monthly.parquet"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    pytest.importorskip("dask.distributed")
    dask = run_experiment(exp, tmp_path / "dask", jobs=2, backend="dask")
    assert (tmp_path / "dask" / "runs.parquet").read_bytes() == \
        (tmp_path / "one" / "runs.parquet").read_bytes()
    pd.testing.assert_frame_equal(dask.monthly, one.monthly)
    # common random numbers: the same replicate has the same seed everywhere
    assert one.runs.groupby("replicate")["seed"].nunique().eq(1).all()
    # the workers really ran in other processes
    assert one.timings["worker"].nunique() == 1
    assert two.timings["worker"].nunique() == 2


def test_a_failing_run_is_recorded_and_the_others_finish(tmp_path):
    # 0.95 is beyond the schema's range: those runs raise ScenarioError in the workers
    exp = small_experiment(scenarios=["baseline"], grid={"firms.unsold_share": [0.2, 0.95]})
    result = run_experiment(exp, tmp_path / "out", jobs=2)
    assert sorted(result.runs["run_id"]) == [0, 1]
    failures = result.failures.set_index("run_id")
    assert sorted(failures.index) == [2, 3]
    assert "ScenarioError" in failures.loc[2, "error"]
    assert "firms.unsold_share" in failures.loc[2, "error"]
    assert failures.loc[3, "firms.unsold_share"] == 0.95 and failures.loc[3, "seed"] > 0
    record = (tmp_path / "out" / "failures" / "run-000002.json").read_text()
    assert "Traceback" in record
    manifest = (tmp_path / "out" / "manifest.json").read_text()
    assert '"failed": 2' in manifest


def test_a_model_that_raises_is_isolated_and_retried_on_resume(tmp_path, monkeypatch):
    import circsim.run

    real = circsim.run.run_scenario

    def flaky(scenario, seed=None, **kw):
        if seed == plan_seed:
            raise FloatingPointError("ledger out of balance")
        return real(scenario, seed=seed, **kw)

    exp = small_experiment(scenarios=["baseline"], grid={"firms.unsold_share": [0.2]})
    plan_seed = run_experiment(exp).runs["seed"].iloc[1]
    monkeypatch.setattr(circsim.run, "run_scenario", flaky)
    result = run_experiment(exp, tmp_path, jobs=1)          # in process: the patch applies
    assert list(result.runs["run_id"]) == [0]
    assert result.failures["error"].tolist() == ["FloatingPointError: ledger out of balance"]
    monkeypatch.setattr(circsim.run, "run_scenario", real)
    again = run_experiment(exp, tmp_path, jobs=1, resume=True)
    assert again.ran == 1 and list(again.runs["run_id"]) == [0, 1] and again.n_failed == 0
    assert not (tmp_path / "failures" / "run-000001.json").exists()


def test_a_folder_with_runs_needs_resume_and_the_same_experiment(tmp_path):
    from circsim.scenario import CircsimError

    exp = small_experiment(scenarios=["baseline"], grid={"firms.unsold_share": [0.2]},
                           replicates=1)
    run_experiment(exp, tmp_path, jobs=1)
    with pytest.raises(CircsimError, match="--resume"):
        run_experiment(exp, tmp_path, jobs=1)
    assert run_experiment(exp, tmp_path, jobs=1, resume=True).ran == 0
    other = small_experiment(scenarios=["baseline"], grid={"firms.unsold_share": [0.25]},
                             replicates=1)
    with pytest.raises(CircsimError, match="different experiment"):
        run_experiment(other, tmp_path, jobs=1, resume=True)


def test_python_api_without_a_folder_returns_tidy_tables():
    exp = small_experiment(scenarios=["baseline"], replicates=2,
                           grid={"households.displacement_rate": [0.6, 0.8]})
    result = run_experiment(exp)
    assert result.out is None and len(result.runs) == 4
    tidy = result.tidy()
    assert set(tidy["metric"]) == {"residual_waste_t", "collection_rate", "co2e_t", "jobs"}
    assert len(tidy) == 4 * 4
    points = result.points()
    assert {"households.displacement_rate", "mean", "ci_low", "ci_high"} <= set(points.columns)
    assert len(points) == 2 * 4


def spec(i: int) -> RunSpec:
    return RunSpec(run_id=i, scenario="baseline", source="baseline", point=0, replicate=i,
                   seed=i, spawn_key=(i,),
                   overrides={"scale": 0.002, "months": 3, "warmup_months": 0})


def test_memory_stays_flat_over_fifty_runs():
    """Without releasing Mesa's agent-id registry each run would keep ~2.4 MB alive (about
    70 MB over the 30 runs compared here)."""
    psutil = pytest.importorskip("psutil")
    process = psutil.Process()
    before = len(Agent._ids)
    models_before = {id(o) for o in gc.get_objects() if isinstance(o, TextileEconomy)}
    rss = []
    for i in range(50):
        assert execute(spec(i)).ok
        rss.append(process.memory_info().rss)
    first, last = sum(rss[10:20]) / 10, sum(rss[-10:]) / 10   # after 10 runs of warm-up
    assert last - first < 25e6, f"RSS grew by {(last - first) / 1e6:.1f} MB in 30 runs"
    assert len(Agent._ids) == before
    gc.collect()
    alive = {id(o) for o in gc.get_objects() if isinstance(o, TextileEconomy)}
    assert not alive - models_before           # none of the 50 models is still reachable


def test_release_leaves_other_models_alone():
    scenario = load_scenario("baseline", {"scale": 0.002, "months": 1, "warmup_months": 0})
    mine = TextileEconomy(scenario, seed=1)
    assert execute(spec(1)).ok
    assert mine in Agent._ids                  # a notebook's own model keeps its id counter
    assert release_models(scenario) == 1 and mine not in Agent._ids


def test_collected_tables_carry_the_version_units_and_dates(tmp_path):
    """runs.parquet has a version column; both tables say circsim's version and each
    outcome's unit as key-value metadata; the monthly table has a date per month."""
    import json

    import pyarrow.parquet as pq

    from circsim import __version__

    exp = make_experiment(name="tiny", scenarios=["baseline"], replicates=1, seed=3, **SMALL,
                          metrics=["residual_waste_t"], monthly_metrics=["collection_rate"])
    result = run_experiment(exp, tmp_path / "out", jobs=1)
    assert set(result.runs["version"]) == {__version__}
    assert "version" not in result.metrics
    for name in ("runs.parquet", "monthly.parquet"):
        meta = json.loads(pq.read_metadata(tmp_path / "out" / name).metadata[b"circsim"])
        assert meta["version"] == __version__
    meta = json.loads(pq.read_metadata(tmp_path / "out" / "runs.parquet").metadata[b"circsim"])
    assert meta["units"]["residual_waste_t"] == "t"
    assert str(result.monthly["date"].iloc[0].date()) == "2026-01-01"
