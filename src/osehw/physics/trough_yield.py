"""A single-axis tracking parabolic trough's hourly useful heat: the beam on the aperture, the
incidence-angle modifier, the end loss, the optical efficiency and the receiver's heat loss.

    Q_useful = max(0, DNI·cos θ·K(θ)·η_end(θ)·ρ·τ·α·γ·A_ap − U·π·d·L·(T_r − T_a))

Sources:
- incidence angle θ of a single-axis tracker: ``pvlib.tracking.singleaxis`` (Lorenzo et al. 2011, "Tracking
  and back-tracking", Prog. Photovolt. 19:747–753; Marion & Dobos 2013, NREL/TP-6A20-58891), without
  backtracking (one trough, no neighbour to shade);
- incidence-angle modifier K(θ) = 1 + 0.000884·θ/cos θ − 0.00005369·θ²/cos θ (θ in degrees), the LS-2
  collector's measured fit (Dudley et al. 1994, *SEGS LS-2 Solar Collector — Test Results*,
  SAND94-1884, eq. for K with the cosine divided out; the same coefficients, 0.0506 and −0.1763 per rad,
  are SAM's physical-trough defaults for the LS-2);
- end loss of a trough with no neighbour in line: η_end = 1 − f_avg·tan θ / L, f_avg = f·(1 + W²/(48 f²)),
  the mean distance from mirror to focus (Gaul & Rabl 1980, "Incidence-angle modifier and average optical
  efficiency of parabolic trough collectors", J. Sol. Energy Eng. 102:16–21; Lippke 1995, SAND95-1293);
- optical efficiency ρ·τ·α·γ: reflectance × envelope transmittance × absorptance × intercept factor
  (Duffie & Beckman, *Solar Engineering of Thermal Processes*, 4th ed., §7.6 and §7.10);
- receiver heat loss of a bare tube at T_r: U = h_rad + h_conv on the tube's outside area π·d·L, with
  h_rad = ε·σ·(T_r² + T_s²)·(T_r + T_s) to a sky taken at the air temperature (Duffie & Beckman §3.10, the
  linearised radiation coefficient; an overestimate of the sky's temperature, so the loss is low by
  ~10 % at night-time sky depressions) and h_conv the larger of forced convection across a cylinder,
  Nu = 0.40 + 0.54·Re^0.52 (0.1 < Re < 1000) or 0.30·Re^0.6 (1000 ≤ Re < 50,000) (Duffie & Beckman
  §3.15, eqs. 3.15.5–3.15.6), and natural convection from a horizontal cylinder, Churchill & Chu 1975
  (Incropera & DeWitt, *Fundamentals of Heat and Mass Transfer*, 6th ed., eq. 9.34); air properties at
  a 60 °C film (Incropera Table A.4);
- the heat is useful only while the receiver gains more than it loses (the pump stops otherwise).
"""

from __future__ import annotations

import numpy as np

STEFAN_BOLTZMANN = 5.670374e-8  # [W/m²K⁴] (CODATA 2018)
# air at a 60 °C film temperature (Incropera & DeWitt Table A.4, 333 K interpolated)
AIR_NU_M2_S = 1.89e-5  # kinematic viscosity
AIR_K_W_MK = 0.0288  # conductivity
AIR_PR = 0.703
AIR_ALPHA_M2_S = AIR_NU_M2_S / AIR_PR
GRAVITY = 9.80665  # [m/s²]
IAM_COEFFS = (0.000884, -0.00005369)  # LS-2, θ in degrees (Dudley et al. 1994, SAND94-1884)


def incidence_angle_modifier(theta_deg):
    """K(θ) [-], the LS-2 fit with the cosine divided out (Dudley et al. 1994); 0 at and beyond 90°."""
    theta = np.asarray(theta_deg, dtype=float)
    cos = np.cos(np.radians(np.minimum(theta, 89.9)))
    k = 1.0 + (IAM_COEFFS[0] * theta + IAM_COEFFS[1] * theta * theta) / cos
    return np.where(theta < 90.0, np.clip(k, 0.0, None), 0.0)


def end_loss_factor(theta_deg, focal_length: float, aperture: float, length: float):
    """η_end = 1 − f_avg·tan θ / L, f_avg = f·(1 + W²/(48 f²)) [mm] (Gaul & Rabl 1980): the share of the
    trough's length whose reflected light still lands on the tube; 0 when the shift exceeds the length."""
    theta = np.asarray(theta_deg, dtype=float)
    f_avg = focal_length * (1.0 + aperture * aperture / (48.0 * focal_length * focal_length))
    shift = f_avg * np.tan(np.radians(np.minimum(theta, 89.9)))
    return np.where(theta < 90.0, np.clip(1.0 - shift / length, 0.0, 1.0), 0.0)


def receiver_loss_coefficient(receiver_c, air_c, wind_m_s, diameter: float, emittance: float):
    """U [W/m²K] on the tube's outside area: linearised radiation + the larger of forced (Duffie & Beckman
    §3.15) and natural (Churchill & Chu 1975) convection; ``diameter`` [mm]."""
    tr = np.asarray(receiver_c, dtype=float) + 273.15
    ta = np.asarray(air_c, dtype=float) + 273.15
    h_rad = emittance * STEFAN_BOLTZMANN * (tr * tr + ta * ta) * (tr + ta)
    d_m = diameter / 1000.0
    re = np.maximum(np.asarray(wind_m_s, dtype=float), 0.0) * d_m / AIR_NU_M2_S
    nu_forced = np.where(re < 1000.0, 0.40 + 0.54 * re ** 0.52, 0.30 * re ** 0.6)
    ra = GRAVITY * (2.0 / (tr + ta)) * np.abs(tr - ta) * d_m ** 3 / (AIR_NU_M2_S * AIR_ALPHA_M2_S)
    nu_natural = (0.60 + 0.387 * ra ** (1.0 / 6.0) / (1.0 + (0.559 / AIR_PR) ** (9.0 / 16.0)) ** (8.0 / 27.0)) ** 2
    return h_rad + np.maximum(nu_forced, nu_natural) * AIR_K_W_MK / d_m


def hourly_heat(dni, incidence_deg, air_c, wind_m_s, *, aperture: float, focal_length: float, length: float,
                receiver_diameter: float, optical_efficiency: float, receiver_c: float, emittance: float,
                ) -> dict[str, np.ndarray]:
    """Hourly terms [W] of one trough: ``beam_w`` = DNI·cos θ·A (on the aperture), ``absorbed_w`` after the
    modifier, end loss and optical efficiency, ``loss_w`` the receiver's loss while the sun is up (the
    receiver is taken hot only while tracking), ``useful_w`` = max(0, absorbed − loss). ``incidence_deg``
    is NaN when the sun is down. Lengths in mm, DNI in W/m²."""
    theta = np.asarray(incidence_deg, dtype=float)
    up = np.isfinite(theta) & (theta < 90.0) & (np.asarray(dni, dtype=float) > 0.0)
    theta0 = np.where(up, theta, 90.0)
    area_m2 = aperture * length * 1e-6
    beam = np.where(up, np.asarray(dni, dtype=float) * np.cos(np.radians(theta0)), 0.0) * area_m2
    absorbed = (beam * incidence_angle_modifier(theta0) * end_loss_factor(theta0, focal_length, aperture, length)
                * optical_efficiency)
    u = receiver_loss_coefficient(receiver_c, air_c, wind_m_s, receiver_diameter, emittance)
    tube_m2 = np.pi * receiver_diameter * length * 1e-6
    loss = np.where(up, u * tube_m2 * (receiver_c - np.asarray(air_c, dtype=float)), 0.0)
    return {"beam_w": beam, "absorbed_w": absorbed, "loss_w": loss, "useful_w": np.maximum(absorbed - loss, 0.0),
            "u_w_m2k": u}
