"""The policy levers as dashboard controls, read from the scenario schema.

Why from the schema: a lever or a range added to ``Policies`` shows up in the
dashboard with the same bounds that validation enforces, and a value set in the page
is validated like one read from a file. Months are bounded by the run's horizon
(a lever starting after the last month never acts); a field with no upper bound in
the schema gets a demo bound from :data:`DEMO_MAX`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, get_args

from annotated_types import Ge, Gt, Le, Lt

from circsim.scenario.schema import FIRM_SIZES, Policies, Scenario

Kind = Literal["switch", "float", "int", "month", "optional_month", "sizes"]

DEMO_MAX = {"coop_sorting_grant_t_month": 1000.0}   # t/month: ten times the bundled grant
UNIT_KEYS = {
    "fee_eur_per_kg": "unit.eur_per_kg",
    "eur_per_t": "unit.eur_per_t",
    "eur_per_repair": "unit.eur_per_repair",
    "reach_km": "unit.km",
    "bins_per_10k_residents": "unit.per_10k",
    "coop_sorting_grant_t_month": "unit.t_month",
}


@dataclass(frozen=True)
class FieldSpec:
    """One control: which lever and key, what kind, its bounds and step."""

    lever: str
    name: str
    kind: Kind
    lo: float = 0.0
    hi: float = 1.0
    step: float = 1.0
    percent: bool = False        # a share in [0, 1] shown as %
    unit_key: str | None = None  # i18n key of the unit

    @property
    def label_key(self) -> str:
        if self.name in ("start_month", "end_month"):
            return f"field.{self.name}"
        return f"field.{self.lever}.{self.name}"


def _bounds(metadata: list[Any]) -> tuple[float | None, float | None, bool]:
    lo = hi = None
    strict_lo = False
    for m in metadata:
        if isinstance(m, Ge):
            lo = float(m.ge)
        elif isinstance(m, Gt):
            lo, strict_lo = float(m.gt), True
        elif isinstance(m, Le):
            hi = float(m.le)
        elif isinstance(m, Lt):
            hi = float(m.lt)
    return lo, hi, strict_lo


def _decimals(x: float) -> int:
    text = f"{x:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _float_spec(lever: str, name: str, metadata: list[Any],
                values: list[float]) -> FieldSpec:
    lo, hi, strict_lo = _bounds(metadata)
    lo = 0.0 if lo is None else lo
    hi = DEMO_MAX.get(name, lo + 100.0) if hi is None else hi
    if lo == 0.0 and hi == 1.0:
        return FieldSpec(lever, name, "float", lo, hi, 0.01, percent=True)
    step = 10.0 ** (math.floor(math.log10(hi - lo)) - 3)
    finest = max((_decimals(v) for v in values), default=0)
    step = min(step, 10.0 ** -min(finest, 2))
    if strict_lo:
        lo += step
    return FieldSpec(lever, name, "float", lo, hi, step, unit_key=UNIT_KEYS.get(name))


def lever_fields(scenario: Scenario) -> dict[str, list[FieldSpec]]:
    """Controls of every lever, in schema order: switch, lever's own keys, start, end."""
    horizon = float(scenario.months)
    out: dict[str, list[FieldSpec]] = {}
    for lever, info in Policies.model_fields.items():
        model_cls = info.annotation
        current = getattr(scenario.policies, lever)
        specs = [FieldSpec(lever, "enabled", "switch")]
        months = []
        for name, field in model_cls.model_fields.items():
            if name == "enabled":
                continue
            if name in ("start_month", "end_month", "medium_firms_from_month"):
                kind: Kind = "month" if name == "start_month" else "optional_month"
                spec = FieldSpec(lever, name, kind, 0.0 if kind != "month" else 1.0, horizon)
                (months if name != "medium_firms_from_month" else specs).append(spec)
            elif name == "firm_sizes":
                specs.append(FieldSpec(lever, name, "sizes"))
            elif field.annotation is int:
                lo, hi, _ = _bounds(field.metadata)
                specs.append(FieldSpec(lever, name, "int", lo or 0.0, hi or 100.0, 1.0))
            else:
                values = [float(field.default), float(getattr(current, name))]
                specs.append(_float_spec(lever, name, field.metadata, values))
        out[lever] = specs + months
    return out


def size_options() -> tuple[str, ...]:
    """Firm sizes a destruction ban may cover."""
    return FIRM_SIZES


def clean_value(spec: FieldSpec, value: Any) -> Any:
    """A control's value as the schema wants it (rounded floats, None for 'no end')."""
    if spec.kind == "switch":
        return bool(value)
    if spec.kind == "sizes":
        allowed = get_args(get_args(Policies.model_fields["destruction_ban"].annotation
                                    .model_fields["firm_sizes"].annotation)[0])
        return [s for s in allowed if s in set(value)]
    if spec.kind == "optional_month":
        return None if value is None or int(value) <= 0 else int(value)
    if spec.kind in ("month", "int"):
        return int(round(float(value)))
    digits = max(_decimals(spec.step), 0)
    return float(min(max(round(float(value), digits), spec.lo), spec.hi))


def with_levers(scenario: Scenario, levers: dict[str, dict[str, Any]]) -> Scenario:
    """``scenario`` with its policies replaced by ``levers`` (validated like a file)."""
    return scenario.model_copy(update={"policies": Policies.model_validate(levers)})


def levers_off(scenario: Scenario) -> Scenario:
    """``scenario`` with no lever at all: its own baseline."""
    return scenario.model_copy(update={"policies": Policies()})
