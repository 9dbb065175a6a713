"""Faults in sweeps and fuzzed experiment files: a clear error, never a traceback or a hang,
and nothing lost: ``--resume`` completes with no run lost or duplicated."""

from __future__ import annotations

import errno
import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circsim.experiments import Experiment, run_experiment
from circsim.experiments import store as store_mod
from circsim.experiments.files import load_experiment
from circsim.scenario import CircsimError

SMALL = dict(name="faults", scenarios=["baseline"], replicates=2, months=3, scale=0.001,
             overrides={"warmup_months": 0},
             grid={"policies.collection.bins_per_10k_residents": [3.0, 5.0, 7.0]})


def test_full_disk_stops_clearly_and_resume_completes(tmp_path, monkeypatch):
    reference = run_experiment(Experiment(**SMALL), tmp_path / "clean", jobs=1, reports=False)
    real = store_mod._atomic_write
    writes = {"n": 0}

    def flaky(path: Path, write) -> None:
        if path.parent.name == "parts":
            writes["n"] += 1
            if writes["n"] > 3:          # the disk fills up after three saved runs
                def fail(p: Path) -> None:
                    raise OSError(errno.ENOSPC, "No space left on device")
                return real(path, fail)
        return real(path, write)

    out = tmp_path / "sweep"
    monkeypatch.setattr(store_mod, "_atomic_write", flaky)
    with pytest.raises(store_mod.OutputError) as err:
        run_experiment(Experiment(**SMALL), out, jobs=1, reports=False)
    message = str(err.value)
    assert "No space left on device" in message and "--resume" in message
    assert "3 runs saved" in message
    assert len(list((out / "parts").glob("run-*.parquet"))) == 3
    assert not list(out.rglob("*.tmp"))            # no half-written part left behind

    monkeypatch.setattr(store_mod, "_atomic_write", real)
    resumed = run_experiment(Experiment(**SMALL), out, jobs=1, resume=True, reports=False)
    assert resumed.ran == 3                         # only what was missing
    ids = resumed.runs["run_id"]
    assert ids.is_unique and len(ids) == len(reference.runs)
    pd.testing.assert_frame_equal(resumed.runs.reset_index(drop=True),
                                  reference.runs.reset_index(drop=True))


BUNDLED = Path(__file__).parents[1] / "src" / "circsim" / "data" / "experiments"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(p.name for p in BUNDLED.glob("*.yaml"))),
       seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 4))
def test_mutated_experiment_files_load_or_fail_clearly(tmp_path_factory, name, seed, edits):
    rng = random.Random(seed)
    lines = (BUNDLED / name).read_text().splitlines()
    for _ in range(edits):
        i = rng.randrange(len(lines))
        choice = rng.randrange(4)
        if choice == 0:
            del lines[i]
        elif choice == 1:
            lines[i] = lines[i].replace(":", rng.choice([" ", "::", ": [", ": {"]), 1)
        elif choice == 2:
            lines[i] = lines[i] + rng.choice([" x", " -1", " 1e9", " no", " ]", " *a"])
        else:
            lines.insert(i, rng.choice(["replicates: 0", "grid: 3", "seed: -4", "bogus: 1",
                                        "  - ", "sample: {n: 0}", "scale: 2"]))
        if not lines:
            lines = ["x"]
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_text("\n".join(lines) + "\n")
    try:
        load_experiment(path)
    except CircsimError as err:
        text = str(err)
        assert name in text and "Traceback" not in text


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_random_text_as_an_experiment_file(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "random.yaml"
    path.write_text(text)
    try:
        load_experiment(path)
    except CircsimError as err:
        assert "random.yaml" in str(err)


def _loky_workers() -> list[int]:
    """PIDs of this process's loky worker children (Linux /proc)."""
    import os

    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and b"popen_loky_posix" in cmd:
            pids.append(int(entry.name))
    return pids


def test_a_worker_killed_mid_sweep_is_reported_and_resume_completes(tmp_path):
    import os
    import signal
    import threading
    import time

    from circsim.experiments.runner import WorkerLostError

    spec = dict(SMALL, replicates=4, months=12, scale=0.002)
    reference = run_experiment(Experiment(**spec), tmp_path / "clean", jobs=1, reports=False)
    out = tmp_path / "sweep"
    killed = []

    def assassin() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            parts = list((out / "parts").glob("run-*.parquet")) if out.exists() else []
            workers = _loky_workers()
            if len(parts) >= 2 and workers:
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])
            time.sleep(0.01)

    thread = threading.Thread(target=assassin, daemon=True)
    thread.start()
    with pytest.raises(WorkerLostError) as err:
        run_experiment(Experiment(**spec), out, jobs=2, reports=False)
    thread.join()
    assert killed and "--resume" in str(err.value)
    saved = len(list((out / "parts").glob("run-*.parquet")))
    assert 2 <= saved < len(reference.runs)

    resumed = run_experiment(Experiment(**spec), out, jobs=2, resume=True, reports=False)
    assert resumed.ran == len(reference.runs) - saved
    assert resumed.runs["run_id"].is_unique
    pd.testing.assert_frame_equal(resumed.runs.reset_index(drop=True),
                                  reference.runs.reset_index(drop=True))
