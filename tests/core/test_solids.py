import math

import pytest

from osehw.core.solids import (
    exact_box,
    plate,
    points_on_rectangle,
    ring_groove,
    z_extent,
)


def rounded_rect_area(x: float, y: float, d: float) -> float:
    """A rectangle grown by d with round corners: x·y + perimeter·d + π·d²."""
    return x * y + 2 * (x + y) * d + math.pi * d * d


def test_ring_groove_volume_matches_hand_area_times_depth():
    g = ring_groove(100, 50, 1.0, 4.0, 2.0, top=12.7)
    expected = (rounded_rect_area(100, 50, 5.0) - rounded_rect_area(100, 50, 1.0)) * 2.0
    assert g.Volume() == pytest.approx(expected, rel=1e-9)
    assert z_extent(g) == pytest.approx((10.7, 12.7), abs=1e-9)


def test_points_on_rectangle_spacing_and_corners():
    pts = points_on_rectangle(100, 50, 40)
    # 100/40 → 3 gaps, 50/40 → 2 gaps: 2·(3 + 2) = 10 points, all four corners present
    assert len(pts) == 10
    for corner in [(-50, -25), (50, -25), (50, 25), (-50, 25)]:
        assert corner in pts
    gaps = [math.dist(pts[i], pts[(i + 1) % len(pts)]) for i in range(len(pts))]
    assert max(gaps) <= 40 + 1e-9
    assert min(gaps) == pytest.approx(25.0)


def test_exact_box_is_not_padded_by_tolerances():
    p = plate(80, 40, 12.7).faces(">Z").workplane().pushPoints([(0, 0)]).hole(10).val()
    assert exact_box(p) == pytest.approx((-40, -20, 0, 40, 20, 12.7), abs=1e-9)
