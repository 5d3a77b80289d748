"""The economics analysis on a small built node (conftest): its numbers by hand from its own tables and BOM."""

import math

import pytest

from osehw.analyses import AnalysisResult, Inputs, discover, run_analyses
from osehw.analyses.cost import rollup, total
from osehw.physics.economics import crf

ECONOMICS = discover().get("economics")
ENERGY = {"power-system/energy": AnalysisResult("energy", summary={"battery_years_to_replacement": 6.5,
                                                                   "battery_life_limited_by": "cycling"})}


def after_cam(node, earlier):
    """The cost step as the pipeline runs it: the cost analysis, then the economics reading its bill."""
    return run_analyses(Inputs(node, earlier=earlier), after_cam=True)


@pytest.fixture(scope="module")
def result(small_node):
    return after_cam(small_node[1], ENERGY)["economics"]


def test_capital_is_the_bom_total(small_node, result):
    assert result.summary["capital_usd"] == pytest.approx(total(rollup(small_node[1])), abs=0.01)
    assert result.summary["capital_share_of_allotment"] == pytest.approx(result.summary["capital_usd"] / 100_000,
                                                                         abs=1e-4)


def test_annual_cost_by_hand_from_the_annualised_table(small_node, result):
    s = result.summary
    assert s["battery_life_years"] == 6.5 and "energy" in s["battery_life_source"]
    by_hand = sum(r["capital_usd"] * crf(0.05, r["life_years"]) for r in result.tables["annualised"])
    assert s["annualised_capital_usd_per_year"] == pytest.approx(by_hand, abs=0.1)
    battery = next(r for r in result.tables["annualised"] if r["part"].endswith("battery"))
    assert battery["life_years"] == 6.5
    om = sum(r["usd_per_year"] for r in result.tables["om"])
    assert s["om_usd_per_year"] == pytest.approx(om, abs=0.05)
    # O&M by hand: one 8 h visit at the tower crew's $41/h, 200 mi at $0.70, $1,200 lease, 1 % of capital insured
    assert om == pytest.approx(8 * 41.0 + 200 * 0.70 + 1200 + 0.01 * s["capital_usd"], abs=0.05)
    annual = s["annualised_capital_usd_per_year"] + s["om_usd_per_year"]
    assert s["annual_cost_usd"] == pytest.approx(annual, abs=0.02)
    assert s["cost_per_subscriber_year_usd"] == pytest.approx(annual / 333, abs=0.01)
    assert s["break_even_subscribers"] == math.ceil(s["annual_cost_usd"] / 25.0)


def test_tornado_holds_the_base_case_inside_every_bar(result):
    base = result.summary["cost_per_subscriber_year_usd"]
    rows = result.tables["tornado"]
    assert [r["input"] for r in rows][0] == "subscribers per node"  # the widest swing
    for r in rows:
        lo, hi = sorted((r["cost_per_subscriber_year_low_usd"], r["cost_per_subscriber_year_high_usd"]))
        assert lo - 0.01 <= base <= hi + 0.01
    subs = rows[0]
    assert subs["cost_per_subscriber_year_low_usd"] == pytest.approx(2 * base, abs=0.02)  # half the subscribers
    assert result.figures["tornado"].startswith("<?xml") and "Sensitivity" in result.figures["tornado"]


def test_without_an_energy_analysis_the_fallback_life_is_said_and_the_pad_is_capital(small_node):
    from osehw import catalog
    from osehw.core.design import PurchasedItem

    # the tower's structure analysis sizes its pad and hands it to the bill: the node's capital grows by its price
    pad = {"tower/structure": AnalysisResult("structure", purchased=(PurchasedItem("concrete-ready-mix", 2.0),))}
    r = after_cam(small_node[1], pad)["economics"]
    bare = after_cam(small_node[1], {})["economics"]
    codes = {f.code for f in r.findings}
    assert r.summary["battery_life_years"] == 5.0 and "ECON_BATTERY_ASSUMED" in codes
    assert r.summary["capital_usd"] - bare.summary["capital_usd"] == pytest.approx(
        2.0 * catalog.item("concrete-ready-mix").unit_cost, abs=0.02)


def test_the_economics_refuses_to_run_without_the_cost_analysiss_bill(small_node):
    with pytest.raises(ValueError, match="reads the cost analysis's bill"):
        ECONOMICS.run(Inputs(small_node[1], earlier=ENERGY))
