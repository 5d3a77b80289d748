"""Profile toolpaths: offsets, arcs, passes, ramps, direction, tabs, dogbones, refusals."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import LinearRing, Point, Polygon, box

from osehw.cam.ops.arcfit import point_at
from osehw.cam.ops.moves import Arc, Line, Move, Rapid
from osehw.cam.ops.profile import (
    RAMP_ANGLE_DEG,
    TAB_RAMP_ANGLE_DEG,
    ManufacturabilityError,
    path_clockwise,
    profile_operation,
    profile_path,
)
from osehw.cam.ops.tabs import tab_size
from osehw.cam.shop import FeedsAndSpeeds, Material, Tool

R = 3.175
TOOL = Tool(id="em6", name="6.35 mm 2-flute up-cut", kind="flat", diameter=6.35, flutes=2, flute_length=25.0)
PLY = Material(id="ply", name="plywood", chipload={6.35: (0.28, 0.33)}, max_stepdown_fraction=1.0,
               plunge_fraction=0.3, climb=True,
               density_kg_m3=575.0, heat_transfer_w_m2k=3.5, render_colour=(0.85, 0.7, 0.45))
CONV = PLY.model_copy(update={"climb": False})
FEEDS = FeedsAndSpeeds(rpm=18000, feed=2000.0, plunge=600.0, chipload=0.3, stepdown=6.35, stepover=2.54)
RECT_PATH = 2 * (100 + 50) + 2 * math.pi * R  # rectangle offset by R: 4 edges + 4 quarter arcs


def _op(boundary: Polygon, side: str = "outside", **kw):  # type: ignore[no-untyped-def]
    args = dict(part="panel", feature="outline", side=side, depth=13.0, tool=TOOL, feeds=FEEDS,
                material=PLY, safe_z=5.0)
    args.update(kw)
    return profile_operation(boundary=boundary, **args)  # type: ignore[arg-type]


def _walk(moves: tuple[Move, ...]):  # type: ignore[no-untyped-def]
    """Yield (start xyz, move, xy length) for every cutting move."""
    x = y = z = None
    for m in moves:
        if isinstance(m, Rapid):
            x, y, z = (m.x if m.x is not None else x), (m.y if m.y is not None else y), (m.z if m.z is not None else z)
            continue
        if isinstance(m, Line):
            length = math.hypot(m.x - x, m.y - y)
        else:
            cx, cy = x + m.i, y + m.j
            r0, r1 = math.hypot(x - cx, y - cy), math.hypot(m.x - cx, m.y - cy)
            assert r0 == pytest.approx(r1, abs=1e-9)  # arcs consistent, as a controller checks
            a0, a1 = math.atan2(y - cy, x - cx), math.atan2(m.y - cy, m.x - cx)
            sweep = ((a0 - a1) if m.clockwise else (a1 - a0)) % (2 * math.pi)
            length = r0 * sweep
        yield (x, y, z), m, length
        x, y, z = m.x, m.y, m.z


def test_outside_rectangle_path_passes_and_length() -> None:
    op = _op(box(0, 0, 100, 50))
    assert op.kind == "profile_outside" and op.tool == "em6" and op.depth == 13.0
    segs, _ = profile_path("panel", "outline", box(0, 0, 100, 50), side="outside", tool=TOOL, climb=True)
    lines = sorted(s.length for s in segs if not s.is_arc)
    arcs = [s for s in segs if s.is_arc]
    assert lines == pytest.approx([50, 50, 100, 100], abs=1e-9)
    assert [a.radius for a in arcs] == pytest.approx([R] * 4, abs=1e-9)
    assert sum(s.length for s in segs) == pytest.approx(RECT_PATH, abs=1e-9)
    # 13.0 / 6.35 = 2.05 → 3 equal passes at -13/3, -26/3, -13
    levels = sorted({round(m.z, 9) for s, m, length in _walk(op.moves) if length > 0 and s[2] == m.z},
                    reverse=True)
    assert levels == pytest.approx([-13 / 3, -26 / 3, -13.0])
    # XY cut length: three laps plus the last ramp run again at full depth
    cut = sum(length for _, _, length in _walk(op.moves))
    assert cut == pytest.approx(3 * RECT_PATH + (13 / 3) / math.tan(math.radians(RAMP_ANGLE_DEG)), abs=1e-6)
    # the arcs of the moves are the four corner arcs
    assert {round(math.hypot(m.i, m.j), 6) for m in op.moves if isinstance(m, Arc)} == {R}


def test_start_end_and_ramp_entry() -> None:
    op = _op(box(0, 0, 100, 50))
    first, second, last = op.moves[0], op.moves[1], op.moves[-1]
    assert isinstance(first, Rapid) and first.z == 5.0 and first.x is not None and first.y is not None
    assert second == Rapid(first.x, first.y, 1.0)
    assert isinstance(last, Rapid) and last.z == 5.0
    steps = list(_walk(op.moves))
    (x0, y0, z0), m0, l0 = steps[0]
    # first pass ramps from +1 to -13/3 along the path at the 5° ramp angle, at plunge feed
    assert (z0, m0.z, m0.feed) == (1.0, pytest.approx(-13 / 3), 600.0)
    assert l0 == pytest.approx((1 + 13 / 3) / math.tan(math.radians(5)), abs=1e-9)
    for (_, _, za), m, length in steps:
        if m.z < za - 1e-9:  # every descent is a ramp along the path, never a plunge
            assert length > 0
            assert (za - m.z) / length <= math.tan(math.radians(RAMP_ANGLE_DEG)) + 1e-9
            assert m.feed == 600.0


@pytest.mark.parametrize("material, clockwise", [(PLY, True), (CONV, False)])
def test_direction_climb_and_conventional(material: Material, clockwise: bool) -> None:
    op = _op(box(0, 0, 100, 50), material=material)
    pts = [(m.x, m.y) for m in op.moves if isinstance(m, (Line, Arc))]
    ring = LinearRing(pts[:12])  # first lap
    assert ring.is_ccw is (not clockwise)
    assert {m.clockwise for m in op.moves if isinstance(m, Arc)} == {clockwise}
    # inside an opening climb goes the other way round
    assert path_clockwise("inside", True) is False and path_clockwise("outside", True) is True


def test_tabs_count_size_and_position() -> None:
    op = _op(box(0, 0, 100, 50), tabs=True)
    # default tabs: perimeter 320 mm → 2; width = D + 1 % of 100 mm; height = clamp(13/3, 2, 4) = 4
    width = 6.35 + 1.0
    lift = width + 6.35
    z_tab = -13.0 + 4.0
    on_tab = [(start, m, length) for start, m, length in _walk(op.moves)
              if length > 0 and m.z == pytest.approx(z_tab) and start[2] == pytest.approx(z_tab)]
    assert len(on_tab) == 2
    assert [length for _, _, length in on_tab] == pytest.approx([lift, lift])
    # on straight edges (the long sides), centres at 1/4 and 3/4 of the path from its start
    # at (0, 50 + R): s = P/4 on the top edge, s = 3P/4 on the bottom edge running -X
    p = RECT_PATH
    top_x = p / 4
    bottom_x = 100 - (3 * p / 4 - (150 + math.pi * R))
    centres = sorted(((s[0] + m.x) / 2, m.y) for s, m, _ in on_tab)
    assert centres[0] == pytest.approx((bottom_x, -R))
    assert centres[1] == pytest.approx((top_x, 50 + R))
    for cx, _ in centres:  # away from the corners: ≥ tool diameter + tab width from a vertex
        assert min(cx, 100 - cx) >= 6.35 + width
    # the tool lifts to the tab top only on the last pass (the only one deeper than -9)
    lifts = [m for s, m, length in _walk(op.moves) if length == 0 and m.z > s[2]]
    assert len(lifts) == 2 and all(m.z == pytest.approx(z_tab) for m in lifts)
    # after a tab the tool ramps back down at 30°, not vertically
    descents = [(s, m, length) for s, m, length in _walk(op.moves) if s[2] == pytest.approx(z_tab) and m.z < z_tab]
    assert [length for *_, length in descents] == pytest.approx([4 / math.tan(math.radians(TAB_RAMP_ANGLE_DEG))] * 2)


def test_tab_size_rules() -> None:
    assert tab_size(100, 320, 6.35, 13.0) == (2, pytest.approx(7.35), 4.0)
    assert tab_size(350, 500, 6.35, 13.0)[0] == 4  # larger than 300 mm: at least four
    assert tab_size(600, 2000, 6.35, 6.3)[0] == 7  # one per 300 mm of outline
    assert tab_size(600, 2000, 6.35, 6.3)[1:] == (pytest.approx(6.35 + 6.0), pytest.approx(2.1))
    assert tab_size(3000, 8000, 6.35, 19.0)[1:] == (pytest.approx(3 * 6.35), 4.0)  # capped
    assert tab_size(50, 200, 6.35, 3.3)[2] == pytest.approx(1.65)  # thin stock: at most half the depth


def test_inside_circle_is_arcs_of_offset_radius() -> None:
    hole = Point(50, 50).buffer(15, quad_segs=64)
    op = _op(hole, side="inside", tabs=True)  # tabs are for outside profiles only
    assert op.kind == "profile_inside"
    cuts = [m for m in op.moves if isinstance(m, (Line, Arc))]
    assert all(isinstance(m, Arc) for m in cuts)
    assert all(math.hypot(m.i, m.j) == pytest.approx(15 - R, abs=1e-3) for m in cuts)
    assert all(m.clockwise is False for m in cuts)  # climb inside: counter-clockwise
    assert min(m.z for m in cuts) == pytest.approx(-13.0)


def test_small_hole_ramps_over_several_laps() -> None:
    hole = Point(0, 0).buffer(5, quad_segs=64)  # Ø10: tool centre circle r = 1.825, 11.5 mm round
    op = _op(hole, side="inside")
    for (_, _, za), m, length in _walk(op.moves):
        if m.z < za - 1e-9:
            assert (za - m.z) / length <= math.tan(math.radians(RAMP_ANGLE_DEG)) + 1e-9
    assert min(m.z for m in op.moves if isinstance(m, Arc)) == pytest.approx(-13.0)


def test_narrow_opening_is_refused_with_names() -> None:
    with pytest.raises(ManufacturabilityError) as e:
        _op(box(0, 0, 40, 5), side="inside", part="gusset", feature="slot1")
    msg = str(e.value)
    assert "gusset" in msg and "slot1" in msg and "5.00 mm" in msg and "6.350" in msg
    # a wide window with a 5 mm wide, 20 mm long dead-end slot: that slot cannot be cut
    window = box(0, 0, 40, 20).union(box(40, 7.5, 60, 12.5))
    with pytest.raises(ManufacturabilityError, match=r"rib: opening 'win' has a gap about 5.00 mm"):
        _op(window, side="inside", part="rib", feature="win")
    # finger gap narrower than the tool on an outside profile
    fingers = Polygon([(0, 0), (100, 0), (100, 50), (55, 50), (55, 35), (50, 35), (50, 50), (0, 50)])
    with pytest.raises(ManufacturabilityError, match="panel: outline 'outline'"):
        _op(fingers)


def test_dogbones_reach_slot_corners() -> None:
    slot = box(10, 10, 22, 50)  # 12 mm wide slot receiving a 12 mm panel
    corners = [(10, 10), (22, 10), (22, 50), (10, 50)]
    op = _op(slot, side="inside", dogbones=True)
    ends = [(m.x, m.y) for m in op.moves if isinstance(m, Line)]
    for cx, cy in corners:
        # the tool circle at the relief's end touches the corner point: centre at distance R
        d = min(math.hypot(x - cx, y - cy) for x, y in ends)
        assert d == pytest.approx(R, abs=0.01)
    # relief depth along the 90° bisector: R·(1/sin 45° − 1) = R·(√2 − 1)
    segs, n = profile_path("panel", "slot", slot, side="inside", tool=TOOL, climb=True, dogbones=True)
    assert n == 4
    bones = sorted(round(s.length, 9) for s in segs if s.length < 2)
    assert bones == pytest.approx([R * (math.sqrt(2) - 1)] * 8)
    # without dogbones the tool stays R·√2 from each corner
    plain = _op(slot, side="inside")
    pend = [(m.x, m.y) for m in plain.moves if isinstance(m, Line)]
    assert min(math.hypot(x - 10, y - 10) for x, y in pend) == pytest.approx(R * math.sqrt(2), abs=1e-6)


def test_dogbones_on_finger_roots_of_outside_profile() -> None:
    fingers = Polygon([(0, 0), (100, 0), (100, 50), (60, 50), (60, 35), (50, 35), (50, 50), (0, 50)])
    segs, n = profile_path("panel", "outline", fingers, side="outside", tool=TOOL, climb=True, dogbones=True)
    assert n == 2
    tips = [(s.x1, s.y1) for s in segs]
    for cx, cy in [(50, 35), (60, 35)]:
        assert min(math.hypot(x - cx, y - cy) for x, y in tips) == pytest.approx(R, abs=0.01)


def test_fit_allowance_moves_the_cut() -> None:
    segs, _ = profile_path("panel", "outline", box(0, 0, 100, 50), side="outside", tool=TOOL, climb=True,
                           fit_allowance=-0.25)
    ys = sorted({round(s.y0, 9) for s in segs if not s.is_arc and s.y0 == s.y1})
    assert ys == pytest.approx([0.25 - R, 50 - 0.25 + R])
    segs, _ = profile_path("panel", "slot", box(0, 0, 20, 20), side="inside", tool=TOOL, climb=True,
                           fit_allowance=0.25)
    xs = sorted({round(s.x0, 9) for s in segs if not s.is_arc and s.x0 == s.x1})
    assert xs == pytest.approx([-0.25 + R, 20.25 - R])


def test_too_deep_for_flutes_and_determinism() -> None:
    with pytest.raises(ManufacturabilityError, match="flute length"):
        _op(box(0, 0, 100, 50), depth=30.0)
    a = _op(box(0, 0, 100, 50), tabs=True, dogbones=True)
    b = _op(box(0, 0, 100, 50), tabs=True, dogbones=True)
    assert a == b
    start = point_at(profile_path("panel", "outline", box(0, 0, 100, 50), side="outside", tool=TOOL,
                                  climb=True)[0][0], 0)
    assert (a.moves[0].x, a.moves[0].y) == start
