"""The whole-program reader (cam/verify/bulk.py) against the line-by-line one (cam/verify/parse.py).

Two readers of one program, written separately: on a clean program they must give the same moves,
spindle events, dwell and line count, and the same verification report; on anything else the
whole-program reader must step aside, so the report is the line-by-line reader's.
"""

from __future__ import annotations

import math
import random

import pytest

from osehw.cam.verify import bulk
from osehw.cam.verify.parse import FindingLog, _follow, parse_program
from osehw.cam.verify.program import verify_program
from tests.cam.verify.test_program import BOTTOM_EDGE, PART, machine, program


def _random_program(seed: int, lines: int = 600) -> str:
    """A clean program of ours, seeded: rapids, plunges, lines, arcs and helices, speed changes, dwells."""
    rng = random.Random(seed)
    out = ["(random program)", "G21 G90 G17 G94", "G54", "G0 Z5", "M3 S12000", "G4 P1.5"]
    x, y, z = 100.0, 100.0, 5.0
    while len(out) < lines:
        r = rng.random()
        if r < 0.1:
            x, y = rng.uniform(20, 700), rng.uniform(20, 700)
            out += ["G0 Z5", f"G0 X{x:.3f} Y{y:.3f}"]
            z = 5.0
        elif r < 0.2:
            z = round(rng.uniform(-12.9, -0.5), 3)
            out.append(f"G1 Z{z:.3f} F{rng.choice([600, 1500])}")
        elif r < 0.5:
            x, y = x + rng.uniform(-30, 30), y + rng.uniform(-30, 30)
            out.append(f"G1 X{x:.3f} Y{y:.3f}" + (f" F{rng.choice([1500, 3000, 5000])}" if rng.random() < 0.3 else ""))
        elif r < 0.8:
            # an arc about a centre (i, j) from here, ending on the same circle
            i, j = rng.uniform(-10, 10), rng.uniform(-10, 10)
            radius, a0 = math.hypot(i, j), math.atan2(-j, -i)
            a1 = a0 + rng.uniform(-5, 5)
            cx, cy = x + i, y + j
            x, y = round(cx + radius * math.cos(a1), 3), round(cy + radius * math.sin(a1), 3)
            helix = f" Z{z - 0.5:.3f}" if rng.random() < 0.2 else ""
            z = z - 0.5 if helix else z
            cw = "G2" if rng.random() < 0.5 else "G3"
            out.append(f"{cw} X{x:.3f} Y{y:.3f}{helix} I{i:.3f} J{j:.3f}")
        elif r < 0.85:
            out.append(f"S{rng.choice([9000, 12000, 16000])}")
        elif r < 0.9:
            out.append(f"G4 P{rng.uniform(0, 2):.2f}")
        else:
            x += 1
            # modal motion, no G word, after a straight cut
            out.append(f"X{x:.3f}" if out[-1].startswith("G1") else f"G1 X{x:.3f}")
    return "\n".join(out + ["G0 Z5", "M5", "M30", "(after the end)", "G1 X-900"]) + "\n"


def _same_moves(a, b) -> None:  # type: ignore[no-untyped-def]
    assert len(a) == len(b)
    for m, n in zip(a, b):
        assert (m.line, m.kind, m.spindle_on, m.stop_before, m.home_z) == (n.line, n.kind, n.spindle_on,
                                                                          n.stop_before, n.home_z)
        for u, v in zip((*m.start, *m.end, m.feed, m.spindle_rpm, *m.center, m.sweep, m.r_start, m.r_end),
                        (*n.start, *n.end, n.feed, n.spindle_rpm, *n.center, n.sweep, n.r_start, n.r_end)):
            assert (math.isnan(u) and math.isnan(v)) or u == pytest.approx(v, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("text", [program("grbl"), program("linuxcnc"), *(_random_program(s) for s in range(4))],
                         ids=["grbl", "linuxcnc", *(f"random-{s}" for s in range(4))])
def test_clean_programs_read_the_same_whole_or_line_by_line(text: str) -> None:
    dialect = "linuxcnc" if text.startswith("%") else "grbl"
    clean = bulk.read_clean(text, dialect)
    assert clean is not None  # the whole-program reader took it
    table, events, dwell, lines = clean
    log = FindingLog("t")
    ref = _follow(text, dialect, log)
    assert log.items == []
    _same_moves(table.moves(), ref.moves)
    assert events == ref.spindle_events and dwell == pytest.approx(ref.dwell_s, rel=1e-15) and lines == ref.lines
    _same_moves(parse_program(text, dialect, FindingLog("t")).moves, ref.moves)


def _reports(text: str, monkeypatch, flavour: str = "grbl"):  # type: ignore[no-untyped-def]
    def go():  # type: ignore[no-untyped-def]
        return verify_program(text, machine(flavour), dialect=flavour, stock_x=300, stock_y=200, stock_thickness=6.0,
                              tool_diameter=6.35, parts=[PART])
    whole = go()
    with monkeypatch.context() as m:
        m.setattr(bulk, "read_clean", lambda *a: None)
        lined = go()
    return whole, lined


@pytest.mark.parametrize("old, new", [
    (BOTTOM_EDGE, BOTTOM_EDGE),  # the good program
    ("G0 Z5.000\nG0 X20.000 Y16.825", "G0 X20.000 Y16.825"),  # no retract
    ("M3 S18000", ""),  # spindle off
    ("M3 S18000", "M3 S30000"),
    (BOTTOM_EDGE, "G1 X120.000 Y16.825 F9000"),
    ("G3 X123.175 Y20.000 I0.000 J3.175", "G3 X123.175 Y20.000 I0.020 J3.175"),  # arc does not close
    ("G3 X123.175 Y20.000 I0.000 J3.175", "G3 X123.175 Y20.000 R3.175"),
    ("G21 G90 G17 G94", "G90 G17 G94"),
    ("G21", "G20"),
    ("M3 S18000", "M6 T1\nM3 S18000"),
    ("M3 S18000", "M3 S18000\n$H"),
    ("G0 X71.825 Y45.000", "G0 X-5.000 Y45.000\nG0 X71.825 Y45.000"),
    ("G0 X71.825 Y45.000", "G0 X71.825 Y45.000 Z0.500"),
    ("G3 X71.825 Y45.000 I-1.825 J0.000", "G3 I-1.825 J0.000"),
    ("M3 S18000", "M3 S18000\nG4 P2 X5"),
    ("M3 S18000", "M3 S18000\nG80\nX5"),
])
def test_every_report_is_the_line_by_line_readers(old: str, new: str, monkeypatch) -> None:
    text = program()
    assert old in text
    whole, lined = _reports(text.replace(old, new, 1), monkeypatch)
    assert whole.findings == lined.findings
    assert whole.cut_length == pytest.approx(lined.cut_length, rel=1e-12)
    assert whole.rapid_length == pytest.approx(lined.rapid_length, rel=1e-12)
    assert whole.estimated_time_s == pytest.approx(lined.estimated_time_s, rel=1e-12)
    assert whole.lower_bound_time_s == pytest.approx(lined.lower_bound_time_s, rel=1e-12)
