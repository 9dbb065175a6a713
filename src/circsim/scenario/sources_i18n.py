"""The texts of the baseline's ``sources:`` entries in the report's other languages.

The baseline scenario cites, for every parameter, a public source and year or the
assumption behind it, in English. The Italian report shows the same texts in Italian,
kept in ``data/sources_it.yaml`` under the same dotted parameter paths (a test checks
that every key of the baseline's ``sources:`` has an Italian entry).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from .yamlio import parse_yaml

#: Languages with a translation file, and that file in ``circsim.data``.
FILES = {"it": "sources_it.yaml"}


def sources_in(lang: str) -> dict[str, str]:
    """Dotted parameter path -> the text of its source in ``lang``.

    English needs no translation (the report reads the scenario's own ``sources:``),
    so ``"en"`` gives an empty mapping; an unknown language is an error.
    """
    if lang == "en":
        return {}
    if lang not in FILES:
        known = ", ".join(("en", *FILES))
        raise ValueError(f"no translated sources for language {lang!r}; known: {known}")
    return dict(_read(FILES[lang]))


@cache
def _read(name: str) -> dict[str, str]:
    """Parse a translation file once (duplicate keys are errors, as in scenarios)."""
    text = resources.files("circsim.data").joinpath(name).read_text(encoding="utf-8")
    return {str(key): str(value) for key, value in parse_yaml(text, name).data.items()}
