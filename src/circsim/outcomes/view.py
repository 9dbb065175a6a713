"""One month seen by the outcomes: its ledger flows, tallies and the agents' state.

Quantities that several outcomes share (what was collected separately, what was
discarded, what was reused) are computed once per month here, in simulated kg. The
outcome table turns them into metro-equivalent units with :attr:`MonthView.t` (simulated
kg to metro tonnes) and :meth:`MonthView.per_capita_year`.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from circsim.labour import fte, repair_hours

if TYPE_CHECKING:
    from circsim.households import Acquisitions, Discards
    from circsim.model import TextileEconomy


def ratio(a: float, b: float) -> float:
    """``a / b``, or NaN when there is nothing to divide by."""
    return a / b if b > 0 else float("nan")


class MonthView:
    """The month just closed, for computing outcomes (amounts in simulated kg)."""

    def __init__(self, model: TextileEconomy, discards: Discards, acquired: Acquisitions,
                 imbalance: float) -> None:
        self.model = model
        self.d = discards
        self.a = acquired
        self.imbalance = imbalance
        self.ledger = model.ledger
        self.s = model.scenario
        self.hh = model.households
        self.tally = model.tally
        self.money = model.money
        self.money_imbalance = model.money.last_imbalance_eur
        #: simulated kg -> metro tonnes
        self.t = 1.0 / model.scale / 1000.0
        self.residents = self.hh.residents
        self.n_low = max(int(self.hh.low_income.sum()), 1)

    # -- helpers ---------------------------------------------------------------------
    @property
    def sym(self) -> dict[str, float]:
        """The symbiosis exchange's counts of the month."""
        return self.model.exchange.month

    def routed(self, route: str, source: str | None = None) -> float:
        return self.ledger.routed(route, source)

    def into(self, node: str) -> float:
        return self.ledger.into(node)

    def per_capita_year(self, kg: float) -> float:
        """A month's simulated kg as kg per resident per year."""
        return ratio(kg * 12, self.residents)

    def recent(self, column: str, months: int) -> float:
        """Sum of a recorded monthly column over the ``months - 1`` months before this one."""
        if months <= 1:
            return 0.0
        return float(sum(r[column] for r in self.model.records[-(months - 1):]))

    # -- shared quantities (simulated kg) ----------------------------------------------
    @cached_property
    def incinerated(self) -> float:
        return self.into("incineration")

    @cached_property
    def landfilled(self) -> float:
        return self.into("landfill")

    @cached_property
    def residual_waste(self) -> float:
        return self.incinerated + self.landfilled

    @cached_property
    def bins(self) -> float:
        return self.routed("collection_bin")

    @cached_property
    def donated(self) -> float:
        return self.routed("donation", "households")

    @cached_property
    def take_back(self) -> float:
        return self.routed("take_back")

    @cached_property
    def separate(self) -> float:
        """Households' textiles collected separately: bins, donations, brand take-back."""
        return self.bins + self.donated + self.take_back

    @cached_property
    def refused(self) -> float:
        """Households' deposits full cooperatives refused (they end in the residual bin)."""
        return self.routed("collection_refused")

    @cached_property
    def residual_bin(self) -> float:
        """Households' residual bin, with what full bins and full cooperatives turned away."""
        return self.routed("residual_bin") + self.refused

    @cached_property
    def bulky(self) -> float:
        """Household textiles thrown away as bulky waste (carpets, curtains, duvets)."""
        return self.routed("bulky_waste")

    @cached_property
    def thrown(self) -> float:
        """Households' textiles sent to residual treatment: residual bin and bulky waste."""
        return self.residual_bin + self.bulky

    @cached_property
    def listed(self) -> float:
        return self.routed("peer_resale_listing")

    @cached_property
    def discarded(self) -> float:
        """Garments leaving households (not repaired, not given or kept as rags), by any
        route."""
        return self.separate + self.thrown + self.listed

    @cached_property
    def new_sales(self) -> float:
        return self.routed("new_sale") + self.routed("discount_sale")

    @cached_property
    def secondhand(self) -> float:
        return self.routed("charity_shop_sale") + self.routed("peer_resale")

    @cached_property
    def free(self) -> float:
        return self.routed("free_distribution")

    @cached_property
    def reuse_abroad(self) -> float:
        return self.into("reuse_abroad")

    @cached_property
    def waste_abroad(self) -> float:
        return self.into("waste_abroad")

    @cached_property
    def recycled_to_firms(self) -> float:
        return self.routed("recycled_fabric")

    @cached_property
    def recycled_out(self) -> float:
        return self.into("recycled_out")

    @cached_property
    def arising(self) -> float:
        """Textile waste arising: discards, firms' scraps and unsold goods leaving firms."""
        scraps = self.routed("symbiosis_exchange", "firms") + self.routed("scrap_disposal")
        unsold = (self.routed("destruction") + self.routed("unsold_disposal")
                  + self.tally["firm_donations_kg"])
        return self.discarded + scraps + unsold

    @cached_property
    def fabric(self) -> float:
        return self.tally["virgin_fibre_kg"] + self.tally["recycled_fibre_used_kg"]

    @cached_property
    def exported(self) -> float:
        """Rewearable garments shipped abroad, worn again or not."""
        return self.reuse_abroad + self.into("waste_abroad")

    @cached_property
    def transport_co2e_kg(self) -> float:
        """Road transport of collection and of the byproduct exchange; road and sea export."""
        c = self.s.climate
        road_tkm = (sum(co.collection_tkm for co in self.model.cooperatives)
                    + self.model.exchange.tkm + self.exported / 1000 * c.export_road_km)
        return (road_tkm * c.transport_kg_per_tkm
                + self.exported / 1000 * c.export_sea_km * c.sea_transport_kg_per_tkm)

    @cached_property
    def co2e_kg(self) -> float:
        """Production, less recycled fibre and production displaced abroad, plus treatment
        and transport.

        Reuse at home is credited once, through the production it displaces: second-hand
        and free garments lower households' new purchases and so ``fabric``. Garments
        worn again abroad displace new ones there at ``export_displacement_rate``.
        """
        c = self.s.climate
        return (self.fabric * c.production_kg_per_kg
                - (self.recycled_to_firms + self.recycled_out) * c.recycled_fibre_saving_kg_per_kg
                - self.reuse_abroad * c.export_displacement_rate * c.production_kg_per_kg
                + self.incinerated * c.incineration_kg_per_kg
                + self.landfilled * c.landfill_kg_per_kg
                + self.transport_co2e_kg)

    @cached_property
    def collected_by_cooperatives(self) -> float:
        """Everything cooperatives took in: households' separate routes and firms' donations."""
        return self.separate + self.tally["firm_donations_kg"]

    @cached_property
    def coop_jobs(self) -> float:
        """Cooperatives' staff (FTE): the work performed, at least a hub's minimum staff."""
        return float(sum(co.jobs for co in self.model.cooperatives))

    @cached_property
    def recycler_jobs(self) -> float:
        return float(sum(r.jobs for r in self.model.recyclers))

    def coop_activity_jobs(self, activity: str) -> float:
        """Full-time equivalents of one cooperative activity performed this month."""
        hours = sum(co.hours[activity] for co in self.model.cooperatives)
        return fte(self.s.labour, hours)

    @cached_property
    def repair_jobs(self) -> float:
        """Repairers' full-time equivalents for the month's repairs (real, not simulated)."""
        return fte(self.s.labour, repair_hours(self.s.labour, self.d.repairs / self.model.scale))

    @cached_property
    def firms(self) -> list:
        return list(self.model.firms)

    def innovation_share(self) -> float:
        return float(np.mean([bool(f.innovations) for f in self.firms]))
