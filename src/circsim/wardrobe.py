"""Garments in use as cohorts, the way dynamic material-flow models keep stocks.

No object per garment: the stock of garments in use is an array of kilograms by
household group (zone x income class), category, wear-age class (6-month bins)
and owner count (1st, 2nd, 3rd or later). Each cell also carries two sums that
travel with its mass: kg x true age (months since production) and kg x
durability. A garment that is repaired goes back a few wear-age classes but
keeps its true age, so service life is measured, not assumed.

A *lot* is material outside wardrobes (a bin's content, a shop's stock) that
keeps the same attributes and one more, its condition when it left use: an array
``[..., 4, C, O]`` of (mass, age sum, durability sum, kg worn out) by category and
owner count. Worn-out garments (holes, stains, broken zips) and garments that merely
fell out of use leave wardrobes alike; what a sorter can do with a lot depends on the
mix (see :mod:`circsim.agents.grading`).
"""

from __future__ import annotations

import math

import numpy as np

BIN_MONTHS = 6
AGE_CLASSES = 24
OWNERS = 3
MASS, AGE, DUR, WORN = 0, 1, 2, 3
CELL_ATTRS = 3      # wardrobe cells: mass, age sum, durability sum
LOT_ATTRS = 4       # lots: the same, plus kg worn out


def weibull_scale(mean_months: np.ndarray, shape: float) -> np.ndarray:
    """Weibull scale giving the requested mean lifetime."""
    return np.asarray(mean_months, float) / math.gamma(1.0 + 1.0 / shape)


def monthly_hazard(wear_age: np.ndarray, scale: np.ndarray, shape: float) -> np.ndarray:
    """Share of garments at ``wear_age`` months that leave use within the next month."""
    a = np.maximum(wear_age, 0.0) / scale
    b = (wear_age + 1.0) / scale
    return 1.0 - np.exp(-(b**shape - a**shape))


def empty_lot(*lead: int, categories: int = 3) -> np.ndarray:
    """A lot holding nothing, with optional leading axes (zones, cooperatives...)."""
    return np.zeros((*lead, LOT_ATTRS, categories, OWNERS))


def lot_mass(lot: np.ndarray) -> float:
    """Total kg in a lot (or in an array of lots)."""
    return float(lot[..., MASS, :, :].sum())


def take_share(lot: np.ndarray, share: np.ndarray | float) -> np.ndarray:
    """Split off ``share`` of a lot; mutates ``lot``.

    ``share`` is a number, an array of length C (per category) or of shape (C, O) (per cell).
    """
    share = np.asarray(share, float)
    if share.ndim == 1:
        share = share[:, None]
    part = lot * share
    lot -= part
    return part


def remaining_share(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Per cell, the share of ``before`` that ``after`` still holds (1 where it held none)."""
    return np.divide(after, before, out=np.ones_like(before), where=before > 0)


def take_kg(lot: np.ndarray, kg: np.ndarray) -> np.ndarray:
    """Take ``kg`` per category from a lot, proportionally across owner classes."""
    have = lot[MASS].sum(axis=1)
    share = np.divide(kg, have, out=np.zeros_like(have), where=have > 0)
    return take_share(lot, np.minimum(share, 1.0))


class Wardrobes:
    """Cohort stock of garments in use by group, category, wear-age class and owner count."""

    def __init__(self, groups: int, categories: int = 3) -> None:
        shape = (CELL_ATTRS, groups, categories, AGE_CLASSES, OWNERS)
        self.cells = np.zeros(shape)
        self.mid_age = (np.arange(AGE_CLASSES) + 0.5) * BIN_MONTHS

    @property
    def mass(self) -> np.ndarray:
        return self.cells[MASS]

    def total_kg(self) -> float:
        return float(self.cells[MASS].sum())

    def fill_stationary(self, kg: np.ndarray, scale: np.ndarray, shape: float,
                        second_hand_share: float) -> None:
        """Start from the age mix a steady flow of purchases would leave behind."""
        survival = np.exp(-((self.mid_age[None, :] / scale[:, None]) ** shape))   # (C, A)
        dist = survival / survival.sum(axis=1, keepdims=True)
        owners = np.array([1.0 - second_hand_share, second_hand_share, 0.0])
        mass = kg[:, :, None, None] * dist[None, :, :, None] * owners[None, None, None, :]
        self.cells[MASS] = mass
        self.cells[AGE] = mass * self.mid_age[None, None, :, None]
        self.cells[DUR] = mass

    def age_one_month(self) -> None:
        """Everyone ages a month; 1/6 of each wear-age class moves to the next."""
        self.cells[AGE] += self.cells[MASS]
        moving = self.cells[:, :, :, :-1, :] / BIN_MONTHS
        self.cells[:, :, :, :-1, :] -= moving
        self.cells[:, :, :, 1:, :] += moving

    def leaving(self, scale: np.ndarray, shape: float) -> np.ndarray:
        """kg per cell that wears out or falls out of use this month."""
        mass = self.cells[MASS]
        durability = np.divide(self.cells[DUR], mass, out=np.ones_like(mass), where=mass > 0)
        eff_scale = scale[None, :, None, None] * durability
        return mass * monthly_hazard(self.mid_age[None, None, :, None], eff_scale, shape)

    def split_leaving(self, leaving: np.ndarray, repaired_share: np.ndarray,
                      back_classes: int) -> np.ndarray:
        """Remove leaving garments; the repaired share goes back ``back_classes`` classes.

        Returns the cells (with attributes) that really left, shape ``(3, G, C, A, O)``.
        """
        mass = self.cells[MASS]
        frac = np.minimum(np.divide(leaving, mass, out=np.zeros_like(mass), where=mass > 0),
                          1.0)
        out = self.cells * frac[None]
        self.cells -= out
        repaired = out * repaired_share[None, :, :, None, None]
        out -= repaired
        if back_classes > 0:
            shifted = np.zeros_like(repaired)
            shifted[:, :, :, :-back_classes, :] = repaired[:, :, :, back_classes:, :]
            shifted[:, :, :, 0, :] += repaired[:, :, :, :back_classes, :].sum(axis=3)
            repaired = shifted
        self.cells += repaired
        return out

    def add_new(self, kg: np.ndarray, durability: float) -> None:
        """New garments (kg by group and category) join as first-owner, age zero."""
        self.cells[MASS, :, :, 0, 0] += kg
        self.cells[DUR, :, :, 0, 0] += kg * durability

    def add_second_hand(self, group_lots: np.ndarray, entry_class: np.ndarray) -> None:
        """Second-hand garments join one owner later, part-worn.

        ``group_lots`` is ``(4, G, C, O)`` (or ``(3, ...)``); ``entry_class`` the wear-age
        class per category. Whether a garment was worn out is not kept in use: it was
        judged rewearable, and wardrobes carry only mass, age and durability.
        """
        group_lots = group_lots[:CELL_ATTRS]
        moved = np.zeros_like(group_lots)
        moved[..., 1:] = group_lots[..., :-1]
        moved[..., -1] += group_lots[..., -1]
        for c, a in enumerate(entry_class):
            self.cells[:, :, c, a, :] += moved[:, :, c, :]


def cells_to_lots(cells: np.ndarray, group_share: np.ndarray, zone_of_group: np.ndarray,
                  n_zones: int, worn_share: np.ndarray | None = None) -> np.ndarray:
    """Collapse wear-age classes and sum groups into zones, weighted by a share per group/category.

    ``cells`` is ``(3, G, C, A, O)``; ``group_share`` and ``worn_share`` (the share of the
    kg that is worn out; none if omitted) are ``(G, C)``. Returns lots ``(Z, 4, C, O)``.
    """
    per_group = cells.sum(axis=3) * group_share[None, :, :, None]       # (3, G, C, O)
    worn = per_group[MASS] * (0.0 if worn_share is None else worn_share[:, :, None])
    per_group = np.concatenate([per_group, worn[None]], axis=0)         # (4, G, C, O)
    lots = np.zeros((n_zones, *per_group[:, 0].shape))
    np.add.at(lots, zone_of_group, np.moveaxis(per_group, 1, 0))
    return lots
