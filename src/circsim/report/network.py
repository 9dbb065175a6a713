"""The symbiosis network at a given month, on the map of Milan, Monza-Brianza and Lodi.

:func:`network_state` reads a running model: every symbiosis firm (place, sector, the
real firms it stands for), the exchange's links as they stand (partner pairs whose trust
is above the dashboard's ``MIN_TRUST``: pairs that traded recently), the shared-service
groups and the machines reused so far (from the firm that held it to the newcomer's
workshop). :func:`draw_network` draws one or more such states side by side over the
municipal boundaries; :func:`network_figure` runs the scenarios to the month and saves
the PNG (``circsim network``). Colours and the link threshold are the dashboard map's
(:mod:`circsim.viz.mapsymbiosis`), so the figure and the map read alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from circsim.experiments.figures import FONT  # one size for every printed figure
from circsim.settlement import RECOVERY_SECTOR
from circsim.viz.mapsymbiosis import GROUP, LINK, MIN_TRUST, sector_colour, sectors

MACHINE = "#d95f02"


@dataclass(frozen=True)
class NetworkState:
    """What the figure draws of one model at one month (coordinates in km)."""

    label: str
    month: int
    firm_xy: np.ndarray          # (n, 2)
    firm_sector: np.ndarray      # (n,) ATECO division
    firm_weight: np.ndarray      # (n,) real firms each stands for
    link_xy: np.ndarray          # (k, 2, 2) seller and buyer of each link
    link_trust: np.ndarray       # (k,)
    link_sectors: list[tuple[str, str]]
    group_xy: np.ndarray         # (g, 2) shared-service sites
    group_members: np.ndarray    # (g,) firms sharing at each site
    machine_moves: np.ndarray    # (r, 2, 2) from holder to newcomer
    recycler_xy: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    coop_xy: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))

    @property
    def link_km(self) -> np.ndarray:
        """Straight-line length of each link (km)."""
        return np.hypot(*(self.link_xy[:, 0] - self.link_xy[:, 1]).T)

    def summary(self) -> dict[str, float]:
        """Counts and distances to describe the picture with."""
        km = self.link_km
        cross = [p for p in self.link_sectors if p[0] != p[1]]
        return {"firms": len(self.firm_xy), "links": len(km),
                "cross_sector_links": len(cross),
                "sectors_linked": len({s for p in cross for s in p}),
                "link_km_median": float(np.median(km)) if km.size else 0.0,
                "link_km_p90": float(np.percentile(km, 90)) if km.size else 0.0,
                "link_km_max": float(km.max()) if km.size else 0.0,
                "service_sites": len(self.group_xy),
                "service_members": int(self.group_members.sum()),
                "machines_reused": len(self.machine_moves)}


def network_state(model, label: str, month: int) -> NetworkState:
    """The network of ``model`` as it stands now (at ``month`` of its run)."""
    firms = list(model.symbiosis_firms())
    actors = {a.unique_id: a for a in (*firms, *model.cooperatives, *model.recyclers)}
    pairs = [(actors[s], actors[b], t) for (s, b), t in sorted(model.exchange.trust.items())
             if t > MIN_TRUST and s in actors and b in actors]
    sites: dict[tuple[float, float], set] = {}
    for g in model.shared_services.groups:
        sites.setdefault((float(g.xy[0]), float(g.xy[1])), set()).update(
            id(f) for f in g.members)
    moves = model.machinery.moves
    return NetworkState(
        label=label, month=month,
        firm_xy=np.array([f.xy for f in firms]).reshape(-1, 2),
        firm_sector=np.array([f.sector for f in firms]),
        firm_weight=np.array([f.weight for f in firms], float),
        link_xy=np.array([[a.xy, b.xy] for a, b, _ in pairs], float).reshape(-1, 2, 2),
        link_trust=np.array([t for *_, t in pairs], float),
        link_sectors=[(_sector(a), _sector(b)) for a, b, _ in pairs],
        group_xy=np.array(list(sites), float).reshape(-1, 2),
        group_members=np.array([len(m) for m in sites.values()], int),
        machine_moves=np.array(moves, float).reshape(-1, 2, 2),
        recycler_xy=np.array([r.xy for r in model.recyclers], float).reshape(-1, 2),
        coop_xy=np.array([c.xy for c in model.cooperatives], float).reshape(-1, 2))


def _sector(actor) -> str:
    """A firm's ATECO division; cooperatives and recyclers count as recovery (38)."""
    return getattr(actor, "sector", RECOVERY_SECTOR)


def draw_network(states: list[NetworkState]) -> Figure:
    """One map panel per state, sharing one legend of sectors and symbols."""
    from circsim.viz.mapview import load_map

    fig = Figure(figsize=(7.5 * len(states), 8.6), layout="constrained")
    axes = fig.subplots(1, len(states), squeeze=False)[0]
    towns = load_map().municipalities
    for ax, st in zip(axes, states, strict=True):
        for town in towns:
            for ring in town.rings:
                ax.fill(*ring.T, facecolor="#f4f4f0" if town.metro else "#fbfbf8",
                        edgecolor="#c8c8c0", linewidth=0.3, zorder=0)
        for (a, b), t in zip(st.link_xy, st.link_trust, strict=True):
            ax.plot(*np.array([a, b]).T, color=LINK, alpha=0.25 + 0.5 * t,
                    linewidth=0.5 + 1.8 * t, zorder=2)
        for a, b in st.machine_moves:
            ax.plot(*np.array([a, b]).T, color=MACHINE, linewidth=0.4, alpha=0.12, zorder=1)
        if len(st.machine_moves):
            sites, count = np.unique(st.machine_moves[:, 1].round(1), axis=0,
                                     return_counts=True)
            ax.scatter(*sites.T, marker="^", s=6 + 3 * count, color=MACHINE, alpha=0.45,
                       linewidths=0, zorder=2)
        order = np.argsort(-st.firm_weight, kind="stable")
        ax.scatter(*st.firm_xy[order].T, s=12 + 16 * np.log10(1 + st.firm_weight[order]),
                   c=[sector_colour(s) for s in st.firm_sector[order]], alpha=0.9,
                   linewidths=0.3, edgecolors="white", zorder=3)
        for xy, marker in ((st.recycler_xy, "s"), (st.coop_xy, "D")):
            if len(xy):
                ax.scatter(*xy.T, marker=marker, s=70, color="black", edgecolors="white",
                           linewidths=0.8, zorder=5)
        if len(st.group_xy):
            ax.scatter(*st.group_xy.T, s=90 + 25 * st.group_members, facecolors="none",
                       edgecolors=GROUP, linewidths=2.2, zorder=4)
        s = st.summary()
        ax.set_title(f"{st.label}, month {st.month}\n{s['links']} links "
                     f"({s['cross_sector_links']} across sectors), median "
                     f"{s['link_km_median']:.1f} km\n{s['service_sites']} shared-service "
                     f"sites, {s['machines_reused']} machines reused", fontsize=FONT + 1)
        ax.set_aspect("equal")
        ax.set_xlabel("km east of the Duomo", fontsize=FONT)
        ax.set_ylabel("km north of the Duomo", fontsize=FONT)
        ax.tick_params(labelsize=FONT)
    fig.legend(handles=_legend(states), loc="outside lower center", ncol=4, fontsize=FONT,
               frameon=False)
    return fig


def _legend(states: list[NetworkState]) -> list[Line2D]:
    """Sectors present in any panel, then the symbols."""
    from circsim.viz.i18n import tr

    present = set().union(*(set(s.firm_sector.tolist()) for s in states))
    dots = [Line2D([], [], marker="o", linestyle="", color=sector_colour(s), markersize=7,
                   label=tr(f"sector.{s}", "en")) for s in sectors() if s in present]
    return [*dots,
            Line2D([], [], color=LINK, linewidth=1.5, label="exchange link (trust)"),
            Line2D([], [], marker="s", linestyle="", color="black", markersize=8,
                   label="textile recycler"),
            Line2D([], [], marker="D", linestyle="", color="black", markersize=7,
                   label="social cooperative"),
            Line2D([], [], marker="o", linestyle="", markerfacecolor="none",
                   markeredgecolor=GROUP, markersize=9, label="shared-service site"),
            Line2D([], [], marker="^", linestyle="-", color=MACHINE, markersize=7,
                   alpha=0.6, label="newcomer's reused machines (line: from holder)")]


def network_figure(scenarios: list[str], month: int, out: Path, *, seed: int | None = None,
                   scale: float | None = None) -> tuple[Path, list[NetworkState]]:
    """Run each scenario to ``month`` (after its warm-up) and save their networks as a PNG."""
    from circsim.model import TextileEconomy
    from circsim.scenario import load_scenario

    states = []
    for name in scenarios:
        overrides = {"months": month} | ({"scale": scale} if scale is not None else {})
        scenario = load_scenario(name, overrides=overrides)
        model = TextileEconomy(scenario, seed=seed)
        model.run(month)
        states.append(network_state(model, scenario.label or scenario.name, month))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    draw_network(states).savefig(out, dpi=110)
    return out, states
