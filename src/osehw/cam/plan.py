"""One part's machining plan: every operation, in the part frame, in cutting order.

Tool choice per feature: the largest end mill that makes the feature
(its operation builds without a :class:`ManufacturabilityError`); smaller
ones are tried in turn; when none fits, the smallest tool's error is kept.
Holes choose their own tool (:mod:`osehw.cam.ops.holes`).

Depths: through cuts (outline, inside cuts, through holes) go to the
stock thickness plus the machine's spoilboard breakthrough; pockets and
blind holes to their own depth. Z = 0 is the stock top.

Outline: outside profile with holding tabs. Dogbones are asked for on the
outline when it has sharp concave corners: a sharp inside corner drawn in
the model is a corner something must seat in (finger joints, notches), and a
round tool can only honour it with relief. Inside cuts get dogbones when
they receive another part.

Label: engraved with the machine's v-bit, placed where a box around the
text fits inside the part's solid material (outline less every hole, cut
and pocket, less a margin), as far from every edge as a grid search finds;
the largest cap height from :data:`LABEL_HEIGHTS` that fits wins. No v-bit
or no room: a note, not an error.

Errors: every feature is tried; all ManufacturabilityErrors are collected
and raised as one, listing each feature, so a designer sees them together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Mapping

import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from osehw.cam.fit import fitted_opening, fitted_outline
from osehw.cam.ops.engrave import EngraveError, engrave_operation, label_bounds
from osehw.cam.ops.holes import hole_operation
from osehw.cam.ops.moves import Operation
from osehw.cam.ops.pocket import pocket_operation
from osehw.cam.ops.profile import ManufacturabilityError, profile_operation
from osehw.cam.ordering import order_operations
from osehw.cam.recognise.features import PartFeatures
from osehw.cam.shop import FeedsAndSpeeds, Machine, Material, Tool

# Cap heights tried for labels, largest first [mm]; engrave.py: legible from ~5 mm.
LABEL_HEIGHTS = (12.0, 10.0, 8.0, 6.0, 5.0)
# Label depth [mm]: a 1 mm line with a 90° v-bit (engrave.py), never over a quarter of the stock.
LABEL_DEPTH = 0.5
# Clear material kept around a label's box [mm].
LABEL_MARGIN = 2.0
# Grid of candidate label positions per axis.
LABEL_GRID = 60
# Turn at a concave vertex above which the corner is sharp (needs relief) [deg];
# discretised fillets turn a few degrees per vertex.
SHARP_TURN_DEG = 30.0


@dataclass(frozen=True)
class PartPlan:
    """The operations that cut one part, in order, with the tools they use and notes for the setup sheet."""

    part: str
    operations: tuple[Operation, ...]
    tools: tuple[str, ...]
    notes: tuple[str, ...]


def sharp_concave_corners(poly: Polygon, min_turn_deg: float = SHARP_TURN_DEG) -> int:
    """Number of concave (reflex) vertices of ``poly``'s exterior turning by ≥ ``min_turn_deg``."""
    ring = shapely.geometry.polygon.orient(poly, 1.0).exterior
    pts = np.asarray(ring.coords)[:-1, :2]
    a = pts - np.roll(pts, 1, axis=0)
    b = np.roll(pts, -1, axis=0) - pts
    cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    dot = (a * b).sum(axis=1)
    turn = np.degrees(np.arctan2(cross, dot))  # + left (convex on a CCW ring), - right (concave)
    return int((turn <= -min_turn_deg).sum())


def _end_mills(tools: Mapping[str, Tool], machine: Machine) -> list[Tool]:
    """Flat end mills on ``machine``, largest first."""
    mills = [tools[t] for t in machine.tools if t in tools and tools[t].kind == "flat"]
    return sorted(mills, key=lambda t: (-t.diameter, t.id))


def _first_that_fits(mills: list[Tool], build: Callable[[Tool], Operation]) -> tuple[Operation | None, str]:
    """The operation from the largest tool that makes it, else (None, smallest tool's error)."""
    last: ManufacturabilityError | None = None
    for tool in mills:
        try:
            return build(tool), ""
        except ManufacturabilityError as exc:
            last = exc  # worded only if no tool fits: some messages take work to word (ops/pocket.py)
    return None, str(last) if last is not None else ""


def label_position(material: Polygon, text: str, heights: tuple[float, ...] = LABEL_HEIGHTS,
                   margin: float = LABEL_MARGIN) -> tuple[float, float, float] | None:
    """(x, y, height) [mm] of a label's lower-left and cap height inside ``material``, or None.

    Candidates form a grid over ``material``'s bounds; a candidate's text box
    (from :func:`osehw.cam.ops.engrave.label_bounds`) grown by ``margin`` must lie
    inside. Among those, the one farthest from every edge wins (ties: lowest
    y, then x), so the label sits in open material.
    """
    if material.is_empty:
        return None
    shapely.prepare(material)
    x0, y0, x1, y1 = material.bounds
    for height in heights:
        bx0, by0, bx1, by1 = label_bounds(text, height)
        w, h = bx1 - bx0 + 2 * margin, by1 - by0 + 2 * margin
        if w > x1 - x0 or h > y1 - y0:
            continue
        xs = np.linspace(x0, x1 - w, LABEL_GRID)
        ys = np.linspace(y0, y1 - h, LABEL_GRID)
        gx, gy = np.meshgrid(xs, ys)
        gx, gy = gx.ravel(), gy.ravel()
        boxes = shapely.box(gx, gy, gx + w, gy + h)
        inside = shapely.contains(material, boxes)
        if not inside.any():
            continue
        clearance = np.full(len(boxes), -1.0)
        clearance[inside] = shapely.distance(material.boundary, boxes[inside])
        # the key below ranks by clearance rounded to 1e-6 mm; only boxes within 1e-6 of the largest can
        # tie with it, so only those (in grid order, as max takes the first best) are ranked one by one
        near = np.flatnonzero(clearance >= clearance.max() - 1e-6)
        best = max(near.tolist(), key=lambda k: (round(float(clearance[k]), 6), -gy[k], -gx[k]))
        return float(gx[best] + margin - bx0), float(gy[best] + margin - by0), height
    return None


def _solid_material(features: PartFeatures, through_region: list[Polygon]) -> Polygon:
    """The part's top surface left standing: outline less holes, cuts and pockets."""
    removed = [Point(h.x, h.y).buffer(h.diameter / 2.0, quad_segs=32) for h in features.round_holes]
    removed += [p.region for p in features.pockets] + through_region
    left = features.outline.difference(shapely.union_all(removed)) if removed else features.outline
    parts = [g for g in getattr(left, "geoms", [left]) if isinstance(g, Polygon) and not g.is_empty]
    if not parts:
        return Polygon()
    return max(parts, key=lambda g: (g.area, g.bounds))


def plan_part(features: PartFeatures, *, machine: Machine, material: Material,
              tools: Mapping[str, Tool], feeds_for: Callable[[Tool], FeedsAndSpeeds],
              safe_z: float | None = None, fit_allowance: float = 0.0,
              label: bool = True) -> PartPlan:
    """Every operation that cuts ``features``' part, in the part frame, in cutting order.

    Parameters
    ----------
    features : the part's recognised features (part frame, mm).
    machine, material : profiles; ``machine.tools`` limits the tools used.
    tools : tool profiles by id.
    feeds_for : feeds and speeds for a tool on this machine in this material.
    safe_z : clearance height [mm]; the machine's when None.
    fit_allowance : joint clearance per side [mm], applied to cut geometry only and to the
        features that receive a part only (osehw.cam.fit): slots and notches widen, the
        rest of the outline is cut true.
    label : engrave ``features.label`` when the machine has a v-bit.

    Raises
    ------
    ManufacturabilityError
        listing every feature that cannot be made.
    """
    name = features.part
    z_safe = machine.safe_z if safe_z is None else safe_z
    through = features.thickness + machine.breakthrough
    mills = _end_mills(tools, machine)
    fitted = {t: tools[t] for t in machine.tools if t in tools}
    cache: dict[str, FeedsAndSpeeds] = {}

    def feeds(tool: Tool) -> FeedsAndSpeeds:
        if tool.id not in cache:
            cache[tool.id] = feeds_for(tool)
        return cache[tool.id]

    ops: list[Operation] = []
    errors: list[str] = []
    notes: list[str] = []
    if not mills:
        errors.append(f"{name}: machine '{machine.id}' has no flat end mill to cut profiles and pockets")

    for hole in features.round_holes:
        is_through = hole.depth >= features.thickness - 1e-6
        h = replace(hole, depth=through) if is_through else hole
        try:
            op = hole_operation(name, h, tools=fitted, machine=machine, material=material,
                                safe_z=z_safe, feeds_for=feeds, through=is_through)
        except ManufacturabilityError as exc:
            errors.append(str(exc))
            continue
        ops.append(op)
        how = {"drill": "drilled" if fitted[op.tool].kind == "drill" else "plunged",
               "helical_bore": "helical-bored", "pocket": "cleared as a pocket"}[op.kind]
        notes.append(f"hole '{hole.name}' Ø{hole.diameter:g} mm {how} with {op.tool}")

    for pocket in features.pockets:
        op, err = _first_that_fits(mills, lambda t, p=pocket: pocket_operation(
            name, p.name, p.region, depth=p.depth, tool=t, feeds=feeds(t), material=material,
            safe_z=z_safe))
        _keep(op, err, ops, errors, notes, mills, f"pocket '{pocket.name}'")

    for cut in features.inside_cuts:
        op, err = _first_that_fits(mills, lambda t, c=cut: profile_operation(
            name, c.name, fitted_opening(c, fit_allowance), side="inside", depth=through, tool=t, feeds=feeds(t),
            material=material, safe_z=z_safe, dogbones=c.receives_part))
        _keep(op, err, ops, errors, notes, mills, f"inside cut '{cut.name}'")

    corners = sharp_concave_corners(features.outline)
    cut_outline = fitted_outline(features, fit_allowance)
    op, err = _first_that_fits(mills, lambda t: profile_operation(
        name, "outline", cut_outline, side="outside", depth=through, tool=t, feeds=feeds(t),
        material=material, safe_z=z_safe, tabs=True, dogbones=corners > 0))
    _keep(op, err, ops, errors, notes, mills, "outline")
    if corners:
        notes.append(f"outline: {corners} sharp inside corner(s) get dogbone relief")

    if errors:
        listing = "\n".join(f"  - {e}" for e in errors)
        raise ManufacturabilityError(f"{name}: {len(errors)} feature(s) cannot be made:\n{listing}")

    if label and features.label:
        ops_label, note = _label(features, fitted, feeds, z_safe)
        ops.extend(ops_label)
        if note:
            notes.append(note)

    ordered = order_operations(ops, fitted)
    used: list[str] = []
    for op in ordered:
        if op.tool not in used:
            used.append(op.tool)
    for tool_id in used:
        if feeds(fitted[tool_id]).note:
            notes.append(f"{tool_id}: {feeds(fitted[tool_id]).note}")
    return PartPlan(part=name, operations=tuple(ordered), tools=tuple(used), notes=tuple(notes))


def _keep(op: Operation | None, err: str, ops: list[Operation], errors: list[str],
          notes: list[str], mills: list[Tool], what: str) -> None:
    if op is None:
        if err:
            errors.append(err)
        return
    ops.append(op)
    if mills and op.tool != mills[0].id:
        notes.append(f"{what} needs the smaller {op.tool}: {mills[0].id} does not fit")


def _label(features: PartFeatures, fitted: Mapping[str, Tool],
           feeds: Callable[[Tool], FeedsAndSpeeds], safe_z: float) -> tuple[list[Operation], str]:
    vbits = sorted((t for t in fitted.values() if t.kind == "vbit"), key=lambda t: t.id)
    if not vbits:
        return [], f"label '{features.label}' not engraved: the machine has no v-bit"
    vbit = vbits[0]
    cuts = [c.region for c in features.inside_cuts]
    region = _solid_material(features, cuts)
    try:
        where = label_position(region, features.label)
    except EngraveError as exc:
        return [], f"label not engraved: {exc}"
    if where is None:
        return [], (f"label '{features.label}' not engraved: no room for {LABEL_HEIGHTS[-1]:g} mm "
                    f"text inside the part's material")
    x, y, height = where
    depth = min(LABEL_DEPTH, 0.25 * features.thickness)
    op = engrave_operation(features.part, features.label, x, y, height, depth, vbit.id, feeds(vbit),
                           safe_z=safe_z)
    return [op], f"label '{features.label}' engraved {height:g} mm high at x={x:.1f}, y={y:.1f}"


__all__ = ["PartPlan", "label_position", "plan_part", "sharp_concave_corners"]
