"""The trough's hourly heat terms by hand: the incidence-angle modifier, the end loss, the receiver's
loss coefficient, and a day with perfect optics and no loss against Σ DNI·cos θ·A."""

import math

import numpy as np
import pytest

from osehw.physics.trough_yield import (
    STEFAN_BOLTZMANN,
    end_loss_factor,
    hourly_heat,
    incidence_angle_modifier,
    receiver_loss_coefficient,
)


def test_incidence_angle_modifier_by_hand():
    # K = 1 + (0.000884·θ − 0.00005369·θ²)/cos θ (Dudley et al. 1994, SAND94-1884, LS-2)
    assert incidence_angle_modifier(0.0) == 1.0
    assert incidence_angle_modifier(30.0) == pytest.approx(1 + (0.02652 - 0.048321) / math.cos(math.radians(30)))
    assert incidence_angle_modifier(30.0) == pytest.approx(0.97483, abs=1e-5)
    # Dudley's K with the cosine kept, at 60°: 0.5 + 0.05304 − 0.193284 = 0.359756
    assert incidence_angle_modifier(60.0) * 0.5 == pytest.approx(0.359756, abs=1e-6)
    assert incidence_angle_modifier(95.0) == 0.0


def test_end_loss_by_hand():
    # f = 300, W = 1200, L = 2400: f_avg = 300·(1 + 1200²/(48·300²)) = 300·(1 + 1/3) = 400 mm (Gaul & Rabl 1980)
    assert end_loss_factor(0.0, 300, 1200, 2400) == 1.0
    assert end_loss_factor(30.0, 300, 1200, 2400) == pytest.approx(1 - 400 * math.tan(math.radians(30)) / 2400)
    assert end_loss_factor(30.0, 300, 1200, 2400) == pytest.approx(0.903775, abs=1e-6)
    assert end_loss_factor(85.0, 300, 1200, 2400) == 0.0  # the shift (4572 mm) exceeds the length


def test_receiver_loss_coefficient_by_hand():
    # 25.4 mm tube at 90 °C in 25 °C air, ε 0.9, 3 m/s:
    # h_rad = 0.9·σ·(363.15² + 298.15²)·(363.15 + 298.15) = 7.45 W/m²K (Duffie & Beckman §3.10)
    h_rad = 0.9 * STEFAN_BOLTZMANN * (363.15 ** 2 + 298.15 ** 2) * (363.15 + 298.15)
    # Re = 3·0.0254/1.89e-5 = 4032 → Nu = 0.30·Re^0.6 = 43.7, h = Nu·0.0288/0.0254 = 49.5 W/m²K (D&B eq. 3.15.6)
    re = 3 * 0.0254 / 1.89e-5
    h_conv = 0.30 * re ** 0.6 * 0.0288 / 0.0254
    assert h_rad == pytest.approx(7.45, abs=0.01) and h_conv == pytest.approx(49.5, abs=0.1)
    assert receiver_loss_coefficient(90.0, 25.0, 3.0, 25.4, 0.9) == pytest.approx(h_rad + h_conv, rel=1e-9)
    # still air: natural convection (Churchill & Chu), a few W/m²K, beats Nu(Re = 0) = 0.40
    still = receiver_loss_coefficient(90.0, 25.0, 0.0, 25.4, 0.9) - h_rad
    assert 5.0 < still < 10.0


def test_a_day_with_perfect_optics_and_no_loss_is_dni_cos_theta_area():
    # 21 June at 36.1° N, a N-S axis: cos θ = √(1 − (s·axis)²), the sun vector's component across the
    # axis, computed here from the sun's zenith and azimuth (vector geometry, not pvlib's tracker)
    import pandas as pd
    import pvlib

    hours = pd.date_range("1990-06-21 00:30", periods=24, freq="h", tz="Etc/GMT+5")
    sun = pvlib.solarposition.get_solarposition(hours, 36.1, -79.95)
    zen, az = np.radians(sun["apparent_zenith"].to_numpy()), np.radians(sun["azimuth"].to_numpy())
    north = np.cos(az) * np.sin(zen)  # the sun vector's component along a N-S axis
    up = zen < math.pi / 2
    cos_theta = np.where(up, np.sqrt(1 - north ** 2), 0.0)
    dni = np.where(up, 800.0, 0.0)
    track = pvlib.tracking.singleaxis(sun["apparent_zenith"], sun["azimuth"], 0.0, 0.0, 90.0, False)
    theta = np.where(up, track["aoi"].to_numpy(), np.nan)
    air = np.full(24, 90.0)  # the air at the receiver's temperature: no loss
    h = hourly_heat(dni, theta, air, np.full(24, 3.0), aperture=1200, focal_length=300, length=2400,
                    receiver_diameter=25.4, optical_efficiency=1.0, receiver_c=90.0, emittance=0.9)
    by_hand = float(np.sum(dni * cos_theta)) * 1.2 * 2.4
    assert float(h["beam_w"].sum()) == pytest.approx(by_hand, rel=1e-6)
    # in June a N-S axis sees the sun nearly square on all day: mean cos θ over the hours the sun is up
    assert 0.85 < by_hand / (800 * 2.88) / up.sum() < 1.0
    assert np.all(h["loss_w"] == 0) and np.array_equal(h["useful_w"], h["absorbed_w"])
    # hour by hour the absorbed beam is the beam times K(θ)·η_end(θ), each by hand at one hour
    noon = int(np.argmin(zen))
    t = theta[noon]
    k = 1 + (0.000884 * t - 0.00005369 * t * t) / math.cos(math.radians(t))
    end = 1 - 400 * math.tan(math.radians(t)) / 2400
    assert h["absorbed_w"][noon] == pytest.approx(h["beam_w"][noon] * k * end, rel=1e-9)
    # near noon the sun lies in the plane across the axis, so θ is its angle off the meridian only: the
    # sun's zenith at 12:30 is a little over 36.1° − 23.44° = 12.7°, and θ is the part along the axis
    assert t == pytest.approx(math.degrees(math.asin(abs(north[noon]))), abs=1e-3) and t < 13.0
