"""A gallery of sheet parts that exercises every CAM feature.

Each part is a CadQuery solid lying flat (bottom at z = 0, lower-left corner of
its bounding box at the origin), with dimensions chosen so the tests can check
areas, hole counts and pocket areas by hand:

=====================  ==============================================================
part                   exercises
=====================  ==============================================================
gallery-finger-panel   finger joints on two edges and a through slot that receives a
                       12 mm part (inside corners → dogbones)
gallery-slot-plate     two arc slots, 4 × Ø6.5 bolt holes, Ø30 (helical bore),
                       2 × Ø5 (drill), rounded outline corners (arcs)
gallery-parabolic-rib  a parabolic edge (exact quadratic Bézier → spline toolpath)
gallery-gusset         polygon with chamfered corners and 3 holes
gallery-gasket-lid     blind gasket-groove pocket with rounded corners, 4 holes
refused-tiny-hole      a Ø1.5 mm hole, smaller than every tool: CAM must refuse it
=====================  ==============================================================

:func:`gallery_parts` returns the parts a build cuts; :func:`refused_parts`
the ones CAM must reject (tests use them, builds do not).
"""

from __future__ import annotations

import math

import cadquery as cq

from osehw.core.design import SheetPart
from osehw.core.solids import arc_slot

PLYWOOD_THICKNESS = 12.0
HDPE_THICKNESS = 12.7  # 1/2 in sheet
ALUMINIUM_THICKNESS = 6.35  # 1/4 in plate

# Finger panel [mm]
PANEL_LENGTH = 300.0
PANEL_WIDTH = 180.0
FINGER_PITCH = 20.0  # 9 segments along the 180 mm edge: fingers at even ones
SLOT_LENGTH = 60.0

# Plate [mm]
PLATE_LENGTH = 200.0
PLATE_WIDTH = 150.0
PLATE_CORNER_RADIUS = 10.0
PLATE_BOLT_DIAMETER = 6.5  # M6 clearance
PLATE_BORE_DIAMETER = 30.0
PLATE_DRILL_DIAMETER = 5.0
ARC_SLOT_RADIUS = 50.0  # centreline radius about the plate centre
ARC_SLOT_WIDTH = 8.0
ARC_SLOT_SPANS = ((60.0, 120.0), (240.0, 300.0))  # centreline angles [deg]

# Parabolic rib: y = x²/(4f), the parabola with its focus f above the vertex [mm]
RIB_FOCAL_LENGTH = 250.0
RIB_APERTURE = 600.0
RIB_DEPTH = 40.0  # material below the vertex; the bottom edge is straight

# Gusset [mm]
GUSSET_LEG = 200.0
GUSSET_CHAMFER = 10.0  # measured along each edge from the corner

# Lid [mm]
LID_LENGTH = 300.0
LID_WIDTH = 200.0
GROOVE_WIDTH = 4.5
GROOVE_DEPTH = 2.3
GROOVE_INSET = 15.0  # edge of the lid → groove centreline
GROOVE_CORNER_RADIUS = 10.0  # of the centreline
LID_HOLE_INSET = 7.5
LID_HOLE_DIAMETER = 6.5

TINY_HOLE_DIAMETER = 1.5


def _box(x: float, y: float, z: float, at: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> cq.Solid:
    return cq.Solid.makeBox(x, y, z, pnt=cq.Vector(*at))


def _drill(solid: cq.Shape, holes: list[tuple[float, float, float]], thickness: float) -> cq.Shape:
    """Cut through holes (x, y, diameter) [mm] into a flat solid."""
    for x, y, d in holes:
        cyl = cq.Solid.makeCylinder(d / 2.0, thickness + 2.0, cq.Vector(x, y, -1.0))
        solid = solid.cut(cyl)
    return solid


def _rounded_rect(cx: float, cy: float, w: float, h: float, r: float, z0: float, height: float) -> cq.Shape:
    return (
        cq.Workplane("XY", origin=(cx, cy, z0))
        .rect(w, h)
        .extrude(height)
        .edges("|Z")
        .fillet(r)
        .val()
    )


def finger_panel() -> SheetPart:
    """300 × 180 × 12 mm plywood panel, 12 mm fingers on both short edges, 12 × 60 slot."""
    t = PLYWOOD_THICKNESS
    solid: cq.Shape = _box(PANEL_LENGTH, PANEL_WIDTH, t)
    n_segments = round(PANEL_WIDTH / FINGER_PITCH)
    for k in range(1, n_segments, 2):  # notches between the fingers
        y0 = k * FINGER_PITCH
        for x0 in (0.0, PANEL_LENGTH - t):
            solid = solid.cut(_box(t, FINGER_PITCH, t + 2.0, (x0, y0, -1.0)))
    slot = _box(t, SLOT_LENGTH, t + 2.0, ((PANEL_LENGTH - t) / 2.0, (PANEL_WIDTH - SLOT_LENGTH) / 2.0, -1.0))
    solid = solid.cut(slot).clean()
    return SheetPart("gallery-finger-panel", solid, "plywood", t, 1, "G1 finger panel", fit="slot")


def slot_plate() -> SheetPart:
    """200 × 150 × 6.35 mm aluminium plate: arc slots, bolt holes, a bore and drilled holes."""
    t = ALUMINIUM_THICKNESS
    cx, cy = PLATE_LENGTH / 2.0, PLATE_WIDTH / 2.0
    solid: cq.Shape = _rounded_rect(cx, cy, PLATE_LENGTH, PLATE_WIDTH, PLATE_CORNER_RADIUS, 0.0, t)
    for a0, a1 in ARC_SLOT_SPANS:
        solid = solid.cut(arc_slot(cx, cy, ARC_SLOT_RADIUS, ARC_SLOT_WIDTH, a0, a1, t))
    holes = [(x, y, PLATE_BOLT_DIAMETER) for y in (15.0, PLATE_WIDTH - 15.0) for x in (15.0, PLATE_LENGTH - 15.0)]
    holes.append((cx, cy, PLATE_BORE_DIAMETER))
    holes += [(30.0, cy, PLATE_DRILL_DIAMETER), (PLATE_LENGTH - 30.0, cy, PLATE_DRILL_DIAMETER)]
    solid = _drill(solid, holes, t).clean()
    return SheetPart("gallery-slot-plate", solid, "aluminium-6061", t, 1, "G2 slot plate")


def rib_parabola_y(x: float) -> float:
    """Height [mm] of the rib's parabolic edge at x [mm], in the part frame (vertex at x = 300)."""
    u = x - RIB_APERTURE / 2.0
    return RIB_DEPTH + u * u / (4.0 * RIB_FOCAL_LENGTH)  # y = x²/(4f), focus at (0, f)


def parabolic_rib() -> SheetPart:
    """Trough rib, 12 mm plywood: top edge the parabola f = 250 mm over a 600 mm aperture.

    A parabola is exactly a quadratic Bézier whose middle control point is
    where the end tangents meet, so the edge is exact, not interpolated.
    """
    t = PLYWOOD_THICKNESS
    w = RIB_APERTURE
    y_rim = rib_parabola_y(w)
    slope_rim = (w / 2.0) / (2.0 * RIB_FOCAL_LENGTH)  # dy/dx = x/(2f)
    control = (w / 2.0, y_rim - slope_rim * (w / 2.0))
    pts = [cq.Vector(0, 0, 0), cq.Vector(w, 0, 0), cq.Vector(w, y_rim, 0), cq.Vector(0, y_rim, 0)]
    edges = [
        cq.Edge.makeLine(pts[0], pts[1]),
        cq.Edge.makeLine(pts[1], pts[2]),
        cq.Edge.makeBezier([pts[2], cq.Vector(control[0], control[1], 0), pts[3]]),
        cq.Edge.makeLine(pts[3], pts[0]),
    ]
    face = cq.Face.makeFromWires(cq.Wire.assembleEdges(edges))
    solid: cq.Shape = cq.Solid.extrudeLinear(face, cq.Vector(0, 0, t))
    solid = _drill(solid, [(30.0, 20.0, 6.5), (w - 30.0, 20.0, 6.5)], t).clean()
    return SheetPart("gallery-parabolic-rib", solid, "plywood", t, 3, "G3 parabolic rib")


def gusset_points() -> list[tuple[float, float]]:
    """Corners [mm] of the chamfered right-triangle gusset, counter-clockwise."""
    leg, c = GUSSET_LEG, GUSSET_CHAMFER
    a = c / math.sqrt(2.0)  # a chamfer of length c along the 45° hypotenuse
    return [(c, 0.0), (leg - c, 0.0), (leg - a, a), (a, leg - a), (0.0, leg - c), (0.0, c)]


def gusset() -> SheetPart:
    """Right-triangle gusset, 200 mm legs, 10 mm corner chamfers, 3 × Ø6.5 holes, HDPE."""
    t = HDPE_THICKNESS
    solid: cq.Shape = cq.Workplane("XY").polyline(gusset_points()).close().extrude(t).val()
    solid = _drill(solid, [(30.0, 30.0, 6.5), (140.0, 25.0, 6.5), (25.0, 140.0, 6.5)], t).clean()
    return SheetPart("gallery-gusset", solid, "hdpe", t, 2, "G4 gusset")


def gasket_lid() -> SheetPart:
    """300 × 200 × 12.7 mm HDPE lid, 4.5 × 2.3 mm gasket groove 15 mm in, 4 corner holes."""
    t = HDPE_THICKNESS
    cx, cy = LID_LENGTH / 2.0, LID_WIDTH / 2.0
    cw, ch = LID_LENGTH - 2.0 * GROOVE_INSET, LID_WIDTH - 2.0 * GROOVE_INSET  # centreline
    half = GROOVE_WIDTH / 2.0
    z0 = t - GROOVE_DEPTH
    r = GROOVE_CORNER_RADIUS
    outer = _rounded_rect(cx, cy, cw + 2 * half, ch + 2 * half, r + half, z0, GROOVE_DEPTH + 1.0)
    inner = _rounded_rect(cx, cy, cw - 2 * half, ch - 2 * half, r - half, z0 - 1.0, GROOVE_DEPTH + 3.0)
    solid: cq.Shape = _box(LID_LENGTH, LID_WIDTH, t).cut(outer.cut(inner))
    s = LID_HOLE_INSET
    holes = [(x, y, LID_HOLE_DIAMETER) for y in (s, LID_WIDTH - s) for x in (s, LID_LENGTH - s)]
    solid = _drill(solid, holes, t).clean()
    return SheetPart("gallery-gasket-lid", solid, "hdpe", t, 1, "G5 gasket lid")


def tiny_hole_plate() -> SheetPart:
    """60 × 40 × 6.35 mm aluminium tab with a Ø1.5 mm hole no tool can cut (and a Ø5 one)."""
    t = ALUMINIUM_THICKNESS
    solid = _drill(_box(60.0, 40.0, t), [(15.0, 20.0, TINY_HOLE_DIAMETER), (45.0, 20.0, 5.0)], t).clean()
    return SheetPart("refused-tiny-hole", solid, "aluminium-6061", t, 1, "X1 tiny hole (must be refused)")


def gallery_parts() -> list[SheetPart]:
    """The gallery parts a build cuts, in a fixed order."""
    return [finger_panel(), slot_plate(), parabolic_rib(), gusset(), gasket_lid()]


def refused_parts() -> list[SheetPart]:
    """Parts CAM must refuse (a hole smaller than every tool); for tests, never built."""
    return [tiny_hole_plate()]
