import math

import pytest

from osehw.physics.aluminium import KSI, TubeSection
from osehw.physics.steel import SECTIONS, STEELS, critical_stress, member_utilisation

STEEL = STEELS["steel-50ksi"]


def test_critical_stress_inelastic_and_elastic_by_hand():
    # ROHN 25G leg panel: KL/r = 28.6 → Fe = π²·29000/28.6² = 349.9 ksi; Fcr = 0.658^(50/349.9)·50 = 47.10 ksi
    assert critical_stress(STEEL, 28.6) / KSI == pytest.approx(47.10, abs=0.01)
    # a 5/16 in rod brace, KL/r = 221.8 > 4.71·√(29000/50) = 113.4: Fcr = 0.877·π²·29000/221.8² = 5.102 ksi
    assert critical_stress(STEEL, 221.8) / KSI == pytest.approx(5.102, abs=0.002)


def test_leg_and_rod_sections_and_the_interaction():
    leg = TubeSection(*SECTIONS["rohn25g-leg"])
    # 1.25 in × 0.065 in: A = π·(1.25 − 0.065)·0.065 = 0.2420 in²
    assert leg.area / 25.4 ** 2 == pytest.approx(math.pi * 1.185 * 0.065, rel=1e-6)
    rod = TubeSection(*SECTIONS["rohn25g-rod"])
    assert rod.area == pytest.approx(math.pi / 4 * (0.3125 * 25.4) ** 2)
    # tension 8 kN with 100 N·m: Pc = 0.9·50 ksi·A = 48.4 kN; Pr/Pc = 0.165 < 0.2 → Pr/(2Pc) + Mr/Mc, Mc = 0.9·Fy·Z
    pc = 0.9 * 50 * KSI * leg.area
    mc = 0.9 * 50 * KSI * leg.z
    u = member_utilisation(STEEL, leg, 300.0, 8_000.0, 100_000.0)
    assert 8_000 / pc < 0.2
    assert u["utilisation"] == pytest.approx(8_000 / pc / 2 + 100_000 / mc)
    # 30 kN tension: Pr/Pc ≥ 0.2 → Pr/Pc + 8/9·Mr/Mc
    u = member_utilisation(STEEL, leg, 300.0, 30_000.0, 100_000.0)
    assert u["utilisation"] == pytest.approx(30_000 / pc + 8 / 9 * 100_000 / mc)
    # a solid bar's plastic modulus is D³/6, capped at 1.6·S = 1.6·πD³/32
    assert member_utilisation(STEEL, rod, 100.0, 0.0, 1000.0)["moment_capacity_nmm"] == pytest.approx(
        0.9 * 50 * KSI * min(rod.od ** 3 / 6, 1.6 * math.pi * rod.od ** 3 / 32))
