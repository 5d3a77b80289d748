"""Arc fitting: exact circles back from chords, lines from collinear runs, tolerance kept."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import Point, box

from osehw.cam.ops.arcfit import (
    Seg,
    fit_arcs,
    path_length,
    point_at,
    seg_moves,
    sub_seg,
)
from osehw.cam.ops.moves import Arc, Line


def _dist(seg: Seg, x: float, y: float) -> float:
    """Distance [mm] from (x, y) to a line segment or an arc (hand-rolled, independent of the fit)."""
    if seg.centre is None:
        dx, dy = seg.x1 - seg.x0, seg.y1 - seg.y0
        t = max(0.0, min(1.0, ((x - seg.x0) * dx + (y - seg.y0) * dy) / (dx * dx + dy * dy)))
        return math.hypot(seg.x0 + t * dx - x, seg.y0 + t * dy - y)
    cx, cy = seg.centre
    a0 = math.atan2(seg.y0 - cy, seg.x0 - cx)
    a = math.atan2(y - cy, x - cx)
    d = ((a0 - a) if seg.clockwise else (a - a0)) % (2 * math.pi)
    if d <= seg.sweep + 1e-12:
        return abs(math.hypot(x - cx, y - cy) - seg.radius)
    return min(math.hypot(x - seg.x0, y - seg.y0), math.hypot(x - seg.x1, y - seg.y1))


def _max_deviation(segs: list[Seg], pts: list[tuple[float, float]], closed: bool) -> float:
    nxt = pts[1:] + (pts[:1] if closed else [])
    probes = pts + [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for a, b in zip(pts, nxt)]
    return max(min(_dist(s, x, y) for s in segs) for x, y in probes)


def _continuous(segs: list[Seg], closed: bool) -> bool:
    pairs = zip(segs, segs[1:] + (segs[:1] if closed else []))
    return all(math.hypot(a.x1 - b.x0, a.y1 - b.y0) < 1e-9 for a, b in pairs)


def test_discretised_circle_becomes_arcs_of_the_right_length() -> None:
    ring = list(Point(5, -3).buffer(20, quad_segs=64).exterior.coords)  # 256 chords
    segs = fit_arcs(ring, 0.01, closed=True)
    assert len(segs) >= 2
    assert all(s.is_arc for s in segs)
    for s in segs:
        assert s.centre == pytest.approx((5, -3), abs=1e-6)
        assert s.radius == pytest.approx(20, abs=1e-6)
    assert path_length(segs) == pytest.approx(2 * math.pi * 20, abs=0.01)
    assert _continuous(segs, closed=True)


def test_square_becomes_four_lines() -> None:
    segs = fit_arcs(list(box(0, 0, 10, 10).exterior.coords), 0.01, closed=True)
    assert len(segs) == 4
    assert not any(s.is_arc for s in segs)
    assert [s.length for s in segs] == pytest.approx([10, 10, 10, 10])
    assert _continuous(segs, closed=True)


def test_collinear_run_is_one_line() -> None:
    pts = [(float(x), 2.0 * x + 1.0) for x in np.linspace(0, 10, 51)]
    segs = fit_arcs(pts, 0.01)
    assert segs == [Seg(0.0, 1.0, 10.0, 21.0)]


def test_rounded_rectangle_gives_lines_and_tangent_arcs() -> None:
    # 100 x 50 rectangle offset by 3.175 with round joins: 4 lines + 4 quarter arcs
    ring = list(box(0, 0, 100, 50).buffer(3.175, quad_segs=23).exterior.coords)
    segs = fit_arcs(ring, 0.01, closed=True)
    lines = sorted(s.length for s in segs if not s.is_arc)
    arcs = [s for s in segs if s.is_arc]
    assert lines == pytest.approx([50, 50, 100, 100], abs=1e-9)
    assert len(arcs) == 4
    assert all(s.radius == pytest.approx(3.175, abs=1e-9) for s in arcs)
    assert all(s.sweep == pytest.approx(math.pi / 2, abs=1e-9) for s in arcs)
    centres = [v for s in sorted(arcs, key=lambda s: (round(s.centre[0]), round(s.centre[1]))) for v in s.centre]
    assert centres == pytest.approx([0, 0, 0, 50, 100, 0, 100, 50], abs=1e-9)
    assert path_length(segs) == pytest.approx(300 + 2 * math.pi * 3.175, abs=1e-9)


def test_biarc_s_curve_is_recovered() -> None:
    # quarter arc R=30 about (0,0) counter-clockwise from (0,-30) to (30,0), then a tangent
    # quarter arc R=10 about (40,0) clockwise from (30,0) to (40,10)
    a = np.linspace(-math.pi / 2, 0, 200)
    b = np.linspace(math.pi, math.pi / 2, 80)[1:]
    pts = [(30 * math.cos(t), 30 * math.sin(t)) for t in a] + [(40 + 10 * math.cos(t), 10 * math.sin(t)) for t in b]
    segs = fit_arcs(pts, 0.01)
    assert len(segs) == 2
    s1, s2 = segs
    assert (s1.centre, s1.radius, s1.clockwise) == (pytest.approx((0, 0), abs=1e-6), pytest.approx(30), False)
    assert (s2.centre, s2.radius, s2.clockwise) == (pytest.approx((40, 0), abs=1e-6), pytest.approx(10), True)
    assert (s1.x1, s1.y1) == pytest.approx((30, 0), abs=1e-9)
    assert path_length(segs) == pytest.approx(math.pi / 2 * (30 + 10), abs=1e-6)


def test_spline_fit_respects_tolerance_at_every_point() -> None:
    # parabola y = x²/50 over x ∈ [-50, 50] (the rib's spline edge), 2001 points
    xs = np.linspace(-50, 50, 2001)
    pts = [(float(x), float(x * x / 50)) for x in xs]
    tol = 0.01
    segs = fit_arcs(pts, tol)
    assert _max_deviation(segs, pts, closed=False) <= tol + 1e-12
    # no line soup: 2001 points become a handful of arcs (a line only where the curve is flat)
    assert len(segs) < 20
    assert sum(s.is_arc for s in segs) >= len(segs) - 2
    assert _continuous(segs, closed=False)
    # arc length of y = x²/50: ∫ √(1 + (x/25)²) dx = x/2·√(1+(x/25)²) + 12.5·asinh(x/25)
    exact = 2 * (25 * math.sqrt(5) + 12.5 * math.asinh(2))
    assert path_length(segs) == pytest.approx(exact, abs=0.02)


def test_closed_ellipse_tolerance_and_determinism() -> None:
    th = np.linspace(0, 2 * math.pi, 1000, endpoint=False)
    pts = [(80 * math.cos(t), 30 * math.sin(t)) for t in th]
    segs = fit_arcs(pts, 0.005, closed=True)
    assert _max_deviation(segs, pts, closed=True) <= 0.005 + 1e-12
    assert _continuous(segs, closed=True)
    assert fit_arcs(pts, 0.005, closed=True) == segs


def test_seg_moves_arc_ij_and_callable_z() -> None:
    segs = [Seg(0, 0, 10, 0), Seg(10, 0, 20, 0, centre=(15, 0), clockwise=True)]
    total = 10 + math.pi * 5
    moves = seg_moves(segs, lambda s: -s / total, 1000.0)
    assert moves[0] == Line(10, 0, -10 / total, 1000.0)
    arc = moves[1]
    assert isinstance(arc, Arc)
    assert (arc.x, arc.y, arc.i, arc.j, arc.clockwise) == (20, 0, 5, 0, True)
    assert arc.z == pytest.approx(-1.0)
    flat = seg_moves(segs, -3.0, 500.0)
    assert [m.z for m in flat] == [-3.0, -3.0]


def test_point_at_and_sub_seg_on_an_arc() -> None:
    # counter-clockwise half circle R=5 about (0,0) from (5,0) to (-5,0)
    s = Seg(5, 0, -5, 0, centre=(0, 0), clockwise=False)
    assert s.length == pytest.approx(5 * math.pi)
    assert point_at(s, 5 * math.pi / 2) == pytest.approx((0, 5))
    half = sub_seg(s, 0, 5 * math.pi / 2)
    assert (half.x1, half.y1) == pytest.approx((0, 5))
    assert half.length == pytest.approx(5 * math.pi / 2)


def test_a_ring_with_no_sharp_corner_is_not_split_at_its_seam() -> None:
    # A stadium whose tool-offset ring starts inside an arc (shapely's buffer does
    # so): at a tight tolerance the seam used to leave one chord as a short line.
    ring = list(box(0, 0, 100, 50).buffer(3.175, quad_segs=23).exterior.coords)[:-1]
    for tol in (0.01, 0.005, 0.003):
        segs = fit_arcs(ring, tol, closed=True)
        assert sorted(round(s.length, 4) for s in segs if not s.is_arc) == [50, 50, 100, 100]
        assert [s.radius for s in segs if s.is_arc] == pytest.approx([3.175] * 4, abs=1e-9)
        assert _max_deviation(segs, ring, closed=True) <= tol + 1e-9
