"""HTML setup sheet."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from osehw.cam.drawings.setup_sheet import SetupSheetError, hms, setup_sheet_html
from osehw.cam.nesting.remnant import Remnant, SheetUse
from osehw.cam.shop import FeedsAndSpeeds, Machine, Material, Tool

MACHINE = Machine(
    id="grbl-test", name="GRBL test router", controller="grbl", envelope_x=800.0, envelope_y=800.0,
    envelope_z=100.0, max_feed=5000.0, max_rapid=5000.0, acceleration=500.0, spindle_min_rpm=10000.0,
    spindle_max_rpm=30000.0, tools=("em6", "dr5"), clamp_margin=15.0, breakthrough=0.3,
)
MATERIAL = Material(
    id="plywood", name="Plywood", chipload={6.35: (0.28, 0.33)}, max_stepdown_fraction=0.75,
    plunge_fraction=0.3, grain=True, density_kg_m3=575.0, heat_transfer_w_m2k=3.5, render_colour=(0.85, 0.7, 0.45),
)
EM6 = Tool(id="em6", name="6.35 mm 2-flute up-cut", kind="flat", diameter=6.35, flutes=2, flute_length=25.4)
DR5 = Tool(id="dr5", name="5 mm drill", kind="drill", diameter=5.0, flutes=2, flute_length=40.0, angle=118.0)
NOTE = "spindle lowered to 14,000 rpm to keep 0.2 mm chipload"
SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'
VOID = {"meta", "br", "link", "img", "input", "hr", "col", "source", "wbr", "area", "base", "embed", "track"}


class _Collector(HTMLParser):
    """Collects the tool table's cells and checks that every element closes in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.rows: list[list[str]] = []
        self.in_row = False
        self.cell: list[str] | None = None
        self.tags: list[str] = []
        self.decl: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.decl.append(decl)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "br" and self.cell is not None:
            self.cell.append(" ")
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "tr" and ("class", "tool-row") in attrs:
            self.in_row = True
            self.rows.append([])
        if tag == "td" and self.in_row:
            self.cell = []

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()
        if tag == "td" and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        if tag == "tr":
            self.in_row = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _html(**overrides) -> str:
    args = dict(
        title="enclosure <sheet 1>",
        machine=MACHINE,
        material=MATERIAL,
        stock_x=800.0,
        stock_y=800.0,
        stock_thickness=12.0,
        z_zero="stock_top",
        tools_in_order=[
            (DR5, FeedsAndSpeeds(rpm=10908.3, feed=5000.0, plunge=1500.0, chipload=0.229, stepdown=3.75,
                                 stepover=2.25), "sheet-1.1-drill-5.nc", 125.4),
            (EM6, FeedsAndSpeeds(rpm=14000.0, feed=5000.0, plunge=1500.0, chipload=0.2, stepdown=4.7625,
                                 stepover=2.8575, note=NOTE), "sheet-1.2-em-6.35.nc", 3725.4),
        ],
        parts=[("lid", 2), ("gusset", 4)],
        svg=SVG,
        total_time_s=3850.8,
        notes=["Check the spoilboard is flat & screwed down."],
    )
    args.update(overrides)
    return setup_sheet_html(**args)


def test_hms():
    assert hms(0.0) == "0:00:00"
    assert hms(59.6) == "0:01:00"
    assert hms(3725.4) == "1:02:05"
    assert hms(36000.0) == "10:00:00"
    with pytest.raises(SetupSheetError):
        hms(-1.0)


def test_page_parses_and_has_the_tool_table():
    page = _html()
    parser = _Collector()
    parser.feed(page)
    parser.close()
    assert parser.decl == ["DOCTYPE html"]
    assert parser.errors == [] and parser.stack == []
    assert parser.rows == [
        ["1", "5 mm drill dr5", "drill 118°", "5", "2", "10,908", "5,000", "1,500", "0.229", "3.75", "2.25",
         "sheet-1.1-drill-5.nc", "0:02:05"],
        ["2", "6.35 mm 2-flute up-cut em6", "flat", "6.35", "2", "14,000", "5,000", "1,500", "0.200", "4.76", "2.86",
         "sheet-1.2-em-6.35.nc", "1:02:05"],
    ]
    assert NOTE in page
    assert "1:04:11" in page  # total 3850.8 s
    # the SVG is inline markup, its XML prolog dropped; the title is escaped text
    assert "svg" in parser.tags and "<?xml" not in page
    assert "enclosure &lt;sheet 1&gt;" in page and "<sheet" not in page
    assert "&amp; screwed down" in page
    assert "Z0 = top face of the stock" in page and "Z&minus;12.3 mm" in page
    assert "within 15 mm of the stock edges" in page
    assert "800 × 800 × 12 mm" in page
    assert "<td>gusset</td><td class=\"num\">4</td>" in page


def test_spoilboard_zero_and_bad_zero():
    page = _html(z_zero="spoilboard")
    assert "Z0 = spoilboard surface" in page and "Z+12 mm" in page
    with pytest.raises(SetupSheetError, match="z_zero 'table' invalid, must be one of spoilboard, stock_top"):
        _html(z_zero="table")


def test_deterministic():
    assert _html() == _html()


def test_sheet_use_rows_are_shown_escaped_and_only_when_given():
    use = SheetUse(1, (0.7312, 0.1184), Remnant(1, 0.0, 301.5, 800.0, 800.0, 0.1184))
    html = _html(sheet_use=use.lines())
    assert "<h2>Sheet use</h2>" in html
    assert "<dt>This sheet</dt><dd>11.8% of the sheet is part (part area / sheet area)</dd>" in html
    assert "<dt>Sheet 2 of 2</dt><dd>73.1%, 11.8% (mean 42.5%); the last sheet&#39;s fill 11.8%</dd>" in html
    # 800 x 498.5 mm = 0.3988 m², cut off along y = 301.5
    assert ("<dt>Remnant</dt><dd>keep the strip x 0 to 800, y 301.5 to 800 mm (800 × 498.5 mm, 0.399 m²) as "
            "stock: one straight cut along y = 301.5 once the parts are out</dd>") in html
    assert "Sheet use" not in _html()
