"""Industrial symbiosis: matching firms' by-products (offcuts, fibres) to firms that need them.

A by-product changes hands only when the buyer values it more than the seller's best other
outlet *plus* the cost of moving it and of finding and negotiating with a partner. Policies act
on those frictions: a matchmaking platform widens ``reach_km`` and lowers the transaction cost,
and repeated trade builds ``trust``, which lowers it further for partners who already know each
other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ExchangeResult", "distance_matrix", "match_byproducts"]


def distance_matrix(a_xy: np.ndarray, b_xy: np.ndarray) -> np.ndarray:
    """Euclidean distances (km) between every point of ``a_xy`` and every point of ``b_xy``.

    Args:
        a_xy: Coordinates in km, shape ``(n, 2)``.
        b_xy: Coordinates in km, shape ``(m, 2)``.

    Returns:
        Array of shape ``(n, m)``; ``[i, j]`` is the straight-line distance from ``a_xy[i]``
        to ``b_xy[j]``.
    """
    a = np.asarray(a_xy, dtype=np.float64).reshape(-1, 2)
    b = np.asarray(b_xy, dtype=np.float64).reshape(-1, 2)
    return np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1])


@dataclass(frozen=True)
class ExchangeResult:
    """Trades cleared in one month, one entry per matched (offer, need) pair.

    Attributes:
        offer: Index into the offers of each trade.
        need: Index into the needs of each trade.
        kg: Mass traded (kg).
        distance_km: Distance the material travels (km).
        surplus_eur: Total net gain of the trade for both sides together (EUR, >= 0); how it
            is split between seller and buyer (the price) is left to the caller.
    """

    offer: np.ndarray
    need: np.ndarray
    kg: np.ndarray
    distance_km: np.ndarray
    surplus_eur: np.ndarray

    @property
    def total_kg(self) -> float:
        """Total mass exchanged (kg)."""
        return float(self.kg.sum())

    @property
    def total_surplus_eur(self) -> float:
        """Total net gain of all trades (EUR)."""
        return float(self.surplus_eur.sum())

    def sold_kg(self, n_offers: int) -> np.ndarray:
        """Mass sold per offer (kg), length ``n_offers``."""
        return np.bincount(self.offer, weights=self.kg, minlength=n_offers).astype(np.float64)

    def bought_kg(self, n_needs: int) -> np.ndarray:
        """Mass bought per need (kg), length ``n_needs``."""
        return np.bincount(self.need, weights=self.kg, minlength=n_needs).astype(np.float64)


def _empty_result() -> ExchangeResult:
    idx = np.zeros(0, dtype=np.intp)
    val = np.zeros(0, dtype=np.float64)
    return ExchangeResult(idx, idx.copy(), val, val.copy(), val.copy())


def match_byproducts(
    offer_kg: np.ndarray,
    offer_xy: np.ndarray,
    offer_value_eur_per_kg: np.ndarray,
    offer_material: np.ndarray,
    need_kg: np.ndarray,
    need_xy: np.ndarray,
    need_value_eur_per_kg: np.ndarray,
    need_accepts: np.ndarray,
    *,
    reach_km: float,
    transport_eur_per_tkm: float,
    transaction_cost_eur_per_t: float,
    trust: np.ndarray | None = None,
) -> ExchangeResult:
    """Clear the by-product exchange greedily, most valuable pairings first.

    A pair (offer ``i``, need ``j``) is feasible when the buyer accepts the material, the
    distance is at most ``reach_km`` (firms do not search further), and the net surplus per kg

        ``need_value[j] - offer_value[i] - transport * d / 1000
        - transaction_cost / 1000 * (1 - trust[i, j])``

    is strictly positive. Feasible pairs are served in decreasing order of surplus per kg (ties
    by offer then need index), each trading ``min(remaining offer, remaining need)``. Greedy
    allocation mimics a decentralised market where the best deals are struck first.

    Args:
        offer_kg: Mass each seller offers this month (kg), shape ``(n_offers,)``.
        offer_xy: Seller locations (km), shape ``(n_offers, 2)``.
        offer_value_eur_per_kg: Seller's reservation value (EUR/kg): what its best other
            outlet is worth; negative when the alternative is paying a disposal fee.
        offer_material: Material code per offer (int in ``[0, n_materials)``).
        need_kg: Mass each buyer wants (kg), shape ``(n_needs,)``.
        need_xy: Buyer locations (km), shape ``(n_needs, 2)``.
        need_value_eur_per_kg: Buyer's willingness to pay (EUR/kg), e.g. the price of the
            virgin input it replaces: shape ``(n_needs,)``, or ``(n_needs, n_materials)``
            when it depends on the material.
        need_accepts: Bool matrix ``(n_needs, n_materials)``: which materials a buyer can use.
        reach_km: Search radius; a matchmaking platform widens it.
        transport_eur_per_tkm: Haulage cost (EUR per tonne-km).
        transaction_cost_eur_per_t: Search, negotiation and contracting cost (EUR per tonne)
            between strangers; a platform lowers it.
        trust: Optional matrix ``(n_offers, n_needs)`` in ``[0, 1]``; trust ``t`` cuts the
            transaction cost by the factor ``1 - t``. Defaults to zeros.

    Returns:
        The trades, as an :class:`ExchangeResult`.

    Raises:
        ValueError: On inconsistent shapes, material codes out of range or trust outside
            ``[0, 1]``.
    """
    o_kg = np.asarray(offer_kg, dtype=np.float64).ravel()
    n_kg = np.asarray(need_kg, dtype=np.float64).ravel()
    n_o, n_n = o_kg.size, n_kg.size
    o_val = np.asarray(offer_value_eur_per_kg, dtype=np.float64).ravel()
    mat = np.asarray(offer_material, dtype=np.intp).ravel()
    accepts = np.asarray(need_accepts, dtype=bool)
    if accepts.ndim != 2 or accepts.shape[0] != n_n:
        raise ValueError(f"need_accepts must have shape (n_needs={n_n}, n_materials)")
    if o_val.size != n_o or mat.size != n_o:
        raise ValueError("offer arrays must all have length n_offers")
    n_val = np.asarray(need_value_eur_per_kg, dtype=np.float64)
    if n_val.ndim == 1 and n_val.size == n_n:
        n_val = np.repeat(n_val[:, None], accepts.shape[1], axis=1)
    if n_val.shape != (n_n, accepts.shape[1]):
        raise ValueError("need_value_eur_per_kg must have shape (n_needs,) or "
                         "(n_needs, n_materials)")
    if mat.size and (mat.min() < 0 or mat.max() >= accepts.shape[1]):
        raise ValueError("offer_material codes must lie in [0, n_materials)")
    if trust is None:
        trust_m = np.zeros((n_o, n_n))
    else:
        trust_m = np.asarray(trust, dtype=np.float64)
        if trust_m.shape != (n_o, n_n):
            raise ValueError(f"trust must have shape ({n_o}, {n_n})")
        if trust_m.size and (trust_m.min() < 0.0 or trust_m.max() > 1.0):
            raise ValueError("trust must lie in [0, 1]")
    if n_o == 0 or n_n == 0:
        return _empty_result()

    dist = distance_matrix(offer_xy, need_xy)
    if dist.shape != (n_o, n_n):
        raise ValueError("offer_xy / need_xy must have shapes (n_offers, 2) / (n_needs, 2)")
    per_kg = (
        n_val[:, mat].T
        - o_val[:, None]
        - transport_eur_per_tkm * dist / 1000.0
        - transaction_cost_eur_per_t / 1000.0 * (1.0 - trust_m)
    )
    feasible = (
        accepts[:, mat].T
        & (dist <= reach_km)
        & (per_kg > 0.0)
        & (o_kg[:, None] > 0.0)
        & (n_kg[None, :] > 0.0)
    )
    oi, nj = np.nonzero(feasible)  # row-major: ties fall back to (offer, need) order
    order = np.argsort(-per_kg[oi, nj], kind="stable")
    oi, nj = oi[order], nj[order]

    left_o, left_n = o_kg.copy(), n_kg.copy()
    t_o, t_n, t_kg = [], [], []
    for i, j in zip(oi.tolist(), nj.tolist(), strict=True):
        q = min(left_o[i], left_n[j])
        if q <= 0.0:
            continue
        left_o[i] -= q
        left_n[j] -= q
        t_o.append(i)
        t_n.append(j)
        t_kg.append(q)
    if not t_kg:
        return _empty_result()
    o_idx = np.asarray(t_o, dtype=np.intp)
    n_idx = np.asarray(t_n, dtype=np.intp)
    kg = np.asarray(t_kg, dtype=np.float64)
    return ExchangeResult(
        offer=o_idx,
        need=n_idx,
        kg=kg,
        distance_km=dist[o_idx, n_idx],
        surplus_eur=kg * per_kg[o_idx, n_idx],
    )
