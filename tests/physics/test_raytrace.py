"""The Monte-Carlo trough trace against closed forms: each check below integrates, over the
aperture, the exact miss condition of a 2-D ray at angle α off the line to the focus — it passes the
focus at r(x)·sin α — with numpy quadrature, a method independent of the sampling."""

import math

import numpy as np
import pytest
from scipy.special import erf

from osehw.physics.raytrace import (
    buie_profile,
    buie_radial_cdf,
    sample_sun_transverse,
    trace,
)
from osehw.physics.trough import (
    SUN_HALF_ANGLE_MRAD,
    focal_distance,
    receiver_diameter_for_rim,
    rim_angle_deg,
)

W, F = 5760.0, 1710.0  # LS-3 cross-section, rim angle 80.2°
X = np.linspace(-W / 2, W / 2, 200_001)  # quadrature grid over the aperture (mean = integral / W)
R_X = focal_distance(X, F)
THETA_S = SUN_HALF_ANGLE_MRAD * 1e-3


def projected_disc_cdf(u):
    """P(α ≤ u) for the transverse angle of a point uniform on a disc of radius θs."""
    v = np.clip(u / THETA_S, -1.0, 1.0)
    return 0.5 + (v * np.sqrt(1 - v * v) + np.arcsin(v)) / math.pi


def pillbox_intercept(radius, tracking_rad=0.0):
    accept = np.arcsin(np.minimum(radius / R_X, 1.0))
    return float(np.mean(projected_disc_cdf(accept - tracking_rad) - projected_disc_cdf(-accept - tracking_rad)))


def within(result, expected, k=4.0):
    return abs(result.intercept - expected) <= k * max(result.intercept_se, 1e-4 / k)


@pytest.mark.parametrize("diameter", [1e-6, 1.0, 70.0])
def test_perfect_trough_with_point_sun_sends_every_ray_through_the_focus(diameter):
    r = trace(W, F, diameter, n_rays=50_000, sunshape="point")
    assert r.intercept == 1.0 and r.intercept_se == 0.0


def test_pillbox_sun_is_caught_exactly_by_the_rim_sized_tube():
    d_rim = receiver_diameter_for_rim(W, F)  # 2·r_rim·sin θs (Duffie & Beckman §7.10) = 27.18 mm
    assert d_rim == pytest.approx(27.18, abs=0.01)
    assert trace(W, F, d_rim * 1.0001, n_rays=200_000).intercept == 1.0
    below = trace(W, F, d_rim * 0.95, n_rays=200_000)
    assert below.intercept < 1.0 and within(below, pillbox_intercept(d_rim * 0.95 / 2))


@pytest.mark.parametrize("fraction,tracking_mrad", [(0.3, 0.0), (0.7, 0.0), (1.0, 2.0), (1.5, 5.0)])
def test_pillbox_intercept_matches_quadrature(fraction, tracking_mrad):
    d = receiver_diameter_for_rim(W, F) * fraction
    r = trace(W, F, d, n_rays=200_000, seed=3, tracking_error_mrad=tracking_mrad)
    expected = pillbox_intercept(d / 2, tracking_mrad * 1e-3)
    assert within(r, expected), (r.intercept, r.intercept_se, expected)


@pytest.mark.parametrize("sigma_mrad", [1.0, 3.0, 6.0])
def test_slope_and_specularity_errors_match_the_normal_law(sigma_mrad):
    # point sun: a normal tilted by ε turns the reflected ray by exactly 2ε, a specularity error σ by
    # itself; the ray hits while |angle| ≤ asin(R/r), so γ = mean over x of erf(a/(σ_ray·√2)).
    accept = np.arcsin(np.minimum(35.0 / R_X, 1.0))
    slope = trace(W, F, 70, n_rays=200_000, sunshape="point", slope_error_mrad=sigma_mrad, seed=5)
    assert within(slope, float(np.mean(erf(accept / (2 * sigma_mrad * 1e-3 * math.sqrt(2))))))
    spec = trace(W, F, 70, n_rays=200_000, sunshape="point", specularity_mrad=sigma_mrad, seed=6)
    assert within(spec, float(np.mean(erf(accept / (sigma_mrad * 1e-3 * math.sqrt(2))))))


def test_intercept_falls_monotonically_with_slope_error():
    gammas = [trace(W, F, 70, n_rays=200_000, seed=11, slope_error_mrad=s).intercept
              for s in (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 10.0)]
    assert gammas[0] == 1.0
    assert all(a >= b for a, b in zip(gammas, gammas[1:])) and gammas[2] > gammas[3] > gammas[4] > gammas[5]
    # measured: 1.0, 1.0, 0.9988, 0.9853, 0.9474, 0.8259, 0.5887 (seed 11)


def test_industrial_trough_lands_in_the_published_range():
    # 80° rim angle (LS-3, 5.76 m aperture), 70 mm tube, 2.5 mrad slope error. Published intercept
    # factors of industrial troughs: ≈0.99 for the EuroTrough geometry (an error-cone model the authors
    # hold to the EuroTrough/LS-2 optical record) and measured 0.966 (80 mm tube) and ≥0.98 (90 mm) on two
    # 8.6 m troughs (Han et al. 2025, engrXiv doi:10.31224/7443): about 0.95-0.99. With a pillbox sun
    # the trace gives 0.9946, just above that range (no circumsolar light); with Buie's sun at a
    # clear-sky CSR of 0.05, 0.986.
    pill = trace(W, F, 70, n_rays=400_000, slope_error_mrad=2.5, specularity_mrad=0.5)
    assert 0.99 <= pill.intercept <= 0.997
    buie = trace(W, F, 70, n_rays=400_000, slope_error_mrad=2.5, specularity_mrad=0.5, sunshape="buie", csr=0.05)
    assert 0.95 <= buie.intercept <= 0.99
    assert buie.geometric_concentration == pytest.approx(5760 / (math.pi * 70))
    assert buie.effective_concentration == pytest.approx(buie.intercept * buie.geometric_concentration)


def test_standard_error_is_binomial_and_shrinks_as_one_over_sqrt_n():
    d = receiver_diameter_for_rim(W, F) * 0.5  # γ ≈ 0.8, where the binomial spread is large
    spread = {}
    for n in (10_000, 40_000):
        runs = [trace(W, F, d, n_rays=n, seed=s) for s in range(24)]
        values = np.array([r.intercept for r in runs])
        se = np.mean([r.intercept_se for r in runs])
        assert se == pytest.approx(math.sqrt(values.mean() * (1 - values.mean()) / n), rel=0.01)
        # the seeds' spread agrees with the reported error (24 runs: the sample std is within ±35 %)
        assert 0.65 < values.std(ddof=1) / se < 1.35
        spread[n] = (values.std(ddof=1), se)
    assert spread[10_000][1] / spread[40_000][1] == pytest.approx(2.0, rel=0.02)
    assert 1.4 < spread[10_000][0] / spread[40_000][0] < 2.8


def test_lateral_receiver_offset_matches_geometry():
    # point sun: the ray from x to the focus passes a centre moved by dx at |dx|·|f − y|/r
    dx, radius = 40.0, 35.0
    y = X * X / (4 * F)
    expected = float(np.mean(dx * np.abs(F - y) / R_X <= radius))
    r = trace(W, F, 2 * radius, n_rays=200_000, sunshape="point", receiver_offset=(dx, 0.0))
    assert within(r, expected) and r.intercept < 1.0


def test_rib_deviation_constant_offset_and_ripple():
    w, f, radius = 1200.0, 300.0, 12.5  # ψ = 90°, a maker-sized trough
    xs = np.linspace(-w / 2, w / 2, 4001)
    x = np.linspace(-w / 2, w / 2, 200_001)
    m, r_x = x / (2 * f), focal_distance(x, f)
    # zeros change nothing (the rib branch draws no random numbers)
    base = trace(w, f, 2 * radius, n_rays=50_000, slope_error_mrad=3.0, seed=2)
    same = trace(w, f, 2 * radius, n_rays=50_000, slope_error_mrad=3.0, seed=2, rib_x=xs, rib_deviation=np.zeros_like(xs))
    assert same.intercept == base.intercept
    # a uniform offset δ keeps every normal; the ray from P + δN then passes the focus at δ·sin(φ/2),
    # sin(φ/2) = m/√(1+m²)
    delta = -20.0
    expected = float(np.mean(abs(delta) * np.abs(m) / np.sqrt(1 + m * m) <= radius))
    r = trace(w, f, 2 * radius, n_rays=200_000, sunshape="point", rib_x=xs, rib_deviation=np.full_like(xs, delta))
    assert within(r, expected) and r.intercept < 1.0
    # a ripple δ = A sin(kx) tilts the mirror by dδ/ds = A k cos(kx)/√(1+m²); the ray turns by twice that
    amp, k = 0.1, 2 * math.pi / 20.0  # 31 mrad of slope: a rough cut edge
    eps = amp * k * np.cos(k * x) / np.sqrt(1 + m * m)
    expected = float(np.mean(r_x * np.abs(np.sin(2 * eps)) <= radius))
    ripple = trace(w, f, 2 * radius, n_rays=200_000, sunshape="point", rib_x=xs, rib_deviation=amp * np.sin(k * xs))
    # (the check ignores the point's move by δ ≤ 0.1 mm; measured 0.4012 against 0.40)
    assert abs(ripple.intercept - expected) < 0.005 and ripple.intercept < 0.5


def test_flux_around_the_tube():
    r = trace(W, F, 70, n_rays=200_000, slope_error_mrad=2.0)
    # mean local concentration over the circumference = γ·W/(2πR)
    assert float(np.mean(r.local_concentration)) == pytest.approx(r.intercept * W / (math.pi * 70), rel=1e-12)
    # light comes from the mirror, within ψ of the downward axis: nothing beyond 90° + ψ from the bottom
    psi = rim_angle_deg(W, F)
    far = np.abs(r.flux_angle_deg) > 90 + psi + 5
    assert far.any() and np.all(r.local_concentration[far] == 0)
    assert r.local_concentration.max() > 3 * r.geometric_concentration * 0.5  # concentrated on the bottom half


def test_buie_sunshape_and_reproducibility():
    # the profile's own circumsolar ratio (energy beyond 4.65 mrad over all) against Buie's χ: close for
    # χ ≥ 0.05 (measured 0.044, 0.101, 0.188, 0.275, 0.373 for 0.05-0.4); below that Buie's fit gives
    # much less (0.0014 for χ = 0.01), the known mismatch between χ and the profile's realised CSR
    for csr in (0.05, 0.1, 0.2, 0.3, 0.4):
        theta, cdf = buie_radial_cdf(csr)
        assert 1 - np.interp(SUN_HALF_ANGLE_MRAD, theta, cdf) == pytest.approx(csr, rel=0.15)
    # the sampler: a pillbox's transverse angles follow the projected disc's law, and a Buie sun's have
    # E[θx²] = E[θ²]/2, the radial second moment from quadrature of the profile (buie_profile·θ dθ)
    rng = np.random.default_rng(4)
    pill = sample_sun_transverse(rng, 400_000, "pillbox")
    assert np.all(np.abs(pill) <= SUN_HALF_ANGLE_MRAD)
    for u in (-4.0, -2.0, 0.0, 1.0, 3.0):
        assert np.mean(pill <= u) == pytest.approx(projected_disc_cdf(u * 1e-3), abs=0.003)
    grid = np.linspace(1e-9, 43.6, 2_000_001)
    weight = buie_profile(grid, 0.2) * grid
    second_moment = float(np.sum(weight * grid ** 2) / np.sum(weight))
    buie = sample_sun_transverse(rng, 400_000, "buie", csr=0.2)
    assert np.mean(buie ** 2) == pytest.approx(second_moment / 2, rel=0.02)
    a = trace(W, F, 70, n_rays=20_000, seed=9, sunshape="buie", csr=0.1, slope_error_mrad=2.0, keep_rays=50)
    b = trace(W, F, 70, n_rays=20_000, seed=9, sunshape="buie", csr=0.1, slope_error_mrad=2.0, keep_rays=50)
    assert a.intercept == b.intercept and np.array_equal(a.rays, b.rays) and a.rays.shape == (50, 6)
    assert trace(W, F, 70, n_rays=20_000, seed=10, sunshape="buie", csr=0.1, slope_error_mrad=2.0).intercept != a.intercept
    with pytest.raises(ValueError):
        trace(W, F, 70, n_rays=10, sunshape="buie", csr=0.0)
