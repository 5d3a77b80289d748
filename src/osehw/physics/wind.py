"""Wind on structures per ANSI/TIA-222-H (2017) §2.6: velocity pressure, gust effect, lattice force
coefficients and the effective projected area (EPA) of structures and appurtenances.

Pure functions in SI: heights in m, wind speeds in m/s (the basic 3-second gust speed V of TIA-222-H /
ASCE 7 — never a fastest-mile speed), pressures in Pa, areas in m². Written for lattice towers; the
velocity pressure and appurtenance EPA serve any structure (a PV rack is an appurtenance-like flat panel).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FT_PER_M = 1.0 / 0.3048


@dataclass(frozen=True)
class Exposure:
    """Terrain exposure constants of TIA-222-H Table 2-4 (SI): gradient height zg [m], power-law α, Kz,min,
    and the terrain constant Ke used in the topographic factor."""

    zg_m: float
    alpha: float
    kz_min: float
    ke_terrain: float


# TIA-222-H Table 2-4 (zg 1200 / 900 / 700 ft)
EXPOSURES = {
    "B": Exposure(zg_m=366.0, alpha=7.0, kz_min=0.70, ke_terrain=0.90),
    "C": Exposure(zg_m=274.0, alpha=9.5, kz_min=0.85, ke_terrain=1.00),
    "D": Exposure(zg_m=213.0, alpha=11.5, kz_min=1.03, ke_terrain=1.10),
}

# TIA-222-H Table 2-5: topographic category → (Kt, f); category 1 is flat (Kzt = 1).
TOPOGRAPHY = {2: (0.43, 1.25), 3: (0.53, 2.00), 4: (0.72, 1.50)}

# TIA-222-H Table 2-2: wind direction probability factor Kd
KD = {"lattice": 0.85, "tubular_pole": 0.95, "appurtenance": 0.95}


def kz(height_m: float, exposure: str) -> float:
    """Velocity pressure coefficient Kz = 2.01·(z/zg)^(2/α), Kz,min ≤ Kz ≤ 2.01 (TIA-222-H eq. 2.6.5.2)."""
    e = EXPOSURES[exposure]
    return min(2.01, max(e.kz_min, 2.01 * (max(height_m, 0.0) / e.zg_m) ** (2.0 / e.alpha)))


def kzt(height_m: float, exposure: str, category: int = 1, crest_height_m: float = 0.0) -> float:
    """Topographic factor Kzt = (1 + Ke·Kt/Kh)², Kh = e^(f·z/H) (TIA-222-H §2.6.6.2); 1 for category 1."""
    if category == 1:
        return 1.0
    if crest_height_m <= 0:
        raise ValueError(f"topographic category {category} needs a crest height above 0 m")
    kt, f = TOPOGRAPHY[category]
    kh = math.exp(f * height_m / crest_height_m)
    return (1.0 + EXPOSURES[exposure].ke_terrain * kt / kh) ** 2


def ke_elevation(ground_elevation_m: float) -> float:
    """Ground elevation factor Ke = e^(−0.0000362·zs), zs [ft] above sea level (TIA-222-H §2.6.8): thinner
    air pushes less. In metres the exponent is −0.0000362·3.2808 = −0.0001188 per m."""
    return math.exp(-0.0000362 * ground_elevation_m * FT_PER_M)


def velocity_pressure_pa(wind_speed_m_s: float, height_m: float, exposure: str, *, kd: float = KD["lattice"],
                         kzt_factor: float = 1.0, ground_elevation_m: float = 0.0) -> float:
    """qz = 0.613·Kz·Kzt·Ke·Kd·V² [Pa], V the basic 3-s gust speed [m/s] (TIA-222-H eq. 2.6.11.6; the
    US form is 0.00256·Kz·Kzt·Ke·Kd·V² psf with V in mph)."""
    return 0.613 * kz(height_m, exposure) * kzt_factor * ke_elevation(ground_elevation_m) * kd * wind_speed_m_s ** 2


def gust_factor(structure: str, height_m: float = 0.0) -> float:
    """Gust effect factor Gh (TIA-222-H §2.6.7): self-supporting lattice 0.85 + 0.15·(h/150 − 3), h [ft],
    kept within 0.85–1.0; guyed masts 0.85; appurtenances use the structure's Gh."""
    if structure == "guyed":
        return 0.85
    h_ft = height_m * FT_PER_M
    return min(1.0, max(0.85, 0.85 + 0.15 * (h_ft / 150.0 - 3.0)))


def solidity_ratio(projected_member_area_m2: float, gross_face_area_m2: float) -> float:
    """ε = member area projected on one face / gross area of that face (TIA-222-H §2.6.11.2)."""
    return projected_member_area_m2 / gross_face_area_m2


def force_coefficient(solidity: float, cross_section: str = "triangular") -> float:
    """Structure force coefficient CF (TIA-222-H eq. 2.6.11.2-1/2; ASCE 7 Fig. 29.4-3):
    triangular 3.4ε² − 4.7ε + 3.4, square 4.0ε² − 5.9ε + 4.0."""
    e = solidity
    if cross_section == "triangular":
        return 3.4 * e * e - 4.7 * e + 3.4
    if cross_section == "square":
        return 4.0 * e * e - 5.9 * e + 4.0
    raise ValueError(f"cross section {cross_section!r}: must be triangular or square")


def round_member_factor(solidity: float) -> float:
    """Rr = 0.51·ε² + 0.57 ≤ 1.0: round members draw less than flat ones (TIA-222-H §2.6.11.2,
    subcritical flow)."""
    return min(1.0, 0.51 * solidity ** 2 + 0.57)


def direction_factors(wind_to_face_deg: float, cross_section: str = "triangular",
                      solidity: float = 0.0) -> tuple[float, float]:
    """Wind direction factors (Df flat, Dr round) of TIA-222-H Table 2-6. A triangle repeats every 120° and
    is mirror-symmetric about a face normal, so 30° to a face is the same case as 90° (parallel to a
    face): triangular Df = 1.0 normal, 0.8 at 60°, 0.85 at 90°; Dr = 1.0 throughout. Square: 1.0 normal,
    1 + 0.75·ε (≤ 1.2) diagonal, for both."""
    if cross_section == "triangular":
        a = wind_to_face_deg % 120.0
        a = min(a, 120.0 - a)  # 0…60: 0 = normal, 60 = toward a leg from the opposite face
        df = {0.0: 1.0, 30.0: 0.85, 60.0: 0.80}
        return df[min(df, key=lambda x: abs(x - a))], 1.0
    diag = min(1.2, 1 + 0.75 * solidity)
    a = wind_to_face_deg % 90.0
    return (diag, diag) if abs(a - 45.0) < 22.5 else (1.0, 1.0)


def structure_epa_m2(flat_area_m2: float, round_area_m2: float, gross_face_area_m2: float, wind_to_face_deg: float,
                     cross_section: str = "triangular") -> float:
    """(EPA)s = CF·(Df·ΣAf + Dr·ΣAr·Rr) of one tower section (TIA-222-H eq. 2.6.11.2), areas projected on
    one face."""
    e = solidity_ratio(flat_area_m2 + round_area_m2, gross_face_area_m2)
    df, dr = direction_factors(wind_to_face_deg, cross_section, e)
    return force_coefficient(e, cross_section) * (df * flat_area_m2 + dr * round_area_m2 * round_member_factor(e))


def appurtenance_epa_m2(area_m2: float, ca: float, ka: float = 1.0) -> float:
    """EPA of an appurtenance = Ka·Ca·A (TIA-222-H §2.6.11.2); Ka ≤ 1 for shielding inside the tower face."""
    return ka * ca * area_m2


# TIA-222-H Table 2-8: force coefficient Ca of a flat appurtenance by aspect ratio (length/width):
# 1.2 up to 2.5, 1.4 at 7, 2.0 from 25, linear between.
FLAT_CA = ((2.5, 1.2), (7.0, 1.4), (25.0, 2.0))


def flat_plate_ca(aspect_ratio: float) -> float:
    """Ca of a flat member or panel of ``aspect_ratio`` = long side / short side (TIA-222-H Table 2-8)."""
    ar = max(aspect_ratio, 1.0 / aspect_ratio) if aspect_ratio > 0 else 1.0
    if ar <= FLAT_CA[0][0]:
        return FLAT_CA[0][1]
    for (a0, c0), (a1, c1) in zip(FLAT_CA, FLAT_CA[1:]):
        if ar <= a1:
            return c0 + (c1 - c0) * (ar - a0) / (a1 - a0)
    return FLAT_CA[-1][1]


def wind_force_n(pressure_pa: float, gust: float, epa_m2: float) -> float:
    """Design wind force F = qz·Gh·EPA [N] (TIA-222-H eq. 2.6.11-1)."""
    return pressure_pa * gust * epa_m2


def mph_to_m_s(mph: float) -> float:
    return mph * 0.44704


# Durst's gust-duration curve (ASCE 7-95 Commentary Fig. C6-1; ASCE 7-98 Fig. C6-4), ratio of the speed averaged
# over t seconds to the mean hourly speed, as read for non-hurricane winds in the worked example that converts an
# 80 mph fastest mile to a 3-s gust (C. Canitz, SEAINT list, 1998, after ASCE "Structural Columns"): 1.53 at 3 s,
# 1.28 at 45 s. Between and just beyond (3-100 s), log-linear in t.
DURST_READINGS = ((3.0, 1.53), (45.0, 1.28))


def durst_ratio(averaging_s: float) -> float:
    """V_t / V_3600 for an averaging time of 3-100 s (Durst curve, log-linear between its readings)."""
    if not 3.0 <= averaging_s <= 100.0:
        raise ValueError(f"averaging time {averaging_s:g} s outside the 3-100 s this fit covers")
    (t0, r0), (t1, r1) = DURST_READINGS
    return r0 + (r1 - r0) * math.log10(averaging_s / t0) / math.log10(t1 / t0)


def fastest_mile_to_3s_gust_mph(fastest_mile_mph: float) -> float:
    """The 3-s gust speed of a fastest-mile speed (EIA-222-F / ASCE 7-93 basis) [mph]: the fastest mile is
    averaged over t = 3600/V s, so V_3s = V_fm · r(3 s) / r(t) on Durst's curve (ASCE 7-98 §C6.5.4)."""
    return fastest_mile_mph * durst_ratio(3.0) / durst_ratio(3600.0 / fastest_mile_mph)
