"""Social cooperatives: collect, sort into grades, give, sell, export and pass on.

A cooperative serves a set of zones: it empties their bins, takes households'
donations and brands' take-back and unsold goods, sorts what it can each month
into rewearable, recyclable and residual grades, gives part of the rewearable
garments to low-income households, sells part in its charity shops, and sells
the surplus to export traders. Recyclable grades go to the byproduct exchange.

Each cooperative holds its own shop and free-distribution stock, by zone: several
cooperatives may stock the same zone, and households there take from what they
hold together (see :func:`pool_stock` and :meth:`SocialCooperative.keep_share`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent

from circsim.labour import COOPERATIVE_ACTIVITIES, cooperative_hours, fte
from circsim.wardrobe import MASS, empty_lot, lot_mass, take_share

if TYPE_CHECKING:
    from circsim.households import Discards
    from circsim.model import TextileEconomy


class SocialCooperative(Agent):
    """A social cooperative employing disadvantaged workers in textile reuse."""

    HOLDS = ("cooperatives", "coop_shops", "coop_free_stock")

    def __init__(self, model: TextileEconomy, zones: list[int], xy: np.ndarray,
                 sorting_capacity_kg: float, shop_zones: list[int] | None = None,
                 entrant: bool = False) -> None:
        super().__init__(model)
        self.zones = list(zones)                       # where it empties bins
        self.shop_zones = list(shop_zones or zones)    # where its shops and reserves are
        self.xy = xy
        self.sorting_capacity_kg = sorting_capacity_kg
        self.entrant = entrant
        cp = model.scenario.cooperatives
        # supported social enterprises are reuse hubs devoted to low-income households
        self.free_share = (model.scenario.policies.enterprise_support.hub_free_distribution_share
                           if entrant else cp.free_distribution_share)
        self.unsorted = empty_lot()
        n_zones = model.geo.n_zones
        self.shop_lots = empty_lot(n_zones)    # in its charity shops, by zone
        self.free_lots = empty_lot(n_zones)    # reserved for free distribution, by zone
        self.recyclable_kg = 0.0
        self.collected_kg = 0.0
        self.sorted_kg = 0.0
        self.sold_kg = 0.0          # sold in its shops this month
        self.given_kg = 0.0         # given free this month
        self.collection_tkm = 0.0   # households' textiles carried to it this month (simulated)
        self.hours = dict.fromkeys(COOPERATIVE_ACTIVITIES, 0.0)   # real hours this month
        self.jobs = 0.0             # staff, full-time equivalents
        self.revenue_eur = 0.0
        self.cost_eur = 0.0
        self.shop_inflow_kg = 0.0
        self.free_inflow_kg = 0.0

    @property
    def held_kg(self) -> float:
        return lot_mass(self.unsorted) + self.recyclable_kg

    def holdings(self) -> dict[str, float]:
        """kg held, by ledger node."""
        return {"cooperatives": self.held_kg, "coop_shops": lot_mass(self.shop_lots),
                "coop_free_stock": lot_mass(self.free_lots)}

    @property
    def room_kg(self) -> float:
        """How much more it can take in: up to ``storage_months`` of sorting unsorted."""
        storage = self.model.scenario.cooperatives.storage_months
        return max(0.0, storage * self.sorting_capacity_kg - lot_mass(self.unsorted))

    def bins(self) -> float:
        """Collection bins it runs (at simulated scale)."""
        m = self.model
        res = m.households.residents_by_zone[self.zones].sum()
        return m.conditions.bins_per_10k_residents * res / 1e4

    # -- verbs ---------------------------------------------------------------------
    def collect(self, discards: Discards) -> None:
        """Empty the bins and take the donations and take-back of its zones."""
        m = self.model
        before = lot_mass(self.unsorted)
        road_km = (np.hypot(*(m.geo.xy_km[self.zones] - self.xy).T)
                   * m.scenario.climate.road_km_per_straight_km)
        self.collection_tkm = 0.0
        for route, lots in (("collection_bin", discards.bin_lots),
                            ("donation", discards.donation_lots),
                            ("take_back", discards.take_back_lots)):
            by_zone = lots[self.zones]
            part = by_zone.sum(axis=0)
            m.ledger.move("households", route, "cooperatives", lot_mass(part))
            self.collection_tkm += float(by_zone[:, MASS].sum(axis=(1, 2)) @ road_km) / 1000
            self.unsorted += part
        self.collected_kg = lot_mass(self.unsorted) - before

    def receive_new_goods(self, kg: float) -> None:
        """Brands' unsold goods: new and rewearable, straight to free stock and shops."""
        if kg <= 0:
            return
        lot = empty_lot()
        lot[MASS, 0, 0] = kg        # booked as clothing, first owner to come
        lot[2, 0, 0] = kg * self.model.mean_new_durability
        self._place_rewearable(lot, route="donation_new")
        self.collected_kg += kg

    def sort(self) -> None:
        """Sort up to capacity; grades depend on falling quality of what is collected."""
        m = self.model
        cp = m.scenario.cooperatives
        have = lot_mass(self.unsorted)
        capacity = self.sorting_capacity_kg + m.conditions.coop_sorting_grant_t_month * 1000 \
            * m.scale / max(len(m.cooperatives), 1)
        amount = min(have, capacity)
        self.sorted_kg = amount
        if amount <= 0:
            return
        lot = take_share(self.unsorted, amount / have)
        years = (m.month - 1) / 12
        quality = (1 - cp.quality_decline_per_year) ** years
        rewear = cp.grade_shares.rewearable * quality
        recyc = cp.grade_shares.recyclable + cp.grade_shares.rewearable * (1 - quality) * 0.5
        resid = 1.0 - rewear - recyc
        rewearable = take_share(lot, rewear)
        m.send_to_residual("cooperatives", "sorting_residual", amount * resid)
        self.recyclable_kg += amount * recyc
        m.tally["sorted_kg"] += amount
        m.tally["sorted_rewearable_kg"] += amount * rewear
        m.tally["sorted_recyclable_kg"] += amount * recyc
        self._place_rewearable(rewearable, route="sorted_rewearable")

    def _place_rewearable(self, lot: np.ndarray, route: str) -> None:
        """Free distribution first, then shops up to what they can sell, export the rest."""
        m = self.model
        cp = m.scenario.cooperatives
        ledger = m.ledger
        free = take_share(lot, self.free_share)
        shop = take_share(lot, min(1.0, cp.shop_sales_share_max / max(1e-9, 1 - self.free_share)))
        w_free = m.households_weights(self.shop_zones, low_income=True)
        w_shop = m.households_weights(self.shop_zones, low_income=False)
        for z, wf, ws in zip(self.shop_zones, w_free, w_shop, strict=True):
            self.free_lots[z] += free * wf
            self.shop_lots[z] += shop * ws
        src = "firms" if route == "donation_new" else "cooperatives"
        ledger.move(src, route, "coop_free_stock", lot_mass(free))
        ledger.move(src, route, "coop_shops", lot_mass(shop))
        self.shop_inflow_kg += lot_mass(shop)
        self.free_inflow_kg += lot_mass(free)
        self._export(lot_mass(lot), src)

    def _export(self, kg: float, source: str) -> None:
        """Sell rewearable surplus to export traders; part is never worn again."""
        m = self.model
        cp = m.scenario.cooperatives
        m.ledger.move(source, "export", "reuse_abroad", kg * cp.export_reuse_share)
        m.ledger.move(source, "export", "waste_abroad", kg * (1 - cp.export_reuse_share))
        self.revenue_eur += kg / m.scale * cp.export_price_eur_per_kg

    def keep_share(self, free_left: np.ndarray, shop_left: np.ndarray) -> None:
        """Households took from the zones' pooled stock: keep the share of each cell left.

        ``free_left`` and ``shop_left`` are ``(Z, 3, C, O)`` shares (after / before), the
        same for every cooperative stocking a zone, so each loses in proportion to what
        it held there, and earns the shop price on what its shops sold (real volumes).
        """
        m = self.model
        given = lot_mass(self.free_lots)
        self.free_lots *= free_left
        self.given_kg = given - lot_mass(self.free_lots)
        sold = lot_mass(self.shop_lots)
        self.shop_lots *= shop_left
        self.sold_kg = sold = sold - lot_mass(self.shop_lots)
        self.revenue_eur += sold / m.scale * m.scenario.cooperatives.shop_price_eur_per_kg

    def hand_over_stock(self, zone: int, to: SocialCooperative) -> None:
        """Pass its shop and reserve stock in ``zone`` to the cooperative taking it over."""
        for mine, theirs in ((self.shop_lots, to.shop_lots), (self.free_lots, to.free_lots)):
            theirs[zone] += mine[zone]
            mine[zone] = 0.0

    def clear_old_stock(self) -> None:
        """Its shops and free-distribution reserve keep a few months' worth; export the rest."""
        m = self.model
        cp = m.scenario.cooperatives
        for lots, node, months, inflow in ((self.shop_lots, "coop_shops", cp.shop_stock_months,
                                            self.shop_inflow_kg),
                                           (self.free_lots, "coop_free_stock",
                                            cp.free_stock_months, self.free_inflow_kg)):
            have = lot_mass(lots)
            keep = months * inflow
            if have > keep and have > 0:
                kg = lot_mass(take_share(lots, (have - keep) / have))
                m.ledger.move(node, "stock_clearance", "cooperatives", kg)
                self._export(kg, "cooperatives")
        self.shop_inflow_kg = self.free_inflow_kg = 0.0

    def recyclables_unsold(self, kg: float) -> None:
        """Recyclable grades nobody took this month go to residual treatment."""
        if kg > 0:
            self.model.send_to_residual("cooperatives", "unsold_recyclable", kg)
        self.recyclable_kg -= kg

    def account(self) -> None:
        """The month's hours by activity, its staff and its costs, at real volumes.

        Staff move ``staffing_adjustment_per_month`` of the way towards the full-time
        equivalents the month's work took, never below a hub's minimum staff.
        """
        m = self.model
        cp = m.scenario.cooperatives
        t = 1.0 / m.scale / 1000        # simulated kg -> real tonnes
        bins = self.bins() / m.scale
        self.hours = cooperative_hours(m.scenario.labour, self.collected_kg * t, bins,
                                       self.sorted_kg * t, self.sold_kg * t, self.given_kg * t,
                                       cp.parcel_kg)
        staff = max(cp.min_staff_fte, fte(m.scenario.labour, sum(self.hours.values())))
        r = cp.staffing_adjustment_per_month
        self.jobs = (1.0 - r) * self.jobs + r * staff
        self.cost_eur += (self.sorted_kg * t * cp.cost_eur_per_t_sorted
                          + bins * cp.cost_eur_per_bin_month)
        self.sold_kg = self.given_kg = 0.0


def pool_stock(coops: list[SocialCooperative], n_zones: int) -> tuple[np.ndarray, np.ndarray]:
    """The zones' free-distribution and shop stock, all cooperatives together."""
    free = empty_lot(n_zones)
    shop = np.zeros_like(free)
    for coop in coops:
        free += coop.free_lots
        shop += coop.shop_lots
    return free, shop
