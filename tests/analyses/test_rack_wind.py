"""The PV rack's wind check, by hand from TIA-222-H's formulas and tables."""

from __future__ import annotations

import math

import pytest

from osehw.analyses.rack_wind import rack_uplift
from osehw.physics import wind


def test_flat_panel_force_coefficient_follows_table_2_8():
    # TIA-222-H Table 2-8, flat: 1.2 up to aspect ratio 2.5, 1.4 at 7, 2.0 from 25, linear between
    # (an aspect of 0.2 is 5 the other way round: 1.2 + 0.2·(5 − 2.5)/4.5)
    assert [wind.flat_plate_ca(a) for a in (1.0, 2.5, 0.2, 7.0, 16.0, 25.0, 40.0)] == pytest.approx(
        [1.2, 1.2, 1.2 + 0.2 * 2.5 / 4.5, 1.4, 1.7, 2.0, 2.0])


def test_uplift_on_a_row_by_hand():
    got = rack_uplift(tilt_deg=30.0, length_mm=4000.0, depth_mm=2000.0, mid_height_mm=1500.0, anchors=4,
                      wind_speed_m_s=40.0, exposure="C", rack_weight_kg=100.0)
    # Kz at 1.5 m in exposure C: 2.01·(1.5/274)^(2/9.5) = 0.67 < Kz,min 0.85 → 0.85 (TIA-222-H 2.6.5.2)
    qz = 0.613 * 0.85 * 0.95 * 40.0 ** 2  # Kzt = Ke = 1, Kd = 0.95 → 792.0 Pa
    force = qz * 0.85 * 1.2 * 8.0  # Gh 0.85, Ca 1.2 (aspect 2), A = 8 m² → 6463 N
    uplift = force * math.cos(math.radians(30.0))
    per_anchor = (uplift - 0.9 * 100.0 * 9.80665) / 4
    assert got["qz_pa"] == pytest.approx(qz, rel=1e-9) and qz == pytest.approx(792.0, abs=0.1)
    assert got["normal_force_n"] == pytest.approx(force, rel=1e-9)
    assert got["per_anchor_n"] == pytest.approx(per_anchor, rel=1e-9) and per_anchor == pytest.approx(1178.5, abs=0.5)
    assert got["push_n"] == pytest.approx(force / 2, rel=1e-9)  # sin 30°
    # a heavy enough rack holds itself down: nothing on the anchors
    heavy = rack_uplift(tilt_deg=30.0, length_mm=4000.0, depth_mm=2000.0, mid_height_mm=1500.0, anchors=4,
                        wind_speed_m_s=40.0, exposure="C", rack_weight_kg=1000.0)
    assert heavy["per_anchor_n"] == 0.0
