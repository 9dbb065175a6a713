"""The recycled-fibre pool: fibre from recyclers waiting to be spun into new fabric.

Recyclers add the fibre they keep for fibre-to-fibre recycling; firms draw on it
for their recycled content; what is not spun within a month, beyond a small
reserve the model sets, is sold to other sectors. The pool holds ledger node ``recycled_fibre``;
whoever moves fibre in or out books the move in the ledger.
"""

from __future__ import annotations


class RecycledFibrePool:
    """Recycled fibre (kg) held for the metro's firms."""

    HOLDS = ("recycled_fibre",)

    def __init__(self) -> None:
        self.kg = 0.0

    def add(self, kg: float) -> None:
        """Fibre from recyclers joins the pool."""
        self.kg += kg

    def draw(self, kg: float) -> float:
        """Take up to ``kg`` for new fabric; returns what was taken."""
        got = min(kg, self.kg)
        self.kg -= got
        return got

    def sell_leftover(self, keep_kg: float) -> float:
        """Sell what exceeds a reserve of ``keep_kg`` for next month; returns the kg sold."""
        extra = max(0.0, self.kg - keep_kg)
        self.kg -= extra
        return extra

    def holdings(self) -> dict[str, float]:
        """kg held, by ledger node."""
        return {"recycled_fibre": self.kg}
