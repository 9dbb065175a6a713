"""The dashboard in a real browser: levers, stepping, languages, sessions, no network.

Starts ``circsim demo --offline`` on a free local port and drives Debian's headless
Chromium with Playwright (never ``playwright install``). Every request the page makes
to another host is aborted and recorded, and must not happen; the server's own
attempts would be reported by ``--offline`` on stderr. Skips only if Chromium is
missing (``.ci/run`` installs it). Screenshots go to ``results/screenshots/``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-sync", "--disable-default-apps", "--no-default-browser-check"]
SHOTS = Path(__file__).resolve().parent.parent / "results" / "screenshots"
VIEWPORT = {"width": 1600, "height": 1750}     # tall: the page scrolls inside its layout
LOCAL = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 20_000

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """``circsim demo`` in a subprocess; yields its URL; checks it never left the machine."""
    port = _free_port()
    log = tmp_path_factory.mktemp("demo") / "server.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "circsim.cli", "demo", "baseline", "--port", str(port),
             "--no-browser", "--offline", "--lang", "en"],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, f"the demo server exited:\n{log.read_text()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"no server after 60 s:\n{log.read_text()}"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    text = log.read_text()
    assert "blocked a connection" not in text, text
    assert "Traceback" not in text, text


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Offline:
    """A browser context that aborts, and remembers, requests to any other host."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:
        host = urlparse(route.request.url).hostname
        if host in LOCAL or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def page(self, url: str):
        page = self.context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("response", lambda r: r.status >= 400 and self.errors.append(
            f"{r.status} {r.url}"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.goto(url)
        page.locator(".circsim-month").wait_for()
        return page

    def close(self) -> None:
        self.context.close()
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"
        assert self.errors == [], f"failed requests or page errors: {self.errors}"


def month_text(page) -> str:
    return page.locator(".circsim-month").inner_text()


def wait_month(page, pattern: str) -> None:
    page.locator(".circsim-month", has_text=re.compile(pattern)).wait_for()


def test_lever_step_languages_and_screenshots(server, browser) -> None:
    """Switch a lever on, move its slider, step: the page shows the lever acting."""
    ctx = Offline(browser)
    page = ctx.page(server)
    wait_month(page, r"^Month 0 of 120")
    assert "Levers acting this month: none" in page.locator(".circsim-acting").inner_text()

    panel = page.locator(".circsim-lever-collection")
    assert "Collection bins" in panel.inner_text()
    panel.locator(".v-expansion-panel-header").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    panel.get_by_text("Off: this lever does nothing").click()
    panel.locator(".v-expansion-panel-header", has_text="on").wait_for()
    panel.get_by_text("On: this lever acts").wait_for()      # the label follows the switch
    slider = panel.locator(".circsim-field-collection-bins-per-10k-residents").get_by_role(
        "slider")
    slider.focus()
    for _ in range(5):
        slider.press("ArrowRight")
    panel.get_by_text("Bins: 6.5 per 10,000 residents").wait_for()

    started = time.perf_counter()
    page.locator(".circsim-step").click()
    wait_month(page, r"^Month 1 of 120 · Jan 2026")
    round_trip_ms = (time.perf_counter() - started) * 1000
    assert round_trip_ms < 2000, f"a step took {round_trip_ms:.0f} ms from click to page"
    assert "Collection bins" in page.locator(".circsim-acting").inner_text()
    page.locator(".circsim-map", has_text="6.5 bins per 10,000 residents").wait_for()
    assert page.locator(".circsim-map path.circsim-municipality").count() == 133
    assert "vs baseline" in page.locator(".circsim-goal-waste").inner_text()

    speed = page.locator(".circsim-speed").get_by_role("slider")
    speed.focus()
    speed.press("Home")                                # no pause between months
    page.get_by_text("Pause between months: 0 ms").wait_for()
    page.locator(".circsim-play").click()             # play two years, then pause
    wait_month(page, r"^Month (2[4-9]|[3-9]\d) of")
    page.locator(".circsim-play").click()
    page.locator(".circsim-play", has_text="Play").wait_for()
    # a step already under way when Pause was pressed may still land (at most one on a
    # busy machine); after it the month must stand still
    seen = [month_text(page)]
    for _ in range(3):
        time.sleep(0.8)
        seen.append(month_text(page))
    assert seen[-1] == seen[-2] == seen[-3], f"the run went on after Pause: {seen}"
    assert len(set(seen)) <= 2, f"more than one step after Pause: {seen}"
    month = seen[-1]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name in ("Where discarded textiles end up", "Flows of the last 12 months",
                 "Reused in Milan", "Incineration", "Fashion firms"):
        assert page.get_by_text(name).count() > 0, name
    ticks = page.locator(".circsim-goal-low_income svg text[text-anchor=end]").all_text_contents()
    assert ticks and max(float(t.replace(",", "")) for t in ticks) <= 100, ticks
    page.screenshot(path=str(SHOTS / "demo_en.png"))

    page.locator(".circsim-lang").get_by_text("IT").click()
    paused_at = re.match(r"Month (\d+)", month).group(1)
    wait_month(page, rf"^Mese {paused_at} di 120")             # still paused where it was
    panel.get_by_text("Cassonetti: 6,5 ogni 10.000 abitanti").wait_for()
    panel.get_by_text("Accesa: questa leva agisce").wait_for()
    page.wait_for_function("document.documentElement.lang === 'it'")
    assert "Cassonetti per la raccolta" in page.locator(".circsim-acting").inner_text()
    for name in ("Dove finiscono i tessili dismessi", "Flussi degli ultimi 12 mesi",
                 "Riusati a Milano", "Imprese della moda", "rispetto al riferimento"):
        assert page.get_by_text(name).count() > 0, name
    page.screenshot(path=str(SHOTS / "demo_it.png"))

    page.locator(".circsim-reset").click()
    wait_month(page, r"^Mese 0 di 120")
    panel.get_by_text("Cassonetti: 6,5 ogni 10.000 abitanti").wait_for()   # levers kept
    ctx.close()


def test_sessions_do_not_share_a_model(server, browser) -> None:
    """Two browser sessions: stepping one leaves the other where it was."""
    first, second = Offline(browser), Offline(browser)
    a, b = first.page(server), second.page(server)
    for _ in range(3):
        a.locator(".circsim-step").click()
    wait_month(a, r"^Month 3 of")
    b.reload()
    b.locator(".circsim-month").wait_for()
    wait_month(b, r"^Month 0 of")
    b.locator(".circsim-step").click()
    wait_month(b, r"^Month 1 of")
    time.sleep(0.5)
    assert month_text(a).startswith("Month 3 of")

    b.locator(".circsim-scenario").click()              # another scenario, in one session
    b.locator(".v-menu__content .v-list-item", has_text="Repair bonus").click()
    wait_month(b, r"^Month 0 of")
    b.locator(".circsim-lever-repair-subsidy .v-expansion-panel-header", has_text="on").wait_for()
    assert "off" in a.locator(".circsim-lever-repair-subsidy").inner_text()
    first.close()
    second.close()
