"""Candidate links between neighbouring sites and each link's physics: length, azimuths, the antenna height
that keeps 60 % of the first Fresnel zone clear of earth bulge and clutter, the rain fade and the fade margin
with the plan's radio and dishes (physics/link.py).

Without terrain data a link's clearance counts only the earth's bulge (k = 4/3) and a clutter height over the
whole path: it says how tall towers must be on flat, uniformly wooded or built-up land, not whether a hill or a
ridge blocks a particular path (that needs the terrain profile, a DEM).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from osehw.physics import link as phys

EARTH_RADIUS_KM = 6371.0088  # IUGG mean earth radius R1 (Moritz 2000, "Geodetic Reference System 1980", Table)

LINK_COLUMNS = ["a", "b", "distance_km", "azimuth_ab_deg", "azimuth_ba_deg", "clutter_m", "rain_rate_mm_h",
                "antenna_height_m", "fspl_db", "received_dbm", "rain_fade_db", "margin_db", "modulation"]


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance d = 2R·asin(√(sin²(Δφ/2) + cos φ1·cos φ2·sin²(Δλ/2))) (Sinnott 1984, "Virtues
    of the haversine", Sky & Telescope 68(2):159), on the mean sphere."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def initial_bearing_deg(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Azimuth at point 1 towards point 2, clockwise from true north, 0-360°: θ = atan2(sin Δλ·cos φ2,
    cos φ1·sin φ2 − sin φ1·cos φ2·cos Δλ) (the great-circle initial course; Snyder 1987, USGS PP 1395, eq. 5-4b)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    theta = np.arctan2(np.sin(dl) * np.cos(p2), np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl))
    return np.mod(np.degrees(theta), 360.0)


@dataclass(frozen=True)
class Radio:
    """What every link carries: the radio, its dishes and the budget's rules (plain numbers, picklable)."""

    frequency_ghz: float
    tx_power_dbm: float
    gain_dbi: float
    sensitivity_dbm: tuple[tuple[str, float], ...]  # slowest modulation first
    misc_loss_db: float
    required_margin_db: float
    availability_pct: float
    k_factor: float
    fresnel_clearance: float


def link_rows(pairs: pd.DataFrame, radio: Radio) -> pd.DataFrame:
    """Each pair (columns a, b, lat_a, lon_a, lat_b, lon_b, clutter_m, rain_rate_mm_h) as a link row."""
    d = haversine_km(pairs.lat_a.to_numpy(), pairs.lon_a.to_numpy(), pairs.lat_b.to_numpy(), pairs.lon_b.to_numpy())
    az_ab = initial_bearing_deg(pairs.lat_a.to_numpy(), pairs.lon_a.to_numpy(), pairs.lat_b.to_numpy(),
                                pairs.lon_b.to_numpy())
    az_ba = initial_bearing_deg(pairs.lat_b.to_numpy(), pairs.lon_b.to_numpy(), pairs.lat_a.to_numpy(),
                                pairs.lon_a.to_numpy())
    sens = dict(radio.sensitivity_dbm)
    order = [m for m, _ in radio.sensitivity_dbm]
    height, fspl, prx, rain, margin, mod = [], [], [], [], [], []
    for dist, clutter, rate in zip(d, pairs.clutter_m.to_numpy(), pairs.rain_rate_mm_h.to_numpy()):
        height.append(phys.antenna_height_m(float(dist), radio.frequency_ghz, float(clutter), radio.k_factor,
                                            radio.fresnel_clearance))
        budget = phys.link_budget(distance_km=float(dist), frequency_mhz=radio.frequency_ghz * 1000.0,
                                  tx_power_dbm=radio.tx_power_dbm, tx_gain_dbi=radio.gain_dbi,
                                  rx_gain_dbi=radio.gain_dbi, sensitivity_dbm=sens, misc_loss_db=radio.misc_loss_db,
                                  rain_rate_001_mm_h=float(rate), availability_pct=radio.availability_pct)
        after = budget["margin_after_rain_db"]
        fspl.append(budget["fspl_db"])
        prx.append(budget["received_dbm"])
        rain.append(budget["rain_fade_db"])
        margin.append(after[order[0]])  # at the slowest (most robust) modulation
        mod.append(phys.best_modulation(after, radio.required_margin_db, order) or "")
    return pd.DataFrame({"a": pairs.a.to_numpy(), "b": pairs.b.to_numpy(), "distance_km": d,
                         "azimuth_ab_deg": az_ab, "azimuth_ba_deg": az_ba, "clutter_m": pairs.clutter_m.to_numpy(),
                         "rain_rate_mm_h": pairs.rain_rate_mm_h.to_numpy(), "antenna_height_m": height,
                         "fspl_db": fspl, "received_dbm": prx, "rain_fade_db": rain, "margin_db": margin,
                         "modulation": mod}, columns=LINK_COLUMNS)
