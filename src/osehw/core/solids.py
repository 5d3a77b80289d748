"""Small pure helpers from dimensions to CadQuery solids, shared by the designs."""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import cadquery as cq


def plate(size_x: float, size_y: float, thickness: float) -> cq.Workplane:
    """A flat plate centred on the origin in XY, from z = 0 to z = thickness (a sheet part lying flat)."""
    return cq.Workplane("XY").rect(size_x, size_y).extrude(thickness)


def drill_through(part: cq.Workplane, diameter: float, points: Sequence[tuple[float, float]]) -> cq.Workplane:
    """Through holes of one diameter at XY points, cut from the top face down."""
    if not points:
        return part
    return part.faces(">Z").workplane(origin=(0, 0, 0)).pushPoints(list(points)).hole(diameter)


def offset_rectangle_face(size_x: float, size_y: float, offset: float) -> cq.Face:
    """The centred rectangle grown outward by ``offset`` with round corners (radius = offset)."""
    hx, hy = size_x / 2, size_y / 2
    wire = cq.Wire.makePolygon([cq.Vector(-hx, -hy, 0), cq.Vector(hx, -hy, 0), cq.Vector(hx, hy, 0),
                                cq.Vector(-hx, hy, 0)], close=True)
    if offset > 0:
        wire = wire.offset2D(offset, "arc")[0]
    return cq.Face.makeFromWires(wire)


def ring_groove(size_x: float, size_y: float, inset: float, width: float, depth: float, top: float) -> cq.Solid:
    """A closed groove ring around a centred rectangle, from ``inset`` to ``inset + width``
    outside it, ``depth`` deep below z = ``top`` (the solid to cut away)."""
    outer = cq.Solid.extrudeLinear(offset_rectangle_face(size_x, size_y, inset + width), cq.Vector(0, 0, depth))
    inner = cq.Solid.extrudeLinear(offset_rectangle_face(size_x, size_y, inset), cq.Vector(0, 0, depth))
    ring = outer.cut(inner)
    return ring.moved(cq.Location(cq.Vector(0, 0, top - depth)))  # type: ignore[return-value]


def points_on_rectangle(size_x: float, size_y: float, max_spacing: float) -> list[tuple[float, float]]:
    """Points on a centred rectangle's perimeter: every corner, and evenly spaced points
    along each side so no gap exceeds ``max_spacing``; ordered counter-clockwise from (−x, −y)."""
    import math

    nx = max(1, math.ceil(size_x / max_spacing))
    ny = max(1, math.ceil(size_y / max_spacing))
    hx, hy = size_x / 2, size_y / 2
    pts: list[tuple[float, float]] = []
    pts += [(-hx + size_x * i / nx, -hy) for i in range(nx)]
    pts += [(hx, -hy + size_y * i / ny) for i in range(ny)]
    pts += [(hx - size_x * i / nx, hy) for i in range(nx)]
    pts += [(-hx, hy - size_y * i / ny) for i in range(ny)]
    return [(round(x, 6), round(y, 6)) for x, y in pts]


def box_solid(size_x: float, size_y: float, size_z: float, x: float, y: float, z: float) -> cq.Solid:
    """An axis-aligned box with its minimum corner at (x, y, z)."""
    return cq.Solid.makeBox(size_x, size_y, size_z, pnt=cq.Vector(x, y, z))


def located(shape: cq.Shape, *, rotate_x: float = 0.0, rotate_z: float = 0.0,
            offset: Iterable[float] = (0.0, 0.0, 0.0)) -> cq.Location:
    """A location: rotate about X, then about Z (degrees), then translate."""
    dx, dy, dz = offset
    loc = cq.Location(cq.Vector(dx, dy, dz))
    if rotate_z:
        loc = loc * cq.Location(cq.Vector(0, 0, 0), cq.Vector(0, 0, 1), rotate_z)
    if rotate_x:
        loc = loc * cq.Location(cq.Vector(0, 0, 0), cq.Vector(1, 0, 0), rotate_x)
    return loc


def exact_box(shape: cq.Shape) -> tuple[float, float, float, float, float, float]:
    """(xmin, ymin, zmin, xmax, ymax, zmax) without tolerance padding.

    cq's BoundingBox() uses AddOptimal with the shape tolerances included, and boolean cuts
    grow edge tolerances (seen: 12.7 mm plates reported 12.712 thick), so ask OCC for the
    geometric box alone (useTriangulation=False, useShapeTolerance=False).
    """
    from OCP.Bnd import Bnd_Box
    from OCP.BRepBndLib import BRepBndLib

    box = Bnd_Box()
    BRepBndLib.AddOptimal_s(shape.wrapped, box, False, False)
    return box.Get()


def z_extent(shape: cq.Shape) -> tuple[float, float]:
    """Lowest and highest z of a shape, exact (see exact_box)."""
    _, _, zmin, _, _, zmax = exact_box(shape)
    return zmin, zmax


def single_solid(part: cq.Workplane | cq.Shape) -> cq.Solid:
    """The one solid of a part (boolean cuts hand back a compound), or an error if it fell apart."""
    shape = part.val() if isinstance(part, cq.Workplane) else part
    solids = shape.Solids()
    if len(solids) != 1:
        raise ValueError(f"expected one solid, found {len(solids)}")
    return solids[0]


def through_hole_count(solid: cq.Shape) -> int:
    """Openings through a flat part: the inner wires of its bottom (z = 0) face."""
    bottom = [f for f in solid.Faces() if f.geomType() == "PLANE" and abs(f.Center().z) < 1e-6]
    return sum(len(f.innerWires()) for f in bottom)


def arc_slot(cx: float, cy: float, r: float, w: float, a0: float, a1: float, t: float) -> cq.Shape:
    """Cutter for a through arc slot about (cx, cy): centreline radius r, width w, round ends, centreline
    from a0 to a1 [deg]; 1 mm proud of both faces of a plate t thick at z = 0..t."""

    def at(radius: float, deg: float) -> tuple[float, float]:
        a = math.radians(deg)
        return (cx + radius * math.cos(a), cy + radius * math.sin(a))

    def cap(deg: float, sign: float) -> tuple[float, float]:
        a = math.radians(deg)
        px, py = at(r, deg)
        return (px - sign * (w / 2.0) * math.sin(a), py + sign * (w / 2.0) * math.cos(a))

    ro, ri, mid = r + w / 2.0, r - w / 2.0, (a0 + a1) / 2.0
    return (
        cq.Workplane("XY", origin=(0, 0, -1.0))
        .moveTo(*at(ro, a0))
        .threePointArc(at(ro, mid), at(ro, a1))
        .threePointArc(cap(a1, 1.0), at(ri, a1))
        .threePointArc(at(ri, mid), at(ri, a0))
        .threePointArc(cap(a0, -1.0), at(ro, a0))
        .close()
        .extrude(t + 2.0)
        .val()
    )
