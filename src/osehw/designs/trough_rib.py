"""A parabolic trough's rib as a sheet part: its top edge is the offset of the parabola by the mirror
sheet's thickness (:func:`osehw.physics.trough.offset_curve`), so the mirror's reflecting face lies
on the parabola. Helper for the concentrator design; it registers no design.

The offset curve is not a parabola (nor a conic), so the model carries it as a B-spline interpolated
through ``edge_points`` points of the exact curve; :func:`rib_edge_deviation` measures how far the
spline strays from the exact curve (the model's share of the edge tolerance, before CAM's chord
tolerance adds its own).

Rib frame (the sheet, lying flat): x across the aperture, y along the optical axis, the parabola's
vertex at (0, 0) before the part is moved so its lower left corner sits at the origin.
"""

from __future__ import annotations

import cadquery as cq
import numpy as np

from osehw.core.design import SheetPart
from osehw.physics.trough import distance_to_offset_curve, offset_curve


def rib_outline(aperture: float, focal_length: float, mirror_thickness: float, depth: float,
                edge_points: int = 41):
    """Edge points (x, y) [mm] of the top edge, rim to rim, and the bottom's y [mm], in the rib frame."""
    x = np.linspace(-aperture / 2.0, aperture / 2.0, edge_points)
    ex, ey = offset_curve(x, focal_length, mirror_thickness)
    return ex, ey, -mirror_thickness - depth


def rib_edge(aperture: float, focal_length: float, mirror_thickness: float, depth: float,
             edge_points: int = 41) -> cq.Edge:
    ex, ey, _ = rib_outline(aperture, focal_length, mirror_thickness, depth, edge_points)
    return cq.Edge.makeSpline([cq.Vector(float(a), float(b), 0.0) for a, b in zip(ex, ey)])


def rib_edge_deviation(aperture: float, focal_length: float, mirror_thickness: float, depth: float,
                       edge_points: int = 41, samples: int = 2001) -> float:
    """Largest distance [mm] between the model's spline edge and the exact offset curve, sampled at
    ``samples`` points along the spline (distance measured to the parabola's parallel curve)."""
    edge = rib_edge(aperture, focal_length, mirror_thickness, depth, edge_points)
    pts = np.array([[p.x, p.y] for p in (edge.positionAt(u) for u in np.linspace(0.0, 1.0, samples))])
    return float(np.max(np.abs(distance_to_offset_curve(pts[:, 0], pts[:, 1], focal_length, mirror_thickness))))


def rib_part(name: str, aperture: float, focal_length: float, mirror_thickness: float, depth: float,
             sheet_thickness: float, spine_hole: float, material: str = "plywood", quantity: int = 1,
             edge_points: int = 41, support_holes: tuple[tuple[float, float, float], ...] = ()) -> SheetPart:
    """The rib: the offset edge on top, straight sides down from the rims, a straight bottom ``depth``
    [mm] below the edge's lowest point, a hole of ``spine_hole`` [mm] for the spine tube halfway
    down under the vertex, and ``support_holes`` (x, y, diameter) [mm, rib frame] for the receiver's
    support struts."""
    ex, ey, bottom = rib_outline(aperture, focal_length, mirror_thickness, depth, edge_points)
    if spine_hole >= depth - 20.0:
        raise ValueError(f"a {spine_hole:g} mm spine hole needs a rib deeper than {spine_hole + 20:g} mm")
    left, right = cq.Vector(float(ex[0]), float(ey[0]), 0), cq.Vector(float(ex[-1]), float(ey[-1]), 0)
    bl, br = cq.Vector(float(ex[0]), bottom, 0), cq.Vector(float(ex[-1]), bottom, 0)
    edges = [cq.Edge.makeLine(bl, br), cq.Edge.makeLine(br, right),
             rib_edge(aperture, focal_length, mirror_thickness, depth, edge_points),  # assembleEdges orders it
             cq.Edge.makeLine(left, bl)]
    face = cq.Face.makeFromWires(cq.Wire.assembleEdges(edges))
    solid: cq.Shape = cq.Solid.extrudeLinear(face, cq.Vector(0, 0, sheet_thickness))
    hole = cq.Solid.makeCylinder(spine_hole / 2.0, sheet_thickness + 2.0,
                                 cq.Vector(0.0, bottom + depth / 2.0, -1.0))
    solid = solid.cut(hole)
    for hx, hy, hd in support_holes:
        solid = solid.cut(cq.Solid.makeCylinder(hd / 2.0, sheet_thickness + 2.0, cq.Vector(hx, hy, -1.0)))
    solid = solid.clean()
    solid = solid.translate(cq.Vector(-float(ex[0]), -bottom, 0.0))
    return SheetPart(name, solid, material, sheet_thickness, quantity, "trough rib")
