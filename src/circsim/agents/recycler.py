"""Recyclers: take feedstock within reach, recycle up to capacity, sell the fibre."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from circsim.labour import fte, recycling_hours
from circsim.mesa_core import Agent
from circsim.money import open_wallet

if TYPE_CHECKING:
    from circsim.model import TextileEconomy
    from circsim.scenario.schema import Scenario

PRE_CONSUMER, POST_CONSUMER = 0, 1     # feedstock materials in the byproduct exchange


class Recycler(Agent):
    """A mechanical recycler with a capacity, a yield and a gate fee."""

    HOLDS = ("recyclers",)

    def __init__(self, model: TextileEconomy, zone: int, xy: np.ndarray, capacity_kg: float,
                 entrant: bool = False) -> None:
        super().__init__(model)
        self.zone = zone
        self.xy = xy
        self.capacity_kg = capacity_kg
        self.entrant = entrant
        self.accepts = np.array([True, True])
        self.stock_kg = 0.0
        self.processed_kg = 0.0
        self.hours = {"recycling": 0.0}      # real hours worked this month
        self.jobs = 0.0                      # full-time equivalents this month
        open_wallet(self, "recyclers")
        self.invested_eur = 0.0        # capital it paid to build its line

    def holdings(self) -> dict[str, float]:
        """kg held, by ledger node: feedstock waiting to be recycled."""
        return {"recyclers": self.stock_kg}

    @property
    def room_kg(self) -> float:
        """Feedstock it will accept this month: up to ``storage_months`` of capacity in stock."""
        storage = self.model.scenario.recyclers.storage_months
        return max(0.0, storage * self.capacity_kg - self.stock_kg)

    def willingness_to_pay_eur_per_kg(self) -> np.ndarray:
        """Net price per kg of each feedstock material: its value less the gate fee.

        Clean pre-consumer offcuts are worth ``firms.scrap_value_eur_per_kg``, sorted
        post-consumer recyclable grades ``cooperatives.recyclable_price_eur_per_kg``; the
        recycler charges its gate fee on both, so a negative price is paid to it.
        """
        return feedstock_price_eur_per_kg(self.model.scenario)

    def receive(self, kg: float, seller, price_eur_per_kg: float,
                source: str | None = None) -> None:
        """Feedstock bought in the exchange at a net price (negative: the seller pays).

        ``source`` is the ledger node it comes from (default: the seller's account).
        """
        m = self.model
        m.ledger.move(source or seller.account, "symbiosis_exchange", "recyclers", kg)
        self.stock_kg += kg
        money = kg / m.scale * price_eur_per_kg
        if money >= 0:
            m.pay(self, "feedstock_sale", seller, money)
        else:
            m.pay(seller, "recycler_gate_fee", self, -money)

    def recycle(self) -> None:
        """Recycle up to capacity; fibre goes to fibre-to-fibre or to other sectors."""
        m = self.model
        rp = m.scenario.recyclers
        amount = min(self.stock_kg, self.capacity_kg)
        self.stock_kg -= amount
        self.processed_kg = amount
        self._account_labour()
        fibre = amount * rp.yield_share
        m.send_to_residual("recyclers", "recycling_loss", amount - fibre, payer=self)
        closed = fibre * rp.fibre_to_fibre_share
        m.ledger.move("recyclers", "fibre_to_fibre", "recycled_fibre", closed)
        m.ledger.move("recyclers", "open_loop_recycling", "recycled_out", fibre - closed)
        m.fibre.add(closed)
        m.tally["recycled_fibre_kg"] += fibre
        m.pay("world", "fibre_sale", self, closed / m.scale * rp.fibre_price_eur_per_kg)
        m.exchange.sell_fibre(self, fibre - closed, rp.fibre_price_eur_per_kg)
        m.pay(self, "operating_cost", "world",
              amount / m.scale / 1000 * rp.processing_cost_eur_per_t)
        m.pay(self, "wages", m.households, self.jobs * m.scenario.labour.wage_eur_per_fte_month)

    def _account_labour(self) -> None:
        """Hours and full-time equivalents for the tonnes processed this month."""
        lab = self.model.scenario.labour
        self.hours = {"recycling": recycling_hours(lab, self.processed_kg / self.model.scale
                                                   / 1000)}
        self.jobs = fte(lab, self.hours["recycling"])


def feedstock_price_eur_per_kg(scenario: Scenario) -> np.ndarray:
    """Net price a recycler offers per kg, by material (``PRE_CONSUMER``, ``POST_CONSUMER``)."""
    value = np.empty(2)
    value[PRE_CONSUMER] = scenario.firms.scrap_value_eur_per_kg
    value[POST_CONSUMER] = scenario.cooperatives.recyclable_price_eur_per_kg
    return value - scenario.recyclers.gate_fee_eur_per_t / 1000


def margin_eur_per_t(scenario: Scenario, feedstock_eur_per_kg: float) -> float:
    """What a tonne of feedstock earns a recycler: its fibre, less processing, the wages of
    the hours it takes, and the net price paid for the feedstock
    (:func:`feedstock_price_eur_per_kg`: negative when the gate fee exceeds the material's
    value, so the seller pays)."""
    rp, lab = scenario.recyclers, scenario.labour
    wages = lab.recycling_hours_per_t * lab.wage_eur_per_fte_month / lab.hours_per_fte_month
    return (rp.yield_share * rp.fibre_price_eur_per_kg * 1000 - rp.processing_cost_eur_per_t
            - wages - feedstock_eur_per_kg * 1000)
