"""The household month's passes over every household, compiled with numba.

Households are stored sorted by group (zone x income class), so each group is a slice
of rows; every kernel here walks the rows once, updates wardrobes and dormant stocks in
place, and sums per group as it goes. No temporaries of the size of the population are
allocated, and nothing runs in parallel: each group's sums are taken in row order, so
the same seed gives the same bits whatever the number of workers or threads.

The formulas are those documented in :mod:`circsim.households_discard` and
:mod:`circsim.households_acquisition`, which call these kernels; they are written out
here once, as loops.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# route indices of circsim.households_routes.ROUTES, as constants numba can fold
_RES, _BIN, _DON, _RESALE, _TB = 0, 1, 2, 3, 4


@njit(cache=True)
def column_sums(values: np.ndarray) -> np.ndarray:
    """Sum of each column of a 2-D array, in row order (numpy is slow on few columns)."""
    out = np.zeros(values.shape[1])
    for i in range(values.shape[0]):
        for c in range(values.shape[1]):
            out[c] += values[i, c]
    return out


# -- per-household factors of attitude: the formulas, declared once ------------------
@njit(cache=True)
def repair_share_of(a, base_price, weight, awareness_mean, uplift, share_max):
    """Chance that a worn-out garment is repaired at awareness ``a``: ``base_price`` times
    ``(1 - weight) + weight * a / awareness_mean``, plus ``uplift``, within [0, max]."""
    attitude = (1.0 - weight) + weight * a / max(awareness_mean, 1e-6)
    return min(max(base_price * attitude + uplift, 0.0), share_max)


@njit(cache=True)
def out_of_use_of(a, turnover, keep_longer_gain, awareness_mean):
    """How fast garments fall out of use at awareness ``a`` (relative to the cohorts)."""
    return max(turnover * (1.0 - keep_longer_gain * (a - awareness_mean)), 0.0)


@njit(cache=True)
def secondhand_share_of(a, low, mean, gain, awareness_mean, low_factor, share_max):
    """Share of its need a household at awareness ``a`` (float32) seeks second hand.

    Computed in float32 up to the low-income factor, as numpy does for a float32 column.
    """
    s = np.float32(mean) + np.float32(gain) * (a - np.float32(awareness_mean))
    v = np.float64(s) * (low_factor if low else 1.0)
    return min(max(v, 0.0), share_max)


@njit(cache=True)
def fill_factor(kind, awareness, p0, p1, p2, p3, p4, out):
    """One of the factors above for every household into ``out`` (``kind``: 0 repair
    share, 1 out of use); the parameters in the function's order."""
    for i in range(awareness.size):
        a = np.float64(awareness[i])
        if kind == 0:
            out[i] = repair_share_of(a, p0, p1, p2, p3, p4)
        else:
            out[i] = out_of_use_of(a, p0, p1, p2)


@njit(cache=True)
def household_flows(wardrobe, dormant, starts, counts, rate, wear_out, awareness, repair,
                    turnover, release, reached, declutter_share, K, A, D, resale_weight, F, M,
                    keep, unragged, sums, route_worn, route_out, kg):
    """One pass of garments leaving use (see ``households_discard._household_flows``).

    Updates ``wardrobe`` and ``dormant`` ``(n, C)`` in place and fills, per group, ``sums``
    ``(5, G, C)`` (worn out, repaired, out of use, released, decluttered) and the kg by
    route of worn-out (net of rags) and released (net of gifts) garments ``(G, C, R)``,
    and ``kg`` ``(2, C)``: the kg in use and dormant after the pass, summed in row order.
    The repair share and the out-of-use factor are computed here from each household's
    awareness: ``repair`` holds the arguments of :func:`repair_share_of` after ``a``,
    ``turnover`` those of :func:`out_of_use_of`; ``A``, ``D`` and ``F`` are the route
    factors (numpy's vectorised exponential is several times faster than a scalar one).
    ``reached`` is empty when no decluttering campaign runs this month.
    """
    C = wardrobe.shape[1]
    sums[:] = 0.0
    route_worn[:] = 0.0
    route_out[:] = 0.0
    kg[:] = 0.0
    declutter = reached.size > 0
    b0, b1, b2, b3, b4 = repair[0], repair[1], repair[2], repair[3], repair[4]
    for g in range(starts.size):
        k0, k1, k2, k3 = K[g, 0], K[g, 1], K[g, 2], K[g, 3]
        for i in range(starts[g], starts[g] + counts[g]):
            aw = np.float64(awareness[i])
            p = repair_share_of(aw, b0, b1, b2, b3, b4)
            phi = out_of_use_of(aw, turnover[0], turnover[1], turnover[2])
            a, f = A[i], F[i]
            resale = np.sqrt(a) if resale_weight == 0.5 else a ** resale_weight
            e0, e1, e2, e3 = k0 * D[i] * a, k1 * a, k2 * resale, k3 * a
            for c in range(C):
                hazard = wardrobe[i, c] * rate[g, c]
                worn = hazard * (wear_out * (1.0 - p))
                out = hazard * ((1.0 - wear_out) * phi)
                rel = dormant[i, c] * release[c]
                decl = 0.0
                if declutter and reached[i]:
                    decl = (dormant[i, c] - rel) * declutter_share
                    rel += decl
                sums[0, g, c] += worn
                sums[1, g, c] += hazard * (wear_out * p)
                sums[2, g, c] += out
                sums[3, g, c] += rel
                sums[4, g, c] += decl
                wardrobe[i, c] -= worn + out
                dormant[i, c] = dormant[i, c] - rel + out
                kg[0, c] += wardrobe[i, c]
                kg[1, c] += dormant[i, c]
                ec0, ec1, ec2, ec3 = e0 * M[0, c], e1 * M[1, c], e2 * M[2, c], e3 * M[3, c]
                separate = ec0 + ec1 + ec3
                q_out = rel * keep[c] / (1.0 + separate + ec2)
                q_worn = worn * unragged[c] / (1.0 + f * separate)
                route_out[g, c, _RES] += q_out
                route_worn[g, c, _RES] += q_worn
                q_worn *= f
                route_out[g, c, _BIN] += ec0 * q_out
                route_out[g, c, _DON] += ec1 * q_out
                route_out[g, c, _RESALE] += ec2 * q_out
                route_out[g, c, _TB] += ec3 * q_out
                route_worn[g, c, _BIN] += ec0 * q_worn
                route_worn[g, c, _DON] += ec1 * q_worn
                route_worn[g, c, _TB] += ec3 * q_worn     # worn-out garments are not resold


@njit(cache=True)
def wants(target, awareness, starts, counts, shp, dsp, served_z, wardrobe, share, gap,
          wanting, gap_g, ward_g, got):
    """What each household seeks second hand, its desired stock and the gap to it, in one
    pass (see ``households_acquisition.acquire``).

    ``shp`` holds the arguments of :func:`secondhand_share_of` after ``a`` and ``low``;
    ``dsp`` is (awareness_mean, buy_less_gain, demand_factor, displacement_rate). The
    desired stock is ``target * demand_factor * max(1 - buy_less_gain * (a - mean), 0)
    * (1 + (1 - displacement_rate) * share * served_z[zone])``. Fills ``share`` ``(n,)``,
    ``gap`` ``(n, C)``, ``wanting`` ``(n,)`` and, per group in row order, the gap and the
    wardrobes ``(G, C)``, and sets ``got`` (kg acquired this month) to zero. Odd groups
    are low-income; group ``g`` lies in zone ``g // 2``.
    """
    C = target.shape[1]
    gap_g[:] = 0.0
    ward_g[:] = 0.0
    for g in range(starts.size):
        low, z = g % 2 == 1, g // 2
        for i in range(starts[g], starts[g] + counts[g]):
            s = secondhand_share_of(awareness[i], low, shp[0], shp[1], shp[2], shp[3], shp[4])
            share[i] = s
            got[i] = 0.0
            f = dsp[2] * max(1.0 - dsp[1] * (np.float64(awareness[i]) - dsp[0]), 0.0)
            total = 0.0
            for c in range(C):
                rebound = 1.0 + (1.0 - dsp[3]) * s * served_z[z, c]
                lack = max(target[i, c] * f * rebound - wardrobe[i, c], 0.0)
                gap[i, c] = lack
                total += lack
                gap_g[g, c] += lack
                ward_g[g, c] += wardrobe[i, c]
            wanting[i] = total > 0


@njit(cache=True)
def hand_out_gifts(starts, counts, kg_g, gap_g, ward_g, gap, wardrobe, got, low_need):
    """Each group's gifts to its households in proportion to what each lacks (or, in a
    category nobody in the group lacks, to its stock); updates wardrobes, ``gap`` and
    ``got``. ``gap_g`` and ``ward_g`` are the group totals before the gifts (from
    :func:`wants`). Fills ``low_need`` with what each low-income household (odd groups,
    in row order) still lacks afterwards, summed over categories."""
    C = gap.shape[1]
    basis_tot = np.zeros(C)
    use_gap = np.zeros(C, dtype=np.bool_)
    j = 0
    for g in range(starts.size):
        lo, hi = starts[g], starts[g] + counts[g]
        low = g % 2 == 1
        giving = (kg_g[g] != 0).any()
        if giving:
            for c in range(C):
                use_gap[c] = gap_g[g, c] > 0
                tot = gap_g[g, c] if use_gap[c] else ward_g[g, c]
                basis_tot[c] = kg_g[g, c] / max(tot, 1e-300)
        elif not low:
            continue
        for i in range(lo, hi):
            if giving:
                received = 0.0
                for c in range(C):
                    given = (gap[i, c] if use_gap[c] else wardrobe[i, c]) * basis_tot[c]
                    wardrobe[i, c] += given
                    gap[i, c] = max(gap[i, c] - given, 0.0)
                    received += given
                got[i] += received
            if low:
                need = 0.0
                for c in range(C):
                    need += gap[i, c]
                low_need[j] = need
                j += 1


@njit(cache=True)
def free_and_demand(starts, counts, given, mix, month, share, gap, wardrobe, got,
                    last_gift_month, given_g, demand_g):
    """Free parcels join low-income wardrobes, then second-hand demand is summed by group.

    ``given`` ``(n_low,)`` is each low-income household's parcel (odd groups, in row
    order), ``mix`` ``(Z, C)`` its zone's mix of categories. Updates wardrobes, ``gap``,
    ``got`` and ``last_gift_month``; fills ``given_g`` (kg given) and ``demand_g``
    (``sum_h share[h] * gap[h, c]``), both ``(G, C)`` and summed in row order.
    """
    C = gap.shape[1]
    given_g[:] = 0.0
    demand_g[:] = 0.0
    j = 0
    for g in range(starts.size):
        low, z = g % 2 == 1, g // 2
        for i in range(starts[g], starts[g] + counts[g]):
            if low:
                q = given[j]
                j += 1
                for c in range(C):
                    q_c = q * mix[z, c]
                    wardrobe[i, c] += q_c
                    gap[i, c] = max(gap[i, c] - q_c, 0.0)
                    given_g[g, c] += q_c
                got[i] += q
                if q > 0:
                    last_gift_month[i] = month
            for c in range(C):
                demand_g[g, c] += share[i] * gap[i, c]


@njit(cache=True)
def buy(starts, counts, gap, share, served_g, size, budget_per_person, low_income_share,
        second_hand_price, new_price, wardrobe, got, new_g, kg_in_use):
    """Second hand, then new within budget (see ``households_acquisition._buy``); odd
    groups are low-income. Fills ``new_g`` ``(G, C)`` with new kg by group and
    ``kg_in_use`` ``(C,)`` with the wardrobes after it, summed in row order."""
    C = gap.shape[1]
    new_g[:] = 0.0
    kg_in_use[:] = 0.0
    for g in range(starts.size):
        low = g % 2 == 1
        for i in range(starts[g], starts[g] + counts[g]):
            budget = budget_per_person * np.float64(size[i])
            if low:
                budget *= low_income_share
            second_kg, want = 0.0, 0.0
            for c in range(C):
                second = share[i] * served_g[g, c] * gap[i, c]
                second_kg += second
                want += gap[i, c] - second
            left = max(budget - second_kg * second_hand_price, 0.0)
            f = min(left / new_price / want, 1.0) if want > 0 else 1.0
            total = 0.0
            for c in range(C):
                second = share[i] * served_g[g, c] * gap[i, c]
                new = (gap[i, c] - second) * f
                wardrobe[i, c] += new + second
                kg_in_use[c] += wardrobe[i, c]
                total += new + second
                new_g[g, c] += new
            got[i] += total
