"""Aluminium member strength per the Aluminum Design Manual (ADM 2015, Specification for Aluminum Structures,
LRFD): tension yield, column buckling with its inelastic range, local buckling of round tubes, and combined
axial force and bending.

Stresses in MPa, lengths in mm. The ADM writes its buckling constants in ksi; they are converted here
(1 ksi = 6.894757 MPa) so the published formulas keep their published numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

KSI = 6.894757  # MPa per ksi


@dataclass(frozen=True)
class Alloy:
    """Minimum mechanical properties of ADM Table A.3.4 (extrusions and pipe) [MPa]; ``*_welded`` the
    heat-affected-zone values within 1 in of a weld."""

    name: str
    ftu: float
    fty: float
    fcy: float
    e: float
    ftu_welded: float
    fty_welded: float
    tempered: bool = True  # T5–T9: ADM Table B.4.2 buckling constants


# ADM 2015 Table A.3.4: 6061-T6 Ftu 38, Fty 35, Fcy 35, welded 24/15 ksi; 6063-T6 30, 25, 25, welded 17/8 ksi;
# E = 10,100 ksi (Table A.3.1).
ALLOYS = {
    "6061-T6": Alloy("6061-T6", 38 * KSI, 35 * KSI, 35 * KSI, 10_100 * KSI, 24 * KSI, 15 * KSI),
    "6063-T6": Alloy("6063-T6", 30 * KSI, 25 * KSI, 25 * KSI, 10_100 * KSI, 17 * KSI, 8 * KSI),
}

PHI_YIELD = 0.90  # ADM 2015 D.2: tension yielding
PHI_RUPTURE = 0.75  # ADM 2015 D.2: tension rupture
PHI_COMPRESSION = 0.90  # ADM 2015 E.1
PHI_BENDING = 0.90  # ADM 2015 F.1


def column_constants(alloy: Alloy) -> tuple[float, float, float]:
    """(Bc [MPa], Dc [MPa], Cc) for member buckling, ADM 2015 Table B.4.2 (tempers T5–T9):
    Bc = Fcy·(1 + (Fcy/2250)^½), Dc = (Bc/10)·(Bc/E)^½, Cc = 0.41·Bc/Dc, stresses in ksi."""
    fcy = alloy.fcy / KSI
    e = alloy.e / KSI
    bc = fcy * (1 + (fcy / 2250.0) ** 0.5)
    dc = bc / 10.0 * (bc / e) ** 0.5
    return bc * KSI, dc * KSI, 0.41 * bc / dc


def column_buckling_stress(alloy: Alloy, slenderness: float) -> float:
    """Nominal member buckling stress Fc [MPa] for kL/r = λ (ADM 2015 E.3.1): Bc − Dc·λ in the inelastic
    range (λ < Cc), the Euler stress π²E/λ² above it, never above Fcy."""
    bc, dc, cc = column_constants(alloy)
    fc = bc - dc * slenderness if slenderness < cc else math.pi ** 2 * alloy.e / slenderness ** 2
    return min(alloy.fcy, fc)


def euler_load_n(e_mpa: float, i_mm4: float, effective_length: float) -> float:
    """Pcr = π²·E·I/(K·L)² [N] (Euler)."""
    return math.pi ** 2 * e_mpa * i_mm4 / effective_length ** 2


def tube_local_buckling_constants(alloy: Alloy) -> tuple[float, float]:
    """(Bt, Dt) [MPa] for round tubes in compression, ADM 2015 Table B.4.2 (T5–T9):
    Bt = Fcy·(1 + (Fcy/4500)^(1/5)), Dt = (Bt/3.7)·(Bt/E)^(1/3), stresses in ksi."""
    fcy, e = alloy.fcy / KSI, alloy.e / KSI
    bt = fcy * (1 + (fcy / 4500.0) ** 0.2)
    dt = bt / 3.7 * (bt / e) ** (1 / 3)
    return bt * KSI, dt * KSI


def tube_local_buckling_stress(alloy: Alloy, outside_diameter: float, wall: float) -> float:
    """Local buckling stress Fc [MPa] of a round tube's wall in axial compression (ADM 2015 B.5.4.5), with
    Rb the mid-wall radius: Fcy for Rb/t ≤ λ1 = ((Bt − Fcy)/Dt)², Bt − Dt·√(Rb/t) beyond, and the elastic
    π²E / (16·(Rb/t)·(1 + √(Rb/t)/35)²) where that is lower."""
    bt, dt = tube_local_buckling_constants(alloy)
    ratio = (outside_diameter - wall) / 2 / wall
    lam1 = ((bt - alloy.fcy) / dt) ** 2
    if ratio <= lam1:
        return alloy.fcy
    inelastic = bt - dt * math.sqrt(ratio)
    elastic = math.pi ** 2 * alloy.e / (16 * ratio * (1 + math.sqrt(ratio) / 35) ** 2)
    return min(inelastic, elastic)


@dataclass(frozen=True)
class TubeSection:
    """A round tube's section properties [mm, mm², mm⁴, mm³]."""

    od: float
    wall: float

    @property
    def area(self) -> float:
        return math.pi / 4 * (self.od ** 2 - (self.od - 2 * self.wall) ** 2)

    @property
    def i(self) -> float:
        return math.pi / 64 * (self.od ** 4 - (self.od - 2 * self.wall) ** 4)

    @property
    def j(self) -> float:
        return 2 * self.i

    @property
    def r(self) -> float:
        return math.sqrt(self.i / self.area)

    @property
    def s(self) -> float:
        return self.i / (self.od / 2)

    @property
    def z(self) -> float:
        """Plastic modulus (D³ − d³)/6."""
        return (self.od ** 3 - (self.od - 2 * self.wall) ** 3) / 6


def member_utilisation(alloy: Alloy, section: TubeSection, effective_length: float, axial_n: float,
                       moment_nmm: float = 0.0, welded: bool = False) -> dict[str, float | str]:
    """Utilisation of a round-tube member (LRFD, ADM 2015): the largest of
    - tension: P/(φy·Fty·A) (D.2; HAZ yield Ftyw where ``welded``),
    - compression: P/(φc·min(member buckling, local buckling)·A) (E.3, B.5.4.5),
    - combined: P/Pc + M/Mc (H.1.1 interaction), with Mc = φb·Fy·min(Z, 1.5·S) for a compact tube (F.6 /
      F.1 yield limit).
    ``axial_n`` positive in tension. Returns the governing check's name and each ratio."""
    fy = alloy.fty_welded if welded else alloy.fty
    slenderness = effective_length / section.r
    if axial_n >= 0:
        p_cap = PHI_YIELD * fy * section.area
        mode = "tension yield"
    else:
        fc_member = column_buckling_stress(alloy, slenderness)
        fc_local = tube_local_buckling_stress(alloy, section.od, section.wall)
        fc = min(fc_member, fc_local, fy)
        p_cap = PHI_COMPRESSION * fc * section.area
        mode = "column buckling" if fc_member <= fc_local else "local buckling"
    m_cap = PHI_BENDING * fy * min(section.z, 1.5 * section.s)
    axial = abs(axial_n) / p_cap
    bending = abs(moment_nmm) / m_cap
    combined = axial + bending
    governing = mode if bending < 1e-3 * max(axial, 1e-12) else f"{mode} + bending"
    return {"utilisation": combined, "axial_ratio": axial, "bending_ratio": bending, "mode": governing,
            "slenderness": slenderness, "axial_capacity_n": p_cap, "moment_capacity_nmm": m_cap}
