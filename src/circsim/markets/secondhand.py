"""The second-hand clothing market: zonal charity shops first, then a metro-wide peer pool.

Charity shops are local: a household buys from the shops of its own zone. Peer-to-peer resale
(online platforms) is metro-wide. Households try the shops first, then the platforms; when a
pool cannot meet what is asked of it, it is rationed pro rata, so everyone gets the same share
of their demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SecondHandResult", "ZoneClearing", "clear_secondhand", "clear_by_zone"]


@dataclass(frozen=True)
class SecondHandResult:
    """Outcome of one month of second-hand trade.

    Attributes:
        bought_kg: Second-hand garments bought by each household (kg).
        sold_shop_kg: Sold by the charity shops of each zone (kg).
        sold_peer_kg: Sold from the metro-wide peer (online) pool (kg).
    """

    bought_kg: np.ndarray
    sold_shop_kg: np.ndarray
    sold_peer_kg: float


def _share(demand: float | np.ndarray, supply: float | np.ndarray) -> np.ndarray:
    """Fraction of demand served when ``supply`` is rationed pro rata (1 when abundant)."""
    d = np.asarray(demand, dtype=np.float64)
    s = np.asarray(supply, dtype=np.float64)
    return np.where(d > s, s / np.where(d > 0.0, d, 1.0), 1.0)


@dataclass(frozen=True)
class ZoneClearing:
    """The market cleared on zone totals: with pro-rata rationing, a household's purchase
    is its demand times its zone's ``served`` fraction, so nobody needs a per-household pass.

    Attributes:
        shop_share: Fraction of each zone's demand served by its charity shops.
        served: Fraction of each zone's demand served in all (shops, then peers).
        sold_shop_kg: Sold by the charity shops of each zone (kg).
        sold_peer_kg: Sold from the metro-wide peer pool (kg).
    """

    shop_share: np.ndarray
    served: np.ndarray
    sold_shop_kg: np.ndarray
    sold_peer_kg: float


def clear_by_zone(zone_demand_kg: np.ndarray, shop_stock_kg_by_zone: np.ndarray,
                  peer_stock_kg: float) -> ZoneClearing:
    """Clear the market from each zone's total demand (same rules as :func:`clear_secondhand`)."""
    demand = np.clip(np.asarray(zone_demand_kg, dtype=np.float64), 0.0, None)
    stock = np.clip(np.asarray(shop_stock_kg_by_zone, dtype=np.float64), 0.0, None)
    shop_share = _share(demand, stock)
    sold_shop = demand * shop_share
    rest = demand - sold_shop
    peer_share = float(_share(rest.sum(), max(float(peer_stock_kg), 0.0)))
    return ZoneClearing(shop_share=shop_share, served=shop_share + (1 - shop_share) * peer_share,
                        sold_shop_kg=sold_shop, sold_peer_kg=float(rest.sum() * peer_share))


def clear_secondhand(
    demand_kg: np.ndarray,
    zone: np.ndarray,
    shop_stock_kg_by_zone: np.ndarray,
    peer_stock_kg: float,
) -> SecondHandResult:
    """Serve households' second-hand demand from zonal shops, then from the peer pool.

    In zone ``z`` with demand ``D_z`` and shop stock ``S_z``, each household gets its full
    demand ``d`` if ``D_z <= S_z`` and ``d * S_z / D_z`` otherwise. The demand still unmet,
    summed over the whole metropolitan area, is then served by the peer pool in the same way.

    Args:
        demand_kg: Second-hand garments each household wants this month (kg, >= 0).
        zone: Zone index of each household, ints in ``[0, n_zones)``.
        shop_stock_kg_by_zone: Charity-shop stock per zone (kg), shape ``(n_zones,)``.
        peer_stock_kg: Garments listed on peer-to-peer platforms (kg).

    Returns:
        The purchases per household and the sales per pool, as a :class:`SecondHandResult`.

    Raises:
        ValueError: On inconsistent lengths or zone indices out of range.
    """
    demand = np.clip(np.asarray(demand_kg, dtype=np.float64).ravel(), 0.0, None)
    z = np.asarray(zone, dtype=np.intp).ravel()
    stock = np.clip(np.asarray(shop_stock_kg_by_zone, dtype=np.float64).ravel(), 0.0, None)
    n_zones = stock.size
    if z.size != demand.size:
        raise ValueError("demand_kg and zone must have the same length")
    if z.size and (z.min() < 0 or z.max() >= n_zones):
        raise ValueError(f"zone indices must lie in [0, {n_zones})")

    zone_demand = np.bincount(z, weights=demand, minlength=n_zones)
    shop_share = _share(zone_demand, stock)
    from_shop = demand * shop_share[z]
    sold_shop = np.bincount(z, weights=from_shop, minlength=n_zones).astype(np.float64)

    rest = demand - from_shop
    peer_share = float(_share(rest.sum(), max(float(peer_stock_kg), 0.0)))
    from_peer = rest * peer_share
    bought = demand.copy() if peer_share >= 1.0 else from_shop + from_peer
    return SecondHandResult(
        bought_kg=bought,
        sold_shop_kg=sold_shop,
        sold_peer_kg=float(from_peer.sum()),
    )
