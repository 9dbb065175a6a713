"""Fashion firms: produce for demand, route scraps and unsold stock, adopt innovations.

Material flows are at the simulated scale; economic decisions use the real
firm's volumes (simulated kg divided by ``scale``), so a firm weighs a real
innovation cost against real savings whatever the scale of the run.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from circsim.ledger import running_sum
from circsim.mesa_core import Agent
from circsim.money import open_wallet
from circsim.sectors import SymbiosisMember, fashion_profile
from circsim.seeds import mechanism_rng

if TYPE_CHECKING:
    from circsim.model import TextileEconomy

INNOVATIONS = ("durable_design", "recycled_content", "repair_service", "take_back")
OUTLETS = ("donate", "destroy", "dispose")


def produce_each(model: TextileEconomy, firms: list) -> None:
    """:meth:`FashionFirm.produce` for each of ``firms`` in turn, in a few batches.

    The same sales, fabric, moves, payments and tallies as one call each, to the last
    bit: each firm's quantities are the same arithmetic on arrays, recycled fibre is drawn
    from the pool firm by firm, and the ledgers' running sums go firm by firm
    (:meth:`~circsim.ledger.Ledger.move_table`, :meth:`~circsim.money.EuroLedger.pay_table`).
    """
    m = model
    fp = m.scenario.firms
    n = len(firms)
    if n == 0:
        return
    sales = np.fromiter((f.market_share for f in firms), np.float64, n) * m.new_demand_kg
    stock = np.fromiter((f.stock_kg for f in firms), np.float64, n)
    from_stock = np.minimum(stock, sales)
    fresh = sales - from_stock
    produced = fresh / (1.0 - fp.unsold_share)
    # only garments cut in the metro leave their scraps here; the rest arrive finished
    cut_here = produced * fp.local_production_share
    fabric = produced + cut_here * fp.cutting_waste_share / (1.0 - fp.cutting_waste_share)
    wanted = fabric * np.fromiter((f.recycled_content for f in firms), np.float64, n)
    recycled = np.array([m.fibre.draw(kg) for kg in wanted.tolist()], dtype=np.float64)
    virgin = fabric - recycled
    m.ledger.move_table([("firms", "discount_sale", "households"),
                         ("recycled_fibre", "recycled_fabric", "firms"),
                         ("virgin_fibre", "virgin_fabric", "firms"),
                         ("firms", "new_sale", "households")],
                        np.stack([from_stock, recycled, virgin, fresh], axis=1))
    for f, s, st, u, sc in zip(firms, sales.tolist(), (stock - from_stock).tolist(),
                               (produced - fresh).tolist(), (fabric - produced).tolist(),
                               strict=True):
        f.sales_kg, f.stock_kg, f.unsold_kg, f.scraps_kg = s, st, u, sc
    for key, kgs in (("virgin_fibre_kg", virgin), ("recycled_fibre_used_kg", recycled),
                     ("production_kg", produced)):
        m.tally[key] = running_sum(m.tally[key], kgs)
    fee_per_kg = m.conditions.epr_fee_eur_per_kg * np.array(
        [f.epr_modulation() for f in firms], dtype=np.float64)
    # households pay the price with the fee passed on; suppliers are paid for all made
    m.money.pay_table(firms, [
        (m.households, "garment_sale", None),
        (None, "cost_of_goods", m.sectors["world"]),
        (None, "epr_fee", m.sectors["epr_scheme"])], np.stack([
            sales / m.scale * (fp.price_eur_per_kg + fee_per_kg),
            produced / m.scale * fp.unit_cost_eur_per_kg,
            fee_per_kg * sales / m.scale], axis=1))


class FashionFirm(SymbiosisMember, Agent):
    """A brand or retailer placing garments on the metro's market."""

    HOLDS = ("firms",)

    def __init__(self, model: TextileEconomy, zone: int, xy: np.ndarray, size: str,
                 market_share: float) -> None:
        super().__init__(model)
        fp = model.scenario.firms
        self.zone = zone
        self.xy = xy
        self.size = size
        self.market_share = market_share
        self.durability = fp.durability
        self.recycled_content = fp.recycled_content
        self.innovations: set[str] = set()
        # firms differ in how much destroying unsold goods protects their brand
        # (a lognormal factor of mean 1 around their size's mean)
        mean = getattr(fp.brand_protection_eur_per_kg, size)
        sigma = fp.brand_protection_sigma
        self.brand_protection_eur_per_kg = mean * model.rng.lognormal(-sigma**2 / 2, sigma)
        # its reviews of the business model draw from a stream of its own (see innovate)
        self.innovation_rng = mechanism_rng(model._seed, "innovation", self.unique_id)
        self.stock_kg = 0.0          # unsold goods kept for discount sale
        self.unsold_kg = 0.0         # this month's unsold goods awaiting an outlet
        self.scraps_kg = 0.0         # cutting scraps awaiting the exchange or disposal
        self.donation_offer_kg = 0.0
        self.fallback_outlet = "dispose"
        self.sales_kg = 0.0
        self.destroyed_kg = 0.0
        open_wallet(self, "firms")
        self.profile = fashion_profile(model, size, xy)

    def holdings(self) -> dict[str, float]:
        """kg held, by ledger node: discount stock, unsold goods, scraps and donation offers."""
        return {"firms": self.stock_kg + self.unsold_kg + self.scraps_kg
                + self.donation_offer_kg}

    # -- verbs ---------------------------------------------------------------------
    def produce(self) -> None:
        """Sell this month's share of demand: discounted stock first, then fresh goods."""
        m = self.model
        fp = m.scenario.firms
        ledger = m.ledger
        self.sales_kg = self.market_share * m.new_demand_kg
        from_stock = min(self.stock_kg, self.sales_kg)
        self.stock_kg -= from_stock
        ledger.move("firms", "discount_sale", "households", from_stock)
        fresh = self.sales_kg - from_stock
        produced = fresh / (1.0 - fp.unsold_share)
        # only garments cut in the metro leave their scraps here; the rest arrive finished
        cut_here = produced * fp.local_production_share
        fabric = produced + cut_here * fp.cutting_waste_share / (1.0 - fp.cutting_waste_share)
        recycled = m.fibre.draw(fabric * self.recycled_content)
        ledger.move("recycled_fibre", "recycled_fabric", "firms", recycled)
        ledger.move("virgin_fibre", "virgin_fabric", "firms", fabric - recycled)
        ledger.move("firms", "new_sale", "households", fresh)
        self.unsold_kg = produced - fresh
        self.scraps_kg = fabric - produced
        m.tally["virgin_fibre_kg"] += fabric - recycled
        m.tally["recycled_fibre_used_kg"] += recycled
        m.tally["production_kg"] += produced
        fee_per_kg = m.conditions.epr_fee_eur_per_kg * self.epr_modulation()
        fee = fee_per_kg * self.sales_kg / m.scale
        # households pay the price with the fee passed on; suppliers are paid for all made
        m.pay(m.households, "garment_sale", self,
              self.sales_kg / m.scale * (fp.price_eur_per_kg + fee_per_kg))
        m.pay(self, "cost_of_goods", "world", produced / m.scale * fp.unit_cost_eur_per_kg)
        m.pay(self, "epr_fee", "epr_scheme", fee)

    def epr_modulation(self) -> float:
        """Eco-modulation: durable design and recycled content earn a lower fee.

        Each bonus grows with the firm's progress towards the innovation's target
        (``durable_design_factor`` times the reference durability, and
        ``recycled_content_target``) and is full once it gets there.
        """
        c = self.model.conditions
        fp = self.model.scenario.firms
        durable = (self.durability / fp.durability - 1.0) / (fp.durable_design_factor - 1.0)
        bonus = c.epr_durability_bonus * min(1.0, max(0.0, durable))
        bonus += c.epr_recycled_content_bonus * min(
            1.0, self.recycled_content / fp.recycled_content_target)
        return max(0.0, 1.0 - bonus)

    def outlet_values(self) -> dict[str, float]:
        """Net value per kg of each outlet for unsold goods that is allowed now."""
        m = self.model
        fp = m.scenario.firms
        disposal = m.conditions.firm_disposal_cost_eur_per_t(m.scenario) / 1000.0
        values = {"donate": fp.donation_value_eur_per_kg, "dispose": -disposal}
        if self.size not in m.conditions.banned_destruction:
            values["destroy"] = self.brand_protection_eur_per_kg - disposal
        return values

    def route_unsold(self) -> None:
        """Keep what outlets can sell at a discount; offer the rest to its best outlet."""
        fp = self.model.scenario.firms
        discount = self.unsold_kg * fp.discount_share_max
        self.stock_kg += discount
        rest = self.unsold_kg - discount
        self.unsold_kg = 0.0
        values = self.outlet_values()
        ranked = sorted(values, key=lambda k: (-values[k], OUTLETS.index(k)))
        self.fallback_outlet = next(o for o in ranked if o != "donate")
        if ranked[0] == "donate":
            self.donation_offer_kg = rest
        else:
            self.donation_offer_kg = 0.0
            self.dispose_of(rest, ranked[0])

    def dispose_of(self, kg: float, outlet: str) -> None:
        """Destroy or dispose of unsold goods (both end in residual treatment)."""
        if kg <= 0:
            return
        m = self.model
        route = "destruction" if outlet == "destroy" else "unsold_disposal"
        m.send_to_residual("firms", route, kg, payer=self)
        if outlet == "destroy":
            self.destroyed_kg += kg
            m.tally["destroyed_kg"] += kg

    def donation_unplaced(self, kg: float) -> None:
        """What cooperatives had no room for goes to the next best outlet."""
        self.dispose_of(kg, self.fallback_outlet)
        self.donation_offer_kg = 0.0

    def scraps_unsold(self, kg: float) -> None:
        """Scraps that found no buyer in the exchange are disposed of."""
        if kg > 0:
            self.model.send_to_residual("firms", "scrap_disposal", kg, payer=self)
        self.scraps_kg = 0.0

    def innovate(self) -> None:
        """Sometimes review the business model and adopt a product-service-system innovation.

        Adoption is likelier when its payoff over ``innovation_horizon_years`` beats its
        cost (weighed by ``innovation_payoff_weight``), when peers
        already adopted it, and when policy (eco-modulated fees) rewards it.
        """
        m = self.model
        fp = m.scenario.firms
        rng = self.innovation_rng
        if rng.random() >= fp.innovation_rate:
            return
        options = [i for i in INNOVATIONS if i not in self.innovations]
        if not options:
            return
        choice = options[int(rng.integers(len(options)))]
        payoff = (self.innovation_payoff_eur_year(choice) * fp.innovation_horizon_years
                  / max(fp.innovation_cost_eur, 1.0))
        peers = m.adoption_share(choice)
        score = fp.innovation_payoff_weight * (payoff - 1.0) + fp.innovation_peer_weight * peers
        if rng.random() < 0.5 * (1.0 + math.tanh(score / 2)):    # logistic, no overflow
            self.adopt(choice)

    def innovation_payoff_eur_year(self, innovation: str) -> float:
        """Yearly money an innovation brings this firm at real volumes."""
        m = self.model
        fp = m.scenario.firms
        c = m.conditions
        kg_year = self.sales_kg / m.scale * 12
        fee = c.epr_fee_eur_per_kg * kg_year
        if innovation == "durable_design":
            return fee * c.epr_durability_bonus
        if innovation == "recycled_content":
            premium = fp.recycled_fibre_premium_eur_per_kg * fp.recycled_content_target * kg_year
            return fee * c.epr_recycled_content_bonus - premium
        if innovation == "repair_service":
            # customers repair more when repairs are cheaper, as households do
            demand = m.households.repair_price_response(c)
            return (kg_year * fp.repair_service_margin_eur_per_kg * demand
                    * float(m.households.awareness.mean()))
        return (fee * c.epr_collection_funding_share * fp.take_back_fee_relief_share
                + kg_year * fp.take_back_margin_eur_per_kg)

    def adopt(self, innovation: str) -> None:
        """Adopt an innovation and change the product or service accordingly."""
        fp = self.model.scenario.firms
        self.innovations.add(innovation)
        if innovation == "durable_design":
            self.durability = fp.durability * fp.durable_design_factor
        elif innovation == "recycled_content":
            self.recycled_content = max(self.recycled_content, fp.recycled_content_target)
        self.model.tally["innovations_adopted"] += 1
