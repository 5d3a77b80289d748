import math

import pytest

from osehw.physics.aluminium import (
    ALLOYS,
    KSI,
    TubeSection,
    column_buckling_stress,
    column_constants,
    euler_load_n,
    member_utilisation,
    tube_local_buckling_constants,
    tube_local_buckling_stress,
)

AL6061 = ALLOYS["6061-T6"]


def test_buckling_constants_of_6061_t6_match_the_adm_tables():
    # the buckling constants the ADM's Part VI tables list for 6061-T6 extrusions: Bc = 39.4 ksi,
    # Dc = 0.246 ksi, Cc = 66 (the formulas of Table B.4.2 must reproduce them)
    bc, dc, cc = column_constants(AL6061)
    assert bc / KSI == pytest.approx(39.4, abs=0.05)
    assert dc / KSI == pytest.approx(0.246, abs=0.001)
    assert cc == pytest.approx(65.7, abs=0.2)


def test_column_curve_is_continuous_at_cc_and_euler_beyond():
    bc, dc, cc = column_constants(AL6061)
    below = column_buckling_stress(AL6061, cc - 1e-6)
    above = column_buckling_stress(AL6061, cc + 1e-6)
    assert below == pytest.approx(above, rel=0.01)  # the two ranges meet within 1 % (ADM's 0.41 rounding)
    assert column_buckling_stress(AL6061, 100) == pytest.approx(math.pi ** 2 * AL6061.e / 100 ** 2)
    assert column_buckling_stress(AL6061, 5) == AL6061.fcy


def test_euler_load_of_one_leg_by_hand():
    # 2 in × 1/8 in 6061-T6 tube, 1.5 m between brace points, K = 1:
    # I = π/64·(50.8⁴ − 44.45⁴) = 135 500 mm⁴ (by hand: 50.8⁴ = 6.6597e6, 44.45⁴ = 3.9038e6)
    sec = TubeSection(50.8, 3.175)
    i_hand = math.pi / 64 * (6.6597e6 - 3.9038e6)
    assert sec.i == pytest.approx(i_hand, rel=1e-4)
    # Pcr = π²·69 637·135 300 / 1500² = 41.3 kN
    pcr = euler_load_n(AL6061.e, sec.i, 1500)
    assert pcr == pytest.approx(9.8696 * 69_637 * i_hand / 1500 ** 2, rel=1e-4)
    assert pcr / 1000 == pytest.approx(41.3, abs=0.2)
    # λ = 1500 / r = 1500 / 16.86 = 89 > Cc: the ADM column stress is the Euler stress
    util = member_utilisation(AL6061, sec, 1500, -pcr * 0.9 * 0.5)
    assert util["mode"] == "column buckling"
    assert util["utilisation"] == pytest.approx(0.5, rel=1e-6)


def test_local_buckling_of_thin_and_stocky_tubes():
    bt, dt = tube_local_buckling_constants(AL6061)
    lam1 = ((bt - AL6061.fcy) / dt) ** 2
    # by hand from Table B.4.2: Bt = 35·(1 + (35/4500)^0.2) = 48.25 ksi, Dt = 48.25/3.7·(48.25/10100)^(1/3)
    # = 2.196 ksi, λ1 = ((48.25 − 35)/2.196)² = 36.4
    assert bt / KSI == pytest.approx(48.25, abs=0.02) and dt / KSI == pytest.approx(2.196, abs=0.005)
    assert lam1 == pytest.approx(36.4, abs=0.2)
    assert tube_local_buckling_stress(AL6061, 50.8, 3.175) == AL6061.fcy  # Rb/t = 7.5
    thin = tube_local_buckling_stress(AL6061, 152.4, 1.0)  # Rb/t = 75.7
    assert thin < AL6061.fcy
    assert thin == pytest.approx(bt - dt * math.sqrt(75.7), rel=0.01)


def test_tension_and_combined_utilisation():
    sec = TubeSection(38.1, 3.175)
    u = member_utilisation(AL6061, sec, 1000, 0.9 * AL6061.fty * sec.area)
    assert u["utilisation"] == pytest.approx(1.0) and u["mode"] == "tension yield"
    welded = member_utilisation(AL6061, sec, 1000, 0.9 * AL6061.fty * sec.area, welded=True)
    assert welded["utilisation"] == pytest.approx(35 / 15)  # HAZ yield 15 ksi vs 35 ksi
    m = member_utilisation(AL6061, sec, 1000, 0.0, moment_nmm=0.9 * AL6061.fty * sec.z * 0.5)
    assert m["bending_ratio"] == pytest.approx(0.5)
