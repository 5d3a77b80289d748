"""Bolted connections of aluminium members (LRFD): bolt shear, bearing on the connected parts, net-section rupture.

Forces in N, lengths in mm, stresses in MPa.

Sources:
- Bolt shear per shear plane: Fv,Rd = αv·fub·As/γM2 (EN 1993-1-8 Table 3.4; stainless bolts by EN 1993-1-4 §6.2),
  with αv = 0.5 (the conservative value, for bolts of high ultimate-to-yield ratio), γM2 = 1.25; A2-70 bolts
  fub = 700 MPa (ISO 3506-1); tensile stress area of M8 36.6 mm², M10 58.0 mm², M12 84.3 mm² (ISO 898-1 Table 4).
- Bearing on an aluminium part: Rn = 2·Fu·D·t for an edge distance ≥ 2·D, φ = 0.75 (ADM 2015 J.3.7).
- Net-section rupture in tension: φ·Fu·An, φ = 0.75, An the area less the holes (ADM 2015 D.2).
"""

from __future__ import annotations

STRESS_AREA_MM2 = {8.0: 36.6, 10.0: 58.0, 12.0: 84.3}  # ISO 898-1 Table 4
BOLT_FUB = 700.0  # A2-70 stainless, ISO 3506-1 [MPa]
ALPHA_V = 0.5
GAMMA_M2 = 1.25
PHI_BEARING = 0.75
PHI_RUPTURE = 0.75


def bolt_shear_n(diameter: float, planes: int = 1) -> float:
    """Design shear strength of one bolt over ``planes`` shear planes [N] (EN 1993-1-8 Table 3.4)."""
    return planes * ALPHA_V * BOLT_FUB * STRESS_AREA_MM2[diameter] / GAMMA_M2


def bearing_n(ftu: float, diameter: float, thickness: float) -> float:
    """Design bearing strength of one bolt on one aluminium ply [N]: φ·2·Fu·D·t (ADM J.3.7, edge ≥ 2·D)."""
    return PHI_BEARING * 2 * ftu * diameter * thickness


def net_rupture_n(ftu: float, gross_area: float, hole: float, thickness: float, holes_across: int) -> float:
    """Design tension rupture of a member across a row of holes [N]: φ·Fu·(A − n·d_hole·t) (ADM D.2)."""
    return PHI_RUPTURE * ftu * (gross_area - holes_across * hole * thickness)
