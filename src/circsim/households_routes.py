"""Where households' discarded garments go: the end-of-life route choice.

The choice follows the Theory of Planned Behaviour as a multinomial logit against the
residual bin: attitude (awareness), subjective norm (what the zone did last month) and
perceived behavioural control (distance to the nearest bin, availability of brand
take-back). Worn-out garments cannot be resold.

:class:`RouteChoice` is a part of :class:`~circsim.households.Households` (which
inherits it): its methods read the household columns that class holds (``s``, ``geo``,
``n``, ``n_groups``, ``group``, ``zone``, ``zone_of_group``, ``awareness``, ``norm``,
``bin_u``) and cache the distance to the nearest bin between changes of bin density.
"""

from __future__ import annotations

import numpy as np

from circsim.policies import Conditions

ROUTES = ("residual", "bin", "donation", "resale", "take_back")
R_RESIDUAL, R_BIN, R_DONATION, R_RESALE, R_TAKE_BACK = range(len(ROUTES))


def route_terms(k: np.ndarray, a: np.ndarray, d: np.ndarray, resale_weight: float
                ) -> np.ndarray:
    """exp(utility) of bin, donation, resale and take-back for a set of rows, ``(4, m)``.

    ``k`` holds the group constants of :meth:`RouteChoice.route_factors`, ``(4,)`` for
    rows of one group or ``(m, 4)`` row by row; ``a`` and ``d`` are the rows' attitude
    and bin-access factors. Resale weighs attitude by ``A ** resale_weight``.
    """
    k = np.asarray(k).T
    return np.stack([k[0] * d * a, k[1] * a, k[2] * resale_factor(a, resale_weight),
                     k[3] * a])


def resale_factor(a: np.ndarray, resale_weight: float, out: np.ndarray | None = None
                  ) -> np.ndarray:
    """The attitude factor of resale, ``A ** resale_weight`` (a square root at 0.5)."""
    if resale_weight == 0.5:
        return np.sqrt(a, out=out)
    return np.power(a, resale_weight, out=out)


class RouteChoice:
    """The route utilities of every household, and the bin access they depend on."""

    def bin_distance_km(self, cond: Conditions) -> np.ndarray:
        """Distance to the nearest bin; recomputed only when bin density changes."""
        density = cond.bins_per_10k_residents
        if getattr(self, "_bin_density", None) != density:
            self._bin_distance = self.geo.nearest_bin_km(density, self.bin_u, self.zone)
            self._bin_density = density
        return self._bin_distance

    def route_factors(self, cond: Conditions, take_back_share: float
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The route utilities, factorised: the single place where they are defined.

        Utilities against the residual bin (0) are, for bin, donation, resale and brand
        take-back: ``asc + beta_attitude * a + beta_norm * norm_zone`` (bin: minus
        ``beta_distance_per_km * distance``; resale: no norm, ``resale_attitude_weight``
        times the attitude weight (0.5: half) and ``asc_resale_low_income`` added for
        low-income households; take-back: weighted by its availability). Attitude enters
        additively, so ``exp(utility) = K[group, route] * A**x * (D for the bin)`` with
        ``A = exp(beta_attitude * a)``, ``x = resale_attitude_weight`` for resale and 1
        otherwise, and ``D = exp(-beta_distance_per_km * distance)``: one exponential per
        household instead of four. :func:`route_terms` combines them.

        Returns:
            ``K`` ``(G, 4)`` per group, ``A`` ``(n,)`` and ``D`` ``(n,)`` per household.
        """
        A = self.buffer("attitude_factor", (self.n,))
        np.multiply(self.awareness, self.s.households.beta_attitude, out=A,
                    dtype=np.float64)                      # float64, as the utilities are
        np.exp(A, out=A)
        return self.route_constants(cond, take_back_share), A, self.bin_access(cond)

    def route_constants(self, cond: Conditions, take_back_share: float) -> np.ndarray:
        """The group constants ``K`` ``(G, 4)`` of :meth:`route_factors`."""
        hp = self.s.households
        norm = hp.beta_norm * self.norm[self.zone_of_group]
        low = (np.arange(self.n_groups) % 2).astype(float)
        K = np.empty((self.n_groups, 4))
        K[:, 0] = np.exp(hp.asc_bin + norm)
        K[:, 1] = np.exp(hp.asc_donation + norm)
        K[:, 2] = np.exp(hp.asc_resale + hp.asc_resale_low_income * low
                         + cond.resale_utility_gain)
        K[:, 3] = np.exp(hp.asc_donation) * max(take_back_share, 0.0)
        return K

    def bin_access(self, cond: Conditions) -> np.ndarray:
        """exp(-beta_distance_per_km * distance to the nearest bin), cached with bin density."""
        density = cond.bins_per_10k_residents
        if getattr(self, "_access_density", None) != density:
            self._bin_access = np.exp(-self.s.households.beta_distance_per_km
                                      * self.bin_distance_km(cond).astype(np.float64))
            self._access_density = density
        return self._bin_access

    def route_exponentials(self, cond: Conditions, take_back_share: float) -> np.ndarray:
        """exp(utility) of bin, donation, resale and take-back per household, ``(4, n)``."""
        K, A, D = self.route_factors(cond, take_back_share)
        return route_terms(K[self.group], A, D, self.s.households.resale_attitude_weight)

    def worn_out_factor(self, out: np.ndarray | None = None) -> np.ndarray:
        """exp(worn_out_collection_penalty * (1 - a)) per household: how much less likely a
        worn-out garment is to go to a separate route than one merely out of use.

        Many people believe only wearable clothes belong in textile collection; awareness
        (campaigns telling that all textiles are taken) lifts the belief, so the penalty
        shrinks as attitude ``a`` grows, and a campaign draws worn-out garments into
        collection more than wearable ones.
        """
        out = np.empty(self.n) if out is None else out
        np.subtract(1.0, self.awareness, out=out, dtype=np.float64)   # no temporaries
        out *= self.s.households.worn_out_collection_penalty
        return np.exp(out, out=out)

    def route_probabilities(self, cond: Conditions, take_back_share: float
                            ) -> tuple[np.ndarray, np.ndarray]:
        """Route choice shares (n, 5) for worn-out and for out-of-use garments."""
        e = np.vstack([np.ones((1, self.n)), self.route_exponentials(cond, take_back_share)]).T
        out_of_use = e / e.sum(axis=1, keepdims=True)
        e[:, R_RESALE] = 0.0
        e[:, 1:] *= self.worn_out_factor()[:, None]
        worn = e / e.sum(axis=1, keepdims=True)
        return worn, out_of_use
