"""Placing part-frame toolpaths on a sheet, and walking moves into resolved segments.

A part's operations are generated in the part's own XY frame; nesting then
says where each part instance sits on the sheet: rotate about the part-frame
origin by ``rotation`` [deg] counter-clockwise, then translate by (x, y) [mm].
The same rigid motion is applied to toolpaths (:func:`place_operation`) and
to outlines (:func:`place_polygon`), so both stay in register.

Rapid and Line moves may leave a coordinate as None ("keep the current
value"). Rotation mixes X and Y, so a move that sets only X cannot be rotated
on its own: :func:`place_operation` tracks the current part-frame position and
writes both X and Y of every move that moves in XY. Before any position is
known (the first moves of an operation), a quarter turn still maps a lone
coordinate exactly (X goes to ±Y or stays X); any other angle raises
:class:`PlacementError`. Z is never changed: the sheet keeps Z = 0 at the
stock top.

:func:`walk` turns a move list into segments whose start and end are fully
known, which the DXF and SVG writers (and anything else that wants geometry,
not commands) share; :func:`final_pass_runs` picks the stretches cut at an
operation's final depth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal, Sequence

from shapely import affinity
from shapely.geometry import Polygon

from osehw.cam.ops.moves import Arc, Line, Move, Operation, Rapid
from osehw.core.errors import OsehwError

# Two points closer than this are the same point [mm]; far below any
# post-processor's output resolution (0.001 mm) yet above float noise.
POINT_TOL = 1e-6


class PlacementError(OsehwError, ValueError):
    """A move cannot be placed on the sheet (names the part, feature and move)."""


def _rotation_terms(rotation: float) -> tuple[float, float]:
    """cos and sin of ``rotation`` [deg], exact for quarter turns.

    Exact 0/±1 keeps a part turned by 90° free of 6e-17 noise, so its
    coordinates print the same as a hand calculation.
    """
    quarter = rotation / 90.0
    if math.isclose(quarter, round(quarter), rel_tol=0.0, abs_tol=1e-12):
        return [(1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0)][int(round(quarter)) % 4]
    rad = math.radians(rotation)
    return math.cos(rad), math.sin(rad)


def _map_xy(
    x: float | None,
    y: float | None,
    cur: tuple[float | None, float | None],
    cs: tuple[float, float],
    offset: tuple[float, float],
    where: str,
) -> tuple[float | None, float | None]:
    """Map a (possibly partial) part-frame XY target to the sheet frame."""
    if x is None and y is None:
        return None, None
    px = x if x is not None else cur[0]
    py = y if y is not None else cur[1]
    c, s = cs
    if px is not None and py is not None:
        return c * px - s * py + offset[0], s * px + c * py + offset[1]
    # One coordinate is still unknown (no position yet): only a quarter turn
    # maps the known one without the other.
    if s == 0.0:
        return (c * px + offset[0] if px is not None else None,
                c * py + offset[1] if py is not None else None)
    if c == 0.0:
        return (-s * py + offset[0] if py is not None else None,
                s * px + offset[1] if px is not None else None)
    raise PlacementError(
        f"{where}: a move sets only {'X' if px is not None else 'Y'} before the tool's XY "
        "position is known, so it cannot be rotated by a non-quarter-turn angle; "
        "start the operation with a full XY rapid")


def place_operation(op: Operation, *, x: float, y: float, rotation: float) -> Operation:
    """Return ``op`` moved from its part frame onto the sheet.

    Parameters
    ----------
    op : the operation in the part's frame.
    x, y : where the part-frame origin lands on the sheet [mm].
    rotation : counter-clockwise turn about the part-frame origin, applied
        before the translation [deg].

    Arc centres (i, j) are offsets, so they rotate but do not translate;
    a rotation keeps the direction of travel, so G2/G3 stay as they are.
    """
    cs = _rotation_terms(rotation)
    c, s = cs
    offset = (x, y)
    cur: tuple[float | None, float | None] = (None, None)
    out: list[Move] = []
    for index, move in enumerate(op.moves):
        where = f"{op.part}: feature '{op.feature}' ({op.kind}) move {index}"
        if isinstance(move, Arc):
            nx, ny = _map_xy(move.x, move.y, cur, cs, offset, where)
            out.append(replace(move, x=nx, y=ny, i=c * move.i - s * move.j, j=s * move.i + c * move.j))
            cur = (move.x, move.y)
        elif isinstance(move, (Rapid, Line)):
            nx, ny = _map_xy(move.x, move.y, cur, cs, offset, where)
            out.append(replace(move, x=nx, y=ny))
            cur = (move.x if move.x is not None else cur[0], move.y if move.y is not None else cur[1])
        else:
            raise PlacementError(f"{where}: unknown move type {type(move).__name__}")
    return replace(op, moves=tuple(out))


def place_polygon(poly: Polygon, *, x: float, y: float, rotation: float) -> Polygon:
    """Return ``poly`` turned by ``rotation`` [deg] CCW about the origin, then moved by (x, y) [mm]."""
    c, s = _rotation_terms(rotation)
    # shapely's affine matrix [a, b, d, e, xoff, yoff]: x' = a·x + b·y + xoff, y' = d·x + e·y + yoff
    return affinity.affine_transform(poly, [c, -s, s, c, x, y])


# --------------------------------------------------------------------------- walking

Point3 = tuple[float, float, float]


@dataclass(frozen=True)
class Segment:
    """One move with both ends known.

    kind: "rapid" | "line" | "arc". For arcs, ``centre`` is the XY centre and
    ``sweep`` the signed angle [rad] (positive counter-clockwise; a full
    circle is ±2π).
    """

    kind: Literal["rapid", "line", "arc"]
    start: Point3
    end: Point3
    centre: tuple[float, float] | None = None
    sweep: float = 0.0

    @property
    def xy_length(self) -> float:
        """Length of the segment's projection on XY [mm]."""
        if self.kind == "arc" and self.centre is not None:
            r = math.hypot(self.start[0] - self.centre[0], self.start[1] - self.centre[1])
            return abs(self.sweep) * r
        return math.hypot(self.end[0] - self.start[0], self.end[1] - self.start[1])

    @property
    def radius(self) -> float:
        """Arc radius measured at the start [mm] (0 for lines)."""
        if self.centre is None:
            return 0.0
        return math.hypot(self.start[0] - self.centre[0], self.start[1] - self.centre[1])


def arc_sweep(start: tuple[float, float], end: tuple[float, float], centre: tuple[float, float],
              clockwise: bool) -> float:
    """Signed sweep [rad] of an XY arc; coincident ends mean a full circle (G2/G3 convention)."""
    a0 = math.atan2(start[1] - centre[1], start[0] - centre[0])
    a1 = math.atan2(end[1] - centre[1], end[0] - centre[0])
    if math.hypot(end[0] - start[0], end[1] - start[1]) < POINT_TOL:
        return -2.0 * math.pi if clockwise else 2.0 * math.pi
    if clockwise:
        return -((a0 - a1) % (2.0 * math.pi))
    return (a1 - a0) % (2.0 * math.pi)


Position = tuple[float | None, float | None, float | None]


def walk(moves: Sequence[Move], start: Position = (None, None, None)) -> tuple[list[Segment], Position]:
    """Resolve ``moves`` into segments with known ends, and return the end position.

    A rapid made before the full position is known (the first rapid of a
    program) yields no segment; a cutting move then is an error, since the
    material it would cut is unknown.
    """
    cx, cy, cz = start
    segments: list[Segment] = []
    for index, move in enumerate(moves):
        nx = move.x if move.x is not None else cx
        ny = move.y if move.y is not None else cy
        nz = move.z if move.z is not None else cz
        known = cx is not None and cy is not None and cz is not None
        if isinstance(move, Rapid):
            if known and nx is not None and ny is not None and nz is not None:
                segments.append(Segment("rapid", (cx, cy, cz), (nx, ny, nz)))  # type: ignore[arg-type]
        elif not known:
            raise PlacementError(f"move {index} cuts before the tool position is known: {move}")
        elif isinstance(move, Line):
            segments.append(Segment("line", (cx, cy, cz), (nx, ny, nz)))  # type: ignore[arg-type]
        elif isinstance(move, Arc):
            centre = (cx + move.i, cy + move.j)  # type: ignore[operator]
            sweep = arc_sweep((cx, cy), (move.x, move.y), centre, move.clockwise)  # type: ignore[arg-type]
            segments.append(Segment("arc", (cx, cy, cz), (move.x, move.y, move.z), centre, sweep))  # type: ignore[arg-type]
        cx, cy, cz = nx, ny, nz
    return segments, (cx, cy, cz)


def final_pass_runs(segments: Sequence[Segment], z_tol: float = 1e-4) -> list[list[Segment]]:
    """Stretches of cutting at an operation's final depth.

    A run starts where the tool first reaches the deepest Z of ``segments``
    and ends at the next rapid (or the end). Moves inside a run that rise
    above that depth (holding tabs) stay in it, so a run traces the whole
    final contour; the caller can tell tabs by their Z. Earlier, shallower
    passes and the ramps into the final pass are left out. A plunge that
    reaches the depth and leaves straight up (a drilled hole) gives a
    zero-length run at the hole's centre.
    """
    cuts = [s for s in segments if s.kind != "rapid"]
    if not cuts:
        return []
    z_min = min(min(s.start[2], s.end[2]) for s in cuts)
    runs: list[list[Segment]] = []
    current: list[Segment] | None = None
    arrival: Segment | None = None

    def close() -> None:
        if current and any(seg.xy_length >= POINT_TOL for seg in current):
            runs.append(_trim_retract(current, z_min, z_tol))
        elif arrival is not None and arrival.xy_length >= POINT_TOL:
            # a helix or ramp that ends at depth with no pass after it: its
            # last turn is the final pass
            runs.append([arrival])
        elif arrival is not None:
            runs.append([Segment("line", arrival.end, arrival.end)])
        elif current:
            runs.append(_trim_retract(current, z_min, z_tol))

    for seg in segments:
        if seg.kind == "rapid":
            if current is not None:
                close()
            current, arrival = None, None
            continue
        if current is None:
            if seg.start[2] <= z_min + z_tol:
                current, arrival = [seg], None
            elif seg.end[2] <= z_min + z_tol:
                # the move that arrives at depth (plunge or ramp) is not part of the pass
                current, arrival = [], seg
            continue
        current.append(seg)
    if current is not None:
        close()
    return runs


def _trim_retract(run: list[Segment], z_min: float, z_tol: float) -> list[Segment]:
    """Drop the pure-Z retract that closes a run, keeping a point for drills."""
    trimmed = list(run)
    while trimmed and trimmed[-1].xy_length < POINT_TOL and trimmed[-1].end[2] > z_min + z_tol:
        trimmed.pop()
    if not trimmed:
        p = run[0].start
        return [Segment("line", p, p)]
    return trimmed
