"""Settling a month of the symbiosis exchange: material, money, relationships, counts.

Each trade moves its mass in the ledger (to a recycler's stock, or to ``sector_inputs``
when a firm of another sector uses it in place of a virgin input) and its money in the
euro ledger (the buyer pays the seller a price that splits the gain, or the seller pays
when the price is negative; the buyer pays transport and transaction costs; a new
contract's set-up is paid by the seller). What no one took is disposed of at the
seller's expense. Then trust, contracts and bad experiences are updated and the
month's benefits counted (economic, environmental, social, network).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from circsim.agents import FashionFirm, SocialCooperative
from circsim.streams import TEXTILE

if TYPE_CHECKING:
    from circsim.streams import Needs, Offers
    from circsim.symbiosis import SymbiosisExchange

SOURCE_NODE = {"firms": "firms", "cooperatives": "cooperatives",
               "other_firms": "sector_byproducts"}
RECOVERY_SECTOR = "38"    # ATECO 38: waste collection, treatment and recovery


def settle(ex: SymbiosisExchange, actors: list, offers: Offers, needs: Needs, t: dict) -> None:
    """Carry out the month's trades and dispose of what is left."""
    m = ex.model
    sp = m.scenario.symbiosis
    c = m.scenario.climate
    mo = ex.month
    sold = np.bincount(t["offer"], t["kg"], len(offers.kg)) if len(offers.kg) else np.zeros(0)
    road_km = c.road_km_per_straight_km
    haul = m.scenario.exchange.transport_eur_per_tkm
    virgin_price, virgin_co2 = ex.virgin_price.tolist(), ex.virgin_co2.tolist()
    reservation = offers.reservation.tolist()
    cols = [t[name].tolist() for name in ("kg", "seller", "buyer", "price", "to_recycler",
                                          "route", "logistics", "dist", "setup", "offer")]
    for kg, s, b, price, to_rec, route, logistics, dist, setup, offer in zip(*cols,
                                                                             strict=True):
        seller, buyer = actors[s], actors[b]
        src = SOURCE_NODE[seller.account]
        real = kg / m.scale
        if to_rec:
            buyer.receive(kg, seller, price, src)
        else:
            m.ledger.move(src, "symbiosis_exchange", "sector_inputs", kg)
            if price >= 0:
                m.pay(buyer, "byproduct_sale", seller, real * price)
            else:
                m.pay(seller, "byproduct_gate_fee", buyer, -real * price)
            m.pay(buyer, "byproduct_logistics", "world", real * logistics)
            mo["procurement_saved_eur"] += real * (virgin_price[route] - price - logistics)
            mo["virgin_avoided_kg"] += kg
            mo["co2e_avoided_kg"] += kg * virgin_co2[route]
            mo["transport_saved_eur"] += (real / 1000 * (sp.virgin_transport_km
                                                         - dist * road_km) * haul)
        if isinstance(seller, FashionFirm):
            seller.scraps_kg -= kg
        elif isinstance(seller, SocialCooperative):
            seller.recyclable_kg -= kg
        if setup > 0:
            m.pay(seller, "symbiosis_setup", "world", setup)
            mo["setup_eur"] += setup
        mo["revenue_eur"] += real * max(price, 0.0)
        mo["disposal_saved_eur"] += -real * reservation[offer]
        mo["exchanged_kg"] += kg
        mo["tkm"] += kg / 1000 * dist
    mo["hours"] = mo["exchanged_kg"] / m.scale / 1000 * sp.handling_hours_per_t
    _dispose(ex, actors, offers, sold)
    _relationships(ex, actors, t)


def _dispose(ex: SymbiosisExchange, actors: list, offers: Offers, sold: np.ndarray) -> None:
    """Disposal of all that found no partner; the recyclers' backlog signal."""
    m = ex.model
    left = offers.kg - sold if len(offers.kg) else np.zeros(0)
    owner = offers.owner.astype(int)
    by_owner = np.bincount(owner, left, len(actors)) if left.size else np.zeros(len(actors))
    for coop in m.cooperatives:
        k = actors.index(coop)
        coop.recyclables_unsold(float(min(by_owner[k], coop.recyclable_kg)))
    firms = list(m.firms)               # unsold scraps are disposed of, firm by firm
    scraps = np.array([f.scraps_kg for f in firms], dtype=np.float64)
    some = scraps > 0
    m.send_to_residual_each("firms", "scrap_disposal", scraps[some],
                            [f for f, yes in zip(firms, some.tolist(), strict=True) if yes])
    for f in firms:
        f.scraps_kg = 0.0
    t = ex.table
    kg = np.where(ex.willing[t.firm], by_owner[t.firm], t.give_total_kg)
    m.ledger.move_each("sector_byproducts", "sector_byproduct_disposal", "sector_disposal", kg)
    m.pay_disposal_each([ex.firms[k] for k in t.firm.tolist()], kg)
    _update_backlog(ex, actors, offers, left)


def _update_backlog(ex: SymbiosisExchange, actors: list, offers: Offers,
                    left: np.ndarray) -> None:
    """Months in a row when recyclers were full while textile feedstock went to disposal."""
    m = ex.model
    recyclers = list(m.recyclers)
    room = sum(b.room_kg for b in recyclers)
    capacity = sum(b.capacity_kg for b in recyclers)
    textile = TEXTILE[offers.material.astype(int)] if left.size else np.zeros(0, bool)
    unmet = float(left[textile].sum()) if left.size else 0.0
    full = m.scenario.recyclers.full_room_share
    if unmet > 0 and room <= full * max(capacity, 1e-9):
        ex.backlog_months += 1
        ex.unmet_kg_month = unmet
        post = offers.post.astype(bool)
        # by PRE_CONSUMER, POST_CONSUMER
        ex.unmet_kg_by_material = np.array([left[textile & ~post].sum(),
                                            left[textile & post].sum()])
        zones = np.bincount([_zone(m, actors[int(o)]) for o in offers.owner[textile]],
                            left[textile], m.geo.n_zones)
        ex.unmet_zone = int(zones.argmax())
    else:
        ex.backlog_months = 0


def _zone(model, actor) -> int:
    """The zone of an actor; firms outside the metro count in the nearest zone."""
    if isinstance(actor, FashionFirm):
        return actor.zone
    if isinstance(actor, SocialCooperative):
        return (actor.zones or actor.shop_zones)[0]
    return int(np.hypot(*(model.geo.xy_km - actor.xy).T).argmin())


def _relationships(ex: SymbiosisExchange, actors: list, t: dict) -> None:
    """Trust, contracts and bad experiences; the network counts of the month."""
    m = ex.model
    sp, exp = m.scenario.symbiosis, m.scenario.exchange
    keys = np.unique(t["key"])
    trust = np.array([ex.rel.trust.get(int(k), 0.0) for k in keys])
    bad = keys[ex.relations_rng.random(keys.size) < sp.bad_experience_per_month * (1 - trust)]
    ex.rel.update(set(keys.tolist()), exp.trust_gain_per_month, exp.trust_decay_per_month,
                  sp.contract_months, bad)
    mo = ex.month
    mo["links"] = keys.size
    mo["collaborations"] = len(ex.rel.contracts)
    n_firms = len(ex.firms)
    traders = np.unique(np.r_[t["seller"], t["buyer"]]).astype(int)
    mo["participating"] = sum(ex.firm_weight[traders[traders < n_firms]].tolist())
    sector = np.r_[ex.firm_sector, [RECOVERY_SECTOR] * (len(actors) - n_firms)]
    sa, sb = sector[t["seller"].astype(int)], sector[t["buyer"].astype(int)]
    other = sa != sb
    mo["sectors"] = len(set(sa[other].tolist()) | set(sb[other].tolist()))
