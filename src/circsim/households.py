"""Households as columns: state in numpy arrays, monthly decisions vectorised.

There may be 1.6 million households, so none of them is a Python object here:
each is a row (zone, income class, size, awareness, distance draw, wardrobe kg by
category, last month it received free garments). ``Consumer`` agents are views
on these rows. Garments in use are kept as cohorts by household group in
:class:`~circsim.wardrobe.Wardrobes`; each household's wardrobe mass moves in
step with its group's cohorts, so the two always agree.

Each month households update their attitudes, repair or discard what wears out or
falls out of use (here), choosing a route for each discard (the Theory of Planned
Behaviour, :mod:`circsim.households_routes`), and meet their need for garments
free, second hand or new (:mod:`circsim.households_acquisition`).

Households also hold the garments they listed for sale to one another (ledger node
``peer_listings``) until another household buys them or the listing expires.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from circsim import households_acquisition
from circsim.geography import Geography, allocate
from circsim.households_acquisition import Acquisitions
from circsim.households_routes import (
    R_BIN,
    R_DONATION,
    R_RESALE,
    R_RESIDUAL,
    R_TAKE_BACK,
    ROUTES,
    RouteChoice,
    route_terms,
)
from circsim.policies import Conditions
from circsim.scenario.schema import Scenario
from circsim.wardrobe import (
    AGE_CLASSES,
    BIN_MONTHS,
    MASS,
    OWNERS,
    Wardrobes,
    cells_to_lots,
    empty_lot,
    lot_mass,
    take_share,
    weibull_scale,
)

__all__ = [
    "REACH_WINDOW_MONTHS", "ROUTES", "R_BIN", "R_DONATION", "R_RESALE", "R_RESIDUAL",
    "R_TAKE_BACK", "Acquisitions", "Discards", "Households", "group_sum", "route_terms",
]

#: The reach metric's window: a low-income household counts as reached if it received
#: free garments in the last this-many months (the metric's definition, not behaviour).
REACH_WINDOW_MONTHS = 12


@dataclass
class Discards:
    """What left households this month, by route; lots keep age and owner attributes."""

    bin_lots: np.ndarray         # (Z, 4, C, O)
    donation_lots: np.ndarray    # (Z, 4, C, O)
    take_back_lots: np.ndarray   # (Z, 4, C, O)
    resale_lot: np.ndarray       # (4, C, O), metro-wide peer listings
    residual_kg: float
    bin_overflow_kg: float
    repaired_kg: float
    repairs: float
    eol_kg: float                # residual + bin: the end of a garment's use in the metro
    eol_age_kg_months: float
    eol_owner_kg: float
    eol_second_life_kg: float


def group_sum(values: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sum rows of ``values`` over contiguous groups (empty groups give zero)."""
    out = np.zeros((len(starts), *values.shape[1:]))
    full = counts > 0
    if full.any():
        out[full] = np.add.reduceat(values, starts[full], axis=0)
    return out


class Households(RouteChoice):
    """Columnar state and vectorised monthly behaviour of every simulated household."""

    HOLDS = ("households", "peer_listings")

    def __init__(self, scenario: Scenario, geo: Geography, rng: np.random.Generator) -> None:
        self.s = scenario
        hp = scenario.households
        pop = scenario.population
        self.geo = geo
        n = max(1, round(pop.households * scenario.scale))
        per_zone = allocate(n, geo.households)
        n_low = round(n * pop.low_income_share)
        low_per_zone = allocate(n_low, per_zone) if n > 1 else per_zone * 0
        low_per_zone = np.minimum(low_per_zone, per_zone)
        # households sorted by group: zone-major, then not-low-income before low-income
        self.n_groups = geo.n_zones * 2
        counts = np.column_stack([per_zone - low_per_zone, low_per_zone]).ravel()
        self.group_counts = counts
        self.group_starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self.group = np.repeat(np.arange(self.n_groups), counts).astype(np.int32)
        self.zone = (self.group // 2).astype(np.int32)
        self.low_income = (self.group % 2).astype(bool)
        self.zone_of_group = np.arange(self.n_groups) // 2
        self.n = n
        # persons: low-income households have a set size; others make up the zone's total
        zone_size = geo.household_size()
        other = np.maximum(
            (zone_size * per_zone - pop.low_income_household_size * low_per_zone)
            / np.maximum(per_zone - low_per_zone, 1), 1.0)
        self.size = np.where(self.low_income, pop.low_income_household_size,
                             other[self.zone]).astype(np.float32)
        self.awareness = np.clip(rng.normal(hp.awareness_mean, hp.awareness_sd, n), 0, 1
                                 ).astype(np.float32)
        self.bin_u = rng.uniform(1e-9, 1.0, n)
        self.last_gift_month = np.full(n, -10_000, dtype=np.int32)
        # wardrobes: a steady-state stock of consumption x mean life
        self.life = np.array(hp.life_months.as_tuple())
        self.scale_w = weibull_scale(self.life, hp.weibull_shape)
        per_person = np.array(hp.consumption_kg_per_person_year.as_tuple()) / 12 * self.life
        factor = np.where(self.low_income, hp.low_income_consumption_factor, 1.0)
        self.target = (self.size * factor)[:, None] * per_person[None, :]
        self.wardrobe = self.target.copy()
        self.cohorts = Wardrobes(self.n_groups)
        self.cohorts.fill_stationary(self.group_sum(self.wardrobe), self.scale_w,
                                     hp.weibull_shape, hp.initial_second_hand_share)
        self.entry_class = np.minimum(
            np.round((1 - hp.secondhand_life_months_factor) * self.life / BIN_MONTHS),
            AGE_CLASSES - 1).astype(int)
        self.norm = np.full(geo.n_zones, hp.initial_norm)
        self.group_slices = [(g, slice(int(a), int(a + c))) for g, (a, c) in
                             enumerate(zip(self.group_starts, self.group_counts, strict=True))
                             if c > 0]
        self.low_rows = np.flatnonzero(self.low_income)
        zone_counts = np.bincount(self.zone, minlength=geo.n_zones)
        zone_starts = np.concatenate([[0], np.cumsum(zone_counts)[:-1]])
        self.zone_slices = [slice(int(a), int(a + c)) for a, c in zip(zone_starts, zone_counts,
                                                                     strict=True)]
        self.residents_by_zone = np.bincount(self.zone, self.size, geo.n_zones)
        self.listings = empty_lot()      # garments listed for peer resale, metro-wide

    # -- helpers -----------------------------------------------------------------
    def group_sum(self, values: np.ndarray) -> np.ndarray:
        return group_sum(values, self.group_starts, self.group_counts)

    @property
    def residents(self) -> float:
        return float(self.size.sum())

    def held_kg(self) -> float:
        return float(self.wardrobe.sum())

    def holdings(self) -> dict[str, float]:
        """kg held, by ledger node: wardrobes and peer listings."""
        return {"households": self.held_kg(), "peer_listings": lot_mass(self.listings)}

    # -- monthly behaviour ---------------------------------------------------------
    def update_awareness(self, cond: Conditions, rng: np.random.Generator) -> None:
        """Neighbours pull attitudes together, campaigns raise them, attention fades.

        Each month ``a += peer_rate * (zone mean - a) - decay_rate * (a - awareness_mean)``,
        then a campaign reaches a random share of households and closes part of their gap
        to full awareness.
        """
        hp = self.s.households
        a = self.awareness
        r, k = hp.awareness_peer_rate, hp.awareness_decay_rate
        for rows in self.zone_slices:
            if rows.stop > rows.start:
                mean = float(a[rows].mean(dtype=np.float64))
                # the peer pull, then the fading: a(1-r)(1-k) + r*mean*(1-k) + k*a0
                a[rows] *= (1.0 - r) * (1.0 - k)
                a[rows] += r * mean * (1.0 - k) + k * hp.awareness_mean
        if cond.campaign_reach_share > 0:
            reached = rng.random(self.n) < cond.campaign_reach_share
            a[reached] += cond.campaign_effect * (1 - a[reached])
        np.clip(a, 0, 1, out=a)

    def repair_price_response(self, cond: Conditions) -> float:
        """How much more repair is demanded at this month's net price than at full price.

        ``(repair_cost / net price) ** repair_price_sensitivity``, where the net price is
        the bill less the subsidy, but never below ``repair_min_price_share`` of the bill.
        """
        hp = self.s.households
        net = max(hp.repair_cost_eur - cond.repair_subsidy_eur,
                  hp.repair_min_price_share * hp.repair_cost_eur)
        return (hp.repair_cost_eur / net) ** hp.repair_price_sensitivity

    def repair_share(self, cond: Conditions, repair_service_share: float) -> np.ndarray:
        """Chance that a worn-out garment is repaired, by household.

        A part ``repair_attitude_weight`` of the base propensity scales with the
        household's awareness relative to the mean; the rest does not.
        """
        hp = self.s.households
        price = self.repair_price_response(cond)
        # float64, so that the wardrobes and the ledger round the repaired share alike
        w = hp.repair_attitude_weight
        attitude = (1.0 - w) + w * self.awareness.astype(np.float64) / max(hp.awareness_mean,
                                                                          1e-6)
        p = (hp.repair_base_share * price * attitude
             + self.s.firms.repair_service_uplift * repair_service_share)
        return np.clip(p, 0.0, hp.repair_share_max)

    def discard(self, cond: Conditions, repair_service_share: float, take_back_share: float,
                bin_capacity_kg_month: float) -> Discards:
        """Garments wear out or fall out of use; each is repaired or leaves by a route.

        A household's leaving garments are its wardrobe times its group's leaving rate;
        a share ``wear_out_share`` is worn out (repairable, not resellable), the rest
        falls out of use. Route totals per group are weighted sums of wardrobes.
        Garments for resale join the households' listings (and ``resale_lot``).
        """
        hp = self.s.households
        w = hp.wear_out_share
        self.cohorts.age_one_month()
        leaving_cells = self.cohorts.leaving(self.scale_w, hp.weibull_shape)
        group_mass = self.cohorts.mass.sum(axis=(2, 3))
        rate = np.divide(leaving_cells.sum(axis=(2, 3)), group_mass,
                         out=np.zeros_like(group_mass), where=group_mass > 0)     # (G, C)
        p_rep = self.repair_share(cond, repair_service_share)
        K, A, D = self.route_factors(cond, take_back_share)
        F = self.worn_out_factor()
        x = hp.resale_attitude_weight
        # per group: sums over households of wardrobe x (1, p_rep, e_route * q_route) where
        # e are the route terms and q weighs a leaving kg by its route denominators
        # (worn-out garments cannot be resold); then the wardrobes lose what left, in the
        # same pass over the group
        # (the last three columns: the worn-out part of bin, donation and take-back)
        dots = np.zeros((self.n_groups, rate.shape[1], 9))
        for g, rows in self.group_slices:
            p = p_rep[rows]
            e = route_terms(K[g], A[rows], D[rows], x)
            f = F[rows]
            separate = e[0] + e[1] + e[3]
            q_out = (1.0 - w) / (1.0 + separate + e[2])
            # worn-out garments: no resale, and separate routes weighed by the belief
            # that worn-out textiles do not belong in collection (F <= 1)
            q_worn = f * (w * (1.0 - p) / (1.0 + f * separate))
            q = q_worn + q_out
            weights = np.empty((9, p.size))
            weights[0] = 1.0
            weights[1] = p
            np.multiply(e[0], q, out=weights[2])
            np.multiply(e[1], q, out=weights[3])
            np.multiply(e[2], q_out, out=weights[4])
            np.multiply(e[3], q, out=weights[5])
            np.multiply(e[0], q_worn, out=weights[6])
            np.multiply(e[1], q_worn, out=weights[7])
            np.multiply(e[3], q_worn, out=weights[8])
            wardrobe = self.wardrobe[rows]
            dots[g] = (weights @ wardrobe).T
            wardrobe *= 1.0 - rate[g][None, :] * (1.0 - w * p)[:, None]
        leave_g = rate * dots[..., 0]
        repaired_g = rate * w * dots[..., 1]
        by_route = np.empty((*rate.shape, len(ROUTES)))
        worn_route = np.zeros_like(by_route)
        for r, col in ((R_BIN, 2), (R_DONATION, 3), (R_RESALE, 4), (R_TAKE_BACK, 5)):
            by_route[..., r] = rate * dots[..., col]
        for r, col in ((R_BIN, 6), (R_DONATION, 7), (R_TAKE_BACK, 8)):
            worn_route[..., r] = rate * dots[..., col]
        by_route[..., R_RESIDUAL] = leave_g - repaired_g - by_route[..., 1:].sum(axis=-1)
        # worn-out share of each route's kg, by group and category (resale: none)
        worn_share = np.divide(worn_route, by_route, out=np.zeros_like(by_route),
                               where=by_route > 0)
        worn_share[..., R_RESIDUAL] = np.divide(
            rate * w * (dots[..., 0] - dots[..., 1]) - worn_route.sum(axis=-1),
            by_route[..., R_RESIDUAL], out=np.zeros_like(leave_g),
            where=by_route[..., R_RESIDUAL] > 0)
        rep_share = np.divide(repaired_g, leave_g, out=np.zeros_like(leave_g),
                              where=leave_g > 0)
        back = int(round(hp.repair_life_extension_months / BIN_MONTHS))
        gone = self.cohorts.split_leaving(leaving_cells, rep_share, back)

        overflow = self._bin_overflow(by_route, worn_share, cond, bin_capacity_kg_month)
        total = by_route.sum(axis=-1)
        share = np.divide(by_route, total[..., None], out=np.zeros_like(by_route),
                          where=total[..., None] > 0)
        Z = self.geo.n_zones
        lots = [cells_to_lots(gone, share[..., r], self.zone_of_group, Z,
                              np.clip(worn_share[..., r], 0.0, 1.0))
                for r in range(len(ROUTES))]
        separate = by_route[..., 1:].sum(axis=(1, 2))
        all_g = np.maximum(total.sum(axis=1), 1e-12)
        zone_sep = np.bincount(self.zone_of_group, separate, Z) / np.maximum(
            np.bincount(self.zone_of_group, all_g, Z), 1e-12)
        r = hp.norm_update_rate
        self.norm = (1.0 - r) * self.norm + r * zone_sep
        eol = lots[R_RESIDUAL].sum(axis=0) + lots[R_BIN].sum(axis=0)             # (4, C, O)
        owners = np.arange(1, OWNERS + 1)
        repaired_kg = float(repaired_g.sum())
        resale_lot = lots[R_RESALE].sum(axis=0)
        self.listings += resale_lot
        return Discards(
            bin_lots=lots[R_BIN], donation_lots=lots[R_DONATION],
            take_back_lots=lots[R_TAKE_BACK], resale_lot=resale_lot,
            residual_kg=float(by_route[..., R_RESIDUAL].sum()), bin_overflow_kg=overflow,
            repaired_kg=repaired_kg, repairs=repaired_kg / hp.kg_per_repair,
            eol_kg=float(eol[MASS].sum()), eol_age_kg_months=float(eol[1].sum()),
            eol_owner_kg=float((eol[MASS].sum(axis=0) * owners).sum()),
            eol_second_life_kg=float(eol[MASS][:, 1:].sum()),
        )

    def _bin_overflow(self, by_route: np.ndarray, worn_share: np.ndarray, cond: Conditions,
                      capacity_kg: float) -> float:
        """Full bins: what does not fit goes to the residual bin instead.

        ``by_route`` and ``worn_share`` (the worn-out share of each route's kg) are updated
        in place: the overflow carries the bin's worn-out share into the residual bin.
        """
        bins = cond.bins_per_10k_residents * self.residents_by_zone / 1e4
        cap = bins * capacity_kg
        binned = np.bincount(self.zone_of_group, by_route[..., R_BIN].sum(axis=1),
                             self.geo.n_zones)
        keep = np.divide(cap, binned, out=np.ones_like(cap), where=binned > cap)
        keep = np.minimum(keep, 1.0)[self.zone_of_group]
        moved = by_route[..., R_BIN] * (1 - keep[:, None])
        worn_res = worn_share[..., R_RESIDUAL] * by_route[..., R_RESIDUAL]
        worn_res += worn_share[..., R_BIN] * moved
        by_route[..., R_BIN] -= moved
        by_route[..., R_RESIDUAL] += moved
        worn_share[..., R_RESIDUAL] = np.divide(worn_res, by_route[..., R_RESIDUAL],
                                                out=np.zeros_like(worn_res),
                                                where=by_route[..., R_RESIDUAL] > 0)
        return float(moved.sum())

    def acquire(self, cond: Conditions, free_lots: np.ndarray, shop_lots: np.ndarray,
                price_factor: float, new_durability: float,
                rng: np.random.Generator) -> Acquisitions:
        """Needs are met free (low income), second hand, then new: see
        :func:`circsim.households_acquisition.acquire`."""
        return households_acquisition.acquire(self, cond, free_lots, shop_lots, price_factor,
                                              new_durability, rng)

    def expire_listings(self, share: float) -> np.ndarray:
        """Withdraw ``share`` of the listings that did not sell; returns them as a lot."""
        return take_share(self.listings, share)

    def low_income_reach(self, month: int) -> float:
        """Share of low-income households given free garments in the reach window (12 months)."""
        if not self.low_income.any():
            return 0.0
        recent = (month - self.last_gift_month[self.low_income]) < REACH_WINDOW_MONTHS
        return float(recent.mean())
