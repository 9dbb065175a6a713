"""How fast the dashboard is in a real browser: page load, first step, later steps.

Used by ``circsim bench --demo``. It starts ``circsim demo --offline`` on a free port in
a subprocess, opens it with Debian's headless Chromium through Playwright, and times:

- ``server_ready_s``: from starting the process to the port accepting connections;
- ``first_load_s``: the first page, from navigation until the three headline cards and a
  chart are on screen (the first session of the server: spin-up and baseline built);
- ``load_s``: the same for a new browser session (empty cache) once the server is warm;
- ``cached_load_s``: a new tab of a browser that has loaded the page before (its cache
  holds Solara's scripts, as on a presenter's laptop);
- ``first_step_ms``: click on *Step 1 month* until the page shows month 1;
- ``step_ms``: median (and max) of the next steps, click until the page shows the month.

Timings are wall clock on this machine, so they belong here, not in unit tests.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--no-default-browser-check"]
STEPS = 10
LOADS = 3
READY = ".circsim-goal-waste >> nth=0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_demo(port: int, log: Path, scenario: str = "baseline") -> subprocess.Popen:
    """``circsim demo`` in a subprocess, returned once its port accepts connections."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "circsim.cli", "demo", scenario, "--port", str(port),
             "--no-browser", "--offline"], stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the demo server exited:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"no demo server after 60 s:\n{log.read_text()}") from None
            time.sleep(0.05)


def _load(browser, url: str, context=None) -> tuple[float, object, object]:
    context = context or browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(60_000)
    t0 = time.perf_counter()
    page.goto(url)
    page.locator(READY).wait_for()
    page.locator(".circsim-month", has_text="0").wait_for()
    return time.perf_counter() - t0, context, page


def _step(page, month: int) -> float:
    t0 = time.perf_counter()
    page.locator(".circsim-step").first.click()
    page.locator(".circsim-month", has_text=f" {month} ").first.wait_for()
    return (time.perf_counter() - t0) * 1000


def measure(steps: int = STEPS, loads: int = LOADS, log_dir: Path | None = None) -> dict:
    """Start a demo server, time page loads and steps in Chromium; stop the server."""
    from playwright.sync_api import sync_playwright

    log = (log_dir or Path("results/bench")) / "demo-server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    t0 = time.perf_counter()
    proc = start_demo(port, log)
    ready = time.perf_counter() - t0
    url = f"http://127.0.0.1:{port}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            first, context, page = _load(browser, url)
            first_step = _step(page, 1)
            later = [_step(page, m) for m in range(2, steps + 2)]
            cached = [_load(browser, url, context)[0] for _ in range(loads)]
            context.close()
            warm = []
            for _ in range(loads):
                seconds, context, _page = _load(browser, url)
                warm.append(seconds)
                context.close()
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"server_ready_s": ready, "first_load_s": first,
            "load_s": statistics.median(warm), "load_max_s": max(warm),
            "cached_load_s": statistics.median(cached),
            "first_step_ms": first_step, "step_ms": statistics.median(later),
            "step_max_ms": max(later), "steps": steps}


def report_lines(r: dict) -> list[str]:
    """The measurement as readable lines."""
    return [f"demo: server ready {r['server_ready_s']:.1f} s; first page {r['first_load_s']:.2f} s,"
            f" later pages {r['load_s']:.2f} s (max {r['load_max_s']:.2f}),"
            f" with the browser's cache {r['cached_load_s']:.2f} s",
            f"demo: first step {r['first_step_ms']:.0f} ms; next {r['steps']} steps median "
            f"{r['step_ms']:.0f} ms (max {r['step_max_ms']:.0f})"]


if __name__ == "__main__":
    result = measure()
    print("\n".join(report_lines(result)))
