"""The seminar dashboard: ``circsim demo`` serves a live, bilingual view of a run.

Modules: :mod:`~circsim.viz.session` (one session's model, baseline and flows, no UI),
:mod:`~circsim.viz.levers` (controls from the scenario schema), :mod:`~circsim.viz.i18n`
(English and Italian labels), :mod:`~circsim.viz.svg`, :mod:`~circsim.viz.mapview` and
:mod:`~circsim.viz.sankey` (pictures as SVG), :mod:`~circsim.viz.components` and
:mod:`~circsim.viz.app` (the Solara page), :mod:`~circsim.viz.server` and
:mod:`~circsim.viz.cli` (serving it). Only ``app``, ``components`` and ``server.serve``
need the ``demo`` extra; the rest runs with circsim's own dependencies.
"""
