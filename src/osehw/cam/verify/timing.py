"""Machining-time estimate from parsed moves: GRBL 1.1's planner and stepper in closed form.

Model (stated so results can be checked by hand; grbl/planner.c, grbl/motion_control.c,
grbl/stepper.c of GRBL 1.1h, https://github.com/gnea/grbl)
-----------------------------------------------------------------------------------------
- Start: an axis the program has not yet commanded stands at ``machine.start_position``
  ("work_zero": X0 Y0 Z0 of the program frame, where the tool was touched off; or a given
  point, e.g. where homing leaves it). With "unknown", moves from an unknown position are left out.
- Arcs (motion_control.c ``mc_arc``, setting $12 = ``machine.arc_tolerance`` e): an arc of
  radius r and sweep θ runs as n = ⌊|θ·r/2| / √(e·(2r − e))⌋ equal chords (one line if n = 0)
  whose ends lie on the arc; each chord is a line move below.
- Per-axis limits (planner.c ``limit_value_by_axis_maximum``): a move along unit vector u may
  accelerate at min_k a_k/|u_k| and travel at most min_k v_k/|u_k| (every axis has the profile's
  ``acceleration`` and ``max_rapid``): a 45° XY diagonal gets √2 times either.
  Cruise speed: rapids at that rate, cutting moves at F clamped to it and to ``max_feed``.
- Junctions (planner.c, $11 = ``machine.junction_deviation`` δ): with cos θ = −u_prev·u and
  s = √((1 − cos θ)/2), v_j² = a_j·δ·s/(1 − s), a_j the per-axis acceleration limit along
  u − u_prev; 0 for a reversal, unlimited going straight on; the entry speed is at most v_j and
  both moves' cruise speeds. After any stop (dwell, spindle change, pause) the entry speed is 0.
- Look-ahead (planner.c ``planner_recalculate``, BLOCK_BUFFER_SIZE 16 = 15 moves): while move i
  runs, the planner holds moves i … i+14 and plans to stand still at the end of i+14, so with
  S_k = Σ_{m<k} 2·a_m·L_m the speed² leaving move i is
  e_{i+1} = min(e_i + 2·a_i·L_i, min_{i<j<i+15}(maxentry_j + S_j) − S_{i+1}, S_{i+15} − S_{i+1}),
  which is GRBL's reverse pass (decelerate in time) and forward pass (accelerate in reach) over
  that window. The sender is assumed to keep the buffer full.
- Each move follows a trapezoidal speed profile (stepper.c ``st_prep_buffer``: accelerate at a,
  cruise, decelerate at a) or a triangular one if too short to reach cruise:
  with d_acc = (v_c² − v_0²)/2a and d_dec = (v_c² − v_1²)/2a,
  t = (v_c − v_0)/a + (v_c − v_1)/a + (L − d_acc − d_dec)/v_c  if d_acc + d_dec ≤ L,
  else the peak v_p = √(a·L + (v_0² + v_1²)/2) and t = (2·v_p − v_0 − v_1)/a.
  A single move from rest to rest with L ≥ v²/a gives t = L/v + v/a.
- Not modelled: steps-per-mm rounding of positions, the stepper's 10 ms segments, feed overrides.
- Lower bound (no acceleration at all): Σ L/v_cruise with v_cruise the clamped F for cuts and,
  for rapids, the per-axis limit along their path (max_rapid/max_k |u_k|: √2 × max_rapid on a 45°
  diagonal, as above), arcs as arcs; so the estimate never falls below it.
Dwell time is added to both by the caller. A machine whose controller is LinuxCNC is timed on
LinuxCNC 2.9's planner instead (:mod:`osehw.cam.verify.timing_linuxcnc`); the lower bound is
the same.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from osehw.cam.shop import Machine
from osehw.cam.verify import timing_linuxcnc
from osehw.cam.verify.parse import ParsedMove
from osehw.cam.verify.table import ARC, RAPID, MoveTable, as_table

BLOCK_BUFFER_SIZE = 16  # GRBL 1.1 planner.h: 16 slots, one always empty
LOOKAHEAD = BLOCK_BUFFER_SIZE - 1  # moves the planner holds while one runs
STRAIGHT_COS = 0.999999  # planner.c: |cos θ| above this is a reversal or a straight continuation


def junction_speed(before: np.ndarray, after: np.ndarray, accel: float, deviation: float) -> float:
    """Largest speed [mm/s] through the corner between unit directions ``before`` and ``after``.

    GRBL's junction deviation (grbl/planner.c): the tool may cut the corner by a circle of
    deviation δ whose centripetal acceleration stays at ``accel`` (a scalar here: the same on
    every axis, see :func:`motion_time` for the per-axis form).
    """
    cos_theta = -float(np.dot(before, after))
    if cos_theta > STRAIGHT_COS:
        return 0.0
    if cos_theta < -STRAIGHT_COS:
        return math.inf
    s = math.sqrt(0.5 * (1.0 - cos_theta))
    return math.sqrt(accel * deviation * s / (1.0 - s))


def segment_time(length: float, v0: float, v1: float, vc: float, accel: float) -> float:
    """Time [s] of one move of ``length`` [mm] entered at v0, left at v1, cruising at vc [mm/s]."""
    return float(_segment_times(np.array([length]), np.array([v0]), np.array([v1]), np.array([vc]),
                                np.array([accel]))[0])


CHUNK = 1 << 15  # blocks per slice: a slice's temporaries stay in the CPU cache (long programs have millions)


def _segment_times(length: np.ndarray, v0: np.ndarray, v1: np.ndarray, vc: np.ndarray,
                   accel: np.ndarray) -> np.ndarray:
    """Time [s] of every block (the formula of :func:`segment_time`), computed slice by slice."""
    n = len(length)
    if n <= CHUNK:
        return _segment_times_slice(length, v0, v1, vc, accel)
    out = np.empty(n)
    for a in range(0, n, CHUNK):
        b = min(a + CHUNK, n)
        out[a:b] = _segment_times_slice(length[a:b], v0[a:b], v1[a:b], vc[a:b], accel[a:b])
    return out


def _segment_times_slice(length: np.ndarray, v0: np.ndarray, v1: np.ndarray, vc: np.ndarray,
                         accel: np.ndarray) -> np.ndarray:
    # the same arithmetic as written in the module docstring, with shared squares (millions of blocks)
    vc2, v02, v12, two_a = vc * vc, v0 * v0, v1 * v1, 2 * accel
    d_acc = (vc2 - v02) / two_a
    d_dec = (vc2 - v12) / two_a
    trapezoid = (vc - v0) / accel + (vc - v1) / accel + (length - d_acc - d_dec) / vc
    vp = np.sqrt(accel * length + (v02 + v12) / 2)
    triangle = np.maximum((2 * vp - v0 - v1) / accel, 0.0)
    return np.where(d_acc + d_dec <= length, trapezoid, triangle)


def _start_point(machine: Machine) -> tuple[float, float, float] | None:
    start = machine.start_position
    if start == "unknown":
        return None
    if start == "work_zero":
        return (0.0, 0.0, 0.0)
    return (float(start[0]), float(start[1]), float(start[2]))


_RAPID, _LINE, _ARC = 0, 1, 2


def _max_abs(v: np.ndarray) -> np.ndarray:
    """max_k |v[:, k]| of an (n, 3) array (the axis that limits a move along v)."""
    return np.maximum(np.maximum(np.abs(v[:, 0]), np.abs(v[:, 1])), np.abs(v[:, 2]))


def _window_min(x: np.ndarray, width: int) -> np.ndarray:
    """y[i] = min(x[i : i + width]) for every full window, by doubling (O(n·log width))."""
    mins = {1: x}
    span = 1
    while 2 * span <= width:
        prev = mins[span]
        mins[2 * span] = np.minimum(prev[:-span], prev[span:])
        span *= 2
    n = len(x) - width + 1
    out = mins[span][:n].copy()
    covered = span
    while covered < width:  # cover the rest with the largest power of two that still fits
        step = span
        while covered + step > width:
            step //= 2
        np.minimum(out, mins[step][covered:covered + n], out=out)
        covered += step
    return out


def _rows(moves: Sequence[ParsedMove] | MoveTable, machine: Machine) -> np.ndarray:
    """One row per timed move: kind, start xyz, end xyz, cruise [mm/s], rest, centre xy, sweep, r_start,
    r_end, line.

    Never-commanded coordinates are set to the machine's start position (they stay there); with
    "unknown" such moves are left out, as are cutting moves without a positive feed (reported
    elsewhere). ``rest``: the move starts from rest, after a stop or where it does not begin
    where the previous timed move ended.
    """
    t = as_table(moves)
    start_at = _start_point(machine)
    ms, me = t.start, t.end
    unknown = np.isnan(ms).any(axis=1) | np.isnan(me).any(axis=1)
    keep = np.ones(len(t), bool)
    if start_at is None:
        keep &= ~unknown
    else:
        fill = np.array(start_at, dtype=float)
        ms, me = np.where(np.isnan(ms), fill, ms), np.where(np.isnan(me), fill, me)
    rapid = t.kind == RAPID
    keep &= rapid | (t.feed > 0)
    v = np.where(rapid, np.inf, np.minimum(t.feed, machine.max_feed) / 60.0)
    code = np.where(rapid, _RAPID, np.where(t.kind == ARC, _ARC, _LINE))
    # rest: a stop, the first timed move, right after a left-out move, or not where the last one ended
    prev_kept = np.concatenate([[False], keep[:-1]])
    moved = np.concatenate([[True], (me[:-1] != ms[1:]).any(axis=1)])
    rest = t.stop_before | ~prev_kept | moved
    rows = np.column_stack([code, ms, me, v, rest, t.center, t.sweep, t.r_start, t.r_end, t.line])
    return rows[keep].astype(float).reshape(-1, 15)


def _blocks(rows: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Planner blocks: (dx, dy, dz [mm], cruise limit [mm/s], starts from rest), one entry a block.

    A line is one block, an arc its chords (``mc_arc``: ends on the arc, the last one exactly at
    the programmed end; the radius runs linearly for a slightly inconsistent arc). Columns, not
    (n, 3) rows: an arc-heavy program has millions of chords.
    """
    arc, sweep, rs = rows[:, 0] == _ARC, rows[:, 11], rows[:, 12]
    with np.errstate(invalid="ignore", divide="ignore"):
        chords = np.floor(np.abs(0.5 * sweep * rs) / np.sqrt(tol * (2 * rs - tol)))
    count = np.where(arc & (rs > tol), np.nan_to_num(chords), 1.0)
    count = np.maximum(count, 1.0).astype(np.int64)  # no chord at all: one line to the end
    first = np.concatenate([[0], np.cumsum(count)])
    total = int(first[-1])
    out = [np.empty(total) for _ in range(4)] + [np.zeros(total, bool)]
    # moves in groups of about CHUNK blocks (a move's chords depend only on the move): temporaries stay in cache
    cuts = np.concatenate([[0], np.searchsorted(first, np.arange(CHUNK, total, CHUNK)), [len(rows)]])
    cuts = cuts[np.concatenate([[True], np.diff(cuts) > 0])]  # sorted: unique without np.unique's numpy.ma
    for g0, g1 in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
        part = _chords(rows[g0:g1], count[g0:g1])
        for o, p in zip(out, part):
            o[first[g0]:first[g1]] = p
    return out[0], out[1], out[2], out[3], out[4]


def _chords(rows: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, ...]:
    """:func:`_blocks` of some moves, ``count`` blocks each."""
    code, cruise, rest = rows[:, 0], rows[:, 7], rows[:, 8] > 0
    cx, cy, sweep, rs, re = rows[:, 9], rows[:, 10], rows[:, 11], rows[:, 12], rows[:, 13]
    arc = code == _ARC
    total = int(count.sum())
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    k = np.arange(total) - np.repeat(first, count) + 1  # 1 … count within the move
    per_move = np.repeat(count, count)
    t = k / per_move
    ends = []
    for a in range(3):  # lines (t = 1) and every chord's z
        s0 = rows[:, 1 + a]
        ends.append(np.repeat(s0, count) + np.repeat(rows[:, 4 + a] - s0, count) * t)
    on_arc = np.repeat(arc, count) & (k < per_move)
    if on_arc.any():
        # only the arcs' rows, repeated once per chord (np.repeat streams; a gather by index does not)
        sub = arc & (count > 1)
        reps = count[sub]
        idx = np.flatnonzero(on_arc)
        ti = t[np.flatnonzero(np.repeat(sub, count))]
        a0 = np.arctan2(rows[sub, 2] - cy[sub], rows[sub, 1] - cx[sub])
        angle = np.repeat(a0, reps) + np.repeat(sweep[sub], reps) * ti
        radius = np.repeat(rs[sub], reps) + np.repeat(re[sub] - rs[sub], reps) * ti
        keep = k[np.flatnonzero(np.repeat(sub, count))] < np.repeat(reps, reps)  # the last chord ends exactly
        ends[0][idx] = (np.repeat(cx[sub], reps) + radius * np.cos(angle))[keep]
        ends[1][idx] = (np.repeat(cy[sub], reps) + radius * np.sin(angle))[keep]
    starts = np.flatnonzero(k == 1)
    deltas = []
    for a in range(3):
        e = ends[a]
        d = np.empty(total)
        d[1:] = e[1:] - e[:-1]
        d[starts] = e[starts] - rows[:, 1 + a]
        deltas.append(d)
    rest_in = np.zeros(total, bool)
    rest_in[starts] = rest
    return deltas[0], deltas[1], deltas[2], np.repeat(cruise, count), rest_in


def _max_abs3(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """max(|x|, |y|, |z|) elementwise (the axis that limits a move along (x, y, z))."""
    return np.maximum(np.maximum(np.abs(x), np.abs(y)), np.abs(z))


def _limits(dx: np.ndarray, dy: np.ndarray, dz: np.ndarray, length: np.ndarray, cruise: np.ndarray,
            machine: Machine) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per block: acceleration [mm/s²], nominal speed [mm/s] and junction speed² from the block before.

    Per-axis limits (equal on every axis) along the block's unit vector u; the junction from u_prev
    to u by GRBL's junction deviation, limited per axis along u − u_prev. Slice by slice (CHUNK),
    each slice with the block before it.
    """
    n = len(length)
    accel, nominal, vj2 = np.empty(n), np.empty(n), np.zeros(n)
    for a in range(0, n, CHUNK):
        b = min(a + CHUNK, n)
        lo = max(a - 1, 0)
        ux, uy, uz = dx[lo:b] / length[lo:b], dy[lo:b] / length[lo:b], dz[lo:b] / length[lo:b]
        amax = _max_abs3(ux, uy, uz)[a - lo:]
        accel[a:b] = machine.acceleration / amax  # [mm/s²], equal limits on every axis
        nominal[a:b] = np.minimum(cruise[a:b], (machine.max_rapid / 60.0) / amax)
        if len(ux) < 2:
            continue
        cos_theta = -(ux[:-1] * ux[1:] + uy[:-1] * uy[1:] + uz[:-1] * uz[1:])
        jx, jy, jz = ux[1:] - ux[:-1], uy[1:] - uy[:-1], uz[1:] - uz[:-1]
        jn = np.sqrt(jx * jx + jy * jy + jz * jz)
        jn[jn == 0] = 1.0
        s = np.sqrt(np.clip(0.5 * (1.0 - cos_theta), 0.0, 1.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            # the acceleration limit along u − u_prev: per axis, max_k |j_k| / |j| of the unit vector
            ja = machine.acceleration / (_max_abs3(jx, jy, jz) / jn)
            vj2[lo + 1:b] = np.where(cos_theta > STRAIGHT_COS, 0.0, np.where(
                cos_theta < -STRAIGHT_COS, np.inf, ja * machine.junction_deviation * s / (1.0 - s)))
    return accel, nominal, vj2


def motion_time(moves: Sequence[ParsedMove] | MoveTable, machine: Machine,
                blend: Sequence[tuple[int, float]] = ()) -> tuple[float, float]:
    """(estimated time with acceleration, lower bound without) [s] for the known moves.

    Moves from an unknown position (with ``start_position`` "unknown"), of zero length, or
    cutting moves with no positive feed (reported elsewhere) are left out. The planner is the
    machine's controller's: LinuxCNC's (:mod:`osehw.cam.verify.timing_linuxcnc`, with ``blend``
    the program's G61/G64 P changes from :func:`~osehw.cam.verify.timing_linuxcnc.blend_changes`),
    else GRBL's (this module; Mach3 is timed as GRBL).
    """
    rows = _rows(moves, machine)
    if not len(rows):
        return 0.0, 0.0
    # lower bound: every move at its cruise speed, arcs as arcs (helix: √((r̄·θ)² + Δz²))
    d = rows[:, 4:7] - rows[:, 1:4]
    arc = rows[:, 0] == _ARC
    path = np.where(arc, np.hypot(np.abs(rows[:, 11]) * 0.5 * (rows[:, 12] + rows[:, 13]), d[:, 2]),
                    np.linalg.norm(d, axis=1))
    # a rapid runs at most at the per-axis limit along its direction (√2 × max_rapid on a 45° diagonal)
    with np.errstate(divide="ignore", invalid="ignore"):
        rapid_rate = (machine.max_rapid / 60.0) / np.where(path > 1e-9, _max_abs(d / np.maximum(path, 1e-12)[:, None]),
                                                            1.0)
    speed = np.where(rows[:, 0] == _RAPID, rapid_rate, rows[:, 7])
    bound = float(np.sum(np.where(path > 1e-9, path / speed, 0.0)))
    planner = _PLANNERS.get(machine.controller)
    if planner is not None:
        # blending cuts corners by at most P, so the bound (the programmed path at full speed) still holds
        return max(planner(rows, machine, blend), bound), bound
    dx, dy, dz, cruise, rest_in = _blocks(rows, machine.arc_tolerance)
    length = np.sqrt(dx * dx + dy * dy + dz * dz)
    keep = length > 1e-9
    if not keep.any():
        return 0.0, bound
    # a zero-length block is dropped (GRBL plans none); a stop before it carries over to the next block
    since = np.cumsum(rest_in)[keep]
    rest = np.diff(np.concatenate([[-1], since])) > 0
    rest[0] = True
    if not keep.all():
        dx, dy, dz, length, cruise = dx[keep], dy[keep], dz[keep], length[keep], cruise[keep]
    accel, nominal, vj2 = _limits(dx, dy, dz, length, cruise, machine)
    max_entry = _entry_limit(vj2, nominal)
    max_entry[rest] = 0.0
    return float(np.sum(_planned_times(length, nominal, accel, max_entry, rest, LOOKAHEAD))), bound


def _entry_limit(junction2: np.ndarray, nominal: np.ndarray) -> np.ndarray:
    """Largest speed² [mm²/s²] entering each block: its junction's, and neither block's nominal speed
    (the first block's predecessor counts as stopped)."""
    return np.minimum(junction2, np.minimum(nominal, np.concatenate([[0.0], nominal[:-1]])) ** 2)


def _planned_times(length: np.ndarray, nominal: np.ndarray, accel: np.ndarray, max_entry: np.ndarray,
                   rest: np.ndarray, lookahead: int) -> np.ndarray:
    """Time [s] of each block after the planner's reverse and forward passes over ``lookahead`` blocks.

    ``max_entry``: the largest speed² [mm²/s²] entering each block (0 after a stop); ``rest``: the
    block starts from rest. See the module docstring (look-ahead) for the closed form.
    """
    n = len(length)
    reach = 2.0 * accel * length  # speed² gained or lost over a block at full acceleration
    S = np.concatenate([[0.0], np.cumsum(reach)])  # S[k] = Σ_{m<k} reach_m
    # M_j = maxentry_j + S_j; a virtual stop after the last block: M_n = S_n
    M = np.concatenate([max_entry + S[:-1], [S[-1]], np.full(lookahead, np.inf)])
    # entry of block i+1 while block i runs: min over j in [i+1, i+lookahead-1] of M_j and the stop S_{i+lookahead}
    win = _window_min(M[1:], lookahead - 1)[:n]
    terminal = S[np.minimum(np.arange(n) + lookahead, n)]
    limit = np.minimum(win, terminal) - S[1:]  # bound on e_{i+1} for i = 0..n-1
    c = np.concatenate([[0.0], limit])  # c_0: the first block starts from rest
    c[:-1][rest] = 0.0
    # forward pass e_{k} = min_{j≤k}(c_j + S_k − S_j)
    e2 = S + np.minimum.accumulate(c - S)
    e2 = np.maximum(e2, 0.0)
    v = np.sqrt(e2)
    return _segment_times(length, v[:-1], v[1:], nominal, accel)


def _linuxcnc_time(rows: np.ndarray, machine: Machine, blend: Sequence[tuple[int, float]]) -> float:
    """Motion time [s] on LinuxCNC 2.9's planner (:mod:`osehw.cam.verify.timing_linuxcnc`)."""
    lc = timing_linuxcnc
    length, nominal, accel, entry2, _lines = lc.plan_blocks(rows, lc.tolerances(rows[:, 14], blend), machine)
    keep = length > 1e-9
    length, nominal, accel, entry2 = length[keep], nominal[keep], accel[keep], entry2[keep]
    if not len(length):
        return 0.0
    max_entry = _entry_limit(entry2, nominal)
    max_entry[0] = 0.0
    rest = max_entry <= 0.0
    return float(np.sum(_planned_times(length, nominal, accel, max_entry, rest, lc.LOOKAHEAD)))


# controllers with a planner model of their own; every other one (GRBL, Mach3) is timed as GRBL above
_PLANNERS = {"linuxcnc": _linuxcnc_time}

