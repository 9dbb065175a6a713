"""Plain-text rendering of a run for the terminal: the summary block and simple tables.

Why its own module: the command line, the experiment runner and the chart's summary box
all need the same numbers with the same units and rounding, so the formatting lives in
one place. Everything here is pure (strings in, strings out) and never exceeds 80
columns, so the output reads well in a terminal, a log file or a CI job page.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from numbers import Number
from typing import Any

from circsim.outcomes import GROUPS, Outcome, headline

WIDTH = 80
LABEL_W = 30
VALUE_W = 11
UNIT_W = 14

# One metric per row: (summary key, label, unit, kind). ``kind`` chooses the format:
# "t" tonnes, "f1" one decimal, "f2" two decimals, "pct" a share in [0, 1] shown in %,
# "int" a count, "small" a quantity that is usually ~0 (ledger imbalance).
Metric = tuple[str, str, str, str]
#: How many headline outcomes the chart's summary box shows.
BOX_HEADLINES = 11


def _metric(o: Outcome, lang: str = "en") -> Metric:
    unit = "" if o.unit == "share" else o.unit_label("short" if lang == "en" else lang)
    return (o.name, o.label(lang), unit, o.display)


def sections(lang: str = "en") -> tuple[tuple[str, tuple[Metric, ...]], ...]:
    """The headline outcomes grouped as the outcome table groups them, in its order."""
    chosen = headline()
    return tuple((title[lang == "it"], tuple(_metric(o, lang) for o in chosen if o.group == g))
                 for g, title in GROUPS.items() if any(o.group == g for o in chosen))


def _as_float(value: Any) -> float | None:
    """The value as a finite float, or None when missing, non-numeric or NaN."""
    if value is None or isinstance(value, bool) or not isinstance(value, Number):
        return None
    out = float(value)  # type: ignore[arg-type]
    return out if math.isfinite(out) else None


def format_value(value: Any, kind: str) -> str:
    """Format one number by ``kind`` with thousands separators; ``n/a`` if missing."""
    v = _as_float(value)
    if v is None:
        return "n/a"
    if kind == "pct":
        return f"{v * 100:,.1f} %"
    if kind == "int":
        return f"{v:,.0f}"
    if kind == "f2":
        return f"{v:,.2f}"
    if kind == "small":
        return f"{v:.2e}" if 0 < abs(v) < 0.01 else f"{v:,.3f}"
    return f"{v:,.1f}"  # "t" and "f1"


def _value_unit(value: Any, kind: str, unit: str) -> tuple[str, str]:
    """Value and unit for an aligned column: a share's "%" moves into the unit column so
    that the digits of every row line up."""
    text = format_value(value, kind)
    if kind == "pct" and text.endswith(" %"):
        return text[:-2], f"% {unit}".rstrip()
    return text, unit


def pct_change(value: Any, base: Any) -> float | None:
    """Relative change of ``value`` against ``base`` in %, None if not computable."""
    v, b = _as_float(value), _as_float(base)
    if v is None or b is None or b == 0:
        return None
    return (v - b) / abs(b) * 100.0


def format_change(value: Any, base: Any) -> str:
    """``(-10.0 % vs baseline)`` with an ASCII sign, or '' when not computable."""
    change = pct_change(value, base)
    if change is None:
        return ""
    return f"({change:+,.1f} % vs baseline)"


def _title(summary: Mapping[str, Any]) -> str:
    """Title line(s): scenario, months, scale and seed, wrapped to the terminal width."""
    parts = [f"circsim run: {summary.get('scenario', '?')}"]
    for key, label in (("months", "months"), ("scale", "scale"), ("seed", "seed")):
        if summary.get(key) is not None:
            parts.append(f"{label} {summary[key]}")
    if summary.get("version"):
        parts.append(f"v{summary['version']}")
    return "\n".join(textwrap.wrap(" | ".join(parts), WIDTH))


def _metric_line(metric: Metric, summary: Mapping[str, Any],
                 baseline: Mapping[str, Any] | None) -> str:
    """One aligned row: label, value, unit and optionally the change vs baseline."""
    key, label, unit, kind = metric
    value = summary.get(key)
    shown, unit = _value_unit(value, kind, unit)
    text = f"  {label:<{LABEL_W}}{shown:>{VALUE_W}} {unit:<{UNIT_W}}"
    if baseline is not None and kind != "small":  # % change of numerical noise: meaningless
        change = format_change(value, baseline.get(key))
        if change:
            text = f"{text} {change}"
    return text.rstrip()[:WIDTH]


def format_summary(summary: Mapping[str, Any], baseline: Mapping[str, Any] | None = None) -> str:
    """A short multi-line block of a run's summary for the terminal.

    The headline outcomes in the outcome table's groups ("Waste", "Product life",
    "Low-income households", ...), values with
    thousands separators and units, shares as %. With ``baseline`` (another run's
    summary) each value carries its relative change, e.g. ``(-10.0 % vs baseline)``;
    the change is left out when the baseline value is 0 or missing. Lines stay within
    80 characters.
    """
    lines = [_title(summary)]
    if baseline is not None and baseline.get("scenario") is not None:
        lines.append(f"compared with: {baseline['scenario']}"[:WIDTH])
    for heading, metrics in sections():
        lines.append("")
        lines.append(heading)
        lines.extend(_metric_line(m, summary, baseline) for m in metrics)
    runtime = _as_float(summary.get("runtime_s"))
    if runtime is not None:
        lines.append("")
        lines.append(f"runtime {runtime:,.1f} s")
    return "\n".join(lines)


def headline_lines(summary: Mapping[str, Any]) -> list[str]:
    """The headline numbers as short aligned ``label  value unit`` lines (chart box)."""
    lines = []
    rows = [_metric(o) for o in headline(BOX_HEADLINES)]
    width = max(len(label) for _, label, _, _ in rows) + 1
    for key, label, unit, kind in rows:
        shown, unit = _value_unit(summary.get(key), kind, unit)
        lines.append(f"{label:<{width}}{shown:>11} {unit}".rstrip())
    return lines


def _cell(value: Any) -> str:
    """Format one table cell: numbers with thousands separators, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Number):
        v = _as_float(value)
        if v is None:
            return "n/a"
        if float(v).is_integer() and not isinstance(value, float):
            return f"{int(v):,}"
        return f"{v:,.2f}" if abs(v) >= 0.01 or v == 0 else f"{v:.2e}"
    return str(value)


def format_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A simple aligned text table: header, rule, one line per row.

    Numeric columns are right-aligned, others left-aligned; every line (header and
    rule included) has the same width so the table can be framed or diffed. Missing
    keys give empty cells.
    """
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    numeric = [
        all(isinstance(row.get(c), Number) or row.get(c) is None for row in rows)
        and any(row.get(c) is not None for row in rows)
        for c in columns
    ]
    widths = [
        max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        )

    out = [line(list(columns)), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    return "\n".join(out)
