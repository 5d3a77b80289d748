"""Design registry: each module here declares a parameter schema and a pure ``build``.

Adding a design = adding one module here that calls :func:`register`, and one
YAML file under ``designs/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from osehw.core.design import Design
from osehw.core.params import DesignParams
from osehw.core.registry import Registry, import_package


@dataclass(frozen=True)
class DesignType:
    name: str
    summary: str
    schema: type[DesignParams]
    build: Callable[[DesignParams], Design]


DESIGNS: Registry[DesignType] = Registry("design")


def register(name: str, summary: str, schema: type[DesignParams]):
    """Decorator for a design's ``build(params) -> Design``."""

    def wrap(build: Callable[[DesignParams], Design]) -> Callable[[DesignParams], Design]:
        DESIGNS.register(name, DesignType(name, summary, schema, build))
        return build

    return wrap


def load_all() -> Registry[DesignType]:
    """Import every module of this package (design modules register themselves; helpers such as
    ``gallery_parts`` and ``user_part`` register nothing) and return the registry."""
    import_package(__name__, __path__)
    return DESIGNS
