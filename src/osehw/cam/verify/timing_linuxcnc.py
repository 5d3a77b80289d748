"""Machining-time estimate for LinuxCNC 2.9's trajectory planner (src/emc/tp of LinuxCNC 2.9).

Model (stated so results can be checked by hand; LinuxCNC 2.9 src/emc/task/emccanon.cc,
src/emc/tp/tp.c, tc.c, blendmath.c, https://github.com/LinuxCNC/linuxcnc; the configuration
is the one the pncconf/stepconf wizards write: every axis and [TRAJ]MAX_LINEAR_VELOCITY at
``machine.max_rapid``, every axis at ``machine.acceleration``, a 1 ms servo period)
-------------------------------------------------------------------------------------------
- Limits of one move (emccanon.cc ``getStraightVelocity``/``getStraightAcceleration``): a line
  along u may accelerate at a = A/max_k |u_k| (√2·A on a 45° XY diagonal) and move at
  min(F, V/max_k |u_k|, V): the per-axis rate, then [TRAJ]MAX_LINEAR_VELOCITY = V, so a
  diagonal rapid is not faster than a straight one. Arcs run at min(F, V) in their plane.
- Arcs (blendmath.c ``pmCircleActualMaxVel``): the normal acceleration may use
  a_n = √(1 − 0.5²)·a = 0.866·a, so v ≤ √(a_n·r); the tangential acceleration is then
  a·√(1 − (v²/(r·a))²), at most 0.5·a.
- A move shorter than 1.02 servo periods at its speed is slowed so that it lasts that long
  (tc.c ``tcClampVelocityByLength``, tp.c TP_MIN_SEGMENT_CYCLES).
- Path blending under G64 P (tp.c ``tpHandleBlendArc``): at a corner between moves the
  planner compares three ways through and takes the fastest:
  * a blend arc (blendmath.c ``blendComputeParameters``): with the turn φ, θ = (π − φ)/2 and
    the tolerance T = min(P, L_prev/4, L_next/4) (P = 0: no limit but the lengths), the arc
    may start d = min(L1, L2, T·cos θ/(1 − sin θ)) before the corner (L1, L2: half of either
    move), so its radius is R = d·tan θ and its speed v = min(√(a_n·R), v_move); it is then
    widened to the larger of v²/a_n and the radius a stock parabolic blend would sweep, the
    moves are shortened by R/tan θ, and the arc (length R·φ, tangential acceleration 0.5·a)
    becomes a move of its own;
  * a tangent pass at the kink speed v·0.1/s, with s the largest per-axis share of the
    acceleration (v/Δt + a)·|Δu| the kink needs (0.1: [TRAJ]ARC_BLEND_KINK_RATIO); nearly
    tangent moves (s < 0.1) pass at full speed;
  * a parabolic blend (tp.c ``tpComputeBlendVelocity``), counted at half its speed: then both
    moves run at half acceleration and the corner at the blend speed.
  A change between rapid and feed, G61 exact stop, a reversal (within 2°), a dwell, spindle
  change or pause stops. A move with nothing after it to blend with under G64 (end of
  program, before a dwell) keeps its parabolic end condition, so it runs at half acceleration.
- Naive CAM (emccanon.cc ``see_segment``, G64 Q, Q = P when not given): consecutive feed
  lines whose corners all lie within Q of the line from the first start to the last end are
  sent as that one line (at most 100 points).
- Look-ahead (tp.c ``tpRunOptimization``, [TRAJ]ARC_BLEND_OPTIMIZATION_DEPTH 50): each move's
  end speed is planned back from a stop 50 moves later; the speed profile of a move is the
  trapezoid of :func:`osehw.cam.verify.timing.segment_time` with the move's tangential
  acceleration.
- Not modelled: the 1 ms time steps, the short-move velocity ramps (ARC_BLEND_RAMP_FREQ),
  spindle-synchronised motion, feed override.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from osehw.cam.shop import Machine

CYCLE_S = 0.001  # servo period [s], the sample configurations' SERVO_PERIOD 1000000 ns
MIN_SEGMENT_CYCLES = 1.02  # tp_types.h TP_MIN_SEGMENT_CYCLES
KINK_RATIO = 0.1  # initraj.cc default ARC_BLEND_KINK_RATIO
LOOKAHEAD = 50  # initraj.cc default ARC_BLEND_OPTIMIZATION_DEPTH
ACC_RATIO_TAN = 0.5  # blendmath.h BLEND_ACC_RATIO_TANGENTIAL
ACC_RATIO_NORMAL = math.sqrt(1.0 - ACC_RATIO_TAN ** 2)  # blendmath.h BLEND_ACC_RATIO_NORMAL
SHARP_CORNER = math.radians(2.0)  # tp.c tpSetupTangent: a reversal within 2° stops
NAIVE_CAM_POINTS = 100  # emccanon.cc linkable(): at most 100 chained points

_RAPID, _LINE, _ARC = 0, 1, 2
EXACT_STOP = -1.0  # tolerance value for G61 / G61.1


def _tangents(row: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """(start tangent, end tangent, path length) of one row (see timing._rows)."""
    start, end = row[1:4], row[4:7]
    if row[0] != _ARC:
        d = end - start
        length = float(np.linalg.norm(d))
        u = d / length if length > 0 else np.zeros(3)
        return u, u, length
    cx, cy, sweep, rs, re = row[9], row[10], row[11], row[12], row[13]
    planar = abs(sweep) * 0.5 * (rs + re)
    dz = end[2] - start[2]
    length = math.hypot(planar, dz)
    sign = 1.0 if sweep > 0 else -1.0
    out = []
    for p in (start, end):
        a = math.atan2(p[1] - cy, p[0] - cx)
        t = np.array([-math.sin(a) * sign * planar, math.cos(a) * sign * planar, dz])
        out.append(t / max(float(np.linalg.norm(t)), 1e-12))
    return out[0], out[1], length


def _line_limits(u: np.ndarray, feed: float, vmax: float, accel: float) -> tuple[float, float]:
    """(speed, acceleration) of a line along u: per-axis limits, then the [TRAJ] speed limit."""
    m = float(np.max(np.abs(u))) or 1.0
    return min(feed, vmax / m, vmax), accel / m


def _arc_machine_limits(row: np.ndarray, vmax: float, accel: float) -> tuple[float, float, float]:
    """(speed limit, acceleration, radius of curvature for the planner) of an arc row.

    emccanon.cc ``ARC_FEED``: the planar speed stays within √(0.866·a·r_eff) (r_eff from the
    radius and its change per radian), the helix takes as long as its slowest part needs, and
    the acceleration is scaled from the plane to the whole helix. tp's radius of curvature
    (blendmath.c ``pmCircleEffectiveMinRadius``) adds the helix rise: r + Δz²/r.
    """
    start, end = row[1:4], row[4:7]
    sweep, rs, re = abs(row[11]), row[12], row[13]
    r_min = max(min(rs, re), 1e-9)
    dr = (re - rs) / max(sweep, 1e-12)
    r_eff = math.hypot(dr, r_min)
    v_planar = min(vmax, math.sqrt(ACC_RATIO_NORMAL * accel * r_eff))
    spiral = math.hypot(r_min * sweep, re - rs)
    dz = end[2] - start[2]
    total = math.hypot(spiral, dz)
    chord = float(np.max(np.abs(end - start)))
    v = total / max(chord / vmax, spiral / v_planar, 1e-12)
    a = total / max(chord / accel, spiral / accel, 1e-12)
    radius = max(rs, 1e-9)
    return v, a, dz * dz / radius + radius


def _circle_limits(maxvel: float, accel: float, radius: float) -> tuple[float, float]:
    """(speed limit, tangential share of the acceleration) on an arc (blendmath.c pmCircleActualMaxVel).

    The share follows from the arc's machine speed limit, not from F: at that speed the normal
    acceleration v²/r may use at most 0.866·a, leaving 0.5·a along the path.
    """
    cutoff = ACC_RATIO_NORMAL * accel
    a_n = maxvel * maxvel / radius
    if a_n > cutoff:
        return math.sqrt(cutoff * radius), ACC_RATIO_TAN
    return maxvel, math.sqrt(max(1.0 - (a_n / accel) ** 2, 0.0))


def _naive_cam(rows: np.ndarray, tol: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge runs of feed lines that stay within their tolerance Q of one chord (emccanon.cc see_segment)."""
    keep_rows, keep_tol = [], []
    chain: list[np.ndarray] = []  # rows in the current chain
    def flush():
        if chain:
            merged = chain[0].copy()
            merged[4:7] = chain[-1][4:7]
            keep_rows.append(merged)
            keep_tol.append(chain_tol[0])
            chain.clear()
    chain_tol = [0.0]
    for row, q in zip(rows, tol):
        linkable = (row[0] == _LINE and q > 0 and chain and row[8] == 0 and row[7] == chain[0][7]
                    and len(chain) <= NAIVE_CAM_POINTS and q == chain_tol[0])
        if linkable:
            base, end = chain[0][1:4], row[4:7]
            m = end - base
            mm = float(np.dot(m, m))
            for c in chain:
                p = c[4:7] - base
                t = min(max(float(np.dot(m, p)) / mm, 0.0), 1.0) if mm > 0 else 0.0
                if float(np.linalg.norm(p - t * m)) > q:
                    linkable = False
                    break
        if not linkable:
            flush()
            if row[0] == _LINE and q > 0:
                chain.append(row)
                chain_tol[0] = q
                continue
            keep_rows.append(row)
            keep_tol.append(q)
        else:
            chain.append(row)
    flush()
    return np.array(keep_rows).reshape(-1, rows.shape[1]), np.array(keep_tol)


def _blend_arc(theta: float, tol: float, l1: float, l2: float, v_goal: float, a_max: float):
    """(speed, radius, trim of either move, arc length) of a blend arc (blendmath.c blendComputeParameters)."""
    a_n = a_max * ACC_RATIO_NORMAL
    h_tol = tol / (1.0 - math.sin(theta))
    d_geom = min(l1, l2, math.cos(theta) * h_tol)
    r_geom = math.tan(theta) * d_geom
    v_plan = min(math.sqrt(a_n * r_geom), v_goal)
    phi = math.pi - 2.0 * theta
    a_par = 0.5 * a_max
    t_blend = min(math.sqrt(2.0 * a_par * d_geom), v_plan) / a_par
    r_blend = min(t_blend * v_plan / phi, r_geom)
    r_plan = max(v_plan * v_plan / a_n, r_blend)
    s_arc = r_plan * phi
    v_arc = min(v_plan, s_arc / (CYCLE_S * MIN_SEGMENT_CYCLES))
    return v_arc, r_plan, r_plan / math.tan(theta), s_arc


def plan_blocks(rows: np.ndarray, tol: np.ndarray, machine: Machine):
    """Blocks LinuxCNC's planner runs: (lengths, speed limits, accelerations, entry speed² limits)."""
    V = machine.max_rapid / 60.0
    A = machine.acceleration
    rows, tol = _naive_cam(rows, tol)
    n = len(rows)
    geo = [_tangents(r) for r in rows]
    length = np.array([g[2] for g in geo])
    vel = np.zeros(n)
    acc = np.zeros(n)
    arc_vmax = np.zeros(n)  # arcs: the machine's speed limit on the arc (tc->maxvel)
    arc_r = np.zeros(n)
    for i, r in enumerate(rows):
        if r[0] == _ARC:
            arc_vmax[i], acc[i], arc_r[i] = _arc_machine_limits(r, V, A)
            arc_vmax[i] = min(arc_vmax[i], length[i] / CYCLE_S)
            vel[i] = min(r[7], arc_vmax[i], V)
        else:
            vel[i], acc[i] = _line_limits(geo[i][0], r[7], V, A)
    half = np.zeros(n, dtype=bool)  # runs at half acceleration (parabolic end or start)
    reduce = np.zeros(n)  # kink acceleration reduction
    trim_start, trim_end = np.zeros(n), np.zeros(n)
    entry = np.zeros(n)  # speed at the junction before block i (as planned; 0 = stop)
    blend_after: list[tuple[float, float, float] | None] = [None] * n  # (arc length, speed, accel)
    for i in range(n):
        q = tol[i - 1] if i else EXACT_STOP
        stop = (i == 0 or rows[i][8] > 0 or q == EXACT_STOP
                or (rows[i - 1][0] == _RAPID) != (rows[i][0] == _RAPID))
        if stop:
            if i and q != EXACT_STOP and rows[i][8] > 0 and not (rows[i - 1][0] == _RAPID) != (rows[i][0] == _RAPID):
                half[i - 1] = True  # nothing to blend with: the parabolic end condition stays
            continue
        t1, t2 = geo[i - 1][1], geo[i][0]
        cos_turn = float(np.clip(np.dot(t1, t2), -1.0, 1.0))
        turn = math.acos(cos_turn)
        if turn > math.pi - SHARP_CORNER:
            continue  # a reversal: exact stop
        arcs = rows[i - 1][0] == _ARC or rows[i][0] == _ARC
        v_max = min(vel[i - 1], vel[i])
        a_inst = v_max / CYCLE_S + acc[i]
        scale = a_inst * float(np.max(np.abs(t2 - t1))) / A
        if arcs:
            scale /= ACC_RATIO_TAN
        if scale < KINK_RATIO:
            entry[i] = v_max
            reduce[i - 1] = max(reduce[i - 1], scale)
            reduce[i] = max(reduce[i], scale)
            continue
        kink_v = v_max * KINK_RATIO / scale
        # blend arc
        l_prev_nom, l_next_nom = length[i - 1], length[i]
        t_blend = min(q if q > 0 else math.inf, l_prev_nom / 4, l_next_nom / 4)
        theta = 0.5 * (math.pi - turn)
        l_prev_left = l_prev_nom - trim_start[i - 1]
        arc_v = 0.0
        if t_blend > 0 and theta > 1e-9:
            v_goal = max(vel[i - 1], vel[i])
            arc_v, _r, d_trim, s_arc = _blend_arc(theta, t_blend, min(l_prev_left, 0.5 * l_prev_nom),
                                                  0.5 * length[i], v_goal, A)
        # parabolic blend (tpComputeBlendVelocity) at half acceleration
        a1, a2 = 0.5 * acc[i - 1], 0.5 * acc[i]
        r1 = min(math.sqrt(a1 * length[i - 1]), vel[i - 1])
        r2 = min(math.sqrt(a2 * length[i]), vel[i])
        tb = min(min(length[i - 1] / r1, length[i] / r2), max(r1 / a1, r2 / a2))
        vb1, vb2 = min(r1, tb * a1), min(r2, tb * a2)
        cos_half = math.cos(0.5 * (math.pi - turn))  # intersection angle of the accelerations
        if q > 0 and cos_half > math.cos(math.pi / 2 - 1e-3):
            cap = 2.0 * math.sqrt(a1 * q / cos_half)
            vb1, vb2 = min(vb1, cap), min(vb2, cap)
        par_perf = math.sin(0.5 * (math.pi - turn)) * 0.5 * (vb1 + vb2) / 2.0
        best = max((par_perf, 0), (kink_v, 1), (arc_v, 2))[1]
        if best == 2:
            trim_end[i - 1] = d_trim
            trim_start[i] = d_trim
            blend_after[i - 1] = (s_arc, arc_v, A * ACC_RATIO_TAN)
            entry[i] = arc_v
        elif best == 1:
            entry[i] = kink_v
            reduce[i - 1] = max(reduce[i - 1], KINK_RATIO)
            reduce[i] = max(reduce[i], KINK_RATIO)
        else:
            half[i - 1] = half[i] = True
            entry[i] = min(vb1, vb2)
    if n and tol[-1] != EXACT_STOP:
        half[-1] = True
    # assemble blocks: each move (shortened by its blends), then its blend arc
    out_len, out_v, out_a, out_entry = [], [], [], []
    for i in range(n):
        a = acc[i] * (1.0 - reduce[i]) * (0.5 if half[i] else 1.0)
        v = vel[i]
        if rows[i][0] == _ARC:
            maxvel, share = _circle_limits(arc_vmax[i], a, arc_r[i])
            v, a = min(rows[i][7], maxvel, V), a * share
        L = max(length[i] - trim_start[i] - trim_end[i], 1e-9)
        v = min(v, L / (CYCLE_S * MIN_SEGMENT_CYCLES))
        out_len.append(L)
        out_v.append(v)
        out_a.append(a)
        out_entry.append(entry[i])
        if blend_after[i] is not None:
            s, vb, ab = blend_after[i]
            out_len.append(s)
            out_v.append(vb)
            out_a.append(ab)
            out_entry.append(vb)
            entry[i + 1] = vb
    return np.array(out_len), np.array(out_v), np.array(out_a), np.array(out_entry) ** 2


def tolerances(lines: np.ndarray, blend: Sequence[tuple[int, float]]) -> np.ndarray:
    """The G64 P tolerance [mm] in force at each of ``lines`` (EXACT_STOP under G61), from (line, value) changes."""
    changes = np.array([c[0] for c in blend] or [0])
    values = np.array([c[1] for c in blend] or [0.0])
    at = np.searchsorted(changes, lines, side="right") - 1
    return np.where(at >= 0, values[np.maximum(at, 0)], 0.0)


_COMMENT = re.compile(r"\([^)]*\)|;.*")
_WORD = re.compile(r"([A-Z])\s*([-+]?(?:\d+\.?\d*|\.\d+))")


def blend_changes(text: str) -> list[tuple[int, float]]:
    """(line, tolerance [mm]) wherever G61/G61.1 (EXACT_STOP) or G64 [P] is set; line numbers from 1.

    G64 without P blends with no tolerance but the moves' lengths (0.0). P is in the program's
    units (G20: inches). Only the words of one block are read: no parameters or expressions.
    """
    out: list[tuple[int, float]] = []
    inch = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw.upper())
        if "G" not in line:
            continue
        words = _WORD.findall(line)
        gs = {float(v) for k, v in words if k == "G"}
        if 20.0 in gs or 21.0 in gs:
            inch = 20.0 in gs
        if 61.0 in gs or 61.1 in gs:
            out.append((lineno, EXACT_STOP))
        elif 64.0 in gs:
            p = next((float(v) for k, v in words if k == "P"), 0.0)
            out.append((lineno, p * (25.4 if inch else 1.0)))
    return out
