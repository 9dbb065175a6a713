"""Building the world's organisations and letting new enterprises enter.

Organisations are a fixed, representative set whatever the ``scale``: their
number stays the same while their capacities and flows scale with the share of
households simulated, so the network of distances and partners does not change
with the size of a run.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from circsim.agents import Consumer, FashionFirm, Recycler, SocialCooperative
from circsim.agents.recycler import (
    POST_CONSUMER,
    feedstock_price_eur_per_kg,
    margin_eur_per_t,
)
from circsim.geography import allocate
from circsim.households import REACH_WINDOW_MONTHS
from circsim.scenario.schema import FIRM_SIZES

if TYPE_CHECKING:
    from circsim.model import TextileEconomy

COOP_ZONES = (0, 3, 5, 1, 6, 7, 2, 4)     # where cooperatives are based, in order of creation
RECYCLER_ZONES = (1, 5, 3, 2, 6, 7, 0, 4)  # industrial areas first


def create_consumers(model: TextileEconomy, max_agents: int) -> None:
    """One Consumer per household, or per block of like households in large runs."""
    hh = model.households
    block = max(1, math.ceil(hh.n / max_agents))
    for start, count in zip(hh.group_starts, hh.group_counts, strict=True):
        for s in range(int(start), int(start + count), block):
            Consumer(model, s, min(s + block, int(start + count)))


def create_firms(model: TextileEconomy) -> None:
    """Representative fashion firms with sizes, locations and market shares."""
    fp = model.scenario.firms
    rng = model.rng
    sizes = np.repeat(FIRM_SIZES, allocate(fp.count, [
        fp.size_shares.get(s, 0.0) for s in FIRM_SIZES]))
    volume = (np.array([getattr(fp.relative_volume, s) for s in sizes])
              * rng.lognormal(0.0, fp.volume_sigma, len(sizes)))
    share = volume / volume.sum()
    # a share of firms in Milan city (zone 0), the rest spread like residents
    w = model.geo.residents.copy()
    w[0] = 0.0
    w = (1 - fp.city_share) * w / w.sum()
    w[0] = fp.city_share
    zones = rng.choice(model.geo.n_zones, size=len(sizes), p=w)
    xy = model.geo.scatter(zones, rng, model.scenario.exchange.site_radius_share)
    for i, size in enumerate(sizes):
        FashionFirm(model, int(zones[i]), xy[i], str(size), float(share[i]))


def create_cooperatives(model: TextileEconomy) -> None:
    """Cooperatives based in the first zones of COOP_ZONES; each zone goes to the nearest."""
    cp = model.scenario.cooperatives
    geo = model.geo
    bases = [COOP_ZONES[i % len(COOP_ZONES)] for i in range(cp.count)]
    d = np.linalg.norm(geo.xy_km[:, None, :] - geo.xy_km[bases][None, :, :], axis=2)
    owner = d.argmin(axis=1)
    # a cooperative whose base zone another one already serves collects nowhere, but
    # still sorts donated goods and stocks shops in its base zone
    served = [[z for z in range(geo.n_zones) if owner[z] == i] for i in range(cp.count)]
    total = cp.sorting_capacity_t_month * 1000 * model.scale
    res = np.array([geo.residents[s].sum() if s
                    else geo.residents[bases[i]] * cp.no_area_capacity_share
                    for i, s in enumerate(served)])
    for i, zones in enumerate(served):
        SocialCooperative(model, zones, geo.xy_km[bases[i]].copy(), total * res[i] / res.sum(),
                          shop_zones=zones or [bases[i]])


def create_recyclers(model: TextileEconomy) -> None:
    rp = model.scenario.recyclers
    site = model.scenario.exchange.site_radius_share
    for i in range(rp.count):
        zone = RECYCLER_ZONES[i % len(RECYCLER_ZONES)]
        xy = model.geo.scatter(np.array([zone]), model.rng, site)[0]
        Recycler(model, zone, xy, rp.capacity_t_month * 1000 * model.scale / max(rp.count, 1))


def enterprise_entry(model: TextileEconomy) -> None:
    """New recyclers enter when feedstock outgrows capacity and margins hold; with
    enterprise support, new social enterprises open where low-income need goes unmet."""
    c = model.conditions
    year_start = model.month - (model.month - 1) % 12
    entered_this_year = sum(1 for e in model.entries if e >= year_start)
    if entered_this_year >= c.max_new_enterprises_per_year:
        return
    rp = model.scenario.recyclers
    ex = model.exchange
    if ex.backlog_months >= rp.entry_backlog_months:
        margin_year = (ex.unmet_kg_month / model.scale / 1000 * 12
                       * margin_eur_per_t(model.scenario, unmet_feedstock_price(model)))
        cost = rp.entry_cost_eur * (1 - c.entry_cost_reduction)
        if margin_year * rp.entry_payback_years > cost:
            zone = int(ex.unmet_zone)
            xy = model.geo.scatter(np.array([zone]), model.entry_rng,
                                   model.scenario.exchange.site_radius_share)[0]
            capacity = rp.capacity_t_month * 1000 * model.scale / max(rp.count, 1)
            entrant = Recycler(model, zone, xy, capacity, entrant=True)
            model.pay(entrant, "investment", "world", rp.entry_cost_eur)
            model.pay("public_budget", "grant", entrant, rp.entry_cost_eur - cost)
            entrant.invested_eur = rp.entry_cost_eur
            model.entries.append(model.month)
            ex.backlog_months = 0
            return
    review = model.scenario.policies.enterprise_support.review_months
    if c.entry_cost_reduction > 0 and model.month % review == 0:
        _social_enterprise_entry(model)


def unmet_feedstock_price(model: TextileEconomy) -> float:
    """Net price per kg a recycler pays for the feedstock that last went unmet, by its mix
    of materials (mostly cooperatives' post-consumer recyclable grades)."""
    price = feedstock_price_eur_per_kg(model.scenario)
    kg = model.exchange.unmet_kg_by_material
    if kg.sum() <= 0:                    # no backlog recorded yet: post-consumer grades
        return float(price[POST_CONSUMER])
    return float(price @ kg / kg.sum())


def _social_enterprise_entry(model: TextileEconomy) -> None:
    """A supported reuse hub takes over the zone where most low-income households go unreached."""
    hh = model.households
    target = model.scenario.policies.enterprise_support.reach_target_share
    if model.households.low_income_reach(model.month) > target:
        return
    unreached = hh.low_income & ((model.month - hh.last_gift_month) >= REACH_WINDOW_MONTHS)
    by_zone = np.bincount(hh.zone[unreached], minlength=model.geo.n_zones)
    coops = list(model.cooperatives)
    shared = {z for coop in coops if len(coop.zones) > 1 for z in coop.zones}
    candidates = [z for z in np.argsort(-by_zone) if z in shared and by_zone[z] > 0]
    if not candidates:
        return
    zone = int(candidates[0])
    old = next(coop for coop in coops if zone in coop.zones)
    share = model.geo.residents[zone] / model.geo.residents[old.zones].sum()
    capacity = old.sorting_capacity_kg * share
    old.zones.remove(zone)
    if zone in old.shop_zones and len(old.shop_zones) > 1:
        old.shop_zones.remove(zone)
    old.sorting_capacity_kg -= capacity
    grant = model.conditions.coop_sorting_grant_t_month * 1000 * model.scale
    new = SocialCooperative(model, [zone], model.geo.xy_km[zone].copy(), capacity + grant,
                            shop_zones=[zone], entrant=True)
    if zone not in old.shop_zones:
        old.hand_over_stock(zone, new)
    _fund_hub_setup(model, new)
    model.entries.append(model.month)


def _fund_hub_setup(model: TextileEconomy, hub) -> None:
    """The public budget grants a new reuse hub the supported share of its set-up (premises,
    fit-out, first equipment), which the hub spends at once; the remaining share is the
    parent cooperatives' in-kind contribution (not a payment of the model)."""
    p = model.scenario.policies.enterprise_support
    eur = p.hub_setup_eur * model.conditions.entry_cost_reduction
    model.pay("public_budget", "grant", hub, eur)
    model.pay(hub, "investment", "world", eur)
