"""Reporting: the one-page PNG of a run, plain-text summaries and tables, the HTML report."""

from circsim.report.charts import plot_run
from circsim.report.text import format_summary, format_table


def write_report(results, out=None, lang: str = "en"):
    """Write the HTML policy report of an experiment (:func:`.html.write_report`)."""
    from circsim.report.html import write_report as write

    return write(results, out=out, lang=lang)


__all__ = ["format_summary", "format_table", "plot_run", "write_report"]
