"""Garments leaving use: worn out or out of use, dormant in the wardrobe, then gone.

Each month the garments in use reach the end of a wear period (the cohorts' Weibull
hazard). Of those, a share ``wear_out_share`` is worn out: repaired (back into use), kept
as rags at home (``rag_share``, by category) or discarded by a route. The rest falls out of
use (fashion, fit, taste; more often with ``fashion_turnover``, less often for households
that mind, ``keep_longer_gain``) and does not leave at once: it goes *dormant*, kept unworn
in the wardrobe. Dormant garments are released at a rate of one over ``dormant_months``
a month (faster with a resale platform; a decluttering campaign releases a share at
once): a share ``gift_share`` goes to family and friends (it stays in use in the same kind
of household), the rest leaves by a route. Routes follow the Theory of Planned Behaviour
(:mod:`circsim.households_routes`), with a utility offset per category: a worn-out
towel is less likely to be taken to a textile bin than a jacket. Of the household
textiles thrown away, a share ``bulky_share`` (carpets, curtains, duvets) goes to bulky-waste
collection at recycling centres rather than the residual bin.

These functions act on the columns of :class:`~circsim.households.Households`, which
calls :func:`discard` once a month.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from circsim import household_kernels as kernels
from circsim.households_routes import (
    R_BIN,
    R_DONATION,
    R_RESALE,
    R_RESIDUAL,
    R_TAKE_BACK,
    ROUTES,
    resale_factor,
)
from circsim.policies import Conditions
from circsim.wardrobe import BIN_MONTHS, MASS, OWNERS, WORN

if TYPE_CHECKING:
    from circsim.households import Households

@dataclass
class Discards:
    """What left households this month, by route; lots keep age and owner attributes."""

    bin_lots: np.ndarray         # (Z, 4, C, O)
    donation_lots: np.ndarray    # (Z, 4, C, O)
    take_back_lots: np.ndarray   # (Z, 4, C, O)
    resale_lot: np.ndarray       # (4, C, O), metro-wide peer listings
    residual_kg: float           # thrown away, rags at the end of their use included
    bulky_kg: float              # thrown away too big for the bin: bulky waste collection
    bin_overflow_kg: float
    repaired_kg: float
    repairs: float
    eol_kg: float                # residual + bin + rags: the end of a garment's use in the metro
    eol_age_kg_months: float
    eol_owner_kg: float
    eol_second_life_kg: float
    dormant_in_kg: float         # fell out of use and went dormant
    released_kg: float           # dormant garments that left the wardrobe (gifts included)
    decluttered_kg: float        # of which released by a decluttering campaign
    gifted_kg: float             # given to family and friends
    rags_in_kg: float            # worn out, kept as rags at home
    rags_out_kg: float           # rags thrown away at the end of their use


def discard(hh: Households, cond: Conditions, repair_service_share: float,
            take_back_share: float, bin_capacity_kg_month: float,
            rng: np.random.Generator) -> Discards:
    """One month of garments leaving use; updates wardrobes, dormant stock and rags."""
    hp = hh.s.households
    hh.cohorts.age_one_month()
    hh.dormant_cells[1] += hh.dormant_cells[MASS]           # dormant garments age too
    hazard_cells = hh.cohorts.leaving(hh.scale_w, hp.weibull_shape)
    hazard_g = hazard_cells.sum(axis=(2, 3))                               # (G, C)
    group_mass = hh.cohorts.mass.sum(axis=(2, 3))
    rate = np.divide(hazard_g, group_mass, out=np.zeros_like(group_mass), where=group_mass > 0)
    flows = _household_flows(hh, cond, rate, repair_service_share, take_back_share, rng)
    worn_g, rep_g, out_g, rel_g, decl_g, route_worn, route_out = flows

    # the cohorts lose the same kg; repaired garments go back a few wear-age classes
    moved = worn_g + rep_g + out_g
    removal = np.divide(moved, hazard_g, out=np.zeros_like(moved), where=hazard_g > 0)
    rep_share = np.divide(rep_g, moved, out=np.zeros_like(moved), where=moved > 0)
    back = int(round(hp.repair_life_extension_months / BIN_MONTHS))
    gone = hh.cohorts.split_leaving(hazard_cells * removal[:, :, None, None], rep_share, back)
    gone = gone.sum(axis=3)                                                # (3, G, C, O)
    worn_frac = np.divide(worn_g, worn_g + out_g, out=np.zeros_like(worn_g),
                          where=worn_g + out_g > 0)
    worn_cells = gone * worn_frac[None, :, :, None]
    out_cells = gone - worn_cells

    # dormant garments released (gifts, routes), then this month's join them
    d_mass = hh.dormant_cells[MASS].sum(axis=-1)
    rel_frac = np.minimum(np.divide(rel_g, d_mass, out=np.zeros_like(d_mass),
                                    where=d_mass > 0), 1.0)
    released = hh.dormant_cells * rel_frac[None, :, :, None]
    hh.dormant_cells -= released
    hh.dormant_cells += out_cells
    gift = np.array(hp.gift_share.as_tuple())
    gifts = released * gift[None, None, :, None]
    hh.gift_pool += gifts
    released -= gifts
    rag = np.array(hp.rag_share.as_tuple())
    rag_cells = worn_cells * rag[None, None, :, None]
    worn_cells -= rag_cells
    rags_in = rag_cells[MASS].sum(axis=-1)                                 # (G, C)
    hh.rags += rags_in
    rags_out = hh.rags / hp.rag_months
    hh.rags -= rags_out

    lots = _route_lots(hh, worn_cells, released, route_worn, route_out)    # (R, Z, 4, C, O)
    overflow = _bin_overflow(hh, lots, cond, bin_capacity_kg_month)
    _update_norm(hh, lots)
    return _summary(hh, lots, rag_cells, rags_out, overflow, rep_g, out_g, rel_g, decl_g,
                    gifts)


def _household_flows(hh: Households, cond: Conditions, rate: np.ndarray,
                     repair_service_share: float, take_back_share: float,
                     rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Per household: worn out, repaired, out of use, released; summed per group.

    Updates each household's wardrobe and dormant stock. Returns group totals ``(G, C)``
    of worn-out kg leaving, repaired kg, kg going dormant, dormant kg released and the part
    of it a decluttering campaign released, and kg by route ``(G, C, R)`` for worn-out
    garments (net of rags) and released ones (net of gifts).
    """
    hp = hh.s.households
    G, C = rate.shape
    release = hh.release_rates(cond)                                       # (C,)
    reached = hh.buffer("declutter_reached", (hh.n,), np.bool_)
    if cond.declutter_reach_share > 0:
        np.less(rng.random(hh.n), cond.declutter_reach_share, out=reached)
    else:
        reached[:] = False
    sums = hh.buffer("flow_sums", (5, G, C))
    route_worn = hh.buffer("route_worn", (G, C, len(ROUTES)))
    route_out = hh.buffer("route_out", (G, C, len(ROUTES)))
    kg = hh.buffer("kg_by_category", (2, C))
    K, A, D = hh.route_factors(cond, take_back_share)
    A_resale = resale_factor(A, hp.resale_attitude_weight,
                             hh.buffer("resale_attitude_factor", (hh.n,)))
    kernels.household_flows(
        hh.wardrobe, hh.dormant, hh.group_starts, hh.group_counts, rate, hp.wear_out_share,
        hh.awareness, np.array(hh.repair_share_params(cond, repair_service_share)),
        np.array(hh.out_of_use_params()), release, reached, cond.declutter_release_share,
        K, A, D, A_resale,
        hh.worn_out_factor(hh.buffer("worn_out_factor", (hh.n,))), hh.category_route_factors(),
        1.0 - np.array(hp.gift_share.as_tuple()), 1.0 - np.array(hp.rag_share.as_tuple()),
        sums, route_worn, route_out, kg)
    hh.set_kg_by_category(in_use=kg[0], dormant=kg[1])
    return (*sums, route_worn, route_out)


def _route_lots(hh: Households, worn_cells: np.ndarray, released: np.ndarray,
                route_worn: np.ndarray, route_out: np.ndarray) -> np.ndarray:
    """Lots by route and zone ``(R, Z, 4, C, O)``: worn-out and released garments split by
    each group's route shares; the worn-out ones carry their mass as the lot's kg worn out."""
    def shares(kg: np.ndarray) -> np.ndarray:
        tot = kg.sum(axis=-1, keepdims=True)
        return np.divide(kg, tot, out=np.zeros_like(kg), where=tot > 0)

    s_worn, s_out = shares(route_worn), shares(route_out)                 # (G, C, R)
    Z, C = hh.geo.n_zones, worn_cells.shape[2]
    lots = np.zeros((len(ROUTES), Z, 4, C, OWNERS))
    for r in range(len(ROUTES)):
        w = worn_cells * s_worn[None, :, :, r, None]
        per_group = np.concatenate([w + released * s_out[None, :, :, r, None],
                                    w[MASS][None]], axis=0)               # (4, G, C, O)
        np.add.at(lots[r], hh.zone_of_group, np.moveaxis(per_group, 1, 0))
    return lots


def _bin_overflow(hh: Households, lots: np.ndarray, cond: Conditions,
                  capacity_kg: float) -> float:
    """Full bins: what does not fit goes to the residual bin instead (``lots`` in place)."""
    bins = cond.bins_per_10k_residents * hh.residents_by_zone / 1e4
    cap = bins * capacity_kg
    binned = lots[R_BIN][:, MASS].sum(axis=(1, 2))
    over = np.divide(binned - cap, binned, out=np.zeros_like(binned), where=binned > cap)
    moved = lots[R_BIN] * over[:, None, None, None]
    lots[R_BIN] -= moved
    lots[R_RESIDUAL] += moved
    return float(moved[:, MASS].sum())


def _update_norm(hh: Households, lots: np.ndarray) -> None:
    """The zone's norm moves towards the share of its discards taken to a separate route."""
    kg = lots[:, :, MASS].sum(axis=(2, 3))                                 # (R, Z)
    total = kg.sum(axis=0)
    share = np.divide(total - kg[R_RESIDUAL], total, out=np.array(hh.norm, dtype=float),
                      where=total > 0)
    r = hh.s.households.norm_update_rate
    hh.norm = (1.0 - r) * hh.norm + r * share


def _summary(hh: Households, lots: np.ndarray, rag_cells: np.ndarray, rags_out: np.ndarray,
             overflow: float, rep_g: np.ndarray, out_g: np.ndarray, rel_g: np.ndarray,
             decl_g: np.ndarray, gifts: np.ndarray) -> Discards:
    """The month's :class:`Discards`; the resale lot joins the households' listings."""
    hp = hh.s.households
    eol = lots[R_RESIDUAL].sum(axis=0) + lots[R_BIN].sum(axis=0)          # (4, C, O)
    rag_lot = rag_cells.sum(axis=1)                                        # (3, C, O)
    mass = eol[MASS] + rag_lot[MASS]
    owners = np.arange(1, OWNERS + 1)
    repaired_kg = float(rep_g.sum())
    resale_lot = lots[R_RESALE].sum(axis=0)
    hh.listings += resale_lot
    thrown = lots[R_RESIDUAL][:, MASS].sum(axis=(0, 2))                    # (C,)
    bulky = float((thrown * np.array(hp.bulky_share.as_tuple())).sum())
    return Discards(
        bin_lots=lots[R_BIN], donation_lots=lots[R_DONATION],
        take_back_lots=lots[R_TAKE_BACK], resale_lot=resale_lot,
        residual_kg=float(thrown.sum() - bulky + rags_out.sum()), bulky_kg=bulky,
        bin_overflow_kg=overflow, repaired_kg=repaired_kg,
        repairs=repaired_kg / hp.kg_per_repair,
        eol_kg=float(mass.sum()), eol_age_kg_months=float(eol[1].sum() + rag_lot[1].sum()),
        eol_owner_kg=float((mass.sum(axis=0) * owners).sum()),
        eol_second_life_kg=float(mass[:, 1:].sum()),
        dormant_in_kg=float(out_g.sum()), released_kg=float(rel_g.sum()),
        decluttered_kg=float(decl_g.sum()), gifted_kg=float(gifts[MASS].sum()),
        rags_in_kg=float(rag_lot[MASS].sum()), rags_out_kg=float(rags_out.sum()),
    )


__all__ = ["Discards", "WORN", "discard"]
