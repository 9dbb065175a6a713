"""Declared flows: every ledger node, every route and every tally key, named once.

Material flow analysis declares its stocks and flows before it counts them (as flodym
does); here too. The :class:`~circsim.ledger.Ledger` accepts only the nodes and routes
declared below, and a month's :class:`Tally` only the keys declared below, so a typo
in a move or in a metric fails loudly instead of creating a new route or reading zero.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator, MutableMapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    """A place material can be: where it enters (source), waits (stock) or ends (fate)."""

    name: str
    kind: str           # "source", "stock" or "fate"
    description: str
    holder: str = ""    # for stocks: who holds the material and reports it to the ledger


@dataclass(frozen=True)
class Route:
    """A named way material moves from one node to another."""

    name: str
    description: str


@dataclass(frozen=True)
class TallyKey:
    """A monthly total that the ledger's flows do not give (a part of a flow, money, counts)."""

    name: str
    unit: str
    description: str


NODE_TABLE: tuple[Node, ...] = (
    Node("virgin_fibre", "source", "new fibre made into fabric (and the opening wardrobes)"),
    Node("sector_byproducts", "source", "byproducts and wastes of firms of other sectors "
         "(textiles, leather, packaging, wood), exchanged or disposed of within the month"),
    Node("households", "stock", "garments in use (wardrobes)", "Households"),
    Node("firms", "stock", "unsold goods kept for discount sale, awaiting an outlet, and "
         "cutting scraps awaiting the exchange", "each FashionFirm"),
    Node("peer_listings", "stock", "households' garments listed for peer resale",
         "Households"),
    Node("cooperatives", "stock", "collected, not yet sorted, and recyclable grades awaiting "
         "the exchange", "each SocialCooperative"),
    Node("coop_shops", "stock", "sorted rewearable garments in charity shops",
         "each SocialCooperative, by shop zone"),
    Node("coop_free_stock", "stock", "sorted rewearable garments reserved for free "
         "distribution", "each SocialCooperative, by shop zone"),
    Node("recyclers", "stock", "feedstock waiting to be recycled", "each Recycler"),
    Node("recycled_fibre", "stock", "fibre waiting to be spun into new fabric",
         "the RecycledFibrePool"),
    Node("reuse_abroad", "fate", "exported used clothing that is worn again"),
    Node("waste_abroad", "fate", "exported used clothing never worn again"),
    Node("recycled_out", "fate", "recycled fibre sold to other sectors (open loop)"),
    Node("sector_inputs", "fate", "byproducts a firm of another sector uses in place of a "
         "virgin input (nonwovens, insulation, fillers, paper, plastics, panels)"),
    Node("sector_disposal", "fate", "byproducts of firms of other sectors no partner took "
         "(their usual waste contractors)"),
    Node("incineration", "fate", "residual treatment with energy recovery"),
    Node("landfill", "fate", "residual treatment in landfill"),
)

SOURCES = tuple(n.name for n in NODE_TABLE if n.kind == "source")
STOCKS = tuple(n.name for n in NODE_TABLE if n.kind == "stock")
FATES = tuple(n.name for n in NODE_TABLE if n.kind == "fate")
NODES = SOURCES + STOCKS + FATES

ROUTE_TABLE: tuple[Route, ...] = (
    # firms
    Route("virgin_fabric", "virgin fibre made into fabric for firms"),
    Route("recycled_fabric", "recycled fibre spun into fabric for firms (closed loop)"),
    Route("new_sale", "fresh garments sold to households"),
    Route("discount_sale", "firms' unsold stock sold to households at a discount"),
    Route("destruction", "unsold goods destroyed (to residual treatment)"),
    Route("unsold_disposal", "unsold goods disposed of (to residual treatment)"),
    Route("scrap_disposal", "cutting scraps no recycler took (to residual treatment)"),
    Route("donation_new", "firms' unsold goods donated to cooperatives' free stock and "
          "shops (the surplus exported, or downgraded to the recyclable grade)"),
    # households
    Route("residual_bin", "garments thrown in the residual bin (to residual treatment)"),
    Route("bulky_waste", "household textiles too big for the bin (carpets, curtains, duvets) "
          "taken to recycling centres as bulky waste (to residual treatment)"),
    Route("collection_bin", "garments left in a separate-collection bin"),
    Route("collection_refused", "bin deposits, donations and take-back a full cooperative "
          "refused: bins stay full and they end in the residual bin (to residual treatment)"),
    Route("donation", "garments donated to a cooperative"),
    Route("take_back", "garments returned to a brand's take-back, passed to cooperatives"),
    Route("peer_resale_listing", "garments listed for sale to other households"),
    Route("peer_resale", "listed garments bought by other households"),
    Route("unsold_listing_donation", "listings that did not sell, given to a cooperative"),
    # cooperatives
    Route("sorted_rewearable", "sorted rewearable grade to free stock and shops"),
    Route("sorting_residual", "sorted residual grade (to residual treatment)"),
    Route("free_distribution", "garments given free to low-income households"),
    Route("charity_shop_sale", "garments sold in charity shops"),
    Route("stock_clearance", "shop and reserve stock beyond a few months' inflow, back "
          "to the cooperative for export"),
    Route("export", "rewearable surplus sold to export traders where export pays best "
          "(worn again or not, by its grade)"),
    Route("unsold_recyclable", "recyclable grades no recycler took (to residual treatment)"),
    # recycling
    Route("symbiosis_exchange", "scraps, recyclable grades and other sectors' byproducts "
          "sold to recyclers or to firms of other sectors"),
    Route("sector_byproduct_disposal", "other sectors' byproducts no partner took"),
    Route("recycling_loss", "recycling losses (to residual treatment)"),
    Route("closure_disposal", "a closing recycler's unprocessed stock, or the unsorted stock "
          "of a closing cooperative that its heir has no room for (to residual treatment)"),
    Route("fibre_to_fibre", "recycled fibre kept for spinning into new fabric"),
    Route("open_loop_recycling", "recycled fibre sold to other sectors"),
)
ROUTES = tuple(r.name for r in ROUTE_TABLE)

TALLY_TABLE: tuple[TallyKey, ...] = (
    TallyKey("production_kg", "kg", "garments produced by firms (sold and unsold)"),
    TallyKey("virgin_fibre_kg", "kg", "virgin fibre in the fabric firms used"),
    TallyKey("recycled_fibre_used_kg", "kg", "recycled fibre in the fabric firms used"),
    TallyKey("recycled_fibre_kg", "kg", "fibre recyclers produced (closed and open loop)"),
    TallyKey("destroyed_kg", "kg", "unsold goods firms destroyed"),
    TallyKey("firm_donations_kg", "kg", "unsold goods cooperatives took as donations"),
    TallyKey("sorted_kg", "kg", "material cooperatives sorted"),
    TallyKey("sorted_rewearable_kg", "kg", "of which graded rewearable"),
    TallyKey("sorted_recyclable_kg", "kg", "of which graded recyclable"),
    TallyKey("innovations_adopted", "count", "innovations firms adopted"),
)
TALLIES = tuple(t.name for t in TALLY_TABLE)
_NODE_SET, _ROUTE_SET = frozenset(NODES), frozenset(ROUTES)


class UndeclaredFlowError(KeyError):
    """A node, route or tally key that flows.py does not declare: a typo or a missing line."""

    def __str__(self) -> str:        # KeyError would show the message quoted
        return str(self.args[0])


def check_declared(kind: str, name: str, declared: Collection[str]) -> None:
    """Raise :class:`UndeclaredFlowError` (with a did-you-mean) if ``name`` is undeclared."""
    if name in declared:
        return
    close = difflib.get_close_matches(str(name), list(declared), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise UndeclaredFlowError(
        f"undeclared {kind} {name!r}{hint} (declare it in circsim/flows.py)")


def check_node(name: str) -> None:
    """Raise if ``name`` is not a declared ledger node."""
    if name not in _NODE_SET:
        check_declared("ledger node", name, NODES)


def check_route(name: str) -> None:
    """Raise if ``name`` is not a declared route."""
    if name not in _ROUTE_SET:
        check_declared("route", name, ROUTES)


class Tally(MutableMapping[str, float]):
    """The month's tallies: every declared key starts at 0.0; any other key is an error."""

    def __init__(self) -> None:
        self._values = dict.fromkeys(TALLIES, 0.0)

    def __getitem__(self, key: str) -> float:
        try:
            return self._values[key]
        except KeyError:
            check_declared("tally", key, self._values)
            raise

    def __setitem__(self, key: str, value: float) -> None:
        if key not in self._values:
            check_declared("tally", key, self._values)
        self._values[key] = value

    def __delitem__(self, key: str) -> None:
        raise TypeError("tallies cannot be removed, only reset with a new Tally")

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Tally({self._values!r})"
