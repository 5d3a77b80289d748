"""A design made of other designs: a kit, a node. Each child is named, and given by a design file or
inline (a design id and its parameters); the children build as they would alone, their sheet parts are
nested together by material, and the bill of materials rolls up over the tree with a subtotal per child.

A design file::

    design: composite
    params:
      children:
        enclosure: {file: node-enclosure}                       # by design file (designs/NAME.yaml or a path)
        gallery: {design: cam-gallery, params: {copies: 1},    # inline
                  offset: [600, 0, 0]}                          # where its model sits in the assembly [mm]
"""

from __future__ import annotations

from typing import Any

import cadquery as cq
from pydantic import BaseModel, ConfigDict

from osehw.core.design import Design
from osehw.core.params import DesignParams, ParamError, param
from osehw.core.staging import check_name
from osehw.designs import register

MAX_CHILDREN = 50


class ChildSpec(BaseModel):
    """One child: ``file`` (a variant name or path) or ``design`` (an id) with ``params``."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    file: str | None = None
    design: str | None = None
    params: dict[str, Any] = {}
    offset: tuple[float, float, float] = (0.0, 0.0, 0.0)


class CompositeParams(DesignParams):
    children: dict[str, ChildSpec] = param(
        {}, "-", "child designs: name → {file: VARIANT} or {design: ID, params: {…}}, optional offset [x, y, z] mm")

    def nested(self) -> dict[str, tuple[Any, DesignParams]]:
        return {name: child_params(spec, f"children.{name}") for name, spec in self.children.items()}

    def rules(self) -> list[tuple[str, Any, str]]:
        broken: list[tuple[str, Any, str]] = []
        if len(self.children) > MAX_CHILDREN:
            broken.append(("children", len(self.children), f"at most {MAX_CHILDREN} children"))
        for name, spec in self.children.items():
            where = f"children.{name}"
            try:
                check_name(name)
            except ValueError as exc:
                broken.append((where, name, str(exc)))
                continue
            if (spec.file is None) == (spec.design is None):
                broken.append((where, spec.model_dump(), "give exactly one of 'file' (a design file) or "
                                                         "'design' (a design id, with its 'params')"))
                continue
            try:
                child_params(spec, where)
            except ParamError as exc:
                broken += [(f"{where}.params.{p.field}" if p.field not in ("design", "(file)", "DESIGN") else
                            f"{where}.{p.field}", p.value, p.rule) for p in exc.problems]
        return broken


def child_params(spec: ChildSpec, where: str) -> tuple[Any, DesignParams]:
    """The child's design type and validated parameters (ParamError naming the child otherwise)."""
    from osehw.core.params import Problem, validate
    from osehw.core.registry import unknown_message
    from osehw.designs import load_all

    if spec.file is not None:
        from osehw.pipeline import load

        loaded = load(spec.file, spec.params or None)
        return loaded.kind, loaded.params
    registry = load_all()
    if spec.design not in registry:
        raise ParamError([Problem(where, "design", spec.design, unknown_message("design", str(spec.design), registry))])
    if spec.design == "composite":
        raise ParamError([Problem(where, "design", spec.design, "a composite inside a composite: name the inner "
                                  "one's design file instead")])
    kind = registry.get(spec.design)
    return kind, validate(kind.schema, spec.params, f"{where}.params")


@register("composite", "a kit of other designs: children by design file or inline, nested and costed together",
          CompositeParams)
def build(p: CompositeParams) -> Design:  # type: ignore[override]
    children: dict[str, Design] = {}
    assembly = cq.Assembly(name="composite")
    for name, spec in sorted(p.children.items()):
        kind, params = child_params(spec, f"children.{name}")
        child = kind.build(params)
        children[name] = child
        if child.assembly is not None:
            assembly.add(child.assembly, name=name, loc=cq.Location(cq.Vector(*spec.offset)))
    return Design("composite", assembly if children else None, children=children)
