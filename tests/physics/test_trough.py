"""Trough geometry against independent checks: numeric integration, a second closed form, a
nearest-point search, and published trough dimensions."""

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import minimize_scalar

from osehw.physics.trough import (
    arc_length,
    arc_length_from_vertex,
    focal_distance,
    focal_length,
    geometric_concentration,
    offset_curve,
    parabola_y,
    receiver_diameter_for_rim,
    rim_angle_deg,
    rim_limited_concentration,
    rim_radius,
)


def test_rim_angle_and_focal_length_are_inverse_and_match_ls3():
    # LS-3 (the SEGS VIII/IX trough): aperture 5.76 m, focal length 1.71 m, rim angle 80°
    # (Stine & Geyer, Power From the Sun, ch. 8; Price et al. 2002, J. Sol. Energy Eng. 124:109).
    assert rim_angle_deg(5760, 1710) == pytest.approx(80.0, abs=0.3)
    for psi in (30.0, 80.0, 90.0, 120.0):
        assert rim_angle_deg(1200, focal_length(1200, psi)) == pytest.approx(psi, abs=1e-9)
    # ψ = 90°: the focus lies level with the rim, W = 4f
    assert focal_length(1200, 90.0) == pytest.approx(300.0)


def test_rim_radius_is_focal_distance_of_the_rim():
    # r_rim = 2f/(1+cos ψ) against the focus–directrix property r = f + y at x = W/2
    for w, f in ((5760, 1710), (1200, 300), (1000, 600)):
        assert rim_radius(w, f) == pytest.approx(float(focal_distance(w / 2, f)), rel=1e-12)
        # and against the plain distance from the focus
        assert rim_radius(w, f) == pytest.approx(math.hypot(w / 2, float(parabola_y(w / 2, f)) - f), rel=1e-12)


@pytest.mark.parametrize("w,f", [(5760, 1710), (1200, 300), (1000, 600), (2000, 200)])
def test_arc_length_matches_numeric_integration_and_stine_geyer(w, f):
    numeric, _ = quad(lambda x: math.sqrt(1 + (x / (2 * f)) ** 2), -w / 2, w / 2, epsabs=1e-10)
    assert arc_length(w, f) == pytest.approx(numeric, rel=1e-10)
    # Stine & Geyer's form in the rim angle: s = (h_p/2)[sec(ψ/2)tan(ψ/2) + ln(sec(ψ/2) + tan(ψ/2))], h_p = 4f
    half = math.radians(rim_angle_deg(w, f)) / 2
    sec, tan = 1 / math.cos(half), math.tan(half)
    assert arc_length(w, f) == pytest.approx(2 * f * (sec * tan + math.log(sec + tan)), rel=1e-12)
    # the signed half-length is odd in x
    assert float(arc_length_from_vertex(-w / 3, f)) == pytest.approx(-float(arc_length_from_vertex(w / 3, f)))


@pytest.mark.parametrize("t", [3.0, 6.0, 18.0])
def test_offset_curve_lies_at_distance_t_from_the_parabola(t):
    f = 300.0
    xs = np.linspace(-600, 600, 25)
    ex, ey = offset_curve(xs, f, t)
    for x0, px, py in zip(xs, ex, ey):
        # nearest point of the parabola to the edge point, found by a bounded 1-D search
        res = minimize_scalar(lambda u: (u - px) ** 2 + (u * u / (4 * f) - py) ** 2,
                              bounds=(x0 - 5 * t, x0 + 5 * t), method="bounded", options={"xatol": 1e-10})
        assert math.sqrt(res.fun) == pytest.approx(t, abs=1e-6)
        assert res.x == pytest.approx(x0, abs=1e-4)  # the foot of the normal is the sampled point
        assert py < x0 * x0 / (4 * f)  # under the mirror, away from the focus


def test_offset_curve_is_not_a_parabola():
    f, t = 300.0, 18.0
    ex, ey = offset_curve(np.array([0.0, 300.0, 600.0]), f, t)
    # the parabola Y = a·X² + c through the vertex and the mid point misses the rim point
    a = (ey[1] - ey[0]) / ex[1] ** 2
    assert abs(a * ex[2] ** 2 + ey[0] - ey[2]) > 1.0  # mm
    # at the vertex the edge sits exactly t below, at the rim t·cos(ψ/2) below and t·sin(ψ/2) out
    assert (ex[0], ey[0]) == pytest.approx((0.0, -t))
    half = math.radians(rim_angle_deg(1200, f)) / 2
    assert (ex[2], ey[2]) == pytest.approx((600 + t * math.sin(half), 300 - t * math.cos(half)))


def test_concentration_of_a_rim_sized_tube_is_rabls():
    # C = W/(π·d) with d = 2 r_rim sin θs equals Rabl's sin ψ/(π sin θs) (since W/2 = r_rim sin ψ)
    for psi in (45.0, 80.0, 90.0, 110.0):
        f = focal_length(1200, psi)
        d = receiver_diameter_for_rim(1200, f)
        assert geometric_concentration(1200, d) == pytest.approx(rim_limited_concentration(psi), rel=1e-12)
    # ψ = 90° gives the most, 1/(π sin 4.65 mrad) = 68.45 (Rabl 1976)
    assert rim_limited_concentration(90.0) == pytest.approx(68.45, abs=0.01)
    # LS-3 with its 70 mm tube: C = 5760/(π·70) = 26.2
    assert geometric_concentration(5760, 70) == pytest.approx(26.19, abs=0.01)
