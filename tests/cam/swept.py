"""Test helper: the area a tool disc sweeps while cutting at one height, read from an operation's moves."""

import math

import shapely
from shapely.geometry import LineString

from osehw.cam.transform import walk


def path_points(s) -> list[tuple[float, float]]:
    """A walked segment's XY path: a line's two ends, an arc discretised to π/256 steps (at least 8)."""
    if s.kind != "arc":
        return [s.start[:2], s.end[:2]]
    cx, cy = s.centre
    a0 = math.atan2(s.start[1] - cy, s.start[0] - cx)
    n = max(8, int(abs(s.sweep) / (math.pi / 256)))
    return [(cx + s.radius * math.cos(a0 + s.sweep * k / n), cy + s.radius * math.sin(a0 + s.sweep * k / n))
            for k in range(n + 1)]


def swept_at(op, z: float, radius: float):
    """Area the tool disc covers while cutting at height ``z`` (from the moves, arcs discretised)."""
    segments, _ = walk(op.moves)
    pieces = []
    for s in segments:
        if s.kind == "rapid" or abs(s.start[2] - z) > 1e-6 or abs(s.end[2] - z) > 1e-6:
            continue
        pts = path_points(s)
        if math.dist(pts[0], pts[-1]) < 1e-9 and len(pts) == 2:
            continue
        pieces.append(LineString(pts).buffer(radius, quad_segs=64))
    return shapely.union_all(pieces)


def swept_below_top(op, radius: float) -> list:
    """The tool disc's area along every cutting move that goes below the stock top (Z < 0), a plunge in
    place as the disc itself: one shape per move."""
    segments, _ = walk(op.moves)
    out = []
    for s in segments:
        if s.kind == "rapid" or min(s.start[2], s.end[2]) >= 0:
            continue
        pts = path_points(s)
        out.append(LineString(pts).buffer(radius, quad_segs=64) if math.dist(pts[0], pts[-1]) > 1e-9 or len(pts) > 2
                   else shapely.Point(pts[0]).buffer(radius, quad_segs=64))
    return out
