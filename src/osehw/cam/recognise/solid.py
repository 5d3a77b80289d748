"""Automatic 2.5D feature recognition: a sheet part's solid → :class:`PartFeatures`.

The solid is first laid flat (:func:`lay_flat`): its largest planar face is the
stock's bottom at z = 0 and its top at z = thickness. Everything else is read
from the solid's *horizontal planar faces*, whose wires carry OCC's exact edges:

- the **bottom faces** (normal −Z at z = 0) give the through footprint: its
  exterior ring is the outline, its inner wires the through openings;
- the **floor faces** (normal +Z below the top) give the blind regions: a 2.5D
  part cut from the top is, above every point, solid up to the first upward
  face, so "the area cleared to at least depth d" is the union of the floor
  faces whose depth is ≥ d. No boolean slicing is needed, so no slivers.

Before that the solid is checked to be 2.5D: every other face must be vertical
(normal ⊥ Z) and no face may face down above the bottom (an undercut or a
feature cut from below). A part that is not 2.5D raises
:class:`RecognitionError` naming the part and the face.

One exception: a **countersink**, a cone with a vertical axis that widens
upward and meets the top face, around a round hole. It is not 2.5D, but a
flat-head screw's seat is drill-press work after the router has cut the hole:
the hole is cut as usual and the cone is reported as a :class:`Countersink`
(top diameter, included angle, depth) for the setup sheet. A counterbore is
2.5D already (a flat floor below the top) and is cut as a blind round hole.

Choices the toolpath writer relies on:

- **Pockets are nested**: a :class:`Pocket` at depth d is a connected region
  that must be cleared to *at least* d; a stepped pocket gives one Pocket per
  floor depth and the shallower region contains the deeper one. A region made
  only of deeper floors is not repeated at the shallower depth. Through
  openings are never part of a pocket region (a counterbore is an annulus).
- **Round holes** are recognised exactly from OCC circles: an inner wire of the
  bottom face made of circular edges of one centre and radius that close a
  full turn is a through :class:`RoundHole`; a floor face bounded by one such
  full circle whose blind region is that disc (less through openings, as in a
  counterbore) is a blind RoundHole (depth < thickness) instead of a Pocket.
- A re-oriented solid keeps the X/Y its rotation gives (no XY shift), so a
  copy tilted about a horizontal axis through the origin comes back exactly.
- **Slots that receive a part** (``InsideCut.receives_part``): SheetPart does
  not say which openings take another part, so a geometric rule decides: the
  opening fills ≥ 95 % of its minimum rotated rectangle and that rectangle's
  short side equals the part's own thickness ± 0.5 mm (sheet parts of one
  design are cut from the same stock). Round-ended slots fill ~ 85–90 % and
  are not marked, rightly: a part's square end cannot sit in them anyway.
- Curves (circles, arcs, B-splines) are discretised with a chord error ≤
  :data:`CHORD_TOLERANCE`; lines keep only their end points. Coordinates are
  rounded to 1e-6 mm so that equal edges give equal vertices.
- Names are deterministic: ``hole-N``, ``cut-N``, ``pocket-N``, ordered by
  y then x of the feature's centre rounded to 0.001 mm (pockets by depth first).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cadquery as cq
import numpy as np
import shapely
import shapely.validation
from OCP.BRepAdaptor import BRepAdaptor_Curve, BRepAdaptor_Surface
from OCP.BRepGProp import BRepGProp_Face
from OCP.BRepTools import BRepTools_WireExplorer
from OCP.GCPnts import GCPnts_QuasiUniformDeflection
from OCP.GeomAbs import GeomAbs_Circle, GeomAbs_Cone, GeomAbs_Line
from OCP.gp import gp_Pnt, gp_Vec
from OCP.TopAbs import TopAbs_REVERSED
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient

from osehw.cam.recognise.features import (
    Countersink,
    InsideCut,
    PartFeatures,
    Pocket,
    RoundHole,
)
from osehw.core.design import SheetPart
from osehw.core.errors import OsehwError
from osehw.core.solids import z_extent

CHORD_TOLERANCE = 0.002
"""Largest distance [mm] between a curve and its discretisation (features.py contract)."""

THICKNESS_TOLERANCE = 0.01
"""Allowed difference [mm] between the solid's Z extent and the part's thickness."""

SLOT_WIDTH_TOLERANCE = 0.5
"""A rectangular opening this close [mm] to the part thickness receives another part."""

_Z_TOL = 1e-4  # [mm] two horizontal faces closer than this are one level
_NORMAL_TOL = 1e-6  # |n_z| below this is a vertical wall, |n_z| above 1 - this is horizontal
_COORD_DECIMALS = 6  # round polygon vertices to 1e-6 mm
# Discretise a little finer than the contract so float noise never crosses it.
_DEFLECTION = 0.9 * CHORD_TOLERANCE


class RecognitionError(OsehwError, ValueError):
    """The solid is not a flat 2.5D sheet part of the stated thickness."""


# --------------------------------------------------------------------------- lay flat


def _as_shape(solid: cq.Shape | cq.Workplane) -> cq.Shape:
    if isinstance(solid, cq.Workplane):
        return solid.val() if len(solid.vals()) == 1 else cq.Compound.makeCompound(solid.vals())
    return solid


def _face_normal(face: cq.Face) -> cq.Vector:
    """Outward unit normal of a planar face (BRepGProp_Face honours the face orientation)."""
    return face.normalAt()


def lay_flat(solid: cq.Shape, thickness: float, name: str) -> cq.Shape:
    """Return ``solid`` lying on its largest planar face, bottom at z = 0.

    The largest planar face is turned to face −Z by the smallest rotation and
    moved to z = 0; a solid that already lies so is returned unchanged.
    Ties (a through-cut part has equal top and bottom faces) go to the face
    whose normal is closest to −Z, then to +Y, then to +X; either choice is
    the same physical part turned over.

    Parameters
    ----------
    solid : the part's solid (a cq.Workplane holding one solid is accepted)
    thickness : stock thickness [mm]
    name : part name, for error messages

    Raises
    ------
    RecognitionError
        no planar face, or the Z extent after laying flat differs from
        ``thickness`` by more than :data:`THICKNESS_TOLERANCE`.
    """
    shape = _as_shape(solid)
    planar = [f for f in shape.Faces() if f.geomType() == "PLANE"]
    if not planar:
        raise RecognitionError(f"{name}: the solid has no planar face to lay it on")
    largest = max(f.Area() for f in planar)
    candidates = [f for f in planar if f.Area() >= largest * (1.0 - 1e-6)]
    z0, z1 = z_extent(shape)
    if (abs(z1 - z0 - thickness) <= THICKNESS_TOLERANCE
            and not any(abs(_face_normal(f).z) > 1.0 - 1e-9 for f in candidates)
            and any(_face_normal(f).z < -1.0 + 1e-9 and abs(f.Center().z - z0) <= 1e-9 for f in planar)):
        # lying flat at the stock's thickness, yet a side is its largest face: a part narrower
        # than it is thick (a strip, a sliver) stays as drawn, and the CAM says whether a tool fits
        return shape.translate(cq.Vector(0, 0, -z0)) if abs(z0) > 1e-9 else shape

    def preference(face: cq.Face) -> tuple[float, float, float]:
        n = _face_normal(face)
        return (round(-n.z, 9), round(n.y, 9), round(n.x, 9))

    bottom = max(candidates, key=preference)
    n = _face_normal(bottom)
    down = cq.Vector(0, 0, -1)
    cos_angle = max(-1.0, min(1.0, n.dot(down)))
    if cos_angle > 1.0 - 1e-12:
        placed = shape
    else:
        if cos_angle < -1.0 + 1e-12:
            axis = cq.Vector(1, 0, 0)  # upside down: any horizontal axis turns it over
        else:
            axis = n.cross(down).normalized()
        angle = math.degrees(math.acos(cos_angle))
        placed = shape.rotate(cq.Vector(0, 0, 0), axis, angle)
        bottom = bottom.rotate(cq.Vector(0, 0, 0), axis, angle)
    z_bottom = bottom.Center().z
    if abs(z_bottom) > 1e-9:
        placed = placed.translate(cq.Vector(0, 0, -z_bottom))
    zmin, zmax = z_extent(placed)
    extent = zmax - zmin
    if abs(extent - thickness) > THICKNESS_TOLERANCE or abs(zmin) > THICKNESS_TOLERANCE:
        raise RecognitionError(
            f"{name}: laid on its largest face the solid spans z = {zmin:.3f}…{zmax:.3f} mm "
            f"({extent:.3f} mm thick) but the part's thickness is {thickness:.3f} mm "
            f"(must agree within {THICKNESS_TOLERANCE} mm)"
        )
    return placed


# --------------------------------------------------------------------------- wires → polygons


def _edge_points(edge: cq.Edge) -> list[tuple[float, float]]:
    """XY points along one edge in its wire direction, chord error ≤ CHORD_TOLERANCE."""
    curve = BRepAdaptor_Curve(edge.wrapped)
    u0, u1 = curve.FirstParameter(), curve.LastParameter()
    kind = curve.GetType()
    if kind == GeomAbs_Line:
        params = [u0, u1]
    elif kind == GeomAbs_Circle:
        # Exact count for a circle: sagitta r(1 - cos(θ/2)) ≤ δ for each step θ.
        r = curve.Circle().Radius()
        step = 2.0 * math.acos(max(-1.0, 1.0 - _DEFLECTION / r)) if r > _DEFLECTION else math.pi
        n = max(2, math.ceil((u1 - u0) / step))
        params = list(np.linspace(u0, u1, n + 1))
    else:
        sampler = GCPnts_QuasiUniformDeflection(curve, _DEFLECTION, u0, u1)
        if not sampler.IsDone():
            raise RecognitionError(f"cannot discretise a {edge.geomType()} edge")
        params = [sampler.Parameter(i) for i in range(1, sampler.NbPoints() + 1)]
    pts = []
    for u in params:
        p = curve.Value(u)
        pts.append((p.X(), p.Y()))
    if edge.wrapped.Orientation() == TopAbs_REVERSED:
        pts.reverse()
    return pts


def _wire_ring(wire: cq.Wire, face: cq.Face) -> list[tuple[float, float]]:
    """Closed XY ring of a wire, edges chained in order."""
    ring: list[tuple[float, float]] = []
    explorer = BRepTools_WireExplorer(wire.wrapped, face.wrapped)
    while explorer.More():
        pts = _edge_points(cq.Edge(explorer.Current()))
        if ring:
            # Chain by proximity as well as by orientation: robust to odd wires.
            end = ring[-1]
            if math.dist(end, pts[-1]) < math.dist(end, pts[0]):
                pts.reverse()
            pts = pts[1:]
        ring.extend(pts)
        explorer.Next()
    return ring


def _round_ring(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    arr = np.round(np.asarray(ring, dtype=float), _COORD_DECIMALS) + 0.0  # + 0.0 drops -0.0
    out: list[tuple[float, float]] = []
    for x, y in arr.tolist():
        if not out or (x, y) != out[-1]:
            out.append((x, y))
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _face_polygon(face: cq.Face, name: str) -> Polygon:
    outer = face.outerWire()
    inners = [w for w in face.Wires() if not w.isSame(outer)]
    shell = _round_ring(_wire_ring(outer, face))
    holes = [_round_ring(_wire_ring(w, face)) for w in inners]
    poly = Polygon(shell, holes)
    if not poly.is_valid:
        area = poly.area
        # make_valid may keep a zero-area spike (a line) beside the region: only the areas count
        pieces = [g for g in shapely.get_parts(shapely.make_valid(poly)) if isinstance(g, Polygon) and g.area > 0]
        if len(pieces) != 1 or abs(pieces[0].area - area) > CHORD_TOLERANCE * poly.length:
            where = shapely.validation.explain_validity(poly)
            raise RecognitionError(f"{name}: a horizontal face gives an invalid region ({where})")
        poly = pieces[0]
    return orient(poly, sign=1.0)


def _polygons(geom: shapely.Geometry) -> list[Polygon]:
    """The polygonal parts of a geometry, CCW exteriors, in a fixed order."""
    if isinstance(geom, Polygon):
        parts = [geom]
    elif isinstance(geom, MultiPolygon):
        parts = list(geom.geoms)
    else:  # GeometryCollection from a union: keep its polygons
        parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]
    # Rebuilt from coordinates so no fixed-precision grid from _union rides along.
    parts = [
        orient(Polygon(p.exterior.coords, [r.coords for r in p.interiors]), sign=1.0)
        for p in parts
        if not p.is_empty and p.area > 1e-9
    ]
    return sorted(parts, key=_centre_key)


def _centre_key(poly: Polygon) -> tuple[float, float]:
    c = poly.centroid
    return (round(c.y, 3), round(c.x, 3))


def _union(polys: list[Polygon]) -> shapely.Geometry:
    # Snapping to the coordinate grid makes shared edges of adjacent faces meet exactly.
    return shapely.set_precision(shapely.union_all(polys), 10.0**-_COORD_DECIMALS)


# --------------------------------------------------------------------------- circles


@dataclass(frozen=True)
class _Circle:
    x: float
    y: float
    diameter: float


def _full_circle(wire: cq.Wire) -> _Circle | None:
    """The circle a wire traces if all its edges are arcs of one circle closing a full turn."""
    centre: tuple[float, float] | None = None
    radius = 0.0
    span = 0.0
    for edge in wire.Edges():
        curve = BRepAdaptor_Curve(edge.wrapped)
        if curve.GetType() != GeomAbs_Circle:
            return None
        circ = curve.Circle()
        if abs(abs(circ.Axis().Direction().Z()) - 1.0) > _NORMAL_TOL:
            return None
        loc = circ.Location()
        c, r = (loc.X(), loc.Y()), circ.Radius()
        if centre is None:
            centre, radius = c, r
        elif math.dist(c, centre) > 1e-7 or abs(r - radius) > 1e-7:
            return None
        span += curve.LastParameter() - curve.FirstParameter()
    if centre is None or abs(span - 2.0 * math.pi) > 1e-7:
        return None
    return _Circle(round(centre[0], 9) + 0.0, round(centre[1], 9) + 0.0, round(2.0 * radius, 9))


def _is_disc(poly: Polygon, circle: _Circle) -> bool:
    """Whether a region is the discretised disc of ``circle`` (no islands, same centre and area)."""
    if poly.interiors:
        return False
    c = poly.centroid
    r = circle.diameter / 2.0
    disc_area = math.pi * r * r
    return math.hypot(c.x - circle.x, c.y - circle.y) < 1e-4 and abs(poly.area - disc_area) <= (
        2.0 * math.pi * r * CHORD_TOLERANCE + 1e-6
    )


# --------------------------------------------------------------------------- faces of a flat solid


@dataclass(frozen=True)
class _Level:
    z: float
    faces: tuple[cq.Face, ...]


@dataclass(frozen=True)
class _Cone:
    """One conical face of a countersink: circle centre, radii and heights where it ends."""

    x: float
    y: float
    r_top: float
    z_top: float
    r_bottom: float
    z_bottom: float


def _countersink_cone(face: cq.Face, thickness: float) -> _Cone | None:
    """The cone of a countersink from the top, or None if ``face`` is not one.

    A countersink cone has a vertical axis, is bounded by arcs of two horizontal
    circles on that axis, widens upward and ends on the top face (z = thickness).
    """
    surface = BRepAdaptor_Surface(face.wrapped)
    if surface.GetType() != GeomAbs_Cone:
        return None
    axis = surface.Cone().Axis()
    if abs(abs(axis.Direction().Z()) - 1.0) > _NORMAL_TOL:
        return None
    centre = (axis.Location().X(), axis.Location().Y())
    rings: dict[float, float] = {}  # z → radius of the arcs bounding the face there
    for edge in face.Edges():
        curve = BRepAdaptor_Curve(edge.wrapped)
        if curve.GetType() != GeomAbs_Circle:
            continue  # the seam line of a closed cone
        circ = curve.Circle()
        loc = circ.Location()
        if math.dist((loc.X(), loc.Y()), centre) > 1e-6:
            return None
        rings[round(loc.Z(), 6)] = circ.Radius()
    if len(rings) != 2:
        return None
    (z0, r0), (z1, r1) = sorted(rings.items())
    if r1 <= r0 or abs(z1 - thickness) > _Z_TOL:
        return None
    return _Cone(round(centre[0], 9) + 0.0, round(centre[1], 9) + 0.0, r1, z1, r0, z0)


def _classify_faces(shape: cq.Shape, thickness: float, name: str
                    ) -> tuple[list[cq.Face], list[_Level], list[_Cone]]:
    """Bottom faces, floor levels (ascending z, top excluded) and countersink cones; checks the part is 2.5D."""
    bottom: list[cq.Face] = []
    up: list[tuple[float, cq.Face]] = []
    cones: list[_Cone] = []
    for i, face in enumerate(shape.Faces()):
        if face.geomType() == "PLANE":
            n = _face_normal(face)
            if abs(n.z) > 1.0 - _NORMAL_TOL:
                z = face.Center().z
                if n.z < 0:
                    if abs(z) > _Z_TOL:
                        raise RecognitionError(
                            f"{name}: face {i} faces down at z = {z:.3f} mm (an undercut or a "
                            "feature cut from below); only features cut from the top are 2.5D"
                        )
                    bottom.append(face)
                else:
                    up.append((z, face))
                continue
        cone = _countersink_cone(face, thickness)
        if cone is not None:
            cones.append(cone)
            continue
        _check_vertical(face, i, name)
    if not bottom:
        raise RecognitionError(f"{name}: no bottom face at z = 0")
    up.sort(key=lambda zf: zf[0])
    levels: list[_Level] = []
    for z, face in up:
        if levels and abs(z - levels[-1].z) <= _Z_TOL:
            levels[-1] = _Level(levels[-1].z, levels[-1].faces + (face,))
        else:
            levels.append(_Level(z, (face,)))
    floors = [lv for lv in levels if lv.z < thickness - _Z_TOL]
    if len(floors) == len(levels):
        raise RecognitionError(f"{name}: no top face at z = {thickness:.3f} mm")
    if floors and floors[0].z <= _Z_TOL:
        raise RecognitionError(f"{name}: an upward face lies at z = 0 (zero-thickness material)")
    return bottom, floors, cones


def _check_vertical(face: cq.Face, index: int, name: str) -> None:
    """A wall of a 2.5D part is vertical everywhere: sample its normal on a 5×5 UV grid."""
    u0, u1, v0, v1 = face._uvBounds()
    prop = BRepGProp_Face(face.wrapped)
    p, vn = gp_Pnt(), gp_Vec()
    worst = 0.0
    for u in np.linspace(u0, u1, 5):
        for v in np.linspace(v0, v1, 5):
            prop.Normal(float(u), float(v), p, vn)
            mag = vn.Magnitude()
            if mag > 1e-12:
                worst = max(worst, abs(vn.Z()) / mag)
    if worst > _NORMAL_TOL:
        raise RecognitionError(
            f"{name}: face {index} ({face.geomType()}) is neither horizontal nor vertical "
            f"(|normal z| up to {worst:.4f}); chamfers, fillets and drafts across the "
            "thickness are not 2.5D"
        )


# --------------------------------------------------------------------------- recognise


def _is_receiving_slot(poly: Polygon, thickness: float) -> bool:
    rect = poly.minimum_rotated_rectangle
    xs, ys = rect.exterior.coords.xy
    sides = sorted(math.dist((xs[i], ys[i]), (xs[i + 1], ys[i + 1])) for i in range(2))
    return poly.area >= 0.95 * rect.area and abs(sides[0] - thickness) <= SLOT_WIDTH_TOLERANCE


def recognise(part: SheetPart) -> PartFeatures:
    """Recognise the 2.5D features of a sheet part (see the module docstring for the rules).

    Parameters
    ----------
    part : a SheetPart; its solid may lie in any orientation (it is laid flat first)

    Returns
    -------
    PartFeatures in the laid-flat part frame [mm]; pocket and hole depths are
    measured down from the stock top.

    Raises
    ------
    RecognitionError
        wrong thickness, not 2.5D, or the part falls apart into pieces.
    """
    name, t = part.name, float(part.thickness)
    shape = lay_flat(part.solid, t, name)
    bottom_faces, floors, cones = _classify_faces(shape, t, name)

    # Through footprint and its openings.
    footprint_parts = _polygons(_union([_face_polygon(f, name) for f in bottom_faces]))
    if len(footprint_parts) != 1:
        raise RecognitionError(f"{name}: the bottom face is {len(footprint_parts)} separate pieces, not one part")
    footprint = footprint_parts[0]
    outline = orient(Polygon(footprint.exterior.coords), sign=1.0)

    through_circles: list[_Circle] = []
    for face in bottom_faces:
        outer = face.outerWire()
        for wire in face.Wires():
            if not wire.isSame(outer):
                circle = _full_circle(wire)
                if circle is not None:
                    through_circles.append(circle)

    openings = sorted((orient(Polygon(r.coords), sign=1.0) for r in footprint.interiors), key=_centre_key)
    holes: list[tuple[tuple[float, ...], _Circle, float]] = []
    cuts: list[Polygon] = []
    for opening in openings:
        match = next((c for c in through_circles if _is_disc(opening, c)), None)
        if match is not None:
            holes.append(((round(match.y, 3), round(match.x, 3), t), match, t))
        else:
            cuts.append(opening)

    through = shapely.difference(outline, footprint)

    # Blind regions, nested: cleared to ≥ depth(level) = union of floors at or below that level.
    pockets: list[tuple[tuple[float, ...], Polygon, float]] = []
    for i, level in enumerate(floors):
        depth = round(t - level.z, 6)
        here = [_face_polygon(f, name) for f in level.faces]
        here_union = _union(here)
        below = [_face_polygon(f, name) for lv in floors[: i + 1] for f in lv.faces]
        cleared = _union(below)
        disc_circles = [c for f in level.faces if (c := _full_circle(f.outerWire())) is not None]
        for region in _polygons(cleared):
            if shapely.intersection(region, here_union).area <= 1e-9:
                continue  # only deeper floors: already listed at their own depth
            # A disc (its islands all through openings: a counterbore) is a blind round hole.
            filled = Polygon(region.exterior.coords)
            rest = shapely.difference(shapely.difference(filled, region), through).area
            match = next((c for c in disc_circles if rest <= 1e-6 and _is_disc(filled, c)), None)
            if match is not None:
                holes.append(((round(match.y, 3), round(match.x, 3), depth), match, depth))
            else:
                pockets.append(((depth, *_centre_key(region)), region, depth))

    # With vertical walls, the upward faces (top and floors) cover the bottom exactly once.
    upward = [
        _face_polygon(f, name)
        for f in shape.Faces()
        if f.geomType() == "PLANE" and _face_normal(f).z > 1.0 - _NORMAL_TOL
    ]
    # a countersink's cone stands in for the top face over its annulus, seen from above
    covered = _union(upward).area + sum(math.pi * (c.r_top**2 - c.r_bottom**2) for c in cones)
    if abs(covered - footprint.area) > 1e-4 * footprint.area + 0.01:
        raise RecognitionError(
            f"{name}: upward faces cover {covered:.3f} mm² but the bottom covers "
            f"{footprint.area:.3f} mm²: the part is not 2.5D from the top"
        )

    holes.sort(key=lambda h: h[0])
    pockets.sort(key=lambda p: p[0])
    round_holes = tuple(
        RoundHole(f"hole-{k}", c.x, c.y, c.diameter, d) for k, (_, c, d) in enumerate(holes, start=1)
    )
    inside_cuts = tuple(
        InsideCut(f"cut-{k}", poly, receives_part=_is_receiving_slot(poly, t))
        for k, poly in enumerate(cuts, start=1)
    )
    pocket_list = tuple(Pocket(f"pocket-{k}", poly, d) for k, (_, poly, d) in enumerate(pockets, start=1))
    countersinks = _countersinks(cones, round_holes, name)
    notes = []
    if any(c.receives_part for c in inside_cuts):
        notes.append(
            f"slots receiving a part found by width = thickness ± {SLOT_WIDTH_TOLERANCE} mm (geometric rule)"
        )
    return PartFeatures(
        part=name,
        thickness=t,
        outline=outline,
        round_holes=round_holes,
        inside_cuts=inside_cuts,
        pockets=pocket_list,
        label=part.label or name,
        notes=tuple(notes),
        countersinks=countersinks,
    )


def _countersinks(cones: list[_Cone], holes: tuple[RoundHole, ...], name: str) -> tuple[Countersink, ...]:
    """One Countersink per hole with a cone about it (a cone may come as several faces)."""
    by_centre: dict[tuple[float, float], list[_Cone]] = {}
    for c in cones:
        by_centre.setdefault((round(c.x, 6), round(c.y, 6)), []).append(c)
    out = []
    for (x, y), faces in by_centre.items():
        r_top, r_bottom = max(c.r_top for c in faces), min(c.r_bottom for c in faces)
        z_top, z_bottom = max(c.z_top for c in faces), min(c.z_bottom for c in faces)
        # the deepest hole at that centre whose wall the cone meets
        hole = max((h for h in holes if math.hypot(h.x - x, h.y - y) < 1e-6
                    and abs(h.diameter / 2.0 - r_bottom) < 1e-4), key=lambda h: h.depth, default=None)
        if hole is None:
            raise RecognitionError(
                f"{name}: a conical face at ({x:.3f}, {y:.3f}) mm, Ø{2 * r_top:.3f} mm at the top face, "
                f"ends in no round hole of Ø{2 * r_bottom:.3f} mm; only a countersink about a round hole is "
                "accepted (cut for the drill press), other cones are not 2.5D")
        # included angle from the cone's own radii and heights: 2·atan(Δr / Δz)
        angle = math.degrees(2.0 * math.atan2(r_top - r_bottom, z_top - z_bottom))
        out.append(Countersink("", hole.name, hole.x, hole.y, round(2.0 * r_top, 6), round(angle, 6),
                               round(z_top - z_bottom, 6)))
    out.sort(key=lambda c: (round(c.y, 3), round(c.x, 3)))
    return tuple(Countersink(f"countersink-{k}", c.hole, c.x, c.y, c.diameter, c.angle, c.depth)
                 for k, c in enumerate(out, start=1))
