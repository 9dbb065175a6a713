"""The metro's zones, their coordinates and the distances that drive costs and choices.

Zones are Milan city plus the seven homogeneous zones of the Metropolitan City
of Milan (133 municipalities). Shares of residents are rounded from ISTAT
municipal populations (2023); areas and centroids (km east and north of the
Duomo, at the zone's main town) are approximate. Source table:
``circsim/data/zones.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

DUOMO_LON_LAT = (9.1900, 45.4642)   # the origin of every km coordinate: Milan's Duomo
KM_PER_DEGREE = (111.32 * float(np.cos(np.radians(DUOMO_LON_LAT[1]))), 110.57)   # lon, lat
MILAN_CITY_HOUSEHOLDS = 743_276   # ISTAT / metro statistics office, 1 Jan 2025
METRO_HOUSEHOLDS = 1_584_210      # same source: the whole Metropolitan City


@dataclass(frozen=True)
class Geography:
    """Zones as columns: names, coordinates (km), areas (km2), real residents and households."""

    names: tuple[str, ...]
    xy_km: np.ndarray
    area_km2: np.ndarray
    residents: np.ndarray
    households: np.ndarray

    @property
    def n_zones(self) -> int:
        return len(self.names)

    def household_size(self) -> np.ndarray:
        """Mean persons per household in each zone."""
        return self.residents / self.households

    def scatter(self, zone: np.ndarray, rng: np.random.Generator,
                radius_share: float) -> np.ndarray:
        """Random points near the centroid of each given zone, spread by its area.

        Uniform over a disc around the centroid whose radius is ``radius_share`` of the
        radius of a disc of the zone's area.
        """
        zone = np.asarray(zone, dtype=int)
        radius = np.sqrt(self.area_km2[zone] / np.pi) * radius_share
        angle = rng.uniform(0, 2 * np.pi, size=zone.size)
        r = radius * np.sqrt(rng.uniform(0, 1, size=zone.size))
        return self.xy_km[zone] + np.column_stack([r * np.cos(angle), r * np.sin(angle)])

    def nearest_bin_km(self, bins_per_10k: float, u: np.ndarray, zone: np.ndarray) -> np.ndarray:
        """Distance from each household to its nearest collection bin.

        Bins are taken as a Poisson process over the zone's area, so the
        distance to the nearest one follows a Rayleigh law: ``u`` is each
        household's fixed uniform draw, keeping its place as density changes.
        """
        bins = bins_per_10k * self.residents / 1e4
        density = np.maximum(bins / self.area_km2, 1e-6)   # bins per km2
        d = np.sqrt(-np.log(u) / (np.pi * density[zone]))
        return np.minimum(d, 50.0).astype(np.float32)


def lonlat_to_km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Longitude and latitude (WGS84) as km east and north of the Duomo (equirectangular:
    within the metro's 60 km the error is below 0.5 %)."""
    return np.column_stack([(np.asarray(lon) - DUOMO_LON_LAT[0]) * KM_PER_DEGREE[0],
                            (np.asarray(lat) - DUOMO_LON_LAT[1]) * KM_PER_DEGREE[1]])


def load_geography(residents: int, households: int) -> Geography:
    """The packaged zone table, scaled to the scenario's residents and households."""
    with resources.files("circsim.data").joinpath("zones.csv").open() as fh:
        table = pd.read_csv(fh)
    share = table["residents_share"].to_numpy(float)
    res = residents * share / share.sum()
    hh = np.empty_like(res)
    city = table["name"].eq("Milano").to_numpy()
    city_hh = MILAN_CITY_HOUSEHOLDS * households / METRO_HOUSEHOLDS
    hh[city] = city_hh
    rest = ~city
    hh[rest] = (households - city_hh) * res[rest] / res[rest].sum()
    return Geography(
        names=tuple(table["name"]),
        xy_km=table[["x_km", "y_km"]].to_numpy(float),
        area_km2=table["area_km2"].to_numpy(float),
        residents=res,
        households=hh,
    )


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total across weights by largest remainder (sums exactly to total)."""
    weights = np.asarray(weights, dtype=float)
    raw = total * weights / weights.sum()
    base = np.floor(raw).astype(int)
    short = total - base.sum()
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:short]] += 1
    return base
