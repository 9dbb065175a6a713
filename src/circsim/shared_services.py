"""Shared infrastructure and services: co-located firms buying utilities and services together.

Every symbiosis firm pays yearly bills per employee for utilities (water supply, heat,
wastewater treatment) and accessory services (security, cleaning, catering, logistics).
Firms sharing a service in a group of ``n`` members save ``saving_share * (1 - 1/n)`` of
its bill (the fixed part of a plant or contract is split among more members), and
utilities save the same share of their energy. Each month:

1. members leave at random (relocation, closure, contract end) or when their saving no
   longer pays the group's coordination fee; a group below ``min_group_size`` dissolves;
2. a firm considers sharing with probability ``consider_rate_per_month`` times its
   symbiosis awareness (plus the support programme's boost); for each service it does not
   share it joins the best group within ``radius_km`` if joining pays (saving less
   coordination less set-up spread over ``payback_years``), or else waits, interested,
   for neighbours for ``interest_months``;
3. a group forms where at least ``min_group_size`` interested firms lie within
   ``radius_km`` of one of them and joining pays each of them;
4. firms pay their bills (members less their saving), the coordination fee and any
   set-up; the ``shared_services_support`` programme pays part of set-ups and a
   facilitator while its budget lasts.

Draws come from a stream of their own (:func:`circsim.seeds.mechanism_rng`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from circsim.scenario.schema import Services, Utility
from circsim.seeds import mechanism_rng

if TYPE_CHECKING:
    from circsim.model import TextileEconomy

SERVICES = tuple(Services.model_fields)
UTILITIES = tuple(s for s in SERVICES if Services.model_fields[s].annotation is Utility)


@dataclass
class Group:
    """Firms sharing one service around an anchor site."""

    service: str
    xy: np.ndarray
    members: list = field(default_factory=list)


class SharedServices:
    """The shared-service groups of the symbiosis firms, and the month's savings."""

    def __init__(self, model: TextileEconomy) -> None:
        self.model = model
        self.rng = mechanism_rng(model._seed, "shared_services")
        self.groups: list[Group] = []
        self.interested: dict[str, dict] = {s: {} for s in SERVICES}   # firm -> since month
        self.budget_spent_eur = 0.0
        self.saving_eur = self.kwh_saved = 0.0     # this month, metro-equivalent
        self.formed = self.dissolved = 0            # this month

    # -- economics of one real firm (EUR a year) ----------------------------------------
    def _spec(self, service: str):
        return getattr(self.model.scenario.shared_services.services, service)

    def bill_eur_year(self, firm, service: str) -> float:
        return self._spec(service).cost_eur_per_employee_year * firm.employees

    def saving_share(self, service: str, n: int) -> float:
        return self._spec(service).saving_share * (1.0 - 1.0 / max(n, 1))

    def keeps_paying(self, firm, service: str, n: int) -> bool:
        """Whether sharing in a group of ``n`` still beats the coordination fee."""
        fee = 12 * self.model.scenario.shared_services.coordination_eur_per_member_month
        return self.bill_eur_year(firm, service) * self.saving_share(service, n) > fee

    def join_value_eur_year(self, firm, service: str, n: int) -> float:
        """Yearly net gain of joining a group that will have ``n`` members, set-up included."""
        p = self.model.scenario.shared_services
        setup = self._spec(service).setup_eur_per_member * (1 - self._subsidy_share())
        return (self.bill_eur_year(firm, service) * self.saving_share(service, n)
                - 12 * p.coordination_eur_per_member_month - setup / p.payback_years)

    def _subsidy_share(self) -> float:
        return self.model.conditions.shared_services_setup_subsidy_share if self._funded() else 0.0

    def _funded(self) -> bool:
        budget = self.model.scenario.policies.shared_services_support.budget_eur
        return self.budget_spent_eur < budget

    # -- the month -------------------------------------------------------------------
    def update_groups(self) -> None:
        """Members leave, groups dissolve, firms consider sharing, groups form; all pay."""
        m = self.model
        firms = m.symbiosis_firms()
        self.formed = self.dissolved = 0
        boost = self._facilitate()
        self._leave(set(firms))
        sharing = self.memberships()
        self._consider(firms, sharing, boost)
        for service in SERVICES:
            self._form(service)
        self._pay(firms, self.memberships())

    def memberships(self) -> dict:
        """firm -> {service: group size} of the groups it belongs to."""
        sharing: dict = {}
        for g in self.groups:
            for f in g.members:
                sharing.setdefault(f, {})[g.service] = len(g.members)
        return sharing

    def _facilitate(self) -> float:
        """The programme pays its facilitator while the budget lasts; its boost to reviews."""
        c = self.model.conditions
        if c.shared_services_facilitation_eur <= 0 and c.shared_services_consider_boost <= 0:
            return 0.0
        if not self._funded():
            return 0.0
        self._spend("programme_operation", None, c.shared_services_facilitation_eur)
        return c.shared_services_consider_boost

    def _spend(self, purpose: str, payee, eur: float) -> float:
        """Pay from the programme's budget (what is left of it); returns what was paid."""
        budget = self.model.scenario.policies.shared_services_support.budget_eur
        eur = min(eur, max(0.0, budget - self.budget_spent_eur))
        self.model.pay("public_budget", purpose, payee or "world", eur)
        self.budget_spent_eur += eur
        return eur

    def _leave(self, alive: set) -> None:
        rate = self.model.scenario.shared_services.leave_rate_per_month
        minimum = self.model.scenario.shared_services.min_group_size
        kept = []
        for g in self.groups:
            stay = [f for f in g.members if f in alive and self.rng.random() >= rate]
            stay = [f for f in stay if self.keeps_paying(f, g.service, len(stay))]
            g.members = stay
            if len(stay) >= minimum:
                kept.append(g)
            else:
                self.dissolved += 1
        self.groups = kept

    def _consider(self, firms: list, sharing: dict, boost: float) -> None:
        p = self.model.scenario.shared_services
        month = self.model.month
        awareness = np.array([f.symbiosis_awareness for f in firms])
        considering = self.rng.random(len(firms)) < p.consider_rate_per_month * awareness + boost
        for firm in (f for f, yes in zip(firms, considering, strict=True) if yes):
            for service in SERVICES:
                if service in sharing.get(firm, {}):
                    continue
                if (not self._join_best_group(firm, service)
                        and self.join_value_eur_year(firm, service, p.min_group_size) > 0):
                    # a firm already waiting keeps waiting from when it started
                    self.interested[service].setdefault(firm, month)

    def _join_best_group(self, firm, service: str) -> bool:
        radius = self.model.scenario.shared_services.radius_km
        near = [g for g in self.groups if g.service == service
                and float(np.hypot(*(g.xy - firm.xy))) <= radius]
        if not near:
            return False
        values = [self.join_value_eur_year(firm, service, len(g.members) + 1) for g in near]
        best = int(np.argmax(values))
        if values[best] <= 0:
            return False
        near[best].members.append(firm)
        self._pay_setup(firm, service)
        self.interested[service].pop(firm, None)
        return True

    def _form(self, service: str) -> None:
        """Groups form where enough interested firms lie close together."""
        p = self.model.scenario.shared_services
        waiting = self.interested[service]
        for firm in [f for f, since in waiting.items()
                     if self.model.month - since >= p.interest_months]:
            del waiting[firm]
        while len(waiting) >= p.min_group_size:
            firms = list(waiting)
            xy = np.array([f.xy for f in firms])
            near = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) <= p.radius_km
            anchor = int(near.sum(axis=1).argmax())
            members = [f for f, ok in zip(firms, near[anchor], strict=True) if ok]
            members = [f for f in members
                       if self.join_value_eur_year(f, service, len(members)) > 0]
            if len(members) < p.min_group_size:
                return
            self.groups.append(Group(service, xy[anchor].copy(), members))
            self.formed += 1
            for f in members:
                del waiting[f]
                self._pay_setup(f, service)

    def _pay_setup(self, firm, service: str) -> None:
        m = self.model
        setup = self._spec(service).setup_eur_per_member * firm.weight
        m.pay(firm, "shared_service_setup", "world", setup)
        if self._subsidy_share() > 0:
            self._spend("grant", firm, setup * self._subsidy_share())

    def _pay(self, firms: list, sharing: dict) -> None:
        """Bills (members pay less), coordination fees; the month's savings and energy.

        Arrays over firms, one column per service: each firm's sums run over the services
        in the same order as a loop per firm would, and the month's totals over the firms
        in turn (``cumsum``), so the result agrees with that loop to the last bit.
        """
        m = self.model
        p = m.scenario.shared_services
        n = len(firms)
        self.saving_eur = self.kwh_saved = 0.0
        if n == 0:
            return
        employees = np.fromiter((f.employees for f in firms), np.float64, n)
        weight = np.fromiter((f.weight for f in firms), np.float64, n)
        sizes = self._group_sizes(firms, sharing)
        bill, saved, kwh = np.zeros(n), np.zeros(n), np.zeros(n)
        for k, service in enumerate(SERVICES):
            spec = self._spec(service)
            full = spec.cost_eur_per_employee_year * employees / 12
            size = sizes[:, k]
            share = np.where(size > 0, spec.saving_share * (1.0 - 1.0 / np.maximum(size, 1)),
                             0.0)
            bill += full * (1 - share)
            saved += full * share
            if service in UTILITIES:
                kwh += np.where(share > 0,
                                spec.kwh_per_employee_year * employees / 12 * share, 0.0)
        fee = p.coordination_eur_per_member_month * (sizes > 0).sum(axis=1)
        bills, fees = bill * weight, fee * weight
        self.saving_eur = float(np.cumsum((saved - fee) * weight)[-1])
        self.kwh_saved = float(np.cumsum(kwh * weight)[-1])
        # thousands of firms: one batch of payments, the same as one call each
        world = m.sectors["world"]
        m.money.pay_each(firms, [("service_bill", world, bills),
                                 ("shared_service_coordination", world, fees)])

    @staticmethod
    def _group_sizes(firms: list, sharing: dict) -> np.ndarray:
        """Firms x services: the size of the group each firm shares a service in (0: none)."""
        sizes = np.zeros((len(firms), len(SERVICES)), dtype=np.int64)
        column = {service: k for k, service in enumerate(SERVICES)}
        for i, firm in enumerate(firms):
            for service, size in sharing.get(firm, {}).items():
                sizes[i, column[service]] = size
        return sizes

    # -- for outcomes ------------------------------------------------------------------
    def members(self) -> int:
        """Firms (representative agents) taking part in at least one group."""
        return len(self.memberships())
