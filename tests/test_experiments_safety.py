"""Sweeps under concurrency and faults: one writer per folder, damaged parts set aside and
re-run, no worker outliving its sweep, and single-replicate experiments that say their
intervals are undefined instead of failing."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from circsim.cli import main
from circsim.experiments import Experiment, run_experiment
from circsim.experiments.lock import HOLDER_NAME, FolderBusyError
from circsim.scenario.errors import CircsimWarning

TINY = dict(name="tiny", scenarios=["baseline"], replicates=2, months=2, scale=0.001,
            overrides={"warmup_months": 0}, metrics=["residual_waste_t", "collection_rate"],
            grid={"households.displacement_rate": [0.6, 0.7]})
HOLD = """\
import sys, time
from pathlib import Path
from circsim.experiments.lock import folder_lock
with folder_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def _env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[1] / "src")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}


def test_a_second_writer_is_refused_and_a_dead_holders_lock_taken_over(tmp_path, capsys):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE,
                              text=True, env=_env())
    try:
        assert holder.stdout.readline().strip() == "held"
        exp = tmp_path / "e.yaml"
        exp.write_text("name: e\nscenario: baseline\nmonths: 2\nscale: 0.001\n"
                       "overrides: {warmup_months: 0}\nmetrics: [residual_waste_t]\n")
        assert main(["sweep", str(exp), "--jobs", "1", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert str(out) in err and f"process {holder.pid}" in err and "started" in err
        assert "Traceback" not in err
        assert not (out / "parts").exists()          # refused before touching anything
        with pytest.raises(FolderBusyError):         # the Python API is refused too
            run_experiment(Experiment(**TINY), out, reports=False)
    finally:
        holder.kill()                                # dies holding the lock
        holder.wait()
    assert json.loads((out / HOLDER_NAME).read_text())["pid"] == holder.pid   # left behind
    assert main(["sweep", str(exp), "--jobs", "1", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "took over the lock" in err and str(holder.pid) in err
    assert not (out / HOLDER_NAME).exists()          # released at the end


def test_a_damaged_part_is_set_aside_and_run_again_on_resume(tmp_path):
    out = tmp_path / "sweep"
    reference = run_experiment(Experiment(**TINY), out, reports=False)
    part = out / "parts" / "run-000001.parquet"
    part.write_bytes(part.read_bytes()[:100])        # cut short, as by a failed copy
    (out / "failures" / "run-000003.json").write_text("{not json")
    with pytest.warns(CircsimWarning, match=r"3 file\(s\) of 1 finished run.*run again"):
        resumed = run_experiment(Experiment(**TINY), out, resume=True, reports=False)
    assert resumed.ran == 1                          # only the damaged run
    assert (out / "corrupt" / "parts" / "run-000001.parquet").exists()
    assert (out / "corrupt" / "failures" / "run-000003.json").exists()
    pd.testing.assert_frame_equal(resumed.runs, reference.runs)


def _children(pid: int) -> set[int]:
    """Every living descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_workers_end_when_the_sweep_is_killed(tmp_path):
    exp = tmp_path / "long.yaml"
    exp.write_text("name: long\nscenario: baseline\nreplicates: 8\nmonths: 24\nscale: 0.002\n"
                   "overrides: {warmup_months: 0}\nmetrics: [residual_waste_t]\n")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "circsim.cli", "sweep", str(exp),
                             "--jobs", "2", "--out", str(out)], env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kids: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            kids |= _children(proc.pid)
            if len(kids) >= 3 and any((out / "parts").glob("run-*.parquet")):
                break                                # workers up and working
            time.sleep(0.1)
        assert proc.poll() is None, "the sweep ended before it could be killed"
        kids |= _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)            # the parent only, not its group
        proc.wait()
        deadline = time.monotonic() + 10
        while _alive(kids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(kids), "workers or resource trackers outlived the sweep"
    finally:
        for pid in _alive(kids):
            os.kill(pid, signal.SIGKILL)
    done = len(list((out / "parts").glob("run-*.parquet")))
    assert 1 <= done < 8


def test_sigterm_stops_a_sweep_like_ctrl_c():
    from circsim.experiments.cli import _terminate_as_interrupt

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt), _terminate_as_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)                                # the handler interrupts the sleep
    assert signal.getsignal(signal.SIGTERM) == before


def test_one_replicate_grid_with_a_failing_point_reports_undefined_cis(tmp_path, capsys):
    exp = tmp_path / "g.yaml"
    exp.write_text("name: g\nscenario: baseline\nreplicates: 1\nmonths: 2\nscale: 0.001\n"
                   "overrides: {warmup_months: 0}\n"
                   "grid:\n  firms.unsold_share: [0.21, 0.95]\n")
    out = tmp_path / "o"
    assert main(["sweep", str(exp), "--jobs", "1", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "1 of 2 runs failed" in captured.err and "Traceback" not in captured.err
    assert "CI undefined with 1 replicate" in captured.out
    points = pd.read_csv(out / "points.csv")
    assert points["ci_low"].isna().all() and points["mean"].notna().all()


def test_one_replicate_compare_sample_and_report(tmp_path, capsys):
    quick = "warmup_months: 0\nmonths: 2\nscale: 0.001\n"
    paths = []
    for name in ("baseline", "collection"):
        (tmp_path / f"{name}.yaml").write_text(f"name: {name}\nextends: {name}\n{quick}")
        paths.append(str(tmp_path / f"{name}.yaml"))
    out = tmp_path / "cmp"
    assert main(["compare", *paths, "--replicates", "1", "--jobs", "1", "--out", str(out)]) == 0
    assert "CI undefined with 1 replicate" in capsys.readouterr().out
    table = pd.read_csv(out / "comparison.csv")
    assert table["ci_low"].isna().all() and table["diff_ci_low"].isna().all()
    assert main(["report", str(out)]) == 0
    assert "CI undefined with 1 replicate" in (out / "report.html").read_text()
    assert "IC non definito con 1 replica" in (out / "report.it.html").read_text()

    sample = Experiment(name="s", scenarios=["baseline"], replicates=1, months=2, scale=0.001,
                        overrides={"warmup_months": 0}, metrics=["residual_waste_t"],
                        sample={"n": 2, "ranges": {"households.displacement_rate": [0.6, 0.8]}})
    points = run_experiment(sample, tmp_path / "sample").points()
    assert len(points) == 2 and all(math.isnan(v) for v in points["ci_low"])
    assert (tmp_path / "sample" / "points.csv").exists()
