"""The household month's passes over every household, compiled with numba.

Households are stored sorted by group (zone x income class), so each group is a slice
of rows, and their ``(n, C)`` tables column by column, so each category of a block of a
group's rows is one contiguous run. Every kernel walks the blocks once, updates
wardrobes and dormant stocks in place, and sums per group as it goes, in vector
instructions. No temporaries of the size of the population are allocated, and nothing
runs in parallel: each block's sums are taken in a fixed order of vector lanes (see
:func:`_sum`), so the same seed gives the same bits whatever the number of workers or
threads and wherever the arrays lie in memory.

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


BLOCK_ROWS = 4096      # rows whose per-household factors stay in the core's cache


@njit(cache=True)
def _blocks(starts, counts):
    """(group, first row, end row) of each block of at most ``BLOCK_ROWS`` rows of a group."""
    out = []
    for g in range(starts.size):
        for lo in range(starts[g], starts[g] + counts[g], BLOCK_ROWS):
            out.append((g, lo, min(lo + BLOCK_ROWS, starts[g] + counts[g])))
    return out


# -- per-household factors of attitude: the formulas, declared once ------------------
@njit(cache=True, error_model="numpy")
def repair_share_of(a, base_price, weight, awareness_mean, uplift, share_max):
    """Chance that a worn-out garment is repaired at awareness ``a``: ``base_price`` times
    ``(1 - weight) + weight * a / awareness_mean``, plus ``uplift``, within [0, max]."""
    attitude = (1.0 - weight) + weight * a / max(awareness_mean, 1e-6)
    return min(max(base_price * attitude + uplift, 0.0), share_max)


@njit(cache=True, error_model="numpy")
def out_of_use_of(a, turnover, keep_longer_gain, awareness_mean):
    """How fast garments fall out of use at awareness ``a`` (relative to the cohorts)."""
    return max(turnover * (1.0 - keep_longer_gain * (a - awareness_mean)), 0.0)


@njit(cache=True, error_model="numpy")
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


# Sums over a block's rows run in vector lanes (``reassoc``): a fixed order for a given
# machine and block length. They are taken only in loops that store nothing, as a loop that
# stores is compiled with run-time checks that the arrays do not overlap, and which of its
# versions runs (vector or scalar) would then depend on where the arrays lie in memory.
@njit(cache=True, error_model="numpy", fastmath={"reassoc"})
def _sum(x):
    """Sum of a 1-D array in vector lanes (see above)."""
    s = 0.0
    for j in range(x.size):
        s += x[j]
    return s


@njit(cache=True, error_model="numpy", fastmath={"reassoc"})
def _dot(x, y):
    """Sum of ``x * y`` over two 1-D arrays of the same length, in vector lanes."""
    s = 0.0
    for j in range(x.size):
        s += x[j] * y[j]
    return s


@njit(cache=True, error_model="numpy", fastmath={"reassoc"})
def _sum_scaled(x, m):
    """Sum of ``x * m`` over a 1-D array, in vector lanes."""
    s = 0.0
    for j in range(x.size):
        s += x[j] * m
    return s


@njit(cache=True, error_model="numpy")
def household_flows(wardrobe, dormant, starts, counts, rate, wear_out, awareness, repair,
                    turnover, release, reached, declutter_share, K, A, D, A_resale, F, M,
                    keep, unragged, sums, route_worn, route_out, kg):
    """One pass of garments leaving use (see ``households_discard._household_flows``).

    Updates ``wardrobe`` and ``dormant`` ``(n, C)`` in place and fills, per group, ``sums``
    ``(5, G, C)`` (worn out, repaired, out of use, released, decluttered) and the kg by
    route of worn-out (net of rags) and released (net of gifts) garments ``(G, C, R)``,
    and ``kg`` ``(2, C)``: the kg in use and dormant after the pass.
    The repair share and the out-of-use factor are computed here from each household's
    awareness: ``repair`` holds the arguments of :func:`repair_share_of` after ``a``,
    ``turnover`` those of :func:`out_of_use_of`; ``A``, ``D``, ``A_resale`` (``A`` to the
    power ``resale_attitude_weight``) and ``F`` are the route factors, computed by numpy
    (its vectorised exponential is several times faster than a scalar one).
    ``reached`` ``(n,)`` marks the households a decluttering campaign reaches this month.

    Wardrobes and dormant stocks are stored column by column (Fortran order), so each
    category of a block of a group's rows is one contiguous run, walked while it is in the
    processor's cache: once to update the stocks, keeping what left them
    (:func:`_flow_update`), then to sum what left and by which route (:func:`_sum`,
    :func:`_route_sums`, which store nothing). All compile to vector instructions:
    ``error_model="numpy"`` lets a division by zero give inf instead of raising (no
    denominator here can be zero).
    """
    C = wardrobe.shape[1]
    b = (repair[0], repair[1], repair[2], repair[3], repair[4])
    t = (turnover[0], turnover[1], turnover[2])
    kg[:] = 0.0
    sums[:] = 0.0
    route_out[:] = 0.0
    route_worn[:] = 0.0
    left = np.empty((5, BLOCK_ROWS))       # worn out, repaired, out of use, released, decl.
    for g, lo, hi in _blocks(starts, counts):
        m = hi - lo
        for c in range(C):
            wardrobe_c, dormant_c = wardrobe[lo:hi, c], dormant[lo:hi, c]
            _flow_update(wardrobe_c, dormant_c, lo, awareness, reached, rate[g, c],
                         release[c], wear_out, declutter_share, b, t, left[:, :m])
            for k in range(5):
                sums[k, g, c] += _sum(left[k, :m])
            kg[0, c] += _sum(wardrobe_c)
            kg[1, c] += _sum(dormant_c)
            e = (K[g, 0], K[g, 1], K[g, 2], K[g, 3], M[0, c], M[1, c], M[2, c], M[3, c])
            r = _route_sums(left[0, :m], left[3, :m], lo, A, D, A_resale, F, keep[c],
                            unragged[c], e)
            route_out[g, c, _RES] += r[0]
            route_out[g, c, _BIN] += r[1]
            route_out[g, c, _DON] += r[2]
            route_out[g, c, _RESALE] += r[3]
            route_out[g, c, _TB] += r[4]
            route_worn[g, c, _RES] += r[5]
            route_worn[g, c, _BIN] += r[6]
            route_worn[g, c, _DON] += r[7]
            route_worn[g, c, _TB] += r[8]       # worn-out garments are not resold


@njit(cache=True, error_model="numpy")
def _flow_update(wardrobe_c, dormant_c, lo, awareness, reached, rc, rl, wear_out,
                 declutter_share, b, t, left):
    """Wardrobes and dormant stocks of one category of a block after the month's flows;
    what left each row goes into ``left`` ``(5, rows)``: worn out, repaired, out of use,
    released and (of which) decluttered. The repair share is ``b``'s
    :func:`repair_share_of`, the out-of-use factor ``t``'s :func:`out_of_use_of`."""
    for j in range(wardrobe_c.size):
        i = lo + j
        aw = np.float64(awareness[i])
        p = repair_share_of(aw, b[0], b[1], b[2], b[3], b[4])
        phi = out_of_use_of(aw, t[0], t[1], t[2])
        w, d = wardrobe_c[j], dormant_c[j]
        hazard = w * rc
        worn = hazard * (wear_out * (1.0 - p))
        out = hazard * ((1.0 - wear_out) * phi)
        rel = d * rl
        decl = (d - rel) * (declutter_share * reached[i])     # 0 if not reached
        rel += decl
        wardrobe_c[j] = w - (worn + out)
        dormant_c[j] = d - rel + out
        left[0, j] = worn
        left[1, j] = hazard * (wear_out * p)
        left[2, j] = out
        left[3, j] = rel
        left[4, j] = decl


@njit(cache=True, error_model="numpy", fastmath={"reassoc"})
def _route_sums(worn, released, lo, A, D, A_resale, F, kp, un, e):
    """kg of a block's released garments (net of gifts) by route, then of its worn-out
    ones (net of rags), from the route factors (``e``: the group's ``K`` then the
    category's ``M``); stores nothing."""
    k0, k1, k2, k3, m0, m1, m2, m3 = e
    o0 = o1 = o2 = o3 = o4 = w0 = w1 = w2 = w4 = 0.0
    for j in range(worn.size):
        i = lo + j
        a, f = A[i], F[i]
        ec0, ec1 = k0 * D[i] * a * m0, k1 * a * m1
        ec2, ec3 = k2 * A_resale[i] * m2, k3 * a * m3
        separate = ec0 + ec1 + ec3
        q_out = released[j] * kp / (1.0 + separate + ec2)
        q_worn = worn[j] * un / (1.0 + f * separate)
        o0 += q_out
        w0 += q_worn
        q_worn *= f
        o1 += ec0 * q_out
        o2 += ec1 * q_out
        o3 += ec2 * q_out
        o4 += ec3 * q_out
        w1 += ec0 * q_worn
        w2 += ec1 * q_worn
        w4 += ec3 * q_worn
    return (o0, o1, o2, o3, o4, w0, w1, w2, w4)


@njit(cache=True, error_model="numpy")
def wants(target, awareness, starts, counts, shp, dsp, served_z, wardrobe, share, gap,
          wanting, gap_g, ward_g, got):
    """What each household seeks second hand, its desired stock and the gap to it, in one
    pass (see ``households_acquisition.acquire``).

    ``shp`` holds the arguments of :func:`secondhand_share_of` after ``a`` and ``low``;
    ``dsp`` is (awareness_mean, buy_less_gain, demand_factor, displacement_rate). The
    desired stock is ``target * demand_factor * max(1 - buy_less_gain * (a - mean), 0)
    * (1 + (1 - displacement_rate) * share * served_z[zone])``. Fills ``share`` ``(n,)``,
    ``gap`` ``(n, C)``, ``wanting`` ``(n,)`` and, per group, the gap and the wardrobes
    ``(G, C)``, and sets ``got`` (kg acquired this month) to zero. Odd groups are
    low-income; group ``g`` lies in zone ``g // 2``. The ``(n, C)`` arrays are stored
    column by column and walked block by block as in :func:`household_flows`.
    """
    C = target.shape[1]
    gap_g[:] = 0.0
    ward_g[:] = 0.0
    lacking = np.empty(BLOCK_ROWS)
    kept = 1.0 - dsp[3]
    for g, lo, hi in _blocks(starts, counts):
        low, z = g % 2 == 1, g // 2
        for i in range(lo, hi):
            share[i] = secondhand_share_of(awareness[i], low, shp[0], shp[1], shp[2], shp[3],
                                           shp[4])
            got[i] = 0.0
        lacking[:hi - lo] = 0.0
        for c in range(C):
            target_c, wardrobe_c, gap_c = target[lo:hi, c], wardrobe[lo:hi, c], gap[lo:hi, c]
            served = served_z[z, c]
            for j in range(hi - lo):
                i = lo + j
                f = dsp[2] * max(1.0 - dsp[1] * (np.float64(awareness[i]) - dsp[0]), 0.0)
                rebound = 1.0 + kept * share[i] * served
                lack = max(target_c[j] * f * rebound - wardrobe_c[j], 0.0)
                gap_c[j] = lack
                lacking[j] += lack
            gap_g[g, c] += _sum(gap_c)
            ward_g[g, c] += _sum(wardrobe_c)
        for j in range(hi - lo):
            wanting[lo + j] = lacking[j] > 0


@njit(cache=True, error_model="numpy")
def low_need_after_gifts(starts, counts, gap, wardrobe, basis, use_gap, low_need):
    """What each low-income household (odd groups, in row order) will still lack once the
    gifts of :func:`gifts_free_and_demand` are handed out, summed over categories; nothing
    is changed. ``basis`` ``(G, C)``: kg given per kg lacked (``use_gap``) or held."""
    C = gap.shape[1]
    j = 0
    for g in range(1, starts.size, 2):
        for i in range(starts[g], starts[g] + counts[g]):
            need = 0.0
            for c in range(C):
                given = (gap[i, c] if use_gap[g, c] else wardrobe[i, c]) * basis[g, c]
                need += max(gap[i, c] - given, 0.0)
            low_need[j] = need
            j += 1


@njit(cache=True)
def _first_low_rows(starts, counts):
    """Index, among the low-income rows (odd groups, in row order), of each group's first."""
    first = np.zeros(starts.size, dtype=np.int64)
    k = 0
    for g in range(starts.size):
        first[g] = k
        if g % 2 == 1:
            k += counts[g]
    return first


@njit(cache=True, error_model="numpy")
def gifts_free_and_demand(starts, counts, basis, use_gap, given, mix, month, share, gap,
                          wardrobe, got, last_gift_month, given_g, demand_g):
    """Gifts and free parcels join wardrobes, then second-hand demand is summed by group.

    Each group's gifts go to its households in proportion to what each lacks (``use_gap``)
    or, in a category nobody in the group lacks, to its stock: ``basis`` ``(G, C)`` is the
    kg given per kg. ``given`` ``(n_low,)`` is each low-income household's parcel (odd
    groups, in row order), ``mix`` ``(Z, C)`` its zone's mix of categories. Updates
    wardrobes, ``gap``, ``got`` and ``last_gift_month``; fills ``given_g`` (kg of parcels
    given) and ``demand_g`` (``sum_h share[h] * gap[h, c]``), both ``(G, C)``.
    """
    C = gap.shape[1]
    given_g[:] = 0.0
    demand_g[:] = 0.0
    first_low = _first_low_rows(starts, counts)
    for g, lo, hi in _blocks(starts, counts):
        low, z = g % 2 == 1, g // 2
        j0 = first_low[g] + lo - starts[g]
        for c in range(C):
            wardrobe_c, gap_c = wardrobe[lo:hi, c], gap[lo:hi, c]
            b = basis[g, c]
            if use_gap[g, c]:
                for j in range(hi - lo):
                    gift = gap_c[j] * b
                    wardrobe_c[j] += gift
                    gap_c[j] = max(gap_c[j] - gift, 0.0)
                    got[lo + j] += gift
            else:
                for j in range(hi - lo):
                    gift = wardrobe_c[j] * b
                    wardrobe_c[j] += gift
                    gap_c[j] = max(gap_c[j] - gift, 0.0)
                    got[lo + j] += gift
            if low:
                m = mix[z, c]
                parcels = given[j0:j0 + hi - lo]
                for j in range(hi - lo):
                    q_c = parcels[j] * m
                    wardrobe_c[j] += q_c
                    gap_c[j] = max(gap_c[j] - q_c, 0.0)
                given_g[g, c] += _sum_scaled(parcels, m)
            demand_g[g, c] += _dot(share[lo:hi], gap_c)
        if low:
            for j in range(hi - lo):
                q = given[j0 + j]
                got[lo + j] += q
                if q > 0:
                    last_gift_month[lo + j] = month


@njit(cache=True, error_model="numpy")
def buy(starts, counts, gap, share, served_g, size, budget_per_person, low_income_share,
        second_hand_price, new_price, wardrobe, got, new_g, kg_in_use):
    """Second hand, then new within budget (see ``households_acquisition._buy``); odd
    groups are low-income. Fills ``new_g`` ``(G, C)`` with new kg by group and
    ``kg_in_use`` ``(C,)`` with the wardrobes after it."""
    C = gap.shape[1]
    new_g[:] = 0.0
    kg_in_use[:] = 0.0
    second_kg, want = np.empty(BLOCK_ROWS), np.empty(BLOCK_ROWS)
    bought, new = np.empty(BLOCK_ROWS), np.empty(BLOCK_ROWS)
    for g, lo, hi in _blocks(starts, counts):
        low = g % 2 == 1
        m = hi - lo
        second_kg[:m] = 0.0
        want[:m] = 0.0
        bought[:m] = 0.0
        for c in range(C):
            served, gap_c = served_g[g, c], gap[lo:hi, c]
            for j in range(m):
                second = share[lo + j] * served * gap_c[j]
                second_kg[j] += second
                want[j] += gap_c[j] - second
        for j in range(m):          # what share of the new garments wanted the budget buys
            budget = budget_per_person * np.float64(size[lo + j])
            if low:
                budget *= low_income_share
            left = max(budget - second_kg[j] * second_hand_price, 0.0)
            want[j] = min(left / new_price / want[j], 1.0) if want[j] > 0 else 1.0
        for c in range(C):
            served, gap_c, wardrobe_c = served_g[g, c], gap[lo:hi, c], wardrobe[lo:hi, c]
            for j in range(m):
                second = share[lo + j] * served * gap_c[j]
                new[j] = (gap_c[j] - second) * want[j]
                wardrobe_c[j] += new[j] + second
                bought[j] += new[j] + second
            new_g[g, c] += _sum(new[:m])
            kg_in_use[c] += _sum(wardrobe_c)
        for j in range(m):
            got[lo + j] += bought[j]
