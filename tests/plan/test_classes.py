"""The class cost model against the node's published tornado, and the rollup's sums."""

from __future__ import annotations

import pandas as pd
import pytest

from osehw.physics.economics import crf
from osehw.plan.classes import (
    ALUMINIUM_KG_PER_SECTION,
    PER_SECTION_USD,
    REFERENCE,
    NodeClass,
    class_table,
    power_factor,
    rollup,
)


def test_per_section_cost_reproduces_the_nodes_tornado():
    """node-relay-3link's economics tornado (tables/economics-tornado.csv of its build): ±2 sections move the
    cost per subscriber-year from $14.41 to $13.59 / $15.23, i.e. ±$0.82."""
    assert PER_SECTION_USD == pytest.approx(14_177.42 / 9 + 6 * 41.0)
    per_sub = 2 * PER_SECTION_USD * (crf(0.05, 30) + 0.01) / 333.0
    assert per_sub == pytest.approx(0.82, abs=0.006)
    s11 = NodeClass(11, "moderate")
    assert (s11.annual_cost_usd - REFERENCE["annual_cost_usd"]) / 333.0 == pytest.approx(per_sub, rel=1e-12)
    assert NodeClass(9, "moderate").capital_usd == REFERENCE["capital_usd"]
    assert ALUMINIUM_KG_PER_SECTION * 9 == pytest.approx(398.8)


def test_power_system_scales_with_the_sun():
    assert power_factor("moderate") == 1.0
    sunny, cloudy = NodeClass(9, "sunny"), NodeClass(9, "cloudy")
    assert sunny.pv_kwp == pytest.approx(3.3034 * 4.7 / 5.7)
    assert cloudy.capital_usd - REFERENCE["capital_usd"] == pytest.approx(5165.2 * (4.7 / 3.9 - 1))


def test_rollup_sums_by_hand():
    sites = pd.DataFrame({"id": ["a", "b", "c"], "sections": [9, 9, 10], "climate": ["moderate"] * 2 + ["sunny"],
                          "dish_height_m": [28.132, 28.132, 31.18], "gateway": [True, False, False],
                          "too_tall": [False] * 3, "links": [2, 1, 1]})
    links = pd.DataFrame({"a": ["a", "a"], "b": ["b", "c"], "modulation": ["8x", ""]})
    table = class_table(sites)
    assert list(table["class"]) == ["s09-moderate", "s10-sunny"] and list(table.nodes) == [2, 1]
    r = rollup(sites, links, table, 333.0, 100_000.0, 25.0)
    hand = 2 * 35_281.76 + NodeClass(10, "sunny").capital_usd
    assert r["total_capital_usd"] == pytest.approx(hand, abs=0.02)
    assert r["capital_share_of_budget"] == pytest.approx(hand / 300_000.0, abs=1e-4)
    assert r["aluminium_t"] == pytest.approx((2 * 398.8 + 10 * 398.8 / 9) / 1000, abs=0.05)
    assert (r["radios"], r["links_below_margin"], r["gateways"], r["tower_sections"]) == (4, 1, 1, 28)
