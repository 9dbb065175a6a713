"""The dashboard speaks English and Italian: every label exists in both, nothing is missing."""

from __future__ import annotations

import string

import pytest

from circsim.ledger import NODES
from circsim.scenario.loader import bundled_names
from circsim.scenario.schema import Policies
from circsim.viz.i18n import EN, IT, TEXTS, fmt_num, fmt_signed_pct, month_label, tr
from circsim.viz.levers import lever_fields
from circsim.viz.sankey import COLUMNS
from circsim.viz.session import demo_scenario
from circsim.viz.svg import FATES


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_both_languages() -> None:
    assert set(EN) == set(IT), (sorted(set(EN) - set(IT)), sorted(set(IT) - set(EN)))
    assert set(TEXTS) == {"en", "it"}


def test_placeholders_match_and_no_label_is_empty() -> None:
    for key in EN:
        assert EN[key].strip() and IT[key].strip(), key
        assert _fields(EN[key]) == _fields(IT[key]), key


@pytest.mark.parametrize("lang", ["en", "it"])
def test_everything_the_page_names_has_a_label(lang: str) -> None:
    table = TEXTS[lang]
    needed = {f"lever.{name}" for name in Policies.model_fields}
    for specs in lever_fields(demo_scenario("baseline")).values():
        needed |= {s.label_key for s in specs if s.kind != "switch"}
        needed |= {s.unit_key for s in specs if s.unit_key}
    needed |= {f"scenario.{name}" for name in bundled_names()}
    needed |= {f"node.{node}" for node in COLUMNS}
    needed |= {key for key, _, _ in FATES}
    needed |= {f"month.{m}" for m in range(1, 13)}
    assert needed <= set(table), sorted(needed - set(table))
    assert set(COLUMNS) == set(NODES), "a ledger node has no place in the flow picture"


def test_italian_numbers_and_dates() -> None:
    assert fmt_num(1234.5, "en", 1) == "1,234.5"
    assert fmt_num(1234.5, "it", 1) == "1.234,5"
    assert fmt_num(float("nan"), "it") == "–"
    assert fmt_signed_pct(-2.04, "it") == "−2,0 %"
    assert fmt_signed_pct(3.0, "en") == "+3.0 %"
    assert month_label(2026, 14, "it") == "feb 2027"
    assert month_label(2026, 12, "en") == "Dec 2026"


def test_tr_fills_values_and_falls_back() -> None:
    assert tr("ui.month", "it", month=3, months=120, date="mar 2026").startswith("Mese 3 di 120")
    assert tr("no.such.key", "it") == "no.such.key"
    assert tr("ui.play", "fr") == "Play"
