"""The concentrator design: ribs, spine and summary against the trough geometry by hand."""

import math

import pytest

from osehw.core.params import ParamError, validate
from osehw.designs import load_all
from osehw.designs.concentrator import ConcentratorParams, build, rib_positions


def test_default_trough_summary_by_hand():
    d = build(ConcentratorParams())
    s = d.summary
    # ψ = 90°: f = W/4 = 300, r_rim = 2f = 600; mirror width 2·[(W/4)·√2 + f·asinh(1)] = 2·[424.26 + 264.41]
    assert s["focal_length"] == pytest.approx(300.0)
    assert s["rim_radius"] == pytest.approx(600.0)
    assert s["mirror_width"] == pytest.approx(2 * (300 * math.sqrt(2) + 300 * math.asinh(1.0)), abs=0.01)
    # 2400 mm at ≤ 600 mm: 5 ribs, 600 apart; one spine the trough's length
    assert (s["ribs"], s["rib_spacing"]) == (5, 600.0)
    assert d.sheet_parts[0].quantity == 5 and d.sheet_parts[0].material == "plywood"
    assert [(p.profile, p.length) for p in d.stock_parts] == [("tube-6061-50.8x3.175", 2400.0)]
    # rim-sized tube 2·600·sin(4.65 mrad) = 5.58 mm; C = 1200/(π·25.4) = 15.04
    assert s["receiver_od_for_rim_sun_cone"] == pytest.approx(5.58, abs=0.01)
    assert s["geometric_concentration"] == pytest.approx(15.038, abs=0.001)
    assert s["rib_edge_spline_deviation"] < 0.001


def test_rib_stations_and_rules():
    assert rib_positions(1000, 600) == [0.0, 500.0, 1000.0]
    assert rib_positions(1200, 600) == [0.0, 600.0, 1200.0]
    kind = load_all().get("concentrator")
    with pytest.raises(ParamError) as err:
        validate(kind.schema, {"rib_depth": 100, "spine_profile": "pipe-6061-73.0x5.16"}, "t")
    assert any("spine hole" in line for line in err.value.lines())
    with pytest.raises(ParamError):
        validate(kind.schema, {"rib_thickness": 13}, "t")
