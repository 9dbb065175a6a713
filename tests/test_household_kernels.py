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
    starts, counts = np.array([0, 5, 5]), np.array([5, 0, 7])
    gap = rng.random((12, 3))
    gap[5:, 1] = 0.0                        # nobody in group 2 lacks category 1: by stock
    wardrobe, got = rng.random((12, 3)), np.zeros(12)
    before = wardrobe.copy()
    kg_g = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0], [0.3, 0.7, 0.0]])
    gap_g = np.array([gap[:5].sum(axis=0), np.zeros(3), gap[5:].sum(axis=0)])
    ward_g = np.array([wardrobe[:5].sum(axis=0), np.zeros(3), wardrobe[5:].sum(axis=0)])
    low_need = np.zeros(0)                  # no low-income group (odd groups) has rows
    k.hand_out_gifts(starts, counts, kg_g, gap_g, ward_g, gap, wardrobe, got, low_need)
    received = wardrobe - before
    assert np.allclose(received[:5].sum(axis=0), kg_g[0])
    assert np.allclose(received[5:].sum(axis=0), kg_g[2])
    assert np.allclose(got, received.sum(axis=1))
    assert (gap >= 0).all()


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
    assert np.array_equal(kg_in_use, k.column_sums(wardrobe))
    assert (wardrobe <= gap + 1e-12).all()
    second = share[:, None] * 0.5 * gap
    spent = second.sum(axis=1) * 4.0 + (wardrobe - second).sum(axis=1) * 20.0
    budget = np.where(np.arange(12) >= 6, 30.0, 60.0)
    assert (spent <= np.maximum(budget, second.sum(axis=1) * 4.0) + 1e-9).all()
    assert np.allclose(new_g.sum(), (wardrobe - second).sum())


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
