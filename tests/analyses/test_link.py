import pytest

from osehw.analyses import Inputs
from osehw.analyses.link import link
from osehw.core.design import Design
from osehw.designs.tower import RadioLink


def hop(height_m: float, **kw) -> Design:
    values = dict(hop_km=16.1, frequency_ghz=5.8, clutter_m=15.0, k_factor=4 / 3, clearance=0.6, radio="airfiber-5x",
                  dish="rocketdish-5g34", misc_loss_db=1.0, required_margin_db=15.0, rain_rate_mm_h=50.0,
                  availability_pct=99.99, antenna_height_m=height_m)
    values.update(kw)
    return Design("tower", None, radio_link=RadioLink(**values))


def test_ten_mile_hop_report():
    r = link(Inputs(hop(28.13)))
    # 20 + 34 + 34 − 131.85 − 1 = −44.85 dBm; margins against −83 (1x) and −60 (8x)
    assert r.summary["received_dbm"] == pytest.approx(-44.85, abs=0.01)
    assert r.summary["margin_1x_db"] == pytest.approx(38.15, abs=0.01)
    assert r.summary["margin_8x_db"] == pytest.approx(15.15, abs=0.01)
    # 8x keeps 15.15 − 1.57 = 13.6 dB after rain: under the 15 dB asked, so 1x is the fastest that holds it
    assert r.summary["fastest_modulation"] == "1x"
    assert [f.code for f in r.findings] == ["LINK_OK"]
    assert r.summary["required_height_m"] == pytest.approx(27.47, abs=0.01)
    assert len(r.tables["link-profile"]) == 41
    svg = r.figures["link-profile"]
    assert svg.startswith("<?xml") and "16.1 km at 5.8 GHz" in svg
    assert link(Inputs(hop(28.13))).figures["link-profile"] == svg  # same inputs, same bytes


def test_low_dishes_and_thin_margin_are_errors():
    low = link(Inputs(hop(25.0)))
    assert [f.code for f in low.findings] == ["LINK_CLEARANCE"]
    assert "25.00 m, below the 27.47 m" in low.findings[0].message
    weak = link(Inputs(hop(28.13, dish="rocketdish-5g30", required_margin_db=40.0)))
    assert [f.code for f in weak.findings] == ["LINK_MARGIN"]
