"""Labour: the hours each activity takes, and full-time equivalents from hours.

Jobs are counted from the work actually performed each month, activity by
activity (the hours per unit are in the scenario's ``labour`` section): an
unsorted pile or an unsold stock employs nobody. Hours are real (metro), not
simulated, so agents divide simulated quantities by the run's scale first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from circsim.scenario.schema import Labour

#: The activities whose hours cooperatives report (``SocialCooperative.hours``).
COOPERATIVE_ACTIVITIES = ("collection", "sorting", "shops", "free_distribution")


def cooperative_hours(lab: Labour, collected_t: float, bins: float, sorted_t: float,
                      sold_t: float, given_t: float, parcel_kg: float) -> dict[str, float]:
    """A cooperative's hours this month, by activity, from what it did (real tonnes, bins)."""
    return {
        "collection": (collected_t * lab.collection_hours_per_t
                       + bins * lab.bin_emptyings_per_month * lab.hours_per_bin_emptied),
        "sorting": sorted_t * lab.sorting_hours_per_t,
        "shops": sold_t * lab.shop_hours_per_t_sold,
        "free_distribution": given_t * 1000 / parcel_kg * lab.hours_per_parcel,
    }


def recycling_hours(lab: Labour, processed_t: float) -> float:
    """A recycler's hours this month for the tonnes it processed."""
    return processed_t * lab.recycling_hours_per_t


def repair_hours(lab: Labour, repairs: float) -> float:
    """Repairers' hours for a month's repairs (a sector of its own, not an agent)."""
    return repairs * lab.hours_per_repair


def fte(lab: Labour, hours: float) -> float:
    """Full-time equivalents that a month's hours make."""
    return hours / lab.hours_per_fte_month
