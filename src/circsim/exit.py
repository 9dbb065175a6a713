"""Enterprises leave the market when their losses outrun what lenders will carry.

Each month, a recycler or a cooperative whose debt (negative cash) exceeds
``exit_debt_months`` of its average monthly costs over the last year closes. Its
creditors (the rest of the world) absorb the debt; a recycler's unprocessed stock is
disposed of; a cooperative's zones, recyclable stock, shops and free-distribution
reserve pass to the nearest cooperative, and of its unsorted stock what fits the
heir's store (the rest is disposed of); its sorting plant closes with it, so the heir
must invest to take the extra collection in. The last
cooperative never closes: collection would have no one left to serve it.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from circsim.agents import Recycler, SocialCooperative
from circsim.wardrobe import lot_mass

if TYPE_CHECKING:
    from circsim.model import TextileEconomy

YEAR = 12     # months over which average costs are taken (a unit, not behaviour)


def remember_costs(org) -> None:
    """Record this month's costs in the organisation's last-year window."""
    if not hasattr(org, "costs_last_year"):
        org.costs_last_year = deque(maxlen=YEAR)
    org.costs_last_year.append(org.cost_eur)


def insolvent(org, exit_debt_months: float) -> bool:
    """Whether the debt exceeds ``exit_debt_months`` of average monthly costs (a full year
    of history needed)."""
    costs = getattr(org, "costs_last_year", ())
    if len(costs) < YEAR:
        return False
    # capital invested is financed over years: only operating losses count here
    operating = org.cash_eur + getattr(org, "invested_eur", 0.0)
    return operating < -exit_debt_months * (sum(costs) / len(costs))


def enterprise_exit(model: TextileEconomy) -> None:
    """Close every insolvent recycler, and every insolvent cooperative but the last."""
    for org in (*model.recyclers, *model.cooperatives):
        remember_costs(org)
    for rec in list(model.recyclers):
        if insolvent(rec, model.scenario.recyclers.exit_debt_months):
            _close_recycler(model, rec)
    for coop in list(model.cooperatives):
        if len(model.cooperatives) > 1 and insolvent(
                coop, model.scenario.cooperatives.exit_debt_months):
            _close_cooperative(model, coop)


def _settle(model: TextileEconomy, org) -> None:
    """Creditors absorb a debt; owners take out what is left."""
    if org.cash_eur < 0:
        model.pay("world", "closure", org, -org.cash_eur)
    elif org.cash_eur > 0:
        model.pay(org, "closure", "world", org.cash_eur)


def _close_recycler(model: TextileEconomy, rec: Recycler) -> None:
    model.send_to_residual("recyclers", "closure_disposal", rec.stock_kg, payer=rec)
    rec.stock_kg = 0.0
    _settle(model, rec)
    model.exits.append(model.month)
    rec.remove()


def _close_cooperative(model: TextileEconomy, coop: SocialCooperative) -> None:
    others = [c for c in model.cooperatives if c is not coop]
    heir = min(others, key=lambda c: float(np.hypot(*(c.xy - coop.xy))))
    heir.zones += [z for z in coop.zones if z not in heir.zones]
    heir.shop_zones += [z for z in coop.shop_zones if z not in heir.shop_zones]
    # the heir's store takes what fits; what nobody can store is disposed of
    have = lot_mass(coop.unsorted)
    kept = coop.unsorted * (min(1.0, heir.room_kg / have) if have > 0 else 0.0)
    heir.unsorted += kept
    model.send_to_residual("cooperatives", "closure_disposal", have - lot_mass(kept),
                           payer=coop)
    heir.recyclable_kg += coop.recyclable_kg
    heir.shop_lots += coop.shop_lots
    heir.free_lots += coop.free_lots
    coop.unsorted[:] = 0.0
    coop.shop_lots[:] = 0.0
    coop.free_lots[:] = 0.0
    coop.recyclable_kg = 0.0
    _settle(model, coop)
    model.exits.append(model.month)
    coop.remove()
