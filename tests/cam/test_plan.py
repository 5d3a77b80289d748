"""Per-part plans: every feature becomes an operation, in a sound order, errors collected."""

from __future__ import annotations

import math

import pytest
import shapely
from shapely.geometry import Point, box

from osehw.cam.ops.feeds import feeds_and_speeds
from osehw.cam.ops.profile import ManufacturabilityError
from osehw.cam.ordering import check_order
from osehw.cam.plan import label_position, plan_part, sharp_concave_corners
from osehw.cam.recognise.features import InsideCut, PartFeatures, Pocket, RoundHole
from osehw.cam.recognise.solid import recognise
from osehw.cam.shop import load_machines, load_tools
from osehw.cam.transform import walk
from osehw.catalog import materials
from osehw.designs.gallery_parts import gasket_lid
from tests.cam.swept import swept_at

TOOLS = load_tools()
MACHINES = load_machines()
MATERIALS = materials()


def plan(features: PartFeatures, machine_id: str = "grbl-hobby-800", material_id: str = "plywood", **kw):
    machine = MACHINES[machine_id]
    material = MATERIALS[material_id]
    return plan_part(features, machine=machine, material=material, tools=TOOLS,
                     feeds_for=lambda t: feeds_and_speeds(machine, t, material), **kw)


def plate() -> PartFeatures:
    return PartFeatures(
        part="plate",
        thickness=12.0,
        outline=box(0, 0, 200, 150),
        round_holes=(RoundHole("h-drill", 20.0, 20.0, 5.0, 12.0), RoundHole("h-bore", 150.0, 100.0, 30.0, 12.0),
                     RoundHole("h-blind", 180.0, 20.0, 6.5, 4.0)),
        inside_cuts=(InsideCut("slot", box(40, 100, 100, 112), receives_part=True),),
        pockets=(Pocket("recess", box(40, 30, 100, 70), 3.0), Pocket("narrow", box(120, 30, 125, 70), 2.0)),
        label="P1",
    )


def test_plate_plan_has_one_operation_per_feature_in_a_sound_order() -> None:
    p = plan(plate())
    kinds = {(op.feature, op.kind, op.tool) for op in p.operations}
    assert kinds == {
        ("h-drill", "drill", "drill-5"),
        ("h-bore", "helical_bore", "em-6.35-2f-up"),
        ("h-blind", "helical_bore", "em-6.35-2f-up"),
        ("slot", "profile_inside", "em-6.35-2f-up"),
        ("recess", "pocket", "em-6.35-2f-up"),
        ("narrow", "pocket", "em-3.175-2f-up"),  # 5 mm wide: the 6.35 mm mill does not fit
        ("outline", "profile_outside", "em-6.35-2f-up"),
        ("label P1", "engrave", "vbit-90"),
    }
    assert p.operations[-1].kind == "profile_outside"
    assert check_order(p.operations) == []
    assert p.tools == ("vbit-90", "drill-5", "em-3.175-2f-up", "em-6.35-2f-up")
    depth = {op.feature: op.depth for op in p.operations}
    # Through cuts: 12 mm stock + 0.3 mm breakthrough; the drill adds its 1.502 mm point.
    assert depth["outline"] == pytest.approx(12.3)
    assert depth["slot"] == pytest.approx(12.3)
    assert depth["h-bore"] == pytest.approx(12.3)
    assert depth["h-drill"] == pytest.approx(12.3 + 2.5 / math.tan(math.radians(59)))
    assert depth["h-blind"] == pytest.approx(4.0)
    assert depth["recess"] == pytest.approx(3.0)
    assert any("'narrow' needs the smaller em-3.175-2f-up" in n for n in p.notes)


def test_label_sits_in_solid_material() -> None:
    f = plate()
    p = plan(f)
    label = next(op for op in p.operations if op.kind == "engrave")
    holes = [Point(h.x, h.y).buffer(h.diameter / 2) for h in f.round_holes]
    solid = f.outline.difference(shapely.union_all(holes + [c.region for c in f.inside_cuts]
                                                   + [q.region for q in f.pockets]))
    segments, _ = walk(label.moves)
    cutting = [s for s in segments if s.kind != "rapid" and s.end[2] < 0]
    assert cutting
    # 90° v-bit at 0.5 mm: 1 mm wide groove; it stays ≥ 2 mm − 0.5 mm inside the material.
    for s in cutting:
        assert solid.buffer(-1.5).covers(Point(s.end[:2]))


def test_label_position_by_hand() -> None:
    # "AB" at 12 mm: 20 × 12 mm of strokes, 24 × 16 mm with the 2 mm margin. In a 30 × 12 strip
    # 12 mm (24 × 16) and 10 mm (20.7 × 14) do not fit; 8 mm (13.3 + 4 by 8 + 4 = 12) just does.
    # In 15 × 8 even 5 mm (8.3 + 4 by 5 + 4 = 9) is too tall: no label.
    x, y, h = label_position(box(0, 0, 100, 40), "AB")
    assert h == 12.0
    assert 2.0 <= x and x + 20 <= 98.0 and 2.0 <= y and y + 12 <= 38.0
    assert y + 6 == pytest.approx(20.0, abs=0.3)  # vertically centred within the grid step
    assert label_position(box(0, 0, 30, 12), "AB")[2] == 8.0
    assert label_position(box(0, 0, 15, 8), "AB") is None


def test_all_unmakeable_features_are_reported_together() -> None:
    f = PartFeatures(
        part="bracket",
        thickness=6.0,
        outline=box(0, 0, 100, 60),
        round_holes=(RoundHole("tiny", 10.0, 10.0, 1.5, 6.0), RoundHole("ok", 50.0, 30.0, 5.0, 6.0)),
        inside_cuts=(InsideCut("slit", box(30, 40, 70, 42)),),
    )
    with pytest.raises(ManufacturabilityError) as err:
        plan(f)
    message = str(err.value)
    assert message.startswith("bracket: 2 feature(s) cannot be made:")
    assert "hole 'tiny' Ø1.5 mm is smaller than every tool (smallest 3.175 mm)" in message
    assert "slit" in message
    assert "'ok'" not in message


def test_no_vbit_means_no_label_and_a_note() -> None:
    machine = MACHINES["grbl-hobby-800"].model_copy(update={"tools": ("em-6.35-2f-up", "drill-5")})
    material = MATERIALS["plywood"]
    f = PartFeatures(part="tag", thickness=12.0, outline=box(0, 0, 80, 40), label="T1")
    p = plan_part(f, machine=machine, material=material, tools=TOOLS,
                  feeds_for=lambda t: feeds_and_speeds(machine, t, material))
    assert [op.kind for op in p.operations] == ["profile_outside"]
    assert "label 'T1' not engraved: the machine has no v-bit" in p.notes
    assert plan(f, label=False).tools == ("em-6.35-2f-up",)


def test_sharp_concave_corners() -> None:
    l_shape = box(0, 0, 100, 100).difference(box(50, 50, 100, 100))
    assert sharp_concave_corners(l_shape) == 1
    assert sharp_concave_corners(box(0, 0, 10, 10)) == 0
    rounded = box(0, 0, 100, 100).difference(box(50, 50, 100, 100).buffer(5, quad_segs=32))
    assert sharp_concave_corners(rounded) == 0


def test_gallery_lid_groove_cleared_and_holes_bored() -> None:
    f = recognise(gasket_lid())
    p = plan(f, material_id="hdpe")
    (groove,) = f.pockets
    pocket = next(op for op in p.operations if op.kind == "pocket")
    assert pocket.tool == "em-3.175-2f-up" and pocket.depth == pytest.approx(2.3)
    swept = swept_at(pocket, -2.3, 3.175 / 2)
    assert swept.intersection(groove.region).area == pytest.approx(groove.region.area, abs=0.1)
    assert swept.difference(groove.region.buffer(0.01)).area < 1e-6
    holes = [op for op in p.operations if op.feature.startswith("hole")]
    assert len(holes) == 4 and all(op.kind == "helical_bore" for op in holes)
    assert p.operations[-1].feature == "outline" and check_order(p.operations) == []


def test_plan_is_deterministic() -> None:
    assert plan(plate()) == plan(plate())
