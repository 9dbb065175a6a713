"""The sidebar's save, load and export buttons (the work is in :mod:`.persist`)."""

from __future__ import annotations

from collections.abc import Callable

import solara

from circsim.outcomes import FATES
from circsim.viz.components import HEADLINES, Line
from circsim.viz.i18n import month_label, tr
from circsim.viz.persist import file_name, levers_of, levers_yaml, load_levers_text, screen_csv
from circsim.viz.session import DemoRun
from circsim.viz.webparts import FilePicker, PngSaver

CHARTS = ".circsim-charts svg"      # every chart on screen, in page order


def _values(records: list[dict], key: str) -> list[float]:
    return [float("nan") if r.get(key) is None else float(r[key]) for r in records]


def screen_data(run: DemoRun) -> str:
    """The series the page shows as CSV: headline metrics (run and baseline) and fates."""
    records, baseline = run.records(), run.baseline()
    columns: dict[str, list[float]] = {}
    for outcome in HEADLINES:
        columns[outcome.name] = _values(records, outcome.name)
        columns[f"{outcome.name}_baseline"] = _values(baseline, outcome.name)
    for key, cols, _ in FATES:
        columns[f"{key}_t"] = [sum(float(r.get(c) or 0.0) for c in cols) for r in records]
    months = list(range(1, len(records) + 1))
    dates = [month_label(run.start_year, m, "en") for m in months]
    return screen_csv(columns, months, dates)


@solara.component
def FilesPanel(run: DemoRun, lang: str, changed: Callable[[], None]) -> None:
    """Save the levers as a scenario file, load one back, export charts and data."""
    message = solara.use_reactive("")
    name = f"{run.scenario.name}-levers"

    def saved() -> str:
        return levers_yaml(run.source, run.levers, run.seed, name,
                           tr("ui.saved_description", "en", scenario=run.source))

    def load(info: dict) -> None:
        try:
            scenario = load_levers_text(info.get("text", ""), info.get("name", "levers.yaml"))
            run.load_levers(levers_of(scenario))
            message.set(tr("ui.loaded", lang, name=info.get("name", scenario.name)))
        except Exception as err:      # a bad file is reported in the page, never raised
            message.set(tr("ui.load_failed", lang, error=str(err)))
        changed()

    Line(tr("ui.files", lang), {"font-size": "1.1rem", "font-weight": "700",
                                "margin-top": "12px"})
    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
        solara.FileDownload(saved, filename=file_name(name), label=tr("ui.save_levers", lang),
                            mime_type="text/yaml", icon_name="mdi-content-save",
                            children=[solara.Button(tr("ui.save_levers", lang), outlined=True,
                                                    small=True, icon_name="mdi-content-save",
                                                    classes=["circsim-save"])])
        FilePicker.element(label=tr("ui.load_levers", lang), btn_class="circsim-load",
                           on_file=load)
        PngSaver.element(label=tr("ui.export_png", lang), btn_class="circsim-png",
                         selector=CHARTS, filename=f"{run.scenario.name}-month{run.month}.png")
        solara.FileDownload(lambda: screen_data(run), mime_type="text/csv",
                            filename=f"{run.scenario.name}-month{run.month}.csv",
                            children=[solara.Button(tr("ui.export_csv", lang), outlined=True,
                                                    small=True, icon_name="mdi-table",
                                                    classes=["circsim-csv"])])
    if message.value:
        Line(message.value, {"font-size": "0.9rem"}, "circsim-load-message")
