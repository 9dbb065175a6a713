"""The dashboard's SVG pictures: well formed, labelled in the page's language, faithful."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources

import numpy as np
import pytest

from circsim.viz.i18n import EN, IT
from circsim.viz.mapsymbiosis import SECTOR_COLOURS, sectors
from circsim.viz.mapview import GEOJSON, load_map, metro_map, zone_label_points, zone_members
from circsim.viz.sankey import sankey
from circsim.viz.session import DemoRun
from circsim.viz.svg import axis_bounds, fates_chart, metric_chart, nice_ticks

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
    return " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


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
    assert "5,0 cassonetti ogni 10.000 abitanti" in words
    assert "Provincia di Lodi" in words and "Openpolis" in words
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) >= len(run.model.firms)
    assert any(line.get("stroke-opacity") for line in root.iter(f"{SVG}line"))


def _zone_labels(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{SVG}text") if t.get("class") == "circsim-zone-label"]


def test_zone_names_stand_beside_a_wide_map_and_on_a_narrow_one(run: DemoRun) -> None:
    names = run.model.geo.names
    wide = parse(metro_map(run.model, run.bins_per_10k(), "en", 840, 560, 25))
    labels = _zone_labels(wide)
    assert sorted(" ".join(t.itertext()) for t in labels) == sorted(names)
    assert {t.get("text-anchor") for t in labels} == {"start", "end"}     # two columns
    rows = sorted((t.get("text-anchor"), float(s.get("y")))
                  for t in labels for s in t.iter(f"{SVG}tspan"))
    for (side, y), (other, next_y) in zip(rows, rows[1:], strict=False):
        assert side != other or next_y - y >= 1.06 * 25 - 0.01      # lines never overlap
    narrow = parse(metro_map(run.model, run.bins_per_10k(), "en"))
    assert {t.get("text-anchor") for t in _zone_labels(narrow)} == {"middle"}


def test_a_column_of_labels_keeps_them_apart_and_inside() -> None:
    from circsim.viz.mapview import _column

    tops = _column([-5.0, 10.0, 12.0, 90.0], [20.0, 20.0, 30.0, 20.0], 2.0, 100.0)
    assert tops[0] == 0.0 and tops[-1] + 20.0 <= 100.0
    assert all(b >= a + h + 2.0 - 1e-9
               for a, b, h in zip(tops, tops[1:], [20.0, 20.0, 30.0], strict=False))


@pytest.fixture(scope="module")
def programme_run() -> DemoRun:
    """Fourteen months of the regional symbiosis programme (it starts in month 1)."""
    run = DemoRun("sigma_programme")
    for _ in range(14):
        run.step()
    return run


@pytest.mark.parametrize(("lang", "fashion", "hotels"), [
    ("en", "Clothing and fashion", "Hotels and restaurants"),
    ("it", "Abbigliamento e moda", "Alberghi e ristoranti")])
def test_map_shows_symbiosis_firms_by_sector_and_links(programme_run: DemoRun, lang: str,
                                                       fashion: str, hotels: str) -> None:
    model = programme_run.model
    root = parse(metro_map(model, programme_run.bins_per_10k(), lang))
    layer = list(root.iter())
    firms = [e for e in layer if e.get("class") == "circsim-firm"]
    assert len(firms) == len(model.symbiosis_firms())
    drawn = {e.get("data-sector") for e in firms}
    assert len(drawn) >= 6 and {"14", "31", "55/56"} <= drawn
    assert all(e.get("fill") == SECTOR_COLOURS[e.get("data-sector")] for e in firms)
    # size says how many real firms a dot stands for
    radius = {float(e.get("r")) for e in firms}
    assert max(radius) > 1.5 * min(radius)
    # exchange links have formed, and they lie under every marker
    links = [i for i, e in enumerate(layer) if e.get("class") == "circsim-link"]
    trusted = sum(t > 0.02 for t in model.exchange.trust.values())
    assert links and len(links) == trusted
    first_firm = next(i for i, e in enumerate(layer) if e.get("class") == "circsim-firm")
    assert max(links) < first_firm
    # shared-service groups, when any has formed, have a ring with its services named
    rings = [e for e in layer if e.get("class") == "circsim-service-group"]
    assert len(rings) >= min(1, len(model.shared_services.groups))
    words = texts(root)
    assert fashion in words and hotels in words
    assert all(EN[f"sector.{s}"] and IT[f"sector.{s}"] for s in sectors())


def test_map_draws_the_133_municipalities_of_the_metro(run: DemoRun) -> None:
    root = parse(metro_map(run.model, run.bins_per_10k(), "en"))
    drawn = [p for p in root.iter(f"{SVG}path") if p.get("class") == "circsim-municipality"]
    assert len(drawn) == 133
    names = {p.find(f"{SVG}title").text.split(" · ")[0] for p in drawn}
    assert {"Milano", "Sesto San Giovanni", "Legnano", "San Colombano al Lambro"} <= names
    neighbours = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "circsim-neighbours")
    titles = {p.find(f"{SVG}title").text for p in neighbours.iter(f"{SVG}path")}
    assert {"Monza", "Lodi"} <= titles and len(titles) == 55 + 60


def test_every_municipality_of_the_metro_is_in_a_model_zone(run: DemoRun) -> None:
    data = load_map()
    metro = [m for m in data.municipalities if m.province == "MI"]
    assert len(metro) == 133 and all(m.metro for m in metro)
    assert {m.province for m in data.municipalities if not m.metro} == {"MB", "LO"}
    members = zone_members(run.model.geo.names)
    assert sum(len(z) for z in members) == 133 and all(members)
    assert [m.name for m in members[0]] == ["Milano"]
    zones = resources.files("circsim.data").joinpath("zones.csv").read_text().splitlines()
    counts = {row.split(",")[1]: int(row.split(",")[2]) for row in zones[1:]}
    assert {name: len(z) for name, z in zip(run.model.geo.names, members, strict=True)} == \
        counts                                  # the published counts of each zona omogenea
    area = np.array([sum(m.area_km2() for m in z) for z in members])
    assert abs(area.sum() - 1575) < 40          # the metro covers 1 575 km2 (ISTAT)
    assert abs(area[0] - 181.7) < 5             # Milan city
    # each zone's label sits where the model places the zone (its centre in zones.csv)
    gap = np.linalg.norm(zone_label_points(run.model.geo.names) - run.model.geo.xy_km, axis=1)
    assert gap.max() < 12, gap


def test_shipped_boundaries_carry_their_licence_and_stay_small() -> None:
    path = resources.files("circsim.data").joinpath(GEOJSON)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["license"] == "CC-BY-4.0" and "Openpolis" in doc["attribution"]
    assert len(path.read_bytes()) < 400_000
    assert resources.files("circsim.data").joinpath("MUNICIPALITIES.md").is_file()


def test_share_axes_stay_within_0_and_100() -> None:
    live, base = [95.0, 99.0, 100.0], [90.0, 97.0, 98.5]
    root = parse(metric_chart(live, base, 12, 2026, "en", "#000000",
                              bounds=axis_bounds("share")))
    labels = [float(t.text.replace(",", "")) for t in root.iter(f"{SVG}text")
              if t.get("text-anchor") == "end"]
    assert max(labels) == 100 and min(labels) >= 0
    low = parse(metric_chart([0.5, 1.0], [0.2, 0.1], 12, 2026, "en", "#000000",
                             bounds=axis_bounds("kg/inh/yr")))
    assert min(float(t.text) for t in low.iter(f"{SVG}text")
               if t.get("text-anchor") == "end") >= 0


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
