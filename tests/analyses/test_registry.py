"""The analyses registry: discovery, which analyses apply, refusal of a second registration."""

import cadquery as cq
import pytest

from osehw.analyses import ANALYSES, Inputs, discover, register, run_analyses
from osehw.core.design import Design


def test_discovery_finds_every_analysis_module():
    assert discover().names() == ["aluminium", "cost", "economics", "energy", "geometry", "heat_yield", "link", "loads",
                                  "optics", "rack_wind", "structure", "thermal"]
    assert ANALYSES.get("cost").needs == ("cam",)


def test_thermal_applies_only_to_a_sealed_box(enclosure):
    bare = Design("bare", cq.Assembly(name="bare"))
    assert sorted(run_analyses(Inputs(bare), after_cam=False)) == ["geometry"]
    assert sorted(run_analyses(Inputs(enclosure), after_cam=False)) == ["geometry", "loads", "thermal"]
    assert sorted(run_analyses(Inputs(enclosure), after_cam=True)) == ["cost"]


def test_a_second_analysis_of_the_same_name_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        register("thermal")(lambda inputs: None)
