"""Mesa's ``Agent`` and ``Model``, without the rest of Mesa.

Importing the ``mesa`` package runs its ``__init__``, which loads its spaces, batch
runner and data collector, and with them pandas, scipy and networkx. The model needs
only ``mesa.agent`` and ``mesa.model``, which use nothing beyond numpy
(:func:`circsim.lazy.import_without_init`); a later ``import mesa`` (the dashboard's, a
test's) runs the real ``__init__``, and ``mesa.Agent`` is this very ``Agent`` class.
"""

from __future__ import annotations

from circsim.lazy import import_without_init

_agent, _model = import_without_init("mesa", "agent", "model")
Agent, Model = _agent.Agent, _model.Model

__all__ = ["Agent", "Model"]
