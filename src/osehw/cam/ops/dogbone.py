"""Dogbone relief: let a round end mill reach the sharp inside corners of a cut.

A tool of radius r sitting in a corner whose free (waste-side) wedge has the
angle φ < 180° touches both walls when its centre is on the wedge bisector at
distance r / sin(φ/2) from the corner point V (the right triangle centre–
tangent point–V has the angle φ/2 at V, the opposite leg r and the hypotenuse
|centre − V|; the same relation gives a circle inscribed in an angle, e.g.
Bronshtein & Semendyayev, *Handbook of Mathematics*, plane trigonometry).
There it leaves a fillet of material and the mating part's square corner will
not seat. Moving the centre on along the bisector by

    d = r / sin(φ/2) − r = r · (1 / sin(φ/2) − 1)        (r·(√2 − 1) at 90°)

brings the tool's edge exactly to V; the tool then backs out the same way.
This is the classic "dogbone" fillet of CNC joinery (e.g. Filson & Rohrbacher,
*Design for CNC*, 2017, the dogbone and T-bone relief figures).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np
from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

# Vertices that turn less than this are treated as a discretised curve, not a
# sharp corner, and get no relief (a 150° wedge would need only 0.035·r).
MIN_CORNER_TURN_DEG = 30.0


@dataclass(frozen=True)
class Corner:
    """A sharp corner of a cut the tool cannot reach.

    vertex: the corner point V [mm]; bisector: unit vector from V into the
    waste wedge; angle: the waste wedge's angle φ [deg].
    """

    vertex: tuple[float, float]
    bisector: tuple[float, float]
    angle: float

    def tool_corner(self, radius: float) -> tuple[float, float]:
        """Tool centre where it first touches both walls [mm]: V + u·r/sin(φ/2)."""
        k = radius / math.sin(math.radians(self.angle) / 2)
        return (self.vertex[0] + self.bisector[0] * k, self.vertex[1] + self.bisector[1] * k)

    def relief_end(self, radius: float) -> tuple[float, float]:
        """Tool centre whose edge touches V [mm]: V + u·r."""
        return (self.vertex[0] + self.bisector[0] * radius, self.vertex[1] + self.bisector[1] * radius)


def relief_corners(cut: Polygon, side: Literal["outside", "inside"],
                   min_turn_deg: float = MIN_CORNER_TURN_DEG) -> list[Corner]:
    """Sharp corners of ``cut``'s exterior ring that lie in a waste wedge < 180°.

    ``side`` "inside": the waste is the polygon itself (an opening), so its
    convex vertices need relief. "outside": the waste surrounds the polygon (a
    part), so its reflex vertices do (e.g. the roots of finger joints).
    """
    ring = np.asarray(orient(Polygon(cut.exterior), 1.0).exterior.coords)[:-1]
    e_in = ring - np.roll(ring, 1, axis=0)
    e_out = np.roll(ring, -1, axis=0) - ring
    e_in /= np.hypot(*e_in.T)[:, None]
    e_out /= np.hypot(*e_out.T)[:, None]
    turn = np.arctan2(e_in[:, 0] * e_out[:, 1] - e_in[:, 1] * e_out[:, 0], (e_in * e_out).sum(axis=1))
    want = 1.0 if side == "inside" else -1.0  # CCW ring: left turns are convex vertices
    out: list[Corner] = []
    for v, t, a, b in zip(ring, turn, e_in, e_out):
        if want * t < math.radians(min_turn_deg):
            continue
        u = b - a  # bisector of the wedge the path turns into: the waste wedge here
        u /= math.hypot(*u)
        out.append(Corner((float(v[0]), float(v[1])), (float(u[0]), float(u[1])),
                          math.degrees(math.pi - abs(float(t)))))
    return out


def add_dogbones(path: Sequence[tuple[float, float]], corners: Sequence[Corner], radius: float,
                 match_tol: float = 1e-4) -> tuple[list[tuple[float, float]], int]:
    """Insert an out-and-back relief move at each corner the tool-centre ring has.

    ``path`` is the tool-centre ring (shapely offset of the cut by ``radius``)
    without its closing point. A corner is relieved where the ring has a vertex
    at :meth:`Corner.tool_corner` (within ``match_tol`` [mm]); corners whose
    walls are too short to hold the tool have no such vertex and are skipped.
    Returns the new ring and the number of reliefs added.
    """
    pts = [(float(x), float(y)) for x, y in path]
    if not pts:
        return pts, 0
    arr = np.asarray(pts)
    insert: dict[int, tuple[float, float]] = {}
    for c in corners:
        tc = c.tool_corner(radius)
        d = np.hypot(arr[:, 0] - tc[0], arr[:, 1] - tc[1])
        i = int(np.argmin(d))
        if d[i] <= match_tol and i not in insert:
            insert[i] = c.relief_end(radius)
    out: list[tuple[float, float]] = []
    for i, p in enumerate(pts):
        out.append(p)
        if i in insert:
            out.extend([insert[i], p])
    return out, len(insert)
