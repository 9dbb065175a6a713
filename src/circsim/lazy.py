"""Names a package exports but imports only when first used (PEP 562).

``circsim --help`` and ``import circsim`` should not load Mesa, pandas or scipy: a
package's ``__init__`` declares where each public name lives, and the module that
defines it is imported the first time the name is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, where: dict[str, str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose names live in ``where``.

    ``where`` maps each public name to the module that defines it (absolute, or relative
    to ``package`` with a leading dot). A name, once imported, is kept in the package.
    """
    import sys

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(where[name], package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__


def import_without_init(package: str, *modules: str) -> list[Any]:
    """``package.module`` for each of ``modules``, without running ``package``'s
    ``__init__`` if it is not imported yet.

    Some packages import everything they offer in their ``__init__`` (Mesa its spaces and
    batch runner, with pandas, scipy and networkx; ``scipy.spatial`` its geometry and
    distance modules), while a run needs one module of them. The module is imported
    under a bare stand-in for the package, which is then withdrawn: a later import of the
    package runs its real ``__init__``, which finds the module already loaded, so both
    share the same classes.
    """
    import importlib.util
    import sys

    if package in sys.modules:
        return [import_module(f"{package}.{m}") for m in modules]
    spec = importlib.util.find_spec(package)
    if spec is None:
        raise ModuleNotFoundError(f"No module named {package!r}", name=package)
    sys.modules[package] = importlib.util.module_from_spec(spec)   # __init__ not run
    try:
        return [import_module(f"{package}.{m}") for m in modules]
    finally:
        del sys.modules[package]
