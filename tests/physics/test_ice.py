import pytest

from osehw.physics.ice import (
    design_ice_thickness_mm,
    ice_area_mm2,
    ice_weight_n_per_m,
    iced_diameter,
    kiz,
)

LBF_PER_FT_TO_N_PER_M = 4.4482216 / 0.3048


def test_ice_weight_on_a_2in_tube_by_hand_in_us_units():
    # 2 in tube, 1 in radial ice: area π·1·(2 + 1) = 9.425 in² = 0.06545 ft²; × 56 pcf = 3.665 lb/ft = 53.49 N/m
    lb_per_ft = 3.141592653589793 * 1.0 * 3.0 / 144.0 * 56.0
    assert lb_per_ft == pytest.approx(3.665, abs=1e-3)
    assert ice_weight_n_per_m(50.8, 25.4) == pytest.approx(lb_per_ft * LBF_PER_FT_TO_N_PER_M, rel=2e-4)
    assert ice_weight_n_per_m(50.8, 25.4) == pytest.approx(53.49, abs=0.02)
    # the ice ring is the outer circle less the tube: π/4·(D + 2t)² − π/4·D²
    assert ice_area_mm2(50.8, 25.4) == pytest.approx(3.141592653589793 / 4 * (101.6 ** 2 - 50.8 ** 2))
    assert iced_diameter(50.8, 25.4) == pytest.approx(101.6)


def test_kiz_escalates_with_height_and_caps_at_1_4():
    # 30 m = 98.43 ft: (98.43/33)^0.1 = 2.9826^0.1 = e^(0.10928) = 1.1155
    assert kiz(30.0) == pytest.approx(1.1155, abs=1e-4)
    assert kiz(10.0584) == pytest.approx(1.0)
    # 1.4 is reached at 33·1.4^10 = 954.7 ft = 291 m
    assert kiz(290.0) < 1.4 and kiz(300.0) == pytest.approx(1.4)


def test_design_ice_thickness_doubles_the_map_value_at_33_ft():
    assert design_ice_thickness_mm(12.7, 10.0584) == pytest.approx(25.4)
    # 0.5 in map ice at 30 m on a hill with Kzt = 1.5: 2·12.7·1.11547·1.5^0.35 = 32.65 mm
    assert design_ice_thickness_mm(12.7, 30.0, kzt=1.5) == pytest.approx(2 * 12.7 * 1.11547 * 1.5 ** 0.35, rel=1e-5)
    assert design_ice_thickness_mm(0.0, 30.0) == 0.0
