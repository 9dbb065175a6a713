"""The industrial-symbiosis layer of the map: firms by sector, exchange links, shared services.

Every symbiosis firm (fashion and the other ATECO divisions of Milan, Monza-Brianza and
Lodi) is a dot coloured by its sector and sized by how many real firms it stands for
(its ``weight``, on a log scale: one agent may stand for two firms or for thousands of
restaurants). Exchange links are the partner pairs the exchange trusts (a pair that
traded recently), thicker and darker with more trust; shared-service groups are a ring
at the group's site with dotted spokes to its members. Links and spokes are drawn before
the markers, so they lie under them; rings are open circles drawn over the dots, so a
group inside a crowd of firms stays visible. The legend names sectors in plain words.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from circsim.sectors import FASHION_SECTOR, sector_table
from circsim.viz.i18n import fmt_num, tr
from circsim.viz.svg import esc, fit_attrs

LINK = "#0571b0"
GROUP = "#01665e"
#: One colour per ATECO division (colour-blind-aware where it can be, white outlines).
SECTOR_COLOURS: dict[str, str] = {
    FASHION_SECTOR: "#7b3294", "13": "#e7298a", "15": "#8c510a", "16": "#66a61e",
    "17": "#17becf", "20": "#d62728", "22": "#bcbd22", "23": "#737373", "29": "#253494",
    "31": "#e6ab02", "55/56": "#f46d43",
}
OTHER = "#999999"
MIN_TRUST = 0.02          # links below this trust are not drawn (a faded relationship)

Px = Callable[[np.ndarray], np.ndarray]


def sectors() -> list[str]:
    """Every sector the map knows, fashion first, then the sector table's order."""
    return [FASHION_SECTOR, *(s for s in sector_table()["sector"] if s != FASHION_SECTOR)]


def sector_colour(sector: str) -> str:
    return SECTOR_COLOURS.get(sector, OTHER)


def marker_radius(weight: float) -> float:
    """Pixels of a firm's dot: grows with the log of the real firms it stands for."""
    return 1.8 + 1.1 * math.log10(1.0 + max(weight, 0.0))


def links(model, px: Px) -> list[str]:
    """Exchange links between any two actors (symbiosis firms, cooperatives, recyclers)."""
    actors = {a.unique_id: a for a in (*model.symbiosis_firms(), *model.cooperatives,
                                       *model.recyclers)}
    out = []
    for (seller, buyer), trust in sorted(model.exchange.trust.items()):
        if trust <= MIN_TRUST or seller not in actors or buyer not in actors:
            continue
        (x1, y1), (x2, y2) = px(np.array([actors[seller].xy, actors[buyer].xy]))
        out.append(f'<line class="circsim-link" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                   f'y2="{y2:.1f}" stroke="{LINK}" stroke-opacity="{0.25 + 0.5 * trust:.2f}" '
                   f'stroke-width="{0.6 + 2.2 * trust:.2f}" stroke-linecap="round"/>')
    return out


def service_groups(model, px: Px, lang: str) -> tuple[list[str], list[str]]:
    """Shared-service groups: dotted spokes from each site to the firms sharing there (to
    draw under the markers) and one ring per site (to draw over them)."""
    sites: dict[tuple[float, float], tuple[list[str], set]] = {}
    for g in model.shared_services.groups:
        key = (round(float(g.xy[0]), 3), round(float(g.xy[1]), 3))
        services, members = sites.setdefault(key, ([], set()))
        services.append(g.service)
        members.update(g.members)
    spokes, rings = [], []
    for (x, y), (services, members) in sites.items():
        (cx, cy), = px(np.array([x, y]))
        for f in sorted(members, key=lambda f: f.unique_id):
            (fx, fy), = px(f.xy)
            spokes.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{fx:.1f}" y2="{fy:.1f}" '
                          f'stroke="{GROUP}" stroke-width="0.8" stroke-dasharray="2 2"/>')
        tip = tr("map.group_tip", lang, n=len(members),
                 services=", ".join(tr(f"map.service.{s}", lang) for s in services))
        rings.append(f'<circle class="circsim-service-group" cx="{cx:.1f}" cy="{cy:.1f}" '
                     f'r="7" fill="none" stroke="{GROUP}" stroke-width="2">'
                     f'<title>{esc(tip)}</title></circle>')
    return spokes, rings


def firm_markers(model, px: Px, lang: str) -> list[str]:
    """Every symbiosis firm: colour by sector, size by the real firms it stands for; the
    largest first, so small dots stay visible on top."""
    firms = sorted(model.symbiosis_firms(), key=lambda f: (-f.weight, f.unique_id))
    out = []
    for f in firms:
        (x, y), = px(f.xy)
        tip = tr("map.firm_tip", lang, sector=tr(f"sector.{f.sector}", lang),
                 town=f.municipality, n=fmt_num(f.weight, lang, 0))
        out.append(f'<circle class="circsim-firm" data-sector="{esc(f.sector)}" '
                   f'cx="{x:.1f}" cy="{y:.1f}" r="{marker_radius(f.weight):.1f}" '
                   f'fill="{sector_colour(f.sector)}" fill-opacity="0.85" stroke="white" '
                   f'stroke-width="0.5"><title>{esc(tip)}</title></circle>')
    return out


def sector_legend(x0: float, y0: float, width: float, lang: str,
                  columns: int = 3, row_h: float = 17, font: float = 11
                  ) -> tuple[list[str], float]:
    """The sectors' colours in ``columns`` columns from (x0, y0), a label too long for its
    column narrowed to fit it (the map keeps room for three columns); returns the SVG and
    the height used."""
    title = tr("map.sectors", lang)
    out = [f'<text x="{x0 + 4:.0f}" y="{y0:.0f}" font-weight="600"'
           f'{fit_attrs(title, width - 8, font)}>{esc(title)}</text>']
    names = sectors()
    labels = [tr(f"sector.{sector}", lang) for sector in names]
    room = (width - 4) / columns - 1.8 * font
    for i, (sector, label) in enumerate(zip(names, labels, strict=True)):
        x = x0 + 4 + (i % columns) * (width - 4) / columns
        y = y0 + row_h * (1 + i // columns)
        out.append(f'<circle cx="{x + 6:.0f}" cy="{y - 0.35 * font:.0f}" r="{0.45 * font:.1f}" '
                   f'fill="{sector_colour(sector)}"/><text x="{x + 1.4 * font:.0f}" y="{y:.0f}" '
                   f'font-size="{font:.1f}"{fit_attrs(label, room, font)}>{esc(label)}</text>')
    rows = math.ceil(len(names) / columns)
    return out, row_h * (rows + 1)
