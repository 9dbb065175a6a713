"""A Sankey-style picture of the ledger's flows: from fibre to households to final fates.

Nodes are the ledger's nodes in columns (inputs, firms, households, collection,
sorting and recycling, fates); a band's width is tonnes per month. Material that
goes back into use (charity shops, free garments, peer resale, recycled fibre) flows
right to left: those bands loop underneath the picture, so the circular part of the
economy is the part one sees below.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from circsim.viz.i18n import fmt_num, tr
from circsim.viz.svg import FONT, esc, text_width, wrap

COLUMNS: dict[str, int] = {
    "virgin_fibre": 0, "recycled_fibre": 0,
    "firms": 1,
    "households": 2,
    "peer_listings": 3, "cooperatives": 3,
    "coop_shops": 4, "coop_free_stock": 4, "recyclers": 4,
    "reuse_abroad": 5, "recycled_out": 5, "sector_inputs": 5, "waste_abroad": 5,
    "incineration": 5, "landfill": 5,
}
#: Ledger nodes of other sectors' own byproducts (wood, paper, packaging, ...): the picture
#: is of textiles, and those tonnes would dwarf it; textiles other sectors take still show
#: (into ``sector_inputs``).
OTHER_SECTORS = ("sector_byproducts", "sector_disposal")
ORDER = list(COLUMNS)   # top-to-bottom order within a column
COLOURS = {
    "virgin_fibre": "#8c8c8c", "recycled_fibre": "#0072B2", "firms": "#7b3294",
    "households": "#e69f00", "peer_listings": "#009E73", "cooperatives": "#e66101",
    "coop_shops": "#009E73", "coop_free_stock": "#009E73", "recyclers": "#0571b0",
    "reuse_abroad": "#56B4E9", "recycled_out": "#0072B2", "sector_inputs": "#0072B2",
    "waste_abroad": "#E69F00",
    "incineration": "#D55E00", "landfill": "#6E6E6E",
}
CENTRED = (0, 1, 2)   # columns centred vertically; collection and sorting sit at the top
NODE_W = 14
TOP = 12              # room above the first label
PAD = 16
MIN_T = 0.05          # t/month: thinner flows are left out
WRAP = 12             # characters per line of a node's name before it wraps


def _links(flows: Mapping[tuple[str, str, str], float]) -> dict[tuple[str, str], dict]:
    links: dict[tuple[str, str], dict] = {}
    for (src, route, dst), t in flows.items():
        if src not in COLUMNS or dst not in COLUMNS or t <= 0:
            continue
        link = links.setdefault((src, dst), {"t": 0.0, "routes": defaultdict(float)})
        link["t"] += t
        link["routes"][route] += t
    return {k: v for k, v in links.items() if v["t"] >= MIN_T}


def _spread(wanted: list[float], heights: list[float], lo: float) -> list[float]:
    """Tops of labels stacked in a column: each as near its wish, none overlapping."""
    tops, floor = [], lo
    for y, h in zip(wanted, heights, strict=True):
        tops.append(max(y, floor))
        floor = tops[-1] + h
    return tops


def _node_labels(nodes: list[str], top: dict[str, float], h: dict[str, float],
                 label: dict[str, list[str]], x: dict[str, float], font: float) -> list[str]:
    """Each node's name and tonnes beside it, moved down where they would overlap."""
    line = 1.15 * font
    out = []
    for c in sorted({COLUMNS[n] for n in nodes}):
        ns = sorted((n for n in nodes if COLUMNS[n] == c), key=lambda n: top[n])
        heights = [len(label[n]) * line for n in ns]
        wanted = [top[n] + h[n] / 2 - hh / 2 for n, hh in zip(ns, heights, strict=True)]
        for n, y in zip(ns, _spread(wanted, heights, 0.0), strict=True):
            spans = "".join(f'<tspan x="{x[n]:.1f}" dy="{line if i else 0.85 * font:.1f}">'
                            f'{esc(t)}</tspan>' for i, t in enumerate(label[n]))
            out.append(f'<text x="{x[n]:.1f}" y="{y:.1f}" paint-order="stroke" '
                       f'stroke="white" stroke-width="3" font-weight="600">{spans}</text>')
    return out


def sankey(flows: Mapping[tuple[str, str, str], float], months: int, lang: str,
           width: int = 820, main_h: int = 300, font: float = FONT) -> str:
    """The flows (t/month, whole metro, averaged over ``months``) as an SVG string; each
    node's name wraps so that it fits between its column and the next."""
    links = _links(flows)
    t_in: dict[str, float] = defaultdict(float)
    t_out: dict[str, float] = defaultdict(float)
    for (s, d), link in links.items():
        t_out[s] += link["t"]
        t_in[d] += link["t"]
    nodes = [n for n in ORDER if t_in[n] + t_out[n] > 0]
    value = {n: max(t_in[n], t_out[n]) for n in nodes}
    cols: dict[int, list[str]] = defaultdict(list)
    for n in nodes:
        cols[COLUMNS[n]].append(n)
    label_w, left = text_width("x" * WRAP, font) + 8, 2 * font
    col_x = {c: left + c * (width - left - label_w - NODE_W) / 5 for c in range(6)}
    biggest = max((sum(value[n] for n in ns) for ns in cols.values()), default=1.0)
    most = max((len(ns) for ns in cols.values()), default=1)
    k = (main_h - PAD * (most - 1)) / max(biggest, 1e-9)
    top: dict[str, float] = {}
    for c, ns in cols.items():
        height = sum(value[n] * k for n in ns) + PAD * (len(ns) - 1)
        y = TOP + ((main_h - height) / 2 if c in CENTRED else 0.0)
        for n in ns:
            top[n] = y
            y += value[n] * k + PAD

    def mid(n: str) -> float:
        return top[n] + value[n] * k / 2

    forward = {key: lk for key, lk in links.items() if COLUMNS[key[1]] > COLUMNS[key[0]]}
    backward = {key: lk for key, lk in links.items() if key not in forward}
    out_y = dict(top)
    in_y = dict(top)
    paths: list[str] = []
    for (s, _), lk in sorted(forward.items(), key=lambda kv: (mid(kv[0][1]), mid(kv[0][0]))):
        lk["y0"] = out_y[s]
        out_y[s] += lk["t"] * k
    for (_, d), lk in sorted(forward.items(), key=lambda kv: (mid(kv[0][0]), mid(kv[0][1]))):
        lk["y1"] = in_y[d]
        in_y[d] += lk["t"] * k
    span = {key: col_x[COLUMNS[key[0]]] - col_x[COLUMNS[key[1]]] for key in backward}
    lane = TOP + main_h + 18.0
    for key in sorted(backward, key=lambda kk: span[kk]):
        lk = backward[key]
        th = max(lk["t"] * k, 1.0)
        lk["y0"], lk["y1"], lk["lane"] = out_y[key[0]], in_y[key[1]], lane + th / 2
        out_y[key[0]] += lk["t"] * k
        in_y[key[1]] += lk["t"] * k
        lane += th + 8
    height = int(lane + 40)
    for (s, d), lk in links.items():
        th = max(lk["t"] * k, 1.0)
        y0, y1 = lk["y0"] + th / 2, lk["y1"] + th / 2
        x0, x1 = col_x[COLUMNS[s]] + NODE_W, col_x[COLUMNS[d]]
        if (s, d) in forward:
            xm = (x0 + x1) / 2
            path = f"M{x0:.1f},{y0:.1f} C{xm:.1f},{y0:.1f} {xm:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
        else:
            ly = lk["lane"]
            r0 = min(70.0, max(24.0, (ly - y0) / 2.5))
            r1 = min(70.0, max(24.0, (ly - y1) / 2.5))
            path = (f"M{x0:.1f},{y0:.1f} C{x0 + r0:.1f},{y0:.1f} {x0 + r0:.1f},{ly:.1f} "
                    f"{x0:.1f},{ly:.1f} L{x1:.1f},{ly:.1f} C{x1 - r1:.1f},{ly:.1f} "
                    f"{x1 - r1:.1f},{y1:.1f} {x1:.1f},{y1:.1f}")
        routes = " · ".join(f"{tr('route.' + r, lang)} {fmt_num(t, lang, 1)}"
                            for r, t in sorted(lk["routes"].items(), key=lambda rt: -rt[1]))
        tip = (f"{tr('node.' + s, lang)} → {tr('node.' + d, lang)}: "
               f"{fmt_num(lk['t'], lang, 1)} t ({routes})")
        paths.append(f'<path d="{path}" fill="none" stroke="{COLOURS[s]}" '
                     f'stroke-opacity="0.38" stroke-width="{th:.1f}">'
                     f'<title>{esc(tip)}</title></path>')
    title = tr("flows.title", lang, n=months) if months != 1 else tr("flows.title1", lang)
    out = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg" '
           f'style="display:block;font-size:{font:g}px">', *paths]
    heights, labels, xs = {}, {}, {}
    for n in nodes:
        x, heights[n] = col_x[COLUMNS[n]], max(value[n] * k, 1.0)
        tonnes = f"{fmt_num(value[n], lang, 0 if value[n] >= 10 else 1)} t"
        labels[n], xs[n] = [*wrap(tr("node." + n, lang), WRAP), tonnes], x + NODE_W + 5
        out.append(f'<rect x="{x:.1f}" y="{top[n]:.1f}" width="{NODE_W}" '
                   f'height="{heights[n]:.1f}" fill="{COLOURS[n]}"><title>'
                   f'{esc(tr("node." + n, lang))} {tonnes}</title></rect>')
    out += _node_labels(nodes, top, heights, labels, xs, font)
    if not nodes:
        out.append(f'<text x="{width / 2}" y="{TOP + main_h / 2}" text-anchor="middle" '
                   f'fill="#555">{esc(tr("ui.start_hint", lang))}</text>')
    out.append("</svg>")
    return "".join(out)
