"""Public names of a package loaded from their modules on first use (PEP 562), so that importing it stays light."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_names(namespace: dict[str, Any], public: Mapping[str, str]) -> tuple[Callable[[str], Any],
                                                                           Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` for ``public`` (name → module that defines it).

    ``namespace`` is the package's ``globals()``: a name, once loaded, is kept there.
    """
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        module = public.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(public))

    return __getattr__, __dir__
