"""Placing part-frame operations on the sheet, and walking moves into segments."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import box

from osehw.cam.ops.moves import Arc, Line, Operation, Rapid
from osehw.cam.transform import (
    PlacementError,
    arc_sweep,
    final_pass_runs,
    place_operation,
    place_polygon,
    walk,
)


def _op(moves, kind="profile_outside", depth=3.0) -> Operation:
    return Operation(kind=kind, part="gusset", feature="outline", tool="em-6.35", depth=depth, moves=tuple(moves))


# Quarter arc about the part origin: (10, 0) → (0, 10), counter-clockwise, then a
# line that sets only X (Y stays 10).
QUARTER = [
    Rapid(z=5.0),
    Rapid(x=10.0, y=0.0),
    Line(None, None, -3.0, 300.0),
    Arc(x=0.0, y=10.0, z=-3.0, i=-10.0, j=0.0, clockwise=False, feed=1000.0),
    Line(x=-5.0, y=None, z=None, feed=1000.0),
    Rapid(z=5.0),
]


def test_quarter_turn_by_hand():
    placed = place_operation(_op(QUARTER), x=100.0, y=50.0, rotation=90.0)
    m = placed.moves
    # (x, y) → (-y, x) + (100, 50)
    assert m[0] == Rapid(None, None, 5.0)  # Z-only move stays Z-only
    assert m[1] == Rapid(100.0, 60.0, None)  # (10, 0) → (0, 10) → (100, 60)
    assert m[2] == Line(None, None, -3.0, 300.0)
    arc = m[3]
    assert (arc.x, arc.y, arc.z) == (90.0, 50.0, -3.0)  # (0, 10) → (-10, 0) → (90, 50)
    assert (arc.i, arc.j) == (0.0, -10.0)  # offsets rotate, do not translate
    assert arc.clockwise is False
    # centre = start + (i, j) = (100, 50): the part origin, where it was placed
    assert (100.0 + arc.i, 60.0 + arc.j) == (100.0, 50.0)
    # Line(x=-5) at current y=10: (-5, 10) → (-10, -5) → (90, 45); both X and Y are written
    assert (m[4].x, m[4].y, m[4].z) == (90.0, 45.0, None)
    assert placed.part == "gusset" and placed.tool == "em-6.35" and placed.depth == 3.0


def test_rotation_keeps_lengths_radius_and_sweep():
    original, _ = walk(QUARTER)
    placed, _ = walk(place_operation(_op(QUARTER), x=321.5, y=-7.25, rotation=30.0).moves)
    assert [s.kind for s in placed] == [s.kind for s in original]
    for a, b in zip(original, placed):
        assert b.xy_length == pytest.approx(a.xy_length, abs=1e-9)
    arc = placed[1]
    assert arc.kind == "arc"
    assert arc.radius == pytest.approx(10.0, abs=1e-9)
    assert arc.sweep == pytest.approx(math.pi / 2, abs=1e-9)
    assert arc.xy_length == pytest.approx(10.0 * math.pi / 2, abs=1e-9)
    # the arc centre is the placed part origin
    assert arc.centre == pytest.approx((321.5, -7.25), abs=1e-9)


def test_partial_coordinates_before_position_is_known():
    first = [Rapid(x=3.0), Rapid(y=4.0)]
    at0 = place_operation(_op(first), x=10.0, y=20.0, rotation=0.0).moves
    assert at0[0] == Rapid(13.0, None, None)
    assert at0[1] == Rapid(13.0, 24.0, None)  # position known from here on: both written
    # 90°: a lone X becomes a lone Y
    at90 = place_operation(_op(first), x=10.0, y=20.0, rotation=90.0).moves
    assert at90[0] == Rapid(None, 23.0, None)
    assert at90[1] == Rapid(6.0, 23.0, None)  # (3, 4) → (-4, 3) → (6, 23)
    with pytest.raises(PlacementError, match=r"gusset: feature 'outline'.*only X"):
        place_operation(_op(first), x=0.0, y=0.0, rotation=30.0)


def test_clockwise_arc_rotated_180():
    moves = [Rapid(x=0.0, y=0.0, z=1.0), Arc(x=20.0, y=0.0, z=-1.0, i=10.0, j=0.0, clockwise=True, feed=500.0)]
    placed = place_operation(_op(moves), x=50.0, y=50.0, rotation=180.0).moves
    assert placed[0] == Rapid(50.0, 50.0, 1.0)
    assert placed[1] == Arc(x=30.0, y=50.0, z=-1.0, i=-10.0, j=0.0, clockwise=True, feed=500.0)


def test_place_polygon_matches_operation():
    poly = place_polygon(box(0.0, 0.0, 20.0, 10.0), x=100.0, y=50.0, rotation=90.0)
    assert poly.bounds == (90.0, 50.0, 100.0, 70.0)
    assert poly.area == pytest.approx(200.0)


def test_arc_sweep_full_circle_and_directions():
    assert arc_sweep((1.0, 0.0), (1.0, 0.0), (0.0, 0.0), clockwise=False) == pytest.approx(2 * math.pi)
    assert arc_sweep((1.0, 0.0), (1.0, 0.0), (0.0, 0.0), clockwise=True) == pytest.approx(-2 * math.pi)
    assert arc_sweep((1.0, 0.0), (0.0, 1.0), (0.0, 0.0), clockwise=True) == pytest.approx(-1.5 * math.pi)


def test_final_pass_keeps_tabs_and_drops_earlier_passes():
    # square 40 x 40 in two passes (-3, -6); the last pass lifts to -4 for a 10 mm tab on the first edge
    sq = [(40.0, 0.0), (40.0, 40.0), (0.0, 40.0), (0.0, 0.0)]
    moves = [Rapid(z=5.0), Rapid(x=0.0, y=0.0), Line(None, None, -3.0, 300.0)]
    moves += [Line(x, y, -3.0, 1000.0) for x, y in sq]
    moves += [Line(None, None, -6.0, 300.0), Line(15.0, 0.0, -6.0, 1000.0), Line(None, None, -4.0, 300.0),
              Line(25.0, 0.0, -4.0, 1000.0), Line(None, None, -6.0, 300.0)]
    moves += [Line(x, y, -6.0, 1000.0) for x, y in sq]
    moves += [Rapid(z=5.0)]
    segments, end = walk(moves)
    assert end == (0.0, 0.0, 5.0)
    runs = final_pass_runs(segments)
    assert len(runs) == 1
    run = runs[0]
    assert sum(s.xy_length for s in run) == pytest.approx(160.0)  # one lap, not two
    lifted = [s for s in run if s.xy_length > 0 and max(s.start[2], s.end[2]) > -6.0 + 1e-4]
    assert [(s.start[:2], s.end[:2]) for s in lifted] == [((15.0, 0.0), (25.0, 0.0))]


def test_final_pass_of_drill_is_a_point():
    moves = [Rapid(z=5.0), Rapid(x=12.0, y=8.0), Rapid(z=1.0), Line(None, None, -12.5, 200.0), Rapid(z=5.0)]
    runs = final_pass_runs(walk(moves)[0])
    assert len(runs) == 1 and len(runs[0]) == 1
    assert runs[0][0].start == (12.0, 8.0, -12.5) and runs[0][0].xy_length == 0.0


def test_helix_without_cleanup_lap_uses_its_last_turn():
    # two helical turns of radius 5 about (0, 0), down to -8, then straight out
    moves = [Rapid(z=5.0), Rapid(x=5.0, y=0.0), Rapid(z=0.5),
             Arc(5.0, 0.0, -4.0, -5.0, 0.0, False, 800.0), Arc(5.0, 0.0, -8.0, -5.0, 0.0, False, 800.0),
             Rapid(z=5.0)]
    runs = final_pass_runs(walk(moves)[0])
    assert len(runs) == 1 and len(runs[0]) == 1
    turn = runs[0][0]
    assert turn.kind == "arc" and turn.end[2] == -8.0
    assert turn.xy_length == pytest.approx(2.0 * math.pi * 5.0)
