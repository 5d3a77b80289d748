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
    stock = {p.name: p for p in d.stock_parts}
    assert (stock["spine"].profile, stock["spine"].length) == ("tube-6061-50.8x3.175", 2400.0)
    # rim-sized tube 2·600·sin(4.65 mrad) = 5.58 mm; C = 1200/(π·25.4) = 15.04
    assert s["receiver_od_for_rim_sun_cone"] == pytest.approx(5.58, abs=0.01)
    assert s["geometric_concentration"] == pytest.approx(15.038, abs=0.001)
    assert s["rib_edge_spline_deviation"] < 0.001


def test_receiver_mirror_struts_and_stands_by_hand():
    d = build(ConcentratorParams())
    stock = {p.name: p for p in d.stock_parts}
    bought = {p.catalog_id: p for p in d.purchased}
    # the receiver: the 25.4 mm stock tube, 100 mm past each end rib
    assert (stock["receiver"].profile, stock["receiver"].length) == ("tube-6061-25.4x3.175", 2600.0)
    # mirror: the arc length wide, the trough long: 1377.35 mm x 2400 mm = 3.306 m²
    mirror = bought["mirror-acrylic-3mm"]
    assert mirror.quantity == pytest.approx(1.37735 * 2.4, abs=1e-3) and "1377 mm wide" in mirror.note
    # strut: from a hole 30 mm in from the rim (x = 570) and 35 mm under the rib edge to the focus (0, 300),
    # less the receiver's radius, plus 15 mm past each hole. The edge at x = 570 on the parabola is
    # y = 570²/1200 − 3/√(1 + 0.95²) = 270.75 − 2.175 = 268.575 → hole y 233.575
    hy = 570 ** 2 / 1200 - 3 / math.sqrt(1 + 0.95 ** 2) - 35
    strut = math.hypot(570, 300 - hy) - 12.7 + 30
    assert stock["receiver-strut"].quantity == 4 and stock["receiver-strut"].length == pytest.approx(strut, abs=0.1)
    assert stock["receiver-strut"].holes == ((15.0, 9.0), (pytest.approx(strut - 15, abs=0.1), 9.0))
    # the rib has the spine hole and the two strut holes
    from osehw.core.solids import through_hole_count

    assert through_hole_count(d.sheet_parts[0].solid) == 3
    # stand post: the farthest point from the spine's axis (y = −3 − 60 = −63) is the rim's edge corner
    # (603.0, 297.9 in the rib frame, the rim moved out by t·sin 45°): √(603.0² + 360.9²) = 702.8, + 150 clear
    rim_x = 600 + 3 * math.sin(math.radians(45))
    rim_y = 300 - 3 * math.cos(math.radians(45))
    assert stock["stand-post"].length == pytest.approx(math.hypot(rim_x, rim_y + 63) + 150, abs=0.1)
    assert bought["pillow-block-ucp210-32"].quantity == 2 and "sleeve" not in bought["pillow-block-ucp210-32"].note
    # a 1-1/2 in schedule 40 pipe spine (48.26 mm) takes the nearest bearing, the 2 in bore, sleeved
    pipe = build(ConcentratorParams(spine_profile="pipe-6061-48.3x3.68"))
    assert any(p.catalog_id == "pillow-block-ucp210-32" and "sleeve" in p.note for p in pipe.purchased)


def test_rib_stations_and_rules():
    assert rib_positions(1000, 600) == [0.0, 500.0, 1000.0]
    assert rib_positions(1200, 600) == [0.0, 600.0, 1200.0]
    kind = load_all().get("concentrator")
    with pytest.raises(ParamError) as err:
        validate(kind.schema, {"rib_depth": 100, "spine_profile": "pipe-6061-73.0x5.16"}, "t")
    assert any("spine hole" in line for line in err.value.lines())
    with pytest.raises(ParamError):
        validate(kind.schema, {"rib_thickness": 13}, "t")
    with pytest.raises(ParamError) as err:  # the receiver is a stock tube: its OD must be one
        validate(kind.schema, {"receiver_od": 30.0}, "t")
    assert any("receiver_od" in line and "25.4" in line for line in err.value.lines())
