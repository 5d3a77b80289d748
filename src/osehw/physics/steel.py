"""Steel member strength per AISC 360-16 (LRFD) for round HSS and solid round bar: tension yield, flexural
buckling, plastic bending and the H1-1 interaction. Here to check reference steel towers (a ROHN 25G-like
section) with the same frame solver and loads as the aluminium ones; nothing in osehw is fabricated from steel.

Stresses in MPa, lengths in mm, forces in N.

Sources:
- AISC 360-16 D2(a): tension yielding φt·Fy·Ag, φt = 0.90.
- AISC 360-16 E3: Fe = π²E/(Lc/r)²; Fcr = 0.658^(Fy/Fe)·Fy for Lc/r ≤ 4.71·√(E/Fy), else 0.877·Fe; φc = 0.90.
  Round HSS nonslender for compression while D/t ≤ 0.11·E/Fy (Table B4.1a case 9).
- AISC 360-16 F8 (round HSS, compact while D/t ≤ 0.07·E/Fy) and F11 (solid round bar, Mn = Fy·Z ≤ 1.6·Fy·S):
  Mn = Fy·Z, φb = 0.90.
- AISC 360-16 H1-1: Pr/Pc ≥ 0.2 → Pr/Pc + 8/9·Mr/Mc, else Pr/(2·Pc) + Mr/Mc.
- E = 29,000 ksi (AISC 360-16 B2 / Table 2-4 of the Manual); ρ = 7850 kg/m³.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from osehw.physics.aluminium import KSI, TubeSection

PHI = 0.90


@dataclass(frozen=True)
class Steel:
    name: str
    fy: float  # [MPa]
    e: float  # [MPa]
    density_kg_m3: float = 7850.0


# ROHN 25G legs: 50 ksi tube (ROHN 25GSS drawing notes); the 5/16 in rod braces are taken at the same grade.
STEELS = {"steel-50ksi": Steel("steel-50ksi", 50 * KSI, 29_000 * KSI)}

# Reference sections (outside diameter, wall) [mm] of steel members no stock part is cut from: a solid bar is a
# tube whose wall is its radius.
SECTIONS = {
    "rohn25g-leg": (1.25 * 25.4, 0.065 * 25.4),  # 1-1/4 in OD × 0.065 in wall
    "rohn25g-rod": (0.3125 * 25.4, 0.3125 * 25.4 / 2),  # 5/16 in solid rod
}


def critical_stress(steel: Steel, slenderness: float) -> float:
    """Fcr [MPa] of AISC 360-16 E3 for Lc/r = ``slenderness``."""
    if slenderness <= 0:
        return steel.fy
    fe = math.pi ** 2 * steel.e / slenderness ** 2
    if slenderness <= 4.71 * math.sqrt(steel.e / steel.fy):
        return 0.658 ** (steel.fy / fe) * steel.fy
    return 0.877 * fe


def member_utilisation(steel: Steel, section: TubeSection, effective_length: float, axial_n: float,
                       moment_nmm: float = 0.0) -> dict[str, float | str]:
    """Utilisation of a round steel member (AISC 360-16 LRFD), ``axial_n`` positive in tension; the same keys as
    ``physics.aluminium.member_utilisation``."""
    solid = section.wall * 2 >= section.od - 1e-9
    if not solid and section.od / section.wall > 0.11 * steel.e / steel.fy:
        raise ValueError(f"round HSS D/t = {section.od / section.wall:.0f} is slender in compression (AISC 360-16 "
                         "Table B4.1a): not modelled")
    slenderness = effective_length / section.r
    if axial_n >= 0:
        p_cap = PHI * steel.fy * section.area
        mode = "tension yield"
    else:
        p_cap = PHI * critical_stress(steel, slenderness) * section.area
        mode = "column buckling"
    m_cap = PHI * steel.fy * (min(section.z, 1.6 * section.s) if solid else section.z)
    axial = abs(axial_n) / p_cap
    bending = abs(moment_nmm) / m_cap
    combined = axial + 8 / 9 * bending if axial >= 0.2 else axial / 2 + bending
    governing = mode if bending < 1e-3 * max(axial, 1e-12) else f"{mode} + bending"
    return {"utilisation": combined, "axial_ratio": axial, "bending_ratio": bending, "mode": governing,
            "slenderness": slenderness, "axial_capacity_n": p_cap, "moment_capacity_nmm": m_cap}
