"""A composite design: children by file and inline, nested together, one BOM with subtotals."""

from pathlib import Path

import pytest

from osehw.core.params import ParamError
from osehw.pipeline import BuildPipeline, load

KIT = Path(__file__).with_name("files") / "kit.yaml"


@pytest.fixture(scope="module")
def kit():
    pipe = BuildPipeline(machines=["linuxcnc-4x8"])  # whole 2440 x 1220 sheets: the BOM counts them
    return pipe.run(pipe.start(load(str(KIT))), "check")


@pytest.fixture(scope="module")
def alone():
    pipe = BuildPipeline(machines=["linuxcnc-4x8"])
    return {name: pipe.run(pipe.start(load(name)), "check") for name in ("node-enclosure", "cam-gallery")}


def test_children_keep_their_parts_under_qualified_names(kit, alone):
    names = [p.name for p in kit.design.all_sheet_parts()]
    assert "enclosure/lid" in names and "enclosure/back" in names and "gallery/gallery-finger-panel" in names
    expected = len(alone["node-enclosure"].design.sheet_parts) + len(alone["cam-gallery"].design.sheet_parts)
    assert len(names) == len(set(names)) == expected
    assert not kit.errors, [f"{f.code} {f.subject}" for f in kit.errors]


def test_sheet_parts_of_both_children_are_nested_together(kit):
    placed = kit.cam.nestings[("linuxcnc-4x8", "hdpe-12.7")].placements
    assert {pl.name.split("/")[0] for pl in placed} == {"enclosure", "gallery"}
    assert len({pl.sheet for pl in placed}) == 1  # the six enclosure panels and the gallery's HDPE parts
    assert kit.cam.stock_sheet_counts()[("hdpe", 12.7)] == 1


def test_one_bom_with_a_subtotal_per_child_and_shared_sheets(kit, alone):
    cost = kit.analyses["cost"].summary
    subtotals = cost["subtotals_usd"]
    assert set(subtotals) == {"sheets", "composite", "enclosure", "gallery"}
    assert sum(subtotals.values()) == pytest.approx(cost["total_usd"])
    # the HDPE sheet holds both children's parts: shared; the gallery alone uses aluminium and plywood
    rows = {r["item"]: r for r in kit.analyses["cost"].tables["bom"]}
    assert rows["sheet-hdpe-12.7"]["group"] == "sheets" and subtotals["sheets"] == 310.0
    gallery_alone = alone["cam-gallery"].analyses["cost"].tables["bom"]
    assert subtotals["gallery"] == pytest.approx(sum(r["extended_cost"] for r in gallery_alone
                                                     if r["item"] != "sheet-hdpe-12.7"))
    enclosure_alone = alone["node-enclosure"].analyses["cost"]
    bought = sum(r["extended_cost"] for r in enclosure_alone.tables["bom"] if r["unit"] != "sheet")
    assert subtotals["enclosure"] == pytest.approx(bought)
    # the kit's own: one 20 ft pipe bar ($190) for the mast and three arms, and 2 U-bolts at $6.50
    assert rows["bar-pipe-6061-48.3x3.68"]["quantity"] == 1 and subtotals["composite"] == pytest.approx(190 + 13)
    # nesting together saves the second HDPE sheet: the kit costs less than the two built apart
    apart = sum(r.analyses["cost"].summary["total_usd"] for r in alone.values())
    assert cost["total_usd"] == pytest.approx(apart - 310.0 + 203.0)  # one 1/2 in HDPE sheet, $310


def test_the_cut_plan_puts_the_mast_and_arms_on_one_bar_in_saw_order(kit):
    import csv
    import io

    from osehw.outputs.cut_list import cut_list_csv

    plan = kit.analyses["cost"].tables["cut_plan"]
    assert [(r["part"], r["copy"], r["start"]) for r in plan] == [
        ("mast", 1, 5.0), ("arm", 1, 2408.2), ("arm", 2, 3311.4), ("arm", 3, 4214.6), ("(offcut)", 0, 5114.6)]
    assert plan[-1]["length"] == pytest.approx(6096 - 5114.6)
    rows = list(csv.DictReader(io.StringIO(cut_list_csv(plan, {p.name: p for p in kit.design.all_stock_parts()}))))
    assert rows[0]["holes_mm"] == "100/Ø9 2300/Ø9" and rows[1]["end_cut_1_deg"] == "30"
    assert "<svg" in kit.analyses["cost"].figures["cut_plan"]


def test_analyses_run_for_every_child(kit):
    assert {"enclosure/thermal", "enclosure/geometry", "gallery/geometry", "geometry", "cost"} <= set(kit.analyses)
    assert kit.analyses["enclosure/thermal"].summary["inside_c"] == pytest.approx(
        kit.design.children["enclosure"].sealed_box.ambient_c + 0.0, abs=30)


@pytest.mark.parametrize("children, message", [
    ("{a: {file: node-enclosure, design: cam-gallery}}", "exactly one of 'file'"),
    ("{a: {design: toaster}}", "'toaster' is not a known design"),
    ("{a: {design: cam-gallery, params: {copies: 99}}}", "children.a.params.copies = 99"),
    ("{a: {file: no-such-file}}", "no-such-file"),
    ("{Bad Name: {design: cam-gallery}}", "is not allowed"),
])
def test_bad_children_are_refused_with_their_path(tmp_path, children, message):
    path = tmp_path / "kit.yaml"
    path.write_text(f"design: composite\nparams:\n  children: {children}\n")
    with pytest.raises(ParamError) as exc:
        load(str(path))
    assert message in str(exc.value), str(exc.value)


def test_the_bom_csv_has_a_subtotal_row_per_group(kit):
    import csv
    import io

    from osehw.outputs.bom import bom_csv

    cost = kit.analyses["cost"]
    text = bom_csv(cost.tables["bom"], cost.summary["total_usd"], cost.summary["subtotals_usd"])
    rows = list(csv.DictReader(io.StringIO(text)))
    written = {r["group"]: float(r["extended_cost_usd"]) for r in rows if r["item"].startswith("SUBTOTAL")}
    assert written == pytest.approx(cost.summary["subtotals_usd"])
    assert rows[-1]["item"] == "TOTAL" and float(rows[-1]["extended_cost_usd"]) == pytest.approx(cost.summary["total_usd"])
