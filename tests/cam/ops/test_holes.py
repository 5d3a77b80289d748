"""Round holes: peck drilling, helical boring, plunging and refusal (numbers by hand)."""

from __future__ import annotations

import math

import pytest

from osehw.cam.ops.feeds import feeds_and_speeds
from osehw.cam.ops.holes import drill_point_length, hole_operation
from osehw.cam.ops.moves import Arc, Line
from osehw.cam.ops.profile import ManufacturabilityError
from osehw.cam.recognise.features import RoundHole
from osehw.cam.shop import load_machines, load_tools
from osehw.cam.transform import walk
from osehw.catalog import materials

TOOLS = load_tools()
MACHINE = load_machines()["grbl-hobby-800"]
PLYWOOD = materials()["plywood"]


def make(hole: RoundHole, through: bool = False, material=PLYWOOD):
    return hole_operation("gusset", hole, tools=TOOLS, machine=MACHINE, material=material, safe_z=5.0,
                          feeds_for=lambda t: feeds_and_speeds(MACHINE, t, material), through=through)


def test_drilled_hole_is_vertical_pecks_at_the_centre() -> None:
    op = make(RoundHole("h1", 40.0, 25.0, 5.0, 8.0))
    assert (op.kind, op.tool, op.depth) == ("drill", "drill-5", 8.0)
    segments, end = walk(op.moves)
    assert end == (40.0, 25.0, 5.0)
    # After the first rapid over the hole, nothing moves in XY.
    assert all(s.start[:2] == (40.0, 25.0) and s.end[:2] == (40.0, 25.0) for s in segments)
    assert min(s.end[2] for s in segments) == pytest.approx(-8.0)
    # Peck = the drill's step-down: 5 × 0.75 = 3.75 mm → ceil(8 / 3.75) = 3 equal pecks.
    fs = feeds_and_speeds(MACHINE, TOOLS["drill-5"], PLYWOOD)
    drilling = [m for m in op.moves if isinstance(m, Line) and m.feed == fs.plunge]
    assert [m.z for m in drilling] == pytest.approx([-8 / 3, -16 / 3, -8.0])
    # Back down the open hole (G1, never a rapid below the top) to 0.5 mm above the last bottom.
    returns = [m for m in op.moves if isinstance(m, Line) and m.feed == fs.feed]
    assert [m.z for m in returns] == pytest.approx([-8 / 3 + 0.5, -16 / 3 + 0.5])
    assert all(s.end[2] >= 0.0 for s in segments if s.kind == "rapid")
    # The drill comes down to +1 mm above the stock, and clears chips there after each peck.
    assert sum(1 for s in segments if s.kind == "rapid" and s.end[2] == pytest.approx(1.0)) == 1 + 3


def test_through_drill_adds_the_point_length() -> None:
    # 118° point: (5 / 2) / tan(59°) = 1.5021 mm
    assert drill_point_length(TOOLS["drill-5"]) == pytest.approx(2.5 / math.tan(math.radians(59)))
    op = make(RoundHole("h1", 0.0, 0.0, 5.0, 12.3), through=True)
    assert op.depth == pytest.approx(12.3 + 1.50214, abs=1e-4)


def test_thirty_mm_hole_is_helical_bored_with_the_quarter_inch_mill() -> None:
    depth = 12.3  # 12 mm plywood + 0.3 mm breakthrough
    op = make(RoundHole("bore", 100.0, 75.0, 30.0, depth), through=True)
    assert (op.kind, op.tool) == ("helical_bore", "em-6.35-2f-up")
    arcs = [m for m in op.moves if isinstance(m, Arc)]
    segments, _ = walk(op.moves)
    arc_segs = [s for s in segments if s.kind == "arc"]
    radius = (30.0 - 6.35) / 2  # 11.825 mm
    for s in arc_segs:
        assert s.centre == pytest.approx((100.0, 75.0))
        assert s.radius == pytest.approx(radius)
        assert math.hypot(s.end[0] - 100.0, s.end[1] - 75.0) == pytest.approx(radius)
    # Pitch ≤ step-down 4.7625: ceil(12.3 / 4.7625) = 3 turns of 4.1 mm, as 6 half turns,
    # then two full circles (4 half turns) at depth.
    assert len(arcs) == 6 + 4
    assert [a.z for a in arcs[:6]] == pytest.approx([-depth * k / 6 for k in range(1, 7)])
    assert all(a.z == pytest.approx(-depth) for a in arcs[6:])
    # Climb in plywood: counter-clockwise (G3) round the wall.
    assert not any(a.clockwise for a in arcs)
    # Helix enters from the stock top, never a straight plunge into material.
    first_arc = next(i for i, s in enumerate(segments) if s.kind == "arc")
    assert segments[first_arc].start[2] == pytest.approx(0.0)
    assert all(s.end[2] >= 0.0 for s in segments[:first_arc])


def test_hole_the_size_of_an_end_mill_is_plunged() -> None:
    op = make(RoundHole("pin", 10.0, 10.0, 6.35, 6.0))
    assert (op.kind, op.tool) == ("drill", "em-6.35-2f-up")
    segments, _ = walk(op.moves)
    assert all(s.end[:2] == (10.0, 10.0) for s in segments)


def test_bolt_hole_between_tool_sizes_bores_with_the_largest_smaller_mill() -> None:
    op = make(RoundHole("bolt", 0.0, 0.0, 6.5, 6.0))
    assert (op.kind, op.tool) == ("helical_bore", "em-6.35-2f-up")
    segments, _ = walk(op.moves)
    assert {round(s.radius, 6) for s in segments if s.kind == "arc"} == {0.075}
    op = make(RoundHole("m4", 0.0, 0.0, 4.2, 6.0))
    assert (op.kind, op.tool) == ("helical_bore", "em-3.175-2f-up")


def test_blind_hole_wider_than_two_tools_is_pocketed() -> None:
    op = make(RoundHole("recess", 50.0, 50.0, 30.0, 3.0))
    assert op.kind == "pocket" and op.feature == "recess" and op.tool == "em-6.35-2f-up"


def test_hole_smaller_than_every_tool_is_refused() -> None:
    with pytest.raises(ManufacturabilityError) as err:
        make(RoundHole("h3", 5.0, 5.0, 1.5, 6.35))
    assert str(err.value) == "gusset: hole 'h3' Ø1.5 mm is smaller than every tool (smallest 3.175 mm)"
