import math

import pytest

from osehw.physics.foundation import (
    bearing_pressure_kpa,
    pad_checks,
    pad_weight_kn,
    size_pad,
)


def test_bearing_pressure_trapezoid_and_triangle_meet_at_the_kern():
    # Bowles §4-6: at e = B/6 both forms give 2N/B²
    n, b = 300.0, 3.0
    assert bearing_pressure_kpa(n, n * b / 6, b) == pytest.approx(2 * n / b ** 2)
    assert bearing_pressure_kpa(n, n * (b / 6 + 1e-9), b) == pytest.approx(2 * n / b ** 2, rel=1e-6)
    assert bearing_pressure_kpa(n, 0.0, b) == pytest.approx(n / b ** 2)
    # e = B/3: contact 3·(B/2 − e) = B/2 long, q = 2N/(3·B·B/6) = 4N/B²
    assert bearing_pressure_kpa(n, n * b / 3, b) == pytest.approx(4 * n / b ** 2)
    assert math.isinf(bearing_pressure_kpa(n, n * b / 2, b))


def test_pad_for_the_default_tower_by_hand():
    # 0.9D + W: tower and dishes 3.8 kN, base moment 240 kN·m, shear 13.2 kN; 0.6 m pad, 290 kPa soil
    case = (3.8, 240.0, 13.2, 0.9)
    pad = size_pad([case], 0.6, 290.0)
    # by hand at 3.8 m: N = 3.8 + 0.9·23.6·3.8²·0.6 = 187.8 kN; M = 240 + 13.2·0.6 = 247.9 kN·m;
    # φ·N·B/2 = 0.75·187.8·1.9 = 267.6 ≥ 247.9. At 3.7 m: N = 178.3, 0.75·178.3·1.85 = 247.4 < 247.9
    assert pad["side_m"] == pytest.approx(3.8)
    n = 3.8 + 0.9 * 23.6 * 3.8 ** 2 * 0.6
    assert pad["overturning_ratio"] == pytest.approx(247.92 / (0.75 * n * 1.9), rel=1e-4)
    assert pad_checks(3.7, 0.6, *case, 290.0)["overturning_ratio"] > 1
    assert pad["concrete_m3"] == pytest.approx(3.8 * 3.8 * 0.6)
    # ACI 318 minimum steel 0.0018·B·t each way: 2 × 0.0018 × 3.8 × 0.6 × 3.8 m³ × 7850 kg/m³
    assert pad["steel_kg"] == pytest.approx(2 * 0.0018 * 3.8 * 0.6 * 3.8 * 7850, abs=0.1)
    assert pad_weight_kn(1.0, 1.0) == 23.6


def test_soft_soil_makes_bearing_govern():
    pad = size_pad([(500.0, 50.0, 5.0, 1.2)], 0.6, 60.0)
    assert pad["bearing_ratio"] <= 1 and pad["overturning_ratio"] < pad["bearing_ratio"]
    assert pad_checks(pad["side_m"] - 0.1, 0.6, 500.0, 50.0, 5.0, 1.2, 60.0)["bearing_ratio"] > 1
