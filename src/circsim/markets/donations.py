"""Donations of unsold garments to social cooperatives, and their free distribution.

Retailers and sorting centres give usable garments to social cooperatives, which have limited
storage and sorting room; the cooperatives then hand them out, parcel by parcel, to low-income
households in their zone. Both steps are rationed, and who goes without is explicit.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from circsim.markets.byproducts import distance_matrix

__all__ = ["allocate_donations", "distribute_free"]


def allocate_donations(
    offer_kg: np.ndarray,
    offer_xy: np.ndarray,
    coop_xy: np.ndarray,
    coop_room_kg: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Place donated garments in the nearest social cooperatives that still have room.

    Donors prefer the closest cooperative (short trips, local ties); when it is full they try
    the next nearest, and so on. Larger donations are placed first (ties by index), so the
    outcome is deterministic. What cannot be placed stays with the donor (it will go to
    collection, export or incineration, as the caller decides).

    Args:
        offer_kg: Mass each donor gives (kg), shape ``(n_offers,)``.
        offer_xy: Donor locations (km), shape ``(n_offers, 2)``.
        coop_xy: Cooperative locations (km), shape ``(n_coops, 2)``.
        coop_room_kg: Room each cooperative has left this month (kg), shape ``(n_coops,)``.

    Returns:
        ``(placed, unplaced)``: ``placed[i, c]`` is the kg of offer ``i`` received by
        cooperative ``c``; ``unplaced[i]`` is what offer ``i`` could not place. Row sums of
        ``placed`` plus ``unplaced`` equal ``offer_kg``.
    """
    offers = np.clip(np.asarray(offer_kg, dtype=np.float64).ravel(), 0.0, None)
    room = np.clip(np.asarray(coop_room_kg, dtype=np.float64).ravel(), 0.0, None)
    n_o, n_c = offers.size, room.size
    placed = np.zeros((n_o, n_c), dtype=np.float64)
    if n_o == 0 or n_c == 0:
        return placed, offers.copy()
    dist = distance_matrix(offer_xy, coop_xy)
    if dist.shape != (n_o, n_c):
        raise ValueError("offer_xy / coop_xy must have shapes (n_offers, 2) / (n_coops, 2)")
    nearest_first = np.argsort(dist, axis=1, kind="stable")
    unplaced = offers.copy()
    for i in np.argsort(-offers, kind="stable").tolist():
        for c in nearest_first[i].tolist():
            if unplaced[i] <= 0.0:
                break
            q = min(unplaced[i], room[c])
            if q > 0.0:
                placed[i, c] = q
                room[c] -= q
                unplaced[i] -= q
    return placed, unplaced


def distribute_free(
    stock_kg_by_zone: np.ndarray,
    need_kg: np.ndarray,
    eligible: np.ndarray,
    zone: np.ndarray,
    parcel_kg: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Hand out cooperatives' stock, parcel by parcel, to eligible households of each zone.

    Eligible households (low income) with a positive need queue in a random order (the order
    in which they happen to turn up); each receives ``min(parcel_kg, need)`` until the zone's
    stock runs out, the last one served possibly getting a partial parcel. A random
    permutation, then a compiled pass: a stable sort by zone and a per-zone running sum.

    Args:
        stock_kg_by_zone: Garments available for free in each zone (kg), shape ``(n_zones,)``.
        need_kg: Each household's unmet clothing need (kg), shape ``(n,)``.
        eligible: Whether each household qualifies for free garments, shape ``(n,)``.
        zone: Zone index of each household, ints in ``[0, n_zones)``.
        parcel_kg: Size of one parcel (kg), the most a household receives in a month.
        rng: Source of the random queue order.

    Returns:
        Kg given to each household, shape ``(n,)``; per zone, the total never exceeds the
        stock.

    Raises:
        ValueError: On inconsistent lengths or zone indices out of range.
    """
    stock = np.clip(np.asarray(stock_kg_by_zone, dtype=np.float64).ravel(), 0.0, None)
    need = np.asarray(need_kg, dtype=np.float64).ravel()
    elig = np.asarray(eligible, dtype=bool).ravel()
    z = np.asarray(zone, dtype=np.intp).ravel()
    n = need.size
    if elig.size != n or z.size != n:
        raise ValueError("need_kg, eligible and zone must have the same length")
    if n and (z.min() < 0 or z.max() >= stock.size):
        raise ValueError(f"zone indices must lie in [0, {stock.size})")
    given = np.zeros(n, dtype=np.float64)
    want = np.where(elig & (need > 0.0), np.minimum(max(parcel_kg, 0.0), need), 0.0)
    cand = np.flatnonzero(want > 0.0)
    if cand.size == 0:
        return given
    queue = cand[rng.permutation(cand.size)]
    _serve_by_zone(queue, z, want, stock, given)
    return given


@njit(cache=True)
def _serve_by_zone(queue: np.ndarray, z: np.ndarray, want: np.ndarray, stock: np.ndarray,
                   given: np.ndarray) -> None:
    """Serve the queue zone by zone, in its order within each zone (a stable counting sort
    by zone), until each zone's stock runs out; fills ``given``.

    What each one finds left is the zone's stock less what was handed out before it in
    the zone, taken from a running sum over the whole sorted queue (as a cumulative sum
    would give it)."""
    n_zones = stock.size
    first = np.zeros(n_zones + 1, dtype=np.int64)
    for k in range(queue.size):
        first[z[queue[k]] + 1] += 1
    for zz in range(n_zones):
        first[zz + 1] += first[zz]
    slot = first[:-1].copy()
    ordered = np.empty(queue.size, dtype=np.int64)
    for k in range(queue.size):
        zz = z[queue[k]]
        ordered[slot[zz]] = queue[k]
        slot[zz] += 1
    total = 0.0                                      # running sum over the sorted queue
    for zz in range(n_zones):
        before_zone = total
        for k in range(first[zz], first[zz + 1]):
            h = ordered[k]
            total += want[h]
            served_before = (total - want[h]) - before_zone
            left = max(stock[zz] - max(served_before, 0.0), 0.0)
            given[h] = min(want[h], left)
