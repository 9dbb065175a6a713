"""Where discarded textiles end up, best to worst (the waste hierarchy).

Each fate is a set of monthly outcome columns and the one colour-blind-safe
(Okabe-Ito) colour every picture of fates uses, so that the run's PNG, the report
and the dashboard always agree.
"""

from __future__ import annotations

#: (fate key, monthly outcome columns that make it up, colour)
FATES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("domestic_reuse", ("secondhand_bought_t", "free_given_t"), "#009E73"),
    ("reuse_abroad", ("exported_reuse_t",), "#56B4E9"),
    ("recycled", ("recycled_out_t", "recycled_fibre_to_firms_t"), "#0072B2"),
    ("waste_abroad", ("exported_waste_t",), "#E69F00"),
    ("incineration", ("incinerated_t",), "#D55E00"),
    ("landfill", ("landfilled_t",), "#6E6E6E"),
)
