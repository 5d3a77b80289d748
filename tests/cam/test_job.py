"""The CAM stage end to end on the gallery: programs verified, holes and pocket read back from G-code."""

import re

import cadquery as cq
import pytest
import shapely

from osehw.cam.job import CamJob, material_footprint
from osehw.cam.verify.parse import FindingLog, parse_program
from osehw.cam.verify.program import verify_program
from osehw.cam.verify.sheet import prove_sheet
from osehw.cam.verify.sweep import full_depth_pieces, swept_region
from osehw.core.design import Design
from osehw.designs.gallery_parts import gallery_parts, refused_parts


def design_of(parts):
    return Design("t", cq.Assembly(name="t"), parts, [], [])


@pytest.fixture(scope="module")
def grbl_gallery():
    return CamJob(machines=["grbl-hobby-800"]).run(design_of(gallery_parts()))


def sheet(cam, group):
    return next(s for s in cam.sheets if s.group == group)


def test_every_program_passes_its_checks(grbl_gallery):
    assert grbl_gallery.findings == []
    assert {s.group for s in grbl_gallery.sheets} == {"aluminium-6061-6.35", "hdpe-12.7", "plywood-12"}
    for s in grbl_gallery.sheets:
        assert [f for f in s.findings if f.is_error] == [], s.stem
        for p in s.programs:
            assert p.text.endswith("M2\n")
            assert not re.search(r"^(M6|G41|G42|G8[1-9])\b", p.text, re.M)
            assert p.report.estimated_time_s >= p.report.lower_bound_time_s > 0


def test_setup_sheet_notes_state_the_finger_panels_clearances(grbl_gallery):
    (note,) = sheet(grbl_gallery, "plywood-12").notes  # only the finger panel has a fit class
    assert note.startswith("G1 finger panel: fit 'slot' (0.25 mm per side on mating features only)")
    assert "12.00 × 60.00 mm cut 12.50 × 60.50 mm" in note and "20.00 → 20.25 mm wide" in note
    assert sheet(grbl_gallery, "hdpe-12.7").notes == ()


def test_each_sheet_states_its_use_and_a_half_empty_last_sheets_remnant(grbl_gallery):
    # the gallery's groups each fit one 800 x 800 sheet, under half used: every one offers a remnant
    for s in grbl_gallery.sheets:
        nesting = grbl_gallery.nestings[("grbl-hobby-800", s.group)]
        assert s.use is not None and s.use.utilisation == nesting.utilisation and s.use.this == s.utilisation
        assert s.use.is_last and s.utilisation < 0.5
        strip = shapely.box(s.use.remnant.x0, s.use.remnant.y0, s.use.remnant.x1, s.use.remnant.y1)
        outline_tool = 6.35  # the gallery's outline cutter: the strip is one part spacing (tool + 2 mm) clear
        assert min(strip.distance(poly) for _, poly in s.parts) >= outline_tool + 2.0 - 1e-6
        assert strip.area >= 0.25 * 800 * 800


def test_hole_operations_match_the_parts(grbl_gallery):
    # plate: 7 round holes; ribs: 2 × 3; gussets: 3 × 2; lid: 4
    expected = {"aluminium-6061-6.35": 7, "plywood-12": 6, "hdpe-12.7": 6 + 4}
    for group, n in expected.items():
        ops = sheet(grbl_gallery, group).operations
        assert sum(op.kind in ("drill", "helical_bore") for op in ops) == n, group
    # Ø5 holes are drilled, the rest bored; a drill program holds only vertical moves
    plate_ops = sheet(grbl_gallery, "aluminium-6061-6.35").operations
    assert sum(op.kind == "drill" for op in plate_ops) == 2


def test_gasket_groove_read_back_from_gcode_has_the_groove_area(grbl_gallery):
    s = sheet(grbl_gallery, "hdpe-12.7")
    program = next(p for p in s.programs if p.tool.id == "em-3.175-2f-up")
    parsed = parse_program(program.text, "grbl", FindingLog("t"))
    floor = [m for m in full_depth_pieces(parsed.moves, -2.3 + 0.001)]
    area = swept_region(floor, 3.175 / 2).area
    # groove: 4.5 wide on a 15 mm-inset centre line with R10 corners: 4.5 × 862.832 = 3882.74 mm²
    assert area == pytest.approx(4.5 * (2 * (270 - 20) + 2 * (170 - 20) + 2 * 3.14159265 * 10), rel=0.002)


def test_lid_outline_is_cut_through_but_for_four_tabs(grbl_gallery):
    # lid 300 × 200: tool-centre ring 2·(300 + 200) + 2π·3.175 = 1019.95 mm → ceil(1019.95 / 300) = 4 tabs
    from osehw.cam.job import tab_gap_limit

    s = sheet(grbl_gallery, "hdpe-12.7")
    lid = next(poly for label, poly in s.parts if "lid" in label.lower())
    sweeps = []
    for p in s.programs:
        parsed = parse_program(p.text, "grbl", FindingLog("t"))
        sweeps.append(swept_region(full_depth_pieces(parsed.moves, -12.7 + 0.001), p.tool.diameter / 2))
    cover = shapely.union_all(sweeps).buffer(0.01)
    uncut = [g for g in shapely.get_parts(shapely.line_merge(lid.exterior.difference(cover))) if g.length > 0.5]
    assert len(uncut) == 4
    assert all(6.35 < g.length <= tab_gap_limit(6.35) for g in uncut)
    # the rest of the ring, 1000 mm less the tabs, is cut through
    assert lid.exterior.length == pytest.approx(1000.0, abs=0.01)


def test_refused_part_is_a_manufacturability_finding():
    cam = CamJob(machines=["linuxcnc-4x8"]).run(design_of(refused_parts()))
    assert [f.code for f in cam.findings] == ["CAM_MANUFACTURABILITY"]
    assert "Ø1.5 mm is smaller than every tool (smallest 3.175 mm)" in cam.findings[0].message


def test_a_deliberately_broken_program_fails(grbl_gallery):
    s = sheet(grbl_gallery, "hdpe-12.7")
    outline = next(p for p in s.programs if p.tool.id == "em-6.35-2f-up")
    machine = s.machine
    regions = [__import__("osehw.cam.verify.program", fromlist=["PartRegion"]).PartRegion(n, poly, 12.7)
               for n, poly in s.parts]
    others = [(p.text, p.tool.diameter) for p in s.programs if p is not outline]
    # stop every full-depth pass 1 mm short: outlines are no longer cut through
    shallow = re.sub(r"Z-13(?![\d.])", "Z-12", outline.text)
    found = prove_sheet(others + [(shallow, 6.35)], machine, dialect="grbl", stock_thickness=12.7,
                        parts=regions, max_tab_length=40.0, subject="broken")
    assert any(f.code == "GCODE_UNCUT" for f in found)
    # a word GRBL rejects, and a plunge through the spoilboard
    bad = outline.text.replace("G21 G90 G17 G94", "G21 G90 G17 G94\nG41 D1", 1)
    bad = bad.replace("Z-13", "Z-20", 1)
    report = verify_program(bad, machine, dialect="grbl", stock_x=800, stock_y=800, stock_thickness=12.7,
                            tool_diameter=6.35)
    codes = {f.code for f in report.findings if f.is_error}
    assert {"GCODE_DEPTH", "GCODE_DIALECT"} <= codes, codes


def test_open_corners_keep_the_tool_radius():
    from shapely.geometry import box

    from osehw.cam.recognise.features import InsideCut, PartFeatures

    f = PartFeatures("p", 12.0, box(0, 0, 100, 50), inside_cuts=(InsideCut("cut-1", box(20, 10, 60, 30)),))
    sharp = material_footprint(f)
    rounded = material_footprint(f, corner_radius={"cut-1": 3.175})
    # four corner wedges of r²(1 − π/4) stay as material
    assert rounded.area - sharp.area == pytest.approx(4 * 3.175 ** 2 * (1 - 3.14159265 / 4), rel=1e-3)
    assert shapely.equals_exact(sharp, material_footprint(f, corner_radius={}), 1e-9)


def test_a_part_too_large_for_one_bed_is_that_machines_limit_and_for_every_bed_an_error():
    from osehw.core.design import SheetPart
    from osehw.core.solids import plate

    big = SheetPart("big-panel", plate(1000.0, 700.0, 12.0).translate((500, 350, 0)).val(), "plywood", 12.0)
    small = SheetPart("small-panel", plate(100.0, 80.0, 12.0).translate((50, 40, 0)).val(), "plywood", 12.0)
    only_small_bed = CamJob(machines=["grbl-hobby-800"]).run(design_of([big, small]))
    codes = [(f.code, f.severity, f.subject) for f in only_small_bed.findings]
    assert ("CAM_BED_TOO_SMALL", "warning", "grbl-hobby-800: big-panel") in codes
    assert ("CAM_NO_MACHINE", "error", "big-panel") in codes
    # the part that fits is still nested and cut on the small machine
    assert [label for s in only_small_bed.sheets for label, _ in s.parts] == ["small-panel #1"]
    both = CamJob(machines=["grbl-hobby-800", "linuxcnc-4x8"]).run(design_of([big, small]))
    assert not [f for f in both.findings if f.is_error]
    assert sorted(label for s in both.sheets if s.machine.id == "linuxcnc-4x8" for label, _ in s.parts) == [
        "big-panel #1", "small-panel #1"]


def test_machines_in_parallel_processes_give_what_one_process_gives():
    from osehw.core.design import SheetPart
    from osehw.core.solids import plate

    panel = plate(100.0, 80.0, 12.0).faces(">Z").workplane().hole(20.0).translate((50, 40, 0)).val()
    design = design_of([SheetPart("panel", panel, "plywood", 12.0, quantity=3)])
    machines = ["grbl-hobby-800", "linuxcnc-4x8", "mach3-router"]
    one, several = CamJob(machines=machines, workers=1).run(design), CamJob(machines=machines, workers=3).run(design)
    assert [(s.machine.id, s.stem) for s in several.sheets] == [(m, "plywood-12-sheet-1") for m in machines]
    assert [[p.text for p in s.programs] for s in several.sheets] == [[p.text for p in s.programs] for s in one.sheets]
    assert several.findings == one.findings
    assert [f for s in several.sheets for f in s.findings] == [f for s in one.sheets for f in s.findings]
    assert several.nestings == one.nestings


def test_waste_boxed_in_between_parts_is_found_but_not_a_holes_slug() -> None:
    import shapely

    from osehw.cam.verify.program import PartRegion
    from osehw.cam.verify.sheet import free_offcuts

    r = 3.175
    # a U open to the right (100 x 100, arms 20 wide) and a taller bar closing its mouth 10 mm away:
    # the two sweeps (2r = 6.35 mm wide each) meet across the gap above and below the mouth
    u = shapely.box(50, 50, 150, 150).difference(shapely.box(70, 70, 150, 130))
    bar = shapely.box(160, 30, 180, 170)
    plate = shapely.box(300, 50, 400, 150).difference(shapely.Point(350, 100).buffer(20))  # a hole: its slug
    parts = [PartRegion("u", u, 12.0), PartRegion("bar", bar, 12.0), PartRegion("plate", plate, 12.0)]
    # tool-centre paths one radius outside each outline (inside the hole), swept by the tool
    paths = [u.buffer(r).exterior, bar.buffer(r).exterior, plate.buffer(r).exterior, plate.interiors[0]]
    swept = shapely.union_all([shapely.LineString(p).buffer(r) for p in paths[:3]]
                              + [shapely.Point(350, 100).buffer(20 - 2 * r).exterior.buffer(r)])
    found = free_offcuts(swept, parts, (500, 300))
    assert len(found) == 1
    area, x, y = found[0]
    assert 70 < x < 160 and 70 < y < 130  # in the U's mouth
    # by hand: the U's 80 x 60 pocket and the 10 mm gap to the bar, less a 6.35 mm sweep along each
    # of the U's three inner sides and the bar's side: (80 − 6.35 + 10 − 6.35) x (60 − 2·6.35)
    assert area == pytest.approx((80 - 6.35 + 10 - 6.35) * (60 - 2 * 6.35), rel=0.02)


# --------------------------------------------------------------------------- countersink and counterbore


@pytest.fixture(scope="module")
def sunk_and_bored():
    """A 120 × 80 × 12 plate: a Ø6.5 hole countersunk Ø13 × 90° at (30, 40), one counterbored Ø12 × 5 at (90, 40)."""
    from osehw.core.design import SheetPart

    def top(wp):
        return wp.faces(">Z").workplane(centerOption="ProjectedOrigin", origin=(0, 0, 0))

    s = top(cq.Workplane().box(120, 80, 12, centered=False)).pushPoints([(30, 40)]).cskHole(6.5, 13.0, 90)
    s = top(s).pushPoints([(90, 40)]).cboreHole(6.5, 12.0, 5.0)
    return CamJob(machines=["grbl-hobby-800"]).run(design_of([SheetPart("sunk", s.val(), "plywood", 12.0)]))


def _cut_near(cam, centre, depth, within=15.0):
    """What the sheet's programs, read back, cut to at least ``depth`` below the top within ``within`` of the
    part-frame point ``centre`` (placed where the nesting put the part)."""
    from osehw.cam.transform import place_polygon

    s = cam.sheets[0]
    pl = cam.nestings[("grbl-hobby-800", "plywood-12")].placements[0]
    spot = place_polygon(shapely.Point(centre).buffer(within), x=pl.x, y=pl.y, rotation=pl.rotation)
    swept = shapely.union_all([
        swept_region(full_depth_pieces(parse_program(p.text, "grbl", FindingLog("t")).moves, -depth + 0.001),
                     p.tool.diameter / 2) for p in s.programs])
    where = place_polygon(shapely.Point(centre).buffer(1e-3), x=pl.x, y=pl.y, rotation=pl.rotation).centroid
    return swept.intersection(spot), where


def test_countersunk_hole_is_cut_through_at_its_own_diameter_and_noted(sunk_and_bored):
    import math

    f = sunk_and_bored.features["sunk"]
    assert [(h.x, h.y, h.diameter, h.depth) for h in f.round_holes] == [
        (30, 40, 6.5, 12), (90, 40, 12, 5), (90, 40, 6.5, 12)]
    (c,) = f.countersinks
    # by hand: a 90° cone from Ø13 down to Ø6.5 is (13 − 6.5)/2 / tan 45° = 3.25 mm deep
    assert (c.hole, c.x, c.y, c.diameter, c.angle) == ("hole-1", 30, 40, 13.0, pytest.approx(90.0, abs=1e-6))
    assert c.depth == pytest.approx((13 - 6.5) / 2 / math.tan(math.radians(45)), abs=1e-6)
    # read back from the G-code: through the stock only the Ø6.5 disc, centred on the hole
    cut, where = _cut_near(sunk_and_bored, (30, 40), 12.0)
    assert cut.area == pytest.approx(math.pi * 3.25**2, rel=0.01)
    assert cut.centroid.distance(where) < 0.01
    sheet = sunk_and_bored.sheets[0]
    assert not [x for x in sheet.findings if x.is_error]
    (note,) = [x for x in sheet.findings if x.code == "CAM_COUNTERSINK_NOTED"]
    assert "hole-1 at (30.00, 40.00): Ø13 mm × 90°, 3.25 mm deep" in note.message


def test_counterbore_is_cut_to_its_depth_and_no_deeper(sunk_and_bored):
    import math

    at_floor, where = _cut_near(sunk_and_bored, (90, 40), 5.0)
    assert at_floor.area == pytest.approx(math.pi * 6.0**2, rel=0.01)
    assert at_floor.centroid.distance(where) < 0.01
    below, _ = _cut_near(sunk_and_bored, (90, 40), 5.2)  # under the counterbore's floor: the Ø6.5 hole only
    assert below.area == pytest.approx(math.pi * 3.25**2, rel=0.01)
    assert not [x for x in sunk_and_bored.sheets[0].findings if x.code == "CAM_COUNTERSINK_NOTED"
                and "hole-3" in x.message]


def test_a_plate_nested_against_a_combs_teeth_frees_no_waste():
    """Set close, the plate would box in the waste of the comb's notches (tests/cam/nesting/test_offcuts.py);
    the job nests them apart, and the independent check of the programs finds no offcut (with the wide
    spacing set to the close one, that check found 7 pieces of 133 mm² between the teeth)."""
    from osehw.core.design import SheetPart
    from osehw.core.solids import plate

    comb = plate(700.0, 100.0, 12.0).translate((350, 50, 0))
    for k in range(8):
        comb = comb.cut(cq.Workplane().box(30, 24, 30).translate((60 + 80 * k, 0, 6)))
    parts = [SheetPart("comb", comb.val(), "plywood", 12.0), SheetPart("board", plate(700.0, 150.0, 12.0)
                                                                        .translate((350, 75, 0)).val(), "plywood", 12.0)]
    cam = CamJob(machines=["grbl-hobby-800"]).run(design_of(parts))
    (s,) = cam.sheets
    assert [f for f in s.findings if f.code == "GCODE_OFFCUT" or f.is_error] == []
    a, b = (shape for _, shape in s.parts)
    assert a.distance(b) >= 2 * 6.35 + 2.0 - 0.01  # set apart by two cuts' width and the margin


def test_the_nesting_budget_reaches_every_nest_and_the_cache_key(monkeypatch, tmp_path):
    import osehw.cam.nesting.offcuts as offcuts
    from osehw.core.cache import StageCache
    from osehw.core.design import SheetPart

    seen = []
    real = offcuts.nest

    def spy(*args, **kwargs):
        seen.append(kwargs["iterations"])
        return real(*args, **kwargs)

    monkeypatch.setattr(offcuts, "nest", spy)
    plate = SheetPart("plate", cq.Workplane().box(120, 80, 12, centered=(True, True, False)).val(), "hdpe", 12.0, 2)
    design = design_of([plate])
    cache = StageCache(tmp_path)
    job = dict(machines=["grbl-hobby-800"], workers=1, cache=cache)
    CamJob(**job).run(design)
    assert seen and set(seen) == {1}  # the nesting's default budget
    seen.clear()
    CamJob(**job, nest_iterations=6).run(design)
    assert seen and set(seen) == {6}  # another budget is another key: nested again, not taken from the cache
    seen.clear()
    CamJob(**job, nest_iterations=6).run(design)
    assert seen == []  # the same budget again: from the cache
