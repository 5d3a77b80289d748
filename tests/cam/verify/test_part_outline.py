"""Part outlines read from a DXF, and the cut-through / no-gouge proof they give a standalone program.

The plate: 120 × 80 mm with R8 corners and two Ø16 holes at (30, 40) and (90, 40),
12 mm plywood, cut by osehw's own CAM on the GRBL router. Nesting puts its
lower-left corner at (18.175, 18.175) = clamp margin 15 + tool radius 3.175.
Hand area: 120·80 − (4 − π)·8² − 2·π·8² = 9142.94 mm².
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cadquery as cq
import ezdxf
import pytest
from shapely.geometry import Polygon

from osehw.cam.drawings.sheet_dxf import write_sheet_dxf
from osehw.cam.job import CamJob, tab_gap_limit
from osehw.cam.shop import load_machines, load_tools
from osehw.cam.verify.part_outline import (
    OUTLINE_LAYER,
    PartOutlineError,
    part_regions,
    read_part_outlines,
)
from osehw.cam.verify.program import CUT_THROUGH, NO_GOUGE, verify_program
from osehw.core.design import Design, SheetPart
from osehw.core.errors import OsehwError

ROOT = Path(__file__).resolve().parents[3]
PLATE_AREA = 120 * 80 - (4 - math.pi) * 8 ** 2 - 2 * math.pi * 8 ** 2  # 9142.94 mm²
ORIGIN = (18.175, 18.175)  # where nesting put the plate's lower-left corner [mm]
DEEPEST = "Z-12.3"  # 12 mm plywood + 0.3 mm breakthrough
QUARTER = math.tan(math.radians(90 / 4))  # bulge of a 90° arc: tan(θ/4)


def osehw(*args, cwd=ROOT, **env_extra):
    env = dict(os.environ, COLUMNS="200", **env_extra)
    return subprocess.run([sys.executable, "-m", "osehw", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=600)


def _new(units: int | None = 4) -> ezdxf.document.Drawing:
    doc = ezdxf.new("R2010")
    if units is None:
        del doc.header["$INSUNITS"]
    else:
        doc.header["$INSUNITS"] = units
    return doc


def draw_plate(msp, layer: str = "0") -> None:
    """The plate as a user draws it: a polyline with bulged corners and two circles (part frame)."""
    b = QUARTER
    msp.add_lwpolyline([(8, 0, 0), (112, 0, b), (120, 8, 0), (120, 72, b), (112, 80, 0), (8, 80, b),
                        (0, 72, 0), (0, 8, b)], format="xyb", close=True, dxfattribs={"layer": layer})
    for x in (30, 90):
        msp.add_circle((x, 40), 8, dxfattribs={"layer": layer})


# --- reading drawings --------------------------------------------------------------


@pytest.mark.parametrize("code, mm", [(1, 25.4), (4, 1.0), (None, 1.0), (5, 10.0)])
def test_drawing_units_follow_insunits(tmp_path, code, mm):
    doc = _new(code)
    doc.modelspace().add_lwpolyline([(0, 0), (1, 0), (1, 1), (0, 1)], close=True)
    doc.saveas(tmp_path / "square.dxf")
    got = read_part_outlines(tmp_path / "square.dxf")
    ((_, square),) = got.parts
    assert got.mm_per_unit == mm  # exact: 1 in = 25.4 mm by definition
    assert square.bounds == pytest.approx((0, 0, mm, mm), abs=1e-9)
    assert square.area == pytest.approx(mm * mm, rel=1e-12)  # 1 in² = 645.16 mm²


def test_curves_nest_even_odd_and_strays_are_named(tmp_path):
    doc = _new()
    msp = doc.modelspace()
    draw_plate(msp)
    msp.add_circle((30, 40), 3)  # an island in a hole: a part of its own
    # a closed chain of LINEs and an ARC: 60 × 50 with one R10 corner
    msp.add_line((200, 0), (250, 0))
    msp.add_arc((250, 10), 10, -90, 0)
    msp.add_line((260, 10), (260, 50))
    msp.add_line((260, 50), (200, 50))
    msp.add_line((200, 50), (200, 0))
    msp.add_line((300, 0), (310, 5))  # open: closes nothing
    doc.saveas(tmp_path / "parts.dxf")
    got = read_part_outlines(tmp_path / "parts.dxf", origin=ORIGIN)
    assert got.layer is None
    assert [name for name, _ in got.parts] == ["part 1", "part 2", "part 3"]
    plate, island, chain = (poly for _, poly in got.parts)
    # chords lie inside arcs by ≤ 0.002 mm: areas within ~perimeter × 0.002
    assert plate.area == pytest.approx(PLATE_AREA, abs=0.5)
    assert len(plate.interiors) == 2
    assert plate.bounds == pytest.approx((ORIGIN[0], ORIGIN[1], ORIGIN[0] + 120, ORIGIN[1] + 80), abs=1e-9)
    assert island.area == pytest.approx(math.pi * 9, abs=0.05)
    assert chain.area == pytest.approx(60 * 50 - (1 - math.pi / 4) * 100, abs=0.1)
    (warning,) = got.warnings
    assert "1 open entity runs off every closed outline; ignored" in warning
    assert "LINE on layer '0' from (318.175, 18.175) to (328.175, 23.175)" in warning


def test_mirrored_entities_and_blocks_land_where_drawn(tmp_path):
    doc = _new()
    msp = doc.modelspace()
    # extrusion (0, 0, −1): the object coordinate system's X points along −X of the world
    # (DXF reference, "Arbitrary Axis Algorithm"); the circle's centre is (90, 40) in the world
    msp.add_lwpolyline([(-120, 0), (0, 0), (0, 80), (-120, 80)], close=True, dxfattribs={"extrusion": (0, 0, -1)})
    msp.add_circle((-90, 40), 8, dxfattribs={"extrusion": (0, 0, -1)})
    block = doc.blocks.new("PLATE")
    draw_plate(block)
    msp.add_blockref("PLATE", (200, 0))
    doc.saveas(tmp_path / "mirrored.dxf")
    (_, mirrored), (_, inserted) = read_part_outlines(tmp_path / "mirrored.dxf").parts
    assert mirrored.bounds == pytest.approx((0, 0, 120, 80), abs=1e-9)
    assert shapely_centre(mirrored.interiors[0]) == pytest.approx((90, 40), abs=1e-6)
    assert inserted.bounds == pytest.approx((200, 0, 320, 80), abs=1e-9)
    assert inserted.area == pytest.approx(PLATE_AREA, abs=0.5)


def shapely_centre(ring) -> tuple[float, float]:
    c = Polygon(ring).centroid
    return c.x, c.y


def test_part_outlines_layer_is_read_alone(tmp_path):
    doc = _new()
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (800, 0), (800, 800), (0, 800)], close=True, dxfattribs={"layer": "STOCK"})
    msp.add_lwpolyline([(-3, -3), (123, -3), (123, 83), (-3, 83)], close=True,
                       dxfattribs={"layer": "4_PROFILE_OUTSIDE_T6.35_D12.3"})
    draw_plate(msp, layer=OUTLINE_LAYER)
    msp.add_text("PLATE #1", dxfattribs={"layer": "PART_NAMES"}).set_placement((60, 20))
    doc.saveas(tmp_path / "sheet.dxf")
    got = read_part_outlines(tmp_path / "sheet.dxf")
    assert got.layer == OUTLINE_LAYER
    ((name, plate),) = got.parts
    assert name == "PLATE #1" and plate.area == pytest.approx(PLATE_AREA, abs=0.5)


def test_an_outline_drawn_twice_is_read_once(tmp_path):
    # a duplicate ring would flip the even-odd count: the plate's holes would become parts
    doc = _new()
    draw_plate(doc.modelspace())
    draw_plate(doc.modelspace())
    doc.saveas(tmp_path / "twice.dxf")
    got = read_part_outlines(tmp_path / "twice.dxf")
    ((_, plate),) = got.parts
    assert len(plate.interiors) == 2
    assert got.warnings == (f"{tmp_path / 'twice.dxf'}: 3 outline(s) drawn twice, read once",)


def test_unusable_drawings_are_refused(tmp_path):
    doc = _new()
    doc.modelspace().add_line((0, 0), (10, 0))
    doc.saveas(tmp_path / "open.dxf")
    with pytest.raises(PartOutlineError, match=r"open\.dxf: no closed outline in the drawing"):
        read_part_outlines(tmp_path / "open.dxf")
    (tmp_path / "text.dxf").write_text("not a drawing\n")
    with pytest.raises(PartOutlineError, match="not a readable DXF file"):
        read_part_outlines(tmp_path / "text.dxf")
    doc = _new()
    doc.modelspace().add_lwpolyline([(0, 0), (10, 0), (10, 10), (0, 10)], close=True)
    doc.modelspace().add_lwpolyline([(5, 5), (15, 5), (15, 15), (5, 15)], close=True)
    doc.saveas(tmp_path / "cross.dxf")
    with pytest.raises(PartOutlineError, match="two outlines cross"):
        read_part_outlines(tmp_path / "cross.dxf")
    # the CLI turns it into one line and exit 2
    assert issubclass(PartOutlineError, OsehwError) and issubclass(PartOutlineError, ValueError)


# --- the proof for a program osehw wrote ------------------------------------------


@pytest.fixture(scope="module")
def plate_sheet():
    solid = (cq.Workplane("XY").box(120, 80, 12, centered=False).edges("|Z").fillet(8)
             .faces(">Z").workplane(origin=(0, 0, 12)).pushPoints([(30, 40), (90, 40)]).hole(16).val())
    part = SheetPart("plate", solid, "plywood", 12.0, 1, "PLATE")
    cam = CamJob(machines=["grbl-hobby-800"]).run(Design("t", cq.Assembly(name="t"), [part], [], []))
    (sheet,) = cam.sheets
    (placed,) = list(cam.nestings.values())[0].placements
    assert (placed.x, placed.y, placed.rotation) == pytest.approx((*ORIGIN, 0.0))
    return sheet


@pytest.fixture(scope="module")
def plate_program(plate_sheet):
    return next(p for p in plate_sheet.programs if p.tool.id == "em-6.35-2f-up").text


@pytest.fixture(scope="module")
def plate_dxf(tmp_path_factory):
    path = tmp_path_factory.mktemp("dxf") / "plate.dxf"
    doc = _new()
    draw_plate(doc.modelspace())
    doc.saveas(path)
    return path


def check(text: str, parts=()):
    return verify_program(text, load_machines()["grbl-hobby-800"], dialect="grbl", stock_x=800, stock_y=800,
                          stock_thickness=12.0, tool_diameter=6.35, parts=parts,
                          max_tab_length=tab_gap_limit(6.35), subject="plate.nc")


def errors(report) -> set[str]:
    return {f.code for f in report.findings if f.is_error}


def outside_profile(text: str, edit) -> str:
    """``text`` with ``edit`` applied to each line of the outside profile (the program's last operation)."""
    head, mark, tail = text.partition("(profile_outside")
    assert mark
    return head + mark + "\n".join(edit(line) for line in tail.split("\n"))


def test_own_program_passes_against_the_drawn_part(plate_program, plate_dxf):
    parts = part_regions(read_part_outlines(plate_dxf, origin=ORIGIN), 12.0)
    report = check(plate_program, parts)
    assert report.ok, report.findings
    assert report.not_proven == ()
    (tabs,) = [f for f in report.findings if f.code == "GCODE_TABS"]
    assert "2 holding tab(s)" in tabs.message


def test_lifted_last_pass_is_uncut_and_not_proven_without_the_part(plate_program, plate_dxf):
    lifted = outside_profile(plate_program, lambda line: line.replace(DEEPEST, "Z-11.3"))
    assert lifted != plate_program
    parts = part_regions(read_part_outlines(plate_dxf, origin=ORIGIN), 12.0)
    report = check(lifted, parts)
    assert errors(report) == {"GCODE_UNCUT"}
    assert any("outside ring not cut through" in f.message for f in report.findings)
    # without the part the same program passes every check that can run, and says what it could not prove
    alone = check(lifted)
    assert alone.ok and alone.not_proven == (CUT_THROUGH, NO_GOUGE)


def test_path_moved_into_the_part_is_a_gouge(plate_program, plate_dxf):
    def shift(line: str) -> str:  # 2 mm in +X: the left edge's path runs 2 mm inside the part
        return re.sub(r"X(-?[\d.]+)", lambda m: f"X{float(m.group(1)) + 2.0:.3f}", line)

    parts = part_regions(read_part_outlines(plate_dxf, origin=ORIGIN), 12.0)
    report = check(outside_profile(plate_program, shift), parts)
    assert "GCODE_GOUGE" in errors(report)
    gouge = next(f for f in report.findings if f.code == "GCODE_GOUGE")
    assert float(re.search(r"by ([\d.]+) mm", gouge.message).group(1)) == pytest.approx(2.0, abs=0.01)


def test_cli_says_not_proven_without_part_and_proves_with_own_sheet_dxf(plate_sheet, plate_program, tmp_path):
    program = tmp_path / "plate.nc"
    program.write_text(plate_program)
    sheet_dxf = tmp_path / "plate-sheet-1.dxf"
    write_sheet_dxf(sheet_dxf, stock_x=plate_sheet.stock_x, stock_y=plate_sheet.stock_y, parts=plate_sheet.parts,
                    operations=plate_sheet.operations, tools=load_tools())
    base = (str(program), "--machine", "grbl-hobby-800", "--thickness", "12")
    with ThreadPoolExecutor() as pool:
        alone, proven = pool.map(lambda extra: osehw("verify", *base, *extra), [(), ("--part", str(sheet_dxf))])
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert "NOT PROVEN" in alone.stdout and "program OK" not in alone.stdout
    assert proven.returncode == 0, proven.stdout + proven.stderr
    assert "NOT PROVEN" not in proven.stdout and "program OK" in proven.stdout
    assert "PLATE #1" in proven.stdout  # the GCODE_TABS line names the part from PART_NAMES


def test_a_drawing_without_a_header_is_read_in_mm(tmp_path):
    """OpenSCAD-style exports carry only an ENTITIES section; ezdxf would default them to metres."""
    corners = [(0, 0), (100, 0), (100, 60), (0, 60)]
    lines = "".join(f"0\nLINE\n8\n0\n10\n{x0}\n20\n{y0}\n30\n0\n11\n{x1}\n21\n{y1}\n31\n0\n"
                    for (x0, y0), (x1, y1) in zip(corners, corners[1:] + corners[:1]))
    path = tmp_path / "noheader.dxf"
    path.write_text(f"0\nSECTION\n2\nENTITIES\n{lines}0\nENDSEC\n0\nEOF\n")
    got = read_part_outlines(path)
    ((_, rect),) = got.parts
    assert got.mm_per_unit == 1.0 and rect.area == pytest.approx(6000.0)


def test_a_dogboned_part_is_proven_against_its_own_sheet_dxf(tmp_path):
    """The sheet DXF's PART_OUTLINES is what must remain (dogbone reliefs taken out), so the programs
    osehw wrote pass the standalone proof exactly as they pass the job's own."""
    from osehw.cam.verify.sheet import prove_sheet
    from osehw.designs.gallery_parts import gallery_parts

    finger = next(p for p in gallery_parts() if p.name == "gallery-finger-panel")
    cam = CamJob(machines=["grbl-hobby-800"]).run(Design("t", cq.Assembly(name="t"), [finger], [], []))
    (sheet,) = cam.sheets
    path = tmp_path / "sheet.dxf"
    write_sheet_dxf(path, stock_x=sheet.stock_x, stock_y=sheet.stock_y, parts=sheet.parts,
                    operations=sheet.operations, tools=load_tools())
    regions = part_regions(read_part_outlines(path), sheet.thickness)
    machine = load_machines()["grbl-hobby-800"]
    findings = prove_sheet([(p.text, p.tool.diameter) for p in sheet.programs], machine, dialect="grbl",
                           stock_thickness=sheet.thickness, parts=regions,
                           max_tab_length=tab_gap_limit(6.35), subject="sheet")
    assert [f for f in findings if f.is_error] == []
    assert any(f.code == "GCODE_TABS" for f in findings)
    # the relief notches are really in the drawn outline: it is smaller than the part's footprint
    assert regions[0].outline.area < finger.solid.faces("<Z").Area() - 1.0
