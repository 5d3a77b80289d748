import math

import pytest

from osehw.catalog.radios import dish, dishes, radio
from osehw.physics.link import (
    antenna_height_m,
    dish_beamwidth_deg,
    dish_gain_dbi,
    earth_bulge_m,
    fade_margins_db,
    free_space_loss_db,
    fresnel_radius_m,
    link_budget,
    path_profile,
    rain_coefficients,
    rain_fade_db,
    received_level_dbm,
)


def test_ten_mile_hop_at_5_8_ghz_matches_the_issue_and_design_notes():
    # issue 9 / DESIGN.md 4.1: 16.1 km at 5.8 GHz → FSPL ≈ 131.8 dB, r1 ≈ 14.4 m at midpoint, bulge ≈ 3.8 m
    assert free_space_loss_db(16.1, 5800) == pytest.approx(131.8, abs=0.05)
    assert fresnel_radius_m(8.05, 8.05, 5.8) == pytest.approx(14.4, abs=0.05)
    assert earth_bulge_m(8.05, 8.05) == pytest.approx(3.8, abs=0.05)
    # with 15 m of trees: 0.6·14.4 + 3.8 + 15 ≈ 27.5 m (DESIGN.md 4.1 worked check)
    assert antenna_height_m(16.1, 5.8, 15.0) == pytest.approx(27.5, abs=0.1)


def test_fspl_by_the_friis_formula():
    # second method: FSPL = (4πd/λ)² with λ = c/f
    d, f = 16_100.0, 5.8e9
    friis = 20 * math.log10(4 * math.pi * d * f / 299_792_458.0)
    assert free_space_loss_db(16.1, 5800) == pytest.approx(friis, abs=0.01)


def test_fresnel_radius_from_wavelength():
    # r1 = √(λ·d1·d2/(d1+d2)) in metres (the definition of the first Fresnel zone)
    lam = 299_792_458.0 / 5.8e9
    d1, d2 = 4000.0, 12_100.0
    assert fresnel_radius_m(4.0, 12.1, 5.8) == pytest.approx(math.sqrt(lam * d1 * d2 / (d1 + d2)), rel=1e-3)
    assert fresnel_radius_m(4.0, 12.1, 5.8, zone=2) == pytest.approx(math.sqrt(2) * fresnel_radius_m(4.0, 12.1, 5.8))


def test_bulge_from_earth_geometry():
    # sagitta of an arc of radius k·a over the chord: h = d1·d2/(2·k·a), a = 6371 km
    k, a = 4 / 3, 6371.0
    assert earth_bulge_m(8.05, 8.05) == pytest.approx(8.05 * 8.05 / (2 * k * a) * 1000, rel=1e-3)
    # k = 1 (no refraction) bulges 4/3 more
    assert earth_bulge_m(8.05, 8.05, k=1.0) == pytest.approx(4 / 3 * earth_bulge_m(8.05, 8.05))


def test_path_profile_peaks_at_midpoint_and_is_zero_at_the_ends():
    rows = path_profile(16.1, 5.8, 15.0, points=11)
    assert rows[0]["bulge_m"] == 0 and rows[-1]["fresnel_r1_m"] == 0
    assert max(r["needed_m"] for r in rows) == pytest.approx(antenna_height_m(16.1, 5.8, 15.0))
    assert rows[5]["d_km"] == pytest.approx(8.05)


def test_dish_gain_and_beamwidth_against_design_notes_and_catalog():
    # DESIGN.md 4.1: 0.65 m → ~29 dBi, 1.05 m → ~33.5 dBi at 5.8 GHz (η = 0.55)
    assert dish_gain_dbi(0.65, 5.8) == pytest.approx(29.3, abs=0.1)
    assert dish_gain_dbi(1.05, 5.8) == pytest.approx(33.5, abs=0.1)
    # the catalog's datasheet gains and beamwidths agree with the aperture formulas within 1 dB and 1.5°
    for d in dishes().values():
        assert d.gain_dbi == pytest.approx(dish_gain_dbi(d.diameter / 1000, d.band_ghz), abs=1.0), d.id
        assert d.beamwidth_deg == pytest.approx(dish_beamwidth_deg(d.diameter / 1000, d.band_ghz), abs=1.6), d.id


def test_p838_coefficients_match_the_recommendations_table_5():
    # ITU-R P.838-3 Table 5 (tabulated k and α): 5, 6 and 10 GHz, horizontal and vertical
    table5 = {5: (0.0002162, 1.6969, 0.0002428, 1.5317), 6: (0.0007056, 1.5900, 0.0004878, 1.5728),
              10: (0.01217, 1.2571, 0.01129, 1.2156)}
    for f, (kh, ah, kv, av) in table5.items():
        k, a = rain_coefficients(f, "horizontal")
        assert k == pytest.approx(kh, rel=2e-3) and a == pytest.approx(ah, abs=2e-4)
        k, a = rain_coefficients(f, "vertical")
        assert k == pytest.approx(kv, rel=2e-3) and a == pytest.approx(av, abs=2e-4)


def test_rain_fade_by_hand_for_the_ten_mile_hop():
    # P.530-17 §2.4.1 by hand, 16.1 km, 5.8 GHz vertical, R0.01 = 50 mm/h:
    k, a = rain_coefficients(5.8, "vertical")
    gamma = k * 50 ** a
    r = 1 / (0.477 * 16.1 ** 0.633 * 50 ** (0.073 * a) * 5.8 ** 0.123 - 10.579 * (1 - math.exp(-0.024 * 16.1)))
    a001 = gamma * 16.1 * r
    # at p = 0.01 % the step-6 scaling is ≈ 1 (C1·0.01^−(C2 − 2·C3) with C0 = 0.12 gives 0.9986)
    assert rain_fade_db(16.1, 5.8, 50, 99.99) == pytest.approx(a001 * 0.9986, rel=1e-3)
    assert 1.0 < rain_fade_db(16.1, 5.8, 50, 99.99) < 2.5  # a few dB at most at 5.8 GHz
    assert rain_fade_db(16.1, 5.8, 50, 99.999) > rain_fade_db(16.1, 5.8, 50, 99.99) > rain_fade_db(16.1, 5.8, 50, 99.9)
    assert rain_fade_db(16.1, 5.8, 0, 99.99) == 0
    with pytest.raises(ValueError, match="99.0-99.999"):
        rain_fade_db(16.1, 5.8, 50, 95.0)


def test_airfiber_budget_matches_design_notes():
    # DESIGN.md 4.1: 20 dBm, 34 dBi dishes, 16.1 km → RSL ≈ −44 dBm, 16 dB margin at 8x
    af = radio("airfiber-5x")
    g = dish("rocketdish-5g34").gain_dbi
    out = link_budget(distance_km=16.1, frequency_mhz=5800, tx_power_dbm=af.tx_power_dbm, tx_gain_dbi=g,
                      rx_gain_dbi=g, sensitivity_dbm=af.sensitivity_dbm, rain_rate_001_mm_h=50)
    assert out["received_dbm"] == pytest.approx(-43.8, abs=0.1)
    assert out["fade_margin_db"]["8x"] == pytest.approx(16.2, abs=0.1)
    assert out["margin_after_rain_db"]["8x"] == pytest.approx(16.2 - out["rain_fade_db"], abs=0.1)
    assert received_level_dbm(20, 34, 34, 131.8, 2) == pytest.approx(-45.8)
    assert fade_margins_db(-50, {"1x": -83}) == {"1x": 33}
