"""The bundled scenarios: provenance of the baseline, and that each policy moves outcomes
the way a domain expert expects against the baseline with the same seeds."""

from __future__ import annotations

import functools
import types
import typing

import numpy as np
import pytest
import yaml

from circsim import load_scenario, run_scenario
from circsim.scenario import bundled_scenarios
from circsim.scenario.loader import resolve_source
from circsim.scenario.schema import Lever, Policies


def _numeric_leaves(tree, prefix=""):
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _numeric_leaves(value, path + ".")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield path


def test_every_baseline_number_has_a_source():
    raw = yaml.safe_load(resolve_source("baseline").read_text())
    sources = raw["sources"]
    missing = [p for p in _numeric_leaves({k: v for k, v in raw.items() if k != "sources"})
               if not any(p == s or p.startswith(s + ".") for s in sources)]
    assert missing == []
    assert all(len(text) > 10 for text in sources.values())


def _is_numeric(annotation) -> bool:
    """int or float, or either of them or None (a bool is not a number here)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is_numeric(a) for a in typing.get_args(annotation))
    return annotation in (int, float)


def lever_numeric_parameters() -> list[str]:
    """``policies.<lever>.<key>`` of every lever's own numeric parameter, from the schema.

    The switch common to all levers (``enabled``, ``start_month``, ``end_month``) is left
    out: it says when a lever acts, which each scenario sets, not how much it does.
    """
    return [f"policies.{lever}.{key}"
            for lever, field in Policies.model_fields.items()
            for key, spec in field.annotation.model_fields.items()
            if key not in Lever.model_fields and _is_numeric(spec.annotation)]


def test_every_lever_number_has_a_source_in_the_baseline():
    sources = yaml.safe_load(resolve_source("baseline").read_text())["sources"]
    params = lever_numeric_parameters()
    assert "policies.epr.fee_eur_per_kg" in params
    assert "policies.destruction_ban.medium_firms_from_month" in params
    assert "policies.destruction_ban.firm_sizes" not in params
    assert [p for p in params if p not in sources] == []


def test_at_least_six_policy_scenarios_plus_baseline():
    names = [b.name for b in bundled_scenarios()]
    assert names[0] == "baseline" and len(names) >= 7


SEEDS = (11, 12)


@functools.cache
def _summaries(name: str) -> tuple[dict, ...]:
    sc = load_scenario(name, overrides={"scale": 0.004, "months": 48})
    return tuple(run_scenario(sc, seed=s).summary for s in SEEDS)


def _mean(name: str, key: str) -> float:
    return float(np.mean([summary[key] for summary in _summaries(name)]))


@pytest.mark.parametrize("scenario, metric, sign", [
    ("collection", "collection_rate", +1),
    ("awareness_campaign", "separately_collected_kg_per_capita_year", +1),
    ("awareness_campaign", "residual_waste_t", -1),
    ("destruction_ban", "destroyed_share_of_production", -1),
    ("destruction_ban", "low_income_kg_per_household_year", +1),
    ("repair_subsidy", "mean_service_life_months", +1),
    ("repair_subsidy", "residual_waste_t", -1),
    ("epr", "firms_with_innovation_share", +1),
    ("symbiosis_platform", "symbiosis_exchanged_t", +1),
    ("enterprise_support", "new_enterprises", +1),
    ("enterprise_support", "low_income_kg_per_household_year", +1),
    ("decluttering_campaign", "dormant_share", -1),
    ("decluttering_campaign", "separately_collected_kg_per_capita_year", +1),
    ("resale_platform", "secondhand_share_of_acquisitions", +1),
    ("resale_platform", "dormant_share", -1),
    # the tax adds about EUR 6 per tonne to disposal (5 % landfilled, incineration pays a
    # fifth): it funds the public budget, but is a hundredth of what brands weigh when they
    # destroy unsold goods, so it flips a firm's choice only by chance (see the test below)
    ("landfill_tax", "net_public_cost_eur", -1),
    ("milan_programme", "residual_waste_t", -1),
    ("milan_programme", "low_income_reach_share", +1),
])
def test_policy_moves_metric_in_expected_direction(scenario, metric, sign):
    base, policy = _mean("baseline", metric), _mean(scenario, metric)
    assert sign * (policy - base) > 0, (scenario, metric, base, policy)


def test_landfill_tax_never_raises_destruction():
    """A dearer disposal can only make destroying unsold goods less attractive."""
    base = _mean("baseline", "destroyed_share_of_production")
    assert _mean("landfill_tax", "destroyed_share_of_production") <= base


def test_every_bundled_scenario_has_its_own_words_in_both_languages():
    """A label and an Italian description in each file; a file that extends another does
    not inherit them (a policy must not be called "Baseline: Milan as it is")."""
    from circsim.scenario import bundled_scenarios, load_scenario

    labels = set()
    for b in bundled_scenarios():
        sc = load_scenario(b.name)
        assert sc.label and sc.label_it and sc.description_it, b.name
        assert sc.describe("it") != sc.describe("en"), b.name
        labels.add(sc.title("it"))
    assert len(labels) == len(bundled_scenarios())


def test_words_are_not_inherited(tmp_path):
    from circsim.scenario import load_scenario

    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\nextends: baseline\n")
    sc = load_scenario(str(path))
    assert sc.title() == "mine" and sc.title("it") == "mine" and sc.description == ""


def test_names_from_file_names_match_the_scenarios_read_in_full():
    from circsim.scenario.loader import bundled_names

    assert bundled_names() == [b.name for b in bundled_scenarios()]
