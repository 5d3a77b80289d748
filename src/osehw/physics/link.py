"""Point-to-point radio link: path loss, received level, fade margin, rain fade and the Fresnel clearance
that sets a tower's height.

Pure functions, numbers in and numbers out. Distances along the path are in km and heights in m, as the
ITU-R recommendations write them (the names say so); frequencies carry their unit in the name.

Sources:
- ITU-R P.525-4 §2.2: free-space basic transmission loss.
- ITU-R P.530-17 §2.2.2 (Fresnel ellipsoid) and §2.4.1 (rain attenuation over a terrestrial path).
- ITU-R P.838-3 (03/2005): specific attenuation of rain, γR = k·R^α, with the coefficients of its
  Tables 1–4 (reproduced below).
- Earth bulge with the effective-earth-radius factor k (ITU-R P.453/P.530 §2.2.1; k = 4/3 the standard
  atmosphere): h = d1·d2 / (12.74·k) [m, km].
- Parabolic antenna gain G = η·(π·D/λ)² and half-power beamwidth ≈ 70·λ/D [deg] (Balanis, *Antenna
  Theory*, 4th ed., §15.4; the 70 λ/D rule for a tapered aperture).

The ITU-R `itur` Python package implements the same P.838/P.530 formulas; it is not a dependency because
its 0.4.0 wheel is 163 MB (world climate maps; measured with ``pip download itur --no-deps``, 2026-11) and
it pulls astropy and pyproj, while a hop here only needs its rain rate R0.01, given by the user. The coefficients are therefore written out here with their
table numbers; tests compare them with the values P.838-3 tabulates.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

SPEED_OF_LIGHT_M_S = 299_792_458.0
STANDARD_K = 4.0 / 3.0  # effective-earth-radius factor of the standard atmosphere (ITU-R P.453)


def free_space_loss_db(distance_km: float, frequency_mhz: float) -> float:
    """FSPL [dB] = 32.44 + 20·log10(f [MHz]) + 20·log10(d [km]) (ITU-R P.525-4 eq. 6)."""
    return 32.44 + 20.0 * math.log10(frequency_mhz) + 20.0 * math.log10(distance_km)


def wavelength_m(frequency_ghz: float) -> float:
    return SPEED_OF_LIGHT_M_S / (frequency_ghz * 1e9)


def dish_gain_dbi(diameter_m: float, frequency_ghz: float, efficiency: float = 0.55) -> float:
    """G [dBi] = 10·log10(η·(π·D/λ)²): the gain of a parabolic aperture (Balanis §15.4); η ≈ 0.55."""
    return 10.0 * math.log10(efficiency * (math.pi * diameter_m / wavelength_m(frequency_ghz)) ** 2)


def dish_beamwidth_deg(diameter_m: float, frequency_ghz: float) -> float:
    """Half-power beamwidth ≈ 70·λ/D [deg] (Balanis §15.4, tapered circular aperture)."""
    return 70.0 * wavelength_m(frequency_ghz) / diameter_m


def received_level_dbm(tx_power_dbm: float, tx_gain_dbi: float, rx_gain_dbi: float, path_loss_db: float,
                       misc_loss_db: float = 0.0) -> float:
    """Prx = Ptx + Gtx + Grx − path loss − cable and connector losses [dBm] (the link budget)."""
    return tx_power_dbm + tx_gain_dbi + rx_gain_dbi - path_loss_db - misc_loss_db


def fade_margins_db(received_dbm: float, sensitivity_dbm: Mapping[str, float]) -> dict[str, float]:
    """Fade margin per modulation: received level − the receiver's sensitivity at that modulation [dB]."""
    return {mod: received_dbm - sens for mod, sens in sensitivity_dbm.items()}


def fresnel_radius_m(d1_km: float, d2_km: float, frequency_ghz: float, zone: int = 1) -> float:
    """Radius of the n-th Fresnel ellipsoid at a point d1, d2 from the ends:
    r_n = 17.32·√(n·d1·d2 / (f [GHz]·d)) [m] (ITU-R P.530-17 eq. 2 for n = 1; r_n = √n·r1)."""
    d = d1_km + d2_km
    return 17.32 * math.sqrt(zone * d1_km * d2_km / (frequency_ghz * d))


def earth_bulge_m(d1_km: float, d2_km: float, k: float = STANDARD_K) -> float:
    """Height of the earth's curvature above the chord between the ends: h = d1·d2 / (12.74·k) [m]
    (12.74 = 2·6371 km / 1000; ITU-R P.530 §2.2.1 with effective radius k·a)."""
    return d1_km * d2_km / (12.74 * k)


def path_profile(distance_km: float, frequency_ghz: float, clutter_m: float, k: float = STANDARD_K,
                 clearance: float = 0.6, points: int = 101) -> list[dict[str, float]]:
    """Along the path (evenly spaced, both ends included): earth bulge, bulge + clutter, first-Fresnel
    radius and the height the line of sight needs there (bulge + clutter + clearance·r1) [m]."""
    rows = []
    for i in range(points):
        d1 = distance_km * i / (points - 1)
        d2 = distance_km - d1
        bulge = earth_bulge_m(d1, d2, k)
        r1 = fresnel_radius_m(d1, d2, frequency_ghz)
        rows.append({"d_km": d1, "bulge_m": bulge, "obstacle_m": bulge + clutter_m, "fresnel_r1_m": r1,
                     "needed_m": bulge + clutter_m + clearance * r1})
    return rows


def antenna_height_m(distance_km: float, frequency_ghz: float, clutter_m: float, k: float = STANDARD_K,
                     clearance: float = 0.6) -> float:
    """Antenna height above ground, the same at both ends, that keeps ``clearance``·F1 clear of earth bulge
    plus clutter everywhere along the path (the rule of ITU-R P.530-17 §2.2.2.1: 0.6·F1 at k = 4/3 for a
    single obstacle-free path). With equal ends the line of sight is level with the chord, and bulge and
    r1 both peak at mid-path, so the answer is the midpoint's need."""
    half = distance_km / 2.0
    return earth_bulge_m(half, half, k) + clutter_m + clearance * fresnel_radius_m(half, half, frequency_ghz)


# ITU-R P.838-3, Tables 1–4: log10 k = Σ a_j·exp(−((log10 f − b_j)/c_j)²) + m_k·log10 f + c_k, and the same
# form (without the log10 on the left) for α. Rows are (a_j, b_j, c_j); then (m, c).
_P838 = {
    "k_h": (((-5.33980, -0.10008, 1.13098), (-0.35351, 1.26970, 0.45400), (-0.23789, 0.86036, 0.15354),
             (-0.94158, 0.64552, 0.16817)), (-0.18961, 0.71147)),
    "k_v": (((-3.80595, 0.56934, 0.81061), (-3.44965, -0.22911, 0.51059), (-0.39902, 0.73042, 0.11899),
             (0.50167, 1.07319, 0.27195)), (-0.16398, 0.63297)),
    "alpha_h": (((-0.14318, 1.82442, -0.55187), (0.29591, 0.77564, 0.19822), (0.32177, 0.63773, 0.13164),
                 (-5.37610, -0.96230, 1.47828), (16.1721, -3.29980, 3.43990)), (0.67849, -1.95537)),
    "alpha_v": (((-0.07771, 2.33840, -0.76284), (0.56727, 0.95545, 0.54039), (-0.20238, 1.14520, 0.26809),
                 (-48.2991, 0.791669, 0.116226), (48.5833, 0.791459, 0.116479)), (-0.053739, 0.83433)),
}


def _p838_fit(name: str, frequency_ghz: float) -> float:
    rows, (m, c) = _P838[name]
    x = math.log10(frequency_ghz)
    return sum(a * math.exp(-(((x - b) / cc) ** 2)) for a, b, cc in rows) + m * x + c


def rain_coefficients(frequency_ghz: float, polarization: str = "vertical",
                      elevation_deg: float = 0.0) -> tuple[float, float]:
    """(k, α) of ITU-R P.838-3 for a linear polarization ("horizontal" τ = 0°, "vertical" τ = 90°) on a path
    at ``elevation_deg``: k = [kH + kV + (kH − kV)·cos²θ·cos2τ]/2, α = [kH·αH + kV·αV + (kH·αH −
    kV·αV)·cos²θ·cos2τ]/(2k) (P.838-3 eqs. 4 and 5). Valid 1–1000 GHz."""
    if not 1.0 <= frequency_ghz <= 1000.0:
        raise ValueError(f"frequency {frequency_ghz} GHz outside ITU-R P.838-3's 1-1000 GHz")
    tau = {"horizontal": 0.0, "vertical": 90.0}[polarization]
    k_h, k_v = 10 ** _p838_fit("k_h", frequency_ghz), 10 ** _p838_fit("k_v", frequency_ghz)
    a_h, a_v = _p838_fit("alpha_h", frequency_ghz), _p838_fit("alpha_v", frequency_ghz)
    tilt = math.cos(math.radians(elevation_deg)) ** 2 * math.cos(math.radians(2 * tau))
    k = (k_h + k_v + (k_h - k_v) * tilt) / 2
    alpha = (k_h * a_h + k_v * a_v + (k_h * a_h - k_v * a_v) * tilt) / (2 * k)
    return k, alpha


def rain_specific_attenuation_db_km(rain_rate_mm_h: float, frequency_ghz: float,
                                    polarization: str = "vertical") -> float:
    """γR = k·R^α [dB/km] (ITU-R P.838-3 eq. 1)."""
    k, alpha = rain_coefficients(frequency_ghz, polarization)
    return k * rain_rate_mm_h ** alpha


def rain_fade_db(distance_km: float, frequency_ghz: float, rain_rate_001_mm_h: float, availability_pct: float,
                 polarization: str = "vertical") -> float:
    """Rain attenuation exceeded for (100 − availability) % of the time on a terrestrial path
    (ITU-R P.530-17 §2.4.1):

    - step 2: γR from P.838-3 at R0.01, the rain rate exceeded 0.01 % of an average year [mm/h];
    - step 3: distance factor r = 1 / (0.477·d^0.633·R0.01^(0.073·α)·f^0.123 − 10.579·(1 − e^(−0.024·d))),
      at most 2.5;
    - step 4: A0.01 = γR·d·r;
    - step 6: Ap = A0.01·C1·p^−(C2 + C3·log10 p), with C0 = 0.12 below 10 GHz (else 0.12 + 0.4·log10((f/10)^0.8)),
      C1 = 0.07^C0·0.12^(1−C0), C2 = 0.855·C0 + 0.546·(1−C0), C3 = 0.139·C0 + 0.043·(1−C0);
      for p from 0.001 % to 1 %.
    """
    p = 100.0 - availability_pct
    if not 0.001 <= p <= 1.0:
        raise ValueError(f"availability {availability_pct} % outside ITU-R P.530's 99.0-99.999 %")
    if rain_rate_001_mm_h <= 0:
        return 0.0
    k, alpha = rain_coefficients(frequency_ghz, polarization)
    gamma = k * rain_rate_001_mm_h ** alpha
    d, f = distance_km, frequency_ghz
    r = 1.0 / (0.477 * d ** 0.633 * rain_rate_001_mm_h ** (0.073 * alpha) * f ** 0.123
               - 10.579 * (1 - math.exp(-0.024 * d)))
    r = min(r, 2.5)
    a001 = gamma * d * r
    c0 = 0.12 if f < 10.0 else 0.12 + 0.4 * math.log10((f / 10.0) ** 0.8)
    c1 = 0.07 ** c0 * 0.12 ** (1 - c0)
    c2 = 0.855 * c0 + 0.546 * (1 - c0)
    c3 = 0.139 * c0 + 0.043 * (1 - c0)
    return a001 * c1 * p ** -(c2 + c3 * math.log10(p))


def link_budget(*, distance_km: float, frequency_mhz: float, tx_power_dbm: float, tx_gain_dbi: float,
                rx_gain_dbi: float, sensitivity_dbm: Mapping[str, float], misc_loss_db: float = 0.0,
                rain_rate_001_mm_h: float = 0.0, availability_pct: float = 99.99,
                polarization: str = "vertical") -> dict[str, object]:
    """One hop's budget: path loss, received level, rain fade at the availability, and the fade margin per
    modulation left after rain (the margin in clear air minus the rain fade)."""
    fspl = free_space_loss_db(distance_km, frequency_mhz)
    prx = received_level_dbm(tx_power_dbm, tx_gain_dbi, rx_gain_dbi, fspl, misc_loss_db)
    rain = rain_fade_db(distance_km, frequency_mhz / 1000.0, rain_rate_001_mm_h, availability_pct, polarization)
    margins = fade_margins_db(prx, sensitivity_dbm)
    return {"fspl_db": fspl, "received_dbm": prx, "rain_fade_db": rain, "fade_margin_db": margins,
            "margin_after_rain_db": {mod: m - rain for mod, m in margins.items()}}


def best_modulation(margins_db: Mapping[str, float], required_db: float,
                    order: Sequence[str]) -> str | None:
    """The fastest modulation (last in ``order``, slowest first) whose margin is at least ``required_db``."""
    ok = [mod for mod in order if margins_db.get(mod, -math.inf) >= required_db]
    return ok[-1] if ok else None
