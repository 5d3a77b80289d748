import csv
import io
import json
from dataclasses import asdict

import pytest

from osehw import catalog
from osehw.analyses import Inputs
from osehw.analyses import cost as bom
from osehw.outputs.bom import bom_csv, bom_json


def test_rollup_prices_every_item_and_totals(enclosure):
    rows = bom.rollup(enclosure)
    by_id = {r.item: r for r in rows}
    screws = by_id["screw-m4x30-ss-pt"]
    assert screws.quantity == 40 and screws.extended_cost == pytest.approx(40 * 0.28)
    sheet = by_id["sheet-hdpe-12.7"]
    # six panels' rectangles (+12 mm spacing each way) cover ≈ 0.45 m²: one 2440 × 1220 sheet
    assert sheet.quantity == 1 and sheet.extended_cost == pytest.approx(310.0)
    assert bom.total(rows) == pytest.approx(sum(r.extended_cost for r in rows))
    for r in rows:
        assert r.source and r.source_date, r.item


def test_sheet_count_follows_the_nesting_result(enclosure):
    rows = bom.rollup(enclosure, sheets={("hdpe", 12.7): 3})
    assert next(r for r in rows if r.item == "sheet-hdpe-12.7").extended_cost == pytest.approx(930.0)


def test_csv_and_json_agree(enclosure):
    rows = bom.rollup(enclosure)
    dicts = [asdict(r) for r in rows]
    table = list(csv.DictReader(io.StringIO(bom_csv(dicts, bom.total(rows)))))
    assert table[-1]["item"] == "TOTAL"
    assert float(table[-1]["extended_cost_usd"]) == pytest.approx(bom.total(rows))
    doc = json.loads(bom_json(dicts, bom.total(rows)))
    assert doc["total"] == pytest.approx(bom.total(rows)) and doc["currency"] == "USD"
    assert len(doc["items"]) == len(table) - 1


def test_unknown_catalog_item_lists_the_valid_ones():
    with pytest.raises(KeyError, match="did you mean 'gland-m20-ip68'"):
        catalog.item("gland-m20-ip67")


def test_the_cost_analysis_reports_the_rollup_and_a_finding(enclosure):
    result = bom.cost(Inputs(enclosure))
    assert result.summary["total_usd"] == pytest.approx(bom.total(bom.rollup(enclosure)))
    assert [f.code for f in result.findings] == ["COST_TOTAL"]
    assert "estimated from part areas" in result.findings[0].message
    assert len(result.tables["bom"]) == result.summary["line_items"]
    assert "subtotals_usd" not in result.summary  # one design, no children: nothing to subtotal


def test_a_thickness_nobody_listed_is_cut_and_priced_by_a_stated_estimate():
    from osehw.core.design import Design, SheetPart
    from osehw.core.solids import plate

    part = SheetPart("shim", plate(300.0, 200.0, 6.0).translate((150, 100, 0)).val(), "plywood", 6.0)
    result = bom.cost(Inputs(Design("shims", None, [part], [], [])))
    (row,) = result.tables["bom"]
    # by hand: the 12 mm sheet is $62 for 2.44 x 1.22 m = 2.9768 m², $20.83/m²; 6 mm at half that
    # per m² on the same sheet is $31.00 (bom/materials/plywood.yaml)
    assert row["item"] == "sheet-plywood-6" and row["quantity"] == 1 and row["priced"] is True
    assert row["unit_cost"] == pytest.approx(31.00) and row["source"].startswith("estimate: $10.41/m²")
    assert [f.code for f in result.findings] == ["COST_TOTAL", "COST_ESTIMATED"]
    assert result.summary["total_usd"] == pytest.approx(31.00)
    # between two listed thicknesses the price per m² is interpolated: 15 mm is halfway from $62 to $85
    assert catalog.material("plywood").estimated_sheet(15.0).price_usd == pytest.approx(73.50)


def test_a_material_with_no_priced_sheet_is_a_warning_with_blank_cost_never_a_crash():
    bare = catalog.material("plywood").model_copy(update={"sheets": ()})
    assert bare.estimated_sheet(6.0) is None
    rows = [bom.BomRow("sheet-x-6", "x", 1, "sheet", 0.0, 0.0, "", "", priced=False)]
    dicts = [asdict(r) for r in rows]
    table = list(csv.DictReader(io.StringIO(bom_csv(dicts, 0.0))))
    assert table[0]["unit_cost_usd"] == "" and table[0]["extended_cost_usd"] == ""
    assert json.loads(bom_json(dicts, 0.0))["items"][0]["extended_cost"] is None

def test_items_an_analysis_sized_are_bought_by_their_design(enclosure):
    # a pad sized by the structure analysis of a child "tower": its concrete and steel join that child's lines
    from osehw.core.design import Design, PurchasedItem

    root = Design("node", None, children={"tower": Design("tower", None), "box": enclosure})
    sized = (("tower", PurchasedItem("concrete-ready-mix", 2.5, "pad")), ("tower", PurchasedItem("rebar-grade60", 40.0)))
    rows = {(r.item, r.group): r for r in bom.rollup(root, sheets={}, plans={}, sized=sized)}
    concrete, steel = rows[("concrete-ready-mix", "tower")], rows[("rebar-grade60", "tower")]
    assert concrete.extended_cost == pytest.approx(2.5 * catalog.item("concrete-ready-mix").unit_cost)
    assert steel.extended_cost == pytest.approx(40.0 * catalog.item("rebar-grade60").unit_cost)
    assert "estimate" in concrete.source and concrete.source_date == "2025-06"
    # run through the cost analysis the same way
    from osehw.analyses import AnalysisResult

    earlier = {"tower/structure": AnalysisResult("structure", purchased=tuple(item for _, item in sized))}
    assert bom.sized_by(earlier) == list(sized)
    result = bom.cost(Inputs(root, earlier=earlier))
    assert {r["item"] for r in result.tables["bom"] if r["group"] == "tower"} == {"concrete-ready-mix", "rebar-grade60"}
