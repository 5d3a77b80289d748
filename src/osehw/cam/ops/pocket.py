"""Blind pockets cleared by contour-parallel offset passes, with ramped entry.

A pocket region is cleared ring by ring: the first ring runs at the tool
radius inside the boundary (it is also the finish contour), further rings
step inward by the step-over until nothing is left. Each ring is arc-fitted
(G2/G3) within ``tolerance``. Rings are cut innermost first, working out to
the wall, so the finish contour is the last pass of every depth level.

Depth is taken in equal levels no deeper than the material's step-down.
The tool never plunges straight into material: each level starts with a
ramp along the entry ring, descending from the level above (already clear)
at :data:`RAMP_ANGLE_DEG`; a straight feed down is made only through air,
over ground cut at the previous level. Rapids never go below
:data:`CLEARANCE` above the stock top: the verifier cannot know a pocket is
already open there, and a G0 into the stock is what it must refuse.

The swept area is checked before anything is returned: the union of the
tool discs along every ring must cover every point the tool can reach
(the region opened by the tool radius, shrunk by 0.01 mm), else the
step-over is reduced and the rings rebuilt. Convex corners keep a fillet
of the tool radius, and an acute corner the wedge no round tool reaches
(:func:`corner_remnants`); that is geometry, not an error. Any other part of
the region farther than one tool radius from where the tool reaches is
narrower than the tool: a :class:`ManufacturabilityError` names it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from osehw.cam.ops.arcfit import (
    PATH_FIT_TOLERANCE,
    Seg,
    fit_arcs,
    path_length,
    seg_moves,
    sub_seg,
)
from osehw.cam.ops.moves import Line, Move, Operation, Rapid
from osehw.cam.ops.profile import ManufacturabilityError
from osehw.cam.shop import FeedsAndSpeeds, Material, Tool

# Ramp angle for entering material along a ring [deg]. Tool makers' ramping
# guidance (e.g. Harvey Performance, "Ramping to Success": 1-3 deg in hard
# metals, steeper in aluminium and plastics) puts 3 deg inside every range
# the shipped materials need, so one value serves them all.
RAMP_ANGLE_DEG = 3.0
# Height above the stock top (Z = 0) down to which the tool may come by rapid
# [mm]; from there it feeds down at the plunge rate through air it already
# cleared to the level above. Never lower: a G0 below the stock top is a
# rapid plunge to any reader of the program (osehw.cam.verify.program, GCODE_RAPID_LOW)
# and a crash if the pocket were not open after all.
CLEARANCE = 1.0
# Segments per quarter circle for shapely offsets: chord error
# R·(1 - cos(π/64)) ≈ 0.0012·R, 0.006 mm on a 5 mm offset arc; the arc fit
# puts G2/G3 through the vertices, i.e. on the exact offset circle.
QUAD_SEGS = 16
# Uncut area below which a sliver is float noise, not material [mm²].
AREA_EPS = 1e-3
# Coverage is proven for the reachable region shrunk by this [mm].
COVER_TOL = 0.01


@dataclass(frozen=True)
class _Ring:
    """One closed pass: ``coords`` without the repeated closing point."""

    depth_index: int  # 0 = finish contour, larger = farther inside
    coords: tuple[tuple[float, float], ...]


@dataclass
class _Node:
    polygon: Polygon
    index: int
    children: list[_Node]


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    """Non-empty polygon parts of ``geom`` in a fixed order (by lower-left of bounds)."""
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        parts = [geom]
    elif isinstance(geom, MultiPolygon):
        parts = list(geom.geoms)
    else:
        parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]
    parts = [p for p in parts if p.area > AREA_EPS]
    return sorted(parts, key=lambda p: (round(p.bounds[0], 6), round(p.bounds[1], 6), -p.area))


def _inradius(poly: Polygon) -> float:
    """Radius of the largest circle inside ``poly`` [mm] (pole of inaccessibility)."""
    line = shapely.maximum_inscribed_circle(poly, 1e-3)
    return float(line.length)


def _surely_narrower(poly: Polygon, radius: float) -> bool:
    """True when ``poly``'s inradius is certainly below ``radius`` [mm], found cheaply: nothing is left
    of ``poly`` eroded by 0.99 of it. (The erosion's arcs are drawn by chords that lie 0.12 % of the
    distance inside the circle at QUAD_SEGS, far within the 1 % margin.) False says nothing: the
    caller then computes the inradius, which costs far more on a long thin region such as a groove."""
    return radius > 0 and poly.buffer(-0.99 * radius, quad_segs=QUAD_SEGS).is_empty


class _TooNarrowEverywhere(ManufacturabilityError):
    """A pocket no part of which the tool fits into. Its message states the pocket's widest point,
    worked out only when the message is read: the plan tries tools largest first and shows only the
    last one's error, and the inradius of a long thin region is costly."""

    def __init__(self, name: str, region: Polygon, diameter: float) -> None:
        super().__init__(name)
        self._name, self._region, self._diameter = name, region, diameter

    def __str__(self) -> str:
        return (f"{self._name} is narrower than the Ø{self._diameter:g} mm tool everywhere "
                f"(its widest point is Ø{2 * _inradius(self._region):.2f} mm)")

    def __reduce__(self):  # pickled as the plain error with its worded message
        return ManufacturabilityError, (str(self),)


def levels(depth: float, stepdown: float) -> list[float]:
    """Equal depth levels [mm, negative Z] reaching -``depth``, none deeper than ``stepdown`` apart."""
    count = max(1, math.ceil(depth / stepdown - 1e-9))
    return [-depth * (k + 1) / count for k in range(count)]


def _offset_tree(region: Polygon, first: Polygon, radius: float, stepover: float) -> _Node:
    """Nested offset polygons of ``region``: each node's children lie ``stepover`` (or less) inside it.

    Every offset is taken from ``region`` itself (not from the previous
    ring), so arcs stay single arcs instead of gathering vertices with each
    step. A node whose inradius is at most the tool radius is a leaf: the
    pass along its own boundary sweeps all of it. The last step is shortened
    so the innermost ring stays about one tool radius across, rather than a
    tiny loop the ramp would circle many times.
    """

    def grow(poly: Polygon, offset: float, index: int) -> _Node:
        node = _Node(poly, index, [])
        if _surely_narrower(poly, radius):
            return node
        r_in = _inradius(poly)
        if r_in <= radius * (1.0 + 1e-6):
            return node
        step = stepover
        if r_in - stepover <= radius:
            step = min(stepover, max(r_in - radius, 0.5 * min(stepover, radius)))
        shrunk = region.buffer(-(offset + step), quad_segs=QUAD_SEGS)
        for part in _polygons(shrunk):
            # Erosion nests: each piece lies in one node of the level above.
            if not poly.covers(part.representative_point()):
                continue
            # A piece this close to the parent's ring is already swept by it.
            if _surely_narrower(part, radius - step) or step + _inradius(part) <= radius:
                continue
            node.children.append(grow(part, offset + step, index + 1))
        return node

    return grow(first, radius, 0)


def _rings_postorder(node: _Node, climb: bool) -> list[list[_Ring]]:
    """Groups of rings in cutting order: children's groups first, then the node's own rings."""
    groups: list[list[_Ring]] = []
    for child in node.children:
        groups.extend(_rings_postorder(child, climb))
    # With an M3 (clockwise) spindle, climb milling keeps the uncut material
    # on the right of travel: counter-clockwise around an outer ring (material
    # outside it), clockwise around an island. shapely's orient(sign=1) gives
    # exactly that; conventional milling reverses it.
    poly = orient(node.polygon, 1.0 if climb else -1.0)
    own = [_Ring(node.index, tuple(c[:2] for c in ring.coords[:-1])) for ring in poly.interiors]
    own.append(_Ring(node.index, tuple(c[:2] for c in poly.exterior.coords[:-1])))
    groups.append(own)
    return groups


def corner_remnants(region: Polygon, radius: float, max_angle_deg: float = 170.0) -> BaseGeometry:
    """Material a round tool of ``radius`` [mm] must leave in the region's convex corners.

    At a corner of interior angle θ the tool's circle touches both edges at
    r/tan(θ/2) from the vertex; the triangle (vertex, both touch points)
    less that circle is out of reach of any round tool. Corners wider than
    ``max_angle_deg`` leave next to nothing and are skipped.
    """
    pieces = []
    oriented = orient(region, 1.0)  # material on the left of every ring
    for ring in [oriented.exterior, *oriented.interiors]:
        pts = [tuple(c[:2]) for c in ring.coords[:-1]]
        n = len(pts)
        for k in range(n):
            (px, py), (vx, vy), (qx, qy) = pts[k - 1], pts[k], pts[(k + 1) % n]
            ax, ay, bx, by = vx - px, vy - py, qx - vx, qy - vy
            la, lb = math.hypot(ax, ay), math.hypot(bx, by)
            if la < 1e-12 or lb < 1e-12:
                continue
            turn = math.atan2(ax * by - ay * bx, ax * bx + ay * by)  # > 0: left turn = convex corner
            theta = math.pi - turn
            if turn <= 0 or math.degrees(theta) >= max_angle_deg:
                continue
            reach = radius / math.tan(theta / 2.0)
            u1 = (-ax / la, -ay / la)
            u2 = (bx / lb, by / lb)
            t1 = (vx + reach * u1[0], vy + reach * u1[1])
            t2 = (vx + reach * u2[0], vy + reach * u2[1])
            bis = (u1[0] + u2[0], u1[1] + u2[1])
            bl = math.hypot(*bis)
            centre = (vx + bis[0] / bl * radius / math.sin(theta / 2.0),
                      vy + bis[1] / bl * radius / math.sin(theta / 2.0))
            wedge = Polygon([(vx, vy), t1, t2])
            pieces.append(wedge.difference(shapely.Point(centre).buffer(radius, quad_segs=QUAD_SEGS)))
    if not pieces:
        return Polygon()
    return shapely.union_all(pieces).buffer(COVER_TOL).intersection(region)


def _swept(rings: Sequence[_Ring], radius: float) -> BaseGeometry:
    """Area the tool disc covers moving along every ring [mm²]."""
    lines = [LineString(list(r.coords) + [r.coords[0]]) for r in rings]
    return shapely.union_all([ln.buffer(radius, quad_segs=QUAD_SEGS) for ln in lines])


def offset_rings(region: Polygon, radius: float, stepover: float, climb: bool = True,
                 *, part: str = "", feature: str = "") -> tuple[list[list[_Ring]], Polygon | BaseGeometry]:
    """Rings that clear ``region`` with a tool of ``radius`` [mm], and the reachable area.

    Returns (groups of rings in cutting order, the area the tool can reach).
    Raises :class:`ManufacturabilityError` when the tool does not fit, or
    leaves material it cannot reach farther than one radius from its reach.
    """
    name = f"{part}: pocket '{feature}'"
    first = region.buffer(-radius, quad_segs=QUAD_SEGS)
    if first.is_empty or first.area <= 0.0:
        raise _TooNarrowEverywhere(name, region, 2 * radius)
    reach = first.buffer(radius, quad_segs=QUAD_SEGS)
    # Convex corners keep a fillet of the tool radius, sharp ones a wedge
    # (corner_remnants), and tight curves a sliver within one radius of the
    # reach: all unavoidable with a round tool. Anything else left is a part
    # of the region too narrow for the tool to enter.
    stranded = region.difference(reach.buffer(radius, quad_segs=QUAD_SEGS))
    if stranded.area > AREA_EPS:
        stranded = stranded.difference(corner_remnants(region, radius))
    if stranded.area > AREA_EPS:
        c = stranded.representative_point()
        raise ManufacturabilityError(
            f"{name} has {stranded.area:.2f} mm² narrower than the Ø{2 * radius:g} mm tool "
            f"(near x={c.x:.2f}, y={c.y:.2f}): the tool cannot enter there")
    step = stepover
    target = reach.buffer(-COVER_TOL)
    for _attempt in range(6):
        groups: list[list[_Ring]] = []
        for poly in _polygons(first):
            groups.extend(_rings_postorder(_offset_tree(region, poly, radius, step), climb))
        rings = [r for g in groups for r in g]
        uncut = target.difference(_swept(rings, radius))
        if uncut.area <= AREA_EPS:
            return groups, reach
        # Cusps at sharp corners of the inner rings can leave islands when the
        # step-over is large: tighten it and rebuild.
        step *= 0.75
    c = uncut.representative_point()
    raise ManufacturabilityError(
        f"{name}: offset passes leave {uncut.area:.3f} mm² uncut near x={c.x:.2f}, y={c.y:.2f}")


def _start_nearest(segs: list[Seg], at: tuple[float, float]) -> list[Seg]:
    """The closed chain ``segs`` re-started at the segment start nearest ``at`` (ties: first)."""
    k = min(range(len(segs)), key=lambda i: (round(math.dist((segs[i].x0, segs[i].y0), at), 9), i))
    return segs[k:] + segs[:k]


def ramp_then_lap(segs: Sequence[Seg], z_from: float, z_to: float, cut_feed: float,
                  ramp_feed: float) -> tuple[list[Move], tuple[float, float]]:
    """Ramp down along the closed path ``segs`` from ``z_from`` to ``z_to``, then one full lap at ``z_to``.

    The ramp descends at :data:`RAMP_ANGLE_DEG`, lapping the path as often as
    needed; the full lap at depth starts and ends where the ramp reached
    ``z_to``, so the whole path is cut at depth. Returns the moves and the XY
    point where they end.
    """
    perimeter = path_length(segs)
    if perimeter <= 1e-9:
        raise ValueError("ramp_then_lap: the path has no length")
    drop = z_from - z_to
    ramp_len = drop / math.tan(math.radians(RAMP_ANGLE_DEG))
    n = len(segs)
    ramp: list[Seg] = []
    walked = 0.0
    k = 0
    while True:
        seg = segs[k % n]
        if walked + seg.length >= ramp_len - 1e-9:
            cut_at = ramp_len - walked
            if seg.length - cut_at > 1e-6:
                head, tail = sub_seg(seg, 0.0, cut_at), sub_seg(seg, cut_at, seg.length)
                ramp.append(head)
                lap = [tail] + [segs[(k + j) % n] for j in range(1, n)] + [head]
            else:
                ramp.append(seg)
                lap = [segs[(k + j) % n] for j in range(1, n + 1)]
            break
        ramp.append(seg)
        walked += seg.length
        k += 1
    moves = seg_moves(ramp, lambda s: z_from - drop * min(s / ramp_len, 1.0), ramp_feed)
    moves += seg_moves([s for s in lap if s.length > 1e-9], z_to, cut_feed)
    end = lap[-1]
    return moves, (end.x1, end.y1)


def _fit(coords: Sequence[tuple[float, float]], tolerance: float) -> list[Seg]:
    return fit_arcs(list(coords), tolerance=tolerance, closed=True)


def pocket_operation(part: str, feature: str, region: Polygon, *, depth: float, tool: Tool,
                     feeds: FeedsAndSpeeds, material: Material, safe_z: float,
                     tolerance: float = PATH_FIT_TOLERANCE) -> Operation:
    """Clear ``region`` (part frame, mm) to ``depth`` [mm] below the stock top.

    Parameters
    ----------
    part, feature : names used in the operation and in error messages.
    region : the pocket's outline (holes in it are islands left standing).
    depth : final depth [mm], positive.
    tool : a flat end mill; its radius sets the first ring.
    feeds : feed and plunge [mm/min], step-down and step-over [mm].
    material : ``climb`` chooses the ring direction.
    safe_z : clearance height [mm] for rapids.
    tolerance : arc-fit tolerance [mm].

    Returns
    -------
    Operation of kind "pocket", starting and ending at ``safe_z``.
    """
    if depth <= 0:
        raise ValueError(f"{part}: pocket '{feature}' depth {depth} mm must be > 0")
    if tool.kind not in ("flat", "ball"):
        raise ValueError(f"{part}: pocket '{feature}' needs an end mill, not the {tool.kind} '{tool.id}'")
    if depth > tool.flute_length:
        raise ManufacturabilityError(
            f"{part}: pocket '{feature}' is {depth:g} mm deep, more than the {tool.flute_length:g} mm "
            f"flute length of '{tool.id}'")
    radius = tool.diameter / 2.0
    groups, _reach = offset_rings(region, radius, feeds.stepover, material.climb, part=part, feature=feature)
    valid_centres = region.buffer(-radius + 1e-6, quad_segs=QUAD_SEGS)
    # Fit every ring once; each level only re-starts it near the tool.
    fitted = [[_fit(ring.coords, tolerance) for ring in group] for group in groups]
    moves: list[Move] = [Rapid(z=safe_z)]
    position: tuple[float, float] | None = None
    z_prev = 0.0
    for z in levels(depth, feeds.stepdown):
        at_depth = False  # the tool is down at this level
        for group in fitted:
            for ring_segs in group:
                segs = _start_nearest(ring_segs, position or (0.0, 0.0))
                start = (segs[0].x0, segs[0].y0)
                link = LineString([position, start]) if position is not None else None
                if (at_depth and link is not None and link.length <= tool.diameter
                        and valid_centres.covers(link)):
                    # Short link inside the pocket: stay down, cut straight across.
                    moves.append(Line(start[0], start[1], z, feeds.feed))
                    moves.extend(seg_moves(segs, z, feeds.feed))
                    position = (segs[-1].x1, segs[-1].y1)
                    continue
                if at_depth:
                    moves.append(Rapid(z=safe_z))
                moves.append(Rapid(start[0], start[1], None))
                # Rapid only to just above the stock top (z_prev ≤ 0), then feed
                # down through air: this point was cut to z_prev on the level above.
                moves.append(Rapid(z=min(safe_z, CLEARANCE)))
                moves.append(Line(None, None, z_prev, feeds.plunge))
                ramp, position = ramp_then_lap(segs, z_prev, z, feeds.feed, feeds.plunge)
                moves.extend(ramp)
                at_depth = True
        moves.append(Rapid(z=safe_z))
        z_prev = z
    return Operation(kind="pocket", part=part, feature=feature, tool=tool.id, depth=depth,
                     moves=tuple(moves), spindle_rpm=feeds.rpm)


def ring_count(region: Polygon, radius: float, stepover: float) -> int:
    """Number of offset rings (closed passes per depth level) for ``region``."""
    groups, _ = offset_rings(region, radius, stepover)
    return sum(len(g) for g in groups)


__all__ = ["RAMP_ANGLE_DEG", "corner_remnants", "levels", "offset_rings", "pocket_operation", "ramp_then_lap", "ring_count"]
