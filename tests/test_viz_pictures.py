"""The dashboard's SVG pictures: well formed, labelled in the page's language, faithful."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from circsim.viz.mapview import metro_map, zone_cells
from circsim.viz.sankey import sankey
from circsim.viz.session import DemoRun
from circsim.viz.svg import fates_chart, metric_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def run() -> DemoRun:
    run = DemoRun("milan_programme")
    for _ in range(13):
        run.step()
    return run


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> str:
    return " ".join(t.text or "" for t in root.iter(f"{SVG}text"))


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("Reused in Milan", "Incinerated", "2026")),
    ("it", ("Riusati a Milano", "Inceneriti", "2026")),
])
def test_fates_chart(run: DemoRun, lang: str, words: tuple[str, ...]) -> None:
    root = parse(fates_chart(run.records(), run.months, run.start_year, lang))
    assert all(w in texts(root) for w in words)
    assert len(list(root.iter(f"{SVG}polygon"))) == 6
    empty = parse(fates_chart([], run.months, run.start_year, lang))
    assert "Step" in texts(empty) or "Avanza" in texts(empty)


def test_metric_chart_draws_run_and_baseline(run: DemoRun) -> None:
    live = [r["residual_waste_kg_per_capita_year"] for r in run.records()]
    base = [r["residual_waste_kg_per_capita_year"] for r in run.baseline()]
    root = parse(metric_chart(live, base, run.months, run.start_year, "en", "#D55E00"))
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2 and lines[0].get("stroke-dasharray")
    assert len(lines[1].get("points").split()) == 13


def test_map_has_every_zone_organisation_and_the_bins(run: DemoRun) -> None:
    root = parse(metro_map(run.model, run.bins_per_10k(), "it"))
    words = texts(root)
    assert all(name in words for name in run.model.geo.names)
    assert "5,0 cassonetti ogni 10 000 abitanti" in words
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) >= len(run.model.firms)
    assert any(line.get("stroke-opacity") for line in root.iter(f"{SVG}line"))


def test_zone_cells_tile_the_metro_roughly_by_area(run: DemoRun) -> None:
    geo = run.model.geo
    cells = zone_cells(geo.xy_km, geo.area_km2)

    def area(poly) -> float:
        x, y = np.array(poly).T
        return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))

    areas = np.array([area(c) for c in cells])
    assert (areas > 0).all()
    assert np.corrcoef(areas, geo.area_km2)[0, 1] > 0.6


def test_sankey_bands_match_the_ledger(run: DemoRun) -> None:
    flows, months = run.flow_means_t()
    assert months == 12
    root = parse(sankey(flows, months, "en"))
    words = texts(root)
    for node in ("Households", "Fashion firms", "Incineration", "Charity shops"):
        assert node in words
    titles = [p.find(f"{SVG}title").text for p in root.iter(f"{SVG}path")]
    into_incineration = sum(t for (_, _, d), t in flows.items() if d == "incineration")
    assert f"Incineration {into_incineration:,.0f} t" in words
    assert any(t.startswith("Households → Cooperatives") for t in titles)
    empty = parse(sankey({}, 0, "en"))
    assert "Press Play" in texts(empty)


def test_nice_ticks_cover_the_range() -> None:
    for lo, hi in ((0, 6123), (14.2, 18.9), (0.3, 0.31), (5, 5)):
        ticks = nice_ticks(lo, hi, 4)
        assert ticks[0] <= lo and ticks[-1] >= hi and len(ticks) <= 8
