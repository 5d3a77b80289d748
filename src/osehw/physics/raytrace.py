"""Monte-Carlo ray trace of a parabolic trough's cross-section onto its receiver tube (numpy,
vectorised, seeded).

Why a 2-D trace is enough: a linear trough is invariant along its axis, so a mirror normal has no
axial component and a ray's axial direction survives reflection unchanged; whether it meets the tube
(a cylinder along the same axis) depends only on its projection on the cross-section. End losses and
the incidence-angle modifier are separate factors (not traced here).

Each ray:
1. starts at a point x uniform over the aperture [−W/2, W/2] (the beam's flux per unit aperture
   width is uniform; the hit point is taken on the mirror directly above x — exact at normal
   incidence; with a tracking error τ the flux per unit x varies by (cos τ + m·sin τ), ≤ 1 % for
   τ ≤ 10 mrad, not weighted);
2. comes from a direction off the optical axis by the tracking error plus the sun's angle projected
   on the cross-section: a point of the sun's disc sampled in 2-D (pillbox of 4.65 mrad half-angle,
   or Buie's sunshape with a circumsolar ratio — Buie, Monger & Dey 2003, "Sunshape distributions
   for terrestrial solar simulations", Solar Energy 74:113–122), its transverse component kept;
3. meets a mirror whose normal is tilted by the slope error (normal, σ in mrad, transverse) and by
   the as-cut rib's deviation from the true curve (normal offset δ(x) in mm, the mirror following
   the rib); the hit point moves by δ·n;
4. is reflected, then spread by the specularity error (normal, σ in mrad, about the specular
   direction);
5. hits the tube (circle of radius R at the focus plus the receiver offset) or not.

The errors combine as in the usual total optical error, σ² ≈ σ_sun² + (2σ_slope)² + σ_spec²
(Rabl, *Active Solar Collectors and Their Applications*, 1985, ch. 5; Bendt et al. 1979,
SERI/TR-34-092): the slope error counts twice, the specularity error once.

Results: the intercept factor γ = hits / rays, its binomial standard error √(γ(1−γ)/N), and the
local concentration ratio (flux / DNI) around the tube: LCR(φ) = (hits in the bin / N)·W/(R·Δφ),
whose mean around the tube is γ·W/(2πR) = γ·C.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from osehw.physics.trough import SUN_HALF_ANGLE_MRAD, geometric_concentration

BUIE_CIRCUMSOLAR_EDGE_MRAD = 43.6  # the aureole's outer edge in Buie et al. 2003


def buie_profile(theta_mrad, csr: float):
    """Buie's radiance profile φ(θ) (Buie, Monger & Dey 2003, eq. 1–4), θ in mrad:
    cos(0.326θ)/cos(0.308θ) on the disc (θ ≤ 4.65), e^κ·θ^γ in the aureole (4.65 < θ ≤ 43.6),
    κ = 0.9·ln(13.5χ)·χ^−0.3, γ = 2.2·ln(0.52χ)·χ^0.43 − 0.1; χ the circumsolar ratio."""
    theta = np.asarray(theta_mrad, dtype=float)
    kappa = 0.9 * np.log(13.5 * csr) * csr ** -0.3
    gamma = 2.2 * np.log(0.52 * csr) * csr ** 0.43 - 0.1
    disc = np.cos(0.326 * theta) / np.cos(0.308 * theta)
    with np.errstate(divide="ignore"):
        aureole = np.exp(kappa) * np.power(np.maximum(theta, 1e-12), gamma)
    return np.where(theta <= SUN_HALF_ANGLE_MRAD, disc,
                    np.where(theta <= BUIE_CIRCUMSOLAR_EDGE_MRAD, aureole, 0.0))


def buie_radial_cdf(csr: float, n: int = 4001):
    """θ grid [mrad] and the cumulative share of the sun's power within θ (profile × 2πθ dθ,
    trapezoid rule on a grid refined at the disc's edge)."""
    theta = np.unique(np.concatenate([np.linspace(0.0, SUN_HALF_ANGLE_MRAD, n),
                                      np.linspace(SUN_HALF_ANGLE_MRAD, BUIE_CIRCUMSOLAR_EDGE_MRAD, n)]))
    w = buie_profile(theta, csr) * theta
    w[theta == SUN_HALF_ANGLE_MRAD] = buie_profile(SUN_HALF_ANGLE_MRAD, csr) * SUN_HALF_ANGLE_MRAD
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (w[1:] + w[:-1]) * np.diff(theta))])
    return theta, cdf / cdf[-1]


def sample_sun_transverse(rng: np.random.Generator, n: int, sunshape: str = "pillbox", csr: float = 0.0,
                          half_angle_mrad: float = SUN_HALF_ANGLE_MRAD) -> np.ndarray:
    """The transverse angle [mrad] of n rays from the sun: a point of the 2-D sun disc, projected."""
    if sunshape == "point":
        return np.zeros(n)
    if sunshape == "pillbox":
        radius = half_angle_mrad * np.sqrt(rng.random(n))  # uniform over the disc
    elif sunshape == "buie":
        if not 0.0 < csr < 1.0:
            raise ValueError(f"Buie sunshape needs 0 < csr < 1, got {csr}")
        theta, cdf = buie_radial_cdf(csr)
        radius = np.interp(rng.random(n), cdf, theta)
    else:
        raise ValueError(f"unknown sunshape {sunshape!r} (point, pillbox, buie)")
    return radius * np.cos(2.0 * np.pi * rng.random(n))


@dataclass(frozen=True)
class TraceResult:
    """One trace. ``intercept`` γ [0-1] and ``intercept_se`` its binomial standard error;
    ``flux_angle_deg`` bin centres around the tube (0 = the side facing the vertex, ±180 = away);
    ``local_concentration`` the flux over DNI in each bin; ``geometric_concentration`` W/(πd);
    ``effective_concentration`` γ·W/(πd); ``rays`` a sample (first ``keep_rays``) of
    (x_aperture, mirror_x, mirror_y, end_x, end_y, hit) for a ray picture."""

    n_rays: int
    n_hits: int
    intercept: float
    intercept_se: float
    geometric_concentration: float
    effective_concentration: float
    flux_angle_deg: np.ndarray = field(repr=False)
    local_concentration: np.ndarray = field(repr=False)
    rays: np.ndarray = field(repr=False)


def _rib_deviation(x, rib_x, rib_dev):
    """δ(x) [mm] along the inward normal and dδ/dx, by linear interpolation of the sampled deviations."""
    delta = np.interp(x, rib_x, rib_dev)
    seg = np.clip(np.searchsorted(rib_x, x, side="right") - 1, 0, len(rib_x) - 2)
    ddx = (rib_dev[seg + 1] - rib_dev[seg]) / (rib_x[seg + 1] - rib_x[seg])
    return delta, ddx


def trace(aperture: float, focal_length: float, receiver_diameter: float, *, n_rays: int = 200_000,
          seed: int = 0, sunshape: str = "pillbox", csr: float = 0.0,
          sun_half_angle_mrad: float = SUN_HALF_ANGLE_MRAD, slope_error_mrad: float = 0.0,
          specularity_mrad: float = 0.0, tracking_error_mrad: float = 0.0,
          receiver_offset: tuple[float, float] = (0.0, 0.0), rib_x=None, rib_deviation=None,
          flux_bins: int = 72, keep_rays: int = 0) -> TraceResult:
    """Trace ``n_rays`` rays through a trough of aperture W and focal length f [mm] onto a tube of
    diameter d [mm] centred at the focus + ``receiver_offset`` (dx, dy) [mm].

    ``sunshape``: "point", "pillbox" (half-angle ``sun_half_angle_mrad``) or "buie" (``csr`` is Buie's
    parameter χ; the profile's realised circumsolar ratio is within 15 % of χ for 0.05 ≤ χ ≤ 0.4 and far
    below it under 0.05 — 0.0014 at χ = 0.01 — the known mismatch of Buie's fit).
    ``slope_error_mrad``, ``specularity_mrad``: standard deviations of normal distributions.
    ``tracking_error_mrad``: a fixed angle between the sun's centre and the optical axis.
    ``rib_x``, ``rib_deviation``: the as-cut rib edge's deviation from the true curve [mm] at sorted
    aperture positions x [mm], positive towards the focus (the mirror follows it).
    The same ``seed`` gives the same result."""
    rng = np.random.default_rng(seed)
    n = int(n_rays)
    f = float(focal_length)
    radius = receiver_diameter / 2.0

    x = (rng.random(n) - 0.5) * aperture
    m = x / (2.0 * f)
    g = 1.0 / np.sqrt(1.0 + m * m)
    nx, ny = -m * g, g  # unit normal towards the focus
    px, py = x, x * x / (4.0 * f)

    if rib_deviation is not None:
        rib_x = np.asarray(rib_x, dtype=float)
        rib_dev = np.asarray(rib_deviation, dtype=float)
        if rib_x.shape != rib_dev.shape or rib_x.size < 2 or np.any(np.diff(rib_x) <= 0):
            raise ValueError("rib_x must be sorted, unique and as long as rib_deviation (>= 2 points)")
        delta, ddx = _rib_deviation(x, rib_x, rib_dev)
        # Q(x) = P(x) + δ·N(x); dQ/dx = (1, m)·(1 − δ·g³/(2f)) + δ'·N  (dN/dx = −g³/(2f)·(1, m))
        tx = (1.0 - delta * g ** 3 / (2.0 * f)) - ddx * m * g
        ty = m * (1.0 - delta * g ** 3 / (2.0 * f)) + ddx * g
        px, py = px + delta * nx, py + delta * ny
        tn = np.hypot(tx, ty)
        nx, ny = -ty / tn, tx / tn

    if slope_error_mrad > 0.0:
        a = rng.normal(0.0, slope_error_mrad * 1e-3, n)
        ca, sa = np.cos(a), np.sin(a)
        nx, ny = ca * nx - sa * ny, sa * nx + ca * ny

    # incoming direction: straight down, tilted by tracking error + the sun's transverse angle
    sun = (tracking_error_mrad + sample_sun_transverse(rng, n, sunshape, csr, sun_half_angle_mrad)) * 1e-3
    dx, dy = np.sin(sun), -np.cos(sun)
    dot = dx * nx + dy * ny
    rx, ry = dx - 2.0 * dot * nx, dy - 2.0 * dot * ny

    if specularity_mrad > 0.0:
        b = rng.normal(0.0, specularity_mrad * 1e-3, n)
        cb, sb = np.cos(b), np.sin(b)
        rx, ry = cb * rx - sb * ry, sb * rx + cb * ry

    cx, cy = receiver_offset[0], f + receiver_offset[1]
    qx, qy = cx - px, cy - py
    t_closest = qx * rx + qy * ry  # along the ray to the point nearest the tube's centre
    miss = qx * ry - qy * rx  # the centre's distance from the ray (2-D cross product, no cancellation)
    miss2 = miss * miss
    hit = (t_closest > 0.0) & (miss2 <= radius * radius)
    n_hits = int(hit.sum())

    gamma = n_hits / n
    se = float(np.sqrt(gamma * (1.0 - gamma) / n))
    t_hit = t_closest[hit] - np.sqrt(np.maximum(radius * radius - miss2[hit], 0.0))
    hx, hy = px[hit] + t_hit * rx[hit] - cx, py[hit] + t_hit * ry[hit] - cy
    phi = np.degrees(np.arctan2(hx, -hy))  # 0 at the bottom of the tube (facing the vertex)
    edges = np.linspace(-180.0, 180.0, flux_bins + 1)
    counts, _ = np.histogram(phi, bins=edges)
    lcr = counts / n * aperture / (radius * np.radians(360.0 / flux_bins))

    rays = np.empty((0, 6))
    if keep_rays:
        k = min(int(keep_rays), n)
        length = np.where(hit[:k], t_closest[:k] - np.sqrt(np.maximum(radius * radius - miss2[:k], 0.0)),
                          1.5 * (f + aperture ** 2 / (16.0 * f)))
        rays = np.column_stack([x[:k], px[:k], py[:k], px[:k] + length * rx[:k], py[:k] + length * ry[:k],
                                hit[:k].astype(float)])

    c_geo = geometric_concentration(aperture, receiver_diameter)
    return TraceResult(n_rays=n, n_hits=n_hits, intercept=gamma, intercept_se=se, geometric_concentration=c_geo,
                       effective_concentration=gamma * c_geo, flux_angle_deg=0.5 * (edges[1:] + edges[:-1]),
                       local_concentration=lcr, rays=rays)
