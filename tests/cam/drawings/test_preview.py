"""SVG toolpath preview of a sheet."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import pytest
from shapely.geometry import box

from osehw.cam.drawings.preview import sheet_svg, svg_to_png
from osehw.cam.ops.moves import Arc, Line, Operation, Rapid
from osehw.cam.shop import Tool

NS = {"svg": "http://www.w3.org/2000/svg"}
TOOLS = {"dr5": Tool(id="dr5", name="5 mm drill", kind="drill", diameter=5.0, flutes=2, flute_length=40.0)}


def _ops() -> list[Operation]:
    # outside profile of the 100 x 60 rectangle at (50, 40), tool centre offset 3; the final
    # pass lifts to -9 over x = 90..110 on the bottom edge (a tab)
    y0, y1, x0, x1 = 37.0, 103.0, 47.0, 153.0
    lap = [Line(x1, y0, None, 1500.0), Line(x1, y1, None, 1500.0), Line(x0, y1, None, 1500.0), Line(x0, y0, None, 1500.0)]
    outside = [Rapid(z=5.0), Rapid(x=x0, y=y0), Line(None, None, -6.0, 300.0), *lap,
               Line(None, None, -12.3, 300.0), Line(90.0, y0, None, 1500.0), Line(None, None, -9.0, 300.0),
               Line(110.0, y0, None, 1500.0), Line(None, None, -12.3, 300.0), *lap, Rapid(z=5.0)]
    inside = [Rapid(z=5.0), Rapid(x=120.0, y=70.0), Line(None, None, -12.3, 300.0),
              Arc(120.0, 70.0, -12.3, -10.0, 0.0, False, 1000.0), Rapid(z=5.0)]
    pocket = [Rapid(z=5.0), Rapid(x=60.0, y=80.0), Line(None, None, -2.0, 300.0),
              Line(80.0, 80.0, -2.0, 1000.0), Line(80.0, 90.0, -2.0, 1000.0), Rapid(z=5.0)]
    drill = [Rapid(z=5.0), Rapid(x=60.0, y=50.0), Line(None, None, -12.3, 200.0), Rapid(z=5.0)]
    engrave = [Rapid(z=5.0), Rapid(x=90.0, y=60.0), Line(None, None, -0.5, 300.0),
               Line(100.0, 60.0, -0.5, 800.0), Rapid(z=5.0)]
    return [
        Operation("engrave", "side <A>", "label", "v90", 0.5, tuple(engrave)),
        Operation("drill", "side <A>", "h1", "dr5", 12.3, tuple(drill)),
        Operation("pocket", "side <A>", "recess", "em3", 2.0, tuple(pocket)),
        Operation("profile_inside", "side <A>", "hole", "em6", 12.3, tuple(inside)),
        Operation("profile_outside", "side <A>", "outline", "em6", 12.3, tuple(outside)),
    ]


PARTS = [("side <A>", box(50.0, 40.0, 150.0, 100.0)), ("brace", box(200.0, 40.0, 260.0, 100.0))]


def _svg() -> str:
    return sheet_svg(stock_x=300.0, stock_y=200.0, parts=PARTS, operations=_ops(), title="test sheet", tools=TOOLS)


def test_svg_structure():
    text = _svg()
    root = ET.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    paths = root.findall(".//svg:path", NS)
    cut_classes = sorted(p.get("class") for p in paths if p.get("class", "").startswith("cut "))
    assert cut_classes == ["cut engrave", "cut hole", "cut pocket", "cut profile_inside", "cut profile_outside"]
    assert len([p for p in paths if p.get("class") == "part"]) == 2
    (rapid,) = [p for p in paths if p.get("class") == "rapid"]
    assert rapid.get("stroke-dasharray")
    names = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "side <A>" in names and "brace" in names  # escaped in the file, restored by the parser
    assert "side &lt;A&gt;" in text


def test_y_is_flipped_tabs_and_arcs():
    root = ET.fromstring(_svg())
    stock = root.find(".//svg:rect[@class='stock']", NS)
    top, height = float(stock.get("y")), float(stock.get("height"))
    assert height == 200.0

    def sy(y: float) -> str:  # sheet Y → SVG Y: the stock's bottom edge is sheet Y = 0
        return f"{top + height - y:.3f}"

    paths = {p.get("class"): p.get("d") for p in root.findall(".//svg:path", NS)}
    # the tab is exactly the lifted stretch of the bottom edge, from x 90 to 110
    assert paths["tab"] == f"M 90.000 {sy(37.0)} L 110.000 {sy(37.0)}"
    # the drilled hole is a 5 mm circle (two half arcs) at (60, 50)
    assert f"M 57.500 {sy(50.0)} A 2.500 2.500 0 0 0 62.500 {sy(50.0)}" in paths["cut hole"]
    # a full G3 circle of radius 10: split in two half arcs, sweep-flag 0 (CCW stays CCW on screen)
    assert paths["cut profile_inside"] == (
        f"M 120.000 {sy(70.0)} A 10.000 10.000 0 0 0 100.000 {sy(70.0)} A 10.000 10.000 0 0 0 120.000 {sy(70.0)}")
    # the two laps cover the same XY: each corner is drawn once
    outside = paths["cut profile_outside"]
    assert outside.count(f"L 153.000 {sy(103.0)}") == 1


def test_deterministic():
    assert _svg() == _svg()


def test_png(tmp_path):
    pytest.importorskip("resvg_py")
    path = tmp_path / "sheet.png"
    svg_to_png(_svg(), path, width_px=400)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 400 and height > 0
