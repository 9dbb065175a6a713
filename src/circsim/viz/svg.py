"""Charts drawn as inline SVG on the server: the fates of textiles and the headline lines.

Why SVG strings rather than a plotting library: they render in a few milliseconds per
month, need no JavaScript library (so nothing to fetch from a CDN in a seminar room
without network), stay sharp on a projector, and their text is in the page, where a
browser test can read it. Hovering a shape shows its exact value (SVG ``<title>``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from circsim.outcomes import FATES as _FATES
from circsim.viz.i18n import fmt_num, tr

#: The charts' text, in viewBox units. Each chart's default size is about the size it is
#: shown at on a 1280x720 screen, so this is close to on-screen pixels there (presenter
#: mode passes larger sizes and type). Every margin and gap is derived from it.
FONT = 14
GRID = "#e3e3e3"
AXIS = "#555555"
BASELINE = "#7a7a7a"

# (translation key, monthly columns, colour) per fate, from the one declaration in metrics
FATES = tuple((f"fate.{key}", cols, colour) for key, cols, colour in _FATES)


def esc(text: object) -> str:
    """Text safe inside SVG/HTML."""
    return escape(str(text), quote=True)


def nice_ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """Round tick values covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(n, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(k * mag for k in (1, 2, 2.5, 5, 10) if k * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = [round(start, 10)]
    while ticks[-1] < hi - 1e-12 * abs(hi) and len(ticks) < 20:
        ticks.append(round(start + len(ticks) * step, 10))
    return ticks


def _digits(ticks: Sequence[float]) -> int:
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    return 0 if step >= 1 else min(3, -math.floor(math.log10(step)))


@dataclass(frozen=True)
class Plot:
    """Pixel geometry of a chart: a data box inside an SVG of ``width`` x ``height``."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    months: int
    y_lo: float
    y_hi: float

    def x(self, month: float) -> float:
        span = self.width - self.left - self.right
        return self.left + span * (month - 0.5) / max(self.months, 1)

    def y(self, value: float) -> float:
        span = self.height - self.top - self.bottom
        frac = (value - self.y_lo) / (self.y_hi - self.y_lo) if self.y_hi > self.y_lo else 0
        return self.top + span * (1 - frac)


def _open(width: int, height: int, label: str, font: float) -> list[str]:
    return [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg" '
            f'style="display:block;font-size:{font:g}px">']


def text_width(text: str, font: float) -> float:
    """About how wide ``text`` is drawn (an average glyph is 0.56 em in sans-serif)."""
    return 0.56 * font * len(text)


def fit_attrs(text: str, room: float, font: float) -> str:
    """SVG attributes that narrow ``text`` to ``room`` if it would run past it."""
    if text_width(text, font) <= room:
        return ""
    return f' textLength="{max(room, font):.0f}" lengthAdjust="spacingAndGlyphs"'


def wrap(text: str, chars: int) -> list[str]:
    """``text`` in lines of about ``chars`` characters, broken between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _tick_labels(ticks: Sequence[float], lang: str) -> list[str]:
    digits = _digits(ticks)
    return [fmt_num(v, lang, digits) for v in ticks]


def axis_left(ticks: Sequence[float], lang: str, font: float) -> int:
    """Room left of the data box for the widest y label."""
    return math.ceil(max(text_width(t, font) for t in _tick_labels(ticks, lang)) + 0.8 * font)


def _year_step(p: Plot, font: float) -> int:
    """Years between labelled ticks so that year labels never touch."""
    per_year = (p.width - p.left - p.right) * 12 / max(p.months, 1)
    need = text_width("2030", font) + font
    return next(k for k in (1, 2, 3, 5, 10, 20, 50) if k * per_year >= need)


def _axes(p: Plot, ticks: list[float], start_year: int, lang: str, font: float) -> list[str]:
    """Horizontal grid with y labels, and year ticks along the bottom."""
    out = []
    for v, label in zip(ticks, _tick_labels(ticks, lang), strict=True):
        y = p.y(v)
        out.append(f'<line x1="{p.left}" x2="{p.width - p.right}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{GRID}"/>')
        out.append(f'<text x="{p.left - 0.4 * font:.1f}" y="{y + 0.35 * font:.1f}" '
                   f'text-anchor="end" fill="{AXIS}">{esc(label)}</text>')
    base = p.height - p.bottom
    out.append(f'<line x1="{p.left}" x2="{p.width - p.right}" y1="{base}" y2="{base}" '
               f'stroke="{AXIS}"/>')
    years = max(1, math.ceil(p.months / 12))
    every = _year_step(p, font)
    half = text_width("2030", font) / 2
    for k in range(0, years, every):
        x = p.x(k * 12 + 0.5)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{base}" y2="{base + 4}" '
                   f'stroke="{AXIS}"/>')
        if x + half <= p.width:          # a year whose label would be cut is left bare
            out.append(f'<text x="{max(x, half):.1f}" y="{base + 1.25 * font:.1f}" '
                       f'text-anchor="middle" fill="{AXIS}">{start_year + k}</text>')
    return out


def _points(p: Plot, ys: Sequence[float]) -> str:
    return " ".join(f"{p.x(i + 1):.1f},{p.y(v):.1f}" for i, v in enumerate(ys)
                    if math.isfinite(v))


def fates_chart(records: Sequence[dict], months: int, start_year: int, lang: str,
                width: int = 390, height: int = 330, font: float = FONT) -> str:
    """Stacked areas of where discarded textiles go each month (t/month, whole metro),
    with the legend (top layer first, last month's tonnes) in columns under the plot."""
    layers = [[sum(float(r.get(c, 0.0) or 0.0) for c in cols) for r in records]
              for _, cols, _ in FATES]
    tops = [sum(v) for v in zip(*layers, strict=True)] if records else []
    ticks = nice_ticks(0.0, max(tops, default=0.0) * 1.05 or 1.0, 4)
    names = [tr(key, lang) for key, _, _ in FATES]
    item_w = max(text_width(n, font) for n in names) + text_width("99,999 t", font) + 3 * font
    cols = max(1, min(3, int(width // item_w)))
    rows = math.ceil(len(FATES) / cols)
    row_h = 1.5 * font
    legend_h = rows * row_h + 0.5 * font
    p = Plot(width, height, axis_left(ticks, lang, font), font, font,
             round(2 * font + legend_h), months, 0.0, ticks[-1])
    out = _open(width, height, tr("fates.title", lang), font)
    out += _axes(p, ticks, start_year, lang, font)
    below = [0.0] * len(records)
    for (key, _, colour), values in zip(FATES, layers, strict=True):
        above = [b + v for b, v in zip(below, values, strict=True)]
        if records:
            xs = [p.x(i + 1) for i in range(len(records))]
            if len(records) == 1:          # a single month: a month-wide block
                xs = [xs[0] - 3, xs[0] + 3]
                above, lower = above * 2, below * 2
            else:
                lower = below
            top = " ".join(f"{x:.1f},{p.y(v):.1f}" for x, v in zip(xs, above, strict=True))
            bottom = " ".join(f"{x:.1f},{p.y(v):.1f}" for x, v in
                              zip(reversed(xs), reversed(lower), strict=True))
            last = fmt_num(values[-1], lang, 0)
            out.append(f'<polygon points="{top} {bottom}" fill="{colour}" opacity="0.9">'
                       f'<title>{esc(tr(key, lang))}: {last} t</title></polygon>')
            below = above[: len(records)]
    col_w = (width - 4) / cols
    legend_top = height - legend_h + 0.2 * font
    for i, ((key, _, colour), values) in enumerate(reversed(list(zip(FATES, layers,
                                                                      strict=True)))):
        x = 4 + (i % cols) * col_w
        y = legend_top + (i // cols) * row_h
        box = 0.85 * font
        value = f"{fmt_num(values[-1], lang, 0)} t" if values else ""
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{box:.1f}" height="{box:.1f}" '
                   f'fill="{colour}"/>')
        out.append(f'<text x="{x + 1.3 * font:.1f}" y="{y + 0.8 * font:.1f}">'
                   f'{esc(tr(key, lang))}</text>')
        out.append(f'<text x="{x + col_w - font:.1f}" y="{y + 0.8 * font:.1f}" '
                   f'text-anchor="end" fill="{AXIS}">{esc(value)}</text>')
    if not records:
        out.append(f'<text x="{(p.left + width - p.right) / 2}" y="{p.y(ticks[-1] / 2):.1f}" '
                   f'text-anchor="middle" fill="{AXIS}">{esc(tr("ui.start_hint", lang))}</text>')
    out.append("</svg>")
    return "".join(out)


#: What an outcome's unit can reach, as shown on a chart (None: no limit that side).
#: Shares are drawn in percent, so 0 to 100; the other headline units are amounts.
UNIT_BOUNDS: dict[str, tuple[float | None, float | None]] = {"share": (0.0, 100.0)}
AMOUNT_BOUNDS: tuple[float | None, float | None] = (0.0, None)


def axis_bounds(unit: str) -> tuple[float | None, float | None]:
    """The range an axis for ``unit`` may cover: a share never goes past 0-100 %, an
    amount (tonnes, kg, months, euros) never below 0."""
    return UNIT_BOUNDS.get(unit, AMOUNT_BOUNDS)


def bounded_ticks(lo: float, hi: float, n: int,
                  bounds: tuple[float | None, float | None]) -> list[float]:
    """Round ticks covering [lo, hi], none outside what the quantity can reach."""
    floor, ceiling = bounds
    ticks = nice_ticks(lo, hi, n)
    if floor is not None and ticks[0] < floor:
        ticks = [floor] + [t for t in ticks if t > floor]
    if ceiling is not None and ticks[-1] > ceiling:
        ticks = [t for t in ticks if t < ceiling] + [ceiling]
    return ticks


def metric_chart(live: Sequence[float], base: Sequence[float], months: int, start_year: int,
                 lang: str, colour: str, label: str = "",
                 width: int = 240, height: int = 140,
                 bounds: tuple[float | None, float | None] = (None, None),
                 font: float = FONT) -> str:
    """One headline metric over time: this run (solid) against the baseline (dashed);
    ``bounds``: what the quantity can reach (see :func:`axis_bounds`), which the axis
    never exceeds."""
    values = [v for v in (*live, *base) if math.isfinite(v)]
    if values:
        lo, hi = min(values), max(values)
        pad = max((hi - lo) * 0.15, abs(hi) * 0.01, 1e-3)
        ticks = bounded_ticks(lo - pad, hi + pad, 3, bounds)
    else:
        ticks = bounded_ticks(0.0, 1.0, 2, bounds)
    p = Plot(width, height, axis_left(ticks, lang, font), font // 2, font // 2,
             round(1.8 * font), months, ticks[0], ticks[-1])
    out = _open(width, height, label, font)
    out += _axes(p, ticks, start_year, lang, font)
    if base:
        out.append(f'<polyline points="{_points(p, base)}" fill="none" stroke="{BASELINE}" '
                   f'stroke-width="1.6" stroke-dasharray="5 4"><title>'
                   f'{esc(tr("chart.baseline", lang))}</title></polyline>')
        if math.isfinite(base[-1]):
            out.append(f'<circle cx="{p.x(len(base)):.1f}" cy="{p.y(base[-1]):.1f}" r="2.5" '
                       f'fill="{BASELINE}"/>')
    if live:
        out.append(f'<polyline points="{_points(p, live)}" fill="none" stroke="{colour}" '
                   f'stroke-width="2.4"><title>{esc(tr("chart.this_run", lang))}</title>'
                   '</polyline>')
        x, y = p.x(len(live)), p.y(live[-1]) if math.isfinite(live[-1]) else None
        if y is not None:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
    else:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" '
                   f'fill="{AXIS}">{esc(tr("chart.no_data", lang))}</text>')
    out.append("</svg>")
    return "".join(out)
