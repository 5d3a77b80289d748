"""Profile toolpaths: cut along a through outline, outside a part or inside an opening.

One :func:`profile_operation` turns a shapely outline into an
:class:`~osehw.cam.ops.moves.Operation`: tool-radius offset on the waste side
(shapely round-join buffer, discretised finely enough that :func:`fit_arcs`
recovers exact G2/G3 arcs), climb or conventional direction, equal depth
passes entered by a shallow ramp along the path, holding tabs on outside
profiles and dogbone relief at corners the tool cannot reach.
"""

from __future__ import annotations

import bisect
import math
from typing import Literal

import shapely
from shapely.geometry import LinearRing, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from osehw.cam.ops.arcfit import (
    PATH_FIT_TOLERANCE,
    Seg,
    fit_arcs,
    path_length,
    point_at,
    seg_moves,
    sub_seg,
)
from osehw.cam.ops.dogbone import add_dogbones, relief_corners
from osehw.cam.ops.moves import Line, Move, Operation, Rapid
from osehw.cam.ops.tabs import MAX_TAB_HEIGHT, TabLayout, tab_layout
from osehw.cam.shop import FeedsAndSpeeds, Material, Tool
from osehw.core.errors import OsehwError

# Chord error allowed when shapely discretises the tool-radius arcs [mm]; the
# arc fit then snaps those chords back onto exact circles.
CHORD_ERROR = 0.002
# Ramp entry angle. Harvey Performance ("Ramping to Success", In The Loupe)
# suggests starting ramp angles of 3–10° for soft / non-ferrous materials;
# 5° sits inside that for plywood, HDPE and aluminium alike.
RAMP_ANGLE_DEG = 5.0
# The short descent after a tab: it cuts only tab_height of material, so a
# steeper ramp keeps the tab compact while still avoiding a vertical plunge.
TAB_RAMP_ANGLE_DEG = 30.0


def tab_gap_limit(tool_diameter: float) -> float:
    """Longest uncut stretch of an outline [mm] the proof accepts as a tab: tabs.py caps a tab at 3 tool
    diameters and lifts the tool for tab + 1 diameter; the tool comes back down on the
    TAB_RAMP_ANGLE_DEG ramp from at most MAX_TAB_HEIGHT. (Here, not in cam/job.py, so that
    ``osehw verify`` reads it without importing the CAM job and CadQuery.)"""
    return 4.0 * tool_diameter + MAX_TAB_HEIGHT / math.tan(math.radians(TAB_RAMP_ANGLE_DEG))


ENTRY_Z = 1.0  # rapid down to this height above the stock, then ramp [mm]
_MITRE_LIMIT = 100.0
_EPS = 1e-7


class ManufacturabilityError(OsehwError, ValueError):
    """A feature the machine cannot cut as drawn (names part, feature, value and rule)."""


def quad_segs_for(radius: float, chord_error: float = CHORD_ERROR) -> int:
    """Segments per quarter circle so a radius-``radius`` arc has chord error ≤ ``chord_error``.

    Sagitta of a chord subtending θ on radius r: s = r·(1 − cos(θ/2)); with
    θ = (π/2)/q this gives q = ⌈π / (4·acos(1 − s/r))⌉.
    """
    if radius <= chord_error:
        return 4
    return max(8, math.ceil(math.pi / (4 * math.acos(1 - chord_error / radius))))


def path_clockwise(side: Literal["outside", "inside"], climb: bool) -> bool:
    """Direction of the tool-centre path for a clockwise (M3) spindle.

    Climb (down) milling needs the material on the right of the direction of
    travel, i.e. the cutter on the left of the wall: cutter compensation G41
    with M03 is climb milling (P. Smid, *CNC Programming Handbook*, 3rd ed.,
    ch. "Cutter Radius Offset"; Machinery's Handbook, "Milling": climb vs.
    conventional). Going clockwise round a part keeps the part on the right;
    going counter-clockwise inside an opening keeps the surrounding material
    on the right. Conventional milling is the reverse.
    """
    return (side == "outside") == climb


def _parts(geom: BaseGeometry) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon) and not g.is_empty]


def check_reachable(part: str, feature: str, waste: Polygon, tool: Tool, tolerance: float, what: str) -> None:
    """Raise :class:`ManufacturabilityError` if the tool cannot reach all of ``waste``.

    A flat end mill of radius r sweeps exactly the morphological opening of
    the region it may move in (erode by r, dilate by r). Round-join opening
    also rounds every sharp convex corner, which is expected (and what dogbones
    fix); mitre-join opening keeps sharp corners, so whatever the mitre opening
    loses is a part of the region narrower than the tool: a gap, a slot, a neck.
    """
    r = tool.diameter / 2
    q = quad_segs_for(r)
    eroded = waste.buffer(-r, quad_segs=q)
    regions = _parts(eroded)
    if not regions:
        radius = shapely.maximum_inscribed_circle(waste, tolerance).length
        raise ManufacturabilityError(
            f"{part}: {what} '{feature}' is at most {2 * radius:.2f} mm wide, narrower than tool "
            f"'{tool.id}' Ø{tool.diameter:.3f} mm (an end mill cannot cut a gap narrower than its diameter)")
    if len(regions) > 1:
        raise ManufacturabilityError(
            f"{part}: {what} '{feature}' has a neck narrower than tool '{tool.id}' Ø{tool.diameter:.3f} mm: "
            f"the tool's reachable area splits into {len(regions)} pieces (one closed profile cannot cut it)")
    opened = waste.buffer(-r, join_style="mitre", mitre_limit=_MITRE_LIMIT).buffer(
        r, join_style="mitre", mitre_limit=_MITRE_LIMIT)
    lost = waste.difference(opened)
    for comp in sorted(_parts(lost), key=lambda g: (-g.area, g.centroid.x, g.centroid.y)):
        if comp.area < tolerance * tolerance:
            continue
        depth = max(opened.distance(Point(c)) for c in comp.exterior.coords)
        if depth > tolerance:
            radius = shapely.maximum_inscribed_circle(comp, tolerance).length
            if radius <= tolerance:
                # a slit no wider than twice the tolerance: where a drawing's curves meet
                # within its gap tolerance, not a feature anyone could cut or would want
                continue
            c = comp.representative_point()
            raise ManufacturabilityError(
                f"{part}: {what} '{feature}' has a gap about {2 * radius:.2f} mm wide near "
                f"({c.x:.1f}, {c.y:.1f}) mm, narrower than tool '{tool.id}' Ø{tool.diameter:.3f} mm "
                f"({depth:.2f} mm of it would stay uncut)")


def profile_path(part: str, feature: str, boundary: Polygon, *, side: Literal["outside", "inside"], tool: Tool,
                 climb: bool, dogbones: bool = False, fit_allowance: float = 0.0,
                 tolerance: float = 0.01, fit_tolerance: float = PATH_FIT_TOLERANCE) -> tuple[list[Seg], int]:
    """Closed tool-centre path for a profile, fitted with lines and arcs.

    Returns the segments (starting at the start of the longest straight
    segment, oriented for climb/conventional) and the number of dogbones.
    """
    r = tool.diameter / 2
    outline = Polygon(boundary.exterior)
    cut = outline.buffer(fit_allowance, join_style="mitre", mitre_limit=_MITRE_LIMIT) if fit_allowance else outline
    if not isinstance(cut, Polygon) or cut.is_empty:
        raise ManufacturabilityError(f"{part}: '{feature}' vanishes with fit allowance {fit_allowance} mm")
    if side == "outside":
        x0, y0, x1, y1 = cut.bounds
        m = 3 * tool.diameter
        waste = box(x0 - m, y0 - m, x1 + m, y1 + m).difference(cut)
        check_reachable(part, feature, waste, tool, tolerance, "outline")
        centre_region = cut.buffer(r, quad_segs=quad_segs_for(r))
    else:
        check_reachable(part, feature, cut, tool, tolerance, "opening")
        centre_region = cut.buffer(-r, quad_segs=quad_segs_for(r))
    ring = LinearRing(centre_region.exterior.coords)
    want_cw = path_clockwise(side, climb)
    coords = list(ring.coords)[:-1]
    if ring.is_ccw == want_cw:
        coords.reverse()
    n_bones = 0
    if dogbones:
        coords, n_bones = add_dogbones(coords, relief_corners(cut, side), r)
    segs = fit_arcs(coords, fit_tolerance, closed=True)
    lines = [(-s.length, i) for i, s in enumerate(segs) if not s.is_arc]
    k = min(lines)[1] if lines else 0
    return segs[k:] + segs[:k], n_bones


# ------------------------------------------------------------ depth schedule

_Piece = tuple[float, float, float, float]  # (s0, s1, z0, z1): z linear in path length s


def _nominal(perimeter: float, depth: float, n_passes: int, ramp_slope: float) -> list[_Piece]:
    """Ramp + level pieces of every pass along the developed path.

    Each pass ramps down along the path from the previous level; a ramp longer
    than the path takes whole laps (shallower still). After the last pass the
    tool runs over the last ramp again at full depth so the whole ring is cut.
    """
    pieces: list[_Piece] = []
    s, z_prev, last_ramp = 0.0, ENTRY_Z, 0.0
    for k in range(1, n_passes + 1):
        z = -depth * k / n_passes
        ramp = (z_prev - z) / ramp_slope
        if ramp > perimeter:
            ramp = math.ceil(ramp / perimeter - 1e-9) * perimeter
        pieces.append((s, s + ramp, z_prev, z))
        lap_end = math.ceil((s + ramp) / perimeter - 1e-9) * perimeter
        if lap_end - (s + ramp) > _EPS:
            pieces.append((s + ramp, lap_end, z, z))
        s = lap_end
        z_prev, last_ramp = z, ramp
    clean = min(last_ramp, perimeter)
    pieces.append((s, s + clean, z_prev, z_prev))
    return pieces


def _tab_pieces(layout: TabLayout, perimeter: float, total: float, depth: float) -> list[_Piece]:
    """Tab-top pieces (the path may not go below them) for every lap of the path."""
    z_top = -depth + layout.height
    descent = layout.height / math.tan(math.radians(TAB_RAMP_ANGLE_DEG))
    out: list[_Piece] = []
    for lap in range(int(total // perimeter) + 2):
        for c in layout.centres:
            a = lap * perimeter + c - layout.lift_length / 2
            b = a + layout.lift_length
            if a > total or b + descent < 0:
                continue
            out.append((a, b, z_top, z_top))
            out.append((b, b + descent, z_top, -depth))
    return sorted(out)


def _z_on(pieces: list[_Piece], s: float, mid: float) -> float | None:
    """z at ``s`` of the pieces covering ``mid`` (the highest where several overlap)."""
    best: float | None = None
    for s0, s1, z0, z1 in pieces:
        if s0 - _EPS <= mid <= s1 + _EPS:
            z = z0 if s1 - s0 < _EPS else z0 + (z1 - z0) * (s - s0) / (s1 - s0)
            best = z if best is None else max(best, z)
    return best


def _schedule_moves(segs: list[Seg], nominal: list[_Piece], tabs: list[_Piece], feeds: FeedsAndSpeeds) -> list[Move]:
    perimeter = path_length(segs)
    cum = [0.0]
    for s in segs:
        cum.append(cum[-1] + s.length)
    total = nominal[-1][1]
    cuts = {0.0, total}
    for s0, s1, _, _ in nominal + tabs:
        cuts.update(x for x in (s0, s1) if 0 < x < total)
    for lap in range(int(total // perimeter) + 1):
        cuts.update(lap * perimeter + c for c in cum if 0 < lap * perimeter + c < total)
    points: list[float] = []
    for x in sorted(cuts):
        if not points or x - points[-1] > _EPS:
            points.append(x)
    points[-1] = total

    def z_of(u: float, v: float) -> tuple[float, float, float | None]:
        mid = (u + v) / 2
        nu, nv = _z_on(nominal, u, mid), _z_on(nominal, v, mid)
        tu, tv = _z_on(tabs, u, mid), _z_on(tabs, v, mid)
        assert nu is not None and nv is not None
        if tu is None or tv is None:
            return nu, nv, None
        du, dv = nu - tu, nv - tv
        cross = u + (v - u) * du / (du - dv) if du * dv < 0 else None
        return max(nu, tu), max(nv, tv), cross

    intervals: list[tuple[float, float]] = []
    for u, v in zip(points[:-1], points[1:]):
        zu, zv, cross = z_of(u, v)
        if cross is not None and u + _EPS < cross < v - _EPS:
            intervals += [(u, cross), (cross, v)]
        else:
            intervals.append((u, v))

    # consecutive intervals on one segment with one z slope and feed become one move
    runs: list[list] = []  # [seg index, lap, t0, t1, z0, z1, lift_before]
    z_cur = ENTRY_Z
    for u, v in intervals:
        zu, zv, _ = z_of(u, v)
        lap = math.floor((u + _EPS) / perimeter)
        pu, pv = u - lap * perimeter, v - lap * perimeter
        k = min(max(bisect.bisect_right(cum, pu + _EPS) - 1, 0), len(segs) - 1)
        lift = abs(zu - z_cur) > 1e-6
        prev = runs[-1] if runs else None
        if (prev is not None and not lift and prev[0] == k and prev[1] == lap
                and abs(prev[3] - (pu - cum[k])) < 1e-6
                and abs((prev[5] - prev[4]) * (pv - pu) - (zv - zu) * (prev[3] - prev[2])) < 1e-9
                and (prev[5] < prev[4] - 1e-9) == (zv < zu - 1e-9)):
            prev[3], prev[5] = pv - cum[k], zv
        else:
            runs.append([k, lap, pu - cum[k], pv - cum[k], zu, zv, lift])
        z_cur = zv

    x, y = segs[0].x0, segs[0].y0
    z_cur = ENTRY_Z
    moves: list[Move] = []
    for k, _, t0, t1, zu, zv, lift in runs:
        if lift:
            moves.append(Line(x, y, zu, feeds.plunge if zu < z_cur else feeds.feed))
        piece = sub_seg(segs[k], t0, t1)
        moves += seg_moves([piece], zv, feeds.plunge if zv < zu - 1e-9 else feeds.feed)
        x, y, z_cur = piece.x1, piece.y1, zv
    return moves


def profile_operation(part: str, feature: str, boundary: Polygon, *, side: Literal["outside", "inside"],
                      depth: float, tool: Tool, feeds: FeedsAndSpeeds, material: Material, safe_z: float,
                      tabs: bool = False, tab_width: float | None = None, tab_height: float | None = None,
                      dogbones: bool = False, fit_allowance: float = 0.0, tolerance: float = 0.01) -> Operation:
    """Cut along ``boundary``'s exterior ring, outside a part or inside an opening.

    Parameters
    ----------
    part, feature : names used in the operation and in error messages.
    boundary : outline in the sheet frame [mm]; only its exterior ring is cut.
    side : "outside": tool centre offset outward by the tool radius (part is
        ``boundary``); "inside": offset inward (``boundary`` is an opening).
    depth : final depth below the stock top [mm] (thickness + breakthrough for
        through cuts); cut in ⌈depth / feeds.stepdown⌉ equal passes.
    tool, feeds, material : end mill, its feeds and speeds, and the material
        (``material.climb`` picks climb or conventional milling).
    safe_z : clearance height [mm]; the path starts and ends there.
    tabs : leave holding tabs (outside profiles only); ``tab_width`` (bridge
        width at the part [mm]) and ``tab_height`` (above the cut's bottom
        [mm]) default from the part's size (:func:`osehw.cam.ops.tabs.tab_size`).
    dogbones : relieve sharp corners the tool cannot reach (slots receiving a
        part, roots of finger joints).
    fit_allowance : [mm] the cut geometry is grown by this much before the
        tool offset (sharp corners kept): positive makes an outside profile's
        part bigger and an inside opening bigger; negative shrinks them.
    tolerance : [mm] how much uncut material a gap or neck narrower than the
        tool may leave before the cut is refused (the path itself is fitted
        within ``PATH_FIT_TOLERANCE``).

    Raises
    ------
    ManufacturabilityError : the opening or an outline gap is narrower than
        the tool, or the depth exceeds the tool's flute length.
    """
    if side not in ("outside", "inside"):
        raise ValueError(f"{part}: '{feature}': side must be 'outside' or 'inside', got {side!r}")
    if tool.kind not in ("flat", "ball"):
        raise ManufacturabilityError(
            f"{part}: '{feature}': profiles need an end mill, tool '{tool.id}' is a {tool.kind}")
    if depth <= 0:
        raise ValueError(f"{part}: '{feature}': depth must be > 0 mm, got {depth}")
    if depth > tool.flute_length:
        raise ManufacturabilityError(
            f"{part}: '{feature}': depth {depth:.2f} mm exceeds tool '{tool.id}' flute length "
            f"{tool.flute_length:.2f} mm")
    if feeds.stepdown <= 0:
        raise ValueError(f"{part}: '{feature}': step-down must be > 0 mm, got {feeds.stepdown}")
    segs, _ = profile_path(part, feature, boundary, side=side, tool=tool, climb=material.climb,
                           dogbones=dogbones, fit_allowance=fit_allowance, tolerance=tolerance)
    perimeter = path_length(segs)
    n_passes = max(1, math.ceil(depth / feeds.stepdown - 1e-9))
    nominal = _nominal(perimeter, depth, n_passes, math.tan(math.radians(RAMP_ANGLE_DEG)))
    tab_pieces: list[_Piece] = []
    if tabs and side == "outside":
        x0, y0, x1, y1 = boundary.bounds
        layout = tab_layout(segs, max(x1 - x0, y1 - y0), tool.diameter, depth, width=tab_width, height=tab_height)
        if 0 < layout.height < depth and layout.centres:
            tab_pieces = _tab_pieces(layout, perimeter, nominal[-1][1], depth)
    start = point_at(segs[0], 0.0)
    moves: list[Move] = [Rapid(start[0], start[1], safe_z), Rapid(start[0], start[1], ENTRY_Z)]
    moves += _schedule_moves(segs, nominal, tab_pieces, feeds)
    moves.append(Rapid(None, None, safe_z))
    return Operation(kind=f"profile_{side}", part=part, feature=feature, tool=tool.id, depth=depth,
                     moves=tuple(moves), spindle_rpm=feeds.rpm)
