import math

import pytest

from osehw import catalog
from osehw.catalog.guys import guy_strand, guy_strands
from osehw.catalog.materials import CatalogError

LBF = 4.4482216


def test_ehs_strands_match_astm_a475_and_are_priced():
    # ASTM A475 EHS minimum breaking strengths: 3/16 in 3,990 lbf, 1/4 in 6,650 lbf, 5/16 in 11,200 lbf
    for sid, lbf, dia in (("ehs-3-16", 3990, 3 / 16), ("ehs-1-4", 6650, 1 / 4), ("ehs-5-16", 11200, 5 / 16)):
        s = guy_strand(sid)
        assert s.breaking_strength_n == pytest.approx(lbf * LBF, rel=1e-3)
        assert s.diameter == pytest.approx(dia * 25.4, abs=0.01)
        # a 1x7 strand's steel area: 7 wires, about 3/4 of its circle (the lay leaves gaps)
        assert s.area == pytest.approx(7 * math.pi / 4 * s.wire_diameter ** 2)
        assert 0.6 < s.area / (math.pi / 4 * s.diameter ** 2) < 0.8
        assert catalog.item(sid).unit == "m" and catalog.item(sid).source
    assert sorted(guy_strands()) == ["ehs-1-4", "ehs-3-16", "ehs-5-16"]


def test_an_unknown_strand_is_refused():
    with pytest.raises(CatalogError, match="ehs-9"):
        guy_strand("ehs-9")
