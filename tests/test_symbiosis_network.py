"""The picture of the symbiosis network: what it reads from a model, and the PNG."""

from __future__ import annotations

import numpy as np

from circsim.cli import build_parser
from circsim.model import TextileEconomy
from circsim.report.network import NetworkState, draw_network, network_state
from circsim.scenario import load_scenario
from conftest import SMALL


def _state(links: int = 2) -> NetworkState:
    xy = np.array([[0.0, 0.0], [3.0, 4.0], [10.0, 0.0]])
    return NetworkState(
        label="test", month=36, firm_xy=xy, firm_sector=np.array(["14", "31", "22"]),
        firm_weight=np.array([1.0, 10.0, 100.0]),
        link_xy=np.array([[xy[0], xy[1]], [xy[0], xy[2]]])[:links],
        link_trust=np.array([0.5, 0.1])[:links],
        link_sectors=[("14", "31"), ("14", "14")][:links],
        group_xy=np.array([[1.0, 1.0]]), group_members=np.array([3]),
        machine_moves=np.array([[xy[0], [2.0, 2.0]]]))


def test_summary_counts_links_across_sectors_and_their_length():
    s = _state().summary()
    assert s["links"] == 2 and s["cross_sector_links"] == 1 and s["sectors_linked"] == 2
    assert s["link_km_median"] == 7.5 and s["link_km_max"] == 10.0
    assert s["service_members"] == 3 and s["machines_reused"] == 1


def test_the_figure_draws_every_panel_with_a_legend(tmp_path):
    fig = draw_network([_state(), _state(links=0)])
    assert len(fig.axes) == 2 and "2 links" in fig.axes[0].get_title()
    out = tmp_path / "net.png"
    fig.savefig(out, dpi=40)
    assert out.stat().st_size > 1000


def test_network_state_of_a_running_model_matches_its_exchange():
    model = TextileEconomy(load_scenario("sigma_programme", overrides=SMALL), seed=3)
    model.run(6)
    st = network_state(model, "sigma", 6)
    assert len(st.firm_xy) == len(model.symbiosis_firms())
    assert len(st.link_xy) == sum(t > 0.02 for t in model.exchange.trust.values())
    assert len(st.machine_moves) == len(model.machinery.moves)
    assert len(st.recycler_xy) == len(model.recyclers)


def test_network_and_bench_options_parse():
    args = build_parser().parse_args(["network", "sigma_programme", "--against", "baseline",
                                      "--month", "12"])
    assert args.against == ["baseline"] and args.month == 12
    assert build_parser().parse_args(["bench", "--only", "exchange"]).only == "exchange"
