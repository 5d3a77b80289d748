"""Linear stock profiles: section areas and masses against hand calculations and published tables."""

import math

import pytest

from osehw import catalog
from osehw.catalog.stock import equal_angle_area, round_tube_area


def test_round_tube_area_by_hand():
    # 2 in OD x 1/4 in wall: outer 50.8² − inner 38.1² = 2580.64 − 1451.61 = 1129.03; × π/4 = 886.7 mm²
    assert round_tube_area(50.8, 6.35) == pytest.approx(886.7, abs=0.1)


def test_angle_area_by_hand():
    # 1.5 x 1.5 x 3/16 in: two legs 38.1 x 4.76 less the shared square: 2·181.36 − 22.66 = 340.06 mm²
    assert equal_angle_area(38.1, 4.76) == pytest.approx(340.06, abs=0.05)


def test_schedule_40_pipe_weighs_what_the_aluminum_association_lists():
    # Aluminum Association, Aluminum Standards and Data, pipe table: 1-1/2 in schedule 40 = 0.940 lb/ft
    pipe = catalog.stock_profile("pipe-6061-48.3x3.68")
    assert pipe.kg_per_m / 1.48816 == pytest.approx(0.940, rel=0.01)


def test_every_profile_is_priced_sourced_and_of_a_catalog_material():
    for p in catalog.stock_profiles().values():
        assert p.material in catalog.materials() and p.price_per_bar > 0 and p.source and p.source_date
        assert p.bar_length > 1000 and 0 < p.area_mm2 < math.pi / 4 * p.size_a ** 2


def test_an_unknown_profile_suggests_the_nearest():
    with pytest.raises(KeyError, match="did you mean"):
        catalog.stock_profile("tube-6061-50.8x3.2")
