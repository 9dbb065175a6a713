"""How households meet their wish for garments each month: the acquisition side.

Consumption is a choice. Each household wants a stock of garments in use (its *desired
stock*): the steady-state wardrobe of EU consumption per person (``target``), scaled by the
price of new garments through the scenario's price elasticity, lower for households that
"buy less, buy better" (``buy_less_gain`` times awareness above the mean), and higher by the
rebound of second hand: the money saved buying second hand is spent again, so a share
``1 - displacement_rate`` of what a household gets second hand adds to its desired stock.
What it lacks is met, in order, by gifts from family and friends, free parcels from
cooperatives (low-income households), second hand (charity shops in the zone, then
peer listings) and new purchases, the latter two within a monthly clothing budget
(``budget_eur_per_person_month``; low-income households ``low_income_budget_share`` of it).
Since garments leave use at a rate, purchases follow the desired stock: a lower desired
stock means fewer purchases for as long as it stays lower.

Unmet need is a flow: a low-income household short of its desired stock that acquires
less in a month than the norm ``need_norm_kg_per_person_year / 12`` per person counts the
difference, once, in that month.

These functions act on the columns of :class:`~circsim.households.Households`, which
calls :func:`acquire` once a month; they hold no state of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from circsim import household_kernels as kernels
from circsim.markets import clear_by_zone, distribute_free
from circsim.policies import Conditions
from circsim.wardrobe import LOT_ATTRS, MASS, OWNERS, take_kg

if TYPE_CHECKING:
    from circsim.households import Households


@dataclass
class Acquisitions:
    """What households received this month."""

    new_kg: np.ndarray           # (C,) bought new from firms
    free_kg: float
    free_recipients: int
    secondhand_shop_kg: float
    secondhand_peer_kg: float
    unmet_low_income_kg: float
    gifts_received_kg: float


@dataclass(frozen=True)
class Prices:
    """What a kg of garments costs households this month, and how demand responds."""

    new_eur_per_kg: float          # with the EPR fee passed on
    second_hand_eur_per_kg: float
    demand_factor: float           # desired stock relative to the baseline price


def acquire(hh: Households, cond: Conditions, free_lots: np.ndarray, shop_lots: np.ndarray,
            prices: Prices, new_durability: float, rng: np.random.Generator) -> Acquisitions:
    """Households close the gap to their desired stock: gifts, free, second hand, new.

    Takes what households receive out of ``free_lots``, ``shop_lots`` (both
    ``(Z, 4, C, O)``), their own listings and the month's gift pool, in place.
    """
    C = hh.target.shape[1]
    listings = hh.listings
    share, gap, wanting, gap_g, ward_g, got = _wants(hh, prices.demand_factor)
    gift_lots, gifted, basis, use_gap = _gifts(hh, gap_g, ward_g)
    # gifts and free parcels, then second-hand demand by group, in one pass
    demand_g = np.empty((hh.n_groups, C))
    incoming, free_kg, recipients = _free_distribution(hh, cond, free_lots, basis, use_gap,
                                                       share, gap, got, demand_g, rng)
    incoming += gift_lots
    # second hand: zonal charity shops, then metro-wide peer resale, rationed pro rata
    demand_z = np.stack([np.bincount(hh.zone_of_group, demand_g[:, c], hh.geo.n_zones)
                         for c in range(C)], axis=1)
    served_z = np.zeros_like(demand_z)
    shop_share_z = np.zeros_like(demand_z)
    peer_kg = 0.0
    for c in range(C):
        res = clear_by_zone(demand_z[:, c], shop_lots[:, MASS, c].sum(axis=1),
                            listings[MASS, c].sum())
        served_z[:, c], shop_share_z[:, c] = res.served, res.shop_share
        peer_kg += res.sold_peer_kg
    # what households expect of the second-hand market, learnt slowly from what it served
    r = hh.s.households.secondhand_expectation_rate
    hh.served_z = (1.0 - r) * hh.served_z + r * served_z
    served_g = served_z[hh.zone_of_group]
    bought_g = demand_g * served_g
    shop_g = demand_g * shop_share_z[hh.zone_of_group]
    incoming += _take_into_groups(hh, shop_lots, shop_g)
    peer_g = bought_g - shop_g
    taken = take_kg(listings, peer_g.sum(axis=0))                                   # (4, C, O)
    wg = np.divide(peer_g, peer_g.sum(axis=0), out=np.zeros_like(peer_g),
                   where=peer_g.sum(axis=0) > 0)
    incoming += taken[:, None, :, :] * wg[None, :, :, None]
    new_g = _buy(hh, gap, share, served_g, prices, got)
    unmet = _unmet_low_income(hh, got, wanting)
    hh.cohorts.add_new(new_g, new_durability)
    hh.cohorts.add_second_hand(incoming, hh.entry_class)
    return Acquisitions(
        new_kg=new_g.sum(axis=0), free_kg=free_kg, free_recipients=recipients,
        secondhand_shop_kg=float(shop_g.sum()), secondhand_peer_kg=peer_kg,
        unmet_low_income_kg=unmet, gifts_received_kg=gifted,
    )


def _wants(hh: Households, demand_factor: float) -> tuple[np.ndarray, ...]:
    """Each household's second-hand share ``(n,)``, gap to its desired stock ``(n, C)``
    and whether it lacks any, the gap and wardrobes by group ``(G, C)``, and the kg each
    household acquires this month ``(n,)``, zero so far.

    The share sought second hand is ``secondhand_share_mean`` plus
    ``secondhand_awareness_gain`` times the household's awareness above the mean, times
    ``low_income_secondhand_factor`` for low-income households, within
    ``[0, secondhand_share_max]``. The desired stock is ``target * demand_factor
    * (1 - buy_less_gain * (a - awareness_mean)) * (1 + (1 - displacement_rate) * share
    * served)``, where ``served`` is the share of second-hand demand households expect
    their zone's market to serve (learnt slowly from what it served:
    ``secondhand_expectation_rate``). One compiled pass (:func:`kernels.wants`).
    """
    hp = hh.s.households
    n, C = hh.target.shape
    out = (hh.buffer("share", (n,)), hh.buffer("gap", (n, C)),
           hh.buffer("wanting", (n,), np.bool_), np.empty((hh.n_groups, C)),
           np.empty((hh.n_groups, C)), hh.buffer("got", (n,)))
    shp = np.array([hp.secondhand_share_mean, hp.secondhand_awareness_gain, hp.awareness_mean,
                    hp.low_income_secondhand_factor, hp.secondhand_share_max])
    dsp = np.array([hp.awareness_mean, hp.buy_less_gain, demand_factor, hp.displacement_rate])
    kernels.wants(hh.target, hh.awareness, hh.group_starts, hh.group_counts, shp, dsp,
                  hh.served_z, hh.wardrobe, *out)
    return out


def _gifts(hh: Households, gap_g: np.ndarray, ward_g: np.ndarray
           ) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Garments given by family and friends go to households of the same group, in
    proportion to what each lacks (or, in a category nobody in the group lacks, to its
    stock); they join wardrobes in the pass of :func:`_free_distribution`.

    Returns the gifts as lots per group, their kg, and the kg given per kg lacked or held
    ``(G, C)`` with which of the two it is.
    """
    pool = hh.gift_pool
    kg_g = pool[MASS].sum(axis=-1)                                                  # (G, C)
    use_gap = gap_g > 0
    basis = kg_g / np.maximum(np.where(use_gap, gap_g, ward_g), 1e-300)
    basis[~(kg_g != 0).any(axis=1)] = 0.0                         # groups given nothing
    lots = np.concatenate([pool, np.zeros_like(pool[:1])], axis=0)                 # (4, G, C, O)
    hh.gift_pool = np.zeros_like(pool)
    return lots, float(kg_g.sum()), basis, use_gap


def _buy(hh: Households, gap: np.ndarray, share: np.ndarray, served_g: np.ndarray,
         prices: Prices, got: np.ndarray) -> np.ndarray:
    """Second-hand purchases join wardrobes; the rest of the gap is bought new within budget.

    A household's budget pays its second-hand purchases first (at the charity-shop price),
    and what is left buys new garments at the price with the EPR fee passed on.
    Returns new kg by group, ``(G, C)``.
    """
    hp = hh.s.households
    new_g = np.empty((hh.n_groups, gap.shape[1]))
    kg_in_use = np.empty(gap.shape[1])
    kernels.buy(hh.group_starts, hh.group_counts, gap, share, served_g, hh.size,
                hp.budget_eur_per_person_month, hp.low_income_budget_share,
                prices.second_hand_eur_per_kg, prices.new_eur_per_kg, hh.wardrobe, got, new_g,
                kg_in_use)
    hh.set_kg_by_category(in_use=kg_in_use)
    return new_g


def _free_distribution(hh: Households, cond: Conditions, free_lots: np.ndarray,
                       basis: np.ndarray, use_gap: np.ndarray, share: np.ndarray,
                       gap: np.ndarray, got: np.ndarray, demand_g: np.ndarray,
                       rng: np.random.Generator) -> tuple[np.ndarray, float, int]:
    """Cooperatives give parcels to low-income households in need (what each lacks once
    its gifts are in), zone by zone; then gifts (``basis``, ``use_gap``: see
    :func:`_gifts`) and parcels join wardrobes and second-hand demand by group (``share``
    times the gap left) goes into ``demand_g``, in one pass.

    Updates wardrobes and ``gap``; returns what the parcels' recipients received as
    lots per group, the kg given and the number of recipients.
    """
    low = hh.low_rows
    low_need = hh.buffer("low_need", (low.size,))
    kernels.low_need_after_gifts(hh.group_starts, hh.group_counts, gap, hh.wardrobe, basis,
                                 use_gap, low_need)
    free_z = free_lots[:, MASS].sum(axis=2)                                        # (Z, C)
    total_z = free_z.sum(axis=1)
    eligible = hh.buffer("low_eligible", (low.size,), np.bool_)
    eligible[:] = True
    given = distribute_free(total_z, low_need, eligible, hh.low_zone,
                            hh.s.cooperatives.parcel_kg, rng)
    mix = np.divide(free_z, total_z[:, None], out=np.zeros_like(free_z),
                    where=total_z[:, None] > 0)
    given_g = np.empty_like(demand_g)
    kernels.gifts_free_and_demand(hh.group_starts, hh.group_counts, basis, use_gap, given,
                                  mix, cond.month, share, gap, hh.wardrobe, got,
                                  hh.last_gift_month, given_g, demand_g)
    incoming = _take_into_groups(hh, free_lots, given_g)
    return incoming, float(given.sum()), int((given > 0).sum())


def _unmet_low_income(hh: Households, got: np.ndarray, wanting: np.ndarray) -> float:
    """kg by which low-income households that lacked garments fell short of the norm."""
    low = hh.low_rows
    norm = hh.size[low].astype(np.float64) * hh.s.households.need_norm_kg_per_person_year / 12
    short = np.maximum(norm - got[low], 0.0)
    return float(short[wanting[low]].sum())


def _take_into_groups(hh: Households, zone_lots: np.ndarray, kg_g: np.ndarray) -> np.ndarray:
    """Take each group's kg (``(G, C)``) out of its zone's lot; return lots per group."""
    out = np.zeros((LOT_ATTRS, hh.n_groups, kg_g.shape[1], OWNERS))
    for z in range(hh.geo.n_zones):
        gs = np.flatnonzero(hh.zone_of_group == z)
        want = kg_g[gs].sum(axis=0)
        if not want.any():
            continue
        taken = take_kg(zone_lots[z], want)                                         # (4, C, O)
        w = np.divide(kg_g[gs], want, out=np.zeros_like(kg_g[gs]), where=want > 0)
        out[:, gs] = taken[:, None] * w[None, :, :, None]
    return out

