"""The compiled household passes: what they conserve, and results that do not depend on
the number of threads (the same seed gives the same bits)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from circsim import household_kernels as k

SRC = str(Path(__file__).resolve().parents[1] / "src")


def test_column_sums_match_numpy():
    values = np.random.default_rng(1).random((1001, 3))
    assert np.allclose(k.column_sums(values), values.sum(axis=0), rtol=1e-13)


def test_gifts_hand_out_each_groups_pool_exactly():
    rng = np.random.default_rng(2)
    starts, counts = np.array([0, 5, 5, 12]), np.array([5, 0, 7, 3])     # odd: low-income
    n = 15
    gap = rng.random((n, 3))
    gap[5:12, 1] = 0.0                      # nobody in group 2 lacks category 1: by stock
    wardrobe, got = rng.random((n, 3)), np.zeros(n)
    before, gap_before = wardrobe.copy(), gap.copy()
    kg_g = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0], [0.3, 0.7, 0.0], [0.1, 0.0, 0.2]])
    rows = [slice(a, a + c) for a, c in zip(starts, counts, strict=True)]
    gap_g = np.array([gap[r].sum(axis=0) for r in rows])
    ward_g = np.array([wardrobe[r].sum(axis=0) for r in rows])
    use_gap = gap_g > 0
    basis = kg_g / np.maximum(np.where(use_gap, gap_g, ward_g), 1e-300)
    low_need = np.empty(3)
    k.low_need_after_gifts(starts, counts, gap, wardrobe, basis, use_gap, low_need)
    assert np.array_equal(gap, gap_before) and np.array_equal(wardrobe, before)
    given_g, demand_g, last = np.empty((4, 3)), np.empty((4, 3)), np.zeros(n, np.int32)
    share = rng.random(n)
    k.gifts_free_and_demand(starts, counts, basis, use_gap, np.zeros(3), np.ones((2, 3)) / 3,
                            7, share, gap, wardrobe, got, last, given_g, demand_g)
    received = wardrobe - before
    for g, r in enumerate(rows):
        assert np.allclose(received[r].sum(axis=0), kg_g[g] if counts[g] else 0.0)
    assert np.allclose(got, received.sum(axis=1))
    assert (gap >= 0).all() and not given_g.any() and not last.any()
    assert np.allclose(low_need, gap[12:].sum(axis=1))        # what the low group still lacks
    assert np.allclose(demand_g, [(share[r, None] * gap[r]).sum(axis=0) for r in rows])


def test_purchases_stay_within_budget_and_need():
    rng = np.random.default_rng(3)
    starts, counts = np.array([0, 6]), np.array([6, 6])
    gap = rng.random((12, 3)) * 10
    share, size = rng.random(12) * 0.3, np.full(12, 2.0, np.float32)
    served_g = np.full((2, 3), 0.5)
    wardrobe, got, new_g = np.zeros((12, 3)), np.zeros(12), np.zeros((2, 3))
    kg_in_use = np.zeros(3)
    k.buy(starts, counts, gap, share, served_g, size, 30.0, 0.5, 4.0, 20.0, wardrobe, got,
          new_g, kg_in_use)
    assert np.allclose(kg_in_use, k.column_sums(wardrobe), rtol=1e-13)
    assert (wardrobe <= gap + 1e-12).all()
    second = share[:, None] * 0.5 * gap
    spent = second.sum(axis=1) * 4.0 + (wardrobe - second).sum(axis=1) * 20.0
    budget = np.where(np.arange(12) >= 6, 30.0, 60.0)
    assert (spent <= np.maximum(budget, second.sum(axis=1) * 4.0) + 1e-9).all()
    assert np.allclose(new_g.sum(), (wardrobe - second).sum())


def test_wants_and_parcels_sum_what_they_fill():
    rng = np.random.default_rng(4)
    starts, counts = np.array([0, 4, 9, 15]), np.array([4, 5, 6, 0])  # odd: low-income
    n, C = 15, 3
    target, wardrobe = rng.random((n, C)) * 2, rng.random((n, C))
    awareness = rng.random(n).astype(np.float32)
    shp = np.array([0.2, 0.3, 0.5, 1.5, 0.6])
    dsp = np.array([0.5, 0.2, 1.0, 0.7])
    served_z = rng.random((2, C))
    share, gap, wanting = np.empty(n), np.empty((n, C)), np.empty(n, np.bool_)
    gap_g, ward_g, got = np.empty((4, C)), np.empty((4, C)), np.full(n, 9.0)
    k.wants(target, awareness, starts, counts, shp, dsp, served_z, wardrobe, share, gap,
            wanting, gap_g, ward_g, got)
    assert (gap >= 0).all() and (got == 0).all() and (wanting == (gap.sum(axis=1) > 0)).all()
    rows = [slice(a, a + c) for a, c in zip(starts, counts, strict=True)]
    assert np.allclose(gap_g, [gap[r].sum(axis=0) for r in rows], rtol=1e-13)
    assert np.allclose(ward_g, [wardrobe[r].sum(axis=0) for r in rows], rtol=1e-13)
    given = np.array([0.0, 0.4, 0.0, 1.0, 0.2])           # the low-income rows 4..8
    mix = np.array([[0.5, 0.25, 0.25], [1.0, 0.0, 0.0]])
    before, last = wardrobe.copy(), np.zeros(n, np.int32)
    given_g, demand_g = np.empty((4, C)), np.empty((4, C))
    no_gifts = np.zeros((4, C))
    k.gifts_free_and_demand(starts, counts, no_gifts, no_gifts > 0, given, mix, 7, share, gap,
                            wardrobe, got, last, given_g, demand_g)
    assert np.allclose((wardrobe - before)[4:9], given[:, None] * mix[0])
    assert np.allclose(given_g[1], given.sum() * mix[0]) and not given_g[[0, 2, 3]].any()
    assert (last[4:9] == np.where(given > 0, 7, 0)).all() and not last[:4].any()
    assert np.allclose(demand_g, [(share[r, None] * gap[r]).sum(axis=0) for r in rows])


def test_kg_by_category_kept_by_the_passes_equals_the_columns():
    from circsim import TextileEconomy, load_scenario

    model = TextileEconomy(load_scenario("baseline", overrides={
        "scale": 0.002, "months": 2, "warmup_months": 0}))
    model.step()
    hh = model.households
    in_use, dormant = hh.kg_by_category()
    # the discard pass sums in vector lanes, so its sums agree with row order to rounding
    assert np.allclose(in_use, k.column_sums(hh.wardrobe), rtol=1e-12, atol=0)
    assert np.allclose(dormant, k.column_sums(hh.dormant), rtol=1e-12, atol=0)


def _summary(threads: str) -> dict:
    code = ("import json\nfrom circsim import load_scenario, run_scenario\n"
            "s = run_scenario(load_scenario('baseline', overrides={'scale': 0.002, "
            "'months': 6, 'warmup_months': 2}), seed=7).summary\n"
            "print(json.dumps({k: v for k, v in s.items() if k != 'runtime_s'}))")
    env = {**os.environ, "PYTHONPATH": SRC, "NUMBA_NUM_THREADS": threads,
           "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads,
           "MKL_NUM_THREADS": threads}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_same_seed_same_bits_whatever_the_threads():
    assert _summary("1") == _summary("2")


def _placed(x: np.ndarray, shift: int) -> np.ndarray:
    """A copy of ``x`` (same layout) starting ``shift`` float64s after a 64-byte boundary."""
    buf = np.empty(x.nbytes + 128, np.uint8)
    start = (-buf.ctypes.data) % 64 + 8 * shift
    y = np.ndarray(x.shape, x.dtype, buffer=buf, offset=start,
                   order="F" if x.flags.f_contiguous and x.ndim == 2 else "C")
    y[...] = x
    return y


def test_passes_give_the_same_bits_wherever_the_arrays_lie():
    """Sums run in vector lanes only in loops that store nothing: a loop that stores is
    compiled with run-time overlap checks, and which of its versions runs depends on where
    the arrays lie; the same seed then gave other bits from one run to the next."""
    rng = np.random.default_rng(5)
    n, C, G = 9000, 3, 4
    starts, counts = np.array([0, 4000, 4300, 8000]), np.array([4000, 300, 3700, 1000])
    col = lambda: np.asfortranarray(rng.random((n, C)))   # noqa: E731
    wardrobe, dormant, gap, target = col(), col(), col(), col()
    awareness = rng.random(n).astype(np.float32)
    A, D, F = rng.random(n) + 0.5, rng.random(n), rng.random(n) + 0.5
    flows_in = [wardrobe, dormant, starts, counts, rng.random((G, C)) * 0.1, 0.4, awareness,
                np.array([0.02, 0.5, 0.5, 0.01, 0.3]), np.array([1.0, 0.2, 0.5]),
                rng.random(C) * 0.05, rng.random(n) < 0.3, 0.2, rng.random((G, 4)),
                A, D, np.sqrt(A), F, rng.random((4, C)), rng.random(C), rng.random(C),
                np.empty((5, G, C)), np.empty((G, C, 5)), np.empty((G, C, 5)), np.empty((2, C))]
    share = rng.random(n) * 0.3
    buy_in = [starts, counts, gap, share, rng.random((G, C)), rng.random(n).astype(np.float32),
              30.0, 0.5, 4.0, 20.0, wardrobe, np.zeros(n), np.empty((G, C)), np.empty(C)]
    wants_in = [target, awareness, starts, counts, np.array([0.2, 0.3, 0.5, 1.5, 0.6]),
                np.array([0.5, 0.2, 1.0, 0.7]), rng.random((2, C)), wardrobe, np.empty(n),
                gap, np.empty(n, np.bool_), np.empty((G, C)), np.empty((G, C)), np.empty(n)]
    low = counts[1] + counts[3]
    gifts_in = [starts, counts, rng.random((G, C)) * 0.01, rng.random((G, C)) < 0.7,
                rng.random(low), rng.random((2, C)), 3, share, gap, wardrobe, np.zeros(n),
                np.zeros(n, np.int32), np.empty((G, C)), np.empty((G, C))]
    for kernel, args in ((k.household_flows, flows_in), (k.buy, buy_in), (k.wants, wants_in),
                         (k.gifts_free_and_demand, gifts_in)):
        results = []
        for shift in range(4):     # the households' columns move against everything else
            placed = [_placed(a, shift if a.shape[0] == n else 0)
                      if isinstance(a, np.ndarray) else a for a in args]
            kernel(*placed)
            results.append([a.copy() for a in placed if isinstance(a, np.ndarray)])
        for other in results[1:]:
            assert all(np.array_equal(x, y) for x, y in zip(results[0], other, strict=True)), \
                kernel.__name__
