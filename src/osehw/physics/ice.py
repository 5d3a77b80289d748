"""Atmospheric ice on tower members per ANSI/TIA-222-H (2017) §2.6.10 (design ice thickness) and ASCE 7-16
Chapter 10 (the same method, from which TIA-222 takes it): thickness escalating with height, the ice's area
and weight on a round member, and its wider projected diameter for the wind on ice.

Pure functions: lengths in mm (heights in m), weights in N. The map ice thickness ti is a 50-year radial glaze
thickness; TIA-222 multiplies it by 2.0 to reach the limit-state load (TIA-222-G §2.6.8, kept in TIA-222-H
§2.6.10; the TIA FAQ on TIA-222-G §2.6.8 explains the factor as the 50-year to limit-state conversion).
"""

from __future__ import annotations

import math

ICE_DENSITY_KG_M3 = 897.0  # 56 pcf × 16.0185 (TIA-222-H §2.6.10; ASCE 7-16 §10.4.1 minimum glaze density)
LIMIT_STATE_FACTOR = 2.0  # TIA-222-H §2.6.10 eq. for tiz
KIZ_MAX = 1.4  # TIA-222-H §2.6.10: Kiz ≤ 1.4
REFERENCE_HEIGHT_M = 33 * 0.3048  # 33 ft
G = 9.80665


def kiz(height_m: float) -> float:
    """Height escalation factor Kiz = (z/33 ft)^0.10 ≤ 1.4 (TIA-222-H §2.6.10; ASCE 7-16 §10.4.4 fz)."""
    return min(KIZ_MAX, (max(height_m, 0.0) / REFERENCE_HEIGHT_M) ** 0.10)


def design_ice_thickness_mm(map_thickness_mm: float, height_m: float, kzt: float = 1.0,
                            importance: float = 1.0) -> float:
    """tiz = 2.0·ti·Ii·Kiz·Kzt^0.35 [mm] at height z (TIA-222-H §2.6.10): ``importance`` Ii 1.0 for a class II
    structure (Table 2-3)."""
    if map_thickness_mm <= 0:
        return 0.0
    return LIMIT_STATE_FACTOR * map_thickness_mm * importance * kiz(height_m) * kzt ** 0.35


def ice_area_mm2(diameter: float, thickness: float) -> float:
    """Cross-section of radial ice of ``thickness`` on a round member of ``diameter`` [mm²]:
    Ai = π·t·(D + t) (ASCE 7-16 eq. 10.4-1)."""
    return math.pi * thickness * (diameter + thickness)


def ice_weight_n_per_m(diameter: float, thickness: float) -> float:
    """Weight of radial ice per metre of a round member [N/m] at 56 pcf."""
    return ice_area_mm2(diameter, thickness) * 1e-6 * ICE_DENSITY_KG_M3 * G


def iced_diameter(diameter: float, thickness: float) -> float:
    """Projected width of an iced round member for the wind on ice: D + 2·tiz (TIA-222-H §2.6.11.2)."""
    return diameter + 2 * thickness
