"""The report's sentences: numbers with unit and period, verbs that follow the direction.

Why its own module: "reduces waste by 15.4 %" rather than "changes waste by −15.4 %",
a period on every total ("total over 10 years") and a sentence for the shape of each
effect over the years are the same rules in both languages; keeping them here keeps the
page builder to layout.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from circsim.outcomes import BY_NAME, fmt
from circsim.report.effects import shape
from circsim.report.i18n import text


def years_text(months: int, lang: str) -> str:
    """A run's length in years: ``10``, or ``2,5``."""
    return fmt.number(months / 12, lang, 0 if months % 12 == 0 else 1)


def last_month(start_year: int, months: int) -> dt.date:
    """The first day of the run's last month."""
    m = months - 1
    return dt.date(start_year + m // 12, m % 12 + 1, 1)


def month_text(day: dt.date, lang: str) -> str:
    """``December 2035``, ``dicembre 2035``."""
    from babel.dates import format_date

    return format_date(day, format="LLLL y", locale=fmt.LOCALES[lang])


def period(metric: str, months: int, start_year: int, lang: str) -> str:
    """What period a run's value covers: ``total over 10 years``, ``in December 2035``."""
    o = BY_NAME.get(metric)
    if o is None:
        return ""
    kind = {"annual": "per_year", "none": "mean"}.get(o.aggregate, o.aggregate)
    date = month_text(last_month(start_year, months), lang)
    return text(lang, f"period_{kind}", years=years_text(months, lang), date=date)


def heading(metric: str, months: int, start_year: int, lang: str) -> str:
    """A metric's name, unit and period: ``Textile waste (t, total over 10 years)``."""
    o = BY_NAME.get(metric)
    if o is None:
        return metric
    unit = o.unit_label(lang)
    when = period(metric, months, start_year, lang)
    inner = ", ".join(x for x in (unit, when) if x)
    return f"{o.label(lang)} ({inner})" if inner else o.label(lang)


def significant(row) -> bool:
    return bool(row["diff_ci_low"] > 0 or row["diff_ci_high"] < 0)


def magnitude(metric: str, row, lang: str) -> tuple[str, str]:
    """The size of a change without its sign, and its 95 % interval in the same units."""
    o = BY_NAME.get(metric)
    share = o is not None and o.unit == "share"
    low, high = ((row["diff_ci_low"], row["diff_ci_high"]) if share
                 else (row["pct_ci_low"], row["pct_ci_high"]))
    if row["diff"] < 0:
        low, high = -high, -low
    size = fmt.change(o, row["diff"], row["pct_change"], lang, sign=False)
    one = (lambda x: fmt.points(x, lang, sign=False)) if share else \
        (lambda x: fmt.percent(x, lang, sign=False))
    ci = text(lang, "ci", low=one(low) if low >= 0 else fmt.change(o, low, low, lang),
              high=one(high))
    return size, ci


def directed(metric: str, row, what: str, verbs: tuple[str, str], lang: str) -> str:
    """``reduces <what> by 15.4 % (95 % CI …)`` with the verb of the change's direction
    (``verbs``: the verb for less, for more), or ``leaves <what> about unchanged``."""
    size, ci = magnitude(metric, row, lang)
    if not significant(row):
        change = fmt.change(BY_NAME.get(metric), row["diff"], row["pct_change"], lang)
        return text(lang, "unchanged", what=what, change=change,
                    ns=text(lang, "not_significant" if row["diff_ci_low"] == row["diff_ci_low"]
                            else "ci_undefined"))
    verb = verbs[0] if row["diff"] < 0 else verbs[1]
    return text(lang, "by", verb=verb, what=what, change=size, ci=ci)


def effect_cell(metric: str, row: pd.Series, lang: str) -> str:
    """One year's change: ``−9.6 % (−9.7 … −9.5)`` or ``+7.1 pp (…)``."""
    o = BY_NAME.get(metric)
    if o is not None and o.unit == "share":
        return (f"{fmt.points(row['diff'], lang)} ({fmt.signed(row['ci_low'] * 100, lang)} "
                f"\u2026 {fmt.signed(row['ci_high'] * 100, lang)})")
    base = abs(row["reference"]) or float("nan")
    return (f"{fmt.percent(row['pct'], lang)} ({fmt.signed(row['ci_low'] / base * 100, lang)} "
            f"\u2026 {fmt.signed(row['ci_high'] / base * 100, lang)})")


def _size(metric: str, row: pd.Series, lang: str) -> str:
    o = BY_NAME.get(metric)
    return fmt.change(o, row["diff"], row["pct"], lang)


def profile_sentence(metric: str, rows: pd.DataFrame, lang: str) -> str:
    """One sentence on how a metric's effect changes over the years (from :func:`shape`)."""
    kind, f = shape(rows)
    o = BY_NAME.get(metric)
    what = o.label(lang) if o is not None else metric
    values = {"what": what, "peak_year": f["peak_year"], "first_year": f["first_year"],
              "last_year": f["last_year"], "peak": _size(metric, f["peak"], lang),
              "first": _size(metric, f["first"], lang), "last": _size(metric, f["last"], lang)}
    if kind == "steady":
        sizes = rows.apply(lambda r: (r["diff"] * 100 if o is not None and o.unit == "share"
                                      else r["pct"]), axis=1)
        pick = (lambda x: fmt.points(x / 100, lang)) if o is not None and o.unit == "share" \
            else (lambda x: fmt.percent(x, lang))
        values.update(low=pick(float(sizes.min())), high=pick(float(sizes.max())))
    return text(lang, f"shape_{kind}", **values)
