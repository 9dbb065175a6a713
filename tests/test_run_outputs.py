"""A run's frames in memory are its files: same columns, identity, dates and units."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq

from circsim import __version__, load_scenario, outcomes, run_scenario
from circsim.run import IDENTITY


def test_frames_in_memory_match_the_files(tmp_path):
    scenario = load_scenario("baseline", overrides={"scale": 0.002, "months": 14,
                                                    "warmup_months": 0})
    result = run_scenario(scenario, seed=3)
    paths = result.save(tmp_path)
    monthly = pd.read_parquet(paths["monthly"])
    pd.testing.assert_frame_equal(monthly, result.monthly, check_dtype=False)
    flows = pd.read_csv(paths["flows"])
    assert list(flows.columns) == list(result.flows.columns)
    money = pd.read_csv(paths["money"])
    assert list(money.columns) == list(result.money.columns)
    for frame in (result.monthly, result.flows, result.money):
        assert frame["scenario"].eq("baseline").all() and frame["seed"].eq(3).all()
        assert frame["version"].eq(__version__).all()
    assert (result.flows["kg_metro"] == result.flows["kg"] / scenario.scale).all()


def test_months_have_dates_and_the_parquet_file_its_units(tmp_path):
    scenario = load_scenario("baseline", overrides={"scale": 0.002, "months": 14,
                                                    "warmup_months": 0, "start_year": 2027})
    result = run_scenario(scenario, seed=3)
    dates = result.monthly["date"]
    assert dates.iloc[0] == pd.Timestamp("2027-01-01")
    assert dates.iloc[12] == pd.Timestamp("2028-01-01")
    assert dates.iloc[13] == pd.Timestamp("2028-02-01")
    meta = json.loads(pq.read_schema(result.save(tmp_path)["monthly"]).metadata[b"circsim"])
    assert {k: meta[k] for k in IDENTITY} == {"scenario": "baseline", "seed": 3,
                                                "version": __version__}
    assert meta["units"] == {o.name: o.unit for o in outcomes.OUTCOMES if o.is_monthly}
