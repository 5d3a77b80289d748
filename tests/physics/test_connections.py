import pytest

from osehw.physics.aluminium import ALLOYS, TubeSection
from osehw.physics.connections import bearing_n, bolt_shear_n, net_rupture_n


def test_bolt_and_bearing_by_hand():
    # EN 1993-1-8: 0.5 · 700 MPa · 58 mm² / 1.25 = 16 240 N per plane for an A2-70 M10
    assert bolt_shear_n(10.0) == pytest.approx(16_240.0)
    assert bolt_shear_n(10.0, 2) == pytest.approx(32_480.0)
    # ADM J.3.7: 0.75 · 2 · 262 MPa · 10 mm · 6.35 mm = 24 954 N on a 1/4 in 6061-T6 wall
    ftu = ALLOYS["6061-T6"].ftu
    assert ftu == pytest.approx(262.0, abs=0.1)
    assert bearing_n(ftu, 10.0, 6.35) == pytest.approx(0.75 * 2 * ftu * 10 * 6.35)
    # net section of a 2 in × 1/4 in tube through-bolted once (two 11 mm holes in 6.35 mm walls)
    leg = TubeSection(50.8, 6.35)
    assert net_rupture_n(ftu, leg.area, 11.0, 6.35, 2) == pytest.approx(0.75 * ftu * (leg.area - 2 * 11 * 6.35))
