"""The dashboard speaks English and Italian: every label exists in both, nothing is missing."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import circsim.viz as viz
from circsim.ledger import NODES
from circsim.scenario.loader import bundled_names
from circsim.scenario.schema import Policies
from circsim.viz.i18n import EN, IT, TEXTS, fmt_num, fmt_signed_pct, month_label, tr
from circsim.viz.levers import lever_fields
from circsim.viz.sankey import COLUMNS, OTHER_SECTORS
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
    assert needed <= set(table), sorted(needed - set(table))
    assert set(COLUMNS) | set(OTHER_SECTORS) == set(NODES), \
        "a ledger node has no place in the flow picture"


def test_italian_numbers_and_dates() -> None:
    assert fmt_num(1234.5, "en", 1) == "1,234.5"
    assert fmt_num(1234.5, "it", 1) == "1.234,5"
    assert fmt_num(float("nan"), "it") == "–"
    assert fmt_num(-0.0004, "en", 2) == "0.00"
    assert fmt_signed_pct(-2.04, "it") == "−2,0 %"
    assert fmt_signed_pct(3.0, "en") == "+3.0 %"
    assert month_label(2026, 14, "it") == "feb 2027"
    assert month_label(2026, 12, "en") == "Dec 2026"


@pytest.mark.parametrize(("lang", "ten_k", "bins"), [("en", "10,000", "1,621"),
                                                      ("it", "10.000", "1.621")])
def test_numbers_in_labels_follow_the_same_convention(lang: str, ten_k: str, bins: str) -> None:
    """"10 000 abitanti" beside "1.621 cassonetti" must not happen: one separator a page."""
    assert fmt_num(1621, lang) == bins
    assert ten_k in tr("unit.per_10k", lang)
    assert f"{ten_k} " in tr("map.bins", lang, bins="5", total=fmt_num(1621, lang))
    for key in EN:      # no number of four digits or more is written into a label
        assert not re.search(r"\d[ .,\u00a0]\d{3}\b", TEXTS[lang][key]), key


def test_every_key_the_code_asks_for_exists() -> None:
    """Labels named literally in the dashboard's code exist in both languages."""
    code = "".join(p.read_text() for p in Path(viz.__file__).parent.glob("*.py"))
    keys = set(re.findall(r"""tr\(["']([a-z_]+\.[a-z_.]+)["']""", code))
    keys |= {"ui.switch_on", "ui.switch_off", "map.province.MB", "map.province.LO"}
    assert len(keys) > 30
    assert keys <= set(EN) and keys <= set(IT), sorted(keys - (set(EN) & set(IT)))


def test_no_jargon_for_a_lay_audience() -> None:
    for word in ("seed", "seme", "agent", "transaction cost", "costi di transazione"):
        assert not any(word in text.lower() for table in TEXTS.values()
                       for text in table.values()), word


def test_tr_fills_values_and_falls_back() -> None:
    assert tr("ui.month", "it", month=3, months=120, date="mar 2026").startswith("Mese 3 di 120")
    assert tr("no.such.key", "it") == "no.such.key"
    assert tr("ui.play", "fr") == "Play"
