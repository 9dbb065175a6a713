"""Idle machinery: disused machines of fashion and design firms reused by new enterprises.

Symbiosis firms of the ``holder_sectors`` (textiles, apparel, leather, furniture) set
aside machines they no longer use, ``idle_machines_per_employee_year`` per employee, of
ages spread over a machine's life. Idle machines age and lose value
(``depreciation_per_year``); an owner scraps one with probability
``scrap_rate_per_month`` each month (floor space is dear) and every machine at
``max_age_years``, so the idle stock stays near its inflow divided by the scrap rate.

New small enterprises (makers, artisans, start-ups, social enterprises) enter at
``maker_entries_per_year``, each needing ``machines_per_entrant`` machines. A newcomer
hears of a share (``visibility_share``) of the idle machines within ``search_radius_km``;
the ``machinery_marketplace`` lever shows more of them over a wider reach and pays part
of moving them. It buys the nearest machines it knows whose price (their value now) plus
moving costs less than a new one, and buys the rest new. What reuse saves lowers entry
cost, and entries rise with the cut (``entry_cost_elasticity``).

Machines are counted for the whole metro (firms are a fixed representative set); draws
come from a stream of their own (:func:`circsim.seeds.mechanism_rng`).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from circsim.seeds import mechanism_rng

if TYPE_CHECKING:
    from circsim.model import TextileEconomy

YEAR = 12     # months over which entrants' savings are averaged (a unit, not behaviour)


class IdleMachinery:
    """The metro's stock of idle machines and the month's reuse by new enterprises."""

    def __init__(self, model: TextileEconomy) -> None:
        self.model = model
        self.rng = mechanism_rng(model._seed, "machinery")
        # the firm holding each idle machine: its index in ``firms``, a list that the
        # garbage collector sees (a numpy array of objects would hide the model's cycles)
        self.owner_index = np.zeros(0, dtype=np.int64)
        self.firms: list = []
        self._index: dict = {}                    # firm -> its place in ``firms``
        self.xy = np.zeros((0, 2))
        self.age_months = np.zeros(0)
        self._value: np.ndarray | None = None     # value_eur() of this month's ages
        self._zone_p: np.ndarray | None = None    # where newcomers set up: residents' shares
        self.budget_spent_eur = 0.0
        self.saving_per_entrant = deque(maxlen=YEAR)   # EUR saved by each month's entrants
        self.reused = self.scrapped = self.entrants = 0   # this month
        self.saving_eur = 0.0                             # this month
        self.moves: list[tuple[np.ndarray, np.ndarray]] = []  # (from, to) of each reuse

    @property
    def idle(self) -> int:
        return len(self.owner_index)

    @property
    def owners(self) -> list:
        """The firm holding each idle machine."""
        return [self.firms[i] for i in self.owner_index.tolist()]

    def _indices(self, firms: list) -> np.ndarray:
        """Each firm's place in ``firms``, adding those not seen before."""
        for f in firms:
            if f not in self._index:
                self._index[f] = len(self.firms)
                self.firms.append(f)
        return np.array([self._index[f] for f in firms], dtype=np.int64)

    def value_eur(self) -> np.ndarray:
        """What each idle machine is worth now (its price to a newcomer)."""
        mp = self.model.scenario.machinery
        return mp.new_machine_eur * (1 - mp.depreciation_per_year) ** (self.age_months / 12)

    # -- the month -------------------------------------------------------------------
    def trade_machines(self) -> None:
        """Firms set machines aside, old ones are scrapped, newcomers buy what they know."""
        self.reused = self.scrapped = self.entrants = 0
        self.saving_eur = 0.0
        self._set_aside()
        self._scrap()
        operating = self._operate_marketplace()
        for _ in range(self._entries()):
            self._equip(self._site(), operating)
        self.saving_per_entrant.append(self.saving_eur / max(self.entrants, 1))

    def _set_aside(self) -> None:
        mp = self.model.scenario.machinery
        self._value = None
        holders = [f for f in self.model.symbiosis_firms() if f.sector in mp.holder_sectors]
        if not holders:
            return
        rate = np.array([f.employees * f.weight for f in holders]) * (
            mp.idle_machines_per_employee_year / 12)
        counts = self.rng.poisson(rate)
        new = int(counts.sum())
        if new == 0:
            return
        self.owner_index = np.concatenate([self.owner_index,
                                           self._indices(holders).repeat(counts)])
        self.xy = np.vstack([self.xy, np.array([f.xy for f in holders]).repeat(counts, axis=0)])
        self.age_months = np.concatenate(
            [self.age_months, self.rng.uniform(0, mp.max_age_years * 12, new)])

    def _scrap(self) -> None:
        mp = self.model.scenario.machinery
        self._value = None
        self.age_months += 1
        gone = ((self.age_months >= mp.max_age_years * 12)
                | (self.rng.random(self.idle) < mp.scrap_rate_per_month))
        self.scrapped = int(gone.sum())
        self._remove(gone)
        self._value = self.value_eur()      # ages stand still for the rest of the month

    def _remove(self, gone: np.ndarray) -> None:
        kept = ~gone
        self.owner_index = self.owner_index[kept]
        self.xy = self.xy[kept]
        self.age_months = self.age_months[kept]
        if self._value is not None:
            self._value = self._value[kept]

    def _take(self, rows: np.ndarray) -> None:
        """Remove the machines at ``rows`` (a newcomer bought them, a few at a time).

        The stock between the rows is copied slice by slice: for a handful of rows that
        is several times faster than a mask over the whole stock, with the same result.
        """
        if not len(rows):
            return
        ends = sorted(set(np.asarray(rows).tolist()))
        kept = [slice(a + 1, b) for a, b in zip([-1, *ends], [*ends, self.idle], strict=True)]

        def cut(arr: np.ndarray) -> np.ndarray:
            return np.concatenate([arr[s] for s in kept])

        self.owner_index, self.xy, self.age_months = (
            cut(self.owner_index), cut(self.xy), cut(self.age_months))
        if self._value is not None:
            self._value = cut(self._value)

    def _operate_marketplace(self) -> bool:
        """The marketplace runs (and is paid for) while its budget lasts."""
        c = self.model.conditions
        if c.machinery_visibility_share is None or not self._funded():
            return False
        self._spend("programme_operation", "world", c.machinery_operation_eur)
        return True

    def _funded(self) -> bool:
        return self.budget_spent_eur < self.model.scenario.policies.machinery_marketplace.budget_eur

    def _spend(self, purpose: str, payee, eur: float) -> float:
        budget = self.model.scenario.policies.machinery_marketplace.budget_eur
        eur = min(eur, max(0.0, budget - self.budget_spent_eur))
        self.model.pay("public_budget", purpose, payee, eur)
        self.budget_spent_eur += eur
        return eur

    def _entries(self) -> int:
        """Newcomers this month: the base rate, raised by the cut reuse brought entry costs."""
        mp = self.model.scenario.machinery
        full = mp.maker_entry_cost_eur + mp.machines_per_entrant * mp.new_machine_eur
        saved = float(np.mean(self.saving_per_entrant)) if self.saving_per_entrant else 0.0
        rate = mp.maker_entries_per_year / 12 * (1 + mp.entry_cost_elasticity * saved / full)
        return int(self.rng.poisson(rate))

    def _site(self) -> np.ndarray:
        """Where a newcomer sets up: zones weighted by residents."""
        geo = self.model.geo
        if self._zone_p is None:
            self._zone_p = geo.residents / geo.residents.sum()
        zone = self.rng.choice(geo.n_zones, p=self._zone_p)
        return geo.scatter(np.array([zone]), self.rng,
                           self.model.scenario.exchange.site_radius_share)[0]

    def _equip(self, xy: np.ndarray, marketplace: bool) -> None:
        """A newcomer buys the nearest machines it knows that beat a new one, the rest new."""
        m = self.model
        mp = m.scenario.machinery
        c = m.conditions
        reach, seen = mp.search_radius_km, mp.visibility_share
        subsidy = 0.0
        if marketplace:
            reach = max(reach, c.machinery_reach_km)
            seen = max(seen, c.machinery_visibility_share)
            subsidy = c.machinery_transfer_subsidy_share
        value = self._value if self._value is not None else self.value_eur()
        # the machines it hears of that beat a new one; then those within reach
        heard = np.flatnonzero((self.rng.random(self.idle) < seen)
                               & (value + mp.transfer_eur_per_machine < mp.new_machine_eur))
        dist = np.hypot(*(self.xy[heard] - xy).T)
        near = dist <= reach
        take = heard[near][np.argsort(dist[near], kind="stable")]
        take = take[:mp.machines_per_entrant]
        self.entrants += 1
        m.pay("makers", "workshop_setup", "world", mp.maker_entry_cost_eur)
        for i in take:
            self.moves.append((self.xy[i].copy(), np.asarray(xy, float).copy()))
            m.pay("makers", "machine_sale", self.firms[self.owner_index[i]], float(value[i]))
            public = (self._spend("machine_transfer", "world",
                                  mp.transfer_eur_per_machine * subsidy) if subsidy else 0.0)
            moving = mp.transfer_eur_per_machine - public
            m.pay("makers", "machine_transfer", "world", moving)
            self.saving_eur += mp.new_machine_eur - value[i] - moving
        m.pay("makers", "machine_purchase", "world",
              (mp.machines_per_entrant - len(take)) * mp.new_machine_eur)
        self.reused += len(take)
        self._take(take)
