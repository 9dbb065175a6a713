"""The map of the metro: its real municipalities, grouped into the model's zones, shaded by
bin density, with firms, cooperatives, recyclers and symbiosis links on top.

Boundaries come from ``circsim/data/municipalities.geojson`` (ISTAT 2023 via Openpolis,
CC BY 4.0, simplified by ``tools/build_municipalities.py``): the 133 municipalities of the
Metropolitan City of Milan, each tagged with its model zone (Milan city, or one of the
seven "zone omogenee"), and those of the provinces of Monza and Brianza and of Lodi,
drawn in grey around it (the area industrial symbiosis may reach). Nothing is fetched at
run time. Link lines lie under the markers and every label is drawn last, on a white
halo, so nothing covers a name.

Where the picture is wider than the map (presenter mode), zone names stand in two
columns beside the map, each joined to its zone by a thin line: in type readable from
the back of a room, eight names do not fit inside the small zones around Milan without
touching. Where there is no such room, each name sits on its zone.
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
from circsim.viz.svg import AXIS, esc, fit_attrs, text_width, wrap

DENSITY_COLOURS = ("#f7fcf5", "#c7e9c0", "#74c476", "#31a354", "#006d2c")   # ColorBrewer Greens
DENSITY_BREAKS = (0.25, 0.5, 1.0, 2.0)                                       # bins per km2
COOP, RECYCLER = "#e66101", "#0571b0"
NEIGHBOUR_FILL, ZONE_BORDER = "#ececec", "#4d4d4d"
PAD_KM = 2.0
FONT = 15              # legend text in viewBox units: about 14 px at the default size on 1280x720
LEGEND_ROWS = 8.6      # legend height in lines of text (markers, links, groups, density,
                       # swatches, their labels, the bins, the attribution)
SECTOR_ROWS = 4.4      # ... and the sectors in three columns, shown when the map keeps room
MIN_MAP_SHARE = 0.55   # the map keeps at least this share of the picture's height
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
    return _label_points(tuple(names)).copy()


@lru_cache(maxsize=4)
def _label_points(names: tuple[str, ...]) -> np.ndarray:
    # computed once per process: a tenth of the map's drawing time, at every month
    points = []
    for members in zone_members(names):
        areas = np.array([m.area_km2() for m in members])
        centres = np.array([np.concatenate(m.rings).mean(axis=0) for m in members])
        points.append(areas @ centres / areas.sum())
    return np.array(points)


@dataclass(frozen=True)
class Frame:
    """Km to pixels: the metro (plus a margin) fitted into ``width`` x ``height``."""

    lo: np.ndarray
    hi: np.ndarray
    k: float
    x0: float = 0.0        # where the drawn area begins and ends, in pixels
    x1: float = 0.0

    def px(self, xy: np.ndarray) -> np.ndarray:
        xy = np.atleast_2d(xy)
        return np.column_stack([(xy[:, 0] - self.lo[0]) * self.k, (self.hi[1] - xy[:, 1]) * self.k])


@lru_cache(maxsize=8)
def _frame(width: int, map_h: int) -> Frame:
    # the three provinces: firms of the symbiosis programme sit in Monza-Brianza and Lodi too
    area = np.concatenate([r for m in load_map().municipalities for r in m.rings])
    lo, hi = area.min(axis=0) - PAD_KM, area.max(axis=0) + PAD_KM
    k = min(width / (hi[0] - lo[0]), map_h / (hi[1] - lo[1]))
    margin = (width / k - (hi[0] - lo[0])) / 2        # centred across the width
    lo = lo - [margin, 0.0]
    return Frame(lo, hi, float(k), float(margin * k), float(width - margin * k))


def _path(rings: Sequence[np.ndarray], frame: Frame) -> str:
    return " ".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in frame.px(r)) + "Z"
                    for r in rings)


@lru_cache(maxsize=8)
def _outlines(width: int, map_h: int) -> tuple[dict[str, str], str, str]:
    """Pixel paths: each metro municipality by name, the neighbours, the zone borders."""
    frame, data = _frame(width, map_h), load_map()
    metro = {m.name: _path(m.rings, frame) for m in data.municipalities if m.metro}
    neighbours = "".join(f'<path d="{_path(m.rings, frame)}"><title>{esc(m.name)}</title>'
                         '</path>' for m in data.municipalities if not m.metro)
    borders = " ".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in frame.px(line))
                       for line in data.zone_borders)
    return metro, neighbours, borders


def _density_colour(value: float) -> str:
    return DENSITY_COLOURS[sum(value >= b for b in DENSITY_BREAKS)]


def metro_map(model, bins_per_10k: float, lang: str, width: int = 420,
              height: int = 600, font: float = FONT) -> str:
    """The map as an SVG string, from a live model; ``font``: the legend's text size
    (zone names a little larger, the attribution a little smaller), in viewBox units."""
    geo = model.geo
    sectors = height - (LEGEND_ROWS + SECTOR_ROWS) * 1.3 * font >= MIN_MAP_SHARE * height
    map_h = round(height - (LEGEND_ROWS + SECTOR_ROWS * sectors) * 1.3 * font)
    frame = _frame(width, map_h)
    metro_paths, neighbours, borders = _outlines(width, map_h)
    bins = bins_per_10k * geo.residents / 1e4          # the whole metro's bins per zone
    density = bins / geo.area_km2
    out = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{esc(tr("map.title", lang))}" xmlns="http://www.w3.org/2000/svg" '
           f'style="display:block;font-size:{font:g}px">',
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
    out += _callouts(geo.names, frame, map_h, font) or _zone_labels(geo.names, frame, font)
    out += _province_labels(frame, lang, font)
    out.append("</g>")
    out += _legend(width, height, map_h, lang, bins_per_10k, float(bins.sum()), frame.k, font,
                   sectors)
    out.append("</svg>")
    return "".join(out)


def _markers(model, frame: Frame) -> list[str]:
    """Cooperatives (squares) and recyclers (triangles); firms are drawn by sector."""
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


HALO = 'paint-order="stroke" stroke="white" stroke-width="4" stroke-linejoin="round"'
LABEL = 'class="circsim-zone-label" fill="#222" font-weight="700"'


def _zone_labels(names: Sequence[str], frame: Frame, font: float) -> list[str]:
    """Each zone's name on its zone, a word a line ("Nord" over "Ovest")."""
    out = []
    size = 1.06 * font
    for name, (x, y) in zip(names, frame.px(zone_label_points(names)), strict=True):
        lines = wrap(name, max(len(w) for w in name.split()) + 2)
        top = y - (len(lines) - 1) * size / 2
        spans = "".join(f'<tspan x="{x:.1f}" y="{top + i * size:.1f}">{esc(t)}</tspan>'
                        for i, t in enumerate(lines))
        out.append(f'<text {LABEL} x="{x:.1f}" y="{top:.1f}" text-anchor="middle" '
                   f'font-size="{size:.1f}" {HALO}>{spans}</text>')
    return out


def _column(wanted: list[float], heights: list[float], gap: float, bottom: float) -> list[float]:
    """Tops of labels stacked in a column, each as near its wanted top as the others let
    it, none overlapping, all between 0 and ``bottom`` (``wanted`` in increasing order;
    the heights and gaps must fit in ``bottom``)."""
    tops: list[float] = []
    for i, want in enumerate(wanted):
        tops.append(max(want, tops[-1] + heights[i - 1] + gap if tops else 0.0))
    limit = bottom
    for i in range(len(tops) - 1, -1, -1):            # pushed back up from the bottom
        tops[i] = max(min(tops[i], limit - heights[i]), 0.0)
        limit = tops[i] - gap
    return tops


def _fewest_lines(name: str, size: float, room: float) -> list[str]:
    """``name`` in as few lines as fit ``room`` (none if a word alone is too wide)."""
    for chars in range(len(name), 0, -1):
        lines = wrap(name, chars)
        if all(text_width(t, size) <= room for t in lines):
            return lines
    return []


def _callouts(names: Sequence[str], frame: Frame, map_h: float, font: float) -> list[str]:
    """Zone names in two columns beside the map, joined to their zones by thin lines; none
    if a name does not fit (or the column would run past the map), to fall back on."""
    size, gap = 1.06 * font, 0.4 * font
    room = frame.x0 - gap                    # the map is centred: as much room either side
    points = frame.px(zone_label_points(names))
    lines = [_fewest_lines(n, size, room) for n in names]
    if any(not ls for ls in lines):
        return []
    order = sorted(range(len(names)), key=lambda i: points[i][0])
    half = len(order) // 2
    out: list[str] = []
    labels: list[str] = []
    for side, members in (("end", order[:half]), ("start", order[half:])):
        members = sorted(members, key=lambda i: points[i][1])
        heights = [len(lines[i]) * size for i in members]
        if sum(heights) + gap * (len(members) - 1) > map_h:
            return []
        tops = _column([points[i][1] - h / 2 for i, h in zip(members, heights, strict=True)],
                       heights, gap, map_h)
        x = frame.x0 - gap if side == "end" else frame.x1 + gap
        edge = frame.x0 if side == "end" else frame.x1
        for i, top, h in zip(members, tops, heights, strict=True):
            (px, py), mid = points[i], top + h / 2
            out.append(f'<line x1="{x:.1f}" y1="{mid:.1f}" x2="{edge:.1f}" y2="{mid:.1f}" '
                       f'stroke="#222" stroke-width="1.2"/><line x1="{edge:.1f}" '
                       f'y1="{mid:.1f}" x2="{px:.1f}" y2="{py:.1f}" stroke="#222" '
                       f'stroke-width="1.2"/><circle cx="{px:.1f}" cy="{py:.1f}" '
                       f'r="{0.15 * font:.1f}" fill="#222"/>')
            spans = "".join(f'<tspan x="{x:.1f}" y="{top + (j + 0.8) * size:.1f}">'
                            f'{esc(t)}</tspan>' for j, t in enumerate(lines[i]))
            labels.append(f'<text {LABEL} text-anchor="{side}" font-size="{size:.1f}" '
                          f'{HALO}>{spans}</text>')
    return out + labels


def _province_labels(frame: Frame, lang: str, font: float) -> list[str]:
    """The neighbouring provinces' names, in grey italics."""
    out = []
    for province, lonlat in PROVINCE_LABELS.items():
        (x, y), = frame.px(lonlat_to_km([lonlat[0]], [lonlat[1]]))
        out.append(f'<text class="circsim-province-label" x="{x:.1f}" y="{y:.1f}" '
                   f'text-anchor="middle" fill="#777" font-size="{0.9 * font:.1f}" '
                   f'font-style="italic" {HALO}>'
                   f'{esc(tr(f"map.province.{province}", lang))}</text>')
    return out


def _legend(width: int, height: int, top: float, lang: str, bins_per_10k: float,
            total_bins: float, k: float, font: float, sectors: bool) -> list[str]:
    """Under the map: the markers, the sectors' colours (if ``sectors``; a firm's tooltip
    names its sector anyway), the bin-density scale with a 10 km bar, the bins, the
    source; laid out from ``font`` so no two texts meet."""
    line, small = 1.3 * font, 0.88 * font
    out = [f'<rect x="0" y="{top}" width="{width}" height="{height - top}" fill="white"/>']
    y, r = top + line, font / 2
    items = ((f'<rect x="{0.1 * font:.1f}" y="{-0.7 * font:.1f}" width="{0.7 * font:.1f}" '
              f'height="{0.7 * font:.1f}" fill="{COOP}"/>', "map.cooperatives"),
             (f'<polygon points="{r:.1f},{-0.8 * font:.1f} 0,0 {font:.1f},0" '
              f'fill="{RECYCLER}"/>', "map.recyclers"),
             (f'<line x1="0" x2="{font:.1f}" y1="{-0.3 * font:.1f}" y2="{-0.3 * font:.1f}" '
              f'stroke="{sym.LINK}" stroke-width="2"/>', "map.links"),
             (f'<circle cx="{r:.1f}" cy="{-0.3 * font:.1f}" r="{0.4 * font:.1f}" fill="none" '
              f'stroke="{sym.GROUP}" stroke-width="2"/>', "map.groups"))
    x = 4.0
    for shape, key in items:     # in a row while they fit, then on the next line
        label = tr(key, lang)
        need = 1.4 * font + text_width(label, font)
        if x > 4 and x + need > width:
            x, y = 4.0, y + line
        room = width - x - 1.6 * font            # a label longer than the line is narrowed
        out.append(f'<g transform="translate({x:.0f},{y:.1f})">{shape}'
                   f'<text x="{1.4 * font:.1f}" y="0"{fit_attrs(label, room, font)}>'
                   f'{esc(label)}</text></g>')
        x += need + font
    y += line * 1.2
    if sectors:
        colours, used = sym.sector_legend(0, y, width, lang, row_h=line, font=0.88 * font)
        out += colours
        y += used
    out.append(f'<text x="4" y="{y:.1f}">{esc(tr("map.density", lang))}</text>')
    ten_km = 10 * k
    sx = width - ten_km - 10
    out.append(f'<line x1="{sx:.1f}" x2="{sx + ten_km:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
               f'stroke="#333" stroke-width="2"/><text x="{sx + ten_km / 2:.1f}" '
               f'y="{y - 0.35 * font:.1f}" text-anchor="middle">'
               f'{esc(tr("map.scale", lang))}</text>')
    y += 0.4 * font
    labels = ["<" + fmt_num(DENSITY_BREAKS[0], lang, 2)] + [
        "≥" + fmt_num(b, lang, 2 if b < 1 else 0) for b in DENSITY_BREAKS]
    box = max(text_width(t, small) for t in labels) + 0.6 * font
    for i, (colour, label) in enumerate(zip(DENSITY_COLOURS, labels, strict=True)):
        out.append(f'<rect x="{4 + i * box:.1f}" y="{y:.1f}" width="{box - 2:.1f}" '
                   f'height="{0.8 * font:.1f}" fill="{colour}" stroke="#8c8c8c" '
                   'stroke-width="0.5"/>')
        out.append(f'<text x="{4 + i * box + box / 2:.1f}" y="{y + 0.8 * font + small:.1f}" '
                   f'text-anchor="middle" fill="{AXIS}" font-size="{small:.1f}">'
                   f'{esc(label)}</text>')
    y += 0.8 * font + small + line
    caption = tr("map.bins", lang, bins=fmt_num(bins_per_10k, lang, 1),
                 total=fmt_num(total_bins, lang, 0), per=fmt_num(10_000, lang, 0))
    out.append(f'<text x="4" y="{y:.1f}" font-weight="600"{fit_attrs(caption, width - 8, font)}>'
               f'{esc(caption)}</text>')
    source = tr("map.attribution", lang)
    out.append(f'<text x="4" y="{height - 0.3 * small:.1f}" fill="#666" '
               f'font-size="{small:.1f}"{fit_attrs(source, width - 8, small)}>{esc(source)}</text>')
    return out
