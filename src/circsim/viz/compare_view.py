"""Two lever settings side by side on the same seed: A (the levers as set now) and B.

Why the same seed: A and B then start from the same households and draw the same
chance events until their levers make them differ, so a gap between them is the
levers' doing (common random numbers, as in ``circsim compare``). B is a second
:class:`~circsim.viz.session.DemoRun` of the same scenario; it follows A's month (it is
stepped up to A's month, or started again when A is reset).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import solara

from circsim.viz.components import HEADLINES, Line
from circsim.viz.i18n import fmt_num, tr
from circsim.viz.persist import levers_of, load_levers_text
from circsim.viz.session import DemoRun, demo_scenario, demo_scenario_names
from circsim.viz.svg import fates_chart, metric_chart
from circsim.viz.webparts import FilePicker


class SideB:
    """The B run beside a live run A, with its name as shown."""

    def __init__(self, a: DemoRun, levers: dict[str, dict[str, Any]], name: str) -> None:
        self.run = DemoRun(a.source, seed=a.seed, scale=a.scale)
        self.run.load_levers(levers)
        self.name = name

    def follow(self, a: DemoRun) -> None:
        """Bring B to A's month: step it, or start it again if A went back."""
        if self.run.month > a.month:
            self.run.reset()
        while self.run.month < a.month and not self.run.done:
            self.run.step()


def _series(records: list[dict], key: str, factor: float) -> list[float]:
    return [float(r[key]) * factor if r.get(key) is not None else float("nan")
            for r in records]


@solara.component
def CompareCards(a: DemoRun, b: DemoRun, lang: str) -> None:
    """Each headline metric for A and B, and B's difference, over one chart."""
    ra, rb = a.records(), b.records()
    with solara.Columns([1, 1, 1], gutters_dense=True):
        for outcome in HEADLINES:
            factor = 100.0 if outcome.unit == "share" else 1.0
            sa, sb = _series(ra, outcome.name, factor), _series(rb, outcome.name, factor)
            va = sa[-1] if sa else float("nan")
            vb = sb[-1] if sb else float("nan")
            colour = outcome.colour or "#000000"
            with solara.Card(margin=0, classes=[f"circsim-compare-{outcome.group}"]):
                Line(tr(f"goal.{outcome.group}", lang), {"font-size": "1.1rem",
                                                         "font-weight": "700"})
                Line(f"A {fmt_num(va, lang, 1)} · B {fmt_num(vb, lang, 1)} "
                     f"{outcome.unit_label(lang)}", {"font-size": "1.3rem",
                                                     "font-weight": "700"})
                if math.isfinite(va) and math.isfinite(vb):
                    Line(f"B − A: {fmt_num(vb - va, lang, 1)}", {"font-size": "0.95rem"})
                solara.HTML(unsafe_innerHTML=metric_chart(
                    sa, sb, a.months, a.start_year, lang, colour, tr(f"goal.{outcome.group}",
                                                                    lang)))
                solara.HTML(unsafe_innerHTML=(
                    f'<span style="color:{colour}">━━</span> A &nbsp; '
                    '<span style="color:#7a7a7a">╍╍</span> B'),
                    style="font-size:0.85rem")


@solara.component
def ComparePicker(a: DemoRun, lang: str, on_b: Callable[[SideB | None], None]) -> None:
    """How B is chosen: the levers as set now, a bundled scenario's levers, or a file."""
    error = solara.use_reactive("")
    # the Select must be given a v_model: without one ipyvue leaves it unbound
    # ("!!disabled!!"), the browser shows the choice but never sends it to Python
    picked = solara.use_reactive(None)

    def keep() -> None:
        picked.set(None)
        on_b(SideB(a, a.levers, tr("ui.compare_kept", lang, month=a.month)))

    def pick(name: str | None) -> None:
        picked.set(name)
        if name:
            on_b(SideB(a, levers_of(demo_scenario(name, a.scale)),
                       tr(f"scenario.{name}", lang)))

    def from_file(info: dict) -> None:
        picked.set(None)
        try:
            scenario = load_levers_text(info.get("text", ""), info.get("name", "b.yaml"))
            on_b(SideB(a, levers_of(scenario), info.get("name", scenario.name)))
            error.set("")
        except Exception as err:     # a bad file is reported in the page, never raised
            error.set(tr("ui.load_failed", lang, error=str(err)))

    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(tr("ui.compare_keep", lang), outlined=True, small=True, on_click=keep,
                      classes=["circsim-compare-keep"])
        solara.v.Select(label=tr("ui.compare_with", lang), dense=True, hide_details=True,
                        v_model=picked.value,
                        items=[{"text": tr(f"scenario.{n}", lang), "value": n}
                               for n in demo_scenario_names()],
                        on_v_model=pick, class_="circsim-compare-pick",
                        style_="max-width:320px")
        FilePicker.element(label=tr("ui.load_levers", lang), btn_class="circsim-compare-load",
                           on_file=from_file)
    if error.value:
        Line(error.value, {"color": "#b42318"})


@solara.component
def CompareView(a: DemoRun, side: SideB | None, lang: str, version: int,
                on_b: Callable[[SideB | None], None]) -> None:
    """A beside B: choose B, then the headline metrics and where textiles end up."""
    ComparePicker(a, lang, on_b)
    if side is None:
        return
    side.follow(a)
    b = side.run
    Line(tr("ui.compare_same", lang, city=a.seed), {"font-size": "0.95rem"}, "circsim-same")
    CompareCards(a, b, lang)
    with solara.Columns([1, 1], gutters_dense=True, classes=["circsim-compare"]):
        for title, run in ((tr("ui.compare_a", lang), a),
                           (tr("ui.compare_b", lang, name=side.name), b)):
            with solara.Card(margin=0, classes=["circsim-compare-side"]):
                Line(title, {"font-size": "1.1rem", "font-weight": "700"})
                solara.HTML(unsafe_innerHTML=fates_chart(run.records(), run.months,
                                                         run.start_year, lang))
