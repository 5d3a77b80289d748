"""The CAM test gallery: the parts are what they claim, checked by hand-computed volumes."""

from __future__ import annotations

import math

import cadquery as cq
import pytest

from osehw.cam.recognise.features import PartFeatures
from osehw.cam.recognise.solid import recognise
from osehw.core.design import SheetPart
from osehw.designs import gallery_parts as gallery

SMALLEST_TOOL = 3.175  # [mm] the smallest end mill issue 3 ships
LARGEST_END_MILL = 6.35  # [mm]


@pytest.fixture(scope="module")
def parts() -> dict[str, SheetPart]:
    return {p.name: p for p in gallery.gallery_parts()}


@pytest.fixture(scope="module")
def features(parts: dict[str, SheetPart]) -> dict[str, PartFeatures]:
    return {name: recognise(p) for name, p in parts.items()}


def _disc(d: float) -> float:
    return math.pi * d * d / 4.0


def test_parts_are_named_labelled_and_use_known_materials(parts: dict[str, SheetPart]) -> None:
    assert list(parts) == [
        "gallery-finger-panel",
        "gallery-slot-plate",
        "gallery-parabolic-rib",
        "gallery-gusset",
        "gallery-gasket-lid",
    ]
    for p in parts.values():
        assert p.material in {"hdpe", "plywood", "aluminium-6061"}
        assert p.label and p.quantity >= 1
    assert {p.material for p in parts.values()} == {"hdpe", "plywood", "aluminium-6061"}
    assert parts["gallery-finger-panel"].fit == "slot"


def test_every_part_is_one_valid_solid_lying_flat_at_the_origin(parts: dict[str, SheetPart]) -> None:
    for p in list(parts.values()) + gallery.refused_parts():
        assert p.solid.isValid(), p.name
        assert len(p.solid.Solids()) == 1, p.name
        bb = p.solid.BoundingBox()
        assert (bb.xmin, bb.ymin, bb.zmin, bb.zmax) == pytest.approx((0, 0, 0, p.thickness), abs=1e-6), p.name


def test_volumes_by_hand(parts: dict[str, SheetPart]) -> None:
    # Finger panel: (300·180 − 8 notches 12·20 − slot 12·60) · 12.
    assert parts["gallery-finger-panel"].solid.Volume() == pytest.approx((54000 - 8 * 240 - 720) * 12, rel=1e-9)
    # Plate: rounded rectangle less 4 × Ø6.5, Ø30, 2 × Ø5 and two arc slots, · 6.35.
    slot = math.pi / 6 * (54**2 - 46**2) + _disc(8)
    plate = 200 * 150 - (4 - math.pi) * 100 - 4 * _disc(6.5) - _disc(30) - 2 * _disc(5) - 2 * slot
    assert parts["gallery-slot-plate"].solid.Volume() == pytest.approx(plate * 6.35, rel=1e-9)
    # Rib: 42000 mm² under the parabola (see test_recognise) less 2 × Ø6.5, · 12.
    assert parts["gallery-parabolic-rib"].solid.Volume() == pytest.approx((42000 - 2 * _disc(6.5)) * 12, rel=1e-9)
    # Gusset: chamfered triangle less 3 × Ø6.5, · 12.7.
    gusset = 20000 - 50 - 100 * math.sin(math.radians(45)) - 3 * _disc(6.5)
    assert parts["gallery-gusset"].solid.Volume() == pytest.approx(gusset * 12.7, rel=1e-9)
    # Lid: 300·200·12.7 less 4 × Ø6.5 through and the groove, 4.5 × centreline × 2.3.
    groove = 4.5 * (2 * 250 + 2 * 150 + 2 * math.pi * 10) * 2.3
    lid = 300 * 200 * 12.7 - 4 * _disc(6.5) * 12.7 - groove
    assert parts["gallery-gasket-lid"].solid.Volume() == pytest.approx(lid, rel=1e-9)


def test_rib_edge_is_an_exact_parabola(parts: dict[str, SheetPart]) -> None:
    rib = parts["gallery-parabolic-rib"]
    kinds = {e.geomType() for e in rib.solid.Edges()}
    assert "BEZIER" in kinds  # a curve, not a polyline
    for x in (0.0, 100.0, 250.0, 300.0, 420.0, 600.0):
        y = 40.0 + (x - 300.0) ** 2 / 1000.0  # y = x²/(4f), f = 250, vertex at (300, 40)
        assert gallery.rib_parabola_y(x) == pytest.approx(y)
        inside = cq.Vector(min(max(x, 0.01), 599.99), y - 0.01, 6.0)
        outside = cq.Vector(min(max(x, 0.01), 599.99), y + 0.01, 6.0)
        assert rib.solid.isInside(inside, 1e-6) and not rib.solid.isInside(outside, 1e-6)


def test_gallery_exercises_every_cam_feature(features: dict[str, PartFeatures]) -> None:
    all_holes = [h for f in features.values() for h in f.round_holes]
    all_cuts = [c for f in features.values() for c in f.inside_cuts]
    assert any(c.receives_part for c in all_cuts)  # dogbones
    assert any(not c.receives_part for c in all_cuts)  # arc slots
    assert any(h.diameter > LARGEST_END_MILL for h in all_holes)  # helical bore
    assert any(h.diameter == 5.0 for h in all_holes)  # the 5 mm drill
    assert any(p.depth < f.thickness for f in features.values() for p in f.pockets)  # blind pocket
    # Nothing the build cuts is smaller than every tool...
    assert min(h.diameter for h in all_holes) >= SMALLEST_TOOL
    # ...and the refused part is.
    (tiny,) = gallery.refused_parts()
    assert min(h.diameter for h in recognise(tiny).round_holes) == 1.5 < SMALLEST_TOOL


def test_gallery_is_deterministic(parts: dict[str, SheetPart]) -> None:
    again = gallery.gallery_parts()
    for p in again:
        first = parts[p.name].solid
        assert p.solid.Volume() == first.Volume()
        assert len(p.solid.Faces()) == len(first.Faces())
