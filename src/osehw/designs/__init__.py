"""Design registry: each module here declares a parameter schema and a pure ``build``.

Adding a design = adding one module (registered below) and one YAML file under
``designs/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from osehw.design import Design
from osehw.params import DesignParams
from osehw.registry import Registry


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
    """Import the design modules (each registers itself) and return the registry."""
    from osehw.designs import cam_gallery, node_enclosure  # noqa: F401

    return DESIGNS
