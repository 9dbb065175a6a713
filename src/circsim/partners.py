"""Partner discovery and relationships: who knows whom, contracts, trust, and the match.

A firm knows only some potential partners: the firms of its neighbourhood (within
``symbiosis.neighbourhood_km``, at most ``NEIGHBOUR_CAP`` nearest) and a few of other
sectors through its network (``symbiosis.network_contacts``); recyclers advertise, so
every willing seller within the exchange's reach knows them. Workshops make their
groups know each other; a matchmaking platform shows its users the nearest users
within its reach. Knowledge is a sparse list of directed pairs of actor indices, so a
month's candidates are found with array masks, never all pairs.

A trade between new partners opens a contract of ``symbiosis.contract_months`` with a
set-up cost (lower with trust and with the programme's support); while it runs, no
set-up is due. Trust grows with each month of trade and lowers transaction and set-up
costs; a bad experience (likelier between partners who trust each other little) ends a
contract and its trust; a better option ends it too (partners who stop trading).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from circsim.lazy import import_without_init

#: scipy's k-d tree, without the rest of scipy.spatial (a fifth of a second of start-up)
cKDTree = import_without_init("scipy.spatial", "_ckdtree")[0].cKDTree

NEIGHBOUR_CAP = 20      # computational cap on the neighbours a firm knows
PLATFORM_CANDIDATES = 20  # nearest platform users a user is shown
OFFER_OPTIONS = 8       # best options an offer considers each month (sparse greedy)


def pair_key(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One int64 per (a, b) pair of actor indices."""
    return np.asarray(a, dtype=np.int64) * 1_000_003 + np.asarray(b, dtype=np.int64)


def neighbour_pairs(xy: np.ndarray, radius_km: float, cap: int) -> tuple[np.ndarray,
                                                                         np.ndarray]:
    """Directed pairs (i, j), i != j, with j among i's ``cap`` nearest within ``radius_km``."""
    n = len(xy)
    if n < 2 or radius_km <= 0:
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    k = min(cap + 1, n)
    d, j = cKDTree(xy).query(xy, k=k, distance_upper_bound=radius_km)
    i = np.repeat(np.arange(n), k).reshape(n, k)
    ok = np.isfinite(d) & (j != i)
    return i[ok], j[ok]


@dataclass
class Match:
    """The trades of a month, one per (offer, need)."""

    offer: np.ndarray
    need: np.ndarray
    kg: np.ndarray
    distance_km: np.ndarray
    price: np.ndarray          # EUR/kg the buyer pays the seller (negative: seller pays)
    logistics: np.ndarray      # EUR/kg of transport and transaction the buyer pays
    setup_eur: np.ndarray      # set-up cost of a new contract (once per new pair)


def greedy(o_idx: np.ndarray, n_idx: np.ndarray, surplus: np.ndarray, offer_kg: np.ndarray,
           need_kg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Serve feasible combinations, best surplus per kg first; returns (combo, kg).

    Each offer considers only its ``OFFER_OPTIONS`` best combinations, which keeps the
    loop short with thousands of firms.
    """
    order = np.lexsort((-surplus, o_idx))
    o_sorted = o_idx[order]
    first = np.r_[0, np.flatnonzero(np.diff(o_sorted)) + 1] if o_sorted.size else o_sorted
    rank = np.arange(o_sorted.size) - np.repeat(first, np.diff(np.r_[first, o_sorted.size]))
    keep = order[rank < OFFER_OPTIONS]
    keep = keep[np.argsort(-surplus[keep], kind="stable")]
    kg = np.zeros(keep.size)
    served = _serve(o_idx[keep].astype(np.int64), n_idx[keep].astype(np.int64),
                    np.array(offer_kg, dtype=np.float64), np.array(need_kg, dtype=np.float64),
                    kg)
    return keep[served].astype(np.intp), kg[served]


@njit(cache=True)
def _serve(offer, need, left_o, left_n, kg):
    """The greedy pass: each combination in turn takes what both sides have left.

    ``left_o`` and ``left_n`` are used up in place; ``kg`` gets each combination's mass;
    returns which combinations traded.
    """
    served = np.zeros(offer.size, dtype=np.bool_)
    for c in range(offer.size):
        i, j = offer[c], need[c]
        q = min(left_o[i], left_n[j])
        if q <= 1e-12:
            continue
        left_o[i] -= q
        left_n[j] -= q
        kg[c] = q
        served[c] = True
    return served


class Relationships:
    """What each actor knows, the contracts running and the trust between partners."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.known_a = np.zeros(0, np.intp)
        self.known_b = np.zeros(0, np.intp)
        self._known_keys: set[int] = set()
        self.contracts: dict[int, int] = {}      # pair key -> months left
        self.trust: dict[int, float] = {}        # pair key -> trust in [0, 1]

    def learn(self, a: np.ndarray, b: np.ndarray) -> int:
        """Both ``a`` knows ``b`` and ``b`` knows ``a``; returns how many pairs were new."""
        a, b = np.asarray(a, np.intp), np.asarray(b, np.intp)
        aa, bb = np.r_[a, b], np.r_[b, a]
        keys = pair_key(aa, bb)
        new = np.array([k not in self._known_keys for k in keys.tolist()], dtype=bool)
        if not new.any():
            return 0
        keys, aa, bb = keys[new], aa[new], bb[new]
        _, first = np.unique(keys, return_index=True)
        self._known_keys.update(keys[first].tolist())
        self.known_a = np.r_[self.known_a, aa[first]]
        self.known_b = np.r_[self.known_b, bb[first]]
        return int(first.size)

    def trust_of(self, keys: np.ndarray) -> np.ndarray:
        """Trust of each pair key (0 for strangers)."""
        if not self.trust:
            return np.zeros(len(keys))
        get = self.trust.get
        return np.fromiter((get(k, 0.0) for k in keys.tolist()), float, len(keys))

    def under_contract(self, keys: np.ndarray) -> np.ndarray:
        """Whether each pair key has a contract running."""
        if not self.contracts:
            return np.zeros(len(keys), bool)
        c = self.contracts
        return np.fromiter((k in c for k in keys.tolist()), bool, len(keys))

    def update(self, traded: set[int], gain: float, decay: float, contract_months: int,
               bad: np.ndarray | None = None) -> None:
        """End-of-month relationships: trust, contracts and bad experiences.

        ``bad`` holds the pair keys that met a bad experience: their contract and trust
        end. Contracts without a trade this month end (a better option was taken);
        others run down and new pairs open one.
        """
        keep = 1.0 - decay
        bad_set = set() if bad is None else set(bad.tolist())
        for key in self.trust.keys() | traded:
            # a month of trade closes a share ``gain`` of the gap to full trust (so trust
            # approaches 1 at a pace the gain sets, never jumps to it); without trade it fades
            old = self.trust.get(key, 0.0)
            self.trust[key] = old + gain * (1.0 - old) if key in traded else old * keep
        for key in [k for k, v in self.trust.items() if v < 1e-4]:
            del self.trust[key]
        running = {}
        for key in traded - bad_set:
            left = self.contracts.get(key, contract_months + 1) - 1
            if left > 0:
                running[key] = left
        for key in bad_set:
            self.trust.pop(key, None)
        self.contracts = running
