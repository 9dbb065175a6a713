"""The dashboard's parts: lever controls, headline-metric cards and chart cards.

Each part receives the session's :class:`~circsim.viz.session.DemoRun`, the language
and a ``changed`` callback that bumps the page's version counter, so the page
re-renders after any change of the run's state.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import solara

from circsim.outcomes import Outcome, headline
from circsim.viz.i18n import fmt_num, fmt_signed_pct, tr
from circsim.viz.levers import FieldSpec, size_options
from circsim.viz.session import DemoRun
from circsim.viz.svg import axis_bounds, esc, metric_chart

CARD_STYLE = {"width": "100%"}

#: The cards: the three top-ranked headline outcomes, one per goal of the programme.
HEADLINES: tuple[Outcome, ...] = headline(3)


def Line(text: str, style: dict[str, str] | None = None, css: str = "") -> None:
    """A line of text on its own row."""
    solara.Text(text, style={"display": "block", **(style or {})},
                classes=["circsim-line", css] if css else ["circsim-line"])


def field_text(spec: FieldSpec, value: Any, lang: str) -> str:
    """A control's label with its value and unit, e.g. ``Bins: 6.0 per 10 000 residents``."""
    label = tr(spec.label_key, lang)
    if spec.kind == "optional_month":
        shown = fmt_num(value, lang) if value else tr(
            "ui.never" if spec.name == "medium_firms_from_month" else "ui.no_end", lang)
    elif spec.kind in ("month", "int"):
        shown = fmt_num(value, lang)
    elif spec.percent:
        shown = f"{fmt_num(100 * value, lang)} %"
    else:
        digits = 0 if spec.step >= 1 else min(2, round(-math.log10(spec.step)))
        shown = fmt_num(value, lang, digits)
        if spec.unit_key:
            shown += f" {tr(spec.unit_key, lang)}"
    return f"{label}: {shown}"


@solara.component
def FieldControl(run: DemoRun, spec: FieldSpec, value: Any, lang: str,
                 changed: Callable[[], None]) -> None:
    """One slider, switch or set of checkboxes for one lever key, showing ``value``."""

    def set_value(new: Any) -> None:
        run.set_lever(spec.lever, spec.name, new)
        changed()

    css = f"circsim-field-{spec.lever}-{spec.name}".replace("_", "-")
    if spec.kind == "switch":
        with solara.Column(gap="0px", classes=[css]):
            solara.Switch(label=tr("ui.switch_on" if value else "ui.switch_off", lang),
                          value=bool(value), on_value=set_value)
        return
    with solara.Column(gap="0px", classes=[css], style={"margin-bottom": "2px"}):
        if spec.kind == "sizes":
            Line(tr(spec.label_key, lang), {"font-size": "0.9rem"})
            with solara.Row(gap="4px"):
                for size in size_options():
                    def toggle(on: bool, size: str = size) -> None:
                        chosen = set(run.levers[spec.lever][spec.name])
                        set_value(sorted(chosen | {size}) if on else sorted(chosen - {size}))
                    solara.Checkbox(label=tr(f"size.{size}", lang), value=size in value,
                                    on_value=toggle)
            return
        Line(field_text(spec, value, lang), {"font-size": "0.9rem"})
        if spec.kind in ("month", "optional_month", "int"):
            solara.SliderInt("", value=int(value or 0), min=int(spec.lo), max=int(spec.hi),
                             step=1, on_value=set_value, thumb_label=False)
        else:
            solara.SliderFloat("", value=float(value), min=spec.lo, max=spec.hi,
                               step=spec.step, on_value=set_value, thumb_label=False)


@solara.component
def LeverPanels(run: DemoRun, lang: str, changed: Callable[[], None], settings: str) -> None:
    """Every policy lever as an expandable panel: a switch, its keys and its months
    (``settings``: the levers as text, so that this redraws only when they change).

    Only open panels hold their controls: a closed panel's sliders would be widgets
    built, sent and kept in sync for nothing (most of the page's load time)."""
    opened = solara.use_reactive([])
    with solara.v.ExpansionPanels(multiple=True, accordion=True, flat=True,
                                  v_model=opened.value, on_v_model=opened.set):
        for index, (lever, specs) in enumerate(run.fields.items()):
            on = bool(run.levers[lever]["enabled"])
            with solara.v.ExpansionPanel(class_=f"circsim-lever-{lever}".replace("_", "-")):
                with solara.v.ExpansionPanelHeader(), solara.Row(
                        justify="space-between",
                        style={"width": "100%", "align-items": "center"}):
                    solara.Text(tr(f"lever.{lever}", lang),
                                style={"font-weight": "600" if on else "400"})
                    solara.v.Chip(small=True, color="success" if on else None,
                                  children=[tr("ui.on" if on else "ui.off", lang)],
                                  class_="mr-2")
                with solara.v.ExpansionPanelContent():
                    if index not in (opened.value or []):
                        continue
                    for spec in specs:
                        FieldControl(run, spec, run.levers[lever][spec.name], lang, changed)


def _series(records: list[dict], key: str, scale: float) -> list[float]:
    return [float(r[key]) * scale if r.get(key) is not None else float("nan") for r in records]


@solara.component
def MetricCard(run: DemoRun, records: list[dict], baseline: list[dict], index: int,
               lang: str) -> None:
    """A headline metric: its value now with unit, the change against the baseline, a chart."""
    outcome = HEADLINES[index]
    key, metric, colour = f"goal.{outcome.group}", outcome.name, outcome.colour or "#000000"
    percent, higher_better = outcome.unit == "share", outcome.better == "more"
    factor = 100.0 if percent else 1.0
    live = _series(records, metric, factor)
    base = _series(baseline, metric, factor)
    now = live[-1] if live else float("nan")
    then = base[-1] if base else float("nan")
    with solara.Card(style=CARD_STYLE, margin=0, classes=[f"circsim-goal-{outcome.group}"]):
        Line(tr(key, lang), {"font-size": "1.1rem", "font-weight": "700"})
        Line(outcome.label(lang), {"font-size": "0.85rem", "color": "#555"})
        with solara.Row(gap="8px", style={"align-items": "baseline"}):
            solara.Text(fmt_num(now, lang, 1), style={"font-size": "1.8rem",
                                                      "font-weight": "700", "color": colour})
            solara.Text(outcome.unit_label(lang), style={"font-size": "0.9rem"})
        if math.isfinite(now) and math.isfinite(then):
            if percent:
                diff = now - then
                delta = f"{'+' if diff > 0 else '−' if diff < 0 else '±'}" \
                        f"{fmt_num(abs(diff), lang, 1)} {tr('unit.pp', lang)}"
            else:
                diff = (now / then - 1) * 100 if then else float("nan")
                delta = fmt_signed_pct(diff, lang)
            good = (diff > 0) == higher_better
            tone = "#1a7f37" if abs(diff) < 1e-9 or good else "#b42318"
            Line(tr("chart.vs_baseline", lang, delta=delta),
                 {"font-size": "0.95rem", "font-weight": "600", "color": tone}, "circsim-delta")
        else:
            Line(tr("chart.no_data", lang), {"font-size": "0.95rem", "color": "#777"})
        solara.HTML(unsafe_innerHTML=metric_chart(live, base, run.months, run.start_year, lang,
                                                  colour, tr(key, lang),
                                                  bounds=axis_bounds(outcome.unit)))
        solara.HTML(unsafe_innerHTML=(
            f'<span style="white-space:nowrap;margin-right:14px"><span style="color:{colour}">'
            f'━━</span> {esc(tr("chart.this_run", lang))}</span> '
            '<span style="white-space:nowrap"><span style="color:#7a7a7a">╍╍</span> '
            f'{esc(tr("chart.baseline", lang))}</span>'),
            style="font-size:0.8rem;color:#555")


@solara.component
def ChartCard(title: str, subtitle: str, svg: str, css: str) -> None:
    """A titled card holding one SVG picture."""
    with solara.Card(style=CARD_STYLE, margin=0, classes=[css]):
        Line(title, {"font-size": "1.1rem", "font-weight": "700"})
        Line(subtitle, {"font-size": "0.85rem", "color": "#555"})
        solara.HTML(unsafe_innerHTML=svg)
