"""Strength of a pipe-mount bracket (``designs/antenna_mount.py``) under its antenna's wind and weight.

The bracket: a pipe plate clamped to a round pipe by two U-bolts; a tilt arm on it, turning on a pivot bolt
and held at its elevation by a second bolt in an arc slot; the antenna bolted to the arm ``load_arm`` beyond
the pivot. Forces in N, lengths in mm, stresses in MPa. Loads come in factored (1.2·D, 1.0·W, TIA-222-H
§2.3.2); the wind may come from any horizontal direction with the antenna's largest EPA (conservative), so
each check takes the direction that is worst for it:

- **clamp slip**: wind normal to the plate twists the bracket about the pipe, T = F·lever; the weight V acts
  along the pipe. The clamp holds them by friction at the pipe's surface (radius r) on both sides of the pipe
  (the plate, and the U-bolts' bends, which turn with the plate): capacity 2·μ·N·r as a torque and 2·μ·N along
  the pipe, N = 4 U-bolt legs × the preload's lower bound, less the wind pulling the plate off the pipe. The
  demand is the resultant sqrt(V² + (T/r)²) at the surface.
- **arm bolts**: wind in the plate's plane (along the arm at 0°, its component across the arm growing with the
  elevation θ) and the weight, as forces on the arm at ``load_arm`` from the pivot: across the arm, the slot
  bolt takes P⊥·a/s and the pivot P⊥·(a − s)/s (statics of a beam on two supports with an overhang); along
  the arm each takes half. The slot lets the adjuster bolt slide along the arc, so its share across the arm
  is held by friction alone (μ·preload, one slip plane); once slipped every bolt bears: shear of the bolt
  (EN 1993-1-8 Table 3.4) and bearing on each ply (ADM 2015 J.3.7), ``physics.connections``.
- **plate bending**: wind normal to the plate bends the pipe plate about the outer U-bolt line,
  M = F·(lever − x_ubolt), and the arm about its adjuster bolt, M = F·(a − s); each against the plastic moment
  of its net rectangle (holes removed), φ·Fy·b·t²/4, φ = 0.90 (ADM 2015 F.8.1, rectangular bars; F.1).

Preload (Shigley's *Mechanical Engineering Design*, 10th ed., §8-8 and §8-9): target Fi = 0.75·At·Sp for a
reused joint (eq. 8-31), Sp the A2-70 bolt's 0.2 % proof stress 450 MPa (ISO 3506-1 Table 3); tightening
torque T = K·Fi·d with K = 0.20 for unlubricated threads (eq. 8-27, Table 8-15). Torque control scatters the
preload by about ±25 % (Bickford, *An Introduction to the Design and Behavior of Bolted Joints*, 4th ed.,
ch. 7), so the checks take 0.75·Fi. Friction μ = 0.30: AISC 360-16 J3.8 Class A surfaces, taken as the lower
bound for clean mill-finish aluminium on aluminium (an assumption; no aluminium value is tabulated there).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from osehw.physics.connections import STRESS_AREA_MM2, bearing_n, bolt_shear_n

BOLT_PROOF = 450.0  # A2-70 stainless 0.2 % proof stress, ISO 3506-1 Table 3 [MPa]
PRELOAD_SHARE = 0.75  # Fi = 0.75·At·Sp, reused joint (Shigley 10th ed. eq. 8-31)
NUT_FACTOR = 0.20  # K, unlubricated (Shigley 10th ed. Table 8-15)
TORQUE_SCATTER = 0.75  # lower bound of a torque-controlled preload, ±25 % (Bickford 4th ed. ch. 7)
FRICTION = 0.30  # AISC 360-16 J3.8 Class A, taken for aluminium on aluminium (assumption)
PHI_BENDING = 0.90  # ADM 2015 F.1


def preload_n(diameter: float) -> float:
    """Target preload of an A2-70 bolt [N]: 0.75·At·Sp (Shigley eq. 8-31)."""
    return PRELOAD_SHARE * STRESS_AREA_MM2[diameter] * BOLT_PROOF


def tightening_torque_nm(diameter: float) -> float:
    """Torque that gives the target preload [N·m]: T = K·Fi·d (Shigley eq. 8-27)."""
    return NUT_FACTOR * preload_n(diameter) * diameter / 1000.0


@dataclass(frozen=True)
class MountGeometry:
    """What the checks need of the bracket [mm]: the pipe, the U-bolts, the arm and its bolts, the plates."""

    pipe_od: float
    ubolt_rod: float
    ubolt_x: float  # pipe axis to the outer U-bolt legs' line, across the plate
    plate_width: float  # the pipe plate's width along the pipe at that line
    ubolt_hole: float
    lever: float  # pipe axis to the antenna's centre, across the plate (arm at 0°)
    pivot_bolt: float  # pivot and adjuster bolt diameter
    bolt_hole: float  # their clearance hole
    slot_radius: float  # pivot to adjuster bolt, s
    load_arm: float  # pivot to the antenna's centre along the arm, a
    arm_width: float
    thickness: float  # both plates
    max_elevation_deg: float  # the largest |elevation| the slot allows


def mount_checks(g: MountGeometry, wind_n: float, weight_n: float, fu: float, fy: float) -> dict[str, float]:
    """Utilisations (≤ 1 holds) and the forces behind them, for factored ``wind_n`` and ``weight_n`` [N]."""
    r = g.pipe_od / 2
    # clamp slip: four U-bolt legs press the plate on the pipe; the wind normal to the plate may pull it off
    clamp = 4 * TORQUE_SCATTER * preload_n(g.ubolt_rod) - wind_n
    twist = wind_n * g.lever
    demand = math.hypot(weight_n, twist / r)
    capacity = 2 * FRICTION * max(clamp, 0.0)
    slip = demand / capacity if capacity > 0 else math.inf
    # arm bolts: the in-plane load at the worst elevation of the slot's range
    th = math.radians(g.max_elevation_deg)
    across = weight_n + wind_n * math.sin(th)  # a bound: all the weight across the arm, the wind at the steepest tilt
    along = wind_n + weight_n * math.sin(th)
    s, a = g.slot_radius, g.load_arm
    slot_across, pivot_across = across * a / s, across * (a - s) / s
    slot_hold = FRICTION * TORQUE_SCATTER * preload_n(g.pivot_bolt)
    per_bolt = min(bolt_shear_n(g.pivot_bolt, 1), bearing_n(fu, g.pivot_bolt, g.thickness))
    slot_force = math.hypot(slot_across, along / 2)
    pivot_force = math.hypot(pivot_across, along / 2)
    # bending out of the plane: pipe plate at the outer U-bolt line, arm at its adjuster bolt
    m_plate = wind_n * (g.lever - g.ubolt_x)
    m_arm = wind_n * (a - s)
    plastic = lambda width: PHI_BENDING * fy * width * g.thickness ** 2 / 4  # noqa: E731
    plate_u = m_plate / plastic(g.plate_width - 2 * g.ubolt_hole)
    arm_u = m_arm / plastic(g.arm_width - g.bolt_hole)
    return {"clamp_force_n": clamp, "twist_nmm": twist, "slip_demand_n": demand, "slip_capacity_n": capacity,
            "slip_utilisation": slip,
            "slot_across_n": slot_across, "slot_hold_n": slot_hold, "slot_slip_utilisation": slot_across / slot_hold,
            "pivot_force_n": pivot_force, "slot_force_n": slot_force, "bolt_capacity_n": per_bolt,
            "bolt_utilisation": max(pivot_force, slot_force) / per_bolt,
            "plate_moment_nmm": m_plate, "arm_moment_nmm": m_arm, "plate_bending_utilisation": plate_u,
            "arm_bending_utilisation": arm_u}
