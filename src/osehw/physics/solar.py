"""Hourly DC power of a fixed PV array: sun position, plane-of-array irradiance, cell temperature and
the PVWatts DC model, with every loss stated.

Steps (pvlib functions, each the published model it names):
- sun position: ``pvlib.solarposition.get_solarposition`` (NREL SPA, Reda & Andreas 2004);
- plane of array: ``pvlib.irradiance.get_total_irradiance`` with the Perez 1990 sky model (the one
  PVWatts v5+ uses, Dobos 2014, NREL/TP-6A20-62641), ground albedo 0.2;
- reflection off the glass: ``pvlib.iam.physical`` on the beam (De Soto et al. 2006; PVWatts v5 applies
  a glass-cover model of this kind);
- cell temperature: SAPM, open rack glass/polymer (King et al. 2004, SAND2004-3535);
- DC power: ``pvlib.pvsystem.pvwatts_dc``: P = P0 · G/1000 · (1 + γ (T_cell − 25)) (Dobos 2014);
- system losses: ``pvlib.pvsystem.pvwatts_losses`` with the values in :data:`OFF_GRID_LOSSES_PCT`,
  not PVWatts' grid-tie defaults (14.08 %, which include 3 % availability and 1.5 % light-induced
  degradation of a utility plant), unless asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

ALBEDO = 0.2  # open ground (PVWatts default)

# Off-grid DC array into an MPPT charge controller [%], in pvlib.pvsystem.pvwatts_losses' terms.
# Each is PVWatts' own default (the PVWatts calculator's loss table, pvlib's pvwatts_losses defaults)
# unless the note says why it differs.
OFF_GRID_LOSSES_PCT: dict[str, float] = {
    "soiling": 2.0,
    "shading": 0.0,  # a rack on open ground or a tower side, sited clear of shade
    "snow": 0.0,  # tilted at latitude or steeper, snow slides; the worst weeks are cloud, not snow
    "mismatch": 2.0,
    "wiring": 2.0,
    "connections": 0.5,
    "lid": 1.5,  # light-induced degradation
    "nameplate_rating": 1.0,
    "age": 0.0,  # year-one yield
    "availability": 0.0,  # no grid outages or inverter trips off-grid
}
# PVWatts' own defaults: 14.08 % in all (Dobos 2014; pvlib.pvsystem.pvwatts_losses), for comparing with PVWatts.
PVWATTS_DEFAULT_LOSSES_PCT: dict[str, float] = {
    "soiling": 2.0, "shading": 3.0, "snow": 0.0, "mismatch": 2.0, "wiring": 2.0, "connections": 0.5,
    "lid": 1.5, "nameplate_rating": 1.0, "age": 0.0, "availability": 3.0}
GAMMA_PDC = -0.0037  # PVWatts "standard" module temperature coefficient of power [1/K] (Dobos 2014)
PVWATTS_INVERTER_EFFICIENCY = 0.96  # PVWatts nominal inverter efficiency (Dobos 2014)


def total_loss_fraction(losses_pct: Mapping[str, float]) -> float:
    """The combined loss [0-1]: 1 − Π(1 − l_i/100) (pvlib.pvsystem.pvwatts_losses, Dobos 2014)."""
    import pvlib

    return float(pvlib.pvsystem.pvwatts_losses(**losses_pct)) / 100.0


@dataclass(frozen=True)
class ArrayYear:
    """One year of a 1 kWp array: ``dc_w_per_kwp`` [W per kWp] after the stated losses; ``poa`` [W/m²]
    plane-of-array irradiance; ``cell_c`` [°C]; ``loss_fraction`` [0-1] applied."""

    dc_w_per_kwp: np.ndarray
    poa: np.ndarray
    cell_c: np.ndarray
    loss_fraction: float


def array_year(weather: pd.DataFrame, latitude: float, longitude: float, elevation_m: float, tilt: float,
               azimuth: float = 180.0, gamma_pdc: float = GAMMA_PDC,
               losses_pct: Mapping[str, float] = OFF_GRID_LOSSES_PCT) -> ArrayYear:
    """Hourly DC output per kWp of a fixed array at ``tilt`` [deg] facing ``azimuth`` [deg, 180 = south]
    under ``weather`` (osehw.core.weather columns, index at the middle of each hour)."""
    import pvlib

    sun = pvlib.solarposition.get_solarposition(weather.index, latitude, longitude, altitude=elevation_m)
    dni_extra = pvlib.irradiance.get_extra_radiation(weather.index)
    airmass = pvlib.atmosphere.get_relative_airmass(sun["apparent_zenith"])
    sky = pvlib.irradiance.get_total_irradiance(tilt, azimuth, sun["apparent_zenith"], sun["azimuth"],
                                                weather["dni"], weather["ghi"], weather["dhi"],
                                                dni_extra=dni_extra, airmass=airmass, albedo=ALBEDO,
                                                model="perez")
    aoi = pvlib.irradiance.aoi(tilt, azimuth, sun["apparent_zenith"], sun["azimuth"])
    beam = sky["poa_direct"].clip(lower=0) * pvlib.iam.physical(aoi)
    diffuse = (sky["poa_diffuse"]).clip(lower=0)
    effective = (beam + diffuse).fillna(0.0)
    poa = sky["poa_global"].clip(lower=0).fillna(0.0)
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
    cell = pvlib.temperature.sapm_cell(poa, weather["temp_air"], weather["wind_speed"], **params)
    dc = pvlib.pvsystem.pvwatts_dc(effective, cell, 1000.0, gamma_pdc)
    loss = total_loss_fraction(losses_pct)
    dc_w = np.clip(np.asarray(dc, dtype=float), 0.0, None) * (1.0 - loss)
    return ArrayYear(dc_w, poa.to_numpy(dtype=float), np.asarray(cell, dtype=float), loss)


def monthly_sums(hourly: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Twelve monthly sums of an hourly series (``months`` 1-12 per hour)."""
    return np.bincount(months - 1, weights=hourly, minlength=12)[:12]
