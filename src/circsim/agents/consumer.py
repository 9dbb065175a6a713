"""Consumer agents: the public face of households whose state lives in columns.

A ``Consumer`` is one household, or a block of households of one zone and income
class when a run has more households than it has agents. It holds no state of
its own: every attribute reads the columnar arrays of
:class:`~circsim.households.Households`, where the monthly decisions run
vectorised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from circsim.households import REACH_WINDOW_MONTHS
from circsim.mesa_core import Agent

if TYPE_CHECKING:
    from circsim.model import TextileEconomy


class Consumer(Agent):
    """A household (or a block of like households) of the metro."""

    def __init__(self, model: TextileEconomy, start: int, stop: int) -> None:
        super().__init__(model)
        self.rows = slice(start, stop)

    @property
    def households(self) -> int:
        """How many real households of the run this agent stands for."""
        return self.rows.stop - self.rows.start

    @property
    def zone(self) -> int:
        return int(self.model.households.zone[self.rows.start])

    @property
    def low_income(self) -> bool:
        return bool(self.model.households.low_income[self.rows.start])

    @property
    def size(self) -> float:
        """Mean persons per household."""
        return float(self.model.households.size[self.rows].mean())

    @property
    def awareness(self) -> float:
        return float(self.model.households.awareness[self.rows].mean())

    @property
    def wardrobe_kg(self) -> np.ndarray:
        """Garments in use, kg by category (clothing, footwear, household), per household."""
        return self.model.households.wardrobe[self.rows].mean(axis=0)

    @property
    def received_free_garments_recently(self) -> bool:
        """Whether (any of) its households received free garments in the reach window."""
        hh = self.model.households
        since = self.model.month - hh.last_gift_month[self.rows]
        return bool((since < REACH_WINDOW_MONTHS).any())
