"""Feeds and speeds against numbers worked by hand from the chipload relation
feed = rpm x flutes x chipload (Onsrud / Harvey Tool)."""

from __future__ import annotations

import pytest

from osehw import catalog
from osehw.cam.ops.feeds import FeedsError, chipload_range, feeds_and_speeds
from osehw.cam.shop import (
    Machine,
    Material,
    Tool,
    load_machines,
    load_tools,
)


@pytest.fixture(scope="module")
def profiles():
    return load_machines(), load_tools(), catalog.materials()


def test_grbl_hdpe_quarter_inch_is_feed_clamped(profiles):
    machines, tools, materials = profiles
    fs = feeds_and_speeds(machines["grbl-hobby-800"], tools["em-6.35-2f-up"], materials["hdpe"])
    # HDPE 1/4 in: .007-.010 in/tooth = 0.1778-0.254 mm; middle 0.2159 mm.
    chip = (0.1778 + 0.254) / 2
    # Target 16000 rpm would need 16000 * 2 * 0.2159 = 6908.8 mm/min > 5000:
    # keep the chip, slow the spindle: 5000 / (2 * 0.2159) = 11579.43 rpm (>= 10000 min).
    assert fs.chipload == pytest.approx(0.2159)
    assert fs.feed == pytest.approx(5000.0)
    assert fs.rpm == pytest.approx(5000 / (2 * chip))
    assert fs.rpm == pytest.approx(11579.43, abs=0.01)
    assert fs.plunge == pytest.approx(5000 * 0.3)
    assert fs.stepdown == pytest.approx(6.35 * 0.75)  # 4.7625, below the 25.4 mm flutes
    assert fs.stepover == pytest.approx(6.35 * 0.45)  # 2.8575
    assert "11579 rpm" in fs.note and "6909 mm/min" in fs.note and "rubs" in fs.note


def test_linuxcnc_plywood_quarter_inch_is_not_clamped(profiles):
    machines, tools, materials = profiles
    fs = feeds_and_speeds(machines["linuxcnc-4x8"], tools["em-6.35-2f-up"], materials["plywood"])
    # Plywood 1/4 in: .011-.013 in = 0.2794-0.3302 mm; middle 0.3048 mm.
    # 18000 rpm * 2 * 0.3048 = 10972.8 mm/min, under 15000: nothing changes.
    assert (fs.rpm, fs.chipload) == (18000, pytest.approx(0.3048))
    assert fs.feed == pytest.approx(10972.8)
    assert fs.plunge == pytest.approx(10972.8 * 0.3)  # 3291.84
    assert fs.note == ""


def test_grbl_plywood_hits_spindle_minimum_and_warns(profiles):
    machines, tools, materials = profiles
    fs = feeds_and_speeds(machines["grbl-hobby-800"], tools["em-6.35-2f-up"], materials["plywood"])
    # Keeping 0.3048 mm would need 5000 / 0.6096 = 8202 rpm < 10000 rpm minimum,
    # so 10000 rpm at 5000 mm/min: 5000 / (2 * 10000) = 0.25 mm < 0.2794 published minimum.
    assert (fs.rpm, fs.feed) == (10000, 5000)
    assert fs.chipload == pytest.approx(0.25)
    assert "below the published minimum" in fs.note and "0.279" in fs.note


def _machine(**kw) -> Machine:
    base = dict(id="m", name="m", controller="grbl", envelope_x=1000, envelope_y=1000, envelope_z=100,
                max_feed=10000, max_rapid=10000, acceleration=500, spindle_min_rpm=8000,
                spindle_max_rpm=20000, tools=("t",))
    return Machine(**{**base, **kw})


def _material(**kw) -> Material:
    base = dict(id="mat", name="Test", chipload={2.0: (0.1, 0.2), 6.0: (0.3, 0.4)},
                max_stepdown_fraction=1.0, plunge_fraction=0.5, target_rpm=10000,
                density_kg_m3=575.0, heat_transfer_w_m2k=3.5, render_colour=(0.85, 0.7, 0.45))
    return Material(**{**base, **kw})


def test_interpolates_linearly_between_listed_diameters():
    # d = 3 lies a quarter of the way from 2 to 6: (0.1 + 0.25*0.2, 0.2 + 0.25*0.2)
    lo, hi = chipload_range(_material(), 3.0)
    assert (lo, hi) == (pytest.approx(0.15), pytest.approx(0.25))
    tool = Tool(id="t", name="t", kind="flat", diameter=3.0, flutes=1, flute_length=2.0)
    fs = feeds_and_speeds(_machine(), tool, _material())
    # 10000 rpm * 1 flute * 0.2 mm = 2000 mm/min; stepdown = min(3 * 1.0, 2.0 flute length)
    assert fs.feed == pytest.approx(2000) and fs.plunge == pytest.approx(1000)
    assert fs.stepdown == pytest.approx(2.0)


def test_diameter_outside_table_is_a_clear_error():
    with pytest.raises(FeedsError, match=r"mat.*Ø8 mm.*Ø 2, 6 mm"):
        chipload_range(_material(), 8.0)


def test_target_rpm_above_spindle_is_clamped_and_said():
    tool = Tool(id="t", name="t", kind="flat", diameter=2.0, flutes=2, flute_length=10)
    fs = feeds_and_speeds(_machine(), tool, _material(target_rpm=30000))
    # 20000 rpm max * 2 * 0.15 = 6000 mm/min
    assert fs.rpm == 20000 and fs.feed == pytest.approx(6000)
    assert "30000 rpm" in fs.note


def test_spindle_minimum_cases():
    tool = Tool(id="t", name="t", kind="flat", diameter=6.0, flutes=2, flute_length=20)
    # d=6: 0.3-0.4, middle 0.35. Max feed 2000: 2000 / (2 * 0.35) = 2857 rpm < 8000 min
    # -> 8000 rpm, chip 2000 / 16000 = 0.125 < 0.3 published minimum: warned.
    low = feeds_and_speeds(_machine(max_feed=2000), tool, _material())
    assert (low.rpm, low.feed, low.chipload) == (8000, 2000, pytest.approx(0.125))
    assert "below the published minimum" in low.note
    # Max feed 5000: 5000 / 0.7 = 7143 rpm < 8000 -> 8000 rpm, chip 5000 / 16000 = 0.3125,
    # thinner than the middle but inside the range: said, not warned.
    mid = feeds_and_speeds(_machine(max_feed=5000), tool, _material())
    assert (mid.rpm, mid.feed, mid.chipload) == (8000, 5000, pytest.approx(0.3125))
    assert "0.312 mm/tooth" in mid.note and "below the published minimum" not in mid.note
    # One flute, max feed 3000, target 20000: 3000 / 0.35 = 8571 rpm >= 8000 -> chip kept.
    tool1 = Tool(id="t", name="t", kind="flat", diameter=6.0, flutes=1, flute_length=20)
    one = feeds_and_speeds(_machine(max_feed=3000), tool1, _material(target_rpm=20000))
    assert one.rpm == pytest.approx(3000 / 0.35) and one.chipload == pytest.approx(0.35)


def test_tool_not_on_machine_is_refused(profiles):
    machines, tools, materials = profiles
    tool = Tool(id="em-12", name="x", kind="flat", diameter=6.35, flutes=2, flute_length=20)
    with pytest.raises(FeedsError, match="em-12.*not fitted.*em-6.35-2f-up"):
        feeds_and_speeds(machines["grbl-hobby-800"], tool, materials["plywood"])


def test_every_shipped_combination_respects_machine_limits(profiles):
    machines, tools, materials = profiles
    for m in machines.values():
        for tid in m.tools:
            for mat in materials.values():
                fs = feeds_and_speeds(m, tools[tid], mat)
                assert fs.feed <= m.max_feed + 1e-9
                assert m.spindle_min_rpm - 1e-9 <= fs.rpm <= m.spindle_max_rpm + 1e-9
                # the relation holds exactly for what is printed
                assert fs.feed == pytest.approx(fs.rpm * tools[tid].flutes * fs.chipload)
                assert fs.stepdown <= tools[tid].flute_length
