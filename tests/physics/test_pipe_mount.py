"""The pipe mount's strength checks by hand: preload from torque-tension, clamp slip, arm bolts, plate bending."""

import math

import pytest

from osehw.physics.pipe_mount import (
    MountGeometry,
    mount_checks,
    preload_n,
    tightening_torque_nm,
)

FU, FY = 262.0, 241.0  # 6061-T6, ADM Table A.3.4 (38 and 35 ksi)
G = MountGeometry(pipe_od=73.0, ubolt_rod=10.0, ubolt_x=50.0, plate_width=164.0, ubolt_hole=11.0, lever=294.0,
                  pivot_bolt=10.0, bolt_hole=11.0, slot_radius=100.0, load_arm=200.0, arm_width=44.0,
                  thickness=12.7, max_elevation_deg=15.0)


def test_preload_and_torque_by_hand():
    # M10 A2-70: 0.75 · 58 mm² · 450 MPa = 19 575 N; T = 0.2 · 19 575 N · 10 mm = 39.15 N·m (Shigley 8-27, 8-31)
    assert preload_n(10.0) == pytest.approx(19_575.0)
    assert tightening_torque_nm(10.0) == pytest.approx(39.15)
    # M8: 0.75 · 36.6 · 450 = 12 352.5 N → 0.2 · 12 352.5 · 8 = 19.76 N·m
    assert tightening_torque_nm(8.0) == pytest.approx(19.764)


def test_clamp_slip_by_hand():
    wind, weight = 2000.0, 140.0
    c = mount_checks(G, wind, weight, FU, FY)
    # N = 4 legs · 0.75 · 19 575 N − 2 000 N pulled off = 56 725 N; friction both sides of the pipe: 2 · 0.3 · N
    n = 4 * 0.75 * 19_575 - 2000
    assert c["clamp_force_n"] == pytest.approx(n)
    assert c["slip_capacity_n"] == pytest.approx(0.6 * n)
    # twist 2 kN · 294 mm = 588 000 N·mm → 16 110 N at r = 36.5 mm; with 140 N along the pipe
    assert c["slip_demand_n"] == pytest.approx(math.hypot(140.0, 588_000 / 36.5))
    assert c["slip_utilisation"] == pytest.approx(16_110.0 / 34_035.0, rel=1e-3)
    # no clamp left: infinite
    assert math.isinf(mount_checks(G, 60_000.0, weight, FU, FY)["slip_utilisation"])


def test_arm_bolts_shear_bearing_and_slot_friction_by_hand():
    wind, weight = 2000.0, 140.0
    c = mount_checks(G, wind, weight, FU, FY)
    across = 140.0 + 2000.0 * math.sin(math.radians(15))  # 657.6 N
    along = 2000.0 + 140.0 * math.sin(math.radians(15))  # 2036.2 N
    # beam on the pivot (0) and the slot bolt (100), load at 200: slot 2·P, pivot 1·P; along the arm half each
    assert c["slot_across_n"] == pytest.approx(2 * across)
    assert c["slot_force_n"] == pytest.approx(math.hypot(2 * across, along / 2))
    assert c["pivot_force_n"] == pytest.approx(math.hypot(across, along / 2))
    # friction hold of the slot bolt: 0.3 · 0.75 · 19 575 = 4 404.4 N
    assert c["slot_hold_n"] == pytest.approx(4404.375)
    # bolt shear 16 240 N (EN 1993-1-8) governs bearing 0.75 · 2 · 262 · 10 · 12.7 = 49 911 N (ADM J.3.7)
    assert c["bolt_capacity_n"] == pytest.approx(16_240.0)
    assert c["bolt_utilisation"] == pytest.approx(math.hypot(2 * across, along / 2) / 16_240.0)
    thin = mount_checks(MountGeometry(**{**G.__dict__, "thickness": 3.0}), wind, weight, FU, FY)
    assert thin["bolt_capacity_n"] == pytest.approx(0.75 * 2 * FU * 10 * 3.0)  # 11 790 N: bearing governs


def test_plate_bending_by_hand():
    c = mount_checks(G, 2000.0, 140.0, FU, FY)
    # plate: M = 2 kN · (294 − 50) = 488 kN·mm on (164 − 22) · 12.7² / 4 · 0.9 · 241 = 1 241 kN·mm
    assert c["plate_moment_nmm"] == pytest.approx(488_000.0)
    assert c["plate_bending_utilisation"] == pytest.approx(488_000 / (0.9 * 241 * 142 * 12.7 ** 2 / 4))
    # arm: M = 2 kN · 100 mm on (44 − 11) · 12.7² / 4 · 0.9 · 241 mm³
    assert c["arm_bending_utilisation"] == pytest.approx(200_000 / (0.9 * 241 * 33 * 12.7 ** 2 / 4))
