"""The antenna mount against hand geometry and hand loads: hole sizes and positions from the U-bolt, the slot's
arc about the pivot over the elevation range (read back from the solid's edges), edge distances from the
outline, refused parameters, and the dish and sector loads by TIA-222-H Ca·A."""

import math
from dataclasses import replace

import pytest

from osehw.core.params import ParamError, validate
from osehw.core.solids import exact_box
from osehw.designs.antenna_mount import (
    MountParams,
    build,
    layout,
    mount_findings,
    pipe_plate,
    tilt_arm,
)

T = 12.7  # the default plate (MountParams.plate_thickness)


@pytest.fixture(scope="module")
def mount():
    return build(MountParams())  # RD-5G34 on a 73.03 mm mast, -15..+15°, slot r = 100


def openings(solid):
    """The bottom face's openings: round holes as (x, y, diameter), and every circular edge of the others
    as (centre x, centre y, radius, start point, end point) — read from OCC, not from the design's code."""
    bottom = max((f for f in solid.Faces() if f.geomType() == "PLANE" and abs(f.Center().z) < 1e-6),
                 key=lambda f: f.Area())
    holes, arcs = [], []
    for wire in bottom.innerWires():
        edges = wire.Edges()
        if len(edges) == 1:
            c = edges[0].arcCenter()
            holes.append((round(c.x, 3), round(c.y, 3), round(2 * edges[0].radius(), 3)))
        else:
            for e in edges:
                c = e.arcCenter()
                arcs.append((c.x, c.y, e.radius(), e.startPoint(), e.endPoint()))
    return sorted(holes), arcs


def part(design, name):
    return next(p for p in design.sheet_parts if p.name == name)


def test_ubolt_holes_are_sized_and_spaced_to_the_pipe(mount):
    # 73.03 mm is past the 2 in U-bolt (48-60 mm): the M10 3 in U-bolt, inside 90 mm, legs 90 + 10 = 100 apart,
    # clearance holes 11 mm (ISO 273 medium), the two U-bolts 120 mm apart along the pipe
    assert mount.summary["ubolt"] == "ubolt-m10-3in"
    holes, _ = openings(part(mount, "pipe-plate").solid)
    assert holes == sorted([(-50.0, -60.0, 11.0), (50.0, -60.0, 11.0), (-50.0, 60.0, 11.0), (50.0, 60.0, 11.0),
                            (94.0, 0.0, 11.0)])  # the pivot: 50 + 2 × 22 mm margin beyond the legs
    # a 2 in tower leg takes the M8 2 in U-bolt: legs 61 + 8 = 69 apart, 9 mm holes
    small = layout(MountParams(pipe="tube-6061-50.8x6.35"))
    assert small.ubolt_id == "ubolt-m8-2in" and small.ubolt_hole == 9.0
    assert sorted(small.ubolt_holes) == [(-34.5, -60.0), (-34.5, 60.0), (34.5, -60.0), (34.5, 60.0)]


def test_the_slot_is_an_arc_about_the_pivot_over_the_elevation_range(mount):
    _, arcs = openings(part(mount, "pipe-plate").solid)
    sides = [a for a in arcs if abs(a[2] - 5.5) > 1e-3]
    ends = [a for a in arcs if abs(a[2] - 5.5) <= 1e-3]
    assert len(sides) == 2 and len(ends) == 2
    for cx, cy, r, *_ in sides:  # both long sides centred on the pivot (94, 0), at 100 ∓ 5.5
        assert (cx, cy) == (pytest.approx(94.0, abs=1e-6), pytest.approx(0.0, abs=1e-6))
    assert sorted(a[2] for a in sides) == [pytest.approx(94.5), pytest.approx(105.5)]
    # the round ends are centred on the centreline at -15° and +15° about the pivot
    angles = sorted(math.degrees(math.atan2(cy, cx - 94.0)) for cx, cy, *_ in ends)
    assert angles == [pytest.approx(-15.0, abs=1e-6), pytest.approx(15.0, abs=1e-6)]
    assert all(math.hypot(cx - 94.0, cy) == pytest.approx(100.0) for cx, cy, *_ in ends)


def test_an_asymmetric_range_and_radius_move_the_slot_ends():
    p = MountParams(elevation_min=-5, elevation_max=30, slot_radius=150)
    lay = layout(p)
    _, arcs = openings(pipe_plate(lay, T))
    ends = [a for a in arcs if abs(a[2] - 5.5) <= 1e-3]
    pts = sorted((round(cx, 4), round(cy, 4)) for cx, cy, *_ in ends)
    by_hand = sorted((round(94 + 150 * math.cos(math.radians(a)), 4), round(150 * math.sin(math.radians(a)), 4))
                     for a in (-5, 30))
    assert pts == by_hand


def test_edge_distances_are_two_bolt_diameters_and_more(mount):
    # outline = hull of the bolt centres grown by 2·D + 2 = 22 mm (D = 10): the plate's box is the extreme
    # centres ± 22: U-bolt holes x = -50, y = ±60; the slot's far point (194, 0) at elevation 0
    x0, y0, z0, x1, y1, z1 = exact_box(part(mount, "pipe-plate").solid)
    assert (x0, y0, x1, y1) == (pytest.approx(-72.0), pytest.approx(-82.0), pytest.approx(216.0), pytest.approx(82.0))
    assert (z0, z1) == (pytest.approx(0.0), pytest.approx(T))
    x0, y0, _, x1, y1, _ = exact_box(part(mount, "tilt-arm").solid)
    assert (x0, y0, x1, y1) == (pytest.approx(-22.0), pytest.approx(-22.0), pytest.approx(262.0), pytest.approx(22.0))
    edges = mount.summary["edge_distance_mm"]
    assert edges["ubolt"] == pytest.approx(22.0) and edges["arm"] == pytest.approx(22.0)
    # the outline holds the polygon circumscribing the slot's arc: the whole centreline is ≥ 22 mm in
    assert edges["slot"] == pytest.approx(22.0, abs=1e-3)
    assert all(edges[k] >= 2 * 10 for k in ("ubolt", "pivot", "slot", "arm")) and edges["antenna"] >= 2 * 8
    assert [f.code for f in mount.findings] == ["MOUNT_OK", "MOUNT_CLAMP_SLIP", "MOUNT_ARM_BOLTS", "MOUNT_PLATE_BENDING"]
    assert all(f.severity == "info" for f in mount.findings)


def test_holes_of_the_tilt_arm(mount):
    holes, arcs = openings(part(mount, "tilt-arm").solid)
    assert not arcs
    assert holes == [(0.0, 0.0, 11.0), (100.0, 0.0, 11.0), (160.0, 0.0, 9.0), (240.0, 0.0, 9.0)]


def test_a_plate_that_breaks_a_rule_is_named_by_the_findings():
    lay = layout(MountParams())
    thin = replace(lay, margin=15.0)  # 15 mm < 2·D: 20 mm for the M10 bolts and U-bolts, 16 mm for the M8
    found, _ = mount_findings("m", pipe_plate(thin, T), tilt_arm(thin, T), lay)
    assert {f.subject for f in found if f.code == "MOUNT_EDGE_DISTANCE"} == {"m/ubolt", "m/slot", "m/arm",
                                                                             "m/antenna"}
    ok, _ = mount_findings("m", pipe_plate(replace(lay, margin=16.0), T), tilt_arm(replace(lay, margin=16.0), T), lay)
    assert {f.subject for f in ok if f.code == "MOUNT_EDGE_DISTANCE"} == {"m/ubolt", "m/slot", "m/arm"}
    short = replace(lay, elevation=(-10.0, 10.0))  # cut for ±10°, asked to cover ±15°
    found, _ = mount_findings("m", pipe_plate(short, T), tilt_arm(lay, T), lay)
    (slot,) = [f for f in found if f.code == "MOUNT_SLOT_RANGE"]
    assert slot.is_error and "-10.00..10.00°" in slot.message
    narrow = replace(lay, slot_width=3.0)  # 3 mm: under the 3.175 mm cutter
    found, measured = mount_findings("m", pipe_plate(narrow, T), tilt_arm(lay, T), lay)
    assert [f.code for f in found] == ["MOUNT_SLOT_WIDTH"] and measured["slot_measured_width_mm"] == pytest.approx(3.0)


def test_refused_parameters_name_the_field_and_the_rule():
    with pytest.raises(ParamError) as exc:
        validate(MountParams, {"pipe": "pipe-6061-73.0x5.16", "ubolt": "ubolt-m8-2in"}, "m.yaml")
    assert exc.value.lines() == ["m.yaml: ubolt = 'ubolt-m8-2in': fits pipes of 48-60 mm OD, not "
                                 "pipe-6061-73.0x5.16's 73.03 mm"]
    with pytest.raises(ParamError) as exc:
        validate(MountParams, {"pipe": "tube-6061-25.4x3.175"}, "m.yaml")
    (line,) = exc.value.lines()
    assert line.startswith("m.yaml: pipe = 'tube-6061-25.4x3.175': no U-bolt fits its 25.4 mm OD (")
    with pytest.raises(ParamError, match=r"slot_width = 9.0: must be ≥ 11.0 mm"):
        validate(MountParams, {"slot_width": 9.0}, "m.yaml")
    # the U-bolt ranges meet at 48 and 60 mm: the smallest that fits is chosen
    from osehw.designs.antenna_mount import ubolt_for
    assert [ubolt_for(d) for d in (33.0, 48.0, 48.3, 60.0, 60.3, 89.0, 89.5)] == [
        "ubolt-m8-1.5in", "ubolt-m8-1.5in", "ubolt-m8-2in", "ubolt-m8-2in", "ubolt-m10-3in", "ubolt-m10-3in", None]
    # the declared choices offer each pipe only the U-bolts that fit it
    table = dict(MountParams.choices()["ubolt"].table)
    assert table["pipe-6061-73.0x5.16"] == ("auto", "ubolt-m10-3in") and "tube-6061-25.4x3.175" not in table


def test_loads_by_hand(mount):
    # RD-5G34: 1,050 mm, Ca 1.5 (bom/dishes.csv) → EPA = 1.5 · π/4 · 1.05² = 1.29885 m² (TIA-222-H Ka·Ca·A, Ka 1)
    (load,) = mount.loads
    assert load.wind_area_m2 == pytest.approx(1.5 * math.pi / 4 * 1.05 ** 2, abs=1e-4)
    # weight: the dish's 9.8 kg plus the plates; the arm by hand: a 240 × 44 stadium less two Ø11 and two Ø9
    arm_mm3 = (240 * 44 + math.pi * 22 ** 2 - 2 * math.pi * 5.5 ** 2 - 2 * math.pi * 4.5 ** 2) * T
    assert part(mount, "tilt-arm").solid.Volume() == pytest.approx(arm_mm3, rel=1e-6)
    plate_mm3 = part(mount, "pipe-plate").solid.Volume()
    assert load.weight_kg == pytest.approx(9.8 + (arm_mm3 + plate_mm3) * 2700e-9, abs=2e-3)
    # a 700 × 150 mm sector: aspect 4.67 → Ca = 1.2 + 0.2 · (4.667 − 2.5) / 4.5 = 1.2963 (Table 2-8)
    sector = build(MountParams(antenna="sector", count=3, height=28000))
    (s,) = sector.loads
    ca = 1.2 + 0.2 * (700 / 150 - 2.5) / 4.5
    assert s.wind_area_m2 == pytest.approx(3 * ca * 0.7 * 0.15, abs=1e-4)
    assert s.height == 28000 and s.weight_kg == pytest.approx(3 * (6.0 + (arm_mm3 + plate_mm3) * 2700e-9), abs=5e-3)
    assert [(i.catalog_id, i.quantity) for i in sector.purchased] == [
        ("ubolt-m10-3in", 6), ("bolt-m10x40-ss-set", 6), ("bolt-m8x40-ss-set", 6)]


@pytest.mark.parametrize("pipe", ["pipe-6061-48.3x3.68", "tube-6061-50.8x6.35", "pipe-6061-73.0x5.16"])
def test_the_arm_swings_clear_of_the_ubolt_nuts_over_the_widest_range(pipe):
    # the arm lies on the plate's front face, where the U-bolts' nuts and washers sit (ISO 7089 washer OD:
    # M8 16 mm, M10 20 mm); at -45° and +45° about the pivot it must not reach a U-bolt leg's washer
    import cadquery as cq

    p = MountParams(pipe=pipe, elevation_min=-45, elevation_max=45)
    lay = layout(p)
    washer = {8.0: 8.0, 10.0: 10.0}[{9.0: 8.0, 11.0: 10.0}[lay.ubolt_hole]]
    arm = tilt_arm(lay, T)
    for e in (-45.0, 45.0):
        swung = arm.rotate(cq.Vector(0, 0, 0), cq.Vector(0, 0, 1), e).translate(cq.Vector(lay.pivot_x, 0, 0))
        for x, y in lay.ubolt_holes:
            assert cq.Vertex.makeVertex(x, y, T / 2).distance(swung) > washer + 1.0, (pipe, e, x, y)


def test_a_node_carrying_mounts_sums_their_loads(tmp_path):
    # a composite carrying a dish mount at 28 m and three sector mounts at 26 m: the loads analysis adds the
    # weights and EPAs and puts the resultant at the EPA-weighted height
    from osehw.pipeline import BuildPipeline, load

    path = tmp_path / "node.yaml"
    path.write_text("design: composite\nparams:\n  children:\n"
                    "    dish: {design: antenna-mount, params: {height: 28000}}\n"
                    "    sectors: {design: antenna-mount, params: {antenna: sector, count: 3, height: 26000},\n"
                    "              offset: [400, 0, 0]}\n")
    pipe = BuildPipeline(machines=["linuxcnc-4x8"])
    result = pipe.run(pipe.start(load(str(path))), "analyse")
    (d,), (s,) = result.design.children["dish"].loads, result.design.children["sectors"].loads
    total = result.analyses["loads"].summary
    dish_epa, sector_epa = 1.5 * math.pi / 4 * 1.05 ** 2, 3 * (1.2 + 0.2 * (700 / 150 - 2.5) / 4.5) * 0.105
    assert total["wind_area_m2"] == pytest.approx(dish_epa + sector_epa, abs=2e-4)
    assert total["weight_kg"] == pytest.approx(d.weight_kg + s.weight_kg)
    assert total["wind_height_mm"] == pytest.approx((dish_epa * 28000 + sector_epa * 26000) / (dish_epa + sector_epa),
                                                    abs=0.2)


def test_strength_checks_use_the_tia_wind_on_the_dish():
    # at 28 m, exposure C, 51.4 m/s, Gh 0.85: Kz = 2.01 · (28/274)^(2/9.5) = 1.2301, Kd 0.95 (appurtenance)
    # qz = 0.613 · 1.2301 · 0.95 · 51.4² = 1896.7 Pa; F = qz · 0.85 · 1.29885 m² = 2094 N
    d = build(MountParams(height=28000, gust_factor=0.85))
    s = d.summary["strength"]
    kz = 2.01 * (28 / 274) ** (2 / 9.5)
    force = 0.613 * kz * 0.95 * 51.4 ** 2 * 0.85 * 1.5 * math.pi / 4 * 1.05 ** 2
    assert s["wind_n"] == pytest.approx(force, rel=1e-4)
    # the twist on the clamp: F · (pivot_x + 100 + 60 + 40) from the pipe's axis
    assert s["twist_nmm"] == pytest.approx(force * (d.summary["pivot_x"] + 200.0), rel=1e-4)
    codes = {f.code: f.severity for f in d.findings}
    assert codes["MOUNT_CLAMP_SLIP"] == codes["MOUNT_ARM_BOLTS"] == codes["MOUNT_PLATE_BENDING"] == "info"
    # a 6.35 mm arm: a quarter of the plastic moment, the bending check fails (an error, a verdict)
    thin = build(MountParams(height=28000, gust_factor=0.85, plate_thickness=6.35))
    bending = next(f for f in thin.findings if f.code == "MOUNT_PLATE_BENDING")
    assert bending.severity == "error"
    assert thin.summary["strength"]["arm_bending_utilisation"] == pytest.approx(
        4 * s["arm_bending_utilisation"], rel=1e-3)
