"""Social cooperatives: collect, sort into grades, give, sell, export and pass on.

A cooperative serves a set of zones: it empties their bins, takes households'
donations and brands' take-back and unsold goods while its store has room (what does
not fit is refused: the bins stay full and households' deposits end in the residual
bin), sorts what it can each month into rewearable, recyclable and residual grades
from the condition of what was collected (:mod:`circsim.agents.grading`), gives part
of the rewearable garments to low-income households, sells part in its charity shops,
and sells the surplus to export traders where export pays more than its other outlets
(else it is downgraded to recyclable). Recyclable grades go to the byproduct exchange.

Each cooperative holds its own shop and free-distribution stock, by zone: several
cooperatives may stock the same zone, and households there take from what they
hold together (see :func:`pool_stock` and :meth:`SocialCooperative.keep_share`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from circsim.agents import grading
from circsim.agents.recycler import POST_CONSUMER, feedstock_price_eur_per_kg
from circsim.labour import COOPERATIVE_ACTIVITIES, cooperative_hours, fte
from circsim.mesa_core import Agent
from circsim.money import open_wallet
from circsim.wardrobe import DUR, MASS, empty_lot, lot_mass, take_share

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
        self.refused_kg = 0.0          # this month's collection it had no room for
        self.refusing_months = 0       # months in a row it refused collection
        self.sorted_kg = 0.0
        self.sold_kg = 0.0          # sold in its shops this month
        # share of rewearable garments sent to its shops, adapted to what they sell
        self.shop_share = model.scenario.cooperatives.shop_sales_share_max
        self.given_kg = 0.0         # given free this month
        self.collection_tkm = 0.0   # households' textiles carried to it this month (simulated)
        self.hours = dict.fromkeys(COOPERATIVE_ACTIVITIES, 0.0)   # real hours this month
        self.jobs = 0.0             # staff, full-time equivalents
        open_wallet(self, "cooperatives")
        self.invested_eur = 0.0        # capital it paid for capacity
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
        """Empty the bins and take the donations and take-back of its zones, up to its room.

        When its store is full it takes the same share of every route and refuses the
        rest: bins stay full, so those deposits overflow to the residual bin.
        """
        m = self.model
        parts = [(route, lots[self.zones].sum(axis=0)) for route, lots in
                 (("collection_bin", discards.bin_lots), ("donation", discards.donation_lots),
                  ("take_back", discards.take_back_lots))]
        offered = sum(lot_mass(part) for _, part in parts)
        accept = min(1.0, self.room_kg / offered) if offered > 0 else 1.0
        for route, part in parts:
            kept = part * accept
            m.ledger.move("households", route, "cooperatives", lot_mass(kept))
            self.unsorted += kept
        # road transport of what it took in, from each zone to its base
        road_km = (np.hypot(*(m.geo.xy_km[self.zones] - self.xy).T)
                   * m.scenario.climate.road_km_per_straight_km)
        taken = sum(lots[self.zones][:, MASS].sum(axis=(1, 2)) for lots in
                    (discards.bin_lots, discards.donation_lots, discards.take_back_lots))
        self.collection_tkm = float(taken @ road_km) * accept / 1000
        self.collected_kg = offered * accept
        self.refused_kg = offered - self.collected_kg
        m.send_to_residual("households", "collection_refused", self.refused_kg, m.households)
        self.refusing_months = self.refusing_months + 1 if self.refused_kg > 0 else 0

    def invest(self, kg_capacity: float) -> None:
        """Add sorting capacity (kg a month; storage grows with it)."""
        self.sorting_capacity_kg += max(0.0, kg_capacity)

    def review_capacity(self) -> None:
        """Extend the plant when collection has been refused for a while and cash allows.

        After ``investment_trigger_months`` months in a row of refused collection, it
        adds ``investment_step_share`` of its sorting capacity at
        ``investment_eur_per_t_month`` per tonne a month of capacity, if its cash (from
        sales, EPR funding and grants) covers the cost: capacity grows only by an
        investment it decides and pays for.
        """
        m = self.model
        cp = m.scenario.cooperatives
        if self.refusing_months < cp.investment_trigger_months:
            return
        added = cp.investment_step_share * self.sorting_capacity_kg
        cost = added / m.scale / 1000 * cp.investment_eur_per_t_month
        if added <= 0 or self.cash_eur < cost:
            return
        m.pay(self, "investment", "world", cost)
        self.invested_eur += cost
        self.invest(added)
        self.refusing_months = 0

    def take_in(self, lot: np.ndarray, source: str, route: str) -> np.ndarray:
        """Take what fits of ``lot`` into the unsorted store; return what it refused."""
        kg = lot_mass(lot)
        accept = min(1.0, self.room_kg / kg) if kg > 0 else 1.0
        kept = lot * accept
        self.model.ledger.move(source, route, "cooperatives", lot_mass(kept))
        self.unsorted += kept
        return lot - kept

    def receive_new_goods(self, kg: float) -> None:
        """Brands' unsold goods: new and rewearable, straight to free stock and shops."""
        if kg <= 0:
            return
        lot = empty_lot()
        lot[MASS, 0, 0] = kg        # booked as clothing, first owner to come
        lot[DUR, 0, 0] = kg * self.model.mean_new_durability
        self._place_rewearable(lot, route="donation_new")
        self.collected_kg += kg

    def sort(self) -> None:
        """Sort up to capacity; grades follow from the condition of what was collected."""
        m = self.model
        have = lot_mass(self.unsorted)
        capacity = self.sorting_capacity_kg + m.conditions.coop_sorting_grant_t_month * 1000 \
            * m.scale / max(len(m.cooperatives), 1)
        amount = min(have, capacity)
        self.sorted_kg = amount
        if amount <= 0:
            return
        grades = grading.grade(take_share(self.unsorted, amount / have),
                               m.scenario.cooperatives)
        rewearable_kg = lot_mass(grades.rewearable)
        m.send_to_residual("cooperatives", "sorting_residual", grades.residual_kg, payer=self)
        self.recyclable_kg += grades.recyclable_kg
        m.tally["sorted_kg"] += amount
        m.tally["sorted_rewearable_kg"] += rewearable_kg
        m.tally["sorted_recyclable_kg"] += grades.recyclable_kg
        self._place_rewearable(grades.rewearable, route="sorted_rewearable")

    def _place_rewearable(self, lot: np.ndarray, route: str) -> None:
        """Free distribution first, then shops up to what they can sell, the rest sold on.

        A cell goes to the shops only while the shop price beats what export traders
        would pay net for it.
        """
        m = self.model
        cp = m.scenario.cooperatives
        ledger = m.ledger
        free = take_share(lot, self.free_share)
        net_export = grading.export_price_eur_per_kg(lot, cp) - cp.export_cost_eur_per_kg
        to_shop = min(1.0, self.shop_share / max(1e-9, 1 - self.free_share))
        shop = take_share(lot, np.where(net_export > cp.shop_price_eur_per_kg, 0.0, to_shop))
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
        self._sell_surplus(lot, src, route)

    def _sell_surplus(self, lot: np.ndarray, source: str, route: str) -> None:
        """Rewearable surplus: export each cell where that pays best, else downgrade it.

        Export earns the traders' price for the cell's quality less the export cost; a
        downgraded cell joins the recyclable grade, which the byproduct exchange takes at
        the recyclers' gate fee; if even that costs more than residual treatment, it is
        disposed of.
        """
        m = self.model
        cp = m.scenario.cooperatives
        export = grading.export_price_eur_per_kg(lot, cp) - cp.export_cost_eur_per_kg
        recycle = float(feedstock_price_eur_per_kg(m.scenario)[POST_CONSUMER])
        dispose = -m.conditions.disposal_cost_eur_per_t(m.scenario) / 1000
        exported = lot * (export >= max(recycle, dispose))
        self._export(exported, source)
        rest = lot_mass(lot) - lot_mass(exported)
        if rest <= 0:
            return
        if recycle >= dispose:
            if source != "cooperatives":
                m.ledger.move(source, route, "cooperatives", rest)
            self.recyclable_kg += rest
        else:
            m.send_to_residual(source, "sorting_residual", rest, payer=self)

    def _export(self, lot: np.ndarray, source: str) -> None:
        """Sell a lot to export traders at its quality's price; part is never worn again."""
        m = self.model
        cp = m.scenario.cooperatives
        mass = lot[MASS]
        worn_again = float((mass * grading.abroad_reuse_share(lot, cp)).sum())
        m.ledger.move(source, "export", "reuse_abroad", worn_again)
        m.ledger.move(source, "export", "waste_abroad", float(mass.sum()) - worn_again)
        m.pay("world", "export_sale", self,
              float((mass * grading.export_price_eur_per_kg(lot, cp)).sum()) / m.scale)
        m.pay(self, "operating_cost", "world",
              float(mass.sum()) / m.scale * cp.export_cost_eur_per_kg)

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
        m.pay(m.households, "charity_shop_sale", self,
              sold / m.scale * m.scenario.cooperatives.shop_price_eur_per_kg)

    def hand_over_stock(self, zone: int, to: SocialCooperative) -> None:
        """Pass its shop and reserve stock in ``zone`` to the cooperative taking it over."""
        for mine, theirs in ((self.shop_lots, to.shop_lots), (self.free_lots, to.free_lots)):
            theirs[zone] += mine[zone]
            mine[zone] = 0.0

    def clear_old_stock(self) -> None:
        """Its shops and free-distribution reserve keep a few months' worth; export the rest.

        First the shops' share of rewearable garments adapts to demand: towards more when
        shops hold less than ``shop_stock_months`` of this month's sales, towards less when
        they hold more (by ``shop_share_adjust_rate`` of ``shop_sales_share_max`` a month at
        most), within ``[0, shop_sales_share_max]``, the most the shops can sell.
        """
        m = self.model
        cp = m.scenario.cooperatives
        want = cp.shop_stock_months * self.sold_kg
        have = lot_mass(self.shop_lots)
        pressure = np.clip(want / have - 1.0, -1.0, 1.0) if have > 0 else float(want > 0)
        self.shop_share = float(np.clip(
            self.shop_share + cp.shop_share_adjust_rate * cp.shop_sales_share_max * pressure,
            0.0, cp.shop_sales_share_max))
        for lots, node, months, inflow in ((self.shop_lots, "coop_shops", cp.shop_stock_months,
                                            self.shop_inflow_kg),
                                           (self.free_lots, "coop_free_stock",
                                            cp.free_stock_months, self.free_inflow_kg)):
            have = lot_mass(lots)
            keep = months * inflow
            if have > keep and have > 0:
                cleared = take_share(lots, (have - keep) / have).sum(axis=0)
                m.ledger.move(node, "stock_clearance", "cooperatives", lot_mass(cleared))
                self._sell_surplus(cleared, "cooperatives", "stock_clearance")
        self.shop_inflow_kg = self.free_inflow_kg = 0.0

    def recyclables_unsold(self, kg: float) -> None:
        """Recyclable grades nobody took this month go to residual treatment."""
        if kg > 0:
            self.model.send_to_residual("cooperatives", "unsold_recyclable", kg, payer=self)
        self.recyclable_kg -= kg

    def count_labour(self) -> None:
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
        m.pay(self, "operating_cost", "world",
              self.sorted_kg * t * cp.cost_eur_per_t_sorted + bins * cp.cost_eur_per_bin_month)
        m.pay(self, "wages", m.households, self.jobs * m.scenario.labour.wage_eur_per_fte_month)
        self.sold_kg = self.given_kg = 0.0


def pool_stock(coops: list[SocialCooperative], n_zones: int) -> tuple[np.ndarray, np.ndarray]:
    """The zones' free-distribution and shop stock, all cooperatives together."""
    free = empty_lot(n_zones)
    shop = np.zeros_like(free)
    for coop in coops:
        free += coop.free_lots
        shop += coop.shop_lots
    return free, shop
