"""Fit dense 2D polylines with straight lines and circular arcs (G1 / G2 / G3).

Shapely offsets and discretised splines arrive as many short chords; a
controller wants few exact moves. :func:`fit_arcs` walks the polyline and
greedily takes the longest run of points that one line or one arc reproduces
within a tolerance, then nudges every junction so that both neighbours fit as
well as possible (which puts the break on a line/arc tangent point when the
input came from one). The fit is deterministic: no randomness, no sets.

Error measure: the distance from every input point *and* every chord midpoint
to the fitted primitive is ≤ ``tolerance`` [mm]; arc end points are input
points and an arc's centre lies on the perpendicular bisector of its chord, so
start and end radius agree exactly (what a controller checks for G2/G3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from osehw.cam.ops.moves import Arc, Line, Move

# How far a fitted tool path may stray from the exact offset [mm]. Half the
# independent verifier's allowances (0.01 mm gouge, 0.01 mm cover: see
# cam/verify/sweep.py), so the verifier's own chord error (0.002 mm) and the
# 0.001 mm resolution of written coordinates never tip an honest path over.
PATH_FIT_TOLERANCE = 0.005

# An arc may sweep at most half a turn: a full circle becomes ≥ 2 arcs and the
# three-point circle fit stays well conditioned.
MAX_SWEEP = math.pi
_EPS = 1e-9
_JUNCTION_SHIFT = 6  # how many points a junction may move while refining


@dataclass(frozen=True)
class Seg:
    """One piece of a fitted 2D path, from (x0, y0) to (x1, y1) [mm].

    ``centre`` is None for a straight line; otherwise the arc's centre, the arc
    running clockwise (G2) or counter-clockwise (G3) from start to end.
    """

    x0: float
    y0: float
    x1: float
    y1: float
    centre: tuple[float, float] | None = None
    clockwise: bool = False

    @property
    def is_arc(self) -> bool:
        return self.centre is not None

    @property
    def radius(self) -> float:
        """Arc radius [mm] (0 for a line)."""
        if self.centre is None:
            return 0.0
        return math.hypot(self.x0 - self.centre[0], self.y0 - self.centre[1])

    @property
    def sweep(self) -> float:
        """Angle the arc turns through [rad], in (0, 2π]; 0 for a line."""
        if self.centre is None:
            return 0.0
        cx, cy = self.centre
        a0 = math.atan2(self.y0 - cy, self.x0 - cx)
        a1 = math.atan2(self.y1 - cy, self.x1 - cx)
        d = (a0 - a1) if self.clockwise else (a1 - a0)
        d = d % (2 * math.pi)
        return d if d > 1e-12 else 2 * math.pi

    @property
    def length(self) -> float:
        """Path length [mm]."""
        if self.centre is None:
            return math.hypot(self.x1 - self.x0, self.y1 - self.y0)
        return self.radius * self.sweep


def path_length(segs: Sequence[Seg]) -> float:
    """Total length [mm] of a sequence of segments."""
    return float(sum(s.length for s in segs))


def point_at(seg: Seg, t: float) -> tuple[float, float]:
    """Point at distance ``t`` [mm] along ``seg`` from its start."""
    if seg.centre is None:
        length = seg.length
        f = 0.0 if length == 0 else t / length
        return (seg.x0 + f * (seg.x1 - seg.x0), seg.y0 + f * (seg.y1 - seg.y0))
    cx, cy = seg.centre
    r = seg.radius
    a0 = math.atan2(seg.y0 - cy, seg.x0 - cx)
    a = a0 - t / r if seg.clockwise else a0 + t / r
    return (cx + r * math.cos(a), cy + r * math.sin(a))


def sub_seg(seg: Seg, t0: float, t1: float) -> Seg:
    """The part of ``seg`` between distances ``t0`` and ``t1`` [mm] from its start."""
    length = seg.length
    p0 = (seg.x0, seg.y0) if t0 <= 0 else point_at(seg, t0)
    p1 = (seg.x1, seg.y1) if t1 >= length else point_at(seg, t1)
    return Seg(p0[0], p0[1], p1[0], p1[1], seg.centre, seg.clockwise)


def seg_moves(segs: Sequence[Seg], z: float | Callable[[float], float], feed: float) -> list[Move]:
    """Line/Arc moves following ``segs`` at depth ``z`` and ``feed`` [mm/min].

    ``z`` is a height [mm] or a function of the path length [mm] from the start
    of ``segs`` to the end of each segment; z changes linearly along a segment
    (a helix on an arc), so a caller wanting a kink splits the segment there.
    Arcs carry i, j = centre − start, as G2/G3 in incremental-IJ form expect.
    """
    out: list[Move] = []
    s = 0.0
    for seg in segs:
        s += seg.length
        zz = float(z(s)) if callable(z) else float(z)
        if seg.centre is None:
            out.append(Line(seg.x1, seg.y1, zz, feed))
        else:
            out.append(Arc(seg.x1, seg.y1, zz, seg.centre[0] - seg.x0, seg.centre[1] - seg.y0,
                           seg.clockwise, feed))
    return out


# ---------------------------------------------------------------- fitting

@dataclass(frozen=True)
class _Fit:
    kind: str  # "line" | "arc"
    err: float
    centre: tuple[float, float] | None = None
    clockwise: bool = False


def _line_fit(p: np.ndarray, a: int, b: int, tol: float) -> _Fit | None:
    pts = p[a:b + 1]
    d = pts[-1] - pts[0]
    length = math.hypot(d[0], d[1])
    if length < 1e-12:
        return None
    u = d / length
    rel = pts - pts[0]
    along = rel @ u
    # the path must run forward along the line (no doubling back inside a run)
    if along.size > 2 and (np.diff(along).min() < -tol or along.min() < -tol or along.max() > length + tol):
        return None
    err = float(np.abs(rel[:, 0] * u[1] - rel[:, 1] * u[0]).max())
    return _Fit("line", err) if err <= tol else None


def _arc_geometry(a_pt: np.ndarray, b_pt: np.ndarray, h: float) -> tuple[np.ndarray, float]:
    """Centre and radius of the arc through a_pt, b_pt bulging by sagitta h (left > 0)."""
    chord = b_pt - a_pt
    half = 0.5 * math.hypot(chord[0], chord[1])
    nrm = np.array([-chord[1], chord[0]]) / (2 * half)
    r = (half * half + h * h) / (2 * abs(h))
    centre = 0.5 * (a_pt + b_pt) + nrm * (h - math.copysign(r, h))
    return centre, r


def _arc_fit(p: np.ndarray, a: int, b: int, tol: float) -> _Fit | None:
    pts = p[a:b + 1]
    if len(pts) < 3:
        return None
    a_pt, b_pt = pts[0], pts[-1]
    chord = b_pt - a_pt
    half = 0.5 * math.hypot(chord[0], chord[1])
    if half < 1e-9:
        return None
    nrm = np.array([-chord[1], chord[0]]) / (2 * half)
    mids = 0.5 * (pts[1:] + pts[:-1])
    steps = np.hypot(*np.diff(pts, axis=0).T)
    cum = np.concatenate([[0.0], np.cumsum(steps)])
    m = int(np.argmin(np.abs(cum - cum[-1] / 2)))
    if m in (0, len(pts) - 1):
        return None
    pm = pts[m]
    # three-point circle through start, middle and end: its sagitta starts the search
    ax, ay = a_pt
    bx, by = pm - a_pt
    cx, cy = b_pt - a_pt
    den = 2 * (bx * cy - by * cx)
    if abs(den) < 1e-15:
        return None
    ux = (cy * (bx * bx + by * by) - by * (cx * cx + cy * cy)) / den
    uy = (bx * (cx * cx + cy * cy) - cx * (bx * bx + by * by)) / den
    centre0 = np.array([ax + ux, ay + uy])
    r0 = math.hypot(ux, uy)
    d = float((centre0 - 0.5 * (a_pt + b_pt)) @ nrm)
    side = 1.0 if float((pm - a_pt) @ nrm) > 0 else -1.0
    h0 = side * r0 + d
    if abs(h0) > half * (1 + 1e-9):  # more than half a turn
        return None
    if abs(h0) < 1e-12:  # no bulge: a straight run, which the line fit takes
        return None

    # err_of runs up to 42 times per candidate run (the search below): the points and chord midpoints go
    # in one array, and the centre is _arc_geometry's in scalar arithmetic (the same operations in the
    # same order, so the same bits), to spare numpy's per-call overhead on these short arrays
    probe_x, probe_y = np.concatenate([pts[:, 0], mids[:, 0]]), np.concatenate([pts[:, 1], mids[:, 1]])
    mid_x, mid_y = 0.5 * (float(a_pt[0]) + float(b_pt[0])), 0.5 * (float(a_pt[1]) + float(b_pt[1]))
    nrm_x, nrm_y = float(nrm[0]), float(nrm[1])

    def err_of(h: float) -> float:
        r = (half * half + h * h) / (2 * abs(h))
        k = h - math.copysign(r, h)
        return float(np.abs(np.hypot(probe_x - (mid_x + nrm_x * k), probe_y - (mid_y + nrm_y * k)) - r).max())

    h, err = h0, err_of(h0)
    if err > tol:
        # minimax over the sagitta: golden-section search near the 3-point value
        lo, hi = h0 - 2 * tol, h0 + 2 * tol
        if h0 > 0:
            lo = max(lo, 1e-12)
        else:
            hi = min(hi, -1e-12)
        g = (math.sqrt(5) - 1) / 2
        x1, x2 = hi - g * (hi - lo), lo + g * (hi - lo)
        f1, f2 = err_of(x1), err_of(x2)
        for _ in range(40):
            if f1 <= f2:
                hi, x2, f2 = x2, x1, f1
                x1 = hi - g * (hi - lo)
                f1 = err_of(x1)
            else:
                lo, x1, f1 = x1, x2, f2
                x2 = lo + g * (hi - lo)
                f2 = err_of(x2)
        h, err = (x1, f1) if f1 <= f2 else (x2, f2)
        if err > tol or abs(h) > half * (1 + 1e-9):
            return None
    centre, _ = _arc_geometry(a_pt, b_pt, h)
    clockwise = h > 0  # bulging to the left of the chord means turning right
    sweep = 4 * math.atan(abs(h) / half)
    if sweep > MAX_SWEEP + 1e-9:
        return None
    ang = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    sgn = -1.0 if clockwise else 1.0
    u = np.mod(sgn * (ang - ang[0]) + _EPS, 2 * math.pi) - _EPS
    if np.diff(u).min() < -_EPS or abs(u[-1] - sweep) > 1e-6:
        return None  # points do not run monotonically along the arc
    return _Fit("arc", err, (float(centre[0]), float(centre[1])), clockwise)


def _fit_kind(p: np.ndarray, a: int, b: int, tol: float, kind: str) -> _Fit | None:
    return _line_fit(p, a, b, tol) if kind == "line" else _arc_fit(p, a, b, tol)


def _best_fit(p: np.ndarray, a: int, b: int, tol: float) -> _Fit | None:
    return _line_fit(p, a, b, tol) or _arc_fit(p, a, b, tol)


def _extend(pred: Callable[[int], bool], first: int, end: int) -> int | None:
    """Largest b in [first, end] with pred(b), by doubling then bisection."""
    if first > end or not pred(first):
        return None
    good, step, bad = first, 1, None
    while good < end:
        cand = min(good + step, end)
        if pred(cand):
            good, step = cand, step * 2
        else:
            bad = cand
            break
    if bad is None:
        return good
    while bad - good > 1:
        mid = (good + bad) // 2
        if pred(mid):
            good = mid
        else:
            bad = mid
    return good


def _greedy(p: np.ndarray, start: int, end: int, tol: float) -> tuple[list[int], list[str]]:
    breaks, kinds = [start], []
    a = start
    while a < end:
        bl = _extend(lambda b: _line_fit(p, a, b, tol) is not None, a + 1, end)
        ba = _extend(lambda b: _arc_fit(p, a, b, tol) is not None, a + 2, end)
        if bl is None and ba is None:  # cannot happen for distinct points; guard anyway
            bl = a + 1
        if ba is not None and (bl is None or ba > bl):
            kinds.append("arc")
            a = ba
        else:
            kinds.append("line")
            a = bl  # type: ignore[assignment]
        breaks.append(a)
    return breaks, kinds


def _refine(p: np.ndarray, breaks: list[int], kinds: list[str], tol: float, closed: bool, n: int) -> None:
    """Move each junction a few points to minimise the worse of its two fits."""
    m = len(kinds)
    junctions = range(m) if closed and m > 1 else range(1, m)
    for j in junctions:
        if j == 0:
            a, c = breaks[m - 1] - n, breaks[1]
            k1, k2, cur = kinds[m - 1], kinds[0], breaks[0]
        else:
            a, c = breaks[j - 1], breaks[j + 1]
            k1, k2, cur = kinds[j - 1], kinds[j], breaks[j]
        lo = max(a + (1 if k1 == "line" else 2), cur - _JUNCTION_SHIFT)
        hi = min(c - (1 if k2 == "line" else 2), cur + _JUNCTION_SHIFT)
        best: tuple[float, float, int, int] | None = None
        for jj in range(lo, hi + 1):
            f1 = _fit_kind(p, a, jj, tol, k1)
            f2 = _fit_kind(p, jj, c, tol, k2)
            if f1 is None or f2 is None:
                continue
            key = (max(f1.err, f2.err), f1.err + f2.err, abs(jj - cur), jj)
            if best is None or key < best:
                best = key
        if best is not None:
            jj = best[3]
            if j == 0:
                breaks[0] = jj
                breaks[m] = jj + n
            else:
                breaks[j] = jj


def _clean(points: Sequence[tuple[float, float]], closed: bool) -> np.ndarray:
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(p) == 0:
        return p
    keep = np.concatenate([[True], np.hypot(*np.diff(p, axis=0).T) > 1e-9])
    p = p[keep]
    if closed and len(p) > 1 and math.hypot(*(p[0] - p[-1])) <= 1e-9:
        p = p[:-1]
    return p


def fit_arcs(points: Sequence[tuple[float, float]], tolerance: float = 0.01, closed: bool = False) -> list[Seg]:
    """Fit lines and circular arcs to a dense polyline.

    Parameters
    ----------
    points : (x, y) vertices [mm]; for ``closed`` the ring may or may not
        repeat its first point.
    tolerance : largest distance [mm] from any input point or chord midpoint
        to the fitted path.
    closed : treat the points as a ring; the result starts and ends at the
        same point (chosen by the fit, at a corner if the ring has one).

    Returns
    -------
    Segments in input order. Collinear runs become one line, circular runs one
    arc (at most half a turn each, so a full circle gives two or more arcs).
    """
    if tolerance <= 0:
        raise ValueError(f"fit_arcs: tolerance must be > 0 mm, got {tolerance}")
    p = _clean(points, closed)
    if closed:
        n = len(p)
        if n < 3:
            raise ValueError(f"fit_arcs: a closed ring needs ≥ 3 distinct points, got {n}")
        # start at the sharpest corner so no primitive straddles the seam
        e_in = p - np.roll(p, 1, axis=0)
        e_out = np.roll(p, -1, axis=0) - p
        turn = np.abs(np.arctan2(e_in[:, 0] * e_out[:, 1] - e_in[:, 1] * e_out[:, 0],
                                 (e_in * e_out).sum(axis=1)))
        start = int(np.argmax(np.round(turn, 9)))
        q = np.concatenate([p, p, p, p, p[:1]])  # room to move the seam either way
        s0 = n + start
        breaks, kinds = _greedy(q, s0, s0 + n, tolerance)
        m = len(kinds)
        if m > 2:
            # the seam may split one primitive (a ring with no sharp corner starts
            # inside an arc): merge the last and first pieces where one fits both
            for kind in dict.fromkeys((kinds[0], kinds[-1])):
                if _fit_kind(q, breaks[m - 1] - n, breaks[1], tolerance, kind) is not None:
                    breaks = [breaks[m - 1] - n] + breaks[1:m]
                    kinds = [kind] + kinds[1:m - 1]
                    break
        _refine(q, breaks, kinds, tolerance, True, n)
        return _segs(q, breaks, kinds, tolerance)
    if len(p) < 2:
        return []
    breaks, kinds = _greedy(p, 0, len(p) - 1, tolerance)
    _refine(p, breaks, kinds, tolerance, False, len(p))
    return _segs(p, breaks, kinds, tolerance)


def _segs(p: np.ndarray, breaks: list[int], kinds: list[str], tol: float) -> list[Seg]:
    out: list[Seg] = []
    for a, b, kind in zip(breaks[:-1], breaks[1:], kinds):
        f = _fit_kind(p, a, b, tol, kind) or _best_fit(p, a, b, tol)
        x0, y0 = (float(v) for v in p[a])
        x1, y1 = (float(v) for v in p[b])
        if f is None or f.kind == "line":
            out.append(Seg(x0, y0, x1, y1))
        else:
            out.append(Seg(x0, y0, x1, y1, f.centre, f.clockwise))
    return out
