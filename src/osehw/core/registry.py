"""A name → object registry that refuses duplicates (after ezdxf's register_entity).

Designs, post-processors and checks are found through registries, so adding
one is adding one module.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from typing import Generic, Iterator, TypeVar

from osehw.core.errors import quote_text

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str, item: T) -> T:
        if name in self._items:
            raise ValueError(f"{self.kind} '{name}' is already registered")
        self._items[name] = item
        return item

    def get(self, name: str) -> T:
        try:
            return self._items[name]
        except KeyError:
            raise KeyError(unknown_message(self.kind, name, self._items)) from None

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._items))

    def names(self) -> list[str]:
        return sorted(self._items)


def unknown_message(kind: str, name: str, valid: object) -> str:
    """"`x` is not a known <kind>; did you mean `y`? (valid: a, b, c)" — the cq_warehouse/KiBot habit."""
    choices = sorted(str(v) for v in valid)  # type: ignore[union-attr]
    near = difflib.get_close_matches(str(name), choices, n=1) if len(str(name)) <= 200 else []
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"'{quote_text(str(name))}' is not a known {kind}{hint} (valid: {', '.join(choices)})"


def import_package(name: str, path: list[str]) -> None:
    """Import every public module of a package (``name``, its ``__path__``): how a registry's
    members, one module each, register themselves without a hand-kept list of imports."""
    for info in pkgutil.iter_modules(path):
        if not info.name.startswith("_"):
            importlib.import_module(f"{name}.{info.name}")
