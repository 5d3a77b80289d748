"""Third-party programs: read as their controller reads them, still caught where they would break something.

Every expected position below is worked by hand from the controllers' manuals
(LinuxCNC 2.9 G-code reference: G81/G98/G99, G18, G28, G92; GRBL 1.1 README).
"""

from __future__ import annotations

import math
import re

import pytest

from osehw.cam.verify.parse import FindingLog, parse_program
from osehw.cam.verify.program import verify_program
from tests.cam.verify.test_program import machine


def verify(text: str, controller: str = "linuxcnc", thickness: float = 6.0, **kw):  # type: ignore[no-untyped-def]
    return verify_program(text, machine(controller), dialect=controller, stock_x=300, stock_y=200,
                          stock_thickness=thickness, tool_diameter=3.175, third_party=True, **kw)


def codes(report) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f.code: f.severity for f in report.findings}


# A typical hobby-CAM program: inches, no G21/G90 stated... zero at the part's corner,
# so the first pass starts at minus the tool radius.
INCH_PROGRAM = """G20
G0 Z0.2
G0 X-0.0625 Y-0.0625
M3 S18000
G1 Z-0.125 F20
G1 X2.0625 F40
G1 Y1.0625
G1 X-0.0625
G1 Y-0.0625
G0 Z0.2
M5
M30
"""


def test_inch_program_from_the_parts_corner_passes_with_an_inferred_offset() -> None:
    report = verify(INCH_PROGRAM, "grbl")
    assert report.ok, report.findings
    found = codes(report)
    assert found == {"GCODE_MODES": "warning", "GCODE_OFFSET": "info"}
    (offset,) = [f.message for f in report.findings if f.code == "GCODE_OFFSET"]
    assert [float(v) for v in re.findall(r"[XY]\+([\d.]+)", offset)] == pytest.approx([1.5875] * 2, abs=6e-4)
    # perimeter 2·(2.125 + 1.125) in + plunge from Z 0.2 to Z −0.125 in, all in mm
    assert report.cut_length == pytest.approx((2 * (2.125 + 1.125) + 0.325) * 25.4, abs=1e-6)
    strict = verify_program(INCH_PROGRAM, machine("grbl"), dialect="grbl", stock_x=300, stock_y=200,
                            stock_thickness=6.0, tool_diameter=3.175)
    assert {"GCODE_MODES", "GCODE_ENVELOPE"} <= {f.code for f in strict.findings}


def test_a_given_work_offset_is_where_the_envelope_is_checked() -> None:
    assert codes(verify(INCH_PROGRAM, "grbl", work_offset=(10.0, 10.0))).get("GCODE_ENVELOPE") is None
    far = verify(INCH_PROGRAM, "grbl", work_offset=(790.0, 10.0))  # 2.06 in past 790 mm > 800 mm
    assert not far.ok and "GCODE_ENVELOPE" in codes(far)


def test_incremental_and_a_rapid_going_up_is_not_a_plunge() -> None:
    text = "G21 G90\nG0 Z5\nG0 X10 Y10\nM3 S12000\nG1 Z-6 F300\nG91\nG1 X20 F800\nG0 Z3\nG90\nG0 Z5\nM30\n"
    report = verify(text)
    assert report.ok, report.findings
    assert report.cut_length == pytest.approx(11 + 20, abs=1e-9)


def test_grouped_findings_give_the_count_and_first_lines() -> None:
    lines = ["G21 G90", "G0 Z5", "G0 X10 Y10", "M3 S12000", "G1 Z-1 F300"]
    lines += [f"G1 X{10 + k} F9000" for k in range(1, 23)]  # 22 moves over the machine's 5000 mm/min
    report = verify("\n".join(lines + ["M30"]))
    (feed,) = [f for f in report.findings if f.code == "GCODE_FEED"]
    assert feed.message.startswith("22× (lines 6, 7, 8, 9, 10, …); first: line 6: F 9000 exceeds")


def test_linuxcnc_parameters_g43_and_a_drilling_cycle_with_g98() -> None:
    text = """#<depth> = 4.0
#1 = [#<depth> + 1]
G21 G90 G54 G17
G43 H1
G0 Z10
M3 S10000
G98 G81 X20 Y30 Z-#1 R2 F200
X40
G80
G0 Z10
M30
"""
    report = verify(text)
    assert report.ok, report.findings
    parsed = parse_program(text, "linuxcnc", FindingLog("t"), third_party=True)
    holes = [(m.end[0], m.end[1], m.end[2]) for m in parsed.moves if m.kind == "feed"]
    assert holes == [(20, 30, -5), (40, 30, -5)]
    # G98: back to the Z before the cycle (10), above R (2); the second hole starts from there
    assert [m.end for m in parsed.moves if m.line == 8] == [(40, 30, 10), (40, 30, 2), (40, 30, -5), (40, 30, 2),
                                                          (40, 30, 10)]
    # 2 holes: feed R → Z (7 mm) each
    assert report.cut_length == pytest.approx(2 * 7, abs=1e-9)


def test_g99_retracts_to_r_and_g91_cycles_repeat_with_l() -> None:
    text = "G21 G90\nG0 X0 Y0 Z10\nM3 S10000\nG91 G99 G81 X10 Y0 Z-7 R-8 L3 F200\nG90 G80\nM30\n"
    parsed = parse_program(text, "linuxcnc", FindingLog("t"), third_party=True)
    feeds = [m.end for m in parsed.moves if m.kind == "feed"]
    # G91: R is 8 below the start (Z 2), Z 7 below R (Z −5); L3 repeats 10 mm apart
    assert feeds == [(10, 0, -5), (20, 0, -5), (30, 0, -5)]
    assert parsed.moves[-1].end == (30, 0, 2)  # G99: stays at R


def test_peck_rapids_back_into_the_hole_are_not_plunges_but_rapids_into_stock_are() -> None:
    pecks = "G21 G90\nG0 Z5\nG0 X50 Y50\nM3 S10000\nG1 Z-2 F200\nG0 Z1\nG0 Z-1.8\nG1 Z-4\nG0 Z5\nM30\n"
    assert verify(pecks).ok
    into_stock = pecks.replace("G0 Z-1.8", "G0 Z-3")  # below what was drilled: a rapid into stock
    report = verify(into_stock)
    assert not report.ok and "rapid plunge" in str(report.findings)


def test_g18_arcs_are_followed_as_chords_turning_about_plus_y() -> None:
    # G18 arcs lie in the ZX plane and turn about +Y (RS274NGC v3 §3.5.3; LinuxCNC "G17-G19"):
    # G3 (counter-clockwise seen from +Y) takes +X towards −Z, G2 takes +X towards +Z.
    start = "G21 G90\nG0 Z5\nG0 X10 Y0\nM3 S10000\nG1 Z0 F300\n"
    for arc, sweep, through in (("G18 G3 X0 Z-10 I-10 K0", math.pi / 2, (7.07, -7.07)),
                                ("G18 G2 X0 Z-10 I-10 K0", 3 * math.pi / 2, (-10.0, 0.0))):
        text = start + arc + "\nG0 Z5\nM30\n"
        parsed = parse_program(text, "linuxcnc", FindingLog("t"), third_party=True)
        chords = [m for m in parsed.moves if m.line == 6]
        assert len(chords) > 10
        assert all(math.hypot(m.end[0], m.end[2]) == pytest.approx(10, abs=1e-9) for m in chords)
        assert min(math.dist((m.end[0], m.end[2]), through) for m in chords) < 0.2
        assert verify(text, thickness=12).cut_length == pytest.approx(5 + 10 * sweep, abs=0.01)


def test_g28_return_counts_as_a_retract_and_o_words_stop_the_check() -> None:
    text = "G21 G90\nG0 Z5\nG0 X10 Y10\nM3 S10000\nG1 Z-1 F300\nG91 G28 Z0\nG90\nG0 X100 Y100\nM30\n"
    assert verify(text).ok
    looped = "G21 G90\nG0 Z5\no100 while [1]\nG0 X10\no100 endwhile\nM30\n"
    report = verify(looped)
    assert any("O-word" in f.message for f in report.findings)
    assert any("lines 3 on" in n for n in report.not_proven)


def test_real_faults_are_still_caught_in_third_party_mode() -> None:
    base = "G21 G90\nG0 Z5\nG0 X10 Y10\nM3 S12000\nG1 Z-1 F300\nG1 X50\nG0 Z5\nM30\n"
    assert verify(base, "grbl").ok
    assert "GCODE_DIALECT" in codes(verify(base.replace("M3 S12000", "M6 T1\nM3 S12000"), "grbl"))
    assert "GCODE_PARSE" in codes(verify(base.replace("G1 X50", "G1 X50 F"), "grbl"))
    # switched off, then cutting again (a program that never switches the spindle is run by hand)
    assert "GCODE_SPINDLE_OFF" in codes(verify(base.replace("G1 X50", "M5\nG1 X50"), "grbl"))
    assert "GCODE_ENVELOPE" in codes(verify(base.replace("X50", "X900"), "grbl", work_offset=(0, 0)))
    assert "GCODE_DEPTH" in codes(verify(base.replace("Z-1", "Z-9"), "grbl"))


def test_after_an_unreadable_line_no_phantom_move_follows() -> None:
    text = "G21 G90\nG0 Z5\nG0 X10 Y10\nM3 S12000\nG1 Z-1 F300\nG1 X50 Y$$\nG1 Y40\nG0 Z5\nM30\n"
    parsed = parse_program(text, "grbl", FindingLog("t"), third_party=True)
    after = [m for m in parsed.moves if m.line == 7]
    assert after and not after[0].known  # X/Z unknown after line 6: no length or sweep invented


def test_hand_dial_spindle() -> None:
    text = "G21 G90\nG0 Z5\nG0 X10 Y10\nM3\nG1 Z-1 F300\nG1 X50\nG0 Z5\nM5\nM30\n"
    report = verify(text, "grbl")
    assert report.ok and codes(report)["GCODE_SPINDLE_MANUAL"] == "info"


def test_spindle_switched_by_hand_grbl_homing_and_an_out_of_range_s_are_warnings() -> None:
    # jscut writes no M3/M4/M5 at all: the router is switched on by hand
    by_hand = "G21\nG90\nG1 Z1 F2540\nG1 X10 Y10\nG1 Z-1 F127\nG1 X20 F1016\nG1 Z1\n"
    report = verify(by_hand, "grbl")
    assert report.ok and codes(report)["GCODE_SPINDLE_MANUAL"] == "warning"
    # $H homes (Z up): the XY rapid after it is not at an unknown height; S1000 is GRBL's default $30 scale
    homed = "$H\nG21 G90\nG0 X10 Y10\nG0 Z5\nM3 S1000\nG1 Z-1 F300\nG1 X50\nG0 Z5\nM30\n"
    report = verify(homed, "grbl")
    assert report.ok, report.findings
    assert codes(report)["GCODE_SPINDLE_RANGE"] == "warning"
    assert "GCODE_PARSE" in codes(verify(homed, "linuxcnc"))  # $H is GRBL's, not G-code


def test_tool_change_retracts_and_incremental_programs_start_where_the_tool_stands() -> None:
    changed = "G21 G90\nT3 M6\nG43\nG0 X50 Y50\nG0 Z30\nM3 S12000\nG0 Z2\nG1 Z-1 F300\nG0 Z30\nM30\n"
    assert verify(changed).ok
    helix = "G17\nG21\nG91\nM3 S12000\nG1 Z-5 F100\nG3 X0 Y0 I5 J0 Z1 F300\nG90\nM30\n"
    report = verify(helix, thickness=12)
    assert report.ok, report.findings
    # plunge 5 + a helix of one turn radius 5 rising 1: √((2π·5)² + 1²)
    assert report.cut_length == pytest.approx(5 + math.hypot(2 * math.pi * 5, 1), abs=1e-6)
