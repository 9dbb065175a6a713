"""Running the byproduct exchange each month: who offers, who needs, and trust.

Offers are firms' cutting scraps (pre-consumer) and cooperatives' recyclable
grades (post-consumer); needs are recyclers' free capacity. Each seller's
reservation value is its alternative, disposal with its fees and taxes, so a
landfill tax makes exchange more attractive. A matchmaking platform widens the
reach and lowers transaction costs, but only once enough firms use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from circsim.agents import FashionFirm, Recycler, SocialCooperative
from circsim.agents.recycler import POST_CONSUMER, PRE_CONSUMER
from circsim.markets import match_byproducts

if TYPE_CHECKING:
    from circsim.model import TextileEconomy


class SymbiosisExchange:
    """The industrial-symbiosis market of the metro, with its memory of partners."""

    def __init__(self, model: TextileEconomy) -> None:
        self.model = model
        self.trust: dict[tuple[int, int], float] = {}
        self.platform_users = 0.0
        self.backlog_months = 0
        self.unmet_kg_month = 0.0
        self.unmet_kg_by_material = np.zeros(2)     # PRE_CONSUMER, POST_CONSUMER
        self.unmet_zone = 0
        self.exchanged_kg = 0.0
        self.links = 0
        self.tkm = 0.0

    def terms(self) -> tuple[float, float]:
        """Reach (km) and transaction cost (EUR/t) in force this month."""
        m = self.model
        c = m.conditions
        ex = m.scenario.exchange
        if c.platform_threshold is None:
            return ex.reach_km, ex.transaction_cost_eur_per_t
        self.platform_users += (1 - self.platform_users) * ex.platform_uptake_per_month
        if self.platform_users < c.platform_threshold:
            return ex.reach_km, ex.transaction_cost_eur_per_t
        return c.reach_km, c.transaction_cost_eur_per_t

    def clear(self) -> None:
        """Match this month's offers with recyclers; what is left is disposed of."""
        m = self.model
        sellers = [f for f in m.agents_by_type[FashionFirm] if f.scraps_kg > 0]
        sellers += [c for c in m.agents_by_type[SocialCooperative] if c.recyclable_kg > 0]
        buyers = list(m.agents_by_type.get(Recycler, []))
        offer_kg = np.array([self._offered(s) for s in sellers])
        # each seller's alternative is disposal at its own price: firms pay the commercial
        # waste price, cooperatives the plants' gate fees (taxes on both)
        firm_alt = -m.conditions.firm_disposal_cost_eur_per_t(m.scenario) / 1000
        coop_alt = -m.conditions.disposal_cost_eur_per_t(m.scenario) / 1000
        alt = np.array([firm_alt if isinstance(s, FashionFirm) else coop_alt for s in sellers])
        reach, cost = self.terms()
        self.exchanged_kg = self.tkm = 0.0
        self.links = 0
        sold = np.zeros(len(sellers))
        if sellers and buyers:
            trust = np.array([[self.trust.get((s.unique_id, b.unique_id), 0.0) for b in buyers]
                              for s in sellers])
            res = match_byproducts(
                offer_kg, np.array([s.xy for s in sellers]), alt,
                np.array([PRE_CONSUMER if isinstance(s, FashionFirm) else POST_CONSUMER
                          for s in sellers]),
                np.array([b.room_kg for b in buyers]), np.array([b.xy for b in buyers]),
                np.array([b.willingness_to_pay_eur_per_kg() for b in buyers]),
                np.array([b.accepts for b in buyers]), reach_km=reach,
                transport_eur_per_tkm=m.scenario.exchange.transport_eur_per_tkm,
                transaction_cost_eur_per_t=cost, trust=trust)
            self._settle(res, sellers, buyers)
            sold = res.sold_kg(len(sellers))
        self._update_backlog(sellers, offer_kg - sold, buyers)
        for s, left in zip(sellers, offer_kg - sold, strict=True):
            if isinstance(s, FashionFirm):
                s.scraps_unsold(float(left))
            else:
                s.recyclables_unsold(float(left))
        for f in m.agents_by_type[FashionFirm]:
            f.scraps_kg = 0.0

    @staticmethod
    def _offered(seller) -> float:
        return seller.scraps_kg if isinstance(seller, FashionFirm) else seller.recyclable_kg

    def _settle(self, res, sellers, buyers) -> None:
        traded = set()
        for i, j, kg, d in zip(res.offer, res.need, res.kg, res.distance_km, strict=True):
            s, b = sellers[i], buyers[j]
            firm = isinstance(s, FashionFirm)
            price = float(b.willingness_to_pay_eur_per_kg()[PRE_CONSUMER if firm
                                                              else POST_CONSUMER])
            b.receive(float(kg), s, price)
            if firm:
                s.scraps_kg -= float(kg)
            else:
                s.recyclable_kg -= float(kg)
            traded.add((s.unique_id, b.unique_id))
            self.exchanged_kg += float(kg)
            self.tkm += float(kg) / 1000 * float(d)
        self._update_trust(traded)
        self.links = len(traded)

    def _update_trust(self, traded: set[tuple[int, int]]) -> None:
        """Trust erodes every month unless renewed: ``t <- min(1, t (1 - decay) + gain)``.

        Partners who trade this month gain ``trust_gain_per_month``; every pair loses
        ``trust_decay_per_month`` of its trust, so trust settles where renewal and erosion
        balance (``gain / decay``, at most 1) and fades away between partners who stop.
        """
        ex = self.model.scenario.exchange
        keep = 1.0 - ex.trust_decay_per_month
        for key in self.trust.keys() | traded:
            renewed = ex.trust_gain_per_month if key in traded else 0.0
            self.trust[key] = min(1.0, self.trust.get(key, 0.0) * keep + renewed)

    def _update_backlog(self, sellers, left: np.ndarray, buyers) -> None:
        """Months in a row when recyclers were full while feedstock went to disposal."""
        room = sum(b.room_kg for b in buyers)
        capacity = sum(b.capacity_kg for b in buyers)
        unmet = float(left.sum())
        full = self.model.scenario.recyclers.full_room_share
        if unmet > 0 and room <= full * max(capacity, 1e-9):
            self.backlog_months += 1
            self.unmet_kg_month = unmet
            material = [PRE_CONSUMER if isinstance(s, FashionFirm) else POST_CONSUMER
                        for s in sellers]
            self.unmet_kg_by_material = np.bincount(material, left, 2)
            zones = np.array([s.zone if isinstance(s, FashionFirm) else (s.zones or s.shop_zones)[0]
                              for s in sellers], dtype=int)
            n_zones = self.model.geo.n_zones
            self.unmet_zone = int(np.bincount(zones, left, n_zones).argmax())
        else:
            self.backlog_months = 0
