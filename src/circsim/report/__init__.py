"""Reporting of a run: the one-page PNG chart and plain-text summaries and tables."""

from circsim.report.charts import plot_run
from circsim.report.text import format_summary, format_table

__all__ = ["format_summary", "format_table", "plot_run"]
