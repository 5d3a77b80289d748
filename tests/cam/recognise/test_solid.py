"""2.5D feature recognition on the gallery parts, against numbers worked out by hand."""

from __future__ import annotations

import math

import cadquery as cq
import numpy as np
import pytest
import shapely
from shapely.geometry import Point, Polygon

from osehw.cam.recognise.features import PartFeatures
from osehw.cam.recognise.solid import (
    CHORD_TOLERANCE,
    RecognitionError,
    lay_flat,
    recognise,
)
from osehw.core.design import SheetPart
from osehw.designs import gallery_parts as gallery


@pytest.fixture(scope="module")
def parts() -> dict[str, SheetPart]:
    return {p.name: p for p in gallery.gallery_parts() + gallery.refused_parts()}


@pytest.fixture(scope="module")
def features(parts: dict[str, SheetPart]) -> dict[str, PartFeatures]:
    return {name: recognise(p) for name, p in parts.items()}


def _holes(f: PartFeatures) -> list[tuple[float, float, float, float]]:
    return [(h.x, h.y, h.diameter, h.depth) for h in f.round_holes]


def _close(got: list[tuple[float, ...]], expected: list[tuple[float, ...]], tol: float) -> bool:
    a, b = np.asarray(got, float), np.asarray(expected, float)
    return a.shape == b.shape and np.allclose(a, b, atol=tol, rtol=0)


def _same_region(a: Polygon, b: Polygon, tol_area: float = 1e-3) -> bool:
    return shapely.symmetric_difference(a, b).area < tol_area


def _assert_same_features(a: PartFeatures, b: PartFeatures) -> None:
    assert _same_region(a.outline, b.outline)
    assert len(a.round_holes) == len(b.round_holes)
    for ha, hb in zip(a.round_holes, b.round_holes):
        assert ha.name == hb.name
        assert (ha.x, ha.y, ha.diameter, ha.depth) == pytest.approx((hb.x, hb.y, hb.diameter, hb.depth), abs=1e-6)
    assert [c.name for c in a.inside_cuts] == [c.name for c in b.inside_cuts]
    for ca, cb in zip(a.inside_cuts, b.inside_cuts):
        assert _same_region(ca.region, cb.region) and ca.receives_part == cb.receives_part
    assert [(p.name, p.depth) for p in a.pockets] == [(p.name, p.depth) for p in b.pockets]
    for pa, pb in zip(a.pockets, b.pockets):
        assert _same_region(pa.region, pb.region)


# --------------------------------------------------------------------------- the lid


def test_lid_outline_holes_and_groove(features: dict[str, PartFeatures]) -> None:
    f = features["gallery-gasket-lid"]
    assert f.thickness == 12.7 and f.label == "G5 gasket lid"
    assert f.outline.area == pytest.approx(300.0 * 200.0, abs=1e-6)
    assert f.outline.length == pytest.approx(2 * (300.0 + 200.0), abs=1e-6)  # outside cut length
    assert f.outline.exterior.is_ccw
    assert f.inside_cuts == ()
    # 4 corner holes Ø6.5, 7.5 mm in from both edges, ordered by y then x.
    assert _close(
        _holes(f),
        [(7.5, 7.5, 6.5, 12.7), (292.5, 7.5, 6.5, 12.7), (7.5, 192.5, 6.5, 12.7), (292.5, 192.5, 6.5, 12.7)],
        1e-9,
    )
    # Groove: 4.5 wide around a centreline 15 mm in (270 × 170, corner radius 10):
    # centreline length = 2(270 − 20) + 2(170 − 20) + 2π·10 = 862.832 mm; area = 4.5 × that.
    centreline = 2 * (270 - 20) + 2 * (170 - 20) + 2 * math.pi * 10
    groove_area = 4.5 * centreline
    assert groove_area == pytest.approx(3882.74, abs=0.01)
    (pocket,) = f.pockets
    assert pocket.depth == pytest.approx(2.3, abs=1e-9)
    # Chords inscribe the corner arcs: the error is at most arc length × chord tolerance.
    arcs = 2 * math.pi * (12.25 + 7.75)
    assert pocket.region.area == pytest.approx(groove_area, abs=arcs * CHORD_TOLERANCE)
    assert len(pocket.region.interiors) == 1
    # Outer wall of the groove: 15 − 2.25 = 12.75 mm from each edge.
    assert pocket.region.bounds == pytest.approx((12.75, 12.75, 287.25, 187.25), abs=1e-6)
    inner = Polygon(pocket.region.interiors[0])
    assert inner.bounds == pytest.approx((17.25, 17.25, 282.75, 182.75), abs=1e-6)


# --------------------------------------------------------------------------- the plate


def test_plate_outline_holes_and_arc_slots(features: dict[str, PartFeatures]) -> None:
    f = features["gallery-slot-plate"]
    # 200 × 150 with 10 mm corner radii: area = 200·150 − (4 − π)·10², perimeter = 700 − 8·10 + 2π·10.
    area = 200 * 150 - (4 - math.pi) * 100
    arc_length = 2 * math.pi * 10
    assert f.outline.area == pytest.approx(area, abs=arc_length * CHORD_TOLERANCE)
    assert f.outline.area < area  # chords lie inside convex arcs
    # Chords of step θ shorten an arc by ≈ L·θ²/24 (θ ≈ 0.038 rad here): ≈ 0.004 mm.
    assert f.outline.length == pytest.approx(700 - 80 + arc_length, abs=0.01)
    holes = _holes(f)
    assert len(holes) == 7
    expected = [
        (15.0, 15.0, 6.5), (185.0, 15.0, 6.5),
        (30.0, 75.0, 5.0), (100.0, 75.0, 30.0), (170.0, 75.0, 5.0),
        (15.0, 135.0, 6.5), (185.0, 135.0, 6.5),
    ]
    assert _close([h[:3] for h in holes], expected, 1e-9)
    assert all(h[3] == 6.35 for h in holes)
    assert [h.name for h in f.round_holes] == [f"hole-{k}" for k in range(1, 8)]
    # Arc slots: centreline r = 50 about (100, 75), width 8, 60° span, round ends:
    # area = (θ/2)(54² − 46²) + π·4² = (π/6)·800 + 16π.
    slot_area = math.pi / 6 * (54**2 - 46**2) + 16 * math.pi
    assert [c.name for c in f.inside_cuts] == ["cut-1", "cut-2"]
    arcs = (math.pi / 3) * (54 + 46) + 2 * math.pi * 4
    for cut in f.inside_cuts:
        assert cut.region.area == pytest.approx(slot_area, abs=arcs * CHORD_TOLERANCE)
        assert not cut.receives_part  # round-ended and 8 mm wide, not a 6.35 mm part slot
    # Lower slot spans 240°–300°: its outer arc bottoms out at y = 75 − 54 = 21.
    assert f.inside_cuts[0].region.bounds[1] == pytest.approx(21.0, abs=CHORD_TOLERANCE)
    assert f.inside_cuts[1].region.bounds[3] == pytest.approx(129.0, abs=CHORD_TOLERANCE)
    assert f.pockets == ()


# --------------------------------------------------------------------------- panel, gusset, rib


def test_finger_panel(features: dict[str, PartFeatures]) -> None:
    f = features["gallery-finger-panel"]
    # 300 × 180 less 8 notches 12 × 20; every notch adds 2 × 12 mm of edge.
    assert f.outline.area == pytest.approx(300 * 180 - 8 * 12 * 20, abs=1e-6)
    assert f.outline.length == pytest.approx(2 * (300 + 180) + 8 * 2 * 12, abs=1e-6)
    (slot,) = f.inside_cuts
    assert slot.receives_part  # 12 mm wide = the 12 mm plywood it is cut from
    assert slot.region.area == pytest.approx(12 * 60, abs=1e-6)
    assert slot.region.bounds == pytest.approx((144, 60, 156, 120), abs=1e-9)
    assert f.round_holes == () and f.pockets == ()


def test_gusset(features: dict[str, PartFeatures]) -> None:
    f = features["gallery-gusset"]
    # Triangle 200²/2 less the right-angle chamfer (10·10/2) and two 45° ones (½·10·10·sin 45°).
    area = 200 * 200 / 2 - 50 - 2 * 0.5 * 100 * math.sin(math.radians(45))
    assert f.outline.area == pytest.approx(area, abs=1e-4)  # vertices are rounded to 1e-6 mm
    assert len(f.outline.exterior.coords) == 7  # 6 corners, closed ring
    assert _close(_holes(f), [(140, 25, 6.5, 12.7), (30, 30, 6.5, 12.7), (25, 140, 6.5, 12.7)], 1e-9)


def test_rib_follows_the_parabola(features: dict[str, PartFeatures]) -> None:
    f = features["gallery-parabolic-rib"]
    ring = f.outline.exterior

    def y(x: float) -> float:  # DESIGN.md §4.4, vertex moved to (300, 40)
        return 40.0 + (x - 300.0) ** 2 / (4 * 250.0)

    # Every point of the curve is within the chord tolerance of the outline...
    for x in np.linspace(0.0, 600.0, 2401):
        assert ring.distance(Point(x, y(x))) <= CHORD_TOLERANCE
    # ...and every chord of the outline's curved edge is within it of the curve:
    # normal distance of each chord midpoint ≈ |Δy| / √(1 + y'²).
    coords = np.asarray(ring.coords)
    top = [(a, b) for a, b in zip(coords[:-1], coords[1:]) if a[1] > 39.0 and b[1] > 39.0 and a[0] != b[0]]
    assert len(top) > 50  # a curve, not a line
    worst = 0.0
    for a, b in top:
        assert a[1] == pytest.approx(y(a[0]), abs=1e-5)  # vertices lie on the curve
        xm, ym = (a + b) / 2
        worst = max(worst, abs(ym - y(xm)) / math.hypot(1.0, (xm - 300.0) / 500.0))
    assert 0 < worst <= CHORD_TOLERANCE
    # Area under the curve: 600·40 + ∫(x−300)²/1000 dx = 24000 + 2·300³/3000 = 42000 mm²;
    # chords lie above the convex curve, by at most the tolerance along the arc length.
    m = 300.0 / 500.0
    arc = 2 * (150.0 * math.sqrt(1 + m * m) + 250.0 * math.asinh(m))  # DESIGN.md §4.4
    assert 0 < f.outline.area - 42000.0 <= arc * CHORD_TOLERANCE
    assert len(f.round_holes) == 2


def test_tiny_hole_is_recognised_for_refusal(features: dict[str, PartFeatures]) -> None:
    f = features["refused-tiny-hole"]
    assert _close(_holes(f), [(15, 20, 1.5, 6.35), (45, 20, 5.0, 6.35)], 1e-9)


# --------------------------------------------------------------------------- orientation


def _moved(part: SheetPart, solid: cq.Shape, name: str | None = None) -> SheetPart:
    return SheetPart(name or part.name, solid, part.material, part.thickness, part.quantity, part.label)


@pytest.mark.parametrize("axis, angle", [((1, 0, 0), 90.0), ((1, 0, 0), -90.0), ((1, 1, 0), 37.0), ((0, 1, 0), 90.0)])
def test_tilted_lid_is_laid_flat_and_recognised_identically(
    parts: dict[str, SheetPart], features: dict[str, PartFeatures], axis: tuple[float, float, float], angle: float
) -> None:
    lid = parts["gallery-gasket-lid"]
    tilted = lid.solid.rotate(cq.Vector(0, 0, 0), cq.Vector(*axis), angle)
    assert tilted.BoundingBox().zlen > 100  # really tilted
    _assert_same_features(recognise(_moved(lid, tilted)), features[lid.name])


def test_tilted_through_part_comes_back_or_mirrored(
    parts: dict[str, SheetPart], features: dict[str, PartFeatures]
) -> None:
    plate = parts["gallery-slot-plate"]
    f0 = features[plate.name]
    # +90° about X: the old bottom now faces +Y, which the tie-break prefers → identical.
    up = recognise(_moved(plate, plate.solid.rotate(cq.Vector(), cq.Vector(1, 0, 0), 90)))
    _assert_same_features(up, f0)
    # −90°: top and bottom are equal, the top wins: the same part turned over (y → −y).
    down = recognise(_moved(plate, plate.solid.rotate(cq.Vector(), cq.Vector(1, 0, 0), -90)))
    assert down.outline.area == pytest.approx(f0.outline.area, abs=1e-6)
    mirrored = sorted((h.x, -h.y, h.diameter) for h in f0.round_holes)
    assert _close(sorted((h.x, h.y, h.diameter) for h in down.round_holes), mirrored, 1e-6)


def test_upside_down_lid_gets_its_groove_on_top(parts: dict[str, SheetPart]) -> None:
    lid = parts["gallery-gasket-lid"]
    flipped = lid.solid.rotate(cq.Vector(), cq.Vector(1, 0, 0), 180).translate(cq.Vector(0, 0, 40))
    laid = lay_flat(flipped, lid.thickness, lid.name)
    bb = laid.BoundingBox()
    assert (bb.zmin, bb.zmax) == pytest.approx((0.0, 12.7), abs=1e-6)
    f = recognise(_moved(lid, flipped))
    (pocket,) = f.pockets
    assert pocket.depth == pytest.approx(2.3) and pocket.region.area == pytest.approx(3882.74, abs=0.3)


def test_flat_solid_is_returned_unchanged(parts: dict[str, SheetPart]) -> None:
    lid = parts["gallery-gasket-lid"]
    assert lay_flat(lid.solid, lid.thickness, lid.name) is lid.solid


# --------------------------------------------------------------------------- errors


def test_wrong_thickness_is_refused(parts: dict[str, SheetPart]) -> None:
    lid = parts["gallery-gasket-lid"]
    wrong = SheetPart("lid-12", lid.solid, "hdpe", 12.0)
    with pytest.raises(RecognitionError, match=r"lid-12: .*12\.700 mm thick.*12\.000 mm"):
        recognise(wrong)
    # within 0.01 mm passes
    assert recognise(SheetPart("lid-ok", lid.solid, "hdpe", 12.695)).outline.area == pytest.approx(60000)


def test_chamfered_edge_is_not_2_5d() -> None:
    solid = cq.Workplane().box(100, 80, 10, centered=False).edges(">Z").chamfer(2).val()
    with pytest.raises(RecognitionError, match=r"chamf: face .* neither horizontal nor vertical"):
        recognise(SheetPart("chamf", solid, "hdpe", 10.0))


def test_two_pieces_are_refused() -> None:
    solid = cq.Compound.makeCompound([cq.Solid.makeBox(10, 10, 5), cq.Solid.makeBox(10, 10, 5, cq.Vector(20, 0, 0))])
    with pytest.raises(RecognitionError, match="pair: the bottom face is 2 separate pieces"):
        recognise(SheetPart("pair", solid, "hdpe", 5.0))


# --------------------------------------------------------------------------- blind features


def test_blind_hole_counterbore_and_stepped_pocket() -> None:
    def top(wp: cq.Workplane) -> cq.Workplane:
        return wp.faces(">Z").workplane(centerOption="ProjectedOrigin", origin=(0, 0, 0))

    s = cq.Workplane().box(100, 80, 10, centered=False)
    s = top(s).pushPoints([(20, 20)]).hole(8, 4)  # blind Ø8, 4 deep
    s = top(s).pushPoints([(80, 20)]).cboreHole(6, 11, 3)  # Ø6 through, Ø11 × 3 counterbore
    s = top(s).center(50, 55).rect(40, 20).cutBlind(-2)  # 40 × 20 × 2 recess...
    s = top(s).center(50, 55).rect(20, 10).cutBlind(-5)  # ...with a 20 × 10 step to 5
    f = recognise(SheetPart("blind", s.val(), "hdpe", 10.0, label=""))
    assert f.label == "blind"
    assert _close(_holes(f), [(20, 20, 8, 4), (80, 20, 11, 3), (80, 20, 6, 10)], 1e-9)
    # Nested: the 2 mm pocket is the whole recess, the 5 mm one its deeper step.
    assert [(p.name, p.depth) for p in f.pockets] == [("pocket-1", 2.0), ("pocket-2", 5.0)]
    assert f.pockets[0].region.area == pytest.approx(40 * 20, abs=1e-6)
    assert f.pockets[1].region.area == pytest.approx(20 * 10, abs=1e-6)
    assert f.pockets[1].region.within(f.pockets[0].region.buffer(1e-9))


def test_recognition_is_deterministic(parts: dict[str, SheetPart], features: dict[str, PartFeatures]) -> None:
    again = recognise(parts["gallery-slot-plate"])
    first = features["gallery-slot-plate"]
    assert again.outline.equals_exact(first.outline, 0.0)
    assert again.round_holes == first.round_holes
    assert all(a.region.equals_exact(b.region, 0.0) for a, b in zip(again.inside_cuts, first.inside_cuts))


# --------------------------------------------------------------------------- countersinks


def test_countersinks_are_read_from_a_tilted_part_with_their_holes() -> None:
    def top(wp: cq.Workplane) -> cq.Workplane:
        return wp.faces(">Z").workplane(centerOption="ProjectedOrigin", origin=(0, 0, 0))

    s = cq.Workplane().box(100, 60, 10, centered=False)
    s = top(s).pushPoints([(20, 30)]).cskHole(5.5, 11.0, 82)  # through, an 82° (inch flat-head) sink
    s = top(s).pushPoints([(70, 30)]).cskHole(4.0, 8.0, 90, depth=6)  # a blind hole, sunk
    tilted = s.val().rotate(cq.Vector(0, 0, 0), cq.Vector(1, 0, 0), 90)  # standing on its long edge
    f = recognise(SheetPart("sunk", tilted, "hdpe", 10.0))
    assert _close(_holes(f), [(20, 30, 5.5, 10), (70, 30, 4.0, 6)], 1e-6)
    got = [(c.hole, c.x, c.y, c.diameter, c.angle, c.depth) for c in f.countersinks]
    # depth by hand: (D − d)/2 / tan(angle/2)
    assert _close([g[1:] for g in got], [(20, 30, 11.0, 82, 2.75 / math.tan(math.radians(41))),
                                         (70, 30, 8.0, 90, 2.0)], 1e-5)
    assert [g[0] for g in got] == ["hole-1", "hole-2"]
    assert [c.name for c in f.countersinks] == ["countersink-1", "countersink-2"]


def test_a_cone_about_no_hole_is_not_a_countersink() -> None:
    # a conical dimple from the top (a drill point without its hole) ends in a point, not a hole
    dimple = cq.Solid.makeCone(6.0, 0.0, 6.0, cq.Vector(50, 30, 10), cq.Vector(0, 0, -1))
    solid = cq.Workplane().box(100, 60, 10, centered=False).cut(dimple).val()
    with pytest.raises(RecognitionError, match=r"dimple: face \d+ \(CONE\) is neither horizontal nor vertical"):
        recognise(SheetPart("dimple", solid, "hdpe", 10.0))
    # a sink on the bottom face would be cut from below
    s = cq.Workplane().box(100, 60, 10, centered=False)
    s = s.faces("<Z").workplane(centerOption="ProjectedOrigin", origin=(0, 0, 0)).pushPoints([(20, -30)])
    s = s.cskHole(5.5, 11.0, 90)
    s = s.faces(">Z").workplane(centerOption="ProjectedOrigin", origin=(0, 0, 0)).pushPoints([(70, 30)])
    s = s.cskHole(5.5, 11.0, 90)
    with pytest.raises(RecognitionError, match=r"below: face \d+ \(CONE\) is neither horizontal nor vertical"):
        recognise(SheetPart("below", s.val(), "hdpe", 10.0))
