"""Test helper: the area a tool disc sweeps while cutting at one height, read from an operation's moves."""

import math

import shapely
from shapely.geometry import LineString

from osehw.cam.transform import walk


def swept_at(op, z: float, radius: float):
    """Area the tool disc covers while cutting at height ``z`` (from the moves, arcs discretised)."""
    segments, _ = walk(op.moves)
    pieces = []
    for s in segments:
        if s.kind == "rapid" or abs(s.start[2] - z) > 1e-6 or abs(s.end[2] - z) > 1e-6:
            continue
        if s.kind == "arc":
            cx, cy = s.centre
            a0 = math.atan2(s.start[1] - cy, s.start[0] - cx)
            n = max(8, int(abs(s.sweep) / (math.pi / 256)))
            pts = [(cx + s.radius * math.cos(a0 + s.sweep * k / n), cy + s.radius * math.sin(a0 + s.sweep * k / n))
                   for k in range(n + 1)]
        else:
            pts = [s.start[:2], s.end[:2]]
        if math.dist(pts[0], pts[-1]) < 1e-9 and len(pts) == 2:
            continue
        pieces.append(LineString(pts).buffer(radius, quad_segs=64))
    return shapely.union_all(pieces)
