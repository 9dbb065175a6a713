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
