"""The enclosure against hand-computed dimensions, volumes and hole counts (default parameters)."""

import math

import pytest

from osehw.analyses import Inputs
from osehw.analyses.geometry import assembly_solids, interferences
from osehw.analyses.thermal import thermal
from osehw.core.solids import exact_box, through_hole_count
from osehw.designs.node_enclosure import (
    inner_dimensions,
    layout_equipment,
    seal_geometry,
)

T = 12.7
IX, IY, IZ = 419.0, 220.0, 70.0  # see test_inner_dimensions_from_contents
OX, OY = IX + 2 * T, IY + 2 * T


def rounded_rect_area(x, y, d):
    return x * y + 2 * (x + y) * d + math.pi * d * d


def cyl(d, h=T):
    return math.pi * d * d / 4 * h


GROOVE = (rounded_rect_area(IX, IY, 1.0 + 4.05) - rounded_rect_area(IX, IY, 1.0)) * 2.25


def part(design, name):
    return next(p for p in design.sheet_parts if p.name == name)


def round_holes(solid):
    return through_hole_count(solid)


def test_inner_dimensions_from_contents(enclosure_type):
    p = enclosure_type.schema()
    # rows (gap 15, max 420): MPPT 113 + hEX 113 + fuse block 133 → 15+113+15+113+15+133+15 = 419;
    # second row: three 65 × 35 surge protectors. Width: 15+100+15+35+15 + 40 cable room = 220.
    # Height: tallest 40 + 30 headroom = 70.
    assert inner_dimensions(p) == (IX, IY, IZ)
    placed = layout_equipment(p)
    assert [(e.equipment_id, e.x, e.y) for e in placed][:4] == [
        ("victron-mppt-75-15", 15, 15), ("mikrotik-hex-poe", 143, 15), ("fuse-block-6way", 271, 15),
        ("surge-eth-poe", 15, 130)]


def test_seal_follows_the_o_ring_rule(enclosure_type):
    s = seal_geometry(enclosure_type.schema())
    assert s.depth == pytest.approx(3.0 * 0.75)  # 25 % squeeze
    assert s.width == pytest.approx(3.0 * 1.35)
    assert s.fill == pytest.approx((math.pi * 9 / 4) / (4.05 * 2.25))  # 77.6 %
    assert 0.75 <= s.fill <= 0.85


def test_lid_volume_box_and_holes(enclosure):
    lid = part(enclosure, "lid").solid
    expected = OX * OY * T - 16 * cyl(4.5) - GROOVE
    assert lid.Volume() == pytest.approx(expected, rel=1e-7)
    assert exact_box(lid) == pytest.approx((-OX / 2, -OY / 2, 0, OX / 2, OY / 2, T), abs=1e-6)
    assert round_holes(lid) == 16


def test_back_has_flanges_and_ubolt_holes(enclosure):
    back = part(enclosure, "back").solid
    expected = OX * (OY + 100) * T - 16 * cyl(4.5) - 4 * cyl(9.0) - GROOVE
    assert back.Volume() == pytest.approx(expected, rel=1e-7)
    assert round_holes(back) == 20
    holes = sorted((round(e.Center().x, 3), round(e.Center().y, 3)) for e in back.Edges()
                   if e.geomType() == "CIRCLE" and abs(e.radius() - 4.5) < 1e-6 and abs(e.Center().z) < 1e-6)
    # U-bolt legs straddle the Ø48.3 pole: ±(48.3 + 8)/2 = ±28.15; flanges centred 25 mm beyond the box
    y = OY / 2 + 25
    assert holes == [(-28.15, -y), (-28.15, y), (28.15, -y), (28.15, y)]


def test_bottom_wall_carries_glands_and_vent(enclosure):
    wall = part(enclosure, "wall-bottom").solid
    glands = 4 * cyl(20.3) + cyl(25.3) + cyl(12.5)
    assert wall.Volume() == pytest.approx(OX * IZ * T - 4 * cyl(4.5) - glands, rel=1e-7)
    assert round_holes(wall) == 4 + 6
    assert part(enclosure, "wall-top").solid.Volume() == pytest.approx(OX * IZ * T - 4 * cyl(4.5), rel=1e-7)
    assert part(enclosure, "wall-end").quantity == 2
    assert part(enclosure, "wall-end").solid.Volume() == pytest.approx(IY * IZ * T, rel=1e-9)


def test_assembly_closes_without_interference(enclosure):
    solids = assembly_solids(enclosure.assembly)
    assert len(solids) == 6 + 6  # six panels, six equipment boxes
    assert interferences(solids) == []
    boxes = [exact_box(s) for _, s in solids]
    lo = [min(b[i] for b in boxes) for i in range(3)]
    hi = [max(b[i + 3] for b in boxes) for i in range(3)]
    assert hi[0] - lo[0] == pytest.approx(OX)
    assert hi[1] - lo[1] == pytest.approx(OY + 100)
    assert hi[2] - lo[2] == pytest.approx(IZ + 2 * T)


def test_a_moved_panel_is_caught_as_interference(enclosure):
    solids = assembly_solids(enclosure.assembly)
    name, lid = next((n, s) for n, s in solids if n == "lid")
    sunk = lid.translate((0, 0, -5.0))  # push the lid 5 mm into the walls
    clashes = interferences([(n, s) for n, s in solids if n != "lid"] + [("lid", sunk)])
    assert {frozenset((a, b)) for a, b, _ in clashes} >= {frozenset(("wall-top", "lid")),
                                                          frozenset(("wall-bottom", "lid"))}


def test_changing_parameters_changes_the_model(enclosure_type):
    fewer = enclosure_type.build(enclosure_type.schema(m20_glands=2))
    wall = part(fewer, "wall-bottom").solid
    assert round_holes(wall) == 8
    thick = enclosure_type.build(enclosure_type.schema(wall_thickness=19.05))
    lid = part(thick, "lid").solid
    assert exact_box(lid)[3] - exact_box(lid)[0] == pytest.approx(IX + 2 * 19.05)
    assert thermal(Inputs(thick)).summary["surface_area_m2"] > 0.35


def test_thermal_analysis_numbers(enclosure):
    th = thermal(Inputs(enclosure)).summary
    area = 2 * (OX * OY + OX * (IZ + 2 * T) + OY * (IZ + 2 * T)) * 1e-6
    heat = 12.0 + 3.6 + 0.5
    assert th["surface_area_m2"] == pytest.approx(area, abs=1e-5)
    assert th["inside_c"] == pytest.approx(45 + heat / (3.5 * area), abs=1e-3)
    assert th["rating_c"] == 60 and th["ok"] is True


def test_purchased_counts(enclosure):
    qty = {i.catalog_id: i.quantity for i in enclosure.purchased}
    assert qty["screw-m4x30-ss-pt"] == 2 * 16 + 8
    assert qty["gland-m20-ip68"] == 4 and qty["gland-m25-ip68"] == 1 and qty["vent-m12-membrane"] == 1
    assert qty["surge-eth-poe"] == 3 and qty["ubolt-m8-2in"] == 2
    ring = 2 * (IX + IY) + 2 * math.pi * (1.0 + 4.05 / 2)  # groove centre line
    assert qty["gasket-cord-silicone-3mm"] == pytest.approx(math.ceil(2 * ring * 1.05 / 100) / 10)
