"""Firms of several sectors in Milan, Monza-Brianza and Lodi, for industrial symbiosis.

The symbiosis programme brings together *traditionally separate* sectors. Besides the
fashion firms (ATECO division 14), the model holds a representative set of firms of
the divisions that give or take textile-relevant streams or share services (textiles,
leather, wood, paper, chemicals, plastics, building materials, automotive, furniture,
hospitality), typed by ATECO 2007 division and placed in a municipality of one of the
three provinces.

Counts and mean sizes come from ``data/symbiosis_sectors.csv`` (real firms per
division and province); each (division, province) cell has at least
``symbiosis.agents_per_sector_province`` agents, and more where the cell is large, so
that no agent stands for more than ``symbiosis.max_firms_per_agent`` real firms (a
single large agent would make participation jump in lumps). Each agent's ``weight`` =
real firms of the cell / agents, so sums weighted by ``weight`` give real counts. The
fashion firms' weights follow the real size mix (``symbiosis.fashion_size_shares``:
most apparel firms are small), not the market's mix of the representative brands.
Within a province an agent's municipality is drawn in proportion to
``data/municipalities.csv`` (residents, in thousands), and its site scattered within
about a kilometre of the town centre.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from circsim.geography import allocate
from circsim.mesa_core import Agent
from circsim.money import open_wallet
from circsim.scenario.schema import FIRM_SIZES

if TYPE_CHECKING:
    from circsim.model import TextileEconomy

PROVINCES = ("milano", "monza_brianza", "lodi")
FASHION_SECTOR = "14"
#: km per degree at Milan's latitude; the metro's map puts Milan's centre at (0, 0)
KM_PER_DEG_LON, KM_PER_DEG_LAT = 78.2, 111.2
MILAN_LAT, MILAN_LON = 45.4642, 9.19
SITE_SCATTER_KM = 1.0


@cache
def _table(name: str) -> pd.DataFrame:
    with resources.files("circsim.data").joinpath(name).open() as f:
        return pd.read_csv(f, dtype={"sector": str})


def sector_table() -> pd.DataFrame:
    """Real firms per ATECO division and province, and their mean employees."""
    return _table("symbiosis_sectors.csv")


def stream_table() -> pd.DataFrame:
    """What each division gives (material, kg per employee a month, quality) and needs
    (route, kg per employee a month)."""
    return _table("sector_streams.csv")


def municipality_table() -> pd.DataFrame:
    """Municipalities of the three provinces, with km coordinates on the metro's map."""
    t = _table("municipalities.csv").copy()
    t["x_km"] = (t["lon"] - MILAN_LON) * KM_PER_DEG_LON
    t["y_km"] = (t["lat"] - MILAN_LAT) * KM_PER_DEG_LAT
    return t


@cache
def _metro_towns() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Names and km coordinates of the metro's municipalities, read once a process (every
    fashion firm looks up its nearest town)."""
    towns = municipality_table()
    towns = towns[towns.province == "milano"]
    return (towns["municipality"].to_numpy(), towns["x_km"].to_numpy(),
            towns["y_km"].to_numpy())


@dataclass
class SymbiosisProfile:
    """What makes a firm a symbiosis actor (the attributes every symbiosis firm has)."""

    sector: str
    municipality: str
    employees: float
    weight: float
    symbiosis_awareness: float
    hurdle: float                 # willing to exchange once awareness reaches it
    disposal_factor: float        # its own disposal price relative to the average
    value_factor: float           # how much it values inputs relative to the average


def draw_profile(model: TextileEconomy, sector: str, municipality: str, employees: float,
                 weight: float) -> SymbiosisProfile:
    """A firm's awareness, willingness hurdle and reservation factors, drawn once.

    Awareness is Beta with mean ``awareness_mean`` and ``a + b = awareness_concentration``;
    the hurdle is uniform, so a share ``awareness_mean`` of firms starts willing.
    Reservation factors are lognormal with mean 1 and spread ``reservation_sigma``.
    """
    sp = model.scenario.symbiosis
    rng = model.rng
    a = sp.awareness_mean * sp.awareness_concentration
    b = (1 - sp.awareness_mean) * sp.awareness_concentration
    sigma = sp.reservation_sigma
    factors = rng.lognormal(-sigma**2 / 2, sigma, 2)
    return SymbiosisProfile(sector, municipality, float(employees), float(weight),
                            float(rng.beta(a, b)), float(rng.random()),
                            float(factors[0]), float(factors[1]))


class SymbiosisMember:
    """Mixin: the symbiosis attributes, read from the firm's :class:`SymbiosisProfile`."""

    profile: SymbiosisProfile

    @property
    def sector(self) -> str:
        return self.profile.sector

    @property
    def municipality(self) -> str:
        return self.profile.municipality

    @property
    def employees(self) -> float:
        return self.profile.employees

    @property
    def weight(self) -> float:
        return self.profile.weight

    @property
    def symbiosis_awareness(self) -> float:
        return self.profile.symbiosis_awareness

    @symbiosis_awareness.setter
    def symbiosis_awareness(self, value: float) -> None:
        self.profile.symbiosis_awareness = min(1.0, max(0.0, float(value)))

    def raise_awareness(self, gain: float) -> None:
        """Close a share ``gain`` of the gap to full awareness."""
        self.symbiosis_awareness += gain * (1.0 - self.symbiosis_awareness)

    @property
    def willing(self) -> bool:
        """Whether the firm takes part in the exchange (aware enough)."""
        return aware_enough(self.profile)


def aware_enough(profile: SymbiosisProfile) -> bool:
    """Whether a firm of ``profile`` takes part in the exchange: its awareness has
    reached its hurdle (:func:`willing_mask` asks it of many firms at once)."""
    return profile.symbiosis_awareness >= profile.hurdle


def willing_mask(profiles: list[SymbiosisProfile]) -> np.ndarray:
    """:func:`aware_enough` of each profile, as a bool array."""
    return np.fromiter(map(aware_enough, profiles), bool, len(profiles))


class SectorFirm(SymbiosisMember, Agent):
    """A representative firm of a sector other than fashion: gives and needs materials."""

    HOLDS = ()

    def __init__(self, model: TextileEconomy, profile: SymbiosisProfile, xy: np.ndarray,
                 province: str) -> None:
        super().__init__(model)
        self.profile = profile
        self.xy = xy
        self.province = province
        open_wallet(self, "other_firms")

    def holdings(self) -> dict[str, float]:
        """Its byproducts leave within the month (exchanged or disposed of): no stock."""
        return {}


def create_sector_firms(model: TextileEconomy) -> None:
    """The representative firms of every (division, province) cell."""
    sp = model.scenario.symbiosis
    rng = model.rng
    towns = municipality_table()
    for row in sector_table().itertuples(index=False):
        for province in PROVINCES:
            real = getattr(row, province) * sp.firm_count_factor
            if real <= 0:
                continue
            n = agents_in_cell(sp, real)
            here = towns[towns.province == province]
            p = here["weight"].to_numpy(float)
            picks = rng.choice(len(here), size=n, p=p / p.sum())
            for k in picks:
                town = here.iloc[int(k)]
                xy = (np.array([town.x_km, town.y_km])
                      + rng.normal(0.0, SITE_SCATTER_KM, 2))
                profile = draw_profile(model, row.sector, str(town.municipality),
                                       row.employees, real / n)
                SectorFirm(model, profile, xy, province)


def agents_in_cell(sp, real_firms: float) -> int:
    """Agents standing for a (division, province) cell of ``real_firms`` firms."""
    return max(sp.agents_per_sector_province, int(np.ceil(real_firms / sp.max_firms_per_agent)))


def fashion_weight(model: TextileEconomy, size: str) -> float:
    """Real apparel firms one fashion agent of ``size`` stands for: the real firms of that
    size class over the agents of that size."""
    sp, fp = model.scenario.symbiosis, model.scenario.firms
    agents = allocate(fp.count, np.array([fp.size_shares.get(s, 0.0) for s in FIRM_SIZES]))
    real = np.array([getattr(sp.fashion_size_shares, s) for s in FIRM_SIZES])
    k = FIRM_SIZES.index(size)
    return sp.fashion_firms_represented * real[k] / max(real.sum(), 1e-12) / max(agents[k], 1)


def fashion_profile(model: TextileEconomy, size: str, xy: np.ndarray) -> SymbiosisProfile:
    """The symbiosis profile of a fashion firm (division 14): its municipality is the
    nearest listed town of the metro."""
    sp = model.scenario.symbiosis
    names, x, y = _metro_towns()
    d = np.hypot(x - xy[0], y - xy[1])
    weight = fashion_weight(model, size)
    return draw_profile(model, FASHION_SECTOR, str(names[int(d.argmin())]),
                        getattr(sp.fashion_employees, size), weight)
