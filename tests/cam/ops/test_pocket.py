"""Pocket clearing: ring counts, swept area, ramped entry, narrow regions (numbers by hand)."""

from __future__ import annotations

import math

import pytest
import shapely
from shapely.geometry import LinearRing, LineString, Polygon, box

from osehw.cam.ops.feeds import feeds_and_speeds
from osehw.cam.ops.moves import Line, Rapid
from osehw.cam.ops.pocket import RAMP_ANGLE_DEG, levels, offset_rings, pocket_operation
from osehw.cam.ops.profile import ManufacturabilityError
from osehw.cam.shop import load_machines, load_tools
from osehw.cam.transform import walk
from osehw.catalog import materials
from tests.cam.swept import swept_at

TOOLS = load_tools()
MACHINE = load_machines()["grbl-hobby-800"]
MATERIALS = materials()
E635 = TOOLS["em-6.35-2f-up"]
E3175 = TOOLS["em-3.175-2f-up"]


def test_levels_are_equal_and_within_stepdown() -> None:
    # 5 mm at 4.7625 mm step-down → 2 levels of 2.5 mm
    assert levels(5.0, 4.7625) == pytest.approx([-2.5, -5.0])
    assert levels(2.3, 2.38125) == pytest.approx([-2.3])


def test_rectangle_pocket_rings_and_swept_area() -> None:
    plywood = MATERIALS["plywood"]
    feeds = feeds_and_speeds(MACHINE, E635, plywood)
    assert feeds.stepover == pytest.approx(6.35 * 0.45)  # 2.8575 mm
    region = box(0, 0, 40, 20)
    # By hand, r = 3.175, s = 2.8575: ring 1 inset 3.175 (33.65 × 13.65, inradius 6.825 > r);
    # 6.825 - s = 3.9675 > r → ring 2 inset 6.0325 (27.935 × 7.935, inradius 3.9675 > r);
    # 3.9675 - s ≤ r → last step shortened to max(3.9675 - r, s/2) = 1.42875:
    # ring 3 inset 7.46125 (25.0775 × 5.0775, inradius 2.53875 ≤ r): leaf. 3 rings.
    groups, reach = offset_rings(region, 3.175, feeds.stepover)
    rings = [r for g in groups for r in g]
    assert len(rings) == 3
    inner = Polygon(rings[0].coords)
    assert inner.bounds == pytest.approx((7.46125, 7.46125, 32.53875, 12.53875), abs=1e-6)
    outer = Polygon(rings[-1].coords)
    assert outer.bounds == pytest.approx((3.175, 3.175, 36.825, 16.825), abs=1e-6)

    op = pocket_operation("plate", "recess", region, depth=3.0, tool=E635, feeds=feeds,
                          material=plywood, safe_z=5.0)
    assert op.kind == "pocket" and op.tool == "em-6.35-2f-up" and op.depth == 3.0
    cut = swept_at(op, -3.0, 3.175)
    # Cleared = the rectangle less a fillet remnant r²(1 - π/4) in each of 4 corners.
    expected = 800.0 - 4 * 3.175 ** 2 * (1 - math.pi / 4)  # 791.346 mm²
    assert cut.intersection(region).area == pytest.approx(expected, abs=0.05)
    assert cut.difference(region).area < 1e-3  # never leaves the pocket
    assert reach.buffer(-0.01).difference(cut).area < 1e-3


def test_multi_depth_ramps_and_never_plunges_into_material() -> None:
    hdpe = MATERIALS["hdpe"]
    feeds = feeds_and_speeds(MACHINE, E635, hdpe)
    assert feeds.stepdown == pytest.approx(4.7625)
    op = pocket_operation("plate", "deep", box(0, 0, 60, 30), depth=8.0, tool=E635, feeds=feeds,
                          material=hdpe, safe_z=5.0)
    segments, end = walk(op.moves)
    assert end[2] == pytest.approx(5.0)
    assert min(s.end[2] for s in segments) == pytest.approx(-8.0)
    zs = sorted({round(s.end[2], 6) for s in segments if s.kind != "rapid" and s.end[2] < 0})
    assert -4.0 in zs and -8.0 in zs  # two equal levels of 4 mm
    slope_max = math.tan(math.radians(RAMP_ANGLE_DEG))
    cut_at_4 = []  # paths already cut at the first level
    for s in segments:
        if s.kind != "rapid" and s.start[2] == pytest.approx(-4.0) and s.end[2] == pytest.approx(-4.0):
            cut_at_4.append(LineString([s.start[:2], s.end[:2]]) if s.kind == "line" else shapely.Point(s.end[:2]))
        dz = s.start[2] - s.end[2]
        if s.kind == "rapid" or dz <= 1e-9:
            continue
        if s.xy_length < 1e-9:
            # A straight feed down only through air: to the stock top, or to the
            # level above at a point that level already cut.
            assert s.end[2] in (pytest.approx(0.0), pytest.approx(-4.0)), s
            if s.end[2] < -1.0:
                assert shapely.union_all(cut_at_4).distance(shapely.Point(s.end[:2])) < 1e-6
        else:
            # Into material only by ramp, no steeper than the ramp angle.
            assert dz / s.xy_length <= slope_max + 1e-9, s
    # Every XY rapid happens at safe height.
    for s in segments:
        if s.kind == "rapid" and math.dist(s.start[:2], s.end[:2]) > 1e-9:
            assert s.start[2] == pytest.approx(5.0) and s.end[2] == pytest.approx(5.0)


def _groove() -> Polygon:
    outer = box(10, 10, 260, 160).buffer(10, quad_segs=64)  # 270 × 170, corner radius 10
    inner = outer.buffer(-4.5, quad_segs=64)  # corner radius 5.5
    return outer.difference(inner)


def test_gasket_groove_is_cleared_and_never_left() -> None:
    hdpe = MATERIALS["hdpe"]
    feeds = feeds_and_speeds(MACHINE, E3175, hdpe)
    region = _groove()
    # Hand area: (270·170 − (4 − π)·10²) − (261·161 − (4 − π)·5.5²) = 45814.16 − 41995.03
    assert region.area == pytest.approx(3819.13, abs=0.05)
    groups, _ = offset_rings(region, 3.175 / 2, feeds.stepover)
    # The offset by r leaves a 4.5 − 3.175 = 1.325 mm band: its two edges are the two rings.
    assert sum(len(g) for g in groups) == 2
    op = pocket_operation("lid", "groove", region, depth=2.3, tool=E3175, feeds=feeds,
                          material=hdpe, safe_z=5.0)
    cut = swept_at(op, -2.3, 3.175 / 2)
    assert cut.intersection(region).area == pytest.approx(region.area, abs=0.05)
    # Never leaves the groove by more than the 0.01 mm the checker allows (arcs vs. chords).
    assert cut.difference(region.buffer(0.01)).area < 1e-6
    # Entry: the tool comes down only inside the groove.
    segments, _ = walk(op.moves)
    for s in segments:
        if s.kind != "rapid" and s.end[2] < 0:
            assert region.buffer(1e-6).covers(shapely.Point(s.end[:2]))
    # Arcs fitted: the 10 mm and 5.5 mm corners come out as G2/G3, not chords.
    assert sum(1 for s in segments if s.kind == "arc" and s.end[2] == -2.3) >= 8


def test_climb_direction_counter_clockwise_on_outer_ring() -> None:
    plywood = MATERIALS["plywood"]
    feeds = feeds_and_speeds(MACHINE, E635, plywood)
    groups, _ = offset_rings(box(0, 0, 40, 20), 3.175, feeds.stepover, climb=True)
    assert LinearRing(groups[-1][-1].coords).is_ccw
    groups, _ = offset_rings(box(0, 0, 40, 20), 3.175, feeds.stepover, climb=False)
    assert not LinearRing(groups[-1][-1].coords).is_ccw


def test_narrow_everywhere_names_the_widest_point_when_read_and_when_pickled() -> None:
    import pickle

    plywood = MATERIALS["plywood"]
    feeds = feeds_and_speeds(MACHINE, E635, plywood)
    with pytest.raises(ManufacturabilityError) as caught:
        pocket_operation("lid", "slot", box(0, 0, 50, 5), depth=2.0, tool=E635, feeds=feeds,
                         material=plywood, safe_z=5.0)
    # a 50 × 5 strip: the largest circle inside is its width, 5 mm
    want = "lid: pocket 'slot' is narrower than the Ø6.35 mm tool everywhere (its widest point is Ø5.00 mm)"
    assert str(caught.value) == want
    again = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(again, ManufacturabilityError) and str(again) == want


def test_surely_narrower_never_says_so_of_a_region_as_wide_as_the_radius() -> None:
    from osehw.cam.ops.pocket import _inradius, _surely_narrower

    # a 3.4 mm groove: its widest point is at a corner, the circle touching both outer walls and the
    # inner corner: (3.4 - r)·√2 = r
    groove = box(0, 0, 440, 340).difference(box(3.4, 3.4, 436.6, 336.6))
    strip = box(0, 0, 50, 5)  # 2.5
    disc = shapely.Point(0, 0).buffer(10.0, quad_segs=64)  # 10 (less the chords' 0.012)
    for region, inradius in ((groove, 3.4 * math.sqrt(2) / (1 + math.sqrt(2))), (strip, 2.5), (disc, 10.0)):
        assert _inradius(region) == pytest.approx(inradius, abs=0.02)
        assert _surely_narrower(region, 1.02 * inradius)
        assert not _surely_narrower(region, inradius)  # no verdict at the inradius: it is computed
        assert not _surely_narrower(region, 0.5 * inradius)


def test_region_narrower_than_tool_is_refused() -> None:
    plywood = MATERIALS["plywood"]
    feeds = feeds_and_speeds(MACHINE, E635, plywood)
    with pytest.raises(ManufacturabilityError, match=r"lid: pocket 'slot' is narrower than the Ø6.35 mm tool"):
        pocket_operation("lid", "slot", box(0, 0, 50, 5), depth=2.0, tool=E635, feeds=feeds,
                         material=plywood, safe_z=5.0)
    # A 40 × 20 recess with a 3 mm × 15 mm spur: the spur is narrower than the tool.
    spur = box(0, 0, 40, 20).union(box(18.5, 20, 21.5, 35))
    with pytest.raises(ManufacturabilityError, match=r"lid: pocket 'spur' has .* narrower than the Ø6.35 mm tool"):
        pocket_operation("lid", "spur", spur, depth=2.0, tool=E635, feeds=feeds, material=plywood, safe_z=5.0)


def test_pocket_starts_and_ends_at_safe_height() -> None:
    plywood = MATERIALS["plywood"]
    feeds = feeds_and_speeds(MACHINE, E635, plywood)
    op = pocket_operation("p", "q", box(0, 0, 30, 30), depth=1.0, tool=E635, feeds=feeds,
                          material=plywood, safe_z=7.0)
    assert op.moves[0] == Rapid(z=7.0)
    assert op.moves[-1] == Rapid(z=7.0)
    assert all(not isinstance(m, Line) or m.feed > 0 for m in op.moves)


def test_acute_corners_keep_only_the_wedge_no_round_tool_reaches() -> None:
    plywood = MATERIALS["plywood"]
    feeds = feeds_and_speeds(MACHINE, E635, plywood)
    region = Polygon([(0, 0), (60, 0), (0, 60)])  # corners 90°, 45°, 45°
    op = pocket_operation("gusset", "recess", region, depth=2.0, tool=E635, feeds=feeds,
                          material=plywood, safe_z=5.0)
    cut = swept_at(op, -2.0, 3.175)
    # A corner of angle θ keeps r²·(cot(θ/2) − (π − θ)/2): 90° → 0.2146 r², 45° → 1.2361 r²;
    # with r = 3.175: (0.2146 + 2 · 1.2361) · 10.0806 = 27.09 mm² left of 1800 mm².
    r2 = 3.175 ** 2
    left = sum(r2 * (1 / math.tan(t / 2) - (math.pi - t) / 2) for t in (math.pi / 2, math.pi / 4, math.pi / 4))
    assert left == pytest.approx(27.09, abs=0.01)
    assert region.area - cut.intersection(region).area == pytest.approx(left, abs=0.1)
    assert cut.difference(region.buffer(0.01)).area < 1e-6


@pytest.mark.parametrize("material, tool, region, depth", [
    # the node enclosure's gasket groove in aluminium: 3 levels of 0.75 mm (step-down 0.794 mm)
    ("aluminium-6061", E3175, _groove(), 2.25),
    # 2 levels of 4 mm in HDPE: the second re-entry is 4 mm below the stock top
    ("hdpe", E635, box(0, 0, 60, 30), 8.0),
])
def test_multi_level_pocket_never_rapids_below_the_stock_top(material, tool, region, depth) -> None:
    from osehw.cam.post import ProgramHeader, post
    from osehw.cam.verify.program import verify_program

    mat = MATERIALS[material]
    feeds = feeds_and_speeds(MACHINE, tool, mat)
    assert len(levels(depth, feeds.stepdown)) >= 2
    op = pocket_operation("lid", "groove", region, depth=depth,
                          tool=tool, feeds=feeds, material=mat, safe_z=5.0)
    # Z = 0 is the stock top: every G0 ends on or above it, whatever level was cut before
    rapid_z = [m.z for m in op.moves if isinstance(m, Rapid) and m.z is not None]
    assert min(rapid_z) == pytest.approx(1.0)
    # below the stock top the tool comes down by feed, never deeper than what is already open
    segments, _ = walk(op.moves)
    re_entries = [s for s in segments if s.kind == "line" and s.xy_length < 1e-9 and s.start[2] == pytest.approx(1.0)]
    assert sorted({round(s.end[2], 6) for s in re_entries}) == pytest.approx(
        sorted({0.0, *levels(depth, feeds.stepdown)[:-1]}))
    # and the posted program passes the independent verifier (GCODE_RAPID_LOW before this fix)
    header = ProgramHeader(title="pocket", parts=(("LID", 1),), material=mat.name, stock_x=300, stock_y=200,
                           stock_thickness=12.7, tool=tool, feeds=feeds, z_zero="stock_top",
                           estimated_time_s=0.0, machine=MACHINE)
    report = verify_program(post(header, [op]), MACHINE, dialect="grbl", stock_x=300, stock_y=200,
                            stock_thickness=12.7, tool_diameter=tool.diameter)
    assert report.ok, report.findings
