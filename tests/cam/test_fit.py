"""Joint fit on mating features only: measured from the toolpaths the plan writes, tool radius added back."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import LineString, box

from osehw.cam.fit import clearance_notes, fitted_outline, outline_notches
from osehw.cam.ops.feeds import feeds_and_speeds
from osehw.cam.plan import plan_part
from osehw.cam.recognise.features import InsideCut, PartFeatures
from osehw.cam.recognise.solid import recognise
from osehw.cam.shop import load_machines, load_tools
from osehw.catalog import materials
from osehw.designs.gallery_parts import finger_panel
from tests.cam.swept import swept_below_top

A = 0.25  # the "slot" fit's allowance [mm per side]
T = 12.0  # stock thickness [mm]
TOOLS = load_tools()
MACHINE = load_machines()["grbl-hobby-800"]
PLYWOOD = materials()["plywood"]


def _cut_part(features: PartFeatures, allowance: float = A) -> shapely.Polygon:
    """The part left standing, read from the outline and inside-cut toolpaths: the stock less the tool disc
    swept along every cutting move below the top (the tool radius added back by the sweep)."""
    plan = plan_part(features, machine=MACHINE, material=PLYWOOD, tools=TOOLS,
                     feeds_for=lambda t: feeds_and_speeds(MACHINE, t, PLYWOOD), fit_allowance=allowance, label=False)
    swept = []
    for op in plan.operations:
        if op.kind not in ("profile_outside", "profile_inside"):
            continue
        swept += swept_below_top(op, TOOLS[op.tool].diameter / 2)
    x0, y0, x1, y1 = features.outline.bounds
    left = box(x0 - 20, y0 - 20, x1 + 20, y1 + 20).difference(shapely.union_all(swept))
    inside = [g for g in shapely.get_parts(left) if g.within(box(x0 - 1, y0 - 1, x1 + 1, y1 + 1))]
    return max(inside, key=lambda g: g.area)


def _span(part: shapely.Polygon, line: LineString, near: float, axis: int) -> float:
    """Length of the material of ``part`` that ``line`` crosses at coordinate ``near`` along ``axis``."""
    for seg in shapely.get_parts(line.intersection(part)):
        lo, hi = sorted(c[axis] for c in seg.coords)
        if lo < near < hi:
            return hi - lo
    raise AssertionError("no material there")


def _gap(part: shapely.Polygon, line: LineString, near: float, axis: int) -> float:
    """Width of the opening of ``part`` that ``line`` crosses at coordinate ``near`` along ``axis``."""
    cuts = line.difference(part)
    for seg in shapely.get_parts(cuts):
        lo, hi = sorted(c[axis] for c in seg.coords)
        if lo < near < hi:
            return hi - lo
    raise AssertionError("no opening there")


@pytest.fixture(scope="module")
def panel() -> PartFeatures:
    return recognise(finger_panel())  # 300 × 180 × 12: 20 mm fingers on both short edges, a 12 × 60 slot


@pytest.fixture(scope="module")
def panel_cut(panel: PartFeatures) -> shapely.Polygon:
    return _cut_part(panel)


def test_finger_panel_outside_true_notches_and_slot_widened(panel_cut: shapely.Polygon) -> None:
    cut = panel_cut
    # outside dimensions exact: finger tips and long edges are cut true (the old rule inset them 0.25 mm)
    assert cut.bounds == pytest.approx((0.0, 0.0, 300.0, 180.0), abs=0.005)
    # a finger notch (y 20…40 on the left edge), measured across its mouth at mid-depth: 20 + 2 · a/2
    assert _gap(cut, LineString([(6, -5), (6, 185)]), 30.0, 1) == pytest.approx(20.0 + A, abs=0.005)
    # the finger beside it (y 40…60) loses a/2 per side
    assert _span(cut, LineString([(6, -5), (6, 185)]), 50.0, 1) == pytest.approx(20.0 - A, abs=0.005)
    # the slot (x 144…156, y 60…120): width 12 + 2a, length 60 + 2a, measured through its middle
    assert _gap(cut, LineString([(130, 90), (170, 90)]), 150.0, 0) == pytest.approx(T + 2 * A, abs=0.005)
    assert _gap(cut, LineString([(150, 40), (150, 140)]), 90.0, 1) == pytest.approx(60.0 + 2 * A, abs=0.005)


def test_two_finger_panels_meet_with_one_allowance_per_side(panel: PartFeatures, panel_cut: shapely.Polygon) -> None:
    # A's notch takes B's finger: notch 20 + a wide, finger 20 − a wide → (2a)/2 = a per side, not 2a
    cut = panel_cut
    notch = _gap(cut, LineString([(6, -5), (6, 185)]), 30.0, 1)
    finger = _span(cut, LineString([(6, -5), (6, 185)]), 50.0, 1)
    assert (notch - finger) / 2 == pytest.approx(A, abs=0.005)
    (note,) = clearance_notes(panel, "slot", A)
    assert "slot 'cut-1' 12.00 × 60.00 mm cut 12.50 × 60.50 mm: 0.25 mm clearance per side" in note
    assert "8 finger notch(es) 20.00 → 20.25 mm wide" in note and "0.25 mm against a part cut to the same rule" in note


def test_slot_and_tab_edges_that_mate_with_nothing_are_true() -> None:
    # an L-shaped bracket (its inside corner mates with nothing) with an egg-crate edge slot and a through slot
    l_shape = box(0, 0, 200, 120).difference(box(100, 60, 200, 120))
    outline = l_shape.difference(box(40, 90, 40 + T, 120))  # edge slot, T wide, 30 deep, from the top edge
    features = PartFeatures("bracket", T, outline,
                            inside_cuts=(InsideCut("cut-1", box(140, 20, 140 + T, 50), receives_part=True),
                                         InsideCut("cut-2", box(20, 20, 60, 50))))  # a window: no part
    kinds = [(n.kind, round(n.mouth, 6), round(n.depth, 6)) for n in outline_notches(features)]
    assert kinds == [("edge_slot", T, 30.0)]  # the L's corner (100 × 60) is no joint
    cut = _cut_part(features)
    assert cut.bounds == pytest.approx((0.0, 0.0, 200.0, 120.0), abs=0.005)
    # the L's inside edges are true: at y = 30 the part spans 0…200, at x = 150 it ends at y = 60
    assert _gap(cut, LineString([(150, 55), (150, 125)]), 90.0, 1) == pytest.approx(125 - 60, abs=0.005)
    assert _gap(cut, LineString([(70, 105), (110, 105)]), 105, 0) == pytest.approx(110 - 100, abs=0.005)
    # the edge slot and the through slot: T + 2a; the window that takes no part: true
    assert _gap(cut, LineString([(30, 105), (70, 105)]), 46.0, 0) == pytest.approx(T + 2 * A, abs=0.005)
    assert _gap(cut, LineString([(130, 35), (160, 35)]), 146.0, 0) == pytest.approx(T + 2 * A, abs=0.005)
    assert _gap(cut, LineString([(10, 35), (70, 35)]), 40.0, 0) == pytest.approx(40.0, abs=0.005)
    # the tab that enters the slot is the mating part's plain outline: cut true, 30 long
    tab = PartFeatures("tab", T, box(0, 0, 80, 40).union(box(25, 40, 55, 40 + T)))
    assert fitted_outline(tab, A).equals(tab.outline)
    assert _cut_part(tab).bounds == pytest.approx((0.0, 0.0, 80.0, 40.0 + T), abs=0.005)
    # so the tab's 30 mm sits in a 30.5 mm slot: a per side
    assert (_gap(cut, LineString([(140 + T / 2, 10), (140 + T / 2, 60)]), 35.0, 1) - 30.0) / 2 == pytest.approx(A, abs=0.005)


def test_no_allowance_cuts_everything_true(panel: PartFeatures) -> None:
    assert fitted_outline(panel, 0.0) is panel.outline
    assert clearance_notes(panel, "none", 0.0) == []
