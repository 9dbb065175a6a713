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

import numpy as np

from circsim import household_kernels as kernels
from circsim import households_acquisition, households_discard
from circsim.geography import Geography, allocate
from circsim.households_acquisition import Acquisitions, Prices
from circsim.households_discard import Discards
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
from circsim.repair import RepairPrices, repair_prices
from circsim.scenario.schema import Scenario
from circsim.wardrobe import (
    AGE_CLASSES,
    BIN_MONTHS,
    CELL_ATTRS,
    MASS,
    OWNERS,
    Wardrobes,
    empty_lot,
    lot_mass,
    take_share,
    weibull_scale,
)

__all__ = [
    "REACH_WINDOW_MONTHS", "ROUTES", "R_BIN", "R_DONATION", "R_RESALE", "R_RESIDUAL",
    "R_TAKE_BACK", "Acquisitions", "Discards", "Prices", "Households", "group_sum", "route_terms",
]

#: The reach metric's window: a low-income household counts as reached if it received
#: free garments in the last this-many months (the metric's definition, not behaviour).
REACH_WINDOW_MONTHS = 12


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
        # (n, C) columns are stored category after category: the compiled passes walk a
        # group's rows of one category as one contiguous run (household_kernels)
        self.target = np.asfortranarray((self.size * factor)[:, None] * per_person[None, :])
        self.wardrobe = self.target.copy(order="F")
        self.cohorts = Wardrobes(self.n_groups)
        self.cohorts.fill_stationary(self.group_sum(self.wardrobe), self.scale_w,
                                     hp.weibull_shape, hp.initial_second_hand_share)
        self._fill_dormant()
        self.rags = np.zeros((self.n_groups, self.target.shape[1]))     # kg used as rags
        self.gift_pool = np.zeros((CELL_ATTRS, self.n_groups, self.target.shape[1], OWNERS))
        self.entry_class = np.minimum(
            np.round((1 - hp.secondhand_life_months_factor) * self.life / BIN_MONTHS),
            AGE_CLASSES - 1).astype(int)
        self.norm = np.full(geo.n_zones, hp.initial_norm)
        self.group_slices = [(g, slice(int(a), int(a + c))) for g, (a, c) in
                             enumerate(zip(self.group_starts, self.group_counts, strict=True))
                             if c > 0]
        self.low_rows = np.flatnonzero(self.low_income)
        self.low_zone = self.zone[self.low_rows]
        zone_counts = np.bincount(self.zone, minlength=geo.n_zones)
        zone_starts = np.concatenate([[0], np.cumsum(zone_counts)[:-1]])
        self.zone_slices = [slice(int(a), int(a + c)) for a, c in zip(zone_starts, zone_counts,
                                                                     strict=True)]
        self.residents_by_zone = np.bincount(self.zone, self.size, geo.n_zones)
        self.listings = empty_lot()      # garments listed for peer resale, metro-wide
        # the share of second-hand demand households expect their zone's market to serve
        self.served_z = np.zeros((geo.n_zones, self.target.shape[1]))

    def _fill_dormant(self) -> None:
        """Start dormant stocks where a steady flow into them would leave them.

        In: the out-of-use share of what leaves use, about ``target / life`` a month; out:
        one over ``dormant_months``. Age: a garment's life plus half its dormant time.
        """
        hp = self.s.households
        months = np.array(hp.dormant_months.as_tuple())
        per_month = (1 - hp.wear_out_share) * hp.fashion_turnover / self.life
        self.dormant = np.asfortranarray(self.target * (per_month * months)[None, :])
        kg = self.group_sum(self.dormant)                                       # (G, C)
        owners = np.array([1 - hp.initial_second_hand_share, hp.initial_second_hand_share, 0])
        self.dormant_cells = np.zeros((CELL_ATTRS, *kg.shape, OWNERS))
        self.dormant_cells[MASS] = kg[:, :, None] * owners
        self.dormant_cells[1] = self.dormant_cells[MASS] * (self.life + months / 2)[None, :, None]
        self.dormant_cells[2] = self.dormant_cells[MASS]

    # -- helpers -----------------------------------------------------------------
    def group_sum(self, values: np.ndarray) -> np.ndarray:
        return group_sum(values, self.group_starts, self.group_counts)

    def buffer(self, name: str, shape: tuple[int, ...], dtype: type = np.float64
               ) -> np.ndarray:
        """A work array kept from month to month (its content is not: callers fill it),
        so that the monthly passes allocate no large temporaries. Per-household tables
        ``(n, C)`` are stored column by column, like wardrobes."""
        buffers = self.__dict__.setdefault("_buffers", {})
        arr = buffers.get(name)
        if arr is None or arr.shape != shape or arr.dtype != dtype:
            order = "F" if len(shape) == 2 and shape[0] == self.n else "C"
            arr = buffers[name] = np.empty(shape, dtype, order=order)
        return arr

    def kg_by_category(self) -> tuple[np.ndarray, np.ndarray]:
        """kg in use and kg dormant, by category ``(C,)``.

        The monthly passes that last change wardrobes and dormant stocks sum them as they
        go (:meth:`set_kg_by_category`); :meth:`discard` and :meth:`acquire` forget the
        sums they are about to change, and only then are the columns summed here.
        """
        kg = self.__dict__.setdefault("_kg", {})
        if "in_use" not in kg:
            kg["in_use"] = kernels.column_sums(self.wardrobe)
        if "dormant" not in kg:
            kg["dormant"] = kernels.column_sums(self.dormant)
        return kg["in_use"].copy(), kg["dormant"].copy()

    def set_kg_by_category(self, **kg: np.ndarray) -> None:
        """Keep the kg by category (``in_use``, ``dormant``) a pass has just summed."""
        self.__dict__.setdefault("_kg", {}).update({k: v.copy() for k, v in kg.items()})

    @property
    def residents(self) -> float:
        return float(self.size.sum())

    def held_kg(self) -> float:
        """kg households hold: in use, dormant, rags, and gifts not yet handed over."""
        in_use, dormant = self.kg_by_category()
        return float(in_use.sum() + dormant.sum() + self.rags.sum()
                     + self.gift_pool[MASS].sum())

    def items_owned(self, category: int | None = None) -> float:
        """Items households hold, in use or dormant (kg over each category's item mass);
        all categories, or only ``category`` (0 clothing, 1 footwear, 2 household)."""
        in_use, dormant = self.kg_by_category()
        items = (in_use + dormant) / np.array(self.s.households.kg_per_item.as_tuple())
        return float(items.sum() if category is None else items[category])

    def dormant_share(self) -> float:
        """Share of the garments held (by mass, rags aside) that are dormant."""
        in_use, dormant = (float(kg.sum()) for kg in self.kg_by_category())
        return dormant / max(dormant + in_use, 1e-12)

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

    def repair_prices(self, cond: Conditions) -> RepairPrices:
        """This month's repair demand factor and who pays what (:mod:`circsim.repair`)."""
        key = (cond.repair_subsidy_eur, cond.repair_subsidy_max_share)
        if getattr(self, "_repair_key", None) != key:
            self._repair = repair_prices(self.s.households, *key)
            self._repair_key = key
        return self._repair

    def repair_price_response(self, cond: Conditions) -> float:
        """How much more repair is demanded at this month's voucher than without one."""
        return self.repair_prices(cond).demand_factor

    def out_of_use_factor(self) -> np.ndarray:
        """How fast each household's garments fall out of use, relative to the cohorts' clock.

        ``fashion_turnover * (1 - keep_longer_gain * (a - awareness_mean))``, at least 0:
        households that mind ("buy less, buy better") keep clothes in use longer.
        """
        out = np.empty(self.n)
        kernels.fill_factor(1, self.awareness, *self.out_of_use_params(), 0.0, 0.0, out)
        return out

    def out_of_use_params(self) -> tuple[float, float, float]:
        """The parameters of :func:`~circsim.household_kernels.out_of_use_of` after ``a``."""
        hp = self.s.households
        return hp.fashion_turnover, hp.keep_longer_gain, hp.awareness_mean

    def release_rates(self, cond: Conditions) -> np.ndarray:
        """Monthly share of dormant garments that leave the wardrobe, by category.

        One over ``dormant_months``, raised by a resale platform that makes listing easy.
        """
        base = 1.0 / np.array(self.s.households.dormant_months.as_tuple())
        return np.minimum(base * (1.0 + cond.dormant_release_gain), 1.0)

    def category_route_factors(self) -> np.ndarray:
        """exp(utility offset) of bin, donation, resale and take-back by category, ``(4, C)``."""
        hp = self.s.households
        sep = np.exp(np.array(hp.separate_route_asc.as_tuple()))
        resale = np.exp(np.array(hp.resale_route_asc.as_tuple()))
        return np.stack([sep, sep, resale, sep])

    def repair_share(self, cond: Conditions, repair_service_share: float) -> np.ndarray:
        """Chance that a worn-out garment is repaired, by household.

        A part ``repair_attitude_weight`` of the base propensity scales with the
        household's awareness relative to the mean; the rest does not.
        """
        out = np.empty(self.n)
        kernels.fill_factor(0, self.awareness,
                            *self.repair_share_params(cond, repair_service_share), out)
        return out

    def repair_share_params(self, cond: Conditions, repair_service_share: float
                            ) -> tuple[float, float, float, float, float]:
        """The parameters of :func:`~circsim.household_kernels.repair_share_of` after ``a``:
        the base share times the price response, the attitude weight, the mean awareness,
        the uplift of firms' repair services and the maximum."""
        hp = self.s.households
        base_price = hp.repair_base_share * self.repair_price_response(cond)
        uplift = self.s.firms.repair_service_uplift * repair_service_share
        return (base_price, hp.repair_attitude_weight, hp.awareness_mean, uplift,
                hp.repair_share_max)

    def discard(self, cond: Conditions, repair_service_share: float, take_back_share: float,
                bin_capacity_kg_month: float, rng: np.random.Generator) -> Discards:
        """Garments wear out or fall out of use, go dormant, and leave by a route: see
        :func:`circsim.households_discard.discard`."""
        self._kg = {}
        return households_discard.discard(self, cond, repair_service_share, take_back_share,
                                          bin_capacity_kg_month, rng)

    def acquire(self, cond: Conditions, free_lots: np.ndarray, shop_lots: np.ndarray,
                prices: Prices, new_durability: float,
                rng: np.random.Generator) -> Acquisitions:
        """Households close the gap to their desired stock: gifts, free, second hand, new;
        see :func:`circsim.households_acquisition.acquire`."""
        self.__dict__.setdefault("_kg", {}).pop("in_use", None)
        return households_acquisition.acquire(self, cond, free_lots, shop_lots, prices,
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
