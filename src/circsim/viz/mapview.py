"""The map of the metro: its real municipalities, grouped into the model's zones, shaded by
bin density, with the symbiosis firms of every sector, cooperatives, recyclers, exchange
links and shared-service groups on top (that layer: :mod:`circsim.viz.mapsymbiosis`).

Boundaries come from ``circsim/data/municipalities.geojson`` (ISTAT 2023 via Openpolis,
CC BY 4.0, simplified by ``tools/build_municipalities.py``): the 133 municipalities of the
Metropolitan City of Milan, each tagged with its model zone (Milan city, or one of the
seven "zone omogenee"), and those of the provinces of Monza and Brianza and of Lodi,
drawn in grey around it (the area of the symbiosis programme, whose firms the map shows
too: the frame fits all three provinces). Nothing is fetched at run time. Link lines lie
under the markers and every label is drawn last, on a white halo, so nothing covers a
name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from circsim.geography import lonlat_to_km
from circsim.viz import mapsymbiosis as sym
from circsim.viz.i18n import fmt_num, tr
from circsim.viz.svg import AXIS, esc

DENSITY_COLOURS = ("#f7fcf5", "#c7e9c0", "#74c476", "#31a354", "#006d2c")   # ColorBrewer Greens
DENSITY_BREAKS = (0.25, 0.5, 1.0, 2.0)                                       # bins per km2
COOP, RECYCLER = "#e66101", "#0571b0"
NEIGHBOUR_FILL, ZONE_BORDER = "#ececec", "#4d4d4d"
PAD_KM = 2.0
LEGEND_H = 222
GEOJSON = "municipalities.geojson"
#: Where each neighbouring province's name goes (lon, lat): inside it, near the metro.
PROVINCE_LABELS = {"MB": (9.27, 45.64), "LO": (9.50, 45.27)}


@dataclass(frozen=True)
class Municipality:
    """One municipality: ISTAT code, name, province, model zone (None outside the metro)
    and its outline as rings of km coordinates (east and north of the Duomo)."""

    istat: int
    name: str
    province: str
    zone: str | None
    rings: tuple[np.ndarray, ...]

    @property
    def metro(self) -> bool:
        return self.zone is not None

    def area_km2(self) -> float:
        """Area (outer rings minus holes are not told apart: holes are rare and tiny)."""
        return float(sum(_ring_area(r) for r in self.rings))


@dataclass(frozen=True)
class MapData:
    """Everything the map draws that does not change during a run."""

    municipalities: tuple[Municipality, ...]
    zone_borders: tuple[np.ndarray, ...]
    attribution: str


def _ring_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


def _km(points: Sequence[Sequence[float]]) -> np.ndarray:
    lonlat = np.asarray(points, dtype=float)
    return lonlat_to_km(lonlat[:, 0], lonlat[:, 1])


@lru_cache(maxsize=1)
def load_map() -> MapData:
    """The packaged boundaries, in km (read once per process)."""
    with resources.files("circsim.data").joinpath(GEOJSON).open(encoding="utf-8") as fh:
        doc = json.load(fh)
    municipalities, borders = [], ()
    for feature in doc["features"]:
        props, geom = feature["properties"], feature["geometry"]
        if props.get("kind") == "zone_borders":
            borders = tuple(_km(line) for line in geom["coordinates"])
            continue
        rings = tuple(_km(ring) for polygon in geom["coordinates"] for ring in polygon)
        municipalities.append(Municipality(props["istat"], props["name"], props["province"],
                                           props["zone"], rings))
    return MapData(tuple(municipalities), borders, doc["attribution"])


def zone_members(names: Sequence[str]) -> list[list[Municipality]]:
    """The metro's municipalities of each model zone, in the order of ``names``."""
    data = load_map()
    return [[m for m in data.municipalities if m.zone == name] for name in names]


def zone_label_points(names: Sequence[str]) -> np.ndarray:
    """Where each zone's name goes: the area-weighted centre of its municipalities."""
    points = []
    for members in zone_members(names):
        areas = np.array([m.area_km2() for m in members])
        centres = np.array([np.concatenate(m.rings).mean(axis=0) for m in members])
        points.append(areas @ centres / areas.sum())
    return np.array(points)


@dataclass(frozen=True)
class Frame:
    """Km to pixels: the three provinces (plus a margin) fitted into ``width`` x ``height``
    less the legend."""

    lo: np.ndarray
    hi: np.ndarray
    k: float

    def px(self, xy: np.ndarray) -> np.ndarray:
        xy = np.atleast_2d(xy)
        return np.column_stack([(xy[:, 0] - self.lo[0]) * self.k, (self.hi[1] - xy[:, 1]) * self.k])


@lru_cache(maxsize=8)
def _frame(width: int, height: int) -> Frame:
    area = np.concatenate([r for m in load_map().municipalities for r in m.rings])
    lo, hi = area.min(axis=0) - PAD_KM, area.max(axis=0) + PAD_KM
    k = min(width / (hi[0] - lo[0]), (height - LEGEND_H) / (hi[1] - lo[1]))
    return Frame(lo, hi, float(k))


def _path(rings: Sequence[np.ndarray], frame: Frame) -> str:
    return " ".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in frame.px(r)) + "Z"
                    for r in rings)


@lru_cache(maxsize=8)
def _outlines(width: int, height: int) -> tuple[dict[str, str], str, str]:
    """Pixel paths: each metro municipality by name, the neighbours, the zone borders."""
    frame, data = _frame(width, height), load_map()
    metro = {m.name: _path(m.rings, frame) for m in data.municipalities if m.metro}
    neighbours = "".join(f'<path d="{_path(m.rings, frame)}"><title>{esc(m.name)}</title>'
                         '</path>' for m in data.municipalities if not m.metro)
    borders = " ".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in frame.px(line))
                       for line in data.zone_borders)
    return metro, neighbours, borders


def _density_colour(value: float) -> str:
    return DENSITY_COLOURS[sum(value >= b for b in DENSITY_BREAKS)]


def metro_map(model, bins_per_10k: float, lang: str, width: int = 560,
              height: int = 640) -> str:
    """The map as an SVG string, from a live model."""
    geo = model.geo
    frame = _frame(width, height)
    metro_paths, neighbours, borders = _outlines(width, height)
    bins = bins_per_10k * geo.residents / 1e4          # the whole metro's bins per zone
    density = bins / geo.area_km2
    map_h = height - LEGEND_H
    out = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{esc(tr("map.title", lang))}" xmlns="http://www.w3.org/2000/svg" '
           'style="display:block;font-size:12px">',
           f'<defs><clipPath id="circsim-map-clip"><rect width="{width}" height="{map_h}"/>'
           '</clipPath></defs><g clip-path="url(#circsim-map-clip)">',
           f'<rect width="{width}" height="{map_h}" fill="#fafafa"/>',
           f'<g class="circsim-neighbours" fill="{NEIGHBOUR_FILL}" stroke="white" '
           f'stroke-width="0.6">{neighbours}</g>']
    for i, (name, members) in enumerate(zip(geo.names, zone_members(geo.names),
                                            strict=True)):
        tip = (f"{tr('map.zone', lang, zone=name)}: {fmt_num(bins[i], lang, 0)} "
               f"{tr('map.bins_word', lang)} · {fmt_num(density[i], lang, 2)} "
               f"{tr('map.density', lang)}")
        out.append(f'<g class="circsim-zone" fill="{_density_colour(density[i])}" '
                   'stroke="white" stroke-width="0.6">')
        out += [f'<path class="circsim-municipality" d="{metro_paths[m.name]}"><title>'
                f'{esc(m.name)} · {esc(tip)}</title></path>' for m in members]
        out.append("</g>")
    out.append(f'<path d="{borders}" fill="none" stroke="{ZONE_BORDER}" stroke-width="1.4" '
               'stroke-linejoin="round"/>')
    spokes, rings = sym.service_groups(model, frame.px, lang)
    out += spokes + sym.links(model, frame.px)           # lines under every marker
    out += sym.firm_markers(model, frame.px, lang)
    out += rings + _markers(model, frame)
    out += _labels(geo.names, frame, lang)
    out.append("</g>")
    out += _legend(width, map_h, lang, bins_per_10k, float(bins.sum()), frame.k)
    out.append("</svg>")
    return "".join(out)


def _markers(model, frame: Frame) -> list[str]:
    """Cooperatives (squares) and recyclers (triangles)."""
    out = []
    for c in model.cooperatives:
        (x, y), = frame.px(c.xy)
        out.append(f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" '
                   f'fill="{COOP}" stroke="white" stroke-width="1.5"/>')
    for r in model.recyclers:
        (x, y), = frame.px(r.xy)
        out.append(f'<polygon points="{x:.1f},{y - 8:.1f} {x - 7:.1f},{y + 5:.1f} '
                   f'{x + 7:.1f},{y + 5:.1f}" fill="{RECYCLER}" stroke="white" '
                   'stroke-width="1.5"/>')
    return out


def _labels(names: Sequence[str], frame: Frame, lang: str) -> list[str]:
    """Zone names, and the neighbouring provinces' names in grey: last, on a white halo."""
    halo = 'paint-order="stroke" stroke="white" stroke-width="4" stroke-linejoin="round"'
    out = []
    for name, (x, y) in zip(names, frame.px(zone_label_points(names)), strict=True):
        out.append(f'<text class="circsim-zone-label" x="{x:.1f}" y="{y:.1f}" '
                   f'text-anchor="middle" fill="#222" font-size="13" font-weight="700" '
                   f'{halo}>{esc(name)}</text>')
    for province, lonlat in PROVINCE_LABELS.items():
        (x, y), = frame.px(lonlat_to_km([lonlat[0]], [lonlat[1]]))
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" fill="#777" '
                   f'font-size="12" font-style="italic" {halo}>'
                   f'{esc(tr(f"map.province.{province}", lang))}</text>')
    return out


def _legend(width: int, top: float, lang: str, bins_per_10k: float, total_bins: float,
            k: float) -> list[str]:
    out = [f'<rect x="0" y="{top}" width="{width}" height="{LEGEND_H}" fill="white"/>']
    y = top + 16
    items = ((f'<rect x="3" y="{y - 10}" width="10" height="10" fill="{COOP}"/>',
              "map.cooperatives", 0, 0),
             (f'<polygon points="8,{y - 11} 2,{y} 14,{y}" fill="{RECYCLER}"/>', "map.recyclers",
              width / 3, 0),
             (f'<line x1="0" x2="16" y1="{y - 4}" y2="{y - 4}" stroke="{sym.LINK}" '
              'stroke-width="2"/>', "map.links", 0, 20),
             (f'<circle cx="8" cy="{y - 4}" r="6" fill="none" stroke="{sym.GROUP}" '
              'stroke-width="2"/>', "map.groups", 0, 40))
    for shape, key, x, dy in items:
        out.append(f'<g transform="translate({4 + x:.0f},{dy})">{shape}'
                   f'<text x="20" y="{y}">{esc(tr(key, lang))}</text></g>')
    sectors, used = sym.sector_legend(0, y + 64, width, lang)
    out += sectors
    y2 = y + 64 + used + 6
    out.append(f'<text x="4" y="{y2}">{esc(tr("map.density", lang))}</text>')
    bx = 150
    labels = ["<" + fmt_num(DENSITY_BREAKS[0], lang, 2)] + [
        "≥" + fmt_num(b, lang, 2 if b < 1 else 0) for b in DENSITY_BREAKS]
    for i, (colour, label) in enumerate(zip(DENSITY_COLOURS, labels, strict=True)):
        out.append(f'<rect x="{bx + i * 58}" y="{y2 - 11}" width="56" height="14" '
                   f'fill="{colour}" stroke="#8c8c8c" stroke-width="0.5"/>')
        out.append(f'<text x="{bx + i * 58 + 28}" y="{y2 + 15}" text-anchor="middle" '
                   f'fill="{AXIS}" font-size="11">{esc(label)}</text>')
    ten_km = 10 * k
    sx = width - ten_km - 10
    out.append(f'<line x1="{sx:.1f}" x2="{sx + ten_km:.1f}" y1="{y2}" y2="{y2}" '
               f'stroke="#333" stroke-width="2"/><text x="{sx + ten_km / 2:.1f}" '
               f'y="{y2 - 5}" text-anchor="middle">{esc(tr("map.scale", lang))}</text>')
    caption = tr("map.bins", lang, bins=fmt_num(bins_per_10k, lang, 1),
                 total=fmt_num(total_bins, lang, 0), per=fmt_num(10_000, lang, 0))
    out.append(f'<text x="4" y="{y2 + 34}" font-weight="600">{esc(caption)}</text>')
    out.append(f'<text x="4" y="{top + LEGEND_H - 4}" fill="#777" font-size="9">'
               f'{esc(tr("map.attribution", lang))}</text>')
    return out
