import pytest

from osehw.catalog.guys import guy_strand
from osehw.physics.guys import (
    deadman_volume_m3,
    equivalent_modulus_mpa,
    guy_design_strength_n,
)


def test_ernst_modulus_of_a_quarter_inch_guy_by_hand():
    # 1/4 in EHS: 7 wires of 2.03 mm = 22.66 mm², 0.1801 kg/m → w = 0.0017662 N/mm; 20 m span at 10 % of 29.58 kN
    s = guy_strand("ehs-1-4")
    assert s.area == pytest.approx(22.656, abs=0.01)
    w = 0.1801 * 9.80665 / 1000
    t = 2958.1
    # (w·l)² = 1247.8 N², × A·E = 4.4364e9, / (12·T³ = 3.1062e11) = 0.014283 → E_eq = 156900 / 1.014283
    assert equivalent_modulus_mpa(156900.0, s.area, w, 20000.0, t) == pytest.approx(156900 / 1.014283, rel=1e-4)
    # a weightless strand does not sag; a slack one has no stiffness
    assert equivalent_modulus_mpa(156900.0, s.area, 0.0, 20000.0, 0.0) == 156900.0
    assert equivalent_modulus_mpa(156900.0, s.area, w, 20000.0, 0.0) == 0.0


def test_guy_design_strength_and_deadman():
    # 1/4 in EHS breaks at 6,650 lbf = 29.58 kN (ASTM A475); φ = 0.6 → 17.75 kN
    assert guy_strand("ehs-1-4").breaking_strength_n == pytest.approx(6650 * 4.4482216, rel=1e-3)
    assert guy_design_strength_n(29581.0) == pytest.approx(17748.6)
    # 10 kN uplift: 10 / (0.75 · 23.6) = 0.565 m³ of concrete
    assert deadman_volume_m3(10.0) == pytest.approx(0.5650, abs=1e-4)
    assert deadman_volume_m3(-3.0) == 0.0
