"""Loads: the enclosure's weight, wind area and heat against hand calculations; sums over a tree."""

import pytest

from osehw import catalog
from osehw.analyses import Inputs
from osehw.analyses.loads import loads, total_load
from osehw.core.design import Design, Load


def test_enclosure_load_by_hand(enclosure):
    (load,) = enclosure.loads
    s = enclosure.summary
    t = 12.7
    # six plates less holes and grooves: back (with its flanges) + lid + 2 long walls + 2 end walls
    back = s["outer_x"] * 345.4 * t
    lid = s["outer_x"] * s["outer_y"] * t
    walls = 2 * s["outer_x"] * s["inner_z"] * t + 2 * s["inner_y"] * s["inner_z"] * t
    plates_kg = (back + lid + walls) * 1e-9 * catalog.material("hdpe").density_kg_m3
    assert load.weight_kg == pytest.approx(plates_kg, rel=0.03)  # grooves and holes take a little off
    assert load.weight_kg < plates_kg
    # TIA-222-G Table 2-8: Ca = 1.2 for a flat appurtenance of aspect ratio ≤ 2.5 (444.4 / 245.4 = 1.8)
    assert load.wind_area_m2 == pytest.approx(1.2 * 0.4444 * 0.2454, rel=1e-3)
    assert load.heat_w == pytest.approx(12.0 + 3.6 + 0.5)  # router + MPPT + fuse block (equipment.csv)


def test_totals_add_and_the_wind_height_is_area_weighted():
    total = total_load([Load("a", weight_kg=10, wind_area_m2=0.5, height=1000, electrical_w=5),
                        Load("b", weight_kg=2.5, wind_area_m2=1.5, height=3000, heat_w=7)])
    assert (total.weight_kg, total.wind_area_m2, total.electrical_w, total.heat_w) == (12.5, 2.0, 5, 7)
    assert total.height == pytest.approx((0.5 * 1000 + 1.5 * 3000) / 2.0)


def test_the_analysis_sums_a_tree(enclosure):
    root = Design("kit", None, children={"one": enclosure, "two": enclosure},
                  loads=[Load("mast", weight_kg=4.0)])
    result = loads(Inputs(root))
    assert result.summary["weight_kg"] == pytest.approx(4.0 + 2 * enclosure.loads[0].weight_kg, abs=1e-3)
    assert [r["design"] for r in result.tables["loads"]] == ["kit", "one", "two"]
