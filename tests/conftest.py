"""Shared fixtures: small scenarios and models that run in a fraction of a second."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from circsim import TextileEconomy, load_scenario
from circsim.scenario import Scenario

# unit tests look at mechanisms from the initial state: no spin-up (tests/test_warmup.py
# covers the spin-up itself)
SMALL = {"scale": 0.002, "months": 12, "warmup_months": 0}


def small_scenario(overrides: Mapping[str, object] | None = None) -> Scenario:
    """The baseline at a small scale and horizon, with dotted-key overrides on top."""
    return load_scenario("baseline", overrides={**SMALL, **(overrides or {})})


def small_model(overrides: Mapping[str, object] | None = None, seed: int = 1,
                months: int = 0) -> TextileEconomy:
    """A model of :func:`small_scenario`, already run for ``months`` months."""
    model = TextileEconomy(small_scenario(overrides), seed=seed)
    if months:
        model.run(months)
    return model


@pytest.fixture(scope="session")
def make_scenario() -> Callable[..., Scenario]:
    """Factory: ``make_scenario({"policies.epr.enabled": True})`` -> a small validated scenario."""
    return small_scenario


@pytest.fixture(scope="session")
def make_model() -> Callable[..., TextileEconomy]:
    """Factory: ``make_model(overrides, seed=1, months=6)`` -> a small model run ``months``."""
    return small_model
