"""Reading makers' DXF drawings: units, mirrored OCS, gaps, strays, layers, several parts; areas by hand."""

import math

import ezdxf
import pytest

from osehw.designs.dxf_solid import DxfPartError, read_dxf_parts


def drawing(tmp_path, build, units=4, name="part.dxf"):
    doc = ezdxf.new()
    doc.header["$INSUNITS"] = units
    build(doc.modelspace())
    path = tmp_path / name
    doc.saveas(path)
    return path


def plate(msp, x0=0.0, y0=0.0, w=100.0, h=50.0, layer="0"):
    msp.add_lwpolyline([(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)], close=True,
                       dxfattribs={"layer": layer})


def test_inches_from_the_header_and_from_the_option(tmp_path):
    path = drawing(tmp_path, lambda m: plate(m, w=4, h=2), units=1)
    parts = read_dxf_parts(path)
    assert parts.mm_per_unit == 25.4 and parts.faces[0].Area() == pytest.approx(101.6 * 50.8)
    unitless = drawing(tmp_path, lambda m: plate(m, w=4, h=2), units=0, name="u.dxf")
    assert read_dxf_parts(unitless).faces[0].Area() == pytest.approx(8.0)
    assert "unitless" in read_dxf_parts(unitless).unit_source
    assert read_dxf_parts(unitless, units="in").faces[0].Area() == pytest.approx(101.6 * 50.8)


def test_mirrored_ocs_circles_and_arcs_land_where_cad_shows_them(tmp_path):
    # Arbitrary Axis Algorithm (DXF reference): extrusion (0, 0, -1) gives the OCS x axis (-1, 0, 0),
    # so an OCS centre (-30, 25) is the world point (30, 25).
    def build(m):
        plate(m)
        m.add_circle((-30, 25), 5, dxfattribs={"extrusion": (0, 0, -1)})
        # a slot of two mirrored half-circle arcs and two lines, centred on world (70, 25)
        # counter-clockwise in the mirrored OCS: 270° → 90° passes OCS (-60, 25), the world point (60, 25)
        m.add_arc((-65, 25), 5, 270, 90, dxfattribs={"extrusion": (0, 0, -1)})  # world: the left end, bulging left
        m.add_arc((-75, 25), 5, 90, 270, dxfattribs={"extrusion": (0, 0, -1)})  # world: the right end
        m.add_line((65, 30), (75, 30))
        m.add_line((65, 20), (75, 20))
    (face,) = read_dxf_parts(drawing(tmp_path, build)).faces
    holes = sorted(face.innerWires(), key=lambda w: w.Center().x)
    assert holes[1].BoundingBox().xmin == pytest.approx(60) and holes[1].BoundingBox().xmax == pytest.approx(80)
    assert holes[0].Center().x == pytest.approx(30) and holes[0].Center().y == pytest.approx(25)
    slot_area = 10 * 10 + math.pi * 5 ** 2  # a 10 x 10 square between two half circles of radius 5
    assert face.Area() == pytest.approx(100 * 50 - math.pi * 25 - slot_area, rel=1e-6)


def test_gaps_within_the_tolerance_close_and_wider_ones_do_not(tmp_path):
    def build(gap):
        def draw(m):
            pts = [(0, 0), (100, 0), (100, 50), (0, 50), (0, gap)]
            for a, b in zip(pts, pts[1:]):
                m.add_line(a, b)
        return draw
    closed = read_dxf_parts(drawing(tmp_path, build(0.005)))
    assert closed.faces[0].Area() == pytest.approx(5000, rel=1e-3)
    # the one gap closed, its size and where: between (0, 0.005) and (0, 0); the corners meet exactly
    assert closed.gaps == ((pytest.approx(0.005, abs=1e-9), 0.0, pytest.approx(0.002, abs=1e-3)),)
    wide = drawing(tmp_path, build(0.05), name="wide.dxf")
    with pytest.raises(DxfPartError, match="no closed outline.*0.01 mm"):
        read_dxf_parts(wide)
    assert read_dxf_parts(wide, gap_tolerance=0.1).faces[0].Area() == pytest.approx(5000, rel=1e-3)
    assert [g[0] for g in read_dxf_parts(wide, gap_tolerance=0.1).gaps] == [pytest.approx(0.05)]


def test_strays_and_text_are_left_out_and_reported(tmp_path):
    def build(m):
        plate(m)
        m.add_line((200, 0), (300, 0), dxfattribs={"layer": "CONSTRUCTION"})
        m.add_text("PART A", dxfattribs={"layer": "NOTES"})
    parts = read_dxf_parts(drawing(tmp_path, build))
    assert len(parts.faces) == 1 and parts.faces[0].Area() == pytest.approx(5000)
    assert any("TEXT on layer 'NOTES'" in n for n in parts.ignored)
    assert any("open chain of 1 edge(s) at (200.00, 0.00)–(300.00, 0.00) mm" in n for n in parts.ignored)


def test_layers_select_and_several_outlines_are_several_parts(tmp_path):
    def build(m):
        plate(m, layer="CUT")
        plate(m, x0=150, w=40, h=40, layer="CUT")
        plate(m, x0=300, w=500, h=500, layer="BORDER")
    path = drawing(tmp_path, build)
    assert [round(f.Area()) for f in read_dxf_parts(path, layers=("cut",)).faces] == [5000, 1600]
    assert len(read_dxf_parts(path).faces) == 3
    with pytest.raises(DxfPartError, match=r"no layer HOLES \(layers: BORDER, CUT\)"):
        read_dxf_parts(path, layers=("HOLES",))


def test_a_spline_outline_and_a_3d_drawing(tmp_path):
    def spline(m):
        m.add_spline([(0, 0), (50, 30), (100, 0)])  # a hump through three fit points, closed by a line
        m.add_line((100, 0), (0, 0))
    (face,) = read_dxf_parts(drawing(tmp_path, spline)).faces
    assert face.BoundingBox().ymax == pytest.approx(30, abs=0.5) and 0 < face.Area() < 100 * 30

    def three_d(m):
        m.add_line((0, 0, 0), (10, 0, 5))
    with pytest.raises(DxfPartError, match="do not lie in one XY plane"):
        read_dxf_parts(drawing(tmp_path, three_d, name="3d.dxf"))


def test_not_a_dxf_is_refused_with_its_name(tmp_path):
    path = tmp_path / "junk.dxf"
    path.write_bytes(b"\x00\x01 this is no drawing")
    with pytest.raises(DxfPartError, match="junk.dxf"):
        read_dxf_parts(path)


def test_an_outline_that_crosses_itself_is_refused_with_where(tmp_path):
    def bowtie(m):
        m.add_lwpolyline([(0, 0), (100, 50), (100, 0), (0, 50)], close=True)
    with pytest.raises(DxfPartError, match=r"outline at \(0.00, 0.00\)–\(100.00, 50.00\) mm crosses itself"):
        read_dxf_parts(drawing(tmp_path, bowtie))


def test_a_public_drawing_of_23_forms_agrees_with_the_verifiers_independent_reading():
    """ezdxf's own example drawing (tests/data/real/SOURCES.md): every outline a part, and each
    area as the verifier's reader (shapely polygonize of flattened curves) finds it."""
    from pathlib import Path

    from osehw.cam.verify.part_outline import read_part_outlines

    path = Path(__file__).parents[1] / "data" / "real" / "ezdxf-forms.dxf"
    ours = sorted(f.Area() for f in read_dxf_parts(path).faces)
    theirs = sorted(poly.area for _, poly in read_part_outlines(path).parts)
    assert len(ours) == len(theirs) == 23
    assert ours == pytest.approx(theirs, rel=1e-3)  # chords within 0.01 mm against exact arcs
