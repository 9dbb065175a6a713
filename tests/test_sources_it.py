"""The Italian texts of the baseline's sources: one for every parameter, faithful in numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from circsim.scenario.sources_i18n import sources_in
from circsim.scenario.yamlio import read_yaml

BASELINE = Path(__file__).parents[1] / "src" / "circsim" / "data" / "scenarios" / "baseline.yaml"
#: a number as written in either language: 0.7 and 0,7 are the same number
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: a parameter path or code identifier the translation must keep as it is
IDENTIFIER = re.compile(r"\b[a-z0-9]+(?:[._][a-z0-9]+)*(?:_[a-z0-9]+)\b")


@pytest.fixture(scope="module")
def english() -> dict[str, str]:
    return read_yaml(BASELINE, "baseline.yaml").data["sources"]


@pytest.fixture(scope="module")
def italian() -> dict[str, str]:
    return sources_in("it")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in NUMBER.findall(text)}


def test_every_baseline_source_has_one_italian_text(english, italian):
    assert set(italian) == set(english)


def test_no_italian_text_is_empty(italian):
    assert [key for key, text in italian.items() if not text.strip()] == []


def test_italian_texts_keep_every_number(english, italian):
    missing = {key: sorted(_numbers(text) - _numbers(italian.get(key, "")))
               for key, text in english.items()}
    assert {key: nums for key, nums in missing.items() if nums} == {}


def test_italian_texts_keep_parameter_names(english, italian):
    missing = {key: sorted(set(IDENTIFIER.findall(text)) - set(IDENTIFIER.findall(italian[key])))
               for key, text in english.items()}
    assert {key: names for key, names in missing.items() if names} == {}


def test_assumptions_stay_assumptions(english, italian):
    """The report tells assumptions from sources by the lower-case prefix."""
    said = {key for key, text in english.items() if text.startswith("assumption")}
    assert said == {key for key, text in italian.items() if text.startswith("ipotesi")}


def test_english_needs_no_translation_and_other_languages_are_errors():
    assert sources_in("en") == {}
    with pytest.raises(ValueError, match="fr"):
        sources_in("fr")
