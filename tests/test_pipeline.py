"""The pipeline's declared steps: order, entering part way, each step returning a new result."""

from pathlib import Path

import pytest

from osehw.core.design import Design, SheetPart
from osehw.core.solids import plate
from osehw.pipeline import STEPS, BuildPipeline, load


def test_steps_run_in_order_up_to_until_and_leave_the_input_unchanged():
    pipe = BuildPipeline(machines=["linuxcnc-4x8"])  # cuts whole 2440 x 1220 sheets: the BOM counts them
    start = pipe.start(load("node-enclosure"))
    analysed = pipe.run(start, "analyse")
    assert analysed.done == ("model", "analyse") and start.done == () and start.design is None
    assert sorted(analysed.analyses) == ["geometry", "loads", "thermal"] and analysed.cam is None
    checked = pipe.run(analysed, "check")  # continues where it stopped: model is not built again
    assert checked.design is analysed.design
    assert checked.done == STEPS[:STEPS.index("check") + 1]
    assert sorted(checked.analyses) == ["cost", "geometry", "loads", "thermal"]
    codes = {f.code for f in checked.findings}
    assert {"THERMAL_OK", "COST_TOTAL"} <= codes and not checked.errors
    assert "sheets from the nesting" in next(f.message for f in checked.findings if f.code == "COST_TOTAL")
    sheet_row = next(r for r in checked.analyses["cost"].tables["bom"] if r["item"] == "sheet-hdpe-12.7")
    assert sheet_row["quantity"] == 1 and sheet_row["extended_cost"] == pytest.approx(310.0)
    assert checked.bom_total_usd == pytest.approx(checked.analyses["cost"].summary["total_usd"])


def test_write_needs_an_output_folder_and_unknown_steps_are_refused():
    pipe = BuildPipeline()
    with pytest.raises(ValueError, match="unknown step"):
        pipe.run(pipe.start(load("node-enclosure")), "polish")


def test_a_design_made_elsewhere_enters_after_the_model_step(tmp_path):
    part = SheetPart("plate", plate(120.0, 80.0, 12.0).translate((60, 40, 0)).val(), "plywood", 12.0)
    design = Design("plate", None, [part], [], [])  # no assembly: no STEP/STL
    pipe = BuildPipeline(machines=["grbl-hobby-800"])
    result = pipe.run(pipe.start_with_design(design, Path("plate.dxf")), "write", out_root=tmp_path)
    assert result.done[0] == "model" and "write" in result.done
    written = set(result.files)
    assert "model.step" not in written and "model.stl" not in written
    assert {"parts/plate.dxf", "parts/plate.svg", "bom.csv", "bom.json", "parts/production-list.csv"} <= written
    assert any(f.startswith("sheets/grbl-hobby-800/") and f.endswith(".nc") for f in written)
