"""The page's own language: ``<html lang>`` follows the language picked on the page.

Why: screen readers, hyphenation and the browser's translate offer read ``<html lang>``,
and Solara's page template leaves it empty. A hidden Vue template sets it when the page
mounts and again whenever the language changes, in this browser tab only.
"""

from __future__ import annotations

import ipyvue
import solara
import traitlets

SCRIPT = """<template><span style="display:none"></span></template>
<script>
module.exports = {
  mounted() { document.documentElement.lang = this.lang; },
  watch: { lang(value) { document.documentElement.lang = value; } },
};
</script>"""


class _LangSetter(ipyvue.VueTemplate):
    """A widget with no visible part whose ``lang`` is copied to ``<html lang>``."""

    template = traitlets.Unicode(SCRIPT).tag(sync=True)
    lang = traitlets.Unicode("en").tag(sync=True)


@solara.component
def DocumentLanguage(lang: str) -> None:
    """Set ``<html lang>`` to ``lang`` (``en`` or ``it``)."""
    _LangSetter.element(lang=lang)
