"""Scenario keys that have retired: one table, and how old files keep loading.

When a key's mechanism is replaced, its old dotted key goes into :data:`RETIRED`
with the key that replaces it (or None), a short note and, if the meaning of the
value changed, a function turning an old value into a new one. A file, an
``extends:`` parent, an override or an experiment's path that still uses the old
key loads as before: the key is translated (or dropped) before validation and a
:class:`RetiredKeyWarning` names the place and the replacement. Giving both the
old key and its replacement in one place is an error, since one would silently
lose. Nothing is ever ignored without a word.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import CircsimWarning, ScenarioError, show_value
from .yamlio import KeyPath


class RetiredKeyWarning(CircsimWarning, FutureWarning):
    """A retired scenario key was used; it was translated to its replacement (or dropped).

    A ``FutureWarning`` rather than a ``DeprecationWarning``: it is meant for the people
    who write scenario files, and Python hides ``DeprecationWarning`` outside ``__main__``.
    """


@dataclass(frozen=True)
class Retired:
    """What became of a retired key: its replacement (or None), why, and how values map."""

    replacement: str | None
    note: str
    translate: Callable[[Any], Any] | None = None

    def value(self, old: Any) -> Any:
        """The replacement's value for the old key's value (ValueError if it has none)."""
        if self.translate is None:
            return old
        try:
            return self.translate(old)
        except (TypeError, ValueError, ArithmeticError) as err:
            raise ValueError(f"cannot translate {show_value(old)} to {self.replacement} "
                             f"({err})") from None


def _negate(value: Any) -> float:
    """A yearly decline of quality (0.01) as a yearly change of durability (-0.01)."""
    return -float(value)


#: Retired dotted key -> what became of it.
RETIRED: dict[str, Retired] = {
    "cooperatives.grade_shares": Retired(
        None, "grades follow from the condition of what is sorted: see "
        "cooperatives.rewearable_share_out_of_use, rewearable_share_worn_out, "
        "condition_loss_per_year and recyclable_share_of_rest"),
    "cooperatives.quality_decline_per_year": Retired(
        "firms.durability_change_per_year", "quality falls through the durability of "
        "what is bought, not a clock; the decline becomes a negative change", _negate),
    "cooperatives.export_reuse_share": Retired(
        "cooperatives.abroad_reuse_share", "the share worn again abroad at the reference "
        "condition; better lots are worn again more"),
    "cooperatives.jobs_per_kt_collected": Retired(
        None, "jobs come from the hours of each activity performed: see the labour section; "
        "jobs per 1 000 t collected is now an outcome, checked against RREUSE"),
    "recyclers.jobs_per_kt": Retired(
        None, "jobs come from the hours worked: see labour.recycling_hours_per_t"),
    "climate.reuse_credit_kg_per_kg": Retired(
        None, "reuse is credited only through the production it displaces: at home through "
        "households' purchases, abroad through climate.export_displacement_rate"),
    "households.repair_min_price_share": Retired(
        None, "repair bills vary (households.repair_cost_sigma) and a repair costs time as "
        "well as money (households.repair_hassle_eur), so a voucher matters until repair is "
        "free without a floor on the price"),
}


def message(old: str, where: str) -> str:
    """The one-line warning: ``where: old is retired; use new (note)``."""
    retired = RETIRED[old]
    use = (f"use {retired.replacement}" if retired.replacement
           else "it has no replacement and is ignored")
    note = f" ({retired.note})" if retired.note else ""
    return f"{where}: {old} is retired; {use}{note}"


def warn(old: str, where: str) -> None:
    """Emit the :class:`RetiredKeyWarning` for ``old`` used at ``where`` (``file:line``)."""
    warnings.warn(message(old, where), RetiredKeyWarning, stacklevel=3)


def conflict(old: str, where: str, new_where: str | None = None) -> str:
    """The problem line when a retired key and its replacement are both given."""
    new = RETIRED[old].replacement
    also = f" (at {new_where})" if new_where and new_where != where else ""
    return (f"{where}: {old} is retired and {new} replaces it, but {new} is also "
            f"given{also}; give only {new}")


# -- nested mappings: a scenario file, or one override in nested form ---------------------


def retire_nested(
    data: dict[str, Any], lines: dict[KeyPath, int], label: str
) -> dict[str, Any]:
    """One file's mapping with retired keys translated (``data`` itself is not changed).

    ``lines`` (key path -> line) is updated in place: it moves with the keys, so that
    a validation error in a translated value still points at the line the author wrote.
    """
    if not RETIRED:
        return data
    data = _copy_mappings(data)
    for old in sorted(RETIRED, key=lambda k: -k.count(".")):
        path = tuple(old.split("."))
        parent = _section(data, path[:-1])
        if parent is None or path[-1] not in parent:
            continue
        line = lines.get(path)
        where = f"{label}:{line}" if line is not None else label
        retired = RETIRED[old]
        if retired.replacement is None:
            del parent[path[-1]]
            _move_lines(lines, path, None, None)
            warn(old, where)
            continue
        new = tuple(retired.replacement.split("."))
        if _has(data, new):
            new_line = lines.get(new)
            raise ScenarioError(label, [conflict(old, where, None if new_line is None
                                                 else f"{label}:{new_line}")])
        try:
            value = retired.value(parent.pop(path[-1]))
        except ValueError as err:
            raise ScenarioError(label, [f"{where}: {old}: {err}"]) from None
        _put(data, new, value)
        _move_lines(lines, path, new, line if retired.translate is not None else None)
        warn(old, where)
    return data


def _copy_mappings(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of every nested mapping (values other than mappings are shared)."""
    return {k: _copy_mappings(v) if isinstance(v, dict) else v for k, v in data.items()}


def _section(data: Mapping[str, Any], path: KeyPath) -> dict[str, Any] | None:
    for part in path:
        data = data.get(part) if isinstance(data, Mapping) else None
    return data if isinstance(data, dict) else None


def _has(data: Mapping[str, Any], path: KeyPath) -> bool:
    parent = _section(data, path[:-1])
    return parent is not None and path[-1] in parent


def _put(data: dict[str, Any], path: KeyPath, value: Any) -> None:
    for part in path[:-1]:
        if not isinstance(data.get(part), dict):
            data[part] = {}
        data = data[part]
    data[path[-1]] = value


def _move_lines(
    lines: dict[KeyPath, int], old: KeyPath, new: KeyPath | None, whole: int | None
) -> None:
    """Re-key the lines under ``old`` to ``new`` (all to ``whole`` if the value changed)."""
    moved = {key: line for key, line in lines.items() if key[: len(old)] == old}
    for key in moved:
        del lines[key]
    if new is None:
        return
    if whole is not None:
        lines[new] = whole
        return
    for key, line in moved.items():
        lines[(*new, *key[len(old):])] = line


# -- dotted mappings: overrides and experiment paths --------------------------------------


def retire_dotted(
    keys: Mapping[str, Any],
    label: str,
    where: Callable[[str], str] | None = None,
    convert: Callable[[Retired, Any], Any] | None = None,
) -> dict[str, Any]:
    """A mapping of dotted keys with retired keys replaced (warned) or dropped.

    ``label`` names the source in errors; ``where(key)`` the place a key was given
    (``file:line``; default: the label); ``convert(retired, value)`` makes the new
    value (default: :meth:`Retired.value`; experiments pass one that maps every value
    of a grid or both ends of a range).
    A key *under* a retired key (``old.sub``) moves under the replacement when the
    value keeps its meaning. Raises :class:`ScenarioError` on a conflict.
    """
    if not RETIRED:
        return dict(keys)
    where = where or (lambda key: label)
    convert = convert or (lambda retired, value: retired.value(value))
    out: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in keys.items():
        old = _retired_above(str(key))
        if old is None:
            out[key] = value
            continue
        retired = RETIRED[old]
        if retired.replacement is None:
            warn(old, where(key))
            continue
        if key != old and retired.translate is not None:
            problems.append(f"{where(key)}: {old} is retired and its values change meaning; "
                            f"set {retired.replacement} instead of {key}")
            continue
        new = retired.replacement + str(key)[len(old):]
        clash = [k for k in keys if _overlaps(str(k), new) and _retired_above(str(k)) is None]
        if clash:
            problems.append(conflict(old, where(key), where(clash[0])))
            continue
        try:
            out[new] = convert(retired, value) if key == old else value
        except ValueError as err:
            problems.append(f"{where(key)}: {old}: {err}")
            continue
        warn(old, where(key))
    if problems:
        raise ScenarioError(label, problems)
    return out


def _retired_above(key: str) -> str | None:
    """The retired key that is ``key`` or contains it (``a.b`` for ``a.b.c``), if any."""
    parts = key.split(".")
    for depth in range(len(parts), 0, -1):
        prefix = ".".join(parts[:depth])
        if prefix in RETIRED:
            return prefix
    return None


def _overlaps(a: str, b: str) -> bool:
    """Whether setting dotted key ``a`` and ``b`` touch the same value."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")
