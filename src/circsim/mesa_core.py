"""Mesa's ``Agent`` and ``Model``, without the rest of Mesa.

Importing the ``mesa`` package runs its ``__init__``, which loads its spaces, batch
runner and data collector, and with them pandas, scipy and networkx: about half a
second, more than the default run's simulation of many months. The model needs only
``mesa.agent`` and ``mesa.model``, which use nothing beyond numpy. They are imported
here under a bare stand-in for the package, which is then withdrawn: a later
``import mesa`` (the dashboard's, a test's) runs the real ``__init__``, which finds these
two modules already loaded, so ``mesa.Agent`` is this very ``Agent`` class.
"""

from __future__ import annotations

import importlib.util
import sys


def _load() -> tuple[type, type]:
    """``mesa.agent.Agent`` and ``mesa.model.Model``, the package's ``__init__`` unrun."""
    if "mesa" in sys.modules:                      # already imported in full
        from mesa import Agent, Model
        return Agent, Model
    spec = importlib.util.find_spec("mesa")
    sys.modules["mesa"] = importlib.util.module_from_spec(spec)   # bare: __init__ not run
    try:
        from mesa.agent import Agent
        from mesa.model import Model
    finally:
        del sys.modules["mesa"]
    return Agent, Model


Agent, Model = _load()

__all__ = ["Agent", "Model"]
