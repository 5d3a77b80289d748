"""Sheet DXF (layers per operation), part DXF and production list."""

from __future__ import annotations

import math

import ezdxf
import pytest
from shapely.geometry import Point, Polygon, box

from osehw.cam.drawings.sheet_dxf import (
    SheetDxfError,
    fmt_num,
    layer_names,
    production_list_csv,
    write_part_dxf,
    write_sheet_dxf,
)
from osehw.cam.ops.moves import Arc, Line, Operation, Rapid
from osehw.cam.recognise.features import InsideCut, PartFeatures, Pocket, RoundHole
from osehw.cam.shop import Tool

TOOLS = {
    "em6": Tool(id="em6", name="6.35 mm end mill", kind="flat", diameter=6.35, flutes=2, flute_length=25.4),
    "em3": Tool(id="em3", name="3.175 mm end mill", kind="flat", diameter=3.175, flutes=2, flute_length=12.0),
    "v90": Tool(id="v90", name="90° v-bit", kind="vbit", diameter=12.7, flutes=2, flute_length=8.0, angle=90.0),
    "dr5": Tool(id="dr5", name="5 mm drill", kind="drill", diameter=5.0, flutes=2, flute_length=40.0, angle=118.0),
}
SAFE = 5.0


def _slot_path(x0: float, y0: float, length: float, r: float, z: float) -> list:
    """CCW stadium: bottom line, right semicircle, top line, left semicircle, from (x0, y0)."""
    return [
        Line(x0 + length, y0, z, 1500.0),
        Arc(x0 + length, y0 + 2 * r, z, 0.0, r, False, 1500.0),
        Line(x0, y0 + 2 * r, z, 1500.0),
        Arc(x0, y0, z, 0.0, -r, False, 1500.0),
    ]


def _ops() -> list[Operation]:
    # outside profile: stadium 100 long, radius 25 (tool centre), two passes -6.45 / -12.9
    outside = [Rapid(z=SAFE), Rapid(x=100.0, y=100.0), Rapid(z=1.0), Line(None, None, -6.45, 400.0)]
    outside += _slot_path(100.0, 100.0, 100.0, 25.0, -6.45)
    outside += [Line(None, None, -12.9, 400.0)] + _slot_path(100.0, 100.0, 100.0, 25.0, -12.9) + [Rapid(z=SAFE)]
    inside = [Rapid(z=SAFE), Rapid(x=140.0, y=120.0), Line(None, None, -13.0, 400.0),
              Line(160.0, 120.0, -13.0, 1500.0), Line(160.0, 130.0, -13.0, 1500.0),
              Line(140.0, 130.0, -13.0, 1500.0), Line(140.0, 120.0, -13.0, 1500.0), Rapid(z=SAFE)]
    pocket = [Rapid(z=SAFE), Rapid(x=110.0, y=110.0), Line(None, None, -2.3, 300.0),
              Line(120.0, 110.0, -2.3, 1200.0), Line(120.0, 120.0, -2.3, 1200.0),
              Line(110.0, 120.0, -2.3, 1200.0), Line(110.0, 110.0, -2.3, 1200.0), Rapid(z=SAFE)]
    drill = [Rapid(z=SAFE), Rapid(x=180.0, y=125.0), Rapid(z=1.0), Line(None, None, -13.2, 200.0), Rapid(z=SAFE)]
    engrave = [Rapid(z=SAFE), Rapid(x=105.0, y=140.0), Line(None, None, -0.5, 200.0),
               Line(115.0, 140.0, -0.5, 800.0), Rapid(z=SAFE)]
    return [
        Operation("engrave", "lid", "label", "v90", 0.5, tuple(engrave)),
        Operation("drill", "lid", "h1", "dr5", 13.2, tuple(drill)),
        Operation("pocket", "lid", "groove", "em3", 2.3, tuple(pocket)),
        Operation("profile_inside", "lid", "window", "em6", 13.0, tuple(inside)),
        Operation("profile_outside", "lid", "outline", "em6", 12.9, tuple(outside)),
    ]


PARTS = [("lid", box(100.0, 103.175, 200.0, 146.825).union(Point(100.0, 125.0).buffer(21.825)))]

EXPECTED_LAYERS = [
    "0_LABELS_V90",
    "1_DRILL_D5",
    "2_POCKET_T3.175_D2.3",
    "3_PROFILE_INSIDE_T6.35_D13",
    "4_PROFILE_OUTSIDE_T6.35_D12.9",
]


def _write(path):
    write_sheet_dxf(path, stock_x=800.0, stock_y=600.0, parts=PARTS, operations=_ops(), tools=TOOLS)


def _bulge_length(points, closed: bool) -> float:
    """Length of an LWPOLYLINE from its (x, y, bulge) vertices: arc length r·θ, θ = 4·atan(bulge)."""
    total = 0.0
    n = len(points)
    for k in range(n if closed else n - 1):
        (x0, y0, b), (x1, y1, _) = points[k], points[(k + 1) % n]
        chord = math.hypot(x1 - x0, y1 - y0)
        if abs(b) < 1e-12:
            total += chord
        else:
            theta = 4.0 * math.atan(abs(b))
            total += chord / (2.0 * math.sin(theta / 2.0)) * theta
    return total


def test_fmt_num():
    assert fmt_num(12.90, 2) == "12.9"
    assert fmt_num(13.0, 2) == "13"
    assert fmt_num(3.175, 3) == "3.175"
    assert fmt_num(2.304, 2) == "2.3"
    assert fmt_num(-0.0001, 2) == "0"


def test_layers_units_and_geometry(tmp_path):
    path = tmp_path / "sheet-1.dxf"
    _write(path)
    doc = ezdxf.readfile(path)
    assert doc.dxfversion == "AC1024"  # R2010
    assert doc.header["$INSUNITS"] == 4  # millimetres
    assert doc.header["$MEASUREMENT"] == 1
    names = [layer.dxf.name for layer in doc.layers]
    for expected in EXPECTED_LAYERS + ["STOCK", "PART_NAMES", "PART_OUTLINES"]:
        assert expected in names
    msp = doc.modelspace()

    stock = msp.query('LWPOLYLINE[layer=="STOCK"]')
    assert len(stock) == 1
    xs = [p[0] for p in stock[0].get_points("xy")]
    ys = [p[1] for p in stock[0].get_points("xy")]
    assert (min(xs), min(ys), max(xs), max(ys)) == (0.0, 0.0, 800.0, 600.0)
    assert stock[0].closed

    # outside profile: only the final pass, as one closed polyline with two 180° bulges
    outside = msp.query('LWPOLYLINE[layer=="4_PROFILE_OUTSIDE_T6.35_D12.9"]')
    assert len(outside) == 1
    pl = outside[0]
    assert pl.closed
    pts = list(pl.get_points("xyb"))
    assert len(pts) == 4
    assert sorted(round(p[2], 9) for p in pts) == [0.0, 0.0, 1.0, 1.0]  # tan(180°/4) = 1, CCW
    assert pl.dxf.elevation == pytest.approx(-12.9)
    # stadium: 2 × 100 straight + full circle of radius 25
    assert _bulge_length(pts, True) == pytest.approx(200.0 + 2.0 * math.pi * 25.0, abs=1e-9)

    inside = msp.query('LWPOLYLINE[layer=="3_PROFILE_INSIDE_T6.35_D13"]')
    assert len(inside) == 1 and inside[0].closed
    assert _bulge_length(list(inside[0].get_points("xyb")), True) == pytest.approx(60.0)

    circles = msp.query('CIRCLE[layer=="1_DRILL_D5"]')
    assert len(circles) == 1
    assert circles[0].dxf.radius == pytest.approx(2.5)
    assert tuple(circles[0].dxf.center)[:2] == (180.0, 125.0)

    engraved = msp.query('LWPOLYLINE[layer=="0_LABELS_V90"]')
    assert len(engraved) == 1 and not engraved[0].closed
    assert _bulge_length(list(engraved[0].get_points("xyb")), False) == pytest.approx(10.0)

    texts = msp.query('TEXT[layer=="PART_NAMES"]')
    assert [t.dxf.text for t in texts] == ["lid"]
    outlines = msp.query('LWPOLYLINE[layer=="PART_OUTLINES"]')
    assert len(outlines) == 1


def test_two_writes_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    _write(tmp_path / "a.dxf")
    _write(tmp_path / "b.dxf")
    a = (tmp_path / "a.dxf").read_bytes()
    assert a == (tmp_path / "b.dxf").read_bytes()
    assert b"{00000000-0000-0000-0000-000000000000}" in a  # constant GUIDs

    # SOURCE_DATE_EPOCH 1700000000 = 2023-11-14 22:13:20 UTC. DXF dates are AutoCAD's "Julian
    # day number + fraction of the day since midnight": 1970-01-01 is day 2440588, so the
    # value is 2440588 + 1700000000 / 86400 = 2460263.9259...
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _write(tmp_path / "c.dxf")
    _write(tmp_path / "d.dxf")
    c = (tmp_path / "c.dxf").read_bytes()
    assert c == (tmp_path / "d.dxf").read_bytes()
    assert c != a
    created = c.split(b"$TDCREATE\n 40\n", 1)[1].split(b"\n", 1)[0]
    assert float(created) == pytest.approx(2440588.0 + 1700000000 / 86400.0, abs=1e-6)


def test_layer_numbering_and_drill_depths():
    ops = _ops()
    drill_a = ops[1]
    drill_b = Operation("drill", "lid", "h2", "dr5", 8.0, drill_a.moves)
    names = layer_names([drill_a, ops[4], drill_b, ops[4]], TOOLS)
    assert names == ["0_DRILL_D5_Z13.2", "1_PROFILE_OUTSIDE_T6.35_D12.9", "2_DRILL_D5_Z8", "1_PROFILE_OUTSIDE_T6.35_D12.9"]


def test_unknown_tool_is_a_clear_error(tmp_path):
    op = Operation("drill", "gusset", "h3", "drill-2", 12.0, (Rapid(x=0.0, y=0.0, z=5.0),))
    with pytest.raises(SheetDxfError, match=r"gusset: feature 'h3' \(drill\) uses tool 'drill-2'.*dr5, em3, em6, v90"):
        write_sheet_dxf(tmp_path / "x.dxf", stock_x=100.0, stock_y=100.0, parts=[], operations=[op], tools=TOOLS)


def test_helical_bore_full_circle_becomes_two_bulges(tmp_path):
    # full circle at depth: one G3 whose end equals its start → two 180° bulges
    moves = (Rapid(z=SAFE), Rapid(x=60.0, y=50.0), Rapid(z=1.0),
             Arc(60.0, 50.0, -6.0, -10.0, 0.0, False, 800.0), Arc(60.0, 50.0, -12.0, -10.0, 0.0, False, 800.0),
             Arc(60.0, 50.0, -12.0, -10.0, 0.0, False, 800.0), Rapid(z=SAFE))
    op = Operation("helical_bore", "plate", "bore", "em6", 12.0, moves)
    write_sheet_dxf(tmp_path / "b.dxf", stock_x=200.0, stock_y=200.0, parts=[], operations=[op], tools=TOOLS)
    msp = ezdxf.readfile(tmp_path / "b.dxf").modelspace()
    (pl,) = msp.query('LWPOLYLINE[layer=="0_BORE_T6.35_D12"]')
    pts = list(pl.get_points("xyb"))
    assert pl.closed and len(pts) == 2
    assert [round(p[2], 9) for p in pts] == [1.0, 1.0]
    assert (pts[1][0], pts[1][1]) == pytest.approx((40.0, 50.0))
    assert _bulge_length(pts, True) == pytest.approx(2.0 * math.pi * 10.0)


def test_part_dxf(tmp_path):
    outline = box(0.0, 0.0, 120.0, 80.0)
    features = PartFeatures(
        part="lid",
        thickness=12.0,
        outline=outline,
        round_holes=(RoundHole("h1", 10.0, 10.0, 5.0, 12.0), RoundHole("h2", 110.0, 10.0, 8.0, 4.0)),
        inside_cuts=(InsideCut("window", box(40.0, 30.0, 80.0, 50.0)),),
        pockets=(Pocket("groove", Polygon(box(5.0, 5.0, 115.0, 75.0).exterior, [box(8.0, 8.0, 112.0, 72.0).exterior.coords]), 2.3),),
        label="L-1",
    )
    path = tmp_path / "lid.dxf"
    write_part_dxf(path, "lid", features)
    doc = ezdxf.readfile(path)
    assert doc.header["$INSUNITS"] == 4
    msp = doc.modelspace()
    (ol,) = msp.query('LWPOLYLINE[layer=="OUTLINE"]')
    assert ol.closed and _bulge_length(list(ol.get_points("xyb")), True) == pytest.approx(400.0)
    (through,) = msp.query('CIRCLE[layer=="HOLES"]')
    assert through.dxf.radius == pytest.approx(2.5)
    (blind,) = msp.query('CIRCLE[layer=="HOLES_D4"]')
    assert blind.dxf.radius == pytest.approx(4.0)
    (window,) = msp.query('LWPOLYLINE[layer=="INSIDE_CUTS"]')
    assert _bulge_length(list(window.get_points("xyb")), True) == pytest.approx(120.0)
    groove = msp.query('LWPOLYLINE[layer=="POCKET_D2.3"]')
    assert len(groove) == 2  # the pocket's outer and inner rings
    assert sorted(round(_bulge_length(list(g.get_points("xyb")), True), 6) for g in groove) == [336.0, 360.0]  # 2·(104 + 64), 2·(110 + 70)
    assert [t.dxf.text for t in msp.query('TEXT[layer=="LABEL"]')] == ["L-1"]
    a = path.read_bytes()
    write_part_dxf(path, "lid", features)
    assert path.read_bytes() == a


def test_production_list(tmp_path):
    path = tmp_path / "production.csv"
    production_list_csv(path, [("A1", "lid", 2, 12.0, "plywood"), ("A2", "gusset, left", 4, 6.35, "hdpe")])
    assert path.read_text(encoding="utf-8") == (
        "label,part,quantity,thickness_mm,material\n"
        "A1,lid,2,12,plywood\n"
        'A2,"gusset, left",4,6.35,hdpe\n'
    )
    with pytest.raises(SheetDxfError, match="lid: quantity 0"):
        production_list_csv(path, [("A1", "lid", 0, 12.0, "plywood")])
