import pytest

from osehw.physics.thermal import box_surface_area, enclosure_thermal, temperature_rise


def test_surface_area_of_a_box():
    # 2·(0.4·0.2 + 0.4·0.1 + 0.2·0.1) = 0.28 m²
    assert box_surface_area(400, 200, 100) == pytest.approx(0.28)


def test_rise_is_power_over_k_times_area():
    assert temperature_rise(14.0, 0.28, 3.5) == pytest.approx(14.0 / 0.98)


def test_enclosure_thermal_pass_and_fail():
    ok = enclosure_thermal(heat_w=14.0, outer_x=400, outer_y=200, outer_z=100, k_w_m2k=3.5,
                           ambient_c=45, rating_c=60)
    assert ok["inside_c"] == pytest.approx(45 + 14.0 / 0.98, abs=1e-3)
    assert ok["ok"] is True
    hot = enclosure_thermal(heat_w=30.0, outer_x=400, outer_y=200, outer_z=100, k_w_m2k=3.5,
                            ambient_c=45, rating_c=60)
    assert hot["inside_c"] == pytest.approx(45 + 30.0 / 0.98, abs=1e-3) and hot["ok"] is False
    # aluminium walls (k = 12 W/m²K, the sizing rule's figure) shed heat 12/3.5 times better
    al = enclosure_thermal(heat_w=30.0, outer_x=400, outer_y=200, outer_z=100, k_w_m2k=12.0,
                           ambient_c=45, rating_c=60)
    assert al["temperature_rise_k"] == pytest.approx(30.0 / (12 * 0.28), abs=1e-3)
