"""The shipped machine, tool and material profiles load, validate and say what the issue asks."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from osehw.cam.post import registered
from osehw.cam.shop import Machine, load_machines, load_tools
from osehw.catalog import materials
from osehw.core.paths import cam_dir

IN = 25.4


def test_shipped_ids():
    assert sorted(load_machines()) == ["grbl-hobby-800", "linuxcnc-4x8", "mach3-router"]
    assert sorted(load_tools()) == ["drill-4.5", "drill-5", "em-3.175-2f-up", "em-6.35-2f-up", "vbit-90"]
    assert sorted(materials()) == ["aluminium-6061", "hdpe", "plywood"]


def test_machines_are_what_the_issue_names():
    machines = load_machines()
    grbl = machines["grbl-hobby-800"]
    assert (grbl.controller, grbl.envelope_x, grbl.envelope_y, grbl.envelope_z) == ("grbl", 800, 800, 100)
    assert (grbl.max_feed, grbl.max_rapid, grbl.acceleration) == (5000, 5000, 500)
    lcnc = machines["linuxcnc-4x8"]
    assert (lcnc.controller, lcnc.envelope_x, lcnc.envelope_y) == ("linuxcnc", 2500, 1250)
    assert (lcnc.max_feed, lcnc.max_rapid, lcnc.acceleration) == (15000, 20000, 1500)
    assert machines["mach3-router"].controller == "mach3"
    # Every controller named by a profile has a post-processor.
    assert {m.controller for m in machines.values()} <= set(registered())


def test_every_machine_tool_exists_and_spindle_range_is_ordered():
    tools = load_tools()
    for machine in load_machines().values():
        assert set(machine.tools) <= set(tools), machine.id
        assert machine.spindle_min_rpm < machine.spindle_max_rpm


def test_tools():
    tools = load_tools()
    assert (tools["em-6.35-2f-up"].diameter, tools["em-6.35-2f-up"].flutes) == (6.35, 2)
    assert tools["em-3.175-2f-up"].diameter == pytest.approx(IN / 8)
    assert (tools["vbit-90"].kind, tools["vbit-90"].angle, tools["vbit-90"].diameter) == ("vbit", 90, 12.7)
    # a 90 deg cone of 12.7 mm diameter is 6.35 mm tall
    assert tools["vbit-90"].flute_length == pytest.approx(12.7 / 2)
    assert (tools["drill-5"].kind, tools["drill-5"].diameter) == ("drill", 5.0)


@pytest.mark.parametrize(
    "material, lo_in, hi_in",
    [("plywood", 0.011, 0.013), ("hdpe", 0.007, 0.010), ("aluminium-6061", 0.005, 0.007)],
)
def test_quarter_inch_chiploads_match_the_published_ranges(material, lo_in, hi_in):
    lo, hi = materials()[material].chipload[6.35]
    assert (lo, hi) == (pytest.approx(lo_in * IN), pytest.approx(hi_in * IN))


def test_material_flags_and_sheet():
    mats = materials()
    assert mats["plywood"].grain and not mats["hdpe"].grain and not mats["aluminium-6061"].grain
    # aluminium on a router: shallow passes
    assert mats["aluminium-6061"].max_stepdown_fraction < mats["plywood"].max_stepdown_fraction
    for m in mats.values():
        assert (m.sheet_x, m.sheet_y) == (2440, 1220)
        # chiploads grow with diameter and every range is (min < max)
        ds = sorted(m.chipload)
        assert all(m.chipload[d][0] < m.chipload[d][1] for d in ds)
        assert all(m.chipload[a][0] < m.chipload[b][0] for a, b in zip(ds, ds[1:]))


def test_unknown_field_is_refused(tmp_path):
    data = yaml.safe_load((cam_dir() / "machines" / "grbl-hobby-800.yaml").read_text())
    data["max_speed"] = 1
    with pytest.raises(ValidationError, match="max_speed"):
        Machine.model_validate({"id": "x", **data})
