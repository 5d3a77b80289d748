"""Sections from a needed antenna height, the tower design's own rule; a partition's links and heights."""

from __future__ import annotations

import pytest

from osehw.plan.partition import sections_for_height


def test_sections_match_the_tower_design():
    from osehw.designs.tower import (
        DISH_BELOW_MAST_TOP,
        TowerParams,
        dish_height,
        required_antenna_height_m,
        section_count,
    )

    for hop_km, clutter in ((16.1, 15.0), (5.0, 0.0), (30.0, 25.0), (12.0, 40.0)):
        p = TowerParams(hop_km=hop_km, clutter_m=clutter, sections=0)
        assert sections_for_height(required_antenna_height_m(p), p.section_length, p.mast_above,
                                   DISH_BELOW_MAST_TOP) == section_count(p)
    # by hand: 27.472 m needs (27472 − 700) / 3048 = 8.78 → 9 sections, dishes at 9·3.048 + 0.7 = 28.132 m
    assert sections_for_height(27.472, 3048.0, 1000.0, 300.0) == 9
    assert dish_height(TowerParams(hop_km=16.1, clutter_m=15.0, sections=9)) == pytest.approx(28132.0)
    assert sections_for_height(0.0, 3048.0, 1000.0, 300.0) == 1  # at least one section
    assert sections_for_height(3.748, 3048.0, 1000.0, 300.0) == 1  # exactly one section's dish height
    assert sections_for_height(3.749, 3048.0, 1000.0, 300.0) == 2
