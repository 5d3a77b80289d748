"""Link physics by hand: great-circle distance and azimuth on simple cases, one link's antenna height, loss and
margin worked out from the ITU-R formulas."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from osehw.plan.links import (
    EARTH_RADIUS_KM,
    Radio,
    haversine_km,
    initial_bearing_deg,
    link_rows,
)

RADIO = Radio(frequency_ghz=5.8, tx_power_dbm=20.0, gain_dbi=30.0, sensitivity_dbm=(("1x", -83.0), ("8x", -60.0)),
              misc_loss_db=1.0, required_margin_db=10.0, availability_pct=99.99, k_factor=4.0 / 3.0,
              fresnel_clearance=0.6)


def test_distance_and_azimuth_on_a_meridian_and_the_equator():
    assert haversine_km(35.0, -80.0, 36.0, -80.0) == pytest.approx(math.pi * EARTH_RADIUS_KM / 180, rel=1e-12)
    assert haversine_km(0.0, 10.0, 0.0, 11.0) == pytest.approx(111.195, abs=0.001)
    assert initial_bearing_deg(35.0, -80.0, 36.0, -80.0) == pytest.approx(0.0, abs=1e-9)
    assert initial_bearing_deg(0.0, 10.0, 0.0, 11.0) == pytest.approx(90.0, abs=1e-9)
    # at 45° N, going due east the great circle starts slightly north of east... and returns symmetric
    az = initial_bearing_deg(45.0, 0.0, 45.0, 1.0)
    assert az == pytest.approx(90.0 - 0.35, abs=0.01)  # sin(45°)·Δλ/2 = 0.354° (the convergence of meridians)
    assert initial_bearing_deg(45.0, 1.0, 45.0, 0.0) == pytest.approx(360.0 - az, abs=1e-9)


def test_one_link_by_hand():
    d_km = 16.0  # the pair: 16 km apart along a meridian
    lat_b = 35.0 + d_km / (math.pi * EARTH_RADIUS_KM / 180)
    pair = pd.DataFrame({"a": ["p"], "b": ["q"], "lat_a": [35.0], "lon_a": [-80.0], "lat_b": [lat_b],
                         "lon_b": [-80.0], "clutter_m": [15.0], "rain_rate_mm_h": [50.0]})
    row = link_rows(pair, RADIO).iloc[0]
    assert row.distance_km == pytest.approx(16.0, rel=1e-9)
    # mid-path: bulge 8·8/(12.74·4/3) = 3.768 m; r1 = 17.32·√(8·8/(5.8·16)) = 14.383 m; 0.6·r1 = 8.630 m
    bulge = 64 / (12.74 * 4 / 3)
    r1 = 17.32 * math.sqrt(64 / (5.8 * 16))
    assert bulge == pytest.approx(3.768, abs=0.001) and r1 == pytest.approx(14.383, abs=0.001)
    assert row.antenna_height_m == pytest.approx(bulge + 15.0 + 0.6 * r1, abs=1e-9)
    assert row.antenna_height_m == pytest.approx(27.398, abs=0.001)
    # FSPL = 32.44 + 20·log10(5800) + 20·log10(16) = 131.79 dB; Prx = 20 + 30 + 30 − 131.79 − 1 = −52.79 dBm
    fspl = 32.44 + 20 * math.log10(5800) + 20 * math.log10(16)
    assert row.fspl_db == pytest.approx(fspl, abs=1e-9) and fspl == pytest.approx(131.79, abs=0.01)
    prx = 20 + 30 + 30 - fspl - 1
    assert row.received_dbm == pytest.approx(prx, abs=1e-9)
    assert row.margin_db == pytest.approx(prx + 83.0 - row.rain_fade_db, abs=1e-9)
    assert 0.5 < row.rain_fade_db < 3.0  # a few dB at 5.8 GHz over 16 km in 50 mm/h (P.530 at 99.99 %)
    # 8x needs −60 dBm: 7.2 dB left before rain, under the 10 dB asked, so the link runs at 1x (30.2 dB left)
    assert prx + 60.0 < 10.0 and row.modulation == "1x"


def test_vectorised_rows_match_one_at_a_time():
    rng = np.random.default_rng(5)
    n = 20
    pairs = pd.DataFrame({"a": [f"a{i}" for i in range(n)], "b": [f"b{i}" for i in range(n)],
                          "lat_a": rng.uniform(30, 45, n), "lon_a": rng.uniform(-120, -75, n)})
    pairs["lat_b"] = pairs.lat_a + rng.uniform(-0.15, 0.15, n)
    pairs["lon_b"] = pairs.lon_a + rng.uniform(-0.15, 0.15, n)
    pairs["clutter_m"] = rng.uniform(0, 30, n)
    pairs["rain_rate_mm_h"] = rng.uniform(20, 95, n)
    whole = link_rows(pairs, RADIO)
    for i in range(n):
        one = link_rows(pairs.iloc[[i]].reset_index(drop=True), RADIO)
        assert one.iloc[0].to_dict() == whole.iloc[i].to_dict()
