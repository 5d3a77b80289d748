"""A square concrete pad under a self-supporting tower: overturning, soil bearing and the pad's concrete and steel.

Pure functions in SI (m, kN, kPa, kN·m). The pad's top is at ground level and carries the tower's three legs; the
tower's factored base reactions give an axial load N, a moment M and a shear H at the pad's top.

Sources:
- Eccentric footing pressure (Bowles, *Foundation Analysis and Design*, 5th ed., §4-6): with N at eccentricity
  e = M/N on a square of side B, the whole base bears while e ≤ B/6 and q_max = N/B²·(1 + 6e/B); beyond,
  contact shrinks to a triangle 3·(B/2 − e) long and q_max = 2N / (3·B·(B/2 − e)).
- Resistance factor φs = 0.75 on soil and on the dead weight resisting overturning (TIA-222-H §9.4, LRFD).
- Unit weight of reinforced stone concrete 150 pcf = 23.6 kN/m³ (ASCE 7-16 Table C3.1-2).
- Minimum steel for temperature and shrinkage 0.0018·B·t each way, grade 60 bars (ACI 318-19 §24.4.3.2);
  steel 7850 kg/m³.
"""

from __future__ import annotations

import math

CONCRETE_KN_M3 = 23.6
STEEL_KG_M3 = 7850.0
PHI_SOIL = 0.75
MIN_STEEL_RATIO = 0.0018


def pad_weight_kn(side_m: float, thickness_m: float) -> float:
    return CONCRETE_KN_M3 * side_m * side_m * thickness_m


def bearing_pressure_kpa(axial_kn: float, moment_knm: float, side_m: float) -> float:
    """Largest soil pressure under a square pad (Bowles §4-6); infinite once the resultant leaves the base."""
    if axial_kn <= 0:
        return math.inf
    e = abs(moment_knm) / axial_kn
    if e <= side_m / 6:
        return axial_kn / side_m ** 2 * (1 + 6 * e / side_m)
    if e >= side_m / 2:
        return math.inf
    return 2 * axial_kn / (3 * side_m * (side_m / 2 - e))


def pad_checks(side_m: float, thickness_m: float, axial_kn: float, moment_knm: float, shear_kn: float,
               dead_factor: float, bearing_kpa: float) -> dict[str, float]:
    """Overturning and bearing ratios (≤ 1 holds) of a pad under factored tower reactions: the moment grows by
    the shear times the pad's thickness; N adds the pad's weight times the combination's dead-load factor
    (0.9 or 1.2); overturning about the pad's edge against
    φs × the restoring moment N·B/2; bearing against φs × the soil's nominal capacity."""
    n = axial_kn + dead_factor * pad_weight_kn(side_m, thickness_m)
    m = abs(moment_knm) + abs(shear_kn) * thickness_m
    overturning = m / (PHI_SOIL * n * side_m / 2) if n > 0 else math.inf
    q = bearing_pressure_kpa(n, m, side_m)
    return {"overturning_ratio": overturning, "bearing_ratio": q / (PHI_SOIL * bearing_kpa),
            "bearing_kpa": q, "axial_kn": n, "moment_knm": m}


def size_pad(load_cases: list[tuple[float, float, float, float]], thickness_m: float, bearing_kpa: float,
             step_m: float = 0.1, largest_m: float = 20.0) -> dict[str, float]:
    """The smallest square pad (sides in ``step_m``) whose overturning and bearing ratios stay ≤ 1 for every
    (axial kN, moment kN·m, shear kN, dead-load factor) case; its concrete [m³] and minimum steel [kg]."""
    side = step_m
    while side <= largest_m + 1e-9:
        worst = [pad_checks(side, thickness_m, *case, bearing_kpa) for case in load_cases]
        if all(w["overturning_ratio"] <= 1 and w["bearing_ratio"] <= 1 for w in worst):
            steel_m3 = 2 * MIN_STEEL_RATIO * side * thickness_m * side  # both ways across the pad
            return {"side_m": round(side, 3), "thickness_m": thickness_m,
                    "concrete_m3": round(side * side * thickness_m, 3), "steel_kg": round(steel_m3 * STEEL_KG_M3, 1),
                    "overturning_ratio": max(w["overturning_ratio"] for w in worst),
                    "bearing_ratio": max(w["bearing_ratio"] for w in worst)}
        side = round(side + step_m, 6)
    raise ValueError(f"no square pad up to {largest_m} m holds these loads")
