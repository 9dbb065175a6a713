"""How households meet their need for garments each month: the acquisition side.

In order: cooperatives give parcels free to low-income households in need; a share of
what is still needed is sought second hand, in the zone's charity shops and then in the
metro-wide peer listings; the rest is bought new, less what second hand displaced and
within each household's budget. Need that low-income households meet in none of these
ways is counted as unmet.

These functions act on the columns of :class:`~circsim.households.Households`, which
calls :func:`acquire` once a month; they hold no state of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

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


def acquire(hh: Households, cond: Conditions, free_lots: np.ndarray, shop_lots: np.ndarray,
            price_factor: float, new_durability: float,
            rng: np.random.Generator) -> Acquisitions:
    """Needs are met by free garments (low income), second hand, then new purchases.

    Takes what households receive out of ``free_lots``, ``shop_lots`` (both
    ``(Z, 3, C, O)``) and their own listings in place. A second-hand
    purchase displaces only ``displacement_rate`` of a new one (rebound); low-income
    households afford only ``low_income_budget_share`` of what they need new.
    """
    hp = hh.s.households
    C = hh.target.shape[1]
    listings = hh.listings
    gap = hh.target - hh.wardrobe
    np.maximum(gap, 0.0, out=gap)
    incoming, free_kg, recipients = _free_distribution(hh, cond, free_lots, gap, rng)
    # second hand: zonal charity shops, then metro-wide peer resale, rationed pro rata
    share = secondhand_share(hh)
    dots = _group_dot(hh, gap, np.vstack([np.ones(hh.n), share]))              # (G, C, 2)
    gap_g, demand_g = dots[..., 0], dots[..., 1]
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
    served_g = served_z[hh.zone_of_group]
    bought_g = demand_g * served_g
    shop_g = demand_g * shop_share_z[hh.zone_of_group]
    incoming += _take_into_groups(hh, shop_lots, shop_g)
    peer_g = bought_g - shop_g
    taken = take_kg(listings, peer_g.sum(axis=0))                                   # (4, C, O)
    wg = np.divide(peer_g, peer_g.sum(axis=0), out=np.zeros_like(peer_g),
                   where=peer_g.sum(axis=0) > 0)
    incoming += taken[:, None, :, :] * wg[None, :, :, None]
    # new purchases: what is left, less what second hand displaced, within budget
    low_group = np.arange(hh.n_groups) % 2 == 1
    afford = price_factor * np.where(low_group, hp.low_income_budget_share, 1.0)      # (G,)
    d = hp.displacement_rate
    unmet = _unmet_low_income(hh, gap, share, served_z, afford)
    for g, rows in hh.group_slices:
        f = afford[g]
        gain = np.multiply.outer(share[rows], served_g[g] * (1.0 - d * f))
        gain += f
        gain *= gap[rows]
        hh.wardrobe[rows] += gain
    new_g = afford[:, None] * (gap_g - d * bought_g)
    hh.cohorts.add_new(new_g, new_durability)
    hh.cohorts.add_second_hand(incoming, hh.entry_class)
    return Acquisitions(
        new_kg=new_g.sum(axis=0), free_kg=free_kg, free_recipients=recipients,
        secondhand_shop_kg=float(shop_g.sum()), secondhand_peer_kg=peer_kg,
        unmet_low_income_kg=unmet,
    )


def secondhand_share(hh: Households) -> np.ndarray:
    """Share of its need each household seeks second hand, ``(n,)``.

    ``secondhand_share_mean`` plus ``secondhand_awareness_gain`` times the household's
    awareness above the mean, times ``low_income_secondhand_factor`` for low-income
    households, within ``[0, secondhand_share_max]``.
    """
    hp = hh.s.households
    share = hp.secondhand_share_mean + hp.secondhand_awareness_gain * (
        hh.awareness - hp.awareness_mean)
    return np.clip(share * np.where(hh.low_income, hp.low_income_secondhand_factor, 1.0),
                   0.0, hp.secondhand_share_max)


def _free_distribution(hh: Households, cond: Conditions, free_lots: np.ndarray,
                       gap: np.ndarray, rng: np.random.Generator
                       ) -> tuple[np.ndarray, float, int]:
    """Cooperatives give parcels to low-income households in need, zone by zone.

    Updates wardrobes and ``gap`` of the recipients; returns what they received as
    lots per group, the kg given and the number of recipients.
    """
    low = hh.low_rows
    free_z = free_lots[:, MASS].sum(axis=2)                                        # (Z, C)
    total_z = free_z.sum(axis=1)
    given = distribute_free(total_z, gap[low].sum(axis=1), np.ones(low.size, bool),
                            hh.zone[low], hh.s.cooperatives.parcel_kg, rng)
    mix = np.divide(free_z, total_z[:, None], out=np.zeros_like(free_z),
                    where=total_z[:, None] > 0)
    given_hc = given[:, None] * mix[hh.zone[low]]
    hh.last_gift_month[low[given > 0]] = cond.month
    given_g = np.stack([np.bincount(hh.group[low], given_hc[:, c], hh.n_groups)
                        for c in range(gap.shape[1])], axis=1)
    incoming = _take_into_groups(hh, free_lots, given_g)
    hh.wardrobe[low] += given_hc
    gap[low] = np.maximum(gap[low] - given_hc, 0.0)
    return incoming, float(given.sum()), int((given > 0).sum())


def _unmet_low_income(hh: Households, gap: np.ndarray, share: np.ndarray,
                      served_z: np.ndarray, afford: np.ndarray) -> float:
    """kg of need that low-income households could meet neither free, second hand nor new."""
    low = hh.low_rows
    bought = gap[low] * share[low, None] * served_z[hh.zone[low]]
    new = (gap[low] - hh.s.households.displacement_rate * bought) * \
        afford[hh.group[low]][:, None]
    return float(np.maximum(gap[low] - bought - new, 0.0).sum())


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


def _group_dot(hh: Households, values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per group, sum over its households of values[h, c] * weights[k, h]: ``(G, C, K)``.

    Households are stored sorted by group, so each group is a slice and its totals
    are one small matrix product: no per-household temporaries of size n x C x K.
    """
    out = np.zeros((hh.n_groups, values.shape[1], weights.shape[0]))
    for g, rows in hh.group_slices:
        out[g] = (weights[:, rows] @ values[rows]).T
    return out
