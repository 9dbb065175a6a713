"""Running the byproduct exchange each month: who offers, who needs, who knows whom.

Offers are fashion firms' cutting scraps and cooperatives' recyclable grades (split by
fibre mix) and the byproducts of firms of other sectors (:mod:`circsim.sectors`); needs
are recyclers' free capacity (mechanical route) and other sectors' inputs that a
byproduct can replace (:mod:`circsim.streams`). Only willing firms take part (their
awareness is above their hurdle), and a pair trades only if the seller knows the buyer
(:mod:`circsim.partners`). Each seller's reservation value is its own disposal price, so
a landfill tax makes exchange more attractive and no single fee closes the market at
once. A matchmaking platform widens what users know and lowers transaction costs, once
enough firms use it; the symbiosis programme (:mod:`circsim.programme`) makes firms
aware and willing and lets workshop groups know each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from circsim.agents import FashionFirm, Recycler, SocialCooperative
from circsim.agents.recycler import (
    POST_CONSUMER,
    PRE_CONSUMER,
    feedstock_price_eur_per_kg,
    margin_eur_per_t,
)
from circsim.partners import (
    NEIGHBOUR_CAP,
    PLATFORM_CANDIDATES,
    Relationships,
    cKDTree,
    greedy,
    neighbour_pairs,
    pair_key,
)
from circsim.programme import Programme
from circsim.sectors import SectorFirm, willing_mask
from circsim.seeds import mechanism_rng
from circsim.settlement import settle
from circsim.streams import (
    MECHANICAL,
    TEXTILE,
    Needs,
    Offers,
    accept_matrix,
    batch_quality,
    fibre_shares,
    merge,
    route_prices,
    sector_streams,
    stack,
    stack_sector_streams,
)

if TYPE_CHECKING:
    from circsim.model import TextileEconomy

class SymbiosisExchange:
    """The industrial-symbiosis market of the programme's area, with its relationships."""

    def __init__(self, model: TextileEconomy) -> None:
        self.model = model
        s = model.scenario
        self.firms = list(model.symbiosis_firms())
        self._fibre_buyers: list | None = None      # see _fibre_needs
        self.xy = np.array([f.xy for f in self.firms]).reshape(-1, 2)
        self.streams = {f.unique_id: sector_streams(s, f.sector, f.employees, f.weight,
                                                     model.scale)
                        for f in self.firms if isinstance(f, SectorFirm)}
        sector = [k for k, f in enumerate(self.firms) if isinstance(f, SectorFirm)]
        self.table = stack_sector_streams(
            sector, [self.streams[self.firms[k].unique_id] for k in sector],
            [self.firms[k].profile for k in sector])
        self.fashion_idx = [k for k, f in enumerate(self.firms) if isinstance(f, FashionFirm)]
        self.firm_ids = np.array([f.unique_id for f in self.firms], dtype=np.int64)
        self.firm_weight = np.array([f.weight for f in self.firms], dtype=np.float64)
        self.firm_sector = np.array([f.sector for f in self.firms], dtype=object)
        self.profiles = [f.profile for f in self.firms]
        self.accept = accept_matrix(s)
        self.virgin_price, self.virgin_co2 = route_prices(s)
        self.mix = fibre_shares(s)
        self.rel = Relationships(len(self.firms))
        self.rel.learn(*neighbour_pairs(self.xy, s.symbiosis.neighbourhood_km, NEIGHBOUR_CAP))
        self._network(s.symbiosis.network_contacts)
        self.platform_draw = model.rng.random(len(self.firms))
        self.quality_rng = mechanism_rng(model._seed, "byproduct_quality")
        # bad experiences draw from their own stream: how many links there are (which levers
        # change) must not shift the draws of households and other organisations
        self.relations_rng = mechanism_rng(model._seed, "partner_relations")
        self.programme = Programme(self)
        self.platform_users = 0.0
        self.backlog_months = 0
        self.unmet_kg_month = 0.0
        self.unmet_kg_by_material = np.zeros(2)     # PRE_CONSUMER, POST_CONSUMER
        self.unmet_zone = 0
        self.fibre_demand_kg = 0.0
        self.willing = np.zeros(len(self.firms), bool)   # this month's, by actor
        self.at: dict[str, np.ndarray] = {}              # this month's actor arrays
        self.month = self._empty_month()

    def _network(self, contacts: int) -> None:
        """Each firm knows ``contacts`` random firms of other sectors."""
        n = len(self.firms)
        if n < 2 or contacts <= 0:
            return
        sectors = np.array([f.sector for f in self.firms])
        a = np.repeat(np.arange(n), contacts)
        b = self.model.rng.integers(0, n, a.size)
        ok = sectors[a] != sectors[b]
        self.rel.learn(a[ok], b[ok])

    @staticmethod
    def _empty_month() -> dict[str, float]:
        return dict.fromkeys(("exchanged_kg", "tkm", "links", "participating", "sectors",
                              "revenue_eur", "disposal_saved_eur", "procurement_saved_eur",
                              "transport_saved_eur", "virgin_avoided_kg", "co2e_avoided_kg",
                              "setup_eur", "collaborations", "hours", "fibre_local_kg"), 0.0)

    @property
    def exchanged_kg(self) -> float:
        return self.month["exchanged_kg"]

    @property
    def tkm(self) -> float:
        return self.month["tkm"]

    @property
    def links(self) -> int:
        return int(self.month["links"])

    @property
    def trust(self) -> dict[tuple[int, int], float]:
        """Trust by (seller id, buyer id)."""
        return {divmod(k, 1_000_003): t for k, t in self.rel.trust.items()}

    def terms(self) -> tuple[float, float]:
        """Reach (km) and transaction cost (EUR/t) in force this month."""
        m = self.model
        c = m.conditions
        ex = m.scenario.exchange
        if c.platform_threshold is None:
            return ex.reach_km, ex.transaction_cost_eur_per_t
        self.platform_users += (1 - self.platform_users) * ex.platform_uptake_per_month
        if self.platform_users < c.platform_threshold:
            return ex.reach_km, ex.transaction_cost_eur_per_t
        return c.reach_km, c.transaction_cost_eur_per_t

    # -- the month -------------------------------------------------------------------
    def clear(self) -> None:
        """Match this month's offers with needs; what is left is disposed of."""
        m = self.model
        self.programme.step(m.conditions)
        self.month = self._empty_month()
        reach, cost = self.terms()
        platform = m.conditions.platform_threshold is not None and reach > \
            m.scenario.exchange.reach_km
        actors = [*self.firms, *m.cooperatives, *m.recyclers]
        willing = np.r_[willing_mask(self.profiles),
                        np.ones(len(actors) - len(self.firms), bool)]
        self.willing = willing
        self.at = self._actor_arrays(actors)
        offers, needs = self._offers_needs(actors, willing)
        pairs = self._candidates(actors, willing, offers, needs, reach, platform)
        trades = self._price(actors, offers, needs, pairs, cost)
        settle(self, actors, offers, needs, trades)

    def _actor_arrays(self, actors: list) -> dict[str, np.ndarray]:
        """Place, id, weight and kind of every actor: the firms' kept from the start,
        the cooperatives' and recyclers' (who may enter or leave) taken each month."""
        rest = actors[len(self.firms):]
        return {"xy": np.r_[self.xy, np.array([x.xy for x in rest]).reshape(-1, 2)],
                "ids": np.r_[self.firm_ids, [x.unique_id for x in rest]].astype(np.int64),
                "weight": np.r_[self.firm_weight, [getattr(x, "weight", 1.0) for x in rest]],
                "recycler": np.r_[np.zeros(len(self.firms), bool),
                                  [isinstance(x, Recycler) for x in rest]].astype(bool)}

    def _offers_needs(self, actors: list, willing: np.ndarray) -> tuple[Offers, Needs]:
        """This month's offers and needs: the sector firms' from the stacked table (only
        the willing), the fashion firms', cooperatives' and recyclers' one by one."""
        m = self.model
        firm_alt = -m.conditions.firm_disposal_cost_eur_per_t(m.scenario) / 1000
        coop_alt = -m.conditions.disposal_cost_eur_per_t(m.scenario) / 1000
        opening = self.opening_value_eur_per_kg()
        sp = m.scenario.symbiosis
        offers, needs = [], []
        for k in [*self.fashion_idx, *range(len(self.firms), len(actors))]:
            a = actors[k]
            if isinstance(a, Recycler):
                needs.append((k, MECHANICAL, a.room_kg, opening, opening))
                continue
            if isinstance(a, SocialCooperative):
                kg, q, alt, post = a.recyclable_kg, sp.post_consumer_quality, coop_alt, True
            else:
                kg, q, post = a.scraps_kg, sp.pre_consumer_quality, False
                alt = firm_alt * a.profile.disposal_factor
            if kg > 0 and willing[k]:
                offers += [(k, i, q, kg * self.mix[i], alt, post)
                           for i in np.flatnonzero(self.mix)]
        t = self.table
        g, h = willing[t.give_owner], willing[t.need_owner]
        value = (self.virgin_price * sp.byproduct_value_share)[t.need_route[h]] \
            * t.need_value_factor[h]
        offers = merge([stack(offers, Offers), Offers(
            t.give_owner[g], t.give_material[g], t.give_quality[g], t.give_kg[g],
            firm_alt * t.give_disposal_factor[g], np.zeros(int(g.sum()), bool))])
        needs = merge([stack(needs, Needs), Needs(t.need_owner[h], t.need_route[h],
                                                  t.need_kg[h], value, value)])
        self.fibre_demand_kg = sum(t.fibre_need_kg[willing[t.firm]].tolist(), 0.0)
        offers.quality = batch_quality(self.quality_rng, offers.quality,
                                       sp.quality_concentration)
        return offers, needs

    def opening_value_eur_per_kg(self) -> float:
        """What opening a kg of textile scraps into fibre is worth: the recycled fibre it
        yields less processing and wages (a recycler's margin at a zero feedstock price).

        It is the most a recycler would pay for an ideal batch to keep its plant fed, and
        the most any other buyer would give for raw textile scraps, which it could replace
        with the recyclers' fibre; both scale it by the batch's quality. Recyclers still
        pay their posted price: the value only ranks them against other buyers, so at
        equal value they win the material (they buy on posted terms, with no contract to
        set up) and other sectors take what they have no room for.
        """
        return margin_eur_per_t(self.model.scenario, 0.0) / 1000

    def _candidates(self, actors: list, willing: np.ndarray, offers: Offers, needs: Needs,
                    reach: float, platform: bool) -> tuple[np.ndarray, np.ndarray]:
        """Actor pairs (seller, buyer) that may trade: known firms, recyclers within reach,
        and platform users near each other."""
        n = len(actors)
        sells = np.zeros(n, bool)
        buys = np.zeros(n, bool)
        sells[offers.owner.astype(int)] = True
        buys[needs.owner.astype(int)] = True
        a, b = self.rel.known_a, self.rel.known_b
        ok = sells[a] & buys[b] & willing[a] & willing[b]
        parts_a, parts_b = [a[ok]], [b[ok]]
        xy = self.at["xy"]
        rec = np.flatnonzero(self.at["recycler"])
        sellers = np.flatnonzero(sells)
        if rec.size and sellers.size:
            d = np.hypot(*(xy[sellers, None, :] - xy[None, rec, :]).transpose(2, 0, 1))
            i, j = np.nonzero(d <= reach)
            parts_a.append(sellers[i])
            parts_b.append(rec[j])
        if platform:
            f = len(self.firms)
            users = np.zeros(n, bool)
            users[:f] = self.platform_draw < self.platform_users
            users[f:] = True
            s_u, b_u = np.flatnonzero(sells & users), np.flatnonzero(buys & users)
            if s_u.size and b_u.size:
                k = min(PLATFORM_CANDIDATES, b_u.size)
                d, j = cKDTree(xy[b_u]).query(xy[s_u], k=k, distance_upper_bound=reach)
                d, j = d.reshape(s_u.size, k), j.reshape(s_u.size, k)
                hit = np.isfinite(d)
                parts_a.append(np.repeat(s_u, k).reshape(-1, k)[hit])
                parts_b.append(b_u[j[hit]])
        pa, pb = np.concatenate(parts_a), np.concatenate(parts_b)
        keep = pa != pb
        _, first = np.unique(pair_key(pa[keep], pb[keep]), return_index=True)
        return pa[keep][first], pb[keep][first]

    def _price(self, actors: list, offers: Offers, needs: Needs, pairs, cost: float) -> dict:
        """Every feasible (offer, need) of the candidate pairs, with its surplus; the match."""
        m = self.model
        sp, ex = m.scenario.symbiosis, m.scenario.exchange
        n = len(actors)
        o_cnt = np.bincount(offers.owner.astype(int), minlength=n)
        n_cnt = np.bincount(needs.owner.astype(int), minlength=n)
        o_start, n_start = np.cumsum(o_cnt) - o_cnt, np.cumsum(n_cnt) - n_cnt
        pa, pb = pairs
        per = o_cnt[pa] * n_cnt[pb]
        p = np.repeat(np.arange(pa.size), per)
        k = np.arange(p.size) - np.repeat(np.cumsum(per) - per, per)
        oi = o_start[pa[p]] + k // np.maximum(n_cnt[pb[p]], 1)
        nj = n_start[pb[p]] + k % np.maximum(n_cnt[pb[p]], 1)
        mat, route = offers.material.astype(int)[oi], needs.route.astype(int)[nj]
        ok = offers.quality[oi] >= self.accept[route, mat]
        p, oi, nj, route = p[ok], oi[ok], nj[ok], route[ok]
        ids, xy, weight = self.at["ids"], self.at["xy"], self.at["weight"]
        keys = pair_key(ids[pa[p]], ids[pb[p]])
        once = np.unique(p)                  # look up each pair once, not each combination
        at = np.searchsorted(once, p)
        trust = self.rel.trust_of(keys[np.searchsorted(p, once)])[at]
        contract = self.rel.under_contract(keys[np.searchsorted(p, once)])[at]
        support = self.programme.support(pa[p], pb[p])
        dist = np.hypot(*(xy[pa[p]] - xy[pb[p]]).T)
        post = offers.post[oi].astype(bool)
        value = np.where(post, needs.value_post[nj], needs.value_pre[nj])
        to_rec = self.at["recycler"][pb[p]]
        textile = TEXTILE[offers.material.astype(int)[oi]]
        opening = self.opening_value_eur_per_kg()
        value = np.where(textile & ~to_rec, np.minimum(value, opening), value)
        value = value * offers.quality[oi]
        logistics = (ex.transport_eur_per_tkm * dist + cost * (1 - trust) * (1 - support)) / 1000
        real_kg = np.minimum(offers.kg[oi], needs.kg[nj]) / m.scale / weight[pa[p]]
        new = ~contract & ~to_rec    # recyclers buy on posted terms
        setup = new * sp.setup_cost_eur * (1 - trust) * (1 - support)
        setup_kg = setup / (sp.contract_months * np.maximum(real_kg, 1e-9))
        surplus = value - logistics - setup_kg - offers.reservation[oi]
        good = surplus > 0
        combo, kg = greedy(oi[good], nj[good], surplus[good], offers.kg, needs.kg)
        sel = np.flatnonzero(good)[combo]
        feed = feedstock_price_eur_per_kg(m.scenario)
        posted = np.where(post[sel], feed[POST_CONSUMER], feed[PRE_CONSUMER])
        price = np.where(to_rec[sel], posted,
                         (value[sel] - logistics[sel] + offers.reservation[oi[sel]]) / 2)
        return {"offer": oi[sel], "need": nj[sel], "kg": kg, "dist": dist[sel],
                "price": price, "logistics": logistics[sel], "key": keys[sel],
                "setup": setup[sel] * weight[pa[p[sel]]], "trust": trust[sel],
                "route": route[sel], "seller": pa[p[sel]], "buyer": pb[p[sel]],
                "to_recycler": to_rec[sel]}

    def _fibre_needs(self) -> list[tuple[SectorFirm, float]]:
        """The sector firms that would buy recycled fibre, with their need (fixed at the
        start, like the exchange's firms)."""
        if self._fibre_buyers is None:
            self._fibre_buyers = [(f, self.streams[f.unique_id].fibre_need_kg)
                                  for f in self.firms if isinstance(f, SectorFirm)
                                  and self.streams[f.unique_id].fibre_need_kg > 0]
        return self._fibre_buyers

    def sell_fibre(self, recycler: Recycler, kg: float, price_eur_per_kg: float) -> None:
        """The recycler's open-loop fibre: local firms that need recycled fibre buy first
        (their share of this month's demand), the rest is sold outside the area."""
        m = self.model
        local = min(kg, self.fibre_demand_kg)
        buyers = [(f, need) for f, need in self._fibre_needs() if f.willing]
        total = sum(need for _, need in buyers)
        for f, need in buyers:
            share = need / total
            m.pay(f, "fibre_sale", recycler, local * share / m.scale * price_eur_per_kg)
        m.pay("world", "fibre_sale", recycler, (kg - local) / m.scale * price_eur_per_kg)
        self.fibre_demand_kg -= local
        self.month["fibre_local_kg"] += local
        self.month["virgin_avoided_kg"] += local
