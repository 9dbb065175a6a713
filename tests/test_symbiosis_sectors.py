"""Firms of several sectors, the programme and the exchange without a knife-edge."""

from __future__ import annotations

import numpy as np

from circsim import load_scenario
from circsim.model import TextileEconomy

RUN = {"scale": 0.002, "months": 12, "warmup_months": 0}


def _model(name: str = "baseline", **overrides) -> TextileEconomy:
    return TextileEconomy(load_scenario(name, {**RUN, **overrides}), seed=3)


def test_symbiosis_firms_have_the_interface_attributes():
    firms = _model().symbiosis_firms()
    sectors = {f.sector for f in firms}
    assert {"14", "13", "31", "29", "23", "55/56"} <= sectors
    for f in firms:
        assert len(f.xy) == 2 and f.municipality and f.employees > 0 and f.weight > 0
        assert 0.0 <= f.symbiosis_awareness <= 1.0


def test_programme_raises_awareness_and_participation_over_baseline():
    base, prog = _model(), _model("sigma_programme")
    base.run()
    prog.run()
    aware = [np.mean([f.symbiosis_awareness for f in m.symbiosis_firms()]) for m in (base, prog)]
    assert aware[1] > aware[0]
    willing = [sum(f.willing for f in m.symbiosis_firms()) for m in (base, prog)]
    assert willing[1] > willing[0]


def test_a_high_transaction_cost_thins_the_exchange_without_closing_it():
    kg = []
    for cost in (40.0, 200.0):
        m = _model(**{"exchange.transaction_cost_eur_per_t": cost,
                      "symbiosis.awareness_mean": 0.5})
        m.run()
        kg.append(sum(r["symbiosis_exchanged_t"] for r in m.records))
    assert 0 < kg[1] < kg[0]
