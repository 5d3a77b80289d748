"""The time estimate against hand calculations and against GRBL 1.1h's planner re-implemented step by step.

The oracle (``grbl_reference.py``) reads the G-code itself and runs GRBL's ring buffer, planner
passes, arc segmentation and stepper profile literally; the estimator works on osehw's parsed
moves in closed form. Hand calculations check both on the cases simple enough to do by hand.
"""

from __future__ import annotations

import math

import pytest

from osehw.cam.shop import Machine
from osehw.cam.verify.program import verify_program
from tests.cam.verify.grbl_reference import GrblSettings, simulate

A = 500.0  # [mm/s²]
RATE = 5000.0  # [mm/min]


def machine(start="work_zero") -> Machine:
    return Machine(id="test_grbl", name="test router", controller="grbl", envelope_x=800, envelope_y=800,
                   envelope_z=100, max_feed=RATE, max_rapid=RATE, acceleration=A, spindle_min_rpm=8000,
                   spindle_max_rpm=24000, safe_z=5.0, breakthrough=0.3, tools=("em635",), start_position=start)


SETTINGS = GrblSettings(max_rate=(RATE,) * 3, acceleration=(A,) * 3)


def estimate(text: str, start="work_zero") -> float:
    return verify_program(text, machine(start), dialect="grbl", stock_x=300, stock_y=300, stock_thickness=6.0,
                          tool_diameter=6.35).estimated_time_s


def oracle(text: str) -> float:
    return simulate(text, SETTINGS).total_s


HEAD = "G21 G90 G17 G94\nG0 Z5\nM3 S18000\nG4 P2\n"


def test_single_move_rest_to_rest_is_l_over_v_plus_v_over_a():
    # L = 100 mm at v = 3000 mm/min = 50 mm/s: long enough to cruise (L ≥ v²/a = 5 mm),
    # t = L/v + v/a = 2 + 0.1 s (accelerate v/a, cruise L/v − v/a, decelerate v/a)
    text = "G21 G90\nG1 X100 F3000\n"
    assert estimate(text) == pytest.approx(2.1, rel=1e-9)
    assert oracle(text) == pytest.approx(2.1, rel=1e-9)


def test_first_move_counts_from_the_stated_start():
    # a rapid along X from work zero: v = 5000 mm/min = 83.33 mm/s, t = L/v + v/a
    text = "G21 G90\nG0 X200\n"
    v = RATE / 60
    assert estimate(text) == pytest.approx(200 / v + v / A)
    assert oracle(text) == pytest.approx(200 / v + v / A)
    assert estimate(text, start="unknown") == 0.0  # the old reading: never commanded, never timed
    # a home position given as a point: the same move from X−100 is 300 mm long
    assert estimate(text, start=(-100.0, 0.0, 0.0)) == pytest.approx(300 / v + v / A)


def test_diagonal_rapid_uses_per_axis_limits():
    # GRBL limits each axis: at 45° both the rate and the acceleration are √2 × the axis value
    text = "G21 G90\nG0 X200 Y200\n"
    length, v, a = 200 * math.sqrt(2), math.sqrt(2) * RATE / 60, math.sqrt(2) * A
    assert estimate(text) == pytest.approx(length / v + v / a)
    assert oracle(text) == pytest.approx(length / v + v / a)


def test_right_angle_corner_by_hand():
    # GRBL $11 = 0.01 mm; a 90° corner: s = sin 45°, junction acceleration along (−1, 1)/√2 is √2·a
    s = math.sqrt(0.5)
    vj = math.sqrt(math.sqrt(2) * A * 0.01 * s / (1 - s))
    v = 50.0
    leg = v / A + (v - vj) / A + (100 - v * v / (2 * A) - (v * v - vj * vj) / (2 * A)) / v
    text = "G21 G90\nG1 X100 F3000\nG1 Y100\n"
    assert estimate(text) == pytest.approx(2 * leg)
    assert oracle(text) == pytest.approx(2 * leg)


def test_short_segments_are_held_back_by_the_15_move_look_ahead():
    # 1000 collinear 0.1 mm moves: GRBL plans to stop at the end of the 15th buffered move, so
    # in steady state the speed leaving a move is √(2·a·14·ΔL) = √(2·500·1.4) = 37.4 mm/s,
    # well below F 5000 = 83.3 mm/s; the 100 mm take about 100/37.4 = 2.67 s, not 1.37 s
    text = "G21 G90\nG1 F5000\n" + "".join(f"X{0.1 * k:.1f}\n" for k in range(1, 1001))
    steady = math.sqrt(2 * A * 14 * 0.1)
    est, ref = estimate(text), oracle(text)
    assert est == pytest.approx(ref, rel=0.005)
    assert est == pytest.approx(100 / steady, rel=0.02)


def _square() -> str:
    out = [HEAD, "G0 X10 Y10\nG1 Z-3 F800\n"]
    for x, y in ((110, 10), (110, 110), (10, 110), (10, 10)):
        out.append(f"G1 X{x} Y{y} F2500\n")
    return "".join(out) + "G0 Z5\nM5\nM2\n"


def _circles() -> str:
    # 2 mm helical steps on a Ø60 circle and a ring of Ø6 holes milled with arcs: arc-heavy
    out = [HEAD, "G0 X130 Y100\nG1 Z0 F800\n"]
    for k in range(1, 4):
        out.append(f"G2 X130 Y100 I-30 J0 Z{-2 * k} F3000\n")
    out.append("G2 X130 Y100 I-30 J0\nG0 Z5\n")
    for k in range(8):
        ang = 2 * math.pi * k / 8
        cx, cy = 100 + 60 * math.cos(ang), 100 + 60 * math.sin(ang)
        out.append(f"G0 X{cx + 1.825:.3f} Y{cy:.3f}\nG1 Z-3 F800\n")
        out.append(f"G3 X{cx + 1.825:.3f} Y{cy:.3f} I-1.825 J0 F2000\nG0 Z5\n")
    return "".join(out) + "M5\nM2\n"


def _drills() -> str:
    out = [HEAD]
    for i in range(4):
        for j in range(3):
            out.append(f"G0 X{20 + 40 * i} Y{20 + 50 * j}\nG1 Z-7 F600\nG0 Z5\n")
    return "".join(out) + "M5\nM2\n"


@pytest.mark.parametrize("program", [_square, _circles, _drills], ids=["square", "circles", "drills"])
def test_estimate_matches_grbl_planner(program):
    text = program()
    ref = simulate(text, SETTINGS)
    assert ref.dwell_s == 2.0
    assert estimate(text) / ref.total_s == pytest.approx(1.0, abs=0.01)


def test_arc_becomes_grbl_chords():
    # mc_arc: a full circle of r = 30 mm, $12 = 0.002 mm: n = ⌊π·30 / √(0.002·(60 − 0.002))⌋ chords
    n = math.floor(math.pi * 30 / math.sqrt(0.002 * (60 - 0.002)))
    assert n == 272  # 94.248 / 0.34640 = 272.07
    run = simulate("G21 G90\nG0 X30\nG2 X30 Y0 I-30 J0 F3000\n", SETTINGS)
    assert run.blocks == 1 + n
