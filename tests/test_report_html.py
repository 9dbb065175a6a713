"""The policy report: rendered from a small comparison, self-contained, in both languages."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

import pandas as pd
import pytest

from circsim.cli import main
from circsim.report.html import build_report
from circsim.report.i18n import METRICS, STRINGS


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compare")
    code = main(["compare", "baseline", "destruction_ban", "--replicates", "3", "--months", "12",
                 "--scale", "0.002", "--jobs", "1", "--out", str(out)])
    assert code == 0
    return out


def test_report_is_self_contained_and_says_what_changed(comparison):
    page = build_report(comparison).read_text()
    assert "<h2>Summary</h2>" in page and "How to reproduce" in page
    assert "Ban on destroying unsold goods" in page and "Baseline: Milan as it is" in page
    assert "?" not in page[page.index("<h2>Summary</h2>"):page.index("<h2>Headline")]
    # no external assets: every image is embedded, nothing is fetched
    assert not re.search(r'(src|href)="(https?:)?//', page)
    images = re.findall(r'<img[^>]*src="([^"]+)"', page)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    # the summary quotes the comparison's own change in waste, with its interval
    table = pd.read_csv(comparison / "comparison.csv")
    row = table[(table.scenario == "destruction_ban") & (table.metric == "residual_waste_t")]
    pct = f"{abs(float(row['pct_change'].iloc[0])):.1f} %"
    summary = page[page.index("<h2>Summary</h2>"):page.index("<h2>Headline metrics</h2>")]
    assert pct in summary and "95 % CI" in summary
    assert "circsim compare baseline destruction_ban --replicates 3" in page
    assert "Ban on destroying unsold goods</b> (<code>destruction_ban</code>) from month 7" in page


def test_italian_report(comparison):
    path = build_report(comparison, lang="it")
    assert path.name == "report.it.html"
    page = path.read_text()
    assert '<html lang="it">' in page and "Sintesi" in page and "Come riprodurre" in page
    assert "Rifiuti tessili per abitante" in page
    assert "Divieto di distruggere l'invenduto" in page.replace("&#39;", "'")
    assert "destruction_ban</b>" not in page and "Generated" not in page
    summary = page[page.index("<h2>Sintesi</h2>"):page.index("<h2>Indicatori")]
    assert "cambia" not in summary and "del −" not in summary
    assert ("riduce i rifiuti" in summary or "aumenta i rifiuti" in summary
            or "lascia quasi invariat" in summary)
    assert "totale in 1 anni" in page or "totale in 1 anno" in page or "totale in" in page
    assert "numeri casuali comuni" in page            # the seed rule in Italian
    # sources in Italian (the bundled translation of the bundled texts), levers by name
    from circsim.scenario.sources_i18n import sources_in
    assumptions = page[page.index("Le ipotesi che contano"):page.index("Come riprodurre")]
    assert "ipotesi:" in assumptions and "assumption" not in assumptions
    assert escape(sources_in("it")["households.displacement_rate"]) in assumptions
    assert ("Divieto di distruggere l'invenduto</b> (<code>destruction_ban</code>)"
            in page.replace("&#x27;", "'"))


def test_every_string_in_both_languages():
    assert set(STRINGS["en"]) == set(STRINGS["it"])
    assert all(set(labels) == {"en", "it"} for labels in METRICS.values())


def test_not_a_results_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "runs.parquet" in capsys.readouterr().err


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium is not installed")
def test_report_renders_in_chromium(comparison):
    page = build_report(comparison)
    png = comparison / "report.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--no-first-run", f"--user-data-dir={profile}",
                        "--window-size=1100,3000", f"--screenshot={png}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000


def test_colours_follow_each_outcomes_direction_not_the_sign():
    """Fewer low-income households reached is worse (orange), less waste is better
    (green), whatever the sign of the change; a change not distinguishable from zero is
    grey."""
    from circsim.report.html import _tone

    less = {"diff_ci_low": -2.0, "diff_ci_high": -1.0, "pct_change": -5.0}
    more = {"diff_ci_low": 1.0, "diff_ci_high": 2.0, "pct_change": 5.0}
    unsure = {"diff_ci_low": -1.0, "diff_ci_high": 2.0, "pct_change": 1.0}
    assert _tone("residual_waste_t", less) == "better"
    assert _tone("residual_waste_t", more) == "worse"
    assert _tone("low_income_reach_share", less) == "worse"
    assert _tone("jobs", more) == "better"
    assert _tone("jobs", unsure) == "ns"
    assert _tone("placed_on_market_t", more) == "ns"          # no direction declared


def test_headline_is_a_metric_by_scenario_grid_with_units_and_periods(comparison):
    page = build_report(comparison).read_text()
    grid = page[page.index("<h2>Headline metrics</h2>"):]
    grid = grid[:grid.index("</table>")]
    header = grid[grid.index("<tr>"):grid.index("</tr>")]
    assert header.count("<th>") == 3                       # metric + two scenarios
    assert "Textile waste over the run (t, total over 1 years)" in grid
    assert "Low-income households reached (%, in December 2026)" in grid
    assert " pp" in grid                                   # shares change in points
    assert "1e" not in grid


def test_effect_by_year_is_said_in_words():
    from circsim.report.effects import shape
    from circsim.report.words import profile_sentence

    years = list(range(2026, 2036))
    diffs = [-5, -9, -12, -14, -12, -10, -7, -6, -6, -5]
    rows = pd.DataFrame({"year": years, "diff": diffs, "ci_low": [d - 1 for d in diffs],
                         "ci_high": [d + 1 for d in diffs], "reference": 100.0,
                         "pct": diffs})
    assert shape(rows)[0] == "peak"
    sentence = profile_sentence("residual_waste_t", rows, "en")
    assert "largest in 2029 (\u221214.0 %)" in sentence and "by 2035" in sentence
    grows = rows.assign(diff=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    grows = grows.assign(ci_low=grows["diff"] - 0.5, ci_high=grows["diff"] + 0.5,
                         pct=grows["diff"])
    assert shape(grows)[0] == "grows"
    flat = rows.assign(ci_low=-1.0, ci_high=1.0)
    assert shape(flat)[0] == "none"


def test_report_command_writes_both_languages_and_python_call(comparison, tmp_path):
    from circsim.report import write_report

    assert main(["report", str(comparison), "--out", str(tmp_path / "r.html")]) == 0
    assert (tmp_path / "r.html").exists() and (tmp_path / "r.it.html").exists()
    path = write_report(comparison, out=tmp_path / "py.html", lang="it")
    assert path.read_text().startswith("<!DOCTYPE html>")


def test_public_cost_section_in_both_languages(comparison):
    from circsim.experiments.cost import COST_RATIOS

    table = pd.read_csv(comparison / "comparison.csv")
    ratios = table[table["metric"].isin([r.name for r in COST_RATIOS])]
    assert len(ratios) == len(COST_RATIOS) and (ratios["scenario"] == "destruction_ban").all()
    # each ratio is a number or NaN with a note saying why, never both
    assert (ratios["mean"].isna() == ratios["note"].astype(str).str.startswith("undefined")).all()
    en = build_report(comparison).read_text()
    it = build_report(comparison, lang="it").read_text().replace("&#39;", "'")
    section = en[en.index("<h2>Public cost and cost-effectiveness</h2>"):]
    section = section[:section.index("</section>")]
    assert "Public cost per tonne of waste avoided (EUR per t, over the run)" in section
    assert "Change in net public cost (EUR, total over 1 year" in section
    assert section.count(">undefined<") == int(ratios["mean"].isna().sum())
    assert "<h2>Costo pubblico e costo-efficacia</h2>" in it
    assert "EUR per famiglia all'anno" in it


def test_a_wide_comparison_is_cut_into_printable_tables_each_with_the_reference():
    from circsim.report.html import GRID_COLUMNS, _blocks

    columns = ["Reference", *(f"S{i}" for i in range(1, 8))]
    rows = [{"heading": "m", "cells": list(range(8))}]
    blocks = _blocks(columns, rows)
    assert all(b["scenarios"][0] == "Reference" for b in blocks)
    assert all(len(b["scenarios"]) <= GRID_COLUMNS for b in blocks)
    shown = [name for b in blocks for name in b["scenarios"][1:]]
    assert shown == columns[1:]                                  # each scenario once, in order
    assert [c for b in blocks for c in b["rows"][0]["cells"][1:]] == list(range(1, 8))
    assert len(_blocks(["Reference"], rows)) == 1
