"""A schematic map of the metro: zones shaded by bin density, organisations, symbiosis links.

The model knows each zone's centre and area, not its boundary, so zones are drawn as
the cells of a power diagram (a Voronoi diagram weighted by each zone's area) inside
the hull of the zones' discs: each cell sits where its zone is and has about its size.
Good enough to see where firms, cooperatives and recyclers are and who trades with
whom, without shipping or fetching map tiles.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from circsim.viz.i18n import fmt_num, tr
from circsim.viz.svg import AXIS, esc

Polygon = list[tuple[float, float]]
DENSITY_COLOURS = ("#f7fcf5", "#c7e9c0", "#74c476", "#31a354", "#006d2c")   # ColorBrewer Greens
FIRM, COOP, RECYCLER, LINK = "#7b3294", "#e66101", "#0571b0", "#0571b0"
PAD_KM = 3.0


def _hull(points: np.ndarray) -> Polygon:
    """Convex hull (monotone chain), counter-clockwise."""
    pts = sorted(map(tuple, points.tolist()))

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: Polygon = []
    for q in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], q) <= 0:
            lower.pop()
        lower.append(q)
    upper: Polygon = []
    for q in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], q) <= 0:
            upper.pop()
        upper.append(q)
    return lower[:-1] + upper[:-1]


def _clip(poly: Polygon, a: np.ndarray, b: float) -> Polygon:
    """Keep the part of ``poly`` where a·x <= b (Sutherland-Hodgman, one half-plane)."""
    out: Polygon = []
    for i, cur in enumerate(poly):
        prev = poly[i - 1]
        fc, fp = a @ cur - b, a @ prev - b
        if fc <= 0:
            if fp > 0:
                t = fp / (fp - fc)
                out.append((prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])))
            out.append(cur)
        elif fp <= 0:
            t = fp / (fp - fc)
            out.append((prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])))
    return out


def zone_cells(xy_km: np.ndarray, area_km2: np.ndarray) -> list[Polygon]:
    """One polygon per zone: its power-diagram cell inside the hull of the zones' discs."""
    radius = np.sqrt(area_km2 / np.pi)
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    disc_points = np.concatenate([c + r * 1.15 * ring for c, r in zip(xy_km, radius,
                                                                       strict=True)])
    hull = _hull(disc_points)
    weight = radius ** 2
    cells = []
    for i, p in enumerate(xy_km):
        cell = hull
        for j, q in enumerate(xy_km):
            if i != j:   # |x-p|^2 - w_i <= |x-q|^2 - w_j  <=>  2(q-p)·x <= |q|^2-|p|^2 + w_i - w_j
                cell = _clip(cell, 2 * (q - p), q @ q - p @ p + weight[i] - weight[j])
        cells.append(cell)
    return cells


def _density_colour(value: float, breaks: Sequence[float]) -> str:
    return DENSITY_COLOURS[sum(value >= b for b in breaks)]


def metro_map(model, bins_per_10k: float, lang: str, width: int = 560,
              height: int = 470) -> str:
    """The map as an SVG string, from a live model."""
    geo = model.geo
    cells = zone_cells(geo.xy_km, geo.area_km2)
    allxy = np.array([pt for c in cells for pt in c])
    lo, hi = allxy.min(axis=0) - PAD_KM, allxy.max(axis=0) + PAD_KM
    legend_h = 112
    k = min(width / (hi[0] - lo[0]), (height - legend_h) / (hi[1] - lo[1]))

    def px(xy) -> tuple[float, float]:
        return ((xy[0] - lo[0]) * k, (hi[1] - xy[1]) * k)

    bins = bins_per_10k * geo.residents / 1e4          # the whole metro's bins per zone
    density = bins / geo.area_km2
    breaks = (0.25, 0.5, 1.0, 2.0)
    out = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{esc(tr("map.title", lang))}" xmlns="http://www.w3.org/2000/svg" '
           'style="display:block;font-size:12px">']
    for i, cell in enumerate(cells):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in map(px, cell))
        tip = (f"{geo.names[i]}: {fmt_num(bins[i], lang, 0)} · "
               f"{fmt_num(density[i], lang, 2)} {tr('map.density', lang)}")
        out.append(f'<polygon points="{pts}" fill="{_density_colour(density[i], breaks)}" '
                   f'stroke="#8c8c8c" stroke-width="1"><title>{esc(tip)}</title></polygon>')
    by_id = {a.unique_id: a for a in (*model.firms, *model.cooperatives, *model.recyclers)}
    for (seller, buyer), trust in model.exchange.trust.items():
        if trust <= 0.02 or seller not in by_id or buyer not in by_id:
            continue
        (x1, y1), (x2, y2) = px(by_id[seller].xy), px(by_id[buyer].xy)
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                   f'stroke="{LINK}" stroke-opacity="{0.15 + 0.45 * trust:.2f}" '
                   f'stroke-width="{0.4 + 2.2 * trust:.2f}"/>')
    for i, name in enumerate(geo.names):
        x, y = px(geo.xy_km[i])
        out.append(f'<text x="{x:.1f}" y="{y + 24:.1f}" text-anchor="middle" fill="#222" '
                   'font-size="13" font-weight="600" paint-order="stroke" stroke="white" '
                   f'stroke-width="3" stroke-opacity="0.8">{esc(name)}</text>')
    for f in model.firms:
        x, y = px(f.xy)
        r = {"small": 1.8, "medium": 2.6, "large": 3.6}.get(f.size, 2.0)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{FIRM}" '
                   'fill-opacity="0.75"/>')
    for c in model.cooperatives:
        x, y = px(c.xy)
        out.append(f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" '
                   f'fill="{COOP}" stroke="white" stroke-width="1.5"/>')
    for r in model.recyclers:
        x, y = px(r.xy)
        out.append(f'<polygon points="{x:.1f},{y - 8:.1f} {x - 7:.1f},{y + 5:.1f} '
                   f'{x + 7:.1f},{y + 5:.1f}" fill="{RECYCLER}" stroke="white" '
                   'stroke-width="1.5"/>')
    out += _legend(width, height - legend_h, legend_h, lang, breaks, bins_per_10k,
                   float(bins.sum()), k)
    out.append("</svg>")
    return "".join(out)


def _legend(width: int, top: float, h: int, lang: str, breaks: Sequence[float],
            bins_per_10k: float, total_bins: float, k: float) -> list[str]:
    out = [f'<rect x="0" y="{top}" width="{width}" height="{h}" fill="white" '
           'fill-opacity="0.85"/>']
    y = top + 16
    items = ((f'<circle cx="8" cy="{y - 4}" r="3" fill="{FIRM}"/>', "map.firms"),
             (f'<rect x="3" y="{y - 10}" width="10" height="10" fill="{COOP}"/>',
              "map.cooperatives"),
             (f'<polygon points="8,{y - 11} 2,{y} 14,{y}" fill="{RECYCLER}"/>', "map.recyclers"),
             (f'<line x1="0" x2="16" y1="{y - 4}" y2="{y - 4}" stroke="{LINK}" '
              'stroke-width="2"/>', "map.links"))
    for i, (shape, key) in enumerate(items):
        x, dy = (4 + (i % 2) * width / 2, (i // 2) * 20)
        out.append(f'<g transform="translate({x:.0f},{dy})">{shape}'
                   f'<text x="20" y="{y}">{esc(tr(key, lang))}</text></g>')
    y2 = y + 46
    out.append(f'<text x="4" y="{y2}">{esc(tr("map.density", lang))}</text>')
    bx = 150
    labels = ["<" + fmt_num(breaks[0], lang, 2)] + [
        "≥" + fmt_num(b, lang, 2 if b < 1 else 0) for b in breaks]
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
                 total=fmt_num(total_bins, lang, 0))
    out.append(f'<text x="4" y="{y2 + 36}" font-weight="600">{esc(caption)}</text>')
    return out

