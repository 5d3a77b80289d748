"""Plan files: the shipped plans read; bad fields are one problem each, naming file, field, value and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from osehw.core.params import ParamError
from osehw.plan.schema import LOWER_48, read_plan

DESIGNS = Path(__file__).parents[2] / "designs"


def test_shipped_plans_read():
    name, p = read_plan(DESIGNS / "plan-usa.yaml")
    assert name == "usa" and p.region() == LOWER_48 and len(LOWER_48) == 49  # 48 states and DC
    name, p = read_plan(DESIGNS / "plan-nc.yaml")
    assert name == "nc" and p.region() == ("NC",) and p.gateways_file == "plan-nc-gateways.csv"


def test_bad_fields(tmp_path):
    f = tmp_path / "plan-x.yaml"
    f.write_text("plan: x\nparams:\n  states: [NC, AK]\n  radio: nope\n  resolution: 4\n  partition_resolution: 4\n"
                 "  clutter_by_state: {ZZ: 3}\n")
    with pytest.raises(ParamError) as err:
        read_plan(f)
    lines = [ln.split(": ", 1)[1] for ln in err.value.lines()]
    assert lines[0].startswith("states = 'AK': not a lower-48 state or DC")
    assert lines[1] == "clutter_by_state.ZZ = 3.0: not a lower-48 state code"
    assert lines[2].startswith("radio = 'nope': ")
    assert lines[3] == "partition_resolution = 4: must be coarser (smaller) than resolution 4"
    f.write_text("plan: x\nparams: {}\nextra: 1\n")
    with pytest.raises(ParamError) as err:
        read_plan(f)
    assert len(err.value.lines()) == 1 and "extra = 1" in err.value.lines()[0]
