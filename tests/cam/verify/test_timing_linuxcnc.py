"""The LinuxCNC time model against hand calculations.

Each case is small enough to do by hand from LinuxCNC 2.9's planner rules (module docstring of
``osehw.cam.verify.timing_linuxcnc``); the times LinuxCNC 2.9 itself took for the same programs
(benchmarks/linuxcnc_sim.py, servo-period clock, A = 1500 mm/s², V = 333.3 mm/s) are quoted
beside them. The whole programs are compared in benchmarks/bench_estimate.py --linuxcnc.
"""

from __future__ import annotations

import math

import pytest

from osehw.cam.shop import Machine
from osehw.cam.verify.parse import FindingLog, parse_program
from osehw.cam.verify.timing import motion_time
from osehw.cam.verify.timing_linuxcnc import EXACT_PATH, EXACT_STOP, blend_changes

A = 1500.0  # [mm/s²]
V = 20000.0 / 60  # [mm/s] max_rapid
F = 6000.0  # [mm/min] = 100 mm/s
v = F / 60


def machine(controller: str = "linuxcnc") -> Machine:
    return Machine(id="test_lcnc", name="test router", controller=controller, envelope_x=2500, envelope_y=1250,
                   envelope_z=150, max_feed=15000, max_rapid=V * 60, acceleration=A, spindle_min_rpm=6000,
                   spindle_max_rpm=24000, tools=("em635",), start_position="work_zero")


def estimate(body: str, controller: str = "linuxcnc") -> float:
    text = "%\nG21 G90 G17 G94 G40 G49 G80\n" + body + "M30\n%\n"
    parsed = parse_program(text, "linuxcnc", FindingLog(subject="test"))
    return motion_time(parsed.moves, machine(controller), blend_changes(text))[0]


def trapezoid(length: float, v0: float, v1: float, vc: float, a: float) -> float:
    """Accelerate v0 → vc, cruise, decelerate vc → v1 at a (long enough to cruise)."""
    d = (vc * vc - v0 * v0) / (2 * a) + (vc * vc - v1 * v1) / (2 * a)
    assert d <= length
    return (vc - v0) / a + (vc - v1) / a + (length - d) / vc


def test_single_move_exact_path_is_l_over_v_plus_v_over_a():
    # G61: accelerate at A, cruise, stop: 100/100 + 100/1500 = 1.0667 s (LinuxCNC 2.9: 1.067 s)
    assert estimate("G61\nG1 X100 F6000\n") == pytest.approx(100 / v + v / A, rel=1e-9)
    assert estimate("G61.1\nG1 X100 F6000\n") == pytest.approx(100 / v + v / A, rel=1e-9)


def test_last_move_under_g64_runs_at_half_acceleration():
    # G64: nothing follows to blend with, so the move keeps its parabolic end condition and
    # runs at A/2 (tc.c tcGetOverallMaxAccel): 1 + 100/750 = 1.1333 s (LinuxCNC 2.9: 1.134 s)
    assert estimate("G64 P0.01\nG1 X100 F6000\n") == pytest.approx(100 / v + 2 * v / A, rel=1e-9)


def test_collinear_moves_do_not_slow_down():
    # three collinear 33.3 mm moves run as one 100 mm move: under G64 merged into one line (at
    # A/2, as the last move), under G61 (exact path) through tangent joins at full speed
    # (LinuxCNC 2.9, two collinear 50 mm moves: G64 1.134 s, G61 1.067 s); only G61.1 (exact
    # stop) stops after each: 3·(33.33/100 + 100/1500) = 1.2 s
    body = "G1 X33.3333333 F6000\nG1 X66.6666667\nG1 X100\n"
    assert estimate("G64 P0.01\n" + body) == pytest.approx(100 / v + 2 * v / A, rel=1e-6)
    assert estimate("G61\n" + body) == pytest.approx(100 / v + v / A, rel=1e-6)
    assert estimate("G61.1\n" + body) == pytest.approx(3 * (100 / 3 / v + v / A), rel=1e-6)


def test_diagonal_rapid_is_held_to_the_traj_speed_limit():
    # per-axis acceleration gives √2·A along 45°, but [TRAJ]MAX_LINEAR_VELOCITY holds the speed
    # at V; alone under G64 at half acceleration: 282.8/333.3 + 333.3/(√2·1500/2) = 1.163 s
    # (LinuxCNC 2.9: 1.163 s)
    length, a = 200 * math.sqrt(2), math.sqrt(2) * A / 2
    assert estimate("G64 P0.01\nG0 X200 Y200\n") == pytest.approx(length / V + V / a, rel=1e-9)


def test_right_angle_corner_g64_p005_against_exact_stop_by_hand():
    # exact stop (G61.1): two moves from rest to rest, 2·(1 + 1/15) = 2.1333 s
    exact = estimate("G61.1\nG1 X100 F6000\nG1 Y100\n")
    assert exact == pytest.approx(2 * (100 / v + v / A), rel=1e-9)
    # exact path (G61) stops too, but the kink check has cut both moves to 0.9·A:
    # 2·(1 + 100/1350) = 2.148 s (LinuxCNC 2.9: 2.149 s)
    assert estimate("G61\nG1 X100 F6000\nG1 Y100\n") == pytest.approx(2 * (100 / v + v / (0.9 * A)), rel=1e-9)
    # G64 P0.05, blendmath.c blendComputeParameters: θ = 45°, T = 0.05 mm,
    # d = T·cos θ/(1 − sin θ) = 0.1207 mm, R = d·tan θ = 0.1207 mm,
    # v = √(0.866·A·R) = 12.52 mm/s; the arc R·π/2 = 0.190 mm runs at v; the first line
    # (tangent to the arc) at A, the last at A/2 (nothing follows it)
    theta = math.pi / 4
    d = 0.05 * math.cos(theta) / (1 - math.sin(theta))
    r = d * math.tan(theta)
    vb = math.sqrt(math.sqrt(0.75) * A * r)
    assert vb == pytest.approx(12.52, abs=0.01)
    by_hand = (trapezoid(100 - d, 0, vb, v, A) + r * math.pi / 2 / vb
               + trapezoid(100 - d, vb, 0, v, A / 2))
    blended = estimate("G64 P0.05\nG1 X100 F6000\nG1 Y100\n")
    assert blended == pytest.approx(by_hand, rel=1e-9)  # LinuxCNC 2.9: 2.191 s
    # by hand: 1.0576 + 0.0151 + 1.1165 = 2.1893 s, 0.056 s more than the exact stop: the blend
    # saves the stop at the corner (0.054 s) but the last leg runs at A/2 (v/A = 0.067 s more) and the
    # arc is slow (0.015 s for 0.19 mm)
    assert blended - exact == pytest.approx(0.0559, abs=0.0005)


def test_blend_changes_reads_g61_g64_and_inch_tolerance():
    text = "G21\nG64 P0.05\nG1 X1 F100\nG61 (exact)\nG20 G64 P0.001\n; G61 in a comment\nG64\nG61.1\n"
    assert blend_changes(text) == [(2, 0.05), (4, EXACT_PATH), (5, pytest.approx(0.0254)), (7, 0.0),
                                   (8, EXACT_STOP)]


def test_mach3_and_grbl_keep_the_grbl_model():
    # the same corner under GRBL's junction deviation model is not LinuxCNC's blend
    body = "G64 P0.05\nG1 X100 F6000\nG1 Y100\n"
    assert estimate(body, "mach3") == estimate(body, "grbl")
    assert estimate(body, "mach3") != pytest.approx(estimate(body), rel=1e-3)


# Programs LinuxCNC 2.9 (Debian linuxcnc-uspace 2.9.0~pre1+git20230208) ran headless by
# benchmarks/linuxcnc_sim.py with A = 1500 mm/s², V = 333.3 mm/s, each from X0 Y0 Z0: the
# servo periods [s] in which it moved. A second method beside the hand calculations above.
MEASURED = {
    "G61\nG1 X100 F6000\n": 1.067,
    "G64 P0.01\nG1 X100 F6000\n": 1.134,
    "G61\nG1 X50 F6000\nG1 X100\n": 1.067,
    "G64 P0.01\nG1 X50 F6000\nG1 X100\n": 1.134,
    "G61\nG1 X100 F6000\nG1 Y100\n": 2.149,
    "G64 P0.01\nG1 X100 F6000\nG1 Y100\n": 2.196,
    "G64 P0.05\nG1 X100 F6000\nG1 Y100\n": 2.191,
    "G64 P0.01\nG0 X200 Y200\n": 1.163,
    "G64 P0.01\nG0 X300\n": 1.345,
    "G64 P0.01\nG1 X10 F6000\nG1 X20 Y0.2\nG1 X30 Y0\nG1 X40 Y0.2\n": 0.505,
    "G64 P0.01\nG0 X30 Y0 Z0\nG2 X30 Y0 I-30 J0 F6000\n": 2.437,
    "G64 P0.01\nG0 X30 Y0 Z0\nG2 X30 Y0 Z-5 I-30 J0 F3000\nG2 X30 Y0 Z-10 I-30 J0\n": 7.925,
    "G64 P0.01\nG0 X0 Y0 Z5\nG0 X100 Y50\nG1 Z-2 F1000\nG1 X150 F6000\nG0 Z5\n": 1.841,
    "G64 P0.01\nG0 X0 Y0 Z0\nG1 X50 F6000\nG3 X50 Y10 I0 J5\nG1 X0\nG3 X0 Y0 I0 J-5\n": 1.536,
    "G64 P0.01\nG0 X0 Y0 Z0\nG1 X50 F6000\nG1 Y50\nG1 X0\nG1 Y0\n": 2.328,
}


@pytest.mark.parametrize("body", list(MEASURED), ids=range(len(MEASURED)))
def test_estimate_matches_linuxcnc_measured(body):
    assert estimate(body) == pytest.approx(MEASURED[body], rel=0.015)
