"""The regional industrial-symbiosis programme, activity by activity.

As the programme describes itself (mapping, training, workshops, personalised support,
guidelines), over ``duration_months`` from its start month:

* **mapping** (the first quarter): a questionnaire reaches ``mapping_share`` of the
  firms; each one reached closes ``mapping_awareness_gain`` of its gap to full awareness;
* **training** (the first half): seminars reach ``trained_firms`` real firms, i.e. each
  representative firm with probability ``trained_firms / real firms``;
* **workshops** (spread over the second half): each gathers a group of
  ``workshop_group_size`` firms of different sectors near one another; its members come
  to know each other, become more aware and get **personalised support**, which cuts the
  set-up and transaction costs of their exchanges by ``support_cost_reduction``;
* **guidelines** (the last month): spread to every firm, participant or not.

The budget is paid by the public budget in equal monthly parts. Representative firms
stand for several real firms, so a workshop member stands for the firms like it that
took part (a limitation stated in the ODD).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from circsim.seeds import mechanism_rng

if TYPE_CHECKING:
    from circsim.policies import Conditions
    from circsim.symbiosis import SymbiosisExchange


class Programme:
    """The programme's state: which firms it supported, how far it has gone."""

    def __init__(self, exchange: SymbiosisExchange) -> None:
        self.ex = exchange
        self.supported = np.zeros(len(exchange.firms), bool)
        self.reached = np.zeros(len(exchange.firms), bool)   # by any activity
        # its own stream: the programme's draws leave households' and others' draws alone,
        # so a scenario with the programme is compared with one without on the same numbers
        self.rng = mechanism_rng(exchange.model._seed, "symbiosis_programme")

    def support(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Cost reduction of each pair of actors (0 unless one is a supported firm)."""
        n = self.supported.size
        p = self.ex.model.scenario.policies.symbiosis_programme
        sup = np.zeros(a.size, bool)
        for side in (a, b):
            inside = side < n
            sup[inside] |= self.supported[side[inside]]
        return sup * p.support_cost_reduction

    def step(self, c: Conditions) -> None:
        """This month's activities, if the programme runs."""
        month = c.programme_month
        m = self.ex.model
        p = m.scenario.policies.symbiosis_programme
        if month < 1 or month > p.duration_months:
            return
        firms = self.ex.firms
        rng = self.rng
        dur = p.duration_months
        m.pay("public_budget", "symbiosis_programme", "world", p.budget_eur / dur)
        quarter, half = max(1, dur // 4), max(1, dur // 2)
        if month <= quarter:
            self._reach(rng.random(len(firms)) < p.mapping_share / quarter,
                        p.mapping_awareness_gain)
        if month <= half:
            real = sum(f.weight for f in firms)
            chance = min(1.0, p.trained_firms / max(real, 1e-9)) / half
            self._reach(rng.random(len(firms)) < chance, p.training_awareness_gain)
        if p.workshops > 0 and month > half:
            every = max(1, (dur - half) // p.workshops)
            # at the start of each interval, so the last is not held at the closing event
            if (month - half - 1) % every == 0 and (month - half - 1) // every < p.workshops:
                self._workshop(p.workshop_group_size, p.workshop_awareness_gain)
        if month == dur:
            for f in firms:
                f.raise_awareness(p.guidelines_awareness_gain)

    def _reach(self, hit: np.ndarray, gain: float) -> None:
        for i in np.flatnonzero(hit):
            self.ex.firms[i].raise_awareness(gain)
        self.reached |= hit

    def _workshop(self, size: int, gain: float) -> None:
        """A group of firms of different sectors around a random firm: they meet."""
        ex = self.ex
        n = len(ex.firms)
        anchor = int(self.rng.integers(n))
        order = np.argsort(np.hypot(*(ex.xy - ex.xy[anchor]).T), kind="stable")
        group, seen = [], set()
        for i in order.tolist():
            if ex.firms[i].sector not in seen or len(seen) >= 6:
                group.append(i)
                seen.add(ex.firms[i].sector)
            if len(group) == size:
                break
        g = np.array(group)
        a, b = np.meshgrid(g, g)
        off = a != b
        ex.rel.learn(a[off], b[off])
        for i in group:
            ex.firms[i].raise_awareness(gain)
        self.supported[g] = True
        self.reached[g] = True
