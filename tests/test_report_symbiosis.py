"""The report explains a symbiosis programme's effects in the programme's kinds of benefit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from circsim.cli import main
from circsim.outcomes import BY_NAME
from circsim.report.html import build_report
from circsim.report.i18n import STRINGS
from circsim.report.symbiosis import BENEFITS, benefits_section
from circsim.scenario import load_scenario

METRICS = [m for _, metrics in BENEFITS for m in metrics]


def test_every_benefit_is_a_declared_outcome_shown_once():
    assert all(m in BY_NAME for m in METRICS)
    assert len(METRICS) == len(set(METRICS))
    assert [k for k, _ in BENEFITS] == ["economic", "environmental", "social", "network"]


def _table(change: dict[str, tuple[float, float, float]]) -> pd.DataFrame:
    """A comparison of ``sigma_programme`` against ``baseline``: every benefit at 100 in
    the reference; ``change`` gives (diff, ci_low, ci_high) of some, the rest unchanged."""
    rows = []
    for m in METRICS:
        rows.append({"scenario": "baseline", "metric": m, "n": 5, "mean": 100.0,
                     "ci_low": 90.0, "ci_high": 110.0, "diff": None, "diff_ci_low": None,
                     "diff_ci_high": None, "pct_change": None, "pct_ci_low": None,
                     "pct_ci_high": None})
        d, lo, hi = change.get(m, (0.0, -1.0, 1.0))
        rows.append({"scenario": "sigma_programme", "metric": m, "n": 5, "mean": 100 + d,
                     "ci_low": 95 + d, "ci_high": 105 + d, "diff": d, "diff_ci_low": lo,
                     "diff_ci_high": hi, "pct_change": d, "pct_ci_low": lo,
                     "pct_ci_high": hi})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("lang", "more"), [("en", "more"), ("it", "in più")])
def test_sentences_name_the_significant_changes_by_kind(lang, more):
    known = {"baseline": load_scenario("baseline"),
             "sigma_programme": load_scenario("sigma_programme")}
    table = _table({"symbiosis_disposal_savings_eur": (12.0, 5.0, 19.0),
                    "symbiosis_links": (30.0, 10.0, 50.0)})
    out = benefits_section(table, known, "baseline", {}, 24, 2026, lang,
                           lambda m, r: "better")
    (block,) = out["blocks"]
    assert "<code>symbiosis_programme</code>" in block["intro"]
    kinds = {k["title"]: k for k in block["kinds"]}
    economic = kinds[STRINGS[lang]["sym_economic"]]["sentence"]
    label = BY_NAME["symbiosis_disposal_savings_eur"].label(lang).lower()
    assert f"{label}: 12.0 % {more}" in economic or f"{label}: 12,0 % {more}" in economic
    assert "95 %" in economic
    assert BY_NAME["symbiosis_links"].label(lang).lower() in kinds[
        STRINGS[lang]["sym_network"]]["sentence"]
    social = kinds[STRINGS[lang]["sym_social"]]["sentence"]
    assert social == STRINGS[lang]["sym_none"].format(kind=STRINGS[lang]["sym_social"])
    # every row says its unit and period
    rows = [r for k in block["kinds"] for r in k["rows"]]
    assert len(rows) == len(METRICS)
    assert all("(" in r["heading"] and r["ci"] and r["change_ci"] for r in rows)


def test_no_section_without_a_symbiosis_lever():
    known = {"baseline": load_scenario("baseline"),
             "destruction_ban": load_scenario("destruction_ban")}
    table = _table({}).replace("sigma_programme", "destruction_ban")
    assert benefits_section(table, known, "baseline", {}, 24, 2026, "en",
                            lambda m, r: "ns") is None


@pytest.fixture(scope="module")
def programme(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sigma")
    code = main(["compare", "baseline", "sigma_programme", "--replicates", "2", "--months",
                 "12", "--scale", "0.002", "--jobs", "1", "--out", str(out)])
    assert code == 0
    return out


@pytest.mark.parametrize("lang", ["en", "it"])
def test_report_of_a_programme_has_the_benefits_section(programme, lang):
    page = build_report(programme, lang=lang).read_text().replace("&#39;", "'")
    t = STRINGS[lang]
    start = page.index(f"<h2>{t['sym_title']}</h2>")
    section = page[start:page.index("</section>", start)]
    for key in ("sym_economic", "sym_environmental", "sym_social", "sym_network"):
        assert t[key] in section
    for m in METRICS:
        assert BY_NAME[m].label(lang) in section, m
    assert ("total over 1 year" in section) if lang == "en" else ("totale in 1 ann" in section)
    assert "t CO2e" in section and "EUR" in section
