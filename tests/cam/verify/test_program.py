"""Independent G-code verification: hand-made programs, good and deliberately broken.

The part: a 100 × 50 mm rectangle with a Ø10 mm through hole, placed with its
lower-left corner at (20, 20) on a 300 × 200 × 6 mm sheet, cut with a
Ø6.35 mm end mill in one full-depth pass (Z −6.3 = 6 mm stock + 0.3 mm
breakthrough).

Hand-computed path (tool radius r = 3.175 mm):
- hole: tool centre on a circle of radius 5 − 3.175 = 1.825 mm → 2π·1.825
- outline: four straight sides 2·(100 + 50) = 300 mm plus four quarter arcs of
  radius r around the corners → 2π·3.175
- two plunges from Z 5 to Z −6.3 at feed: 2 × 11.3
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import shapely

from osehw.cam.shop import Machine
from osehw.cam.verify.program import (
    CUT_THROUGH,
    NO_GOUGE,
    PartRegion,
    VerifyError,
    verify_program,
)
from osehw.cam.verify.timing import segment_time
from osehw.core.errors import OsehwError

R = 6.35 / 2
STOCK_T = 6.0
CUT_LENGTH = 2 * 11.3 + 2 * math.pi * 1.825 + 300.0 + 2 * math.pi * R  # [mm]
RAPID_LENGTH = 2 * 11.3 + math.hypot(71.825 - 20.0, 45.0 - 16.825)  # first two rapids start unknown


def machine(controller: str = "grbl", z_zero: str = "stock_top") -> Machine:
    return Machine(id=f"test_{controller}", name="test router", controller=controller,
                   envelope_x=800, envelope_y=800, envelope_z=100, max_feed=5000, max_rapid=8000,
                   acceleration=500, spindle_min_rpm=8000, spindle_max_rpm=24000, z_zero=z_zero,
                   safe_z=5.0, breakthrough=0.3, tools=("em635",))


PART = PartRegion(
    name="plate",
    outline=shapely.Polygon([(20, 20), (120, 20), (120, 70), (20, 70)],
                            [shapely.Point(70, 45).buffer(5.0, quad_segs=256).exterior.coords]),
    thickness=STOCK_T,
)

BOTTOM_EDGE = "G1 X120.000 Y16.825 F1500"


def program(flavour: str = "grbl", top: float = 0.0) -> str:
    """The correct program; ``top`` shifts every Z (stock top at Z = top)."""
    safe, deep = f"{top + 5.0:.3f}", f"{top - 6.3:.3f}"
    if flavour == "grbl":
        header = ["(osehw test: plate 100 x 50 with a 10 mm hole)", "G21 G90 G17 G94", "M3 S18000"]
    else:
        header = ["%", "(osehw test: plate, LinuxCNC)", "G17 G21 G90 G91.1 G40 G49 G94 G64 P0.005",
                  "T1 M6 ; 6.35 mm up-cut", "M3 S18000"]
    body = [
        f"G0 Z{safe}",
        "G0 X71.825 Y45.000",
        f"G1 Z{deep} F600",
        "G3 X71.825 Y45.000 I-1.825 J0.000 F1500 (hole, full circle)",
        f"G0 Z{safe}",
        "G0 X20.000 Y16.825",
        f"G1 Z{deep} F600",
        BOTTOM_EDGE,
        "G3 X123.175 Y20.000 I0.000 J3.175",
        "X123.175 Y70.000 G1",
        "G3 X120.000 Y73.175 I-3.175 J0.000",
        "G1 X20.000 Y73.175",
        "G3 X16.825 Y70.000 I0.000 J-3.175",
        "G1 X16.825 Y20.000",
        "G3 X20.000 Y16.825 I3.175 J0.000",
        f"G0 Z{safe}",
        "M5",
        "M30",
    ]
    if flavour != "grbl":
        body = [f"N{10 * (i + 1)} {b}" for i, b in enumerate(body)] + ["%"]
    return "\n".join(header + body) + "\n"


def run(text: str, flavour: str = "grbl", z_zero: str = "stock_top", max_tab: float = 0.0):
    return verify_program(text, machine(flavour, z_zero), dialect=flavour, stock_x=300, stock_y=200,
                          stock_thickness=STOCK_T, tool_diameter=6.35, parts=[PART],
                          max_tab_length=max_tab, subject="plate.nc")


def codes(report) -> set[str]:
    return {f.code for f in report.findings if f.is_error}


@pytest.mark.parametrize("flavour", ["grbl", "linuxcnc"])
def test_good_program_passes_with_hand_computed_lengths(flavour):
    report = run(program(flavour), flavour)
    assert report.ok, report.findings
    assert report.cut_length == pytest.approx(CUT_LENGTH, abs=1e-3)  # 354.016 mm
    assert report.rapid_length == pytest.approx(RAPID_LENGTH, abs=1e-3)
    assert report.estimated_time_s >= report.lower_bound_time_s > 0


def test_lower_bound_is_length_over_feed():
    report = run(program())
    # plunges at 600 mm/min, the rest at 1500 mm/min; rapids at 8000 mm/min on each axis, so the diagonal
    # one (51.825, 28.175) takes as long as its longer leg: 51.825 mm at 8000 mm/min (GRBL's per-axis limit)
    expected = 60 * (22.6 / 600 + (CUT_LENGTH - 22.6) / 1500 + (2 * 11.3 + (71.825 - 20.0)) / 8000)
    assert report.lower_bound_time_s == pytest.approx(expected, rel=1e-9)


def test_spoilboard_zero_is_the_same_program_shifted():
    report = run(program("linuxcnc", top=STOCK_T), "linuxcnc", z_zero="spoilboard")
    assert report.ok, report.findings
    assert report.cut_length == pytest.approx(CUT_LENGTH, abs=1e-3)
    # the stock-top program read with a spoilboard zero plunges 6 mm into the spoilboard
    assert "GCODE_DEPTH" in codes(run(program("linuxcnc"), "linuxcnc", z_zero="spoilboard"))


def _tab_program(x0: float, x1: float) -> str:
    tab = [f"G1 X{x0:.3f} Y16.825 F1500", "G1 Z-4.000", f"G1 X{x1:.3f} Y16.825",
           "G1 Z-6.300", BOTTOM_EDGE]
    return program().replace(BOTTOM_EDGE, "\n".join(tab))


def test_tab_shorter_than_max_passes_and_is_reported():
    report = run(_tab_program(60.0, 68.0), max_tab=10.0)
    assert report.ok, report.findings
    # on the ring, the 8 mm tab shrinks by the chord the 0.01 mm cover tolerance
    # adds at each end of the full-depth sweep: 2·√((r + 0.01)² − r²)
    # (near tangency a 0.002 mm polygon error moves that end by ~0.03 mm, hence abs=0.06)
    tab = 8.0 - 2 * math.sqrt((R + 0.01) ** 2 - R ** 2)  # 7.496
    (info,) = [f for f in report.findings if f.code == "GCODE_TABS"]
    assert float(re.search(r"of ([\d.]+) mm", info.message).group(1)) == pytest.approx(tab, abs=0.06)
    assert report.cut_length == pytest.approx(CUT_LENGTH + 2 * 2.3, abs=1e-3)


def test_outline_left_uncut_longer_than_a_tab_fails():
    report = run(_tab_program(60.0, 80.0), max_tab=10.0)
    assert codes(report) == {"GCODE_UNCUT"}
    (f,) = [f for f in report.findings if f.code == "GCODE_UNCUT"]
    assert "outside ring" in f.message and "plate" in f.message
    length = float(re.search(r"for ([\d.]+) mm", f.message).group(1))
    assert length == pytest.approx(20.0 - 2 * math.sqrt((R + 0.01) ** 2 - R ** 2), abs=0.06)


def test_hole_not_cut_fails():
    text = program().replace("G3 X71.825 Y45.000 I-1.825 J0.000 F1500 (hole, full circle)", "")
    report = run(text)
    assert codes(report) == {"GCODE_UNCUT"}
    (f,) = [f for f in report.findings if f.code == "GCODE_UNCUT"]
    assert "hole 1" in f.message
    length = float(re.search(r"for ([\d.]+) mm", f.message).group(1))
    # the plunge's disc (centre 1.825 mm from the hole's centre) touches the ring at
    # (75, 45): the ring is "cut" where it lies within r + 0.01 of the plunge point,
    # an arc of half-angle φ with cos φ = (5² + 1.825² − (r + 0.01)²) / (2·5·1.825)
    phi = math.acos((5.0 ** 2 + 1.825 ** 2 - (R + 0.01) ** 2) / (2 * 5.0 * 1.825))
    assert length == pytest.approx(2 * math.pi * 5.0 - 2 * 5.0 * phi, abs=0.06)  # 30.58


def test_gouge_hole_path_on_the_wrong_side():
    text = program().replace("G0 X71.825 Y45.000", "G0 X78.175 Y45.000").replace(
        "G3 X71.825 Y45.000 I-1.825 J0.000", "G3 X78.175 Y45.000 I-8.175 J0.000")
    report = run(text)
    assert "GCODE_GOUGE" in codes(report)
    (f,) = [f for f in report.findings if f.code == "GCODE_GOUGE"]
    # the sweep reaches 8.175 + 3.175 from the centre, the material starts at 5
    depth = float(re.search(r"by ([\d.]+) mm", f.message).group(1))
    assert depth == pytest.approx(8.175 + R - 5.0, abs=0.005)
    # the plunge's bottom point, the circle, the retract's bottom point
    assert f.message.endswith("program lines 6, 7, 8")


def test_gouge_outline_offset_inside():
    text = program().replace("G0 X20.000 Y16.825", "G0 X20.000 Y23.175").replace(
        BOTTOM_EDGE, "G1 X120.000 Y23.175 F1500")
    report = run(text)
    assert "GCODE_GOUGE" in codes(report)


@pytest.mark.parametrize("old, new, code", [
    ("G0 Z5.000\nG0 X20.000 Y16.825", "G0 X20.000 Y16.825", "GCODE_RAPID_LOW"),  # no retract
    ("G0 X71.825 Y45.000", "G0 X71.825 Y45.000 Z0.500", "GCODE_RAPID_LOW"),  # only 0.5 mm clear
    ("M3 S18000", "", "GCODE_SPINDLE_OFF"),
    ("M3 S18000", "M3 S30000", "GCODE_SPINDLE_RANGE"),
    ("G1 Z-6.300 F600\nG1 X120", "G1 Z-7.000 F600\nG1 X120", "GCODE_DEPTH"),
    (BOTTOM_EDGE, "G1 X120.000 Y16.825 F9000", "GCODE_FEED"),
    ("G3 X123.175 Y20.000 I0.000 J3.175", "G3 X123.175 Y20.000 I0.020 J3.175", "GCODE_ARC"),
    ("G21 G90 G17 G94", "G90 G17 G94", "GCODE_MODES"),
    ("G0 X71.825 Y45.000", "G0 X-5.000 Y45.000\nG0 X71.825 Y45.000", "GCODE_ENVELOPE"),
    ("M3 S18000", "M3 S18000\nG41", "GCODE_DIALECT"),
    ("M3 S18000", "M6 T1\nM3 S18000", "GCODE_DIALECT"),
    ("G0 X71.825 Y45.000", "G81 X71.825 Y45.000 Z-6.3 R1 F600", "GCODE_DIALECT"),
    ("M3 S18000", "M3 S18000\nO100 sub", "GCODE_DIALECT"),
    ("M3 S18000", "M3 S18000\nG1 X1e3", "GCODE_DIALECT"),  # read as X1 E3: no E-word in GRBL
    ("M3 S18000", "M3 S18000\n$H", "GCODE_PARSE"),
])
def test_broken_grbl_variant_fails_with_the_right_code(old, new, code):
    text = program()
    assert old in text
    report = run(text.replace(old, new, 1))
    assert code in codes(report)
    assert any(re.search(r"line \d+", f.message) for f in report.findings if f.code == code)


def test_each_broken_variant_names_line_and_value():
    report = run(program().replace(BOTTOM_EDGE, "G1 X120.000 Y16.825 F9000"))
    f = next(f for f in report.findings if f.code == "GCODE_FEED")  # F is modal: later lines too
    assert f.message.startswith("line 11:") and "9000" in f.message and f.subject == "plate.nc"


def test_linuxcnc_allows_what_grbl_refuses_but_verifier_cannot_prove_it():
    text = program("linuxcnc").replace("M3 S18000", "M3 S18000\nG41 D1")
    report = run(text, "linuxcnc")
    assert "GCODE_UNSUPPORTED" in codes(report) and "GCODE_DIALECT" not in codes(report)
    # a tool change is fine on LinuxCNC, refused on GRBL
    assert run(program("linuxcnc"), "linuxcnc").ok


def test_full_circle_without_axis_words():
    # LinuxCNC reads "G3 I.. J.." with no X/Y as a full circle; GRBL refuses it (error 26)
    old = "G3 X71.825 Y45.000 I-1.825 J0.000"
    report = run(program("linuxcnc").replace(old, "G3 I-1.825 J0.000"), "linuxcnc")
    assert report.ok and report.cut_length == pytest.approx(CUT_LENGTH, abs=1e-3)
    assert "GCODE_ARC" in codes(run(program().replace(old, "G3 I-1.825 J0.000")))


def test_arc_bulging_out_of_the_envelope():
    # both ends at X 2, but the clockwise half circle around (2, 105) reaches X −3
    arc = "G0 X2.000 Y100.000\nG2 X2.000 Y110.000 I0.000 J5.000 F1500\nG0 X71.825 Y45.000"
    report = run(program().replace("G0 X71.825 Y45.000", arc, 1))
    (f,) = [f for f in report.findings if f.code == "GCODE_ENVELOPE"]
    assert f.message.startswith("line 6: X -3.000")


def test_program_for_another_controller_is_refused():
    report = verify_program(program(), machine("linuxcnc"), dialect="grbl", stock_x=300, stock_y=200,
                            stock_thickness=STOCK_T, tool_diameter=6.35)
    assert codes(report) == {"GCODE_DIALECT"}


def test_mach3_must_state_arc_mode():
    text = program("linuxcnc").replace(" G91.1", "")
    assert "GCODE_MODES" in codes(run(text, "mach3"))
    assert run(program("linuxcnc"), "mach3").ok


def test_r_format_arcs_and_inches_are_handled():
    # the corner arc written with R instead of I/J: same geometry, same length
    text = program().replace("G3 X123.175 Y20.000 I0.000 J3.175", "G3 X123.175 Y20.000 R3.175")
    report = run(text)
    assert report.ok and report.cut_length == pytest.approx(CUT_LENGTH, abs=1e-3)
    assert "GCODE_MODES" in codes(run(program().replace("G21", "G20")))


def test_bad_arguments_raise():
    with pytest.raises(VerifyError, match="dialect 'fanuc' invalid"):
        verify_program("", machine(), dialect="fanuc", stock_x=1, stock_y=1, stock_thickness=1,
                       tool_diameter=1)
    assert issubclass(VerifyError, ValueError) and issubclass(VerifyError, OsehwError)


@pytest.mark.parametrize("name", ["stock_thickness", "tool_diameter", "stock_x", "stock_y"])
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 0.0, -1.0])
def test_sizes_must_be_finite_and_positive(name, value):
    # NaN compares false with everything: a "<= 0" test alone let it through and
    # turned off every depth rule, so a 30 mm overcut read as "program OK"
    sizes = dict(stock_x=300, stock_y=200, stock_thickness=STOCK_T, tool_diameter=6.35) | {name: value}
    with pytest.raises(VerifyError, match="must be a finite number > 0"):
        verify_program(program(), machine(), dialect="grbl", **sizes)


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "(only a comment)\n; and another\n",
                                  "G21 G90 G17\nM3 S18000\nM5\nM30\n"])
def test_a_program_with_no_moves_fails(text):
    report = verify_program(text, machine(), dialect="grbl", stock_x=300, stock_y=200,
                            stock_thickness=STOCK_T, tool_diameter=6.35)
    assert "GCODE_EMPTY" in codes(report) and not report.ok
    (f,) = [f for f in report.findings if f.code == "GCODE_EMPTY"]
    assert "no moves" in f.message


def test_without_parts_cut_through_and_gouge_are_not_proven():
    alone = verify_program(program(), machine(), dialect="grbl", stock_x=300, stock_y=200,
                           stock_thickness=STOCK_T, tool_diameter=6.35)
    assert alone.ok and alone.not_proven == (CUT_THROUGH, NO_GOUGE)
    assert run(program()).not_proven == ()


def test_a_part_of_several_pieces_is_checked_piece_by_piece():
    far = shapely.box(400, 400, 450, 450)  # never cut
    for outline in (shapely.MultiPolygon([PART.outline, far]),
                    shapely.GeometryCollection([PART.outline, far, shapely.LineString([(0, 0), (1, 1)])])):
        report = verify_program(program(), machine(), dialect="grbl", stock_x=300, stock_y=200,
                                stock_thickness=STOCK_T, tool_diameter=6.35,
                                parts=[PartRegion("pair", outline, STOCK_T)])
        uncut = [f.message for f in report.findings if f.code == "GCODE_UNCUT"]
        # piece 1 (the plate) is cut out; the whole 200 mm ring of piece 2 is not
        assert len(uncut) == 1 and "outside ring of piece 2 not cut through for 200.000 mm" in uncut[0]


# --- time model ------------------------------------------------------------------

def _time_of(moves: str) -> tuple[float, float]:
    text = "G21 G90\nG0 X0 Y0 Z5\n" + moves  # the first rapid starts unknown: not timed
    r = verify_program(text, machine(), dialect="grbl", stock_x=300, stock_y=200,
                       stock_thickness=STOCK_T, tool_diameter=6.35)
    return r.estimated_time_s, r.lower_bound_time_s


def test_single_straight_move_is_a_trapezoid():
    # L = 100 mm at v = 3000 mm/min = 50 mm/s, a = 500 mm/s²: L ≥ v²/a = 5 mm
    est, low = _time_of("G1 X100 F3000\n")
    assert low == pytest.approx(100 / 50)
    assert est == pytest.approx(100 / 50 + 50 / 500)  # t = d/v + v/a = 2.1 s


def test_short_move_is_a_triangle():
    # L = 2 mm < v²/a: never reaches 50 mm/s; peak √(a·L), t = 2·√(L/a)
    est, low = _time_of("G1 X2 F3000\n")
    assert est == pytest.approx(2 * math.sqrt(2 / 500))
    assert est > low == pytest.approx(2 / 50)


def test_collinear_moves_blend_corners_slow_reversals_stop():
    straight, _ = _time_of("G1 X50 F3000\nG1 X100\n")
    assert straight == pytest.approx(2.1)  # same as one 100 mm move
    # 90° corner: GRBL junction deviation δ = 0.01 mm, s = sin(45°), and the junction's
    # acceleration limited per axis along u − u_prev = (−1, 1)/√2, i.e. a_j = √2·a:
    # v_j = √(a_j·δ·s/(1 − s)) ≈ 4.13 mm/s; each leg: accelerate 0→50 (2.5 mm),
    # cruise, decelerate 50→v_j ((50² − v_j²)/2a mm)
    s = math.sqrt(0.5)
    vj = math.sqrt(math.sqrt(2) * 500 * 0.01 * s / (1 - s))
    leg = 50 / 500 + (50 - vj) / 500 + (100 - 2.5 - (50 ** 2 - vj ** 2) / 1000) / 50
    corner, _ = _time_of("G1 X100 F3000\nG1 Y100\n")
    assert corner == pytest.approx(2 * leg)
    # full reversal: junction speed 0, two independent trapezoids
    reverse, _ = _time_of("G1 X100 F3000\nG1 X0\n")
    assert reverse == pytest.approx(2 * 2.1)


def test_segment_time_formula():
    assert segment_time(100.0, 0.0, 0.0, 50.0, 500.0) == pytest.approx(2.1)
    # entered and left at cruise: no acceleration at all
    assert segment_time(100.0, 50.0, 50.0, 50.0, 500.0) == pytest.approx(2.0)


def test_large_program_runs():
    """~20k lines of full-depth zig-zag with arcs: proves the pipeline scales (no timing assert)."""
    lines = ["G21 G90 G17", "M3 S18000", "G0 Z5", "G0 X10 Y10", "G1 Z-6.3 F800"]
    y = 10.0
    for k in range(5000):
        x_to = 290.0 if k % 2 == 0 else 10.0
        lines.append(f"G1 X{x_to:.3f} Y{y:.3f} F3000")
        lines.append(f"G{2 if k % 2 == 0 else 3} X{x_to:.3f} Y{y + 0.03:.3f} "
                     f"I0.000 J0.015")
        y += 0.03
    lines += ["G0 Z5", "M5", "M30"]
    report = verify_program("\n".join(lines), machine(), dialect="grbl", stock_x=300, stock_y=200,
                            stock_thickness=STOCK_T, tool_diameter=6.35, parts=[PART])
    # the zig-zag mills straight through the plate: a gouge, and nothing left of the outline
    assert "GCODE_GOUGE" in codes(report)
    half_turn = math.pi * 0.015
    assert report.cut_length == pytest.approx(11.3 + 5000 * (280.0 + half_turn), rel=1e-6)


# --- the verify command ---------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]


def osehw(*args, cwd=ROOT, **env_extra):
    env = dict(os.environ, COLUMNS="200", **env_extra)
    return subprocess.run([sys.executable, "-m", "osehw", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=600)


def test_cli_refuses_a_thickness_that_is_not_a_finite_positive_number(tmp_path):
    prog = tmp_path / "plate.nc"
    prog.write_text(program())
    cases = ["nan", "inf", "0", "-1"]
    with ThreadPoolExecutor() as pool:  # each run is a fresh interpreter: run them side by side
        runs = list(pool.map(lambda t: osehw("verify", str(prog), "--machine", "grbl-hobby-800",
                                             "--thickness", t), cases))
    for t, r in zip(cases, runs):
        assert r.returncode == 2, (t, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and r.stdout == ""
        assert r.stderr.strip().splitlines() == [f"error: --thickness {t}: must be a finite number > 0 mm"]


def test_cli_fails_an_empty_program(tmp_path):
    empty = tmp_path / "empty.nc"
    empty.write_text("(nothing here)\n\n")
    r = osehw("verify", str(empty), "--machine", "grbl-hobby-800", "--thickness", "12")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "GCODE_EMPTY" in r.stdout and "FAILED" in r.stdout and "Traceback" not in r.stderr


def test_an_explicit_plus_sign_is_a_number_not_a_parse_error():
    """RS274/NGC numbers may carry a '+' (NIST RS274NGC v3 §3.3.2.1); the controllers accept it."""
    plus = "G21 G90\nG0 Z+5\nG0 X+10 Y10 (keep a+b in comments)\nM3 S12000\nG1 Z-1 F300\nG1 X20 F+600\nG0 Z5\nM5\nM2\n"
    plain = plus.replace("+5", "5").replace("X+10", "X10").replace("F+600", "F600")
    a, b = run(plus), run(plain)
    assert "GCODE_PARSE" not in codes(a)
    assert codes(a) == codes(b) and a.cut_length == pytest.approx(b.cut_length)
