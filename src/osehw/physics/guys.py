"""Guys of a guyed mast: the strand's equivalent (sag-corrected) stiffness, its design strength and the concrete
deadman that holds an anchor down.

Units: N, mm, MPa, except where a name says otherwise (kN, m, m³).

Sources:
- Equivalent modulus of a sagging cable (Ernst, 1965; Gimsing & Georgakis, *Cable Supported Bridges*, 3rd ed.,
  §2.2): E_eq = E / (1 + (w·l)²·A·E / (12·T³)), w the weight per length, l the horizontal span, T the tension.
- Initial tension 10 % of the breaking strength: the customary value for guyed towers (T. Hedberg, "Guy cable
  myths lead to safety issues", NATE Tower Times, Feb. 2005, tabulates "10 % at 60 degrees"; TIA-222 takes
  10 % as its default initial tension unless the design says otherwise).
- Design strength of a guy φ·Tb with φ = 0.60 on the published minimum breaking strength Tb (TIA-222-G/H
  §4.9.7, the resistance factor for guy strand; not checked here against the standard's text, which is not
  public — the allowable-stress EIA-222-E it replaced used Tb / 2.0, a similar margin over unfactored loads).
- A deadman anchor's uplift is resisted by the concrete's weight alone (the soil above it ignored, on the safe
  side) with φs = 0.75 (TIA-222-H §9.4), reinforced concrete 23.6 kN/m³ (ASCE 7-16 Table C3.1-2).
"""

from __future__ import annotations

PHI_GUY = 0.60
INITIAL_TENSION_SHARE = 0.10
PHI_DEADMAN = 0.75
CONCRETE_KN_M3 = 23.6


def equivalent_modulus_mpa(e_mpa: float, area_mm2: float, weight_n_per_mm: float, span_mm: float,
                           tension_n: float) -> float:
    """Ernst's equivalent modulus of a cable of horizontal span ``span_mm`` hanging at ``tension_n`` [MPa]."""
    sag = (weight_n_per_mm * span_mm) ** 2
    if sag == 0:
        return e_mpa
    if tension_n <= 0:
        return 0.0
    return e_mpa / (1 + sag * area_mm2 * e_mpa / (12 * tension_n ** 3))


def guy_design_strength_n(breaking_strength_n: float) -> float:
    """φ·Tb [N], φ = 0.60 (TIA-222-G/H §4.9.7)."""
    return PHI_GUY * breaking_strength_n


def deadman_volume_m3(uplift_kn: float) -> float:
    """Concrete [m³] whose weight, times φs = 0.75, holds ``uplift_kn`` down."""
    return max(0.0, uplift_kn) / (PHI_DEADMAN * CONCRETE_KN_M3)
