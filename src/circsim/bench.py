"""``circsim bench``: how fast circsim is, measured beside idiomatic Mesa on the same machine.

Each scale runs in a fresh process, so its peak memory is its own. The reference is a
trivial idiomatic Mesa agent (a few float attributes, a step of about five arithmetic
operations and one random draw, stepped with ``model.agents.shuffle_do("step")``) at
the same agent count as households, so the ratio holds on any machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SCALES = (0.01, 0.1, 1.0)
MONTHS = 120
MESA_STEPS = 3
SWEEP_RUNS = 12
SWEEP_OVERRIDES = {"scale": 0.005, "months": 36, "warmup_months": 0}
EXCHANGE_FIRMS = 5000      # symbiosis firms in the exchange case (issue 12: under 20 ms a month)
EXCHANGE_MONTHS = 12
MONTH_SAMPLES = 9       # months timed beside the memory floor
FLOOR_BYTES = 200       # the floor reads and writes at least this much per household


def peak_rss_mb() -> float:
    """Peak resident memory of this process (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_model(scale: float, months: int) -> dict:
    """One baseline run at ``scale``: wall time, throughput, metric-recording share, memory.

    Wall time covers building the model, its spin-up and the recorded months; throughput
    counts every simulated month (spin-up included) over that whole time.
    """
    from circsim import outcomes
    from circsim.model import TextileEconomy
    from circsim.scenario import load_scenario

    recording = [0.0]
    monthly = outcomes.record

    def timed_monthly(*args, **kwargs):
        t = time.perf_counter()
        try:
            return monthly(*args, **kwargs)
        finally:
            recording[0] += time.perf_counter() - t

    scenario = load_scenario("baseline", overrides={"scale": scale, "months": months})
    outcomes.record = timed_monthly
    try:
        t0 = time.perf_counter()
        model = TextileEconomy(scenario)
        built = time.perf_counter()
        model.run(months)
        wall = time.perf_counter() - t0
    finally:
        outcomes.record = monthly
    steps = months + scenario.warmup_months
    return {
        "scale": scale, "households": model.households.n, "months": months,
        "warmup_months": scenario.warmup_months, "wall_s": wall,
        "build_s": built - t0,
        "household_steps_per_s": model.households.n * steps / wall,
        "recording_share": recording[0] / wall, "peak_rss_mb": peak_rss_mb(),
    }


def bench_month(scale: float, months: int = MONTH_SAMPLES) -> dict:
    """ms per month beside the memory floor, measured alternately in this process.

    The floor is numpy reading and writing ``FLOOR_BYTES`` per household once (a
    ``copyto`` of a households x 25 float64 array), or the household state if that is
    larger. Each month is timed next to one copy, so a loaded machine slows both alike;
    medians are reported.
    """
    import statistics

    import numpy as np

    from circsim.model import TextileEconomy
    from circsim.scenario import load_scenario

    scenario = load_scenario("baseline", overrides={"scale": scale, "months": months + 2,
                                                    "warmup_months": 0})
    model = TextileEconomy(scenario)
    n = model.households.n
    state = household_state_bytes(model.households)
    cols = max(FLOOR_BYTES, state) // 8 + 1
    src, dst = np.ones((n, int(cols))), np.empty((n, int(cols)))
    np.copyto(dst, src)
    model.step()                                       # compiled passes warmed up
    month, floor = [], []
    for _ in range(months):
        t0 = time.perf_counter()
        model.step()
        t1 = time.perf_counter()
        np.copyto(dst, src)
        month.append(t1 - t0)
        floor.append(time.perf_counter() - t1)
    ms, floor_ms = statistics.median(month) * 1e3, statistics.median(floor) * 1e3
    return {"scale": scale, "households": n, "ms_per_month": ms,
            "floor_bytes_per_household": int(cols) * 8, "floor_ms": floor_ms,
            "month_over_floor": ms / floor_ms, "household_state_bytes_per_household": state}


def household_state_bytes(hh) -> float:
    """Bytes of per-household columns (arrays with one row per household), per household."""
    total = sum(v.nbytes for v in vars(hh).values()
                if getattr(v, "ndim", 0) >= 1 and v.shape[0] == hh.n)
    return total / hh.n


def bench_default_run(repeats: int = 3) -> dict:
    """Median wall time of the README's ``circsim run`` (the bundled baseline, every file
    and picture written) in a fresh interpreter, end to end."""
    import statistics
    import tempfile

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(repeats):
            cmd = [sys.executable, "-c", "import sys; from circsim.cli import main; "
                   f"sys.exit(main(['run', '--out', {str(Path(tmp) / str(k))!r}]))"]
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
    return {"run_s": statistics.median(times), "runs": repeats}


def bench_dashboard_step(months: int = 24) -> dict:
    """The dashboard's month on the server (model step, baseline tape, flows), median ms:
    what a click on "step" waits for before the page redraws (``--demo`` times the page)."""
    import statistics

    from circsim.viz.session import DemoRun

    run = DemoRun("baseline")
    run.step()                                             # compiled passes warmed up
    steps = [run.step() for _ in range(months)]
    return {"median_ms": statistics.median(steps), "max_ms": max(steps), "months": months}


def bench_startup(repeats: int = 7) -> dict:
    """Median wall time of ``circsim --help`` in a fresh interpreter, beside a bare Python."""
    import statistics

    help_cmd = [sys.executable, "-c", "from circsim.cli import main; main(['--help'])"]
    bare_cmd = [sys.executable, "-c", "pass"]
    times: dict[str, list[float]] = {"help": [], "bare": []}
    for _ in range(repeats):
        for key, cmd in (("help", help_cmd), ("bare", bare_cmd)):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False)
            times[key].append(time.perf_counter() - t0)
    return {"help_s": statistics.median(times["help"]),
            "bare_python_s": statistics.median(times["bare"])}


def bench_mesa(agents: int, steps: int = MESA_STEPS) -> dict:
    """The trivial idiomatic Mesa reference at ``agents`` agents."""
    import mesa

    class Trivial(mesa.Agent):
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.wealth = 1.0
            self.need = 0.5
            self.stock = 2.0

        def step(self) -> None:
            draw = self.model.random.random()
            self.stock = self.stock * 0.98 + self.need * draw
            self.wealth += 0.1 - 0.05 * self.stock

    class Reference(mesa.Model):
        def __init__(self, n: int, seed: int = 1) -> None:
            super().__init__(seed=seed)
            Trivial.create_agents(self, n)

        def step(self) -> None:
            self.agents.shuffle_do("step")

    model = Reference(agents)
    t0 = time.perf_counter()
    for _ in range(steps):
        model.step()
    wall = time.perf_counter() - t0
    mesa.Agent._ids.pop(model, None)
    return {"agents": agents, "steps": steps, "wall_s": wall,
            "agent_steps_per_s": agents * steps / wall}


def bench_sweep(jobs: int, runs: int = SWEEP_RUNS) -> dict:
    """Runs per second of a small sweep with ``jobs`` worker processes."""
    from joblib import Parallel, delayed

    from circsim.run import run_scenario
    from circsim.scenario import load_scenario
    from circsim.seeds import replicate_seeds

    scenario = load_scenario("baseline", overrides=SWEEP_OVERRIDES)
    seeds = replicate_seeds(scenario.seed, max(jobs, runs))
    Parallel(n_jobs=jobs)(delayed(run_scenario)(scenario, seed=s) for s in seeds[:jobs])  # warm
    t0 = time.perf_counter()
    Parallel(n_jobs=jobs)(delayed(_summary)(scenario, s) for s in seeds[:runs])
    wall = time.perf_counter() - t0
    return {"jobs": jobs, "runs": runs, "wall_s": wall, "runs_per_s": runs / wall}


def bench_exchange(firms: int = EXCHANGE_FIRMS, months: int = EXCHANGE_MONTHS) -> dict:
    """One month of the byproduct exchange with about ``firms`` symbiosis firms.

    The baseline with enough agents per (sector, province) cell; each month's clearing
    (offers, candidates, pricing, match, settlement) is timed, the median reported, in wall
    time and in this process's CPU time (steadier on a shared machine).
    """
    import numpy as np

    from circsim.model import TextileEconomy
    from circsim.scenario import load_scenario
    from circsim.sectors import sector_table

    base = load_scenario("baseline")
    cells = int((sector_table()[["milano", "monza_brianza", "lodi"]] > 0).to_numpy().sum())
    per = int(np.ceil((firms - base.firms.count) / cells))
    scenario = load_scenario("baseline", overrides={
        "scale": 0.01, "months": months, "warmup_months": 0,
        "symbiosis.agents_per_sector_province": per, "symbiosis.max_firms_per_agent": 1e5})
    model = TextileEconomy(scenario)
    clear, times, cpu = model.exchange.clear, [], []

    def timed_clear():
        t, c = time.perf_counter(), time.process_time()
        clear()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)

    model.exchange.clear = timed_clear
    model.run(months)
    return {"firms": len(model.exchange.firms), "months": months,
            "median_ms": 1000 * float(np.median(times)), "max_ms": 1000 * float(max(times)),
            "cpu_median_ms": 1000 * float(np.median(cpu))}


def _summary(scenario, seed: int) -> dict:
    import mesa

    from circsim.run import run_scenario

    result = run_scenario(scenario, seed=seed)
    mesa.Agent._ids.clear()
    return result.summary


def _in_subprocess(kind: str, value: float) -> dict:
    """Run one measurement in a fresh interpreter (so peak memory is its own)."""
    cmd = [sys.executable, "-m", "circsim.bench", kind, repr(value)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_bench(quick: bool) -> dict:
    """The whole suite; ``quick`` skips the full metro."""
    from circsim import __version__

    rows = []
    for scale in SCALES[:2] if quick else SCALES:
        model = _in_subprocess("model", scale)
        ref = _in_subprocess("mesa", model["households"])
        model["mesa_agent_steps_per_s"] = ref["agent_steps_per_s"]
        model["speedup_vs_mesa"] = model["household_steps_per_s"] / ref["agent_steps_per_s"]
        model["mesa_peak_rss_mb"] = ref["peak_rss_mb"]
        rows.append(model)
        print(_row(model), flush=True)
    months = []
    for scale in SCALES[:2] if quick else SCALES:
        months.append(_in_subprocess("month", scale))
        m = months[-1]
        print(f"month at scale {m['scale']:g}: {m['ms_per_month']:.1f} ms; memory floor "
              f"({m['floor_bytes_per_household']} B/household): {m['floor_ms']:.1f} ms; "
              f"ratio {m['month_over_floor']:.1f}x", flush=True)
    startup = bench_startup()
    print(f"circsim --help: {startup['help_s']:.2f} s "
          f"(bare Python {startup['bare_python_s']:.2f} s)", flush=True)
    default_run = bench_default_run()
    print(f"circsim run (bundled baseline, end to end): {default_run['run_s']:.2f} s",
          flush=True)
    dashboard = bench_dashboard_step()
    print(f"dashboard month on the server: {dashboard['median_ms']:.0f} ms "
          f"(median of {dashboard['months']}, max {dashboard['max_ms']:.0f} ms)", flush=True)
    sweep = [bench_sweep(j) for j in (1, 2)]
    exchange = bench_exchange()
    return {"version": __version__, "quick": quick, "cpu_count": os.cpu_count(),
            "python": sys.version.split()[0], "scales": rows, "month": months[-1],
            "months": months,
            "household_state_bytes_per_household":
                months[-1]["household_state_bytes_per_household"],
            "startup": startup, "default_run": default_run, "dashboard_step": dashboard,
            "sweep": sweep, "exchange": exchange,
            "sweep_speedup_2_jobs": sweep[1]["runs_per_s"] / sweep[0]["runs_per_s"]}


HEADER = (f"{'scale':>6} {'households':>11} {'months':>7} {'wall s':>8} {'hh-steps/s':>12} "
          f"{'mesa steps/s':>13} {'ratio':>6} {'record':>7} {'peak MB':>8}")


def _row(r: dict) -> str:
    months = f"{r['warmup_months']}+{r['months']}"
    return (f"{r['scale']:>6g} {r['households']:>11,} {months:>7} {r['wall_s']:>8.1f} "
            f"{r['household_steps_per_s']:>12,.0f} {r['mesa_agent_steps_per_s']:>13,.0f} "
            f"{r['speedup_vs_mesa']:>5.1f}x {r['recording_share']:>6.1%} "
            f"{r['peak_rss_mb']:>8,.0f}")


def cmd_bench(args: argparse.Namespace) -> int:
    if args.demo:
        return _bench_demo(Path(args.out).with_name("demo.json"))
    if args.only == "exchange":
        return _bench_exchange_only(args.repeats)
    print(HEADER)
    report = run_bench(args.quick)
    for s in report["sweep"]:
        print(f"sweep, {s['jobs']} job(s): {s['runs_per_s']:.2f} runs/s "
              f"({s['runs']} runs of scale {SWEEP_OVERRIDES['scale']}, "
              f"{SWEEP_OVERRIDES['months']} months)")
    print(f"sweep speed-up with 2 jobs: {report['sweep_speedup_2_jobs']:.2f}x")
    ex = report["exchange"]
    print(f"symbiosis exchange, {ex['firms']:,} firms: {ex['median_ms']:.1f} ms a month "
          f"(median of {ex['months']}, max {ex['max_ms']:.1f} ms)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {out}")
    return 0


def _bench_exchange_only(repeats: int) -> int:
    """Only the exchange case, ``repeats`` times (a shared machine varies: min and median)."""
    import statistics

    medians, cpu = [], []
    for _ in range(repeats):
        ex = bench_exchange()
        medians.append(ex["median_ms"])
        cpu.append(ex["cpu_median_ms"])
        print(f"symbiosis exchange, {ex['firms']:,} firms: {ex['median_ms']:.1f} ms a month "
              f"(median of {ex['months']}, max {ex['max_ms']:.1f} ms; CPU "
              f"{ex['cpu_median_ms']:.1f} ms)", flush=True)
    print(f"over {repeats} run(s): min {min(medians):.1f} ms, "
          f"median {statistics.median(medians):.1f} ms (CPU: min {min(cpu):.1f} ms, "
          f"median {statistics.median(cpu):.1f} ms)")
    return 0


def _bench_demo(out: Path) -> int:
    """The dashboard in Chromium: page load and step latency (needs the demo extra)."""
    from circsim.viz.timing import measure, report_lines

    result = measure(log_dir=out.parent)
    print("\n".join(report_lines(result)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWrote {out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``circsim bench`` to the command line."""
    b = sub.add_parser("bench", help="benchmark speed and memory against idiomatic Mesa")
    b.add_argument("--quick", action="store_true", help="skip the full metro (under a minute)")
    b.add_argument("--demo", action="store_true",
                   help="instead: the dashboard's page load and step latency in headless "
                        "Chromium (writes demo.json beside --out)")
    b.add_argument("--only", choices=["exchange"],
                   help="run only this case and print it (nothing is written)")
    b.add_argument("--repeats", type=int, default=3, help="with --only: how many runs")
    b.add_argument("--out", default="results/bench/bench.json", help="where to write bench.json")
    b.set_defaults(func=cmd_bench)


if __name__ == "__main__":
    kind, value = sys.argv[1], float(sys.argv[2])
    result = (bench_model(value, MONTHS) if kind == "model" else bench_month(value)
              if kind == "month" else bench_mesa(int(value)))
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))
