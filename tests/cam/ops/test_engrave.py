"""Single-stroke labels: glyph geometry worked by hand on the 4 x 6 unit grid."""

from __future__ import annotations

import math

import pytest

from osehw.cam.ops.engrave import (
    CHARACTERS,
    EngraveError,
    _chains,
    engrave_operation,
    label_bounds,
    label_strokes,
)
from osehw.cam.ops.moves import Line, Rapid
from osehw.cam.post import ProgramHeader, post
from osehw.cam.shop import FeedsAndSpeeds, load_machines, load_tools

FEEDS = FeedsAndSpeeds(rpm=16000, feed=2400, plunge=600, chipload=0.075, stepdown=0.5, stepover=1.0)


def test_width_of_hi():
    # H spans units 0..4, I sits in the next cell (advance 6) from 6+1 to 6+3 = 9 units;
    # at 12 mm cap height one unit is 2 mm: 18 mm wide, 12 mm tall.
    assert label_bounds("HI", 12.0) == pytest.approx((0.0, 0.0, 18.0, 12.0))


def test_l_is_one_stroke():
    strokes = label_strokes("L", 6.0)
    assert strokes == [[(0.0, 6.0), (0.0, 0.0), (4.0, 0.0)]]


def test_every_point_inside_its_box_and_lowercase_is_capitals():
    text = "OSE-HW 2/3.a_k"
    h = 5.0
    unit = h / 6
    box_x = (len(text) - 1) * 6 * unit + 4 * unit
    for stroke in label_strokes(text, h):
        assert len(stroke) >= 2
        for x, y in stroke:
            assert -1e-12 <= x <= box_x + 1e-12 and -1e-12 <= y <= h + 1e-12
    assert label_strokes("ab", 5.0) == label_strokes("AB", 5.0)


def test_each_glyph_stays_in_its_cell():
    for ch in CHARACTERS:
        for stroke in label_strokes(ch, 6.0):
            for x, y in stroke:
                assert 0 <= x <= 4 and 0 <= y <= 6, (ch, x, y)
    assert set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-./ ") <= set(CHARACTERS)


def test_unknown_character_is_refused_with_the_choices():
    with pytest.raises(EngraveError, match=r"'#'.*A-Z, 0-9"):
        label_strokes("PART#2", 5.0)
    with pytest.raises(EngraveError):
        label_strokes("A", 0.0)


def test_engrave_operation_moves():
    op = engrave_operation("gusset", "HI", x=100.0, y=50.0, height=6.0, depth=0.5,
                           tool_id="vbit-90", feeds=FEEDS, safe_z=5.0)
    assert (op.kind, op.part, op.tool, op.depth, op.spindle_rpm) == ("engrave", "gusset", "vbit-90", 0.5, 16000)
    assert op.moves[0] == Rapid(z=5.0) and op.moves[-1] == Rapid(z=5.0)
    z = None
    cut = 0.0
    pos = (None, None)
    plunges = 0
    for m in op.moves:
        if isinstance(m, Rapid):
            if m.x is not None or m.y is not None:
                assert z == 5.0  # XY rapids only at safe Z
                pos = (m.x, m.y)
            z = m.z if m.z is not None else z
        else:
            assert isinstance(m, Line)
            if m.z is not None:
                assert m.z == -0.5 and m.feed == 600 and m.x is None
                plunges += 1
                z = m.z
            else:
                assert z == -0.5 and m.feed == 2400
                cut += math.dist(pos, (m.x, m.y))
                pos = (m.x, m.y)
            assert 100 <= (m.x if m.x is not None else 100) <= 109
            assert 50 <= (m.y if m.y is not None else 50) <= 56
    # H: 6 + 6 + 4, I: 2 + 6 + 2 units of 1 mm; six strokes, none continues another.
    assert cut == pytest.approx(26.0)
    assert plunges == 6


def test_connected_strokes_keep_the_tool_down():
    # strokes a-b and b-c join; d-e stands alone
    chains = _chains([[(0, 0), (1, 0)], [(1, 0), (1, 1)], [(3, 3), (4, 4)]])
    assert chains == [[(0, 0), (1, 0), (1, 1)], [(3, 3), (4, 4)]]
    # 'B' is drawn as one stroke: one plunge, 10 segments
    op = engrave_operation("p", "B", 0, 0, 6.0, 0.5, "vbit-90", FEEDS)
    assert sum(isinstance(m, Line) and m.z is not None for m in op.moves) == 1
    assert sum(isinstance(m, Line) and m.z is None for m in op.moves) == 10


def test_engraving_posts_for_grbl():
    machine = load_machines()["grbl-hobby-800"]
    tool = load_tools()["vbit-90"]
    op = engrave_operation("gusset", "L", 10, 10, 6, 0.5, tool.id, FEEDS, safe_z=machine.safe_z)
    h = ProgramHeader("labels", (("gusset", 1),), "Plywood", 100, 100, 12, tool, FEEDS,
                      "stock_top", 30, machine)
    code = [ln for ln in post(h, [op]).splitlines() if not ln.startswith("(")]
    assert code[code.index("G4 P4") + 1:] == [
        "G0 X10 Y16", "G1 Z-0.5 F600", "G1 Y10 F2400", "G1 X14", "G0 Z5", "M5", "M2"]
