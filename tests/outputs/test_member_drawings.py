import re
import xml.dom.minidom

from osehw.core.design import StockPart
from osehw.outputs.member_drawings import MARGIN, WIDTH, member_svg

LEG = StockPart("leg-s2", "tube-6061-50.8x6.35", 3038.7, 3, (0.0, 0.0), ((20.0, 11.0), (80.0, 11.0), (762.2, 11.0)))


def test_drawing_dimensions_every_hole_and_the_length():
    svg = member_svg(LEG)
    xml.dom.minidom.parseString(svg)  # well-formed
    assert "leg-s2 x 3" in svg and "3038.7 mm long" in svg and "3 holes dia 11 mm" in svg
    labels = re.findall(r'fill="#b03030" text-anchor="middle">([0-9.]+)</text>', svg)
    assert labels == ["20", "80", "762.2"]
    # hole lines sit at their position along the bar, to the drawing's scale
    xs = [float(x) for x in re.findall(r'<line x1="([0-9.]+)" y1="66"', svg)]
    scale = (WIDTH - 2 * MARGIN) / LEG.length
    assert xs == [round(MARGIN + p * scale, 2) for p, _ in LEG.holes]
    assert member_svg(LEG) == svg


def test_mitred_ends_slope_the_outline():
    mitred = StockPart("brace", "tube-6061-25.4x3.175", 1000.0, 1, (45.0, 0.0))
    points = re.search(r'points="([^"]+)"', member_svg(mitred)).group(1).split()
    top_left = float(points[3].split(",")[0])
    assert top_left == round(MARGIN + 25.4 * (WIDTH - 2 * MARGIN) / 1000.0, 2)  # tan 45° × depth
