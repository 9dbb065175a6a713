"""The benchmark's pieces measure what they claim (timing targets live in the benchmark)."""

from __future__ import annotations

from circsim import bench


def test_mesa_reference_steps_every_agent():
    result = bench.bench_mesa(200, steps=2)
    assert result["agents"] == 200 and result["steps"] == 2
    assert result["agent_steps_per_s"] > 0


def test_model_bench_reports_households_and_recording_share():
    from circsim import outcomes

    original = outcomes.record
    result = bench.bench_model(0.001, 3)
    assert outcomes.record is original          # the timing wrapper is removed afterwards
    assert result["households"] == round(1_584_210 * 0.001)
    assert 0 < result["recording_share"] < 1
    assert result["household_steps_per_s"] > 0
    assert result["peak_rss_mb"] > 0


def test_month_bench_times_months_beside_the_memory_floor():
    result = bench.bench_month(0.001, months=2)
    assert result["households"] == round(1_584_210 * 0.001)
    assert result["ms_per_month"] > 0 and result["floor_ms"] > 0
    assert result["floor_bytes_per_household"] >= bench.FLOOR_BYTES
    assert result["month_over_floor"] == result["ms_per_month"] / result["floor_ms"]
    # wardrobes and dormant stocks alone are 2 x 3 float64 a household
    assert result["household_state_bytes_per_household"] >= 48


def test_startup_bench_times_help_and_a_bare_python():
    result = bench.bench_startup(repeats=1)
    assert result["help_s"] > 0 and result["bare_python_s"] > 0


def test_dashboard_step_bench_times_server_months():
    result = bench.bench_dashboard_step(months=2)
    assert result["months"] == 2 and 0 < result["median_ms"] <= result["max_ms"]
