"""What an outcome is: its declaration, how it aggregates over a run, and its units.

An :class:`Outcome` is declared once (in :mod:`circsim.outcomes.table`) with its name,
unit, monthly computation, run aggregation, direction (more or less is better), English
and Italian labels, group and headline rank. The monthly record, the run summary, the
command line, the experiments, the report, the dashboard, the calibration and the ODD
all read that one declaration.

Monthly values are computed from a :class:`MonthView`: the month's ledger flows, tallies
and agent state, with the quantities several outcomes share computed once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from circsim.outcomes.view import MonthView

Better = Literal["more", "less"] | None
#: How an outcome becomes one number for a run.
#: ``sum``: total over the months; ``mean``: mean of the monthly values (months without a
#: value skipped); ``last``: the value in the last month; ``ratio``: the sum of its
#: numerator over the sum of its denominator; ``per_year``: the total of another outcome
#: divided by the run's years; ``annual``: the mean of another outcome times 12;
#: ``end``: computed from the model's state at the end of the run; ``none``: monthly only.
Aggregate = Literal["sum", "mean", "last", "ratio", "per_year", "annual", "end", "none"]

#: Units, declared once: key -> (short, for terminals; English; Italian).
UNITS: dict[str, tuple[str, str, str]] = {
    "t": ("t", "t", "t"),
    "t/yr": ("t/yr", "t per year", "t all'anno"),
    "kg": ("kg", "kg", "kg"),
    "kg/inh/yr": ("kg/inh/yr", "kg per resident per year", "kg per abitante all'anno"),
    "kg/household/yr": ("kg/hh/yr", "kg per household per year", "kg per famiglia all'anno"),
    "kg/household": ("kg/hh", "kg per household", "kg per famiglia"),
    "months": ("months", "months", "mesi"),
    "owners": ("owners", "owners", "proprietari"),
    "share": ("%", "%", "%"),
    "t CO2e": ("t CO2e", "t CO2e", "t CO2e"),
    "FTE": ("FTE", "FTE", "ETP"),
    "FTE/kt": ("FTE/kt", "FTE per 1 000 t", "ETP per 1 000 t"),
    "EUR": ("EUR", "EUR", "EUR"),
    "EUR/yr": ("EUR/yr", "EUR per year", "EUR all'anno"),
    "MWh": ("MWh", "MWh", "MWh"),
    "count": ("", "", ""),
    "count/household/yr": ("/hh/yr", "per household per year", "per famiglia all'anno"),
    "items/inh": ("items/inh", "items per resident", "capi per abitante"),
    "index": ("", "", ""),
}

#: Groups of outcomes, in the order they are shown: key -> (English, Italian).
GROUPS: dict[str, tuple[str, str]] = {
    "waste": ("Waste", "Rifiuti"),
    "life": ("Product life", "Durata dei prodotti"),
    "use": ("Use of garments", "Uso dei capi"),
    "low_income": ("Low-income households", "Famiglie a basso reddito"),
    "flows": ("Material flows", "Flussi di materiale"),
    "symbiosis": ("Industrial symbiosis", "Simbiosi industriale"),
    "climate": ("Climate", "Clima"),
    "social": ("Jobs and enterprises", "Lavoro e imprese"),
    "money": ("Costs and revenues", "Costi e ricavi"),
    "behaviour": ("Behaviour and design", "Comportamenti e design"),
    "check": ("Checks", "Controlli"),
}

#: Display formats: "t" tonnes (no decimals past 1), "f1"/"f2" decimals, "pct" a share
#: shown in %, "int" a count, "small" a quantity that is usually about zero.
Format = Literal["t", "f1", "f2", "pct", "int", "small"]
_DEFAULT_FORMAT: dict[str, Format] = {"share": "pct", "count": "int", "FTE": "int",
                                      "EUR": "t", "EUR/yr": "t", "t": "t", "t CO2e": "t",
                                      "t/yr": "t"}

MonthFn = Callable[["MonthView"], float]


@dataclass(frozen=True)
class Outcome:
    """One outcome of the model, declared once.

    Attributes:
        name: the key in ``monthly.parquet``, ``summary.json`` and every table.
        unit: a key of :data:`UNITS`.
        group: a key of :data:`GROUPS`.
        en, it: the label shown to people (no unit: the unit is added where needed).
        doc: what it measures and how, for the ODD and ``circsim outcomes``.
        monthly: how the month's value is computed (None: the outcome exists only in the
            run summary, from ``of`` or ``at_end``).
        aggregate: how a run's months become one number (see :data:`Aggregate`).
        num, den: for ``ratio``: the numerator and denominator each month.
        of: for ``per_year`` and ``annual``: the monthly outcome they are computed from.
        at_end: for ``end``: the summary value from the model at the end of the run.
        better: whether more or less is better (None: neither).
        headline: rank among the headline outcomes (1 = first), None if not a headline.
        colour: the colour that draws it in charts (headline outcomes).
        fmt: display format (default from the unit).
        integer: whether the summary value is a whole number.
    """

    name: str
    unit: str
    group: str
    en: str
    it: str
    doc: str
    monthly: MonthFn | None = None
    aggregate: Aggregate = "sum"
    num: MonthFn | None = None
    den: MonthFn | None = None
    of: str | None = None
    at_end: Callable[[Any], float] | None = None
    better: Better = None
    headline: int | None = None
    colour: str | None = None
    fmt: Format | None = None
    integer: bool = False

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"outcome {self.name}: unknown unit {self.unit!r}")
        if self.group not in GROUPS:
            raise ValueError(f"outcome {self.name}: unknown group {self.group!r}")
        if self.aggregate == "ratio" and (self.num is None or self.den is None):
            raise ValueError(f"outcome {self.name}: a ratio needs num and den")
        if self.aggregate in ("per_year", "annual") and self.of is None:
            raise ValueError(f"outcome {self.name}: {self.aggregate} needs `of`")
        if self.aggregate == "end" and self.at_end is None:
            raise ValueError(f"outcome {self.name}: `end` needs at_end")
        if self.monthly is None and self.num is None and self.aggregate not in (
                "per_year", "annual", "end"):
            raise ValueError(f"outcome {self.name}: no monthly computation")

    @property
    def is_monthly(self) -> bool:
        """Whether the outcome has a column in the monthly record."""
        return self.monthly is not None or self.aggregate == "ratio"

    @property
    def in_summary(self) -> bool:
        """Whether the outcome has a value in the run summary."""
        return self.aggregate != "none"

    @property
    def display(self) -> Format:
        """The format its values are shown in."""
        return self.fmt or _DEFAULT_FORMAT.get(self.unit, "f1")

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` (``en`` or ``it``)."""
        return self.it if lang == "it" else self.en

    def unit_label(self, lang: str = "en") -> str:
        """The unit as shown to people in ``lang`` (``short``: the terminal's short form)."""
        short, en, it = UNITS[self.unit]
        return {"short": short, "it": it}.get(lang, en)

    def label_with_unit(self, lang: str = "en") -> str:
        """``Label (unit)``, or the label alone for unitless outcomes and shares in %."""
        unit = "" if self.unit == "share" else self.unit_label(lang)
        return f"{self.label(lang)} ({unit})" if unit else self.label(lang)

    def hidden_columns(self) -> tuple[str, str]:
        """The record's raw numerator and denominator columns of a ratio (never shown)."""
        return f"{self.name}_num_sim", f"{self.name}_den_sim"
