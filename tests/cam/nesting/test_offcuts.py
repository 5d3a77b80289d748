"""Waste boxed in between nested parts: predicted from the placed outlines, and nested away."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Point, box

from osehw.cam.nesting.offcuts import boxed_in_waste, nest_clear_of_offcuts
from osehw.cam.nesting.raster import NestItem, NestResult, Placement, nest

D = 6.35  # outline cutter [mm]
H = 2.0  # nesting grid [mm]: coarse, for speed


def _sheet(shapes: dict, at: dict, size=(500.0, 300.0)) -> NestResult:
    placements = tuple(Placement(name, 0, 0, x, y, 0.0) for name, (x, y) in at.items())
    return NestResult(placements, size[0], size[1], 1, (0.0,), "test")


# a U open to the right (100 × 100, arms 20 wide), a bar 20 × 140, and a plate with a Ø40 hole
U = box(0, 0, 100, 100).difference(box(20, 20, 100, 80))
BAR = box(0, 0, 20, 140)
PLATE = box(0, 0, 100, 100).difference(Point(50, 50).buffer(20))
SHAPES = {"u": U, "bar": BAR, "plate": PLATE}


def test_a_bar_closing_a_us_mouth_boxes_its_waste_in() -> None:
    # the bar 10 mm from the U's arm tips: both cuts (D wide each) meet across the gap
    found = boxed_in_waste(_sheet(SHAPES, {"u": (50, 50), "bar": (160, 30), "plate": (300, 50)}), SHAPES, D)
    assert len(found) == 1  # the plate's slug (inside its own exterior) is not waste between parts
    (piece,) = found
    assert 70 < piece.x < 160 and 70 < piece.y < 130
    # by hand: the 80 × 60 mouth and the 10 mm gap, less a cut along the U's inner sides and the bar's side
    assert piece.area == pytest.approx((80 - D + 10 - D) * (60 - 2 * D), rel=0.02)
    # the same check the programs get (osehw.cam.verify.sheet.free_offcuts) from the true sweeps found the
    # same piece in tests/cam/test_job.py; apart by more than two cuts, the skeleton runs between them
    assert boxed_in_waste(_sheet(SHAPES, {"u": (50, 50), "bar": (150 + 2 * D + 1, 30), "plate": (300, 50)}),
                          SHAPES, D) == []


def test_nesting_sets_parts_apart_only_where_close_nesting_boxes_waste_in() -> None:
    # a comb of four 12-deep notches and a plain plate: the nester sets the plate against the comb's teeth
    comb = box(0, 0, 300, 100)
    for k in range(4):
        comb = comb.difference(box(30 + 70 * k, 0, 60 + 70 * k, 12))  # on the edge that meets the plate
    items = [NestItem("comb", comb, 1, allow_rotation=False), NestItem("plate", box(0, 0, 300, 150), 1,
                                                                         allow_rotation=False)]
    size, margin = (340.0, 400.0), 18.2
    close = nest(items, *size, spacing=D + 2, margin=margin, resolution=H)
    shapes = {i.name: i.shape for i in items}
    assert boxed_in_waste(close, shapes, D)  # the case that used to free waste
    fixed = nest_clear_of_offcuts(items, *size, spacing=D + 2, wide_spacing=2 * D + 2, margin=margin, cut_width=D,
                                  resolution=H)
    assert boxed_in_waste(fixed, shapes, D) == []
    placed = [shapely.affinity.translate(shapes[p.name], p.x, p.y) for p in fixed.placements]
    assert placed[0].distance(placed[1]) >= 2 * D + 2 - 1e-6
    # parts that box nothing in keep the close nest exactly
    plain = [NestItem("a", box(0, 0, 100, 80), 2), NestItem("b", box(0, 0, 60, 60), 3)]
    assert nest_clear_of_offcuts(plain, 500, 300, spacing=D + 2, wide_spacing=2 * D + 2, margin=margin,
                                 cut_width=D, resolution=H) == nest(plain, 500, 300, spacing=D + 2, margin=margin,
                                                                    resolution=H)
