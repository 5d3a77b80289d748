"""Geometry of a parabolic trough's cross-section: the parabola, its rim angle, the mirror's arc
length, the rib edge (the parabola offset by the mirror's thickness) and the concentration ratio.

Frame: the vertex at the origin, y up the optical axis, the focus at (0, f). Units mm, angles in
degrees unless the name says mrad or rad.

Sources:
- parabola, rim angle, rim radius: Duffie & Beckman, *Solar Engineering of Thermal Processes*,
  4th ed. (2013), §7.10 (cylindrical parabolic concentrators); Stine & Geyer, *Power From the Sun*
  (2001), ch. 8 (line-focus concentrators);
- arc length: the integral of √(1 + y'²); Stine & Geyer ch. 8 give it in the rim angle,
  s = (h_p/2)·[sec(ψ/2)·tan(ψ/2) + ln(sec(ψ/2) + tan(ψ/2))] with the latus rectum h_p = 4f;
- offset curve: the parallel curve at distance t along the unit normal (Farouki & Neff 1990,
  "Analytic properties of plane offset curves", CAGD 7:83–99 — the offset of a parabola is an
  algebraic curve of degree 6, not a parabola);
- concentration: C = A_aperture / A_receiver (Duffie & Beckman §7.2); for a tube of diameter d
  under a trough of aperture W, C = W/(π·d), and with d sized to the rim's sun cone,
  C = sin ψ / (π·sin θ_s) (Rabl 1976, "Comparison of solar concentrators", Solar Energy 18:93–111).
"""

from __future__ import annotations

import math

import numpy as np

SUN_HALF_ANGLE_MRAD = 4.65  # the sun's disc seen from the earth (Duffie & Beckman §7.2; Rabl 1985)


def parabola_y(x, focal_length: float):
    """y = x²/(4f) [mm] (Duffie & Beckman §7.10)."""
    return np.asarray(x, dtype=float) ** 2 / (4.0 * focal_length)


def slope(x, focal_length: float):
    """dy/dx = x/(2f) [-]."""
    return np.asarray(x, dtype=float) / (2.0 * focal_length)


def focal_length(aperture: float, rim_angle_deg: float) -> float:
    """f [mm] of a trough of aperture W [mm] and rim angle ψ: f = W / (4·tan(ψ/2)) (Duffie & Beckman
    §7.10)."""
    return aperture / (4.0 * math.tan(math.radians(rim_angle_deg) / 2.0))


def rim_angle_deg(aperture: float, focal_length: float) -> float:
    """ψ [deg] = 2·atan(W / (4f)), the inverse of :func:`focal_length`."""
    return math.degrees(2.0 * math.atan(aperture / (4.0 * focal_length)))


def focal_distance(x, focal_length: float):
    """Distance [mm] from the focus to the mirror at x: r = f + y = 2f/(1 + cos φ) (the parabola's
    focus–directrix property; Duffie & Beckman §7.10, r_rim at the rim)."""
    return focal_length + parabola_y(x, focal_length)


def rim_radius(aperture: float, focal_length: float) -> float:
    """r_rim [mm] = 2f/(1 + cos ψ), the focal distance of the rim (Duffie & Beckman §7.10)."""
    psi = math.radians(rim_angle_deg(aperture, focal_length))
    return 2.0 * focal_length / (1.0 + math.cos(psi))


def arc_length_from_vertex(x, focal_length: float):
    """Arc length [mm] from the vertex to x (signed): s(x) = (x/2)·√(1+m²) + f·asinh(m), m = x/(2f).

    ∫₀ˣ √(1 + (u/2f)²) du with u = 2f·sinh τ (equal to Stine & Geyer's form in the rim
    angle, see the module docstring)."""
    x = np.asarray(x, dtype=float)
    m = slope(x, focal_length)
    return x / 2.0 * np.sqrt(1.0 + m * m) + focal_length * np.arcsinh(m)


def arc_length(aperture: float, focal_length: float) -> float:
    """The mirror's width [mm] across the aperture, from −W/2 to +W/2: 2·s(W/2)."""
    return float(2.0 * arc_length_from_vertex(aperture / 2.0, focal_length))


def offset_curve(x, focal_length: float, thickness: float):
    """The rib edge under a mirror sheet of thickness t [mm] lying on the parabola: each point moved
    by t along the unit normal away from the focus,

        (X, Y) = (x + t·m/√(1+m²),  x²/(4f) − t/√(1+m²)),  m = x/(2f)

    (the parallel curve, Farouki & Neff 1990). It is not a parabola: its curvature
    is κ/(1 + tκ) of the parabola's κ at the matching point. Returns (X, Y) arrays."""
    x = np.asarray(x, dtype=float)
    m = slope(x, focal_length)
    g = 1.0 / np.sqrt(1.0 + m * m)
    return x + thickness * m * g, parabola_y(x, focal_length) - thickness * g


def receiver_diameter_for_rim(aperture: float, focal_length: float,
                              half_angle_mrad: float = SUN_HALF_ANGLE_MRAD) -> float:
    """The tube diameter [mm] that catches the whole sun cone reflected from the rim:
    d = 2·r_rim·sin(θ) (Duffie & Beckman §7.10). ``half_angle_mrad`` is the sun's
    half-angle, plus the error budget (slope, tracking) when the caller adds one."""
    return 2.0 * rim_radius(aperture, focal_length) * math.sin(half_angle_mrad * 1e-3)


def geometric_concentration(aperture: float, receiver_diameter: float) -> float:
    """C = W/(π·d): aperture over the tube's circumference, per unit length (Duffie & Beckman §7.2,
    C = A_a/A_r with a cylindrical absorber)."""
    return aperture / (math.pi * receiver_diameter)


def rim_limited_concentration(rim_angle_deg_: float, half_angle_mrad: float = SUN_HALF_ANGLE_MRAD) -> float:
    """C = sin ψ / (π·sin θ_s), the concentration of a trough whose tube just catches the rim's sun
    cone (Rabl 1976); at ψ = 90° its maximum, 1/(π·sin θ_s) ≈ 68.5 for the 4.65 mrad sun."""
    return math.sin(math.radians(rim_angle_deg_)) / (math.pi * math.sin(half_angle_mrad * 1e-3))


def distance_to_offset_curve(px, py, focal_length: float, thickness: float):
    """Signed distance [mm] of points (px, py) on the far side of the mirror from the true rib edge:
    |P − foot| − t, with the foot the nearest point of the parabola (positive = further from the
    mirror than the true edge: the rib is cut low; negative = the rib stands proud).

    The foot u solves d/du[(u − px)² + (u²/4f − py)²] = 0, the cubic u³/(8f²) + u·(1 − py/(2f)) − px = 0,
    monotonic (one root) for py < 2f; solved by Newton from u = px. Exact for |distance| below the
    parabola's radius of curvature (≥ 2f), where the offset is the parallel curve (Farouki & Neff 1990)."""
    px = np.asarray(px, dtype=float)
    py = np.asarray(py, dtype=float)
    f = focal_length
    if np.any(py >= 2.0 * f):
        raise ValueError("points must lie below y = 2f (the rib side of the mirror)")
    a, b = 1.0 / (8.0 * f * f), 1.0 - py / (2.0 * f)
    u = px.copy()
    for _ in range(50):
        step = (a * u ** 3 + b * u - px) / (3.0 * a * u * u + b)
        u = u - step
        if np.all(np.abs(step) < 1e-12 * (1.0 + np.abs(u))):
            break
    dist = np.hypot(px - u, py - u * u / (4.0 * f))
    below = py < u * u / (4.0 * f)
    return np.where(below, dist, -dist) - thickness
