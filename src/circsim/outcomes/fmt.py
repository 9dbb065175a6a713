"""Numbers, changes and dates for people, in English or Italian, through Babel.

Why Babel: the report and its figures must write ``1,234.5`` in English and ``1.234,5``
in Italian, ``+1.2 pp`` and ``+1,2 p.p.``, dates as ``1 July 2026`` and ``1 luglio 2026``;
Babel holds each locale's conventions (CLDR), so none are hand-written here.
"""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal

from circsim.outcomes.core import Outcome

LOCALES = {"en": "en_GB", "it": "it_IT"}
MINUS = "\u2212"
#: Percentage points: what a change of a share is measured in (as on the dashboard).
PP = {"en": "pp", "it": "p.p."}


def number(value: float | None, lang: str, digits: int | None = None) -> str:
    """``value`` with the locale's separators; digits chosen by size unless given."""
    if value is None or not math.isfinite(value):
        return "n/a" if lang == "en" else "n.d."
    if digits is None and value == 0:
        digits = 0
    if digits is None:
        size = abs(value)
        digits = 0 if size >= 100 else 1 if size >= 1 else 2 if size >= 0.01 else 3
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    text = format_decimal(round(value, digits) + 0.0, format=pattern, locale=LOCALES[lang])
    return text.replace("-", MINUS)


def signed(value: float, lang: str, digits: int = 1) -> str:
    """A signed number with a true minus sign: ``+1.2``, ``−3,4``."""
    text = number(abs(value), lang, digits)
    if not math.isfinite(value) or text.strip("0.,") == "":
        return text
    return ("+" if value > 0 else MINUS) + text


def percent(value: float, lang: str, digits: int = 1, sign: bool = True) -> str:
    """A relative change in % (``+12.3 %``), signed unless ``sign`` is False."""
    text = signed(value, lang, digits) if sign else number(abs(value), lang, digits)
    return f"{text} %"


def points(value: float, lang: str, digits: int = 1, sign: bool = True) -> str:
    """A change of a share in percentage points (``value`` in [−1, 1]): ``+1.2 pp``."""
    text = signed(value * 100, lang, digits) if sign else number(abs(value) * 100, lang, digits)
    return f"{text} {PP[lang]}"


def value(outcome: Outcome | None, x: float, lang: str) -> str:
    """An outcome's value as people read it: shares in %, others in their own unit."""
    if outcome is not None and outcome.unit == "share":
        return f"{number(x * 100, lang, 1)} %"
    return number(x, lang)


def change(outcome: Outcome | None, diff: float, pct: float, lang: str,
           sign: bool = True) -> str:
    """A change against the reference: percentage points for shares, % for the rest."""
    if outcome is not None and outcome.unit == "share":
        return points(diff, lang, sign=sign)
    if not math.isfinite(pct):  # a reference of zero: the change in the outcome's own unit
        return signed(diff, lang) if sign else number(abs(diff), lang)
    return percent(pct, lang, sign=sign)


def date(day: dt.date, lang: str) -> str:
    """A calendar date in words: ``29 November 2026``, ``29 novembre 2026``."""
    return format_date(day, format="long", locale=LOCALES[lang])
