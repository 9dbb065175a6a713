"""A sweep killed mid-way loses nothing; --resume runs only what is missing, never twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd

from circsim.cli import main

EXPERIMENT = """\
name: killme
scenario: baseline
replicates: 4
seed: 11
months: 12
scale: 0.002
overrides: {warmup_months: 0}
metrics: [residual_waste_t, collection_rate, co2e_t]
grid:
  households.displacement_rate: [0.6, 0.65, 0.7, 0.75, 0.8, 0.85]
"""
TOTAL = 24


def test_resume_after_a_killed_sweep(tmp_path):
    exp = tmp_path / "killme.yaml"
    exp.write_text(EXPERIMENT)
    out = tmp_path / "out"
    parts = out / "parts"
    proc = subprocess.Popen(
        [sys.executable, "-m", "circsim.cli", "sweep", str(exp), "--jobs", "2", "--out",
         str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)      # its own process group: the kill takes its workers too
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            done = len(list(parts.glob("run-*.parquet"))) if parts.is_dir() else 0
            if done >= 4 or proc.poll() is not None:
                break
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    before = {p.name: p.stat().st_mtime_ns for p in parts.glob("run-*.parquet")}
    assert 4 <= len(before) < TOTAL, "the sweep should have been killed part-way"
    assert not (out / "runs.parquet").exists()

    assert main(["sweep", str(exp), "--out", str(out), "--jobs", "1"]) == 2   # needs --resume
    assert main(["sweep", str(exp), "--out", str(out), "--jobs", "2", "--resume"]) == 0
    runs = pd.read_parquet(out / "runs.parquet")
    assert sorted(runs["run_id"]) == list(range(TOTAL))          # complete, no duplicates
    assert runs["run_id"].is_unique
    after = {p.name: p.stat().st_mtime_ns for p in parts.glob("run-*.parquet")}
    assert all(after[name] == mtime for name, mtime in before.items())  # none was rerun
    assert not list(out.rglob("*.tmp"))
    monthly = pd.read_parquet(out / "monthly.parquet")
    assert len(monthly) == TOTAL * 12
    assert not monthly.duplicated(["run_id", "month"]).any()

    # and the result is the one an uninterrupted sweep gives
    assert main(["sweep", str(exp), "--out", str(tmp_path / "straight"), "--jobs", "1"]) == 0
    assert (tmp_path / "straight" / "runs.parquet").read_bytes() == \
        (out / "runs.parquet").read_bytes()
