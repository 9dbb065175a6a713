"""Presenter mode, save and load, export and side by side, in Debian's headless Chromium.

Uses the server and browser of :mod:`test_viz_browser` (``circsim demo --offline``,
every foreign request aborted and recorded). At 1280×720 and 1920×1080 the presenter
screen must show the three headline cards and the current chart without scrolling,
in type of at least 18 px, with no two of the map's names touching. Screenshots go to
``results/screenshots/``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from circsim.scenario import load_scenario
from circsim.viz.presenter import CHARTS
from test_viz_browser import SHOTS, Offline, browser, server, wait_month  # noqa: F401

SIZES = [(1280, 720), (1920, 1080)]
MIN_PX = 18.0
SMALLEST_TEXT = """(root) => {
  let smallest = 1e9, which = '';
  for (const el of root.querySelectorAll('*')) {
    if (el.closest('svg')) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < smallest) { smallest = size; which = el.className + ': ' + el.textContent; }
  }
  return [smallest, which.slice(0, 80)];
}"""


SVG_MIN_PX = 12.0          # chart text on the normal page at 1280x720 (presenter: MIN_PX)
SMALLEST_SVG_TEXT = """(root) => {
  let smallest = 1e9, which = '';
  for (const svg of root.querySelectorAll('svg')) {
    const scale = svg.getScreenCTM().a;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim() || !t.getClientRects().length) continue;
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < smallest) { smallest = size; which = t.textContent; }
    }
  }
  return [smallest, which.slice(0, 80)];
}"""

LABEL_BOXES = """(root) => [
  ...root.querySelectorAll('.circsim-zone-label, .circsim-province-label')].map(t => {
    const r = t.getBoundingClientRect();
    return [t.textContent, r.left, r.top, r.right, r.bottom]; })"""


def overlapping(boxes: list[list]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes (name, left, top, right, bottom) meet."""
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


def test_overlapping_finds_boxes_that_meet() -> None:
    boxes = [["a", 0, 0, 10, 10], ["b", 9, 9, 20, 20], ["c", 20, 0, 30, 8]]
    assert overlapping(boxes) == [("a", "b")]


def settled(page, selector: str, script: str, tries: int = 10) -> list:  # noqa: ANN001
    """The smallest text once the layout has settled: measured again (every 0.2 s, at
    most ``tries`` times) while it is under MIN_PX, since a chart just swapped in can be
    measured before its card has its final width."""
    for _ in range(tries):
        smallest, which = page.locator(selector).evaluate(script)
        if smallest >= MIN_PX:
            break
        page.wait_for_timeout(200)
    return [smallest, which]


def _context(browser, width: int, height: int) -> Offline:  # noqa: F811
    ctx = Offline(browser)
    ctx.context.close()
    ctx.context = browser.new_context(viewport={"width": width, "height": height},
                                      locale="en-GB", accept_downloads=True)
    ctx.context.route("**/*", ctx._route)
    return ctx


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_presenter_mode_fits_the_screen_and_reads_from_afar(server, browser, width,  # noqa: F811
                                                             height) -> None:
    ctx = _context(browser, width, height)
    page = ctx.page(server)
    page.locator(".circsim-flows svg").wait_for()
    smallest, which = page.locator(".circsim-charts >> nth=0").evaluate(
        SMALLEST_SVG_TEXT.replace("root.querySelectorAll('svg')",
                                  "document.querySelectorAll('.circsim-charts svg')"))
    assert smallest >= SVG_MIN_PX, f"chart text of {smallest:.1f} px: {which}"
    page.locator(".circsim-presenter-toggle").click()
    page.locator(".circsim-presenter").wait_for()
    for _ in CHARTS:                                      # each chart, in large type
        smallest, which = settled(page, ".circsim-presenter-chart", SMALLEST_SVG_TEXT)
        assert smallest >= MIN_PX, f"chart text of {smallest:.1f} px in presenter: {which}"
        page.locator(".circsim-next-chart").click()
        page.wait_for_timeout(300)
    shown = [page.locator(f".circsim-big-{g}") for g in ("waste", "life", "need")]
    shown = [c for c in shown if c.count()] or [page.locator("[class*=circsim-big-]").nth(i)
                                               for i in range(3)]
    assert page.locator("[class*=circsim-big-]").count() == 3
    for box in [c.bounding_box() for c in shown] + [
            page.locator(".circsim-presenter-chart").bounding_box()]:
        assert box is not None and box["y"] >= 0, box
        assert box["y"] + box["height"] <= height + 1, (box, height)
    assert page.evaluate("document.scrollingElement.scrollTop") == 0
    smallest, which = page.locator(".circsim-presenter").evaluate(SMALLEST_TEXT)
    assert smallest >= MIN_PX, f"text of {smallest} px in presenter mode: {which}"

    page.keyboard.press("ArrowRight")                     # one month
    wait_month(page, r"^Month 1 of")
    page.keyboard.press("n")                              # the next chart: the map
    page.locator(".circsim-presenter-map").wait_for()
    chart = page.locator(".circsim-presenter-chart")
    boxes = chart.evaluate(LABEL_BOXES)
    assert len(boxes) == 10, boxes                        # eight zones, two provinces
    assert not overlapping(boxes), overlapping(boxes)
    card = chart.bounding_box()
    assert all(card["x"] <= b[1] and b[3] <= card["x"] + card["width"] for b in boxes), boxes
    page.keyboard.press(" ")                              # play ...
    wait_month(page, r"^Month ([3-9]|\d\d+) of")
    page.keyboard.press(" ")                              # ... and pause
    page.locator(".circsim-play", has_text="Play").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"presenter_en_{width}x{height}.png"))
    page.locator(".circsim-lang").get_by_text("IT").click()
    page.locator(".circsim-presenter", has_text="Grafico successivo").wait_for()
    page.screenshot(path=str(SHOTS / f"presenter_it_{width}x{height}.png"))
    page.keyboard.press("Escape")
    page.locator(".circsim-lever-collection").wait_for()   # back to the full page
    ctx.close()


def test_save_validate_load_round_trip_and_exports(server, browser, tmp_path) -> None:  # noqa: F811
    ctx = _context(browser, 1600, 1200)
    page = ctx.page(server)
    panel = page.locator(".circsim-lever-collection")
    panel.locator(".v-expansion-panel-header").click()
    panel.get_by_text("Off: this lever does nothing").click()   # the switch, off
    panel.locator(".v-expansion-panel-header", has_text="on").wait_for()
    slider = panel.locator(".circsim-field-collection-bins-per-10k-residents").get_by_role(
        "slider")
    slider.focus()
    for _ in range(5):
        slider.press("ArrowRight")
    panel.get_by_text("Bins: 6.5 per 10,000 residents").wait_for()

    with page.expect_download() as saving:
        page.locator(".circsim-save").click()
    saved = tmp_path / "mine.yaml"
    saving.value.save_as(saved)
    check = subprocess.run([sys.executable, "-m", "circsim.cli", "validate", str(saved)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    levers = load_scenario(saved).policies
    assert levers.collection.enabled and levers.collection.bins_per_10k_residents == 6.5

    page.locator(".circsim-step").click()
    wait_month(page, r"^Month 1 of")
    with page.expect_download() as png:
        page.locator(".circsim-png").click()
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as table:
        page.locator(".circsim-csv").click()
    lines = Path(table.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("month,date,") and len(lines) == 2, lines

    other = _context(browser, 1600, 1200)                 # a new session loads the file
    fresh = other.page(server)
    assert "off" in fresh.locator(".circsim-lever-collection").inner_text()
    fresh.locator(".circsim-load input[type=file]").set_input_files(str(saved))
    fresh.locator(".circsim-load-message", has_text="mine.yaml").wait_for()
    fresh.locator(".circsim-lever-collection .v-expansion-panel-header",
                  has_text="on").wait_for()
    fresh.locator(".circsim-lever-collection .v-expansion-panel-header").click()
    fresh.get_by_text("Bins: 6.5 per 10,000 residents").wait_for()
    ctx.close()
    other.close()


def test_side_by_side_on_the_same_seed(server, browser) -> None:  # noqa: F811
    ctx = _context(browser, 1920, 1080)
    page = ctx.page(server)
    page.locator(".circsim-compare-toggle").click()
    page.locator(".circsim-compare-pick").click()
    page.locator(".v-menu__content .v-list-item", has_text="More collection bins").click()
    page.locator(".circsim-same", has_text="same households").wait_for()
    for month in (1, 2, 3):
        page.locator(".circsim-step").click()
        wait_month(page, rf"^Month {month} of")
    assert page.locator(".circsim-compare-side").count() == 2
    page.locator(".circsim-compare-side", has_text="B: More collection bins").wait_for()
    page.screenshot(path=str(SHOTS / "side_by_side_en_1920x1080.png"))
    page.locator(".circsim-compare-keep").click()          # B: the levers as set now
    page.locator(".circsim-compare-side", has_text="B: the levers kept at month 3").wait_for()
    ctx.close()
