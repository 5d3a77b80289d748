"""Machining-time estimate for LinuxCNC 2.9's trajectory planner (src/emc/tp of LinuxCNC 2.9).

Model (stated so results can be checked by hand; LinuxCNC 2.9 src/emc/task/emccanon.cc,
src/emc/tp/tp.c, tc.c, blendmath.c, https://github.com/LinuxCNC/linuxcnc). The machine is
taken as configured so: every axis' MAX_VELOCITY and [TRAJ]MAX_LINEAR_VELOCITY at
V = ``machine.max_rapid``, every axis' MAX_ACCELERATION at A = ``machine.acceleration``, a 1 ms
servo period, the [TRAJ] ARC_BLEND_* settings and [DISPLAY]MAX_FEED_OVERRIDE at their defaults
(benchmarks/linuxcnc_sim.py runs LinuxCNC itself with that configuration).
-------------------------------------------------------------------------------------------
- Limits of a line (emccanon.cc ``getStraightVelocity``/``getStraightAcceleration``): along u
  it may accelerate at a = A/max_k |u_k| (√2·A on a 45° XY diagonal) and move at
  min(F, V/max_k |u_k|, V): the per-axis rate, then [TRAJ]MAX_LINEAR_VELOCITY, so a diagonal
  rapid is not faster than a straight one.
- Arcs (emccanon.cc ``ARC_FEED``, blendmath.c ``pmCircleActualMaxVel``): the planar speed
  stays within √(0.866·A·r) (a normal acceleration of at most √(1 − 0.5²)·a), a helix takes
  as long as its slowest part needs and its acceleration is the planar A scaled to the helix'
  length. The planner then takes the arc's radius of curvature as r + Δz²/r and, at the arc's
  machine speed limit v_m (not at F), leaves the tangential share √(1 − (v_m²/(r·a))²) of a,
  or 0.5 with v_m cut to √(0.866·a·r) where that is exceeded.
- A move shorter than 1.02 servo periods at its speed is slowed so that it lasts that long
  (tc.c ``tcClampVelocityByLength``, tp.c TP_MIN_SEGMENT_CYCLES).
- Where two moves meet under G64 P (tp.c ``tpHandleBlendArc``): nearly tangent moves run on at
  full speed when the kink needs less than 0.1 ([TRAJ]ARC_BLEND_KINK_RATIO) of the per-axis
  acceleration at the servo rate, s = (v/Δt + a)·max_k |Δu_k|/A (doubled next to an arc);
  otherwise the planner compares three ways through and takes the fastest:
  * a blend arc, between two lines (blendmath.c ``blendComputeParameters``): with the turn φ,
    θ = (π − φ)/2 and T = min(P, L_prev/4, L_next/4) (P = 0: the lengths alone), the arc may
    start d = min(L_prev/2, L_next/2, T·cos θ/(1 − sin θ)) before the corner, so its radius is
    R = d·tan θ and its speed v = min(√(0.866·A·R), v_move); it is widened to the larger of
    v²/(0.866·A) and the radius a parabolic blend would sweep, the lines are shortened by
    R/tan θ and the arc (length R·φ, acceleration 0.5·A) runs as a move of its own. Where an
    arc meets a move at a kink the arc-line blends rarely find room on CAM output's short arcs
    and LinuxCNC blends parabolically (measured): no blend arc is offered there;
  * a kink pass at v·0.1/s, the moves then at 0.9·a;
  * a parabolic blend (tp.c ``tpComputeBlendVelocity``: the speed at which either move may
    start to overlap the other, within 2·√(a·P/cos θ)), counted at half its speed: then both
    moves run at half acceleration and pass the corner at that speed.
  A change between rapid and feed, G61.1 exact stop, a reversal (within 2°), a dwell, spindle
  change or pause stops. G61 (exact path) stops at corners, with both moves at 0.9·a (the kink
  reduction tpSetupTangent leaves on them), and runs on through tangent joins. Under G64 a move
  with nothing after it to blend with (end of program, before a dwell) keeps its parabolic end
  condition, so it runs at half acceleration.
- Naive CAM (emccanon.cc ``see_segment``, G64 Q, Q = P when not given): consecutive feed
  lines whose corners all lie within Q of the line from the first start to the last end are
  sent as that one line (at most 100 points).
- Look-ahead (tp.c ``tpRunOptimization``, [TRAJ]ARC_BLEND_OPTIMIZATION_DEPTH 50): each move's
  end speed is planned back from a stop 50 moves later; the speed profile of a move is the
  trapezoid of :func:`osehw.cam.verify.timing.segment_time` with the move's tangential
  acceleration.
- Not modelled: the 1 ms time steps, the short-move velocity ramps (ARC_BLEND_RAMP_FREQ), the
  exact geometry of arc-line blends, spindle-synchronised motion, feed override, G64 Q given
  apart from P.
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
EXACT_STOP = -1.0  # tolerance value for G61.1: stop at the end of every move
EXACT_PATH = -2.0  # tolerance value for G61: stop at every corner, run on through tangent joins


def _naive_cam(rows: np.ndarray, tol: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge runs of feed lines that stay within their tolerance Q of one chord (emccanon.cc see_segment).

    A line may join the chain before it when both are feed lines at the same F and Q > 0 with no
    stop between; it joins when every point of the chain lies within Q of the segment from the
    chain's start to the line's end (at most 100 points); the chain is sent as that one line.
    """
    n = len(rows)
    line = rows[:, 0] == _LINE
    cand = np.zeros(n, dtype=bool)
    cand[1:] = (line[1:] & line[:-1] & (tol[1:] > 0) & (tol[1:] == tol[:-1]) & (rows[1:, 7] == rows[:-1, 7])
                & (rows[1:, 8] == 0))
    if not cand.any():
        return rows, tol
    keep = np.ones(n, dtype=bool)
    ends = rows[:, 4:7].copy()
    pts = rows[:, 1:7].tolist()
    k = 1
    while k < n:
        if not cand[k]:
            k += 1
            continue
        head = k - 1
        bx, by, bz = pts[head][0:3]
        chain = [pts[head][3:6]]
        while k < n and cand[k]:
            ex, ey, ez = pts[k][3:6]
            mx, my, mz = ex - bx, ey - by, ez - bz
            mm = mx * mx + my * my + mz * mz
            q = tol[k]
            ok = mm > 0 and len(chain) <= NAIVE_CAM_POINTS
            if ok:
                for px, py, pz in chain:
                    dx, dy, dz = px - bx, py - by, pz - bz
                    t = min(max((mx * dx + my * dy + mz * dz) / mm, 0.0), 1.0)
                    if (dx - t * mx) ** 2 + (dy - t * my) ** 2 + (dz - t * mz) ** 2 > q * q:
                        ok = False
                        break
            if ok:
                chain.append((ex, ey, ez))
                keep[k] = False
                ends[head] = (ex, ey, ez)
            else:
                head = k
                bx, by, bz = pts[head][0:3]
                chain = [(ex, ey, ez)]
            k += 1
    out = rows.copy()
    out[:, 4:7] = ends
    return out[keep], tol[keep]


def _arc_machine_limits(rows: np.ndarray, vmax: float, accel: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(speed limit, acceleration, radius of curvature for the planner) of arc rows.

    emccanon.cc ``ARC_FEED``: the planar speed stays within √(0.866·a·r_eff) (r_eff from the
    smaller radius and the radius' change per radian), the helix takes as long as its slowest
    part needs, and the acceleration is scaled from the plane to the whole helix. The planner's
    radius of curvature (blendmath.c ``pmCircleEffectiveMinRadius``) adds the helix rise Δz:
    r + Δz²/r.
    """
    sweep, rs, re = np.abs(rows[:, 11]), rows[:, 12], rows[:, 13]
    r_min = np.maximum(np.minimum(rs, re), 1e-9)
    dr = (re - rs) / np.maximum(sweep, 1e-12)
    v_planar = np.minimum(vmax, np.sqrt(ACC_RATIO_NORMAL * accel * np.hypot(dr, r_min)))
    spiral = np.hypot(r_min * sweep, re - rs)
    dz = rows[:, 6] - rows[:, 3]
    total = np.hypot(spiral, dz)
    chord = np.max(np.abs(rows[:, 4:7] - rows[:, 1:4]), axis=1)
    v = total / np.maximum(np.maximum(chord / vmax, spiral / v_planar), 1e-12)
    a = total / np.maximum(np.maximum(chord, spiral) / accel, 1e-12)
    radius = np.maximum(rs, 1e-9)
    return v, a, dz * dz / radius + radius


def _circle_limits(maxvel: np.ndarray, accel: np.ndarray, radius: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(speed limit, tangential share of the acceleration) on arcs (blendmath.c pmCircleActualMaxVel).

    The share follows from the arc's machine speed limit, not from F: at that speed the normal
    acceleration v²/r may use at most 0.866·a, leaving 0.5·a along the path.
    """
    cutoff = ACC_RATIO_NORMAL * accel
    a_n = maxvel * maxvel / radius
    over = a_n > cutoff
    share = np.sqrt(np.clip(1.0 - (a_n / accel) ** 2, 0.0, 1.0))
    return (np.where(over, np.sqrt(cutoff * radius), maxvel), np.where(over, ACC_RATIO_TAN, share))


def _blend_arcs(theta: np.ndarray, tol: np.ndarray, l1: np.ndarray, l2: np.ndarray, v_goal: np.ndarray,
                a_max: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(speed, trim of either move, arc length) of blend arcs (blendmath.c blendComputeParameters)."""
    a_n = a_max * ACC_RATIO_NORMAL
    d_geom = np.minimum(np.minimum(l1, l2), np.cos(theta) * tol / (1.0 - np.sin(theta)))
    r_geom = np.tan(theta) * d_geom
    v_plan = np.minimum(np.sqrt(a_n * r_geom), v_goal)
    phi = np.pi - 2.0 * theta
    a_par = 0.5 * a_max
    t_blend = np.minimum(np.sqrt(2.0 * a_par * d_geom), v_plan) / a_par
    r_plan = np.maximum(v_plan * v_plan / a_n, np.minimum(t_blend * v_plan / phi, r_geom))
    s_arc = r_plan * phi
    v_arc = np.minimum(v_plan, s_arc / (CYCLE_S * MIN_SEGMENT_CYCLES))
    return v_arc, r_plan / np.tan(theta), s_arc


def _geometry(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(path length, start tangent, end tangent) of every row (helices: √((r̄·θ)² + Δz²))."""
    arc = rows[:, 0] == _ARC
    d = rows[:, 4:7] - rows[:, 1:4]
    chord = np.linalg.norm(d, axis=1)
    u = d / np.maximum(chord, 1e-12)[:, None]
    sweep = rows[:, 11]
    planar = np.abs(sweep) * 0.5 * (rows[:, 12] + rows[:, 13])
    length = np.where(arc, np.hypot(planar, d[:, 2]), chord)
    if not arc.any():
        return length, u, u
    signed = np.where(sweep > 0, 1.0, -1.0) * planar
    tangents = []
    for p in (rows[:, 1:4], rows[:, 4:7]):
        ang = np.arctan2(p[:, 1] - rows[:, 10], p[:, 0] - rows[:, 9])
        t = np.stack([-np.sin(ang) * signed, np.cos(ang) * signed, d[:, 2]], axis=1)
        t /= np.maximum(np.linalg.norm(t, axis=1), 1e-12)[:, None]
        tangents.append(np.where(arc[:, None], t, u))
    return length, tangents[0], tangents[1]


def plan_blocks(rows: np.ndarray, tol: np.ndarray,
                machine: Machine) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Blocks LinuxCNC's planner runs: (lengths, speed limits, accelerations, entry speed² limits, lines).

    ``rows`` as :func:`osehw.cam.verify.timing._rows` makes them, ``tol`` the G64 P in force at
    each (EXACT_PATH: G61, EXACT_STOP: G61.1). Blend arcs become blocks of their own between the
    moves they join.
    """
    V = machine.max_rapid / 60.0
    A = machine.acceleration
    rows, tol = _naive_cam(rows, tol)
    length, t_start, t_end = _geometry(rows)
    keep = length > 1e-9  # tp.c refuses zero-length moves; a stop before one carries to the next
    if not keep.all():
        since = np.cumsum(rows[:, 8] > 0)[keep]
        rows, tol, length, t_start, t_end = rows[keep], tol[keep], length[keep], t_start[keep], t_end[keep]
        rows = rows.copy()
        rows[:, 8] = np.diff(np.concatenate([[-1], since])) > 0
    n = len(rows)
    if not n:
        return np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0)
    code, feed, rest = rows[:, 0], rows[:, 7], rows[:, 8] > 0
    arc = code == _ARC
    u_max = np.max(np.abs(rows[:, 4:7] - rows[:, 1:4]), axis=1) / np.maximum(length, 1e-12)
    u_max = np.where(u_max > 0, u_max, 1.0)
    vel = np.minimum(np.minimum(feed, V / u_max), V)
    acc = A / u_max
    arc_vmax, arc_acc, arc_r = np.zeros(n), np.zeros(n), np.ones(n)
    if arc.any():
        v_a, a_a, r_a = _arc_machine_limits(rows[arc], V, A)
        arc_vmax[arc] = np.minimum(v_a, length[arc] / CYCLE_S)
        arc_acc[arc], arc_r[arc] = a_a, r_a
        vel = np.where(arc, np.minimum(np.minimum(feed, arc_vmax), V), vel)
        acc = np.where(arc, arc_acc, acc)
    # junction j joins move j-1 to move j (j = 1 … n-1); the end condition is move j-1's mode
    q = tol[:-1]
    rapid = code == _RAPID
    mode_change = rapid[:-1] != rapid[1:]
    stop = rest[1:] | (q == EXACT_STOP) | mode_change
    exact = q == EXACT_PATH  # G61: only tangent joins run on
    cos_turn = np.clip(np.einsum("ij,ij->i", t_end[:-1], t_start[1:]), -1.0, 1.0)
    turn = np.arccos(cos_turn)
    stop |= turn > np.pi - SHARP_CORNER  # a reversal
    v_max = np.minimum(vel[:-1], vel[1:])
    scale = (v_max / CYCLE_S + acc[1:]) * np.max(np.abs(t_start[1:] - t_end[:-1]), axis=1) / A
    scale = np.where(arc[:-1] | arc[1:], scale / ACC_RATIO_TAN, scale)
    tangent = scale < KINK_RATIO
    kink_v = v_max * KINK_RATIO / np.maximum(scale, 1e-12)
    l_prev, l_next = length[:-1], length[1:]
    theta = 0.5 * (np.pi - turn)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_blend = np.minimum(np.where(q > 0, q, np.inf), np.minimum(l_prev, l_next) / 4)
        arc_v, trim, s_arc = _blend_arcs(np.maximum(theta, 1e-9), t_blend, 0.5 * l_prev, 0.5 * l_next,
                                         np.maximum(vel[:-1], vel[1:]), A)
        # blend arcs only between two lines: the arc-line and arc-arc blends (tp.c tpCreateArcArcBlend …)
        # need room the short arcs of CAM output rarely leave; LinuxCNC then blends them parabolically
        arc_v = np.where((theta > 1e-9) & ~(arc[:-1] | arc[1:]), np.nan_to_num(arc_v), 0.0)
        # parabolic blend at half acceleration (tp.c tpComputeBlendVelocity), counted at half its speed;
        # on an arc only the tangential share of the acceleration counts
        acc_tan = acc.copy()
        if arc.any():
            acc_tan[arc] *= _circle_limits(arc_vmax[arc], acc[arc], arc_r[arc])[1]
        a1, a2 = 0.5 * acc_tan[:-1], 0.5 * acc_tan[1:]
        r1 = np.minimum(np.sqrt(a1 * l_prev), vel[:-1])
        r2 = np.minimum(np.sqrt(a2 * l_next), vel[1:])
        tb = np.minimum(np.minimum(l_prev / r1, l_next / r2), np.maximum(r1 / a1, r2 / a2))
        vb1, vb2 = np.minimum(r1, tb * a1), np.minimum(r2, tb * a2)
        cos_half = np.cos(theta)
        capped = (q > 0) & (cos_half > math.cos(math.pi / 2 - 1e-3))
        cap = np.where(capped, 2.0 * np.sqrt(a1 * np.maximum(q, 0.0) / np.where(capped, cos_half, 1.0)), np.inf)
        vb1, vb2 = np.minimum(vb1, cap), np.minimum(vb2, cap)
        parabolic_perf = np.sin(theta) * 0.5 * (vb1 + vb2) / 2.0
    best = np.argmax(np.stack([parabolic_perf, kink_v, arc_v]), axis=0)
    # G61 at a corner: no blend, but tpSetupTangent has already cut both moves' acceleration by the kink ratio
    exact_corner = exact & ~stop & ~tangent
    free = ~stop & ~tangent & ~exact
    use_tangent = ~stop & tangent
    use_arc = free & (best == 2)
    use_kink = free & (best == 1)
    use_parabolic = free & (best == 0)
    entry = np.zeros(n)
    entry[1:] = np.select([use_tangent, use_arc, use_kink, use_parabolic],
                          [v_max, arc_v, kink_v, np.minimum(vb1, vb2)], 0.0)
    cut = np.select([use_tangent, use_kink | exact_corner], [scale, np.full(n - 1, KINK_RATIO)], 0.0)
    reduce = np.zeros(n)
    reduce[:-1] = cut
    reduce[1:] = np.maximum(reduce[1:], cut)
    half = np.zeros(n, dtype=bool)  # parabolic end or start: half acceleration
    half[:-1] |= use_parabolic
    half[1:] |= use_parabolic
    # under G64 a move that stops for a dwell, pause or spindle change keeps its parabolic end
    half[:-1] |= rest[1:] & (q >= 0) & ~mode_change
    half[-1] |= tol[-1] >= 0  # nothing follows the last move
    trim_end, trim_start = np.zeros(n), np.zeros(n)
    trim_end[:-1] = np.where(use_arc, trim, 0.0)
    trim_start[1:] = trim_end[:-1]
    a_eff = acc * (1.0 - reduce) * np.where(half, 0.5, 1.0)
    v_eff = vel
    if arc.any():
        maxvel, share = _circle_limits(arc_vmax[arc], a_eff[arc], arc_r[arc])
        # a move is finalized (tc.c tcFinalizeLength: its arc limits set) when the next one is queued;
        # one that runs before anything follows (end of program, a dwell, an M-code) keeps the
        # arc's machine speed limit and the default tangential share 0.5
        unfinished = np.zeros(n, dtype=bool)
        unfinished[:-1] = rest[1:]
        unfinished[-1] = True
        maxvel = np.where(unfinished[arc], arc_vmax[arc], maxvel)
        share = np.where(unfinished[arc], ACC_RATIO_TAN, share)
        v_eff = vel.copy()
        v_eff[arc] = np.minimum(np.minimum(feed[arc], maxvel), V)
        a_eff[arc] *= share
    move_len = np.maximum(length - trim_start - trim_end, 1e-9)
    v_eff = np.minimum(v_eff, move_len / (CYCLE_S * MIN_SEGMENT_CYCLES))
    # interleave the blend arcs after the moves they follow
    blend_after = np.zeros(n, dtype=bool)
    blend_after[:-1] = use_arc
    pos = np.arange(n) + np.concatenate([[0], np.cumsum(blend_after)[:-1]])
    total = n + int(blend_after.sum())
    out_len, out_v, out_a, out_entry = (np.zeros(total) for _ in range(4))
    out_len[pos], out_v[pos], out_a[pos], out_entry[pos] = move_len, v_eff, a_eff, entry
    arc_pos = pos[blend_after] + 1
    out_len[arc_pos] = s_arc[use_arc]
    out_v[arc_pos] = arc_v[use_arc]
    out_a[arc_pos] = A * ACC_RATIO_TAN
    out_entry[arc_pos] = arc_v[use_arc]
    out_line = np.zeros(total)
    out_line[pos] = rows[:, 14]
    out_line[arc_pos] = rows[1:, 14][use_arc]  # a blend arc counts with the move it leads into
    return out_len, out_v, out_a, out_entry ** 2, out_line


def tolerances(lines: np.ndarray, blend: Sequence[tuple[int, float]]) -> np.ndarray:
    """The G64 P tolerance [mm] in force at each of ``lines`` (EXACT_PATH under G61, EXACT_STOP under
    G61.1), from (line, value) changes; LinuxCNC starts in G64 without P."""
    changes = np.array([c[0] for c in blend] or [0])
    values = np.array([c[1] for c in blend] or [0.0])
    at = np.searchsorted(changes, lines, side="right") - 1
    return np.where(at >= 0, values[np.maximum(at, 0)], 0.0)


_COMMENT = re.compile(r"\([^)]*\)|;.*")
_WORD = re.compile(r"([A-Z])\s*([-+]?(?:\d+\.?\d*|\.\d+))")


def blend_changes(text: str) -> list[tuple[int, float]]:
    """(line, tolerance [mm]) wherever G61 (EXACT_PATH), G61.1 (EXACT_STOP) or G64 [P] is set; lines from 1.

    G64 without P blends with no tolerance but the moves' lengths (0.0). P is in the program's
    units (G20: inches). Only the words of one block are read: no parameters or expressions.
    """
    out: list[tuple[int, float]] = []
    inch = False
    upper = text.upper()
    units = "G20" in upper or "G 20" in upper  # else only the lines naming G6x matter
    for lineno, raw in enumerate(upper.splitlines(), start=1):
        if not units and "G6" not in raw and "G 6" not in raw:
            continue
        line = _COMMENT.sub("", raw)
        if "G" not in line:
            continue
        words = _WORD.findall(line)
        gs = {float(v) for k, v in words if k == "G"}
        if 20.0 in gs or 21.0 in gs:
            inch = 20.0 in gs
        if 61.1 in gs:
            out.append((lineno, EXACT_STOP))
        elif 61.0 in gs:
            out.append((lineno, EXACT_PATH))
        elif 64.0 in gs:
            p = next((float(v) for k, v in words if k == "P"), 0.0)
            out.append((lineno, p * (25.4 if inch else 1.0)))
    return out
