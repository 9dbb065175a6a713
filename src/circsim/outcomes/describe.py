"""The outcome table rendered for people: ``circsim outcomes`` and the ODD's metric list.

Generated from the declarations, so the documentation of outcomes cannot drift from
the code: a new outcome appears here as soon as it is declared.
"""

from __future__ import annotations

import csv
import io

from circsim.outcomes.core import GROUPS, Outcome
from circsim.outcomes.table import OUTCOMES

COLUMNS = ("name", "unit", "aggregate", "better", "headline", "label", "meaning")
_AGGREGATE = {"sum": "total", "mean": "mean of months", "last": "last month",
              "ratio": "ratio of totals", "per_year": "total per year",
              "annual": "monthly mean x 12", "end": "at the end", "none": "monthly only"}


def _row(o: Outcome, lang: str) -> dict[str, str]:
    aggregate = _AGGREGATE[o.aggregate]
    if o.of:
        aggregate += f" of {o.of}"
    return {"name": o.name, "unit": o.unit, "aggregate": aggregate,
            "better": o.better or "", "headline": "" if o.headline is None else str(o.headline),
            "label": o.label(lang), "meaning": o.doc}


def describe(fmt: str = "md", lang: str = "en") -> str:
    """Every outcome, grouped: ``md`` (Markdown tables), ``csv`` or ``text`` (one per line)."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=["group", *COLUMNS], lineterminator="\n")
        writer.writeheader()
        for o in OUTCOMES:
            writer.writerow({"group": o.group, **_row(o, lang)})
        return buf.getvalue()
    lines: list[str] = []
    for group, titles in GROUPS.items():
        members = [o for o in OUTCOMES if o.group == group]
        if not members:
            continue
        title = titles[1] if lang == "it" else titles[0]
        if fmt == "md":
            lines += [f"### {title}", "", "| " + " | ".join(COLUMNS) + " |",
                      "|" + "---|" * len(COLUMNS)]
            for o in members:
                row = _row(o, lang)
                row["name"] = f"`{o.name}`"
                lines.append("| " + " | ".join(row[c].replace("|", "/") for c in COLUMNS)
                             + " |")
        else:
            lines.append(title)
            for o in members:
                row = _row(o, lang)
                lines.append(f"  {o.name} [{o.unit}; {row['aggregate']}"
                             f"{'; ' + o.better + ' is better' if o.better else ''}]"
                             f": {o.doc}")
        lines.append("")
    return "\n".join(lines)
