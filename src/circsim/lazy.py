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
