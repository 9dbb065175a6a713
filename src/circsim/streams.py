"""Streams with specifications: what each firm offers and needs in the exchange.

An *offer* is a byproduct or waste of one material (fibre mix for textiles) with a
quality in [0, 1] (each month's batch drawn around its source's mean quality, with
``symbiosis.quality_concentration``) and the seller's reservation value (its
alternative, disposal at its own price, so negative). A *need* is an input a byproduct
can replace, by route (mechanical or chemical recycling, nonwovens, insulation,
fillers, paper, plastics, panels); each route accepts some materials above a quality
limit and replaces a virgin input with its own price and CO2 (``symbiosis.routes``).
Recyclers need feedstock on the mechanical route; firms of other sectors need what
``data/sector_streams.csv`` lists, and buy the recyclers' fibre (``recycled_fibre``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from circsim.scenario.schema import FIBRES, MATERIALS, ROUTES, Scenario
from circsim.sectors import stream_table

#: materials each route can take (quality limits are in ``symbiosis.routes``)
ACCEPTS: dict[str, tuple[str, ...]] = {
    "mechanical": FIBRES,
    "chemical": ("polyester", "plastic_packaging"),
    "nonwovens": FIBRES,
    "insulation": FIBRES,
    "fillers": (*FIBRES, "leather"),
    "paper": ("cotton", "paper_packaging"),
    "plastics": ("polyester", "plastic_packaging"),
    "panels": ("wood",),
}
RECYCLED_FIBRE = "recycled_fibre"
MECHANICAL = ROUTES.index("mechanical")
TEXTILE = np.array([m in FIBRES for m in MATERIALS])


def accept_matrix(scenario: Scenario) -> np.ndarray:
    """``[route, material]`` -> the lowest quality the route takes (inf: never)."""
    out = np.full((len(ROUTES), len(MATERIALS)), np.inf)
    for r, route in enumerate(ROUTES):
        for m in ACCEPTS[route]:
            out[r, MATERIALS.index(m)] = scenario.symbiosis.routes[route].min_quality
    return out


def route_prices(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Virgin price (EUR/kg) and CO2e (kg/kg) of the input each route replaces."""
    routes = scenario.symbiosis.routes
    return (np.array([routes[r].virgin_price_eur_per_kg for r in ROUTES]),
            np.array([routes[r].virgin_co2_kg_per_kg for r in ROUTES]))


def batch_quality(rng: np.random.Generator, mean: np.ndarray,
                  concentration: float) -> np.ndarray:
    """This month's quality of each batch: Beta around its source's mean quality with
    ``a + b = concentration``, so batches differ and some fall below a route's limit
    (a constant quality would make each limit an all-or-nothing switch)."""
    mean = np.clip(np.asarray(mean, float), 1e-3, 1 - 1e-3)
    if mean.size == 0:
        return mean
    return rng.beta(mean * concentration, (1 - mean) * concentration)


def fibre_shares(scenario: Scenario) -> np.ndarray:
    """The fibre mix of textile scraps and recyclable grades, over MATERIALS (sums to 1)."""
    mix = scenario.symbiosis.fibre_mix
    out = np.array([mix.get(m, 0.0) if m in FIBRES else 0.0 for m in MATERIALS])
    return out / max(out.sum(), 1e-12)


@dataclass(frozen=True)
class SectorStreams:
    """A sector firm's monthly streams at the simulated scale (kg)."""

    give_kg: np.ndarray        # by material
    quality: np.ndarray        # by material
    need_kg: np.ndarray        # by route
    fibre_need_kg: float       # recycled fibre it would buy


def sector_streams(scenario: Scenario, sector: str, employees: float, weight: float,
                   scale: float) -> SectorStreams:
    """The streams of a representative firm: per-employee rates times employees, the real
    firms it stands for, the scenario's factors and the run's scale."""
    sp = scenario.symbiosis
    size = employees * weight * scale
    give, quality = np.zeros(len(MATERIALS)), np.zeros(len(MATERIALS))
    need, fibre = np.zeros(len(ROUTES)), 0.0
    for kind, item, kg_per_employee, row_quality in _sector_rows(sector):
        kg = kg_per_employee * size
        if kind == "give":
            m = MATERIALS.index(item)
            give[m] += kg * sp.byproduct_factor
            quality[m] = row_quality
        elif item == RECYCLED_FIBRE:
            fibre += kg * sp.need_factor
        else:
            need[ROUTES.index(item)] += kg * sp.need_factor
    return SectorStreams(give, quality, need, fibre)


@cache
def _sector_rows(sector: str) -> tuple[tuple[str, str, float, float], ...]:
    """A division's rows of the stream table (kind, item, kg per employee a month,
    quality), read once a process: a run asks for them once per sector firm."""
    t = stream_table()
    return tuple((str(r.kind), str(r.item), float(r.kg_per_employee_month), float(r.quality))
                 for r in t[t.sector == sector].itertuples(index=False))


@dataclass
class Offers:
    """This month's offers, one per (seller, material)."""

    owner: np.ndarray          # index of the seller among the exchange's actors
    material: np.ndarray
    quality: np.ndarray
    kg: np.ndarray
    reservation: np.ndarray    # EUR/kg the seller gets from its alternative
    post: np.ndarray           # post-consumer (recyclers pay their post-consumer price)


@dataclass
class Needs:
    """This month's needs, one per (buyer, route)."""

    owner: np.ndarray
    route: np.ndarray
    kg: np.ndarray
    value_pre: np.ndarray      # EUR/kg pre-consumer material is worth to the buyer
    value_post: np.ndarray     # and post-consumer material (recyclers pay a posted price)


def stack(parts: list[tuple], kind: type) -> Offers | Needs:
    """Offers or Needs from a list of per-item tuples in field order."""
    n = len(kind.__dataclass_fields__)
    cols = list(zip(*parts, strict=True)) if parts else [()] * n
    return kind(*(np.asarray(c) for c in cols))


@dataclass(frozen=True)
class StreamTable:
    """The sector firms' offers and needs, one row each, stacked once for the run.

    A firm's streams do not change, so each month only its willingness, the disposal price
    and the fashion firms' and cooperatives' variable offers are new; rows are in the
    order of :func:`stack` over the actors (by owner, then material or route).
    """

    give_owner: np.ndarray
    give_material: np.ndarray
    give_quality: np.ndarray
    give_kg: np.ndarray
    give_disposal_factor: np.ndarray
    need_owner: np.ndarray
    need_route: np.ndarray
    need_kg: np.ndarray
    need_value_factor: np.ndarray
    firm: np.ndarray           # actor index of each sector firm
    give_total_kg: np.ndarray  # by sector firm: all it gives
    fibre_need_kg: np.ndarray  # by sector firm: recycled fibre it would buy


def stack_sector_streams(owners: list[int], streams: list[SectorStreams],
                         profiles: list) -> StreamTable:
    """Stack the sector firms' streams (``owners``: their actor indices, ascending)."""
    give, need = [], []
    for k, st, pr in zip(owners, streams, profiles, strict=True):
        give += [(k, i, st.quality[i], st.give_kg[i], pr.disposal_factor)
                 for i in np.flatnonzero(st.give_kg)]
        need += [(k, r, st.need_kg[r], pr.value_factor) for r in np.flatnonzero(st.need_kg)]
    g = [np.asarray(c) for c in zip(*give, strict=True)] if give else [np.zeros(0)] * 5
    n = [np.asarray(c) for c in zip(*need, strict=True)] if need else [np.zeros(0)] * 4
    return StreamTable(g[0].astype(np.intp), g[1].astype(np.intp), *g[2:5],
                       n[0].astype(np.intp), n[1].astype(np.intp), *n[2:4],
                       np.asarray(owners, np.intp),
                       np.array([st.give_kg.sum() for st in streams], dtype=np.float64),
                       np.array([st.fibre_need_kg for st in streams], dtype=np.float64))


def merge(parts: list[Offers | Needs]) -> Offers | Needs:
    """Offers or Needs of several sources in one, ordered by owner (stably)."""
    kind = type(parts[0])
    parts = [p for p in parts if len(p.owner)] or parts[:1]
    cols = [np.concatenate([getattr(p, f) for p in parts]) for f in kind.__dataclass_fields__]
    order = np.argsort(cols[0], kind="stable")
    return kind(*(c[order] for c in cols))
