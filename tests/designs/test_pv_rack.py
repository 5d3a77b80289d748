"""The PV rack against hand geometry: member lengths and setbacks from the frame's triangle, holes, gusset
bolts, frames for the span, and a model whose parts do not overlap."""

import math

import pytest

from osehw.analyses import Inputs
from osehw.analyses.geometry import geometry
from osehw.core.params import ParamError, validate
from osehw.core.solids import through_hole_count
from osehw.designs.pv_rack import (
    RackParams,
    build,
    frame_geometry,
    frame_positions,
    rail_length,
)

L, W = 1954.0, 986.0  # CS6U-330P, pvlib CEC database
A = 38.1  # angle leg


@pytest.fixture(scope="module")
def rack():
    return build(RackParams(modules=6, tilt=46, ground_clearance=600))


def test_members_follow_the_frames_triangle():
    frame = frame_geometry(RackParams(tilt=46, ground_clearance=600))
    members = {m.name: m for m in frame.members}
    b = math.radians(46)
    run, rise = L * math.cos(b), L * math.sin(b)
    assert members["rafter"].length == pytest.approx(L)
    assert members["front-leg"].length == pytest.approx(600)
    assert members["rear-leg"].length == pytest.approx(600 + rise)
    assert members["sill"].length == pytest.approx(run)
    assert members["diagonal"].length == pytest.approx(math.hypot(run, 600))
    # at the rafter's lower end the diagonal is the nearest member: θ = 46° + atan(600 / run)
    theta = b + math.atan2(600, run)
    assert members["rafter"].setback_a == pytest.approx(A / 2 / math.tan(theta / 2) + 5, abs=0.06)  # to 0.1 mm
    # legs meet the sill square: (a/2)/tan 45° + 5 mm
    assert members["front-leg"].setback_a == pytest.approx(A / 2 + 5, abs=0.06)


def test_rails_frames_and_holes(rack):
    length = 6 * W + 5 * 20 + 2 * 35
    assert rail_length(RackParams()) == pytest.approx(length)
    positions = frame_positions(RackParams())
    assert positions[0] == 150 and positions[-1] == pytest.approx(length - 150)
    assert max(b - a for a, b in zip(positions, positions[1:])) <= 1800
    assert len(positions) == 5  # ceil(5,786 / (1,800 − 2 × 50)) spans + 1
    # the middle frame would fall on the joint between modules 3 and 4 (35 + 3 × 1,006 − 10 = 3,043 mm):
    # it moves 50 mm clear of that clamp bolt
    assert positions[2] == pytest.approx(3043 + 50)
    rail = next(s for s in rack.stock_parts if s.name == "rail")
    assert rail.quantity == 2 and len(rail.holes) == 5 + 2 + 5  # frames, end clamps, joints between modules
    spots = sorted(h[0] for h in rail.holes)
    assert min(b - a for a, b in zip(spots, spots[1:])) >= 50 - 1e-6
    rafter = next(s for s in rack.stock_parts if s.name == "rafter")
    assert rafter.quantity == 5 and [h[0] for h in rafter.holes][:2] == [25, 75]


def test_gussets_have_two_bolts_per_member(rack):
    holes = {p.name: through_hole_count(p.solid) for p in rack.sheet_parts}
    # front-top joins rafter, front leg and diagonal; rear-foot rear leg, sill and diagonal; the others two
    assert holes == {"gusset-front-top": 6, "gusset-rear-top": 4, "gusset-front-foot": 4, "gusset-rear-foot": 6}
    bolts = next(i for i in rack.purchased if i.catalog_id == "bolt-m8x25-ss-set").quantity
    assert bolts == 5 * (6 + 4 + 4 + 6) + 2 * 5


def test_the_model_has_no_overlapping_parts(rack):
    result = geometry(Inputs(rack))
    assert not [f for f in result.findings if f.is_error], [f.message for f in result.findings if f.is_error]


def test_a_row_longer_than_a_bar_is_refused():
    with pytest.raises(ParamError, match="longer than a angle-6061-38.1x4.76 bar"):
        validate(RackParams, {"modules": 7}, "r.yaml")


def test_the_reports_cut_list_names_each_copy():
    # a cut-plan row has a "copy" key, which Jinja's r.copy read as dict.copy (an address that changed
    # from build to build); the report must print the number
    from osehw.outputs import discover
    from osehw.outputs.report import render
    from osehw.pipeline import BuildPipeline, load

    discover()
    pipe = BuildPipeline(machines=["grbl-hobby-800"])
    result = pipe.cost(pipe.model(pipe.start(load("pv-rack"))))
    page = render(result)
    assert "built-in method" not in page
    assert "rail #1" in page and "rail #2" in page


def test_the_shipped_rack_holds_its_wind_and_weak_anchors_fail_by_name(rack):
    from osehw.analyses.rack_wind import rack_wind

    ok = rack_wind(Inputs(rack))
    assert [f.code for f in ok.findings] == ["RACK_WIND_OK"] and 0 < ok.summary["anchor_utilisation"] < 1
    weak = rack_wind(Inputs(build(RackParams(modules=6, tilt=46, ground_clearance=600, anchor_uplift_n=500))))
    (finding,) = weak.findings
    assert finding.code == "RACK_UPLIFT" and finding.is_error and "short by" in finding.message
    # same pressure and force; only the anchors' share against their capacity changed
    assert weak.summary["normal_force_n"] == ok.summary["normal_force_n"]
    assert weak.summary["anchor_utilisation"] == pytest.approx(ok.summary["anchor_utilisation"] * 2200 / 500, rel=1e-2)
