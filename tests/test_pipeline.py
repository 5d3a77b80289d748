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


def test_cam_beside_the_analyses_and_solid_outputs_writes_the_same_files(tmp_path, monkeypatch):
    """With two workers, CAM after recognition runs in a forked process while this one runs the analyses
    and writes model.step/.stl and the part drawings; the files are those of the steps one after the other."""
    import cadquery as cq

    def design() -> Design:
        solid = plate(120.0, 80.0, 12.0).faces(">Z").workplane().pushPoints([(-30, 0), (30, 0)]).hole(8.0)
        part = SheetPart("plate", solid.translate((60, 40, 0)).val(), "plywood", 12.0)
        assembly = cq.Assembly(name="model").add(part.solid, name="plate")
        return Design("plate", assembly, [part], [], [])

    overlapped = []
    original = BuildPipeline._run_beside_cam
    monkeypatch.setattr(BuildPipeline, "_run_beside_cam",
                        lambda self, *a, **k: overlapped.append(1) or original(self, *a, **k))
    results = {}
    for workers in (1, 2):
        pipe = BuildPipeline(machines=["grbl-hobby-800"], workers=workers)
        results[workers] = pipe.run(pipe.start_with_design(design(), Path("plate.step")), "write",
                                    out_root=tmp_path / f"w{workers}")
    from osehw.core.parallel import can_fork

    assert overlapped == ([1] if can_fork() else [])
    one, two = results[1], results[2]
    assert one.done == two.done == STEPS
    assert {"model.step", "model.stl", "parts/plate.dxf", "report.html"} <= set(one.files)
    assert one.files == two.files  # every file's sha256, the manifest's table
    assert [f.code for f in one.findings] == [f.code for f in two.findings]
    assert (tmp_path / "w1/plate/manifest.json").read_bytes() == (tmp_path / "w2/plate/manifest.json").read_bytes()
