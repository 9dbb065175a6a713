"""Grades and export value from the condition of what was collected.

A sorter looks at each garment: is it worn out or did it merely fall out of use, how
old is it, how well was it made, what kind of product is it. Lots carry exactly that
(see :mod:`circsim.wardrobe`: kg worn out, age and durability sums, by category and
owner count), so the grades of a sorted lot follow from its cells:

- the *condition* of a cell is ``exp(-condition_loss_per_year * age_years / durability)``:
  1 for a new garment, falling with age, more slowly for durable garments;
- a garment out of use is rewearable with chance ``rewearable_share_out_of_use[category]
  * condition``; a worn-out one with chance ``rewearable_share_worn_out``;
- of the rest, ``recyclable_share_of_rest[category]`` is recyclable, the remainder residual.

The *quality* of a rewearable cell for export is its condition times the share of it
that is not worn out (worn-out garments with minor defects are the lowest grade). An
export lot of quality ``q`` fetches ``export_price_eur_per_kg * q / q_ref`` (the world
price of a lot of the reference condition ``q_ref``) and is worn again abroad with
chance ``min(1, abroad_reuse_share * q / q_ref)``: better grades are worn again more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from circsim.scenario.schema import Cooperatives
from circsim.wardrobe import AGE, DUR, MASS, WORN


def _per_kg(lot: np.ndarray, attribute: int, empty: float) -> np.ndarray:
    """A lot's attribute per kg, cell by cell ``(C, O)`` (``empty`` where it holds nothing)."""
    mass = lot[MASS]
    return np.divide(lot[attribute], mass, out=np.full_like(mass, empty), where=mass > 0)


def condition(lot: np.ndarray, cp: Cooperatives) -> np.ndarray:
    """Condition of each cell in [0, 1]: 1 when new, falling with age over durability."""
    age_years = _per_kg(lot, AGE, 0.0) / 12.0
    durability = np.maximum(_per_kg(lot, DUR, 1.0), 1e-6)
    return np.exp(-cp.condition_loss_per_year * age_years / durability)


def quality(lot: np.ndarray, cp: Cooperatives) -> np.ndarray:
    """Export quality of each cell in [0, 1]: condition times the share not worn out."""
    worn = np.clip(_per_kg(lot, WORN, 0.0), 0.0, 1.0)
    return condition(lot, cp) * (1.0 - worn)


@dataclass(frozen=True)
class Grades:
    """A sorted lot split into grades."""

    rewearable: np.ndarray       # a lot (4, C, O)
    recyclable_kg: float
    residual_kg: float


def grade(lot: np.ndarray, cp: Cooperatives) -> Grades:
    """Sort ``lot`` into grades from the condition of its cells; empties ``lot``."""
    mass = lot[MASS]
    worn = np.clip(_per_kg(lot, WORN, 0.0), 0.0, 1.0)
    out_of_use = np.array(cp.rewearable_share_out_of_use.as_tuple())[:, None]
    r_out = out_of_use * condition(lot, cp)
    r_worn = cp.rewearable_share_worn_out
    share = (1.0 - worn) * r_out + worn * r_worn                       # (C, O)
    rewearable = lot * share
    rewearable[WORN] = lot[WORN] * r_worn
    rest = mass - rewearable[MASS]                                      # kg per cell
    recyclable = rest * np.array(cp.recyclable_share_of_rest.as_tuple())[:, None]
    lot[...] = 0.0
    return Grades(rewearable, float(recyclable.sum()), float((rest - recyclable).sum()))


def export_price_eur_per_kg(lot: np.ndarray, cp: Cooperatives) -> np.ndarray:
    """What export traders pay per kg for each cell, from its quality and the world price."""
    return cp.export_price_eur_per_kg * quality(lot, cp) / cp.export_reference_condition


def abroad_reuse_share(lot: np.ndarray, cp: Cooperatives) -> np.ndarray:
    """Share of each exported cell that is worn again abroad (the rest is waste abroad)."""
    q = quality(lot, cp) / cp.export_reference_condition
    return np.minimum(1.0, cp.abroad_reuse_share * q)
