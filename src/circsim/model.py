"""The Mesa model: builds the Milan textile economy and runs its monthly step.

Each month, in order: policies set the month's conditions; households update
attitudes and discard garments (repair, resale, donation, bin, residual);
cooperatives collect and sort; households meet their needs (free garments,
second hand, new); firms produce and sell, then route unsold goods (discount,
donation, destruction, disposal); the byproduct exchange matches scraps and
recyclable grades with recyclers; recyclers recycle; cooperatives clear old
stock and count the hours their work took; firms share services in groups and
newcomers reuse firms' idle machines; firms innovate; new enterprises may enter;
the ledger closes the month and metrics are recorded.
"""

from __future__ import annotations

import itertools

import numpy as np

from circsim import outcomes, public_spending, world
from circsim.agents import Consumer, FashionFirm, Recycler, SocialCooperative
from circsim.agents.cooperative import pool_stock
from circsim.agents.firm import produce_each
from circsim.exit import enterprise_exit
from circsim.flows import Tally
from circsim.geography import load_geography
from circsim.households import Households, Prices
from circsim.ledger import Ledger
from circsim.machinery import IdleMachinery
from circsim.markets import RecycledFibrePool, allocate_donations
from circsim.mesa_core import Agent, Model
from circsim.money import SECTORS, EuroLedger, Wallet, open_wallet
from circsim.policies import conditions_at
from circsim.scenario import Scenario, load_scenario
from circsim.sectors import SectorFirm, create_sector_firms
from circsim.seeds import mechanism_rng
from circsim.shared_services import SharedServices
from circsim.symbiosis import SymbiosisExchange
from circsim.wardrobe import lot_mass, remaining_share

MAX_CONSUMER_AGENTS = 20_000
ORGANISATIONS = (FashionFirm, SocialCooperative, Recycler)    # agent kinds that hold stock


class TextileEconomy(Model):
    """Agent-based model of the circular textile economy of the Metropolitan City of Milan.

    Args:
        scenario: a validated scenario, or the name/path of one (default: the baseline).
        seed: random seed; defaults to the scenario's.
    """

    def __setstate__(self, state: dict) -> None:
        """A copy (pickled, e.g. the dashboard's shared spin-up) goes on numbering new agents
        after its own: Mesa keeps each model's id counter outside the model, so without
        this an entrant would take the id of an agent already there."""
        self.__dict__.update(state)
        last = max((a.unique_id for a in self.agents), default=0)
        Agent._ids[self] = itertools.count(last + 1)

    def __init__(self, scenario: Scenario | str = "baseline", seed: int | None = None) -> None:
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        self.scenario = scenario
        super().__init__(seed=scenario.seed if seed is None else seed)
        self.scale = scenario.scale
        self.month = 0
        self.ledger = Ledger()
        self.money = EuroLedger()
        self.sectors = {name: Wallet(name) for name in SECTORS}
        self.geo = load_geography(scenario.population.residents, scenario.population.households)
        self.conditions = conditions_at(scenario, 1)
        # where entrants set up: a stream of its own, so an entry (which levers cause)
        # shifts no draw of households or of the organisations already there
        self.entry_rng = mechanism_rng(self._seed, "enterprise_entry")
        self.households = Households(scenario, self.geo, self.rng)
        open_wallet(self.households, "households")
        # the share of households really simulated (at least one household is)
        self.scale = self.households.n / scenario.population.households
        hh = self.households
        self._households_by_zone = (np.bincount(hh.zone, minlength=self.geo.n_zones),
                                    np.bincount(hh.zone[hh.low_income],
                                                minlength=self.geo.n_zones))
        self.fibre = RecycledFibrePool()
        self.new_demand_kg = 0.0
        self.mean_new_durability = scenario.firms.durability
        self.tally = Tally()
        self.entries: list[int] = []   # months in which an enterprise entered
        self.exits: list[int] = []     # months in which an enterprise closed
        self.records: list[dict] = []
        self.ledger.balance["households"] = self.households.held_kg()
        self.ledger.balance["virgin_fibre"] = -self.households.held_kg()
        world.create_consumers(self, MAX_CONSUMER_AGENTS)
        world.create_firms(self)
        world.create_cooperatives(self)
        world.create_recyclers(self)
        create_sector_firms(self)
        self.exchange = SymbiosisExchange(self)
        self.shared_services = SharedServices(self)
        self.machinery = IdleMachinery(self)
        self._warming_up = False
        self.warm_up(scenario.warmup_months)

    # -- agent sets --------------------------------------------------------------------
    @property
    def firms(self):
        return self.agents_by_type[FashionFirm]

    @property
    def cooperatives(self):
        return self.agents_by_type[SocialCooperative]

    @property
    def recyclers(self):
        return self.agents_by_type.get(Recycler, [])

    @property
    def sector_firms(self):
        return self.agents_by_type.get(SectorFirm, [])

    def symbiosis_firms(self) -> list:
        """Every firm that takes part in industrial symbiosis: fashion and other sectors."""
        return [*self.firms, *self.sector_firms]

    @property
    def consumers(self):
        return self.agents_by_type[Consumer]

    # -- the month -------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one month."""
        self.month += 1
        self.tally = Tally()
        self.conditions = conditions_at(self.scenario, self.month,
                                        levers=not self._warming_up)
        for wallet in self.wallets():
            wallet.cost_eur = wallet.revenue_eur = 0.0
        self.households.update_awareness(self.conditions, self.rng)
        discards = self.discard()
        self.cooperatives.shuffle_do("collect", discards)
        self.cooperatives.shuffle_do("sort")
        acquired = self.acquire()
        order: list = []
        self.firms.shuffle_do(order.append)        # the order firms produce in, as drawn
        produce_each(self, order)
        self.fund_collection()
        self.firms.shuffle_do("route_unsold")
        self.donate_unsold()
        self.exchange.clear()
        if Recycler in self.agents_by_type:
            self.recyclers.shuffle_do("recycle")
        self.donate_expired_listings()
        self.sell_leftover_fibre()
        self.cooperatives.shuffle_do("clear_old_stock")
        self.cooperatives.do("count_labour")
        self.cooperatives.do("review_capacity")
        self.fund_programmes()
        self.shared_services.update_groups()
        self.machinery.trade_machines()
        self.firms.do("innovate")      # each firm on its own stream: the order is immaterial
        world.enterprise_entry(self)
        enterprise_exit(self)
        imbalance = self.ledger.close_month(self.month, self.held_by_node())
        self.money.close_month(self.month, self.cash_by_account())
        if not self._warming_up:
            self.records.append(outcomes.record(self, discards, acquired, imbalance))

    def warm_up(self, months: int) -> None:
        """Run ``months`` unrecorded months without policy levers, then start the clock.

        Shops, reserves, recyclers' stocks and the owner mix of wardrobes start
        empty or stylised; a spin-up lets them settle so that month 1 is close to
        a steady state, identical for every scenario run with the same seed.
        """
        if months <= 0:
            return
        self._warming_up = True
        try:
            for _ in range(months):
                self.step()
        finally:
            self._warming_up = False
        self.month = 0
        self.households.last_gift_month -= months     # keep "months ago" right on the new clock
        self.records.clear()
        self.entries.clear()
        self.exits.clear()
        self.machinery.moves.clear()
        for firm in self.firms:
            firm.destroyed_kg = 0.0
        self.ledger.clear_history()
        self.money.clear_history()

    def discard(self):
        """Households' garments leave use: repaired, resold, donated, binned or thrown away."""
        hh = self.households
        res = hh.discard(self.conditions, self.sales_share_with("repair_service"),
                         self.sales_share_with("take_back"),
                         self.scenario.cooperatives.bin_capacity_kg_month, self.rng)
        self.send_to_residual("households", "residual_bin", res.residual_kg, hh)
        self.send_to_residual("households", "bulky_waste", res.bulky_kg, hh)
        self.pay_repairs(res.repairs)
        self.ledger.move("households", "peer_resale_listing", "peer_listings",
                         lot_mass(res.resale_lot))
        return res

    def acquire(self):
        """Households meet their needs; firms will supply what they buy new."""
        fp = self.scenario.firms
        c = self.conditions
        fee = c.epr_fee_eur_per_kg * sum(f.market_share * f.epr_modulation() for f in self.firms)
        prices = Prices(new_eur_per_kg=fp.price_eur_per_kg + fee,
                        second_hand_eur_per_kg=self.scenario.cooperatives.shop_price_eur_per_kg,
                        demand_factor=(1 + fee / fp.price_eur_per_kg) ** (-fp.price_elasticity))
        self.mean_new_durability = self.sales_weighted("durability") * self.durability_trend()
        # households take from each zone's stock, whichever cooperatives hold it
        coops = list(self.cooperatives)
        free_lots, shop_lots = pool_stock(coops, self.geo.n_zones)
        free0, shop0, listings = free_lots.copy(), shop_lots.copy(), self.households.listings
        peer0 = lot_mass(listings)
        got = self.households.acquire(c, free_lots, shop_lots, prices,
                                      self.mean_new_durability, self.rng)
        free_left, shop_left = remaining_share(free0, free_lots), remaining_share(shop0, shop_lots)
        for coop in coops:
            coop.keep_share(free_left, shop_left)
        self.ledger.move("coop_free_stock", "free_distribution", "households",
                         lot_mass(free0) - lot_mass(free_lots))
        self.ledger.move("coop_shops", "charity_shop_sale", "households",
                         lot_mass(shop0) - lot_mass(shop_lots))
        self.ledger.move("peer_listings", "peer_resale", "households",
                         peer0 - lot_mass(listings))
        self.new_demand_kg = float(got.new_kg.sum())
        return got

    def donate_unsold(self) -> None:
        """Firms' unsold goods offered as donations go to the nearest cooperative with room."""
        firms = [f for f in self.firms if f.donation_offer_kg > 0]
        if not firms:
            return
        coops = list(self.cooperatives)
        placed, unplaced = allocate_donations(
            np.array([f.donation_offer_kg for f in firms]), np.array([f.xy for f in firms]),
            np.array([c.xy for c in coops]), np.array([c.room_kg for c in coops]))
        for coop, kg in zip(coops, placed.sum(axis=0), strict=True):
            coop.receive_new_goods(float(kg))
        self.tally["firm_donations_kg"] += float(placed.sum())
        for firm, kg in zip(firms, unplaced, strict=True):
            firm.donation_unplaced(float(kg))

    def donate_expired_listings(self) -> None:
        """Peer listings that do not sell are, in part, given to the nearest cooperative.

        What its full store cannot take stays listed.
        """
        coop = min(self.cooperatives, key=lambda c: float(np.hypot(*c.xy)))
        part = self.households.expire_listings(
            self.scenario.households.unsold_listing_donation_share)
        self.households.listings += coop.take_in(part, "peer_listings",
                                                 "unsold_listing_donation")

    def durability_trend(self) -> float:
        """How the durability of new garments has drifted since month 1 (1 in the spin-up).

        ``(1 + firms.durability_change_per_year) ** years``: the falling quality of fast
        fashion enters through what is bought.
        """
        if self._warming_up:
            return 1.0
        years = max(self.month - 1, 0) / 12
        return (1.0 + self.scenario.firms.durability_change_per_year) ** years

    def sell_leftover_fibre(self) -> None:
        """Recycled fibre not spun into new fabric within a month is sold to other sectors."""
        keep = self.new_demand_kg * self.scenario.firms.recycled_fibre_stock_share
        extra = self.fibre.sell_leftover(keep)
        self.ledger.move("recycled_fibre", "open_loop_recycling", "recycled_out", extra)

    # -- services for agents -------------------------------------------------------------
    def send_to_residual(self, source: str, route: str, kg: float, payer=None) -> None:
        """Residual treatment: mostly incineration with energy recovery, some landfill.

        ``payer`` (a wallet), if given, pays for the treatment (see :meth:`pay_disposal`).
        """
        share = self.scenario.waste.landfill_share_of_residual
        self.ledger.move(source, route, "landfill", kg * share)
        self.ledger.move(source, route, "incineration", kg * (1 - share))
        if payer is not None:
            self.pay_disposal(payer, kg)

    def send_to_residual_each(self, source: str, route: str, kgs: np.ndarray,
                              payers: list) -> None:
        """:meth:`send_to_residual` for each of ``payers`` in turn, with its ``kgs``: the
        same moves and payments, to the same sums, in a few batches."""
        share = self.scenario.waste.landfill_share_of_residual
        kgs = np.asarray(kgs, dtype=np.float64)
        self.ledger.move_rows(source, route, ("landfill", "incineration"),
                              np.stack([kgs * share, kgs * (1 - share)], axis=1))
        self.pay_disposal_each(payers, kgs)

    # -- money -------------------------------------------------------------------------
    def pay(self, payer, purpose: str, payee, eur: float) -> None:
        """Pay ``eur`` (metro-equivalent) between wallets; a sector may be named by account."""
        payer = self.sectors[payer] if isinstance(payer, str) else payer
        payee = self.sectors[payee] if isinstance(payee, str) else payee
        self.money.pay(payer, purpose, payee, eur)

    def pay_disposal(self, payer, kg: float) -> None:
        """Who pays what for ``kg`` (simulated) sent to residual treatment.

        Households pay the municipality a waste tariff covering gate fees and taxes; the
        municipality pays the plants' gate fees. Firms pay the commercial waste price
        (``firms.disposal_fee_eur_per_t``) and the taxes; cooperatives and recyclers the
        plants' gate fees (``waste``) and the taxes.
        """
        c, s = self.conditions, self.scenario
        t = kg / self.scale / 1000
        tax = c.disposal_taxes_eur_per_t(s)
        plant_fee = c.plant_fees_eur_per_t(s)
        if payer.account == "households":
            self.pay(payer, "waste_tariff", "public_budget", t * (plant_fee + tax))
            self.pay("public_budget", "gate_fee", "waste_operators", t * plant_fee)
            return
        firm = payer.account in ("firms", "other_firms")
        fee = s.firms.disposal_fee_eur_per_t if firm else plant_fee
        self.pay(payer, "gate_fee", "waste_operators", t * fee)
        self.pay(payer, "disposal_tax", "public_budget", t * tax)

    def pay_disposal_each(self, payers: list, kgs: np.ndarray) -> None:
        """:meth:`pay_disposal` for many firms of one account at once, to the same sums."""
        accounts = {p.account for p in payers}
        if len(accounts) != 1 or accounts & {"households"}:
            for payer, kg in zip(payers, np.asarray(kgs).tolist(), strict=True):
                self.pay_disposal(payer, kg)
            return
        c, s = self.conditions, self.scenario
        t = np.asarray(kgs, dtype=np.float64) / self.scale / 1000
        fee = (s.firms.disposal_fee_eur_per_t if accounts & {"firms", "other_firms"}
               else c.plant_fees_eur_per_t(s))
        self.money.pay_each(payers, [
            ("gate_fee", self.sectors["waste_operators"], t * fee),
            ("disposal_tax", self.sectors["public_budget"], t * c.disposal_taxes_eur_per_t(s))])

    def pay_repairs(self, repairs_sim: float) -> None:
        """Households pay repairers the bill less any voucher; the public budget the voucher."""
        repairs = repairs_sim / self.scale
        prices = self.households.repair_prices(self.conditions)
        self.pay(self.households, "repair_bill", "repairers", repairs * prices.household_eur)
        self.pay("public_budget", "repair_voucher", "repairers", repairs * prices.voucher_eur)

    def fund_collection(self) -> None:
        """The EPR scheme pays cooperatives for separate collection; the rest of its fees
        goes to its other tasks.

        Its rule: ``collection_funding_share`` of the month's fees is shared among
        cooperatives per tonne they took in this month, so the scheme holds no reserve.
        """
        fees = self.sectors["epr_scheme"].revenue_eur
        if fees <= 0:
            return
        funds = fees * self.conditions.epr_collection_funding_share
        coops = [c for c in self.cooperatives if c.collected_kg > 0]
        tonnes = sum(c.collected_kg for c in coops)
        if tonnes <= 0:
            funds = 0.0
        for coop in coops:
            self.pay("epr_scheme", "epr_collection_funding", coop,
                     funds * coop.collected_kg / tonnes)
        self.pay("epr_scheme", "epr_other_spending", "world", fees - funds)

    def fund_programmes(self) -> None:
        """The public budget pays the month's running programmes (see
        :mod:`circsim.public_spending`)."""
        public_spending.fund_programmes(self)

    def wallets(self) -> list:
        """Every wallet: organisations, the households and the sectors."""
        return [*self.firms, *self.sector_firms, *self.cooperatives, *self.recyclers,
                self.households, *self.sectors.values()]

    def cash_by_account(self) -> dict[str, float]:
        """Cash held, summed by account, for the euro ledger's check."""
        held: dict[str, float] = {}
        for wallet in self.wallets():
            held[wallet.account] = held.get(wallet.account, 0.0) + wallet.cash_eur
        # kinds with no agent left
        for account in ("firms", "other_firms", "cooperatives", "recyclers"):
            held.setdefault(account, 0.0)
        return held

    def sales_share_with(self, innovation: str) -> float:
        """Market share of firms offering an innovation (by volume)."""
        return float(sum(f.market_share for f in self.firms if innovation in f.innovations))

    def sales_weighted(self, attribute: str) -> float:
        return float(sum(f.market_share * getattr(f, attribute) for f in self.firms))

    def adoption_share(self, innovation: str) -> float:
        """Share of firms (by number) that adopted an innovation: the peer signal."""
        firms = list(self.firms)
        return sum(innovation in f.innovations for f in firms) / max(len(firms), 1)

    def households_weights(self, zones: list[int], low_income: bool) -> np.ndarray:
        """How a cooperative splits stock across its zones: by (low-income) households."""
        counts = self._households_by_zone[int(low_income)][zones].astype(float)
        if counts.sum() == 0:
            counts = np.ones(len(zones))
        return counts / counts.sum()

    def holders(self) -> list:
        """Everything that holds material in a stock node and reports its ``holdings()``."""
        orgs = [a for kind in ORGANISATIONS for a in self.agents_by_type.get(kind, [])]
        return [self.households, self.fibre, *orgs]

    def held_by_node(self) -> dict[str, float]:
        """What the holders actually hold, node by node, for the ledger's check.

        A kind of organisation with no agent left (no recyclers, say) reports zero.
        """
        held = dict.fromkeys((node for kind in ORGANISATIONS for node in kind.HOLDS), 0.0)
        for holder in self.holders():
            for node, kg in holder.holdings().items():
                held[node] = held.get(node, 0.0) + kg
        return held

    def run(self, months: int | None = None, progress: bool = False) -> None:
        """Run ``months`` months (default: the scenario's)."""
        months = self.scenario.months if months is None else months
        steps = range(months)
        if progress:
            from tqdm import tqdm
            steps = tqdm(steps, desc=self.scenario.name, unit="month", leave=False)
        for _ in steps:
            self.step()

    def monthly_frame(self):
        """Monthly metrics as a tidy DataFrame (one row per month)."""
        return outcomes.frame(self.records)
