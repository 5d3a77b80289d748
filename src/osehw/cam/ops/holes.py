"""Round holes: peck-drilled, plunged or helical-bored, chosen from the tools on the machine.

Rules, in order (``D`` the hole diameter, ``d`` a tool diameter, [mm]):

1. A drill with |d - D| ≤ :data:`SIZE_TOL` → **peck drilling**, written as
   plain G0/G1 moves because GRBL has no canned cycles (no G81/G83).
   Pecks of the material's step-down for that drill, each followed by a
   retract to :data:`CHIP_CLEAR_Z` above the stock to clear chips, then a
   feed (G1 at the cutting feed, through the open hole) back to
   :data:`PECK_RETURN` above the previous peck's bottom (G83 behaviour). Through holes (``depth`` ≥ the stock, as the plan passes
   them) go one drill-point length deeper, so the full diameter exits the
   underside: a 118° point is (d/2)/tan(59°) long.
2. An end mill with |d - D| ≤ :data:`SIZE_TOL` → **plunged** like a drill
   (pecks at the plunge feed). There is no room for a ramp or helix in a
   hole the tool's own size, and a centre-cutting up-cut end mill (as the
   shipped ones are) plunges cleanly; it beats boring with a smaller mill,
   being one plunge with a tool the outlines use anyway.
3. The largest flat end mill with d ≤ D - :data:`SIZE_TOL` → **helical
   boring**: helix radius (D - d)/2, pitch the step-down or less (whole
   turns, so pitch = depth / turns), then a full circle at depth to flatten
   the helix's sloped floor and a second full circle (spring pass) to take
   the wall the deflected tool left, then back to the centre and up. Any
   helix radius > 0 is valid: a small one is almost a plunge, which the
   centre-cutting end mills can make, so no 1.05 × d margin is needed. A
   blind hole wider than 2·d would leave a core standing inside the helix:
   it is cleared as a pocket instead. A through hole's core drops free as a
   slug on the last turn.
4. Otherwise the hole is smaller than every tool: ManufacturabilityError.

Helix and circle direction follow the material: climb milling with an M3
(clockwise) spindle runs counter-clockwise (G3) round a hole's wall.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable, Mapping

from shapely.geometry import Point

from osehw.cam.ops.moves import Arc, Line, Move, Operation, Rapid
from osehw.cam.ops.pocket import pocket_operation
from osehw.cam.ops.profile import ManufacturabilityError
from osehw.cam.recognise.features import RoundHole
from osehw.cam.shop import FeedsAndSpeeds, Machine, Material, Tool

# A tool within this of the hole diameter makes the hole by its own size [mm].
SIZE_TOL = 0.05
# Height above the stock top the drill retracts to between pecks [mm].
CHIP_CLEAR_Z = 1.0
# The drill comes back down the open hole to this far above the last peck's bottom [mm].
PECK_RETURN = 0.5
# Through-hole depth tolerance: a hole at least this close to the stock depth is through [mm].
THROUGH_TOL = 1e-6


def _tool_list(tools: Mapping[str, Tool], machine: Machine) -> list[Tool]:
    """Tools fitted on ``machine`` (in the machine's order) that ``tools`` describes."""
    return [tools[t] for t in machine.tools if t in tools]


def choose_hole_tool(part: str, hole: RoundHole, tools: Mapping[str, Tool],
                     machine: Machine) -> tuple[str, Tool]:
    """("drill" | "helical_bore" | "plunge", tool) for ``hole``, by the rules in the module docstring."""
    fitted = [t for t in _tool_list(tools, machine) if t.flute_length >= hole.depth]
    drills = [t for t in fitted if t.kind == "drill"]
    mills = [t for t in fitted if t.kind == "flat"]
    d_hole = hole.diameter
    exact_drills = sorted((t for t in drills if abs(t.diameter - d_hole) <= SIZE_TOL),
                          key=lambda t: (abs(t.diameter - d_hole), t.id))
    if exact_drills:
        return "drill", exact_drills[0]
    exact_mills = sorted((t for t in mills if abs(t.diameter - d_hole) <= SIZE_TOL),
                         key=lambda t: (abs(t.diameter - d_hole), t.id))
    if exact_mills:
        return "plunge", exact_mills[0]
    smaller = sorted((t for t in mills if t.diameter <= d_hole - SIZE_TOL),
                     key=lambda t: (-t.diameter, t.id))
    if smaller:
        return "helical_bore", smaller[0]
    candidates = [t for t in _tool_list(tools, machine) if t.kind in ("drill", "flat")]
    if not candidates:
        raise ManufacturabilityError(
            f"{part}: hole '{hole.name}' Ø{d_hole:g} mm: machine '{machine.id}' has no drill or end mill")
    long_enough = [t for t in candidates if t.flute_length >= hole.depth]
    if not long_enough:
        longest = max(candidates, key=lambda t: t.flute_length)
        raise ManufacturabilityError(
            f"{part}: hole '{hole.name}' is {hole.depth:g} mm deep, more than every tool's flute "
            f"length (longest {longest.flute_length:g} mm, '{longest.id}')")
    smallest = min(long_enough, key=lambda t: t.diameter)
    if smallest.diameter > d_hole:
        short = sorted((t for t in candidates if t.diameter <= d_hole and t.flute_length < hole.depth),
                       key=lambda t: t.diameter)
        reach = (f"; '{short[0].id}' is small enough but its {short[0].flute_length:g} mm flutes do not reach "
                 f"{hole.depth:g} mm deep") if short else ""
        raise ManufacturabilityError(
            f"{part}: hole '{hole.name}' Ø{d_hole:g} mm is smaller than every tool "
            f"(smallest {smallest.diameter:g} mm){reach}")
    sizes = ", ".join(f"{t.diameter:g}" for t in sorted(long_enough, key=lambda t: t.diameter))
    raise ManufacturabilityError(
        f"{part}: hole '{hole.name}' Ø{d_hole:g} mm matches no drill and no end mill within "
        f"±{SIZE_TOL} mm, and no end mill is smaller (tools: Ø {sizes} mm)")


def drill_point_length(tool: Tool) -> float:
    """Length of a drill's conical point [mm]: (d/2)/tan(angle/2); 0 for flat tools."""
    if tool.kind != "drill" or not tool.angle:
        return 0.0
    return point_length(tool.diameter, tool.angle)


def point_length(diameter: float, angle: float) -> float:
    """Length [mm] of a cone of ``diameter`` [mm] and included ``angle`` [deg]: (d/2)/tan(angle/2)."""
    return diameter / 2.0 / math.tan(math.radians(angle) / 2.0)


def peck_moves(x: float, y: float, depth: float, peck: float, feed: float,
               safe_z: float, return_feed: float | None = None) -> list[Move]:
    """Peck to ``depth`` [mm] at (x, y) with plain G0/G1 moves; pecks of at most ``peck`` [mm].

    ``feed`` [mm/min] drills; ``return_feed`` (default ``feed``) takes the
    tool back down the hole already drilled. That return is a G1, not a G0:
    a rapid below the stock top is what the program checker refuses, and it
    cannot know the hole is already open.
    """
    count = max(1, math.ceil(depth / peck - 1e-9))
    moves: list[Move] = [Rapid(z=safe_z), Rapid(x, y, None), Rapid(z=CHIP_CLEAR_Z)]
    bottom = 0.0
    for k in range(count):
        target = -depth * (k + 1) / count
        if k > 0:
            # Back down the open hole to just above the last peck's bottom (G83 style).
            moves.append(Line(None, None, bottom + PECK_RETURN, return_feed or feed))
        moves.append(Line(None, None, target, feed))
        moves.append(Rapid(z=CHIP_CLEAR_Z))
        bottom = target
    moves.append(Rapid(z=safe_z))
    return moves


def helix_moves(x: float, y: float, radius: float, depth: float, pitch: float, feed: float,
                plunge: float, safe_z: float, ccw: bool) -> list[Move]:
    """Helical bore at (x, y): helix of ``radius`` [mm] to ``depth``, two full circles at depth.

    Each turn is two half-circle arcs (no full-circle words, which some
    controllers read ambiguously). Starts and ends at ``safe_z``.
    """
    turns = max(1, math.ceil(depth / pitch - 1e-9))
    moves: list[Move] = [Rapid(z=safe_z), Rapid(x + radius, y, None), Rapid(z=CHIP_CLEAR_Z),
                         Line(None, None, 0.0, plunge)]
    cw = not ccw
    halves = 2 * turns
    for k in range(halves):
        z = -depth * (k + 1) / halves
        moves.append(_half(x, y, radius, k, z, cw, feed))
    for k in range(halves, halves + 4):
        moves.append(_half(x, y, radius, k, -depth, cw, feed))
    moves.append(Line(x, y, -depth, feed))
    moves.append(Rapid(z=safe_z))
    return moves


def _half(x: float, y: float, radius: float, k: int, z: float, cw: bool, feed: float) -> Arc:
    """Half circle number ``k``: even k from (x+R, y) to (x-R, y), odd k back."""
    if k % 2 == 0:
        return Arc(x - radius, y, z, -radius, 0.0, cw, feed)
    return Arc(x + radius, y, z, radius, 0.0, cw, feed)


def hole_operation(part: str, hole: RoundHole, *, tools: Mapping[str, Tool], machine: Machine,
                   material: Material, safe_z: float,
                   feeds_for: Callable[[Tool], FeedsAndSpeeds], through: bool = False) -> Operation:
    """The operation that makes ``hole`` (part frame, mm) to ``hole.depth`` [mm].

    Parameters
    ----------
    tools : tool profiles by id; only those fitted on ``machine`` are used.
    feeds_for : feeds and speeds for a tool (this module does not pick feeds).
    through : the hole goes through the stock: a drill goes one point length
        deeper so the full diameter exits.

    Returns
    -------
    Operation of kind "drill" (drill or plunged end mill) or "helical_bore"
    (a blind hole wider than two end-mill diameters comes back as "pocket").
    """
    if hole.diameter <= 0 or hole.depth <= 0:
        raise ValueError(f"{part}: hole '{hole.name}' needs a positive diameter and depth")
    how, tool = choose_hole_tool(part, hole, tools, machine)
    feeds = feeds_for(tool)
    if how in ("drill", "plunge"):
        depth = hole.depth + (drill_point_length(tool) if through else 0.0)
        moves = peck_moves(hole.x, hole.y, depth, feeds.stepdown, feeds.plunge, safe_z, feeds.feed)
        return Operation(kind="drill", part=part, feature=hole.name, tool=tool.id, depth=depth,
                         moves=tuple(moves), spindle_rpm=feeds.rpm)
    if not through and hole.diameter > 2.0 * tool.diameter:
        region = Point(hole.x, hole.y).buffer(hole.diameter / 2.0, quad_segs=64)
        op = pocket_operation(part, hole.name, region, depth=hole.depth, tool=tool, feeds=feeds,
                              material=material, safe_z=safe_z)
        return replace(op, feature=hole.name)
    radius = (hole.diameter - tool.diameter) / 2.0
    moves = helix_moves(hole.x, hole.y, radius, hole.depth, feeds.stepdown, feeds.feed,
                        feeds.plunge, safe_z, ccw=material.climb)
    return Operation(kind="helical_bore", part=part, feature=hole.name, tool=tool.id,
                     depth=hole.depth, moves=tuple(moves), spindle_rpm=feeds.rpm)
