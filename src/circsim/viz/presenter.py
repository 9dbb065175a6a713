"""Presenter mode: large type for the back of a room, the three headline cards and one
chart at a time, driven from the keyboard (or a presentation remote).

Why apart from the normal page: a projector at 1280×720 has room for the cards and one
picture in type that reads from ten metres, not for the lever panels. Keys: Space play
or pause, → (or S) one month, N / PageDown next chart, B / PageUp previous chart,
Esc leave.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import solara

from circsim.viz.components import HEADLINES, Line
from circsim.viz.i18n import fmt_num, fmt_signed_pct, month_label, tr
from circsim.viz.mapview import metro_map
from circsim.viz.sankey import sankey
from circsim.viz.session import DemoRun
from circsim.viz.svg import fates_chart
from circsim.viz.webparts import KeyListener

CHARTS = ("fates", "map", "flows")
BIG = "1.6rem"
TEXT = "1.2rem"          # the smallest type in presenter mode: 19 px at the default size
CHART_HEIGHT = "calc(100vh - 250px)"   # what is left under the bar, the status and the title
STYLE = f""".circsim-presenter-chart svg {{ max-height: {CHART_HEIGHT}; min-height: 220px;
  width: 100%; }}
.circsim-presenter .v-btn {{ font-size: {TEXT}; }}
.circsim-presenter .circsim-line {{ line-height: 1.25; }}"""
#: Each chart's viewBox (width, height) and text size: shaped like the space beside the
#: cards on a 16:9 screen, so the smallest text is 18 px or more at 1280x720.
#: The map is as wide as the others: zone names stand beside it, not on its small zones.
SIZES = {"fates": (840, 470, 23), "map": (840, 560, 25), "flows": (840, 470, 22)}


def chart_svg(run: DemoRun, which: str, lang: str) -> tuple[str, str]:
    """Title and SVG of one of the presenter's charts."""
    width, height, font = SIZES[which]
    if which == "map":
        with run.lock:
            return tr("map.title", lang), metro_map(run.model, run.bins_per_10k(), lang,
                                                    width, height, font)
    if which == "flows":
        flows, months = run.flow_means_t()
        title = tr("flows.title", lang, n=months) if months != 1 else tr("flows.title1", lang)
        return title, sankey(flows, months, lang, width, round(height * 0.62), font)
    return tr("fates.title", lang), fates_chart(run.records(), run.months, run.start_year,
                                                lang, width, height, font)


def handle_key(key: str, step: Callable[[], None], toggle_play: Callable[[], None],
               turn: Callable[[int], None], leave: Callable[[], None]) -> None:
    """What a key does in presenter mode (``key`` as the browser names it)."""
    if key == " ":
        toggle_play()
    elif key in ("ArrowRight", "s", "S"):
        step()
    elif key in ("n", "N", "PageDown"):
        turn(1)
    elif key in ("b", "B", "PageUp", "ArrowLeft"):
        turn(-1)
    elif key == "Escape":
        leave()


@solara.component
def BigCard(run: DemoRun, records: list[dict], baseline: list[dict], index: int,
            lang: str) -> None:
    """A headline metric in large type: its value, unit and change against the baseline."""
    outcome = HEADLINES[index]
    factor = 100.0 if outcome.unit == "share" else 1.0
    now = float(records[-1][outcome.name]) * factor if records else float("nan")
    then = float(baseline[-1][outcome.name]) * factor if baseline else float("nan")
    colour = outcome.colour or "#000000"
    with solara.Card(margin=0, classes=[f"circsim-big-{outcome.group}"],
                     style={"width": "100%", "padding": "4px 12px"}):
        Line(tr(f"goal.{outcome.group}", lang), {"font-size": BIG, "font-weight": "700"})
        with solara.Row(gap="10px", style={"align-items": "baseline"}):
            solara.Text(fmt_num(now, lang, 1), style={"font-size": "2.8rem", "line-height": "1.1",
                                                      "font-weight": "700", "color": colour})
            solara.Text(outcome.unit_label(lang), style={"font-size": TEXT})
        if math.isfinite(now) and math.isfinite(then):
            if outcome.unit == "share":
                delta = f"{fmt_num(now - then, lang, 1)} {tr('unit.pp', lang)}"
            else:
                delta = fmt_signed_pct((now / then - 1) * 100 if then else float("nan"), lang)
            Line(tr("chart.vs_baseline", lang, delta=delta), {"font-size": TEXT})
        else:
            Line(tr("chart.no_data", lang), {"font-size": TEXT})


@solara.component
def PresenterView(run: DemoRun, lang: str, version: int, playing: solara.Reactive[bool],
                  step: Callable[[], None], leave: Callable[[], None]) -> None:
    """The whole presenter screen (the page hides its sidebar meanwhile)."""
    chart = solara.use_reactive(0)

    def turn(by: int) -> None:
        chart.set((chart.value + by) % len(CHARTS))

    def on_key(value: str) -> None:
        handle_key(value.split("|")[0], step, lambda: playing.set(not playing.value),
                   turn, leave)

    KeyListener.element(on_key=on_key)
    solara.Style(STYLE)
    records, baseline = run.records(), run.baseline()
    which = CHARTS[chart.value]
    title, svg = chart_svg(run, which, lang)
    date = month_label(run.start_year, max(run.month, 1), lang)
    with solara.Column(gap="8px", classes=["circsim-presenter"],
                       style={"padding": "0 8px", "font-size": TEXT}):
        with solara.Row(gap="12px", style={"align-items": "center", "flex-wrap": "wrap"}):
            Line(tr("ui.month", lang, month=run.month, months=run.months, date=date),
                 {"font-size": BIG, "font-weight": "700"}, "circsim-month")
            solara.Button(tr("ui.pause" if playing.value else "ui.play", lang), color="primary",
                          on_click=lambda: playing.set(not playing.value), x_large=True,
                          classes=["circsim-play"])
            solara.Button(tr("ui.step", lang), outlined=True, x_large=True, on_click=step,
                          disabled=playing.value or run.done, classes=["circsim-step"])
            solara.Button(tr("ui.next_chart", lang), outlined=True, x_large=True,
                          on_click=lambda: turn(1), classes=["circsim-next-chart"])
        with solara.Columns([3, 7], gutters_dense=True):     # cards beside the chart
            with solara.Column(gap="8px"):
                for i in range(3):
                    BigCard(run, records, baseline, i, lang)
            with solara.Card(margin=0, classes=["circsim-presenter-chart", "circsim-charts",
                                                f"circsim-presenter-{which}"]):
                with solara.Row(justify="space-between"):
                    Line(title, {"font-size": BIG, "font-weight": "700"})
                    Line(tr("ui.chart_of", lang, n=chart.value + 1, total=len(CHARTS)),
                         {"font-size": TEXT})
                solara.HTML(unsafe_innerHTML=svg)
        Line(tr("ui.keys_hint", lang), {"font-size": TEXT, "color": "#333"}, "circsim-keys-hint")
