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
      stock:                                                    # the kit's own sawn parts (cut list, bars)
        - {name: mast, profile: pipe-6061-48.3x3.68, length: 2400}
      purchased:                                                # the kit's own catalog items
        - {id: ubolt-m8-2in, quantity: 2}
"""

from __future__ import annotations

from typing import Any

import cadquery as cq
from pydantic import BaseModel, ConfigDict, Field

from osehw import catalog
from osehw.core.design import Design, PurchasedItem, StockPart
from osehw.core.params import DesignParams, ParamError, param
from osehw.core.registry import unknown_message
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


class StockSpec(BaseModel):
    """A part sawn from linear stock that belongs to the kit itself (a mast, a cross-arm)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    name: str
    profile: str
    length: float = Field(gt=0, le=100_000)
    quantity: int = Field(1, ge=1, le=10_000)
    end_cuts: tuple[float, float] = (0.0, 0.0)
    holes: tuple[tuple[float, float], ...] = ()
    notes: str = ""


class PurchasedSpec(BaseModel):
    """A catalog item the kit itself needs (cable, concrete, a ground rod)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    id: str
    quantity: float = Field(gt=0, le=1_000_000)
    note: str = ""


class CompositeParams(DesignParams):
    children: dict[str, ChildSpec] = param(
        {}, "-", "child designs: name → {file: VARIANT} or {design: ID, params: {…}}, optional offset [x, y, z] mm")
    stock: list[StockSpec] = param(
        [], "-", "the kit's own stock parts: {name, profile (bom/stock_profiles.csv), length mm, quantity, "
        "end_cuts [deg, deg], holes [[position mm, diameter mm]…]}")
    purchased: list[PurchasedSpec] = param([], "-", "the kit's own purchased items: {id (bom/catalog.csv), quantity}")

    def nested(self) -> dict[str, tuple[Any, DesignParams]]:
        return {name: child_params(spec, f"children.{name}") for name, spec in self.children.items()}

    def rules(self) -> list[tuple[str, Any, str]]:
        broken: list[tuple[str, Any, str]] = []
        if len(self.children) > MAX_CHILDREN:
            broken.append(("children", len(self.children), f"at most {MAX_CHILDREN} children"))
        profiles, items = catalog.stock_profiles(), catalog.items()
        for i, stock in enumerate(self.stock):
            if stock.profile not in profiles:
                broken.append((f"stock[{i}].profile", stock.profile,
                               unknown_message("stock profile", stock.profile, profiles)))
            elif stock.length > profiles[stock.profile].bar_length:
                broken.append((f"stock[{i}].length", stock.length, f"longer than a {stock.profile} bar "
                               f"({profiles[stock.profile].bar_length:g} mm)"))
            if any(not 0 <= abs(a) < 80 for a in stock.end_cuts):
                broken.append((f"stock[{i}].end_cuts", list(stock.end_cuts), "mitre angles from square must be "
                               "under 80°"))
            if any(not 0 <= pos <= stock.length or not 0 < dia < 100 for pos, dia in stock.holes):
                broken.append((f"stock[{i}].holes", [list(h) for h in stock.holes], "each hole is [position "
                               "within the length mm, diameter 0-100 mm]"))
            try:
                check_name(stock.name)
            except ValueError as exc:
                broken.append((f"stock[{i}].name", stock.name, str(exc)))
        for i, item in enumerate(self.purchased):
            if item.id not in items:
                broken.append((f"purchased[{i}].id", item.id, unknown_message("catalog item", item.id, items)))
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
    stock = [StockPart(s.name, s.profile, s.length, s.quantity, s.end_cuts, s.holes, notes=s.notes) for s in p.stock]
    purchased = [PurchasedItem(i.id, i.quantity, i.note) for i in p.purchased]
    return Design("composite", assembly if children else None, stock_parts=stock, purchased=purchased,
                  children=children)
