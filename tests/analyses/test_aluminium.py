"""Aluminium due diligence: the tower's metal from its cut list by hand, and the network's energy."""

import math

import pytest

from osehw import catalog
from osehw.analyses import Inputs, discover
from osehw.physics import smelting

ALUMINIUM = discover().get("aluminium")


def test_mass_is_the_cut_list_lengths_times_section_times_density(small_node):
    node = small_node[1]
    tower = node.children["tower"]
    r = ALUMINIUM.run(Inputs(node))
    by_hand = 0.0
    for part in tower.stock_parts:
        prof = catalog.stock_profile(part.profile)
        a, b = prof.size_a, prof.size_b
        area = {"round_tube": math.pi / 4 * (a * a - (a - 2 * b) ** 2), "angle": b * (2 * a - b),
                "flat_bar": a * b}[prof.shape]  # mm²
        by_hand += part.length / 1000 * area / 1e6 * 2700 * part.quantity
    assert r.summary["tower_bar_kg"] == pytest.approx(by_hand, abs=0.1)
    # second path: the tower's own mass in its summary (profiles' kg/m and plate volumes)
    assert r.summary["tower_aluminium_kg"] == pytest.approx(tower.summary["metal_mass_kg"], abs=0.2)
    assert r.summary["network_aluminium_t"] == pytest.approx(r.summary["tower_aluminium_kg"] * 30_000 / 1000, rel=1e-3)


def test_network_energy_and_pv(small_node):
    r = ALUMINIUM.run(Inputs(small_node[1]))
    s = r.summary
    kg = s["tower_aluminium_kg"] * 30_000
    assert s["network_smelting_gwh"] == pytest.approx(kg * 14.0 / 1e6, rel=1e-3)
    assert s["network_remelt_gwh"] == pytest.approx(kg * smelting.remelt_kwh_per_kg() / 1e6, rel=1e-2)
    clay = next(row for row in r.tables["routes"] if "kaolin" in row["route"])
    assert clay["pv_mwp_in_one_year"] == pytest.approx(kg * clay["kwh_per_kg"] / 1400 / 1000, rel=1e-2)
    # the module's area per kWp: 1960 × 992 mm for 330 W
    assert s["pv_m2_per_kwp"] == pytest.approx(1.960 * 0.992 / 0.330, rel=2e-2)
    assert "mobile smelter" in s["statement"] and f"{s['network_aluminium_t']:,.0f} t" in s["statement"]
