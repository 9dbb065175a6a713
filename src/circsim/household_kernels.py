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


@njit(cache=True)
def household_flows(wardrobe, dormant, starts, counts, rate, wear_out, p_rep, phi,
                    release, reached, declutter_share, K, A, D, resale_weight, F, M,
                    keep, unragged, sums, route_worn, route_out):
    """One pass of garments leaving use (see ``households_discard._household_flows``).

    Updates ``wardrobe`` and ``dormant`` ``(n, C)`` in place and fills, per group, ``sums``
    ``(5, G, C)`` (worn out, repaired, out of use, released, decluttered) and the kg by
    route of worn-out (net of rags) and released (net of gifts) garments ``(G, C, R)``.
    ``reached`` is empty when no decluttering campaign runs this month.
    """
    C = wardrobe.shape[1]
    sums[:] = 0.0
    route_worn[:] = 0.0
    route_out[:] = 0.0
    declutter = reached.size > 0
    for g in range(starts.size):
        k0, k1, k2, k3 = K[g, 0], K[g, 1], K[g, 2], K[g, 3]
        for i in range(starts[g], starts[g] + counts[g]):
            p, a, f = p_rep[i], A[i], F[i]
            resale = np.sqrt(a) if resale_weight == 0.5 else a ** resale_weight
            e0, e1, e2, e3 = k0 * D[i] * a, k1 * a, k2 * resale, k3 * a
            for c in range(C):
                hazard = wardrobe[i, c] * rate[g, c]
                worn = hazard * (wear_out * (1.0 - p))
                out = hazard * ((1.0 - wear_out) * phi[i])
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
def desired_stock(target, awareness, awareness_mean, buy_less_gain, demand_factor,
                  displacement_rate, share, served_z, zone, out):
    """The desired stock of every household into ``out`` ``(n, C)`` (see
    ``households_acquisition.desired_stock``)."""
    for i in range(target.shape[0]):
        f = demand_factor * max(1.0 - buy_less_gain * (np.float64(awareness[i])
                                                       - awareness_mean), 0.0)
        for c in range(target.shape[1]):
            rebound = 1.0 + (1.0 - displacement_rate) * share[i] * served_z[zone[i], c]
            out[i, c] = target[i, c] * f * rebound


@njit(cache=True)
def gap_to(desired, wardrobe, gap, wanting):
    """What each household lacks, ``max(desired - wardrobe, 0)``, and whether it lacks any."""
    for i in range(desired.shape[0]):
        total = 0.0
        for c in range(desired.shape[1]):
            g = max(desired[i, c] - wardrobe[i, c], 0.0)
            gap[i, c] = g
            total += g
        wanting[i] = total > 0


@njit(cache=True)
def hand_out_gifts(starts, counts, kg_g, gap, wardrobe, got):
    """Each group's gifts to its households in proportion to what each lacks (or, in a
    category nobody lacks, to its stock); updates wardrobes, ``gap`` and ``got``."""
    C = gap.shape[1]
    basis_tot = np.zeros(C)
    use_gap = np.zeros(C, dtype=np.bool_)
    for g in range(starts.size):
        lo, hi = starts[g], starts[g] + counts[g]
        if not (kg_g[g] != 0).any():
            continue
        for c in range(C):
            tot = 0.0
            for i in range(lo, hi):
                tot += gap[i, c]
            use_gap[c] = tot > 0
            if not use_gap[c]:
                tot = 0.0
                for i in range(lo, hi):
                    tot += wardrobe[i, c]
            basis_tot[c] = kg_g[g, c] / max(tot, 1e-300)
        for i in range(lo, hi):
            received = 0.0
            for c in range(C):
                given = (gap[i, c] if use_gap[c] else wardrobe[i, c]) * basis_tot[c]
                wardrobe[i, c] += given
                gap[i, c] = max(gap[i, c] - given, 0.0)
                received += given
            got[i] += received


@njit(cache=True)
def group_dot(starts, counts, values, weights, out):
    """Per group, ``sum_h weights[h] * values[h, c]`` into ``out`` ``(G, C)``."""
    out[:] = 0.0
    for g in range(starts.size):
        for i in range(starts[g], starts[g] + counts[g]):
            for c in range(values.shape[1]):
                out[g, c] += weights[i] * values[i, c]


@njit(cache=True)
def buy(starts, counts, gap, share, served_g, size, budget_per_person, low_income_share,
        second_hand_price, new_price, wardrobe, got, new_g):
    """Second hand, then new within budget (see ``households_acquisition._buy``); odd
    groups are low-income. Fills ``new_g`` ``(G, C)`` with new kg by group."""
    C = gap.shape[1]
    new_g[:] = 0.0
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
                total += new + second
                new_g[g, c] += new
            got[i] += total
