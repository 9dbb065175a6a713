"""The price of a repair: bills that vary, a voucher that covers part of each, and demand.

Repair bills are not one number: a hem costs less than a new zip on a coat. Bills follow a
lognormal distribution with mean ``repair_cost_eur`` and log-sd ``repair_cost_sigma``,
taken at a few equal-probability quantiles. A voucher of ``v`` euros pays
``min(v, max_share_of_bill * bill)`` of each bill. The household weighs the net price
plus a non-money cost of repairing (``repair_hassle_eur``: time, a trip to the tailor), so
demand keeps rising with a larger voucher until every repair is free, and never becomes
infinite.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from circsim.scenario.schema import Households

#: Equal-probability quantiles that stand for the bill distribution (a quadrature, not
#: behaviour: more nodes change results by less than 0.1 %).
BILL_NODES = 16


@dataclass(frozen=True)
class RepairPrices:
    """What a month's repairs cost, per repair, at the voucher in force."""

    demand_factor: float        # repairs demanded relative to no voucher
    household_eur: float        # mean net bill a household pays per repair done
    voucher_eur: float          # mean voucher the public budget pays per repair done


def bills(hp: Households) -> np.ndarray:
    """The bill at each quantile node (EUR), with mean ``repair_cost_eur``."""
    q = (np.arange(BILL_NODES) + 0.5) / BILL_NODES
    s = hp.repair_cost_sigma
    z = np.array([NormalDist().inv_cdf(x) for x in q])   # the standard library: no scipy
    return hp.repair_cost_eur * np.exp(s * z - s * s / 2)


def repair_prices(hp: Households, voucher_eur: float, max_share_of_bill: float) -> RepairPrices:
    """Demand response and who pays, at a voucher of ``voucher_eur`` per repair.

    At each bill node, demand relative to no voucher is
    ``((bill + hassle) / (net + hassle)) ** repair_price_sensitivity``; the mean over
    nodes is the demand factor, and the repairs done are weighted by it when the mean
    net bill and voucher per repair are taken.
    """
    b = bills(hp)
    v = np.minimum(voucher_eur, max_share_of_bill * b)
    net = b - v
    h = hp.repair_hassle_eur
    response = ((b + h) / (net + h)) ** hp.repair_price_sensitivity
    weight = response / response.sum()
    return RepairPrices(demand_factor=float(response.mean()),
                        household_eur=float((weight * net).sum()),
                        voucher_eur=float((weight * v).sum()))
