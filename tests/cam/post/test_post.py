"""Post-processors: whole programs compared line by line (after cq-cam's tests),
dialect rules, Z translation and number formatting."""

from __future__ import annotations

import re

import pygcode
import pytest

from osehw.cam.ops.moves import Arc, Line, Operation, Rapid
from osehw.cam.post import (
    PostError,
    PostProcessor,
    ProgramHeader,
    _check_words,
    comment_text,
    fmt,
    get_post,
    post,
    register,
    registered,
)
from osehw.cam.shop import FeedsAndSpeeds, load_machines, load_tools

FEEDS = FeedsAndSpeeds(rpm=12000, feed=3000, plunge=900, chipload=0.125, stepdown=4.5, stepover=2.5)


def square_with_arc(tool: str = "em-6.35-2f-up", rpm: float = 0.0) -> Operation:
    """A 20 mm square from (10,10) whose top edge is a half circle, radius 10 about (20,30)."""
    moves = (
        Rapid(z=5.0), Rapid(10.0, 10.0), Rapid(z=1.0),
        Line(None, None, -2.0, 900),
        Line(30.0, 10.0, -2.0, 3000),
        Line(30.0, 30.0, -2.0, 3000),
        Arc(10.0, 30.0, -2.0, i=-10.0, j=0.0, clockwise=False, feed=3000),
        Line(10.0, 10.0, -2.0, 3000),
        Rapid(z=5.0),
    )
    return Operation("profile_outside", "square", "outline", tool, 2.0, moves, rpm)


def header(machine_id: str, **update) -> ProgramHeader:
    machine = load_machines()[machine_id]
    if update:
        machine = machine.model_copy(update=update)
    return ProgramHeader(
        title="test square", parts=(("square", 1),), material="Plywood", stock_x=100, stock_y=100,
        stock_thickness=12, tool=load_tools()["em-6.35-2f-up"], feeds=FEEDS, z_zero=machine.z_zero,
        estimated_time_s=125.4, machine=machine,
    )


GRBL_EXPECTED = """\
(test square)
(Machine: GRBL 1.1 hobby router 800 x 800 mm)
(Parts:)
(  1 x square)
(Material: Plywood)
(Stock: 100 x 100 x 12 mm)
(Tool: 6.35 mm 2-flute up-cut end mill [em-6.35-2f-up])
(Spindle 12000 rpm, feed 3000, plunge 900 mm/min)
(Chipload 0.125 mm/tooth, stepdown 4.5, stepover 2.5 mm)
(XY zero: lower-left corner of the stock)
(Z zero: top of the stock, safe Z 5 mm above the stock)
(Estimated time: 0:02:05)
(GRBL 1.1. Load the tool before start - this program has no tool change.)
(S is rpm: set GRBL $30 to 30000. Hand-set spindles: dial 12000 rpm.)
G21 G90 G17 G94
G54
G0 Z5
M3 S12000
G4 P4
(profile_outside square outline depth 2)
G0 X10 Y10
G0 Z1
G1 Z-2 F900
G1 X30 F3000
G1 Y30
G3 X10 Y30 I-10 J0
G1 Y10
G0 Z5
M5
M2
"""


def test_grbl_whole_program():
    assert post(header("grbl-hobby-800"), [square_with_arc()]) == GRBL_EXPECTED


def code_lines(program: str) -> list[str]:
    return [re.sub(r"\([^)]*\)", "", ln).strip() for ln in program.splitlines()
            if re.sub(r"\([^)]*\)", "", ln).strip() not in ("", "%")]


@pytest.mark.parametrize("machine_id, preamble, end", [
    ("linuxcnc-4x8", ["G21 G90 G17 G94 G40 G49 G80", "G91.1", "G64 P0.01", "G54"], "M30"),
    ("mach3-router", ["G21 G90 G17 G94 G40 G49 G80", "G91.1", "G54"], "M30"),
])
def test_linuxcnc_and_mach3_code(machine_id, preamble, end):
    h = header(machine_id)
    text = post(h, [square_with_arc()])
    dz = 12.0 if h.machine.z_zero == "spoilboard" else 0.0  # the Mach3 profile zeroes on the spoilboard
    z = lambda v: fmt(v + dz)  # noqa: E731
    assert code_lines(text) == preamble + [
        f"G0 Z{z(5)}", "M3 S12000", "G4 P4",
        "G0 X10 Y10", f"G0 Z{z(1)}", f"G1 Z{z(-2)} F900", "G1 X30 F3000", "G1 Y30",
        "G3 X10 Y30 I-10 J0", "G1 Y10", f"G0 Z{z(5)}", "M5", end,
    ]
    assert text.endswith("\n") and "T1" not in text and "M6" not in text


def test_linuxcnc_is_percent_delimited_and_tells_the_operator_the_tool():
    lines = post(header("linuxcnc-4x8"), [square_with_arc()]).splitlines()
    assert lines[0] == "%" and lines[-1] == "%"
    assert "(MSG, Load tool em-6.35-2f-up: 6.35 mm 2-flute up-cut end mill - then cycle start)" in lines


def test_spoilboard_zero_adds_stock_thickness():
    text = post(header("grbl-hobby-800", z_zero="spoilboard"), [square_with_arc()])
    # z = -2 in the stock frame, 12 mm stock on the spoilboard: 10 above the board.
    assert "G1 Z10 F900" in text and "G0 Z13" in text and "G0 Z17" in text
    assert "Z-" not in text and "spoilboard" in text


def test_every_program_parses_with_pygcode_and_dialects_hold():
    kinds = (pygcode.GCodeRapidMove, pygcode.GCodeLinearMove, pygcode.GCodeArcMoveCCW)
    for machine_id in load_machines():
        text = post(header(machine_id), [square_with_arc()])
        gcodes = [g for raw in text.splitlines() for g in pygcode.Line(raw).block.gcodes]
        counts = [sum(isinstance(g, k) for g in gcodes) for k in kinds]
        assert counts == [4, 4, 1], machine_id  # G0 x4, G1 x4, G3 x1
        assert not any(isinstance(g, pygcode.GCodeArcMoveCW) for g in gcodes)


def test_grbl_uses_no_words_grbl_lacks():
    h = header("grbl-hobby-800")
    ops = [square_with_arc(), square_with_arc(rpm=15000)]
    code = "\n".join(code_lines(post(h, ops)))
    assert not re.search(r"M0*6\b|G4[123]\b|G8[1-9]\b|G7[36]\b|^O|^N|\bT\d", code, re.M)
    assert "M3 S15000" in code  # the second operation's own spindle speed
    for raw in post(h, ops).splitlines():
        assert raw.isascii() and raw.count("(") <= 1 and raw.count(")") <= 1


def test_no_negative_zero_and_three_decimals():
    moves = (Rapid(z=5.0), Rapid(-0.0004, 1.23456), Line(None, None, -0.0001, 900),
             Arc(0.0004, 2.0, -0.0001, i=0.0002, j=0.38272, clockwise=True, feed=3000.4),
             Rapid(z=5.0))
    op = Operation("drill", "p", "h", "em-6.35-2f-up", 0.0, moves)
    text = post(header("grbl-hobby-800"), [op])
    assert "G0 X0 Y1.235" in text
    # centre (-0.0002, 1.61728) from the printed start (0, 1.235): I -0.0002 -> 0, J 0.382;
    # Z stays 0 (-0.0001 rounds to 0, unchanged)
    assert "G2 X0 Y2 I0 J0.382 F3000" in text
    assert "G1 Z0 F900" in text
    assert not re.search(r"-0(?![.\d])", text) and "-0.000" not in text


def test_fmt():
    assert [fmt(v) for v in (1.5, -0.0004, 12.0, -2.34567, 0.1 + 0.2, 1e-9, -1.0)] == \
        ["1.5", "0", "12", "-2.346", "0.3", "0", "-1"]
    assert fmt(11579.43, 0) == "11579"
    with pytest.raises(PostError):
        fmt(float("nan"))


def test_comment_text_is_ascii_without_nesting():
    assert comment_text("Ø20 hole (left) × 2; 90° – ok") == "D20 hole [left] x 2, 90 deg - ok"


def test_registry():
    assert registered() == ("grbl", "linuxcnc", "mach3")
    with pytest.raises(KeyError, match="grbl"):
        register(PostProcessor("grbl", "grbl.nc.j2", "again", "nc", frozenset(), frozenset()))
    assert [get_post(name).extension for name in registered()] == ["nc", "ngc", "tap"]
    with pytest.raises(PostError, match="must be one of grbl, linuxcnc, mach3"):
        get_post("fanuc")


def test_guards():
    with pytest.raises(PostError, match="one program per tool.*drill-5"):
        post(header("grbl-hobby-800"), [square_with_arc(), square_with_arc(tool="drill-5")])
    with pytest.raises(PostError, match="G81"):
        _check_words("G81 X1 Y1 Z-3 R1", get_post("grbl"))
    with pytest.raises(PostError, match="M6"):
        _check_words("(tool change) M6 T1", get_post("linuxcnc"))


def test_deterministic():
    h = header("mach3-router")
    assert post(h, [square_with_arc()]) == post(h, [square_with_arc()])


def test_arc_centre_is_taken_from_the_printed_start():
    # Start (0.0004, 0.0004) prints as X0 Y0; centre exact (5.0004, 0.0004) -> I5, J0 from the
    # printed start, so the radius the controller sees is 5 at both ends (end X10 Y0).
    moves = (Rapid(z=5.0), Rapid(0.0004, 0.0004), Line(None, None, -1.0, 900),
             Arc(10.0004, 0.0004, -1.0, i=5.0, j=0.0, clockwise=True, feed=900), Rapid(z=5.0))
    op = Operation("pocket", "p", "h", "em-6.35-2f-up", 1.0, moves)
    text = post(header("grbl-hobby-800"), [op])
    assert "G2 X10 Y0 I5 J0" in text
    # Start 0.0006 prints as 0.001; centre exact 5.0002. I from the printed start is
    # 4.9992 -> 4.999 (controller centre 5.000, 0.0002 off); I = 4.9996 printed alone
    # would give 5 (centre 5.001, 0.0008 off).
    moves = (Rapid(z=5.0), Rapid(0.0006, 0.0), Line(None, None, -1.0, 900),
             Arc(10.0, 0.0, -1.0, i=4.9996, j=0.0, clockwise=True, feed=900), Rapid(z=5.0))
    text = post(header("grbl-hobby-800"), [Operation("pocket", "p", "h", "em-6.35-2f-up", 1.0, moves)])
    assert "G0 X0.001 Y0" in text and "G2 X10 Y0 I4.999 J0\n" in text  # F900 is modal from the plunge
