"""The trough rib's top edge against the exact offset curve, and its outline against closed forms."""

import math

import numpy as np
import pytest

from osehw.core.solids import exact_box, through_hole_count
from osehw.designs.trough_rib import rib_edge_deviation, rib_part
from osehw.physics.trough import distance_to_offset_curve, offset_curve, rim_angle_deg


def test_distance_to_offset_curve_is_zero_on_it_and_cos_half_angle_one_mm_below():
    f, t = 1710.0, 6.0
    x = np.linspace(-2880, 2880, 41)
    ex, ey = offset_curve(x, f, t)
    assert np.max(np.abs(distance_to_offset_curve(ex, ey, f, t))) < 1e-9
    # moved 1 mm straight down, a point is cos(φ/2) further along the normal, tan(φ/2) = m = x/(2f), to
    # first order; the second-order term sin²(φ/2)/(2ρ) is < 1e-4 mm for ρ ≥ 2f = 3420 mm
    assert distance_to_offset_curve(ex, ey - 1.0, f, t) == pytest.approx(np.cos(np.arctan(x / (2 * f))), abs=1e-4)


@pytest.mark.parametrize("w,f,t", [(1200, 300, 3), (5760, 1710, 6)])
def test_spline_edge_stays_within_a_micron_of_the_offset_curve(w, f, t):
    # measured: 0.048 mm with 11 points, 0.0043 with 21, 0.00029 with 41, 0.000018 with 81 (1200/300/3)
    assert rib_edge_deviation(w, f, t, 120, edge_points=41) < 1e-3
    assert rib_edge_deviation(w, f, t, 120, edge_points=11) > rib_edge_deviation(w, f, t, 120, edge_points=41)


def test_rib_solid_outline_and_spine_hole():
    w, f, t, depth, ply = 1200.0, 300.0, 3.0, 120.0, 12.0
    part = rib_part("rib", w, f, t, depth, ply, spine_hole=52.0)
    assert part.solid.isValid() and through_hole_count(part.solid) == 1
    xmin, ymin, zmin, xmax, ymax, zmax = exact_box(part.solid)
    half = math.radians(rim_angle_deg(w, f)) / 2
    # width: the rims move out by t·sin(ψ/2); height: rim edge y − vertex edge y + depth
    assert xmax - xmin == pytest.approx(w + 2 * t * math.sin(half), abs=1e-3)
    assert ymax - ymin == pytest.approx(f - t * math.cos(half) + t + depth, abs=1e-3)
    assert zmax - zmin == pytest.approx(ply, abs=1e-3)
    # the solid's curved edge, moved back to the rib frame, lies on the offset curve
    curved = [e for e in part.solid.Edges() if e.geomType() == "BSPLINE" and e.Center().z < 1e-6]
    assert len(curved) == 1
    pts = np.array([[p.x - w / 2 - t * math.sin(half), p.y - t - depth]
                    for p in (curved[0].positionAt(u) for u in np.linspace(0, 1, 501))])
    assert np.max(np.abs(distance_to_offset_curve(pts[:, 0], pts[:, 1], f, t))) < 1e-3


def test_cut_rib_edge_read_back_from_gcode_lies_on_the_offset_curve():
    # A 600 mm trough (f = 150 mm, ψ = 90°) with a 3 mm mirror, 12 mm plywood rib, cut by osehw's CAM on
    # the GRBL router; the profile program is read back, its cutting moves swept with the end mill's
    # radius, and the true offset curve (placed as nesting placed the rib) compared with the sweep's edge.
    import cadquery as cq
    import shapely

    from osehw.cam.job import CamJob
    from osehw.cam.ops.arcfit import PATH_FIT_TOLERANCE
    from osehw.cam.verify.parse import FindingLog, parse_program
    from osehw.cam.verify.sweep import CHORD_TOLERANCE, full_depth_pieces, swept_region
    from osehw.core.design import Design

    w, f, t, depth, ply = 600.0, 150.0, 3.0, 100.0, 12.0
    rib = rib_part("rib", w, f, t, depth, ply, spine_hole=40.0)
    cam = CamJob(machines=["grbl-hobby-800"]).run(Design("t", cq.Assembly(name="t"), [rib], [], []))
    assert cam.findings == [] and len(cam.sheets) == 1
    sheet = cam.sheets[0]
    placed = cam.nestings[("grbl-hobby-800", sheet.group)].placements[0]
    program = next(p for p in sheet.programs if any(op.kind.startswith("profile") for op in p.operations))
    parsed = parse_program(program.text, "grbl", FindingLog("t"))
    swept = swept_region(full_depth_pieces(parsed.moves, -0.01), program.tool.diameter / 2)

    half = math.radians(rim_angle_deg(w, f)) / 2
    ex, ey = offset_curve(np.linspace(-w / 2, w / 2, 1001), f, t)
    ex, ey = ex + w / 2 + t * math.sin(half), ey + t + depth  # the rib frame → the part frame
    rot = math.radians(placed.rotation)
    sx = placed.x + ex * math.cos(rot) - ey * math.sin(rot)
    sy = placed.y + ex * math.sin(rot) + ey * math.cos(rot)
    edge = swept.boundary
    signed = np.array([(-1 if swept.contains(p) else 1) * edge.distance(p)
                       for p in shapely.points(np.column_stack([sx, sy]))])
    # stated tolerance: CAM's path fit (0.005) + the sweep's chord sagitta (0.002) + the model's spline
    # (0.0003 here) + the G-code's 3-decimal coordinates (≤ 0.0007); measured −0.0052 … +0.0071 mm
    tol = PATH_FIT_TOLERANCE + CHORD_TOLERANCE + rib_edge_deviation(w, f, t, depth) + 0.001
    assert np.max(np.abs(signed)) <= tol, (signed.min(), signed.max())
