"""The dashboard page: pick a scenario, steer the levers, play, and watch the economy.

Built with Solara, the toolkit under Mesa's SolaraViz, but not with SolaraViz itself:
its controller and cards carry fixed English labels, and it applies parameters only
when the model is rebuilt, while here every label exists in Italian and a lever moved
during a run acts from the next month. The Mesa conventions are kept: one model per
browser session (built inside the page, never at module level), play, pause, step
and reset, and components redrawn after each step.

The server passes its options through environment variables (see
:mod:`circsim.viz.server`); Solara serves :func:`Page` to every new browser tab.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import solara
import solara.lab

from circsim.viz.compare_view import CompareView
from circsim.viz.components import ChartCard, LeverPanels, Line, MetricCard
from circsim.viz.document import DocumentLanguage
from circsim.viz.files_panel import FilesPanel
from circsim.viz.i18n import fmt_num, month_label, tr
from circsim.viz.mapview import metro_map
from circsim.viz.presenter import PresenterView
from circsim.viz.sankey import sankey
from circsim.viz.server import DemoSettings
from circsim.viz.session import DemoRun, demo_scenario_names
from circsim.viz.svg import fates_chart

DEFAULT_DELAY_MS = 300
SMALL = {"font-size": "0.85rem", "color": "#555"}


def scenario_items(current: str, lang: str) -> list[dict[str, str]]:
    """Bundled scenarios (and the one given on the command line) for the picker."""
    names = demo_scenario_names()
    items = [{"text": tr(f"scenario.{n}", lang), "value": n} for n in names]
    if current not in names:
        items.insert(0, {"text": current, "value": current})
    return items


@solara.component
def Controls(run: DemoRun, lang: str, playing: solara.Reactive[bool],
             delay: solara.Reactive[int], changed: Callable[[], None], done: bool) -> None:
    """Play or pause, step one month, reset; the pause between months (``done``: whether
    the run is over, passed so that this redraws only when that changes)."""

    def step_once() -> None:
        run.step()
        changed()

    def reset() -> None:
        playing.value = False
        run.reset()
        changed()

    with solara.Row(gap="8px", style={"flex-wrap": "wrap"}):
        solara.Button(tr("ui.pause" if playing.value else "ui.play", lang),
                      icon_name="mdi-pause" if playing.value else "mdi-play",
                      color="primary", disabled=run.done and not playing.value,
                      on_click=lambda: playing.set(not playing.value),
                      classes=["circsim-play"])
        solara.Button(tr("ui.step", lang), icon_name="mdi-skip-next", color="primary",
                      outlined=True, disabled=playing.value or run.done, on_click=step_once,
                      classes=["circsim-step"])
        solara.Button(tr("ui.reset", lang), icon_name="mdi-restart", outlined=True,
                      on_click=reset, classes=["circsim-reset"])
    with solara.Column(gap="0px", classes=["circsim-speed"]):
        Line(tr("ui.speed", lang, ms=delay.value), {"font-size": "0.9rem", "margin-top": "8px"})
        solara.SliderInt("", value=delay, min=0, max=1000, step=50, thumb_label=False)


@solara.component
def Status(run: DemoRun, lang: str, version: int) -> None:
    """Which month it is, which levers act, how long the month took."""
    if run.month == 0:
        text = tr("ui.month0", lang, months=run.months,
                  date=month_label(run.start_year, 1, lang))
    else:
        text = tr("ui.month", lang, month=run.month, months=run.months,
                  date=month_label(run.start_year, run.month, lang))
    Line(text, {"font-size": "1.2rem", "font-weight": "700"}, "circsim-month")
    acting = [tr(f"lever.{name}", lang) for name in run.acting_levers()]
    Line(tr("ui.active_levers", lang, names=", ".join(acting) if acting else tr("ui.none", lang)),
         {"font-size": "0.95rem"}, "circsim-acting")
    notes = [tr("ui.scale_note", lang, scale=fmt_num(run.scale * 100, lang, 1))]
    if run.month:
        notes.append(tr("ui.latency", lang, ms=fmt_num(run.last_step_ms, lang, 0)))
    if run.done:
        notes.append(tr("ui.ended", lang))
    Line(" · ".join(notes), SMALL, "circsim-notes")


@solara.component
def Dashboard(run: DemoRun, lang: str, version: int) -> None:
    """The pictures: headline metrics, fates over time, the map, the flows."""
    records = run.records()
    baseline = run.baseline()
    with solara.Columns([1, 1, 1], gutters_dense=True, classes=["circsim-charts"]):
        for i in range(3):
            MetricCard(run, records, baseline, i, lang)
    fates = solara.use_memo(
        lambda: fates_chart(records, run.months, run.start_year, lang),
        dependencies=[version, lang, run])
    with run.lock:
        the_map = metro_map(run.model, run.bins_per_10k(), lang)
    flows, months = run.flow_means_t()
    title = tr("flows.title", lang, n=months) if months != 1 else tr("flows.title1", lang)
    with solara.Columns([1, 1], gutters_dense=True, classes=["circsim-charts"]):
        ChartCard(tr("fates.title", lang), tr("fates.unit", lang), fates, "circsim-fates")
        ChartCard(tr("map.title", lang), "", the_map, "circsim-map")
    with solara.Column(classes=["circsim-charts"]):
        ChartCard(title, tr("flows.unit", lang), sankey(flows, months, lang), "circsim-flows")


@solara.component
def Page() -> None:
    """One browser session's dashboard, with its own model."""
    settings = solara.use_memo(DemoSettings.from_env, dependencies=[])
    lang = solara.use_reactive(settings.lang)
    source = solara.use_reactive(settings.scenario)
    version = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    delay = solara.use_reactive(DEFAULT_DELAY_MS)
    presenter = solara.use_reactive(False)
    comparing = solara.use_reactive(False)
    side_b, set_side_b = solara.use_state(None)
    run = solara.use_memo(lambda: DemoRun(source.value, settings.seed, settings.scale),
                          dependencies=[source.value])

    def changed() -> None:
        version.value += 1

    def play() -> None:
        # is_current: a quick Pause and Play must not leave two loops stepping the run
        while playing.value and task.is_current() and not run.done:
            started = time.perf_counter()
            run.step()
            changed()
            rest = delay.value / 1000 - (time.perf_counter() - started)
            if rest > 0:
                time.sleep(rest)
        if run.done:
            playing.value = False

    task = solara.lab.use_task(play, dependencies=[playing.value, run], prefer_threaded=True)

    def pick(name: str) -> None:
        playing.value = False
        set_side_b(None)
        source.value = name

    def step_once() -> None:
        if not playing.value:
            run.step()
            changed()

    solara.Title(tr("app.title", lang.value))
    DocumentLanguage(lang.value)
    with solara.AppBar():
        solara.AppBarTitle(tr("app.title", lang.value))
        with solara.ToggleButtonsSingle(value=lang, classes=["circsim-lang"]):
            solara.Button("EN", value="en", text=True)
            solara.Button("IT", value="it", text=True)
        solara.Button(tr("ui.compare_close" if comparing.value else "ui.compare", lang.value),
                      text=True, icon_name="mdi-compare", classes=["circsim-compare-toggle"],
                      on_click=lambda: comparing.set(not comparing.value))
        solara.Button(tr("ui.presenter_exit" if presenter.value else "ui.presenter",
                         lang.value), text=True, icon_name="mdi-presentation",
                      classes=["circsim-presenter-toggle"],
                      on_click=lambda: presenter.set(not presenter.value))
    if presenter.value:
        PresenterView(run, lang.value, version.value, playing, step_once,
                      lambda: presenter.set(False))
        return
    with solara.Sidebar():
        solara.v.Select(label=tr("ui.scenario", lang.value), v_model=source.value,
                        items=scenario_items(source.value, lang.value),
                        on_v_model=pick, class_="circsim-scenario")
        Controls(run, lang.value, playing, delay, changed, run.done)
        Line(tr("ui.levers", lang.value), {"font-size": "1.1rem", "font-weight": "700",
                                           "margin-top": "12px"})
        Line(tr("ui.levers_hint", lang.value), SMALL)
        LeverPanels(run, lang.value, changed, json.dumps(run.levers, sort_keys=True))
        FilesPanel(run, lang.value, changed)
    with solara.Column(gap="12px", style={"padding": "4px 8px"}):
        Status(run, lang.value, version.value)
        if comparing.value:
            CompareView(run, side_b, lang.value, version.value, set_side_b)
        else:
            Dashboard(run, lang.value, version.value)
