"""Reporting: the one-page PNG of a run, plain-text summaries and tables, the HTML report.

Names are imported when first used, so the command line does not load matplotlib to
show its help.
"""

from circsim.lazy import lazy_exports


def write_report(results, out=None, lang: str = "en"):
    """Write the HTML policy report of an experiment (:func:`.html.write_report`)."""
    from circsim.report.html import write_report as write

    return write(results, out=out, lang=lang)


__all__ = ["format_summary", "format_table", "plot_run", "write_report"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "plot_run": ".charts", "format_summary": ".text", "format_table": ".text"})
