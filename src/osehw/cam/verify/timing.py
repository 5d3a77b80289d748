"""Machining-time estimate from parsed moves, with the machine's acceleration.

Model (stated so results can be checked by hand)
------------------------------------------------
- Each move is travelled along its path with one acceleration limit
  ``a = machine.acceleration`` [mm/s²] applied to the path speed (the same
  value for every axis; a controller that limits each axis separately is at
  least this fast on diagonals, so the estimate is conservative there).
- Cruise speed: rapids at ``machine.max_rapid``, cutting moves at their
  programmed F clamped to ``machine.max_feed`` (as the controller clamps).
  On an arc of radius r the cruise speed is further limited to √(a·r), the
  speed whose centripetal acceleration v²/r equals a (uniform circular motion).
- Junctions: the speed where two moves meet follows GRBL's junction
  deviation model (grbl/planner.c, setting $11, default δ = 0.01 mm): with
  θ the angle between the two travel directions (θ = 0 going straight on),
  v_j = √(a·δ·s/(1 − s)), s = sin((π − θ)/2), capped at the smaller cruise
  speed of both moves. A reversal (θ = 180°) gives 0, a 90° corner
  √(2.414·a·δ) ≈ 3.5 mm/s at a = 500 mm/s², a tangent continuation the full
  cruise speed. After any stop (dwell, spindle change, pause, unknown
  position) the junction speed is 0.
- Junction speeds are then lowered, as in GRBL's planner (grbl/planner.c:
  reverse then forward pass), so that each move can reach them:
  v_exit² ≤ v_entry² + 2·a·L and v_entry² ≤ v_exit² + 2·a·L.
- Each move then follows a trapezoidal speed profile (accelerate at a,
  cruise, decelerate at a) or a triangular one if it is too short to reach
  cruise:  with d_acc = (v_c² − v_0²)/2a and d_dec = (v_c² − v_1²)/2a,
  t = (v_c − v_0)/a + (v_c − v_1)/a + (L − d_acc − d_dec)/v_c  if d_acc + d_dec ≤ L,
  else the peak v_p = √(a·L + (v_0² + v_1²)/2) and t = (2·v_p − v_0 − v_1)/a.
  A single move from rest to rest with L ≥ v²/a gives t = L/v + v/a.
- Lower bound (no acceleration at all): Σ L/v_cruise with v_cruise the
  clamped F for cuts and max_rapid for rapids (no arc limit).
Dwell time is added to both by the caller.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from osehw.cam.shop import Machine
from osehw.cam.verify.parse import ParsedMove
from osehw.cam.verify.sweep import arc_angle0, move_length

JUNCTION_DEVIATION = 0.01  # [mm] GRBL's default $11


def _tangents(m: ParsedMove, length: float) -> tuple[np.ndarray, np.ndarray]:
    """Unit tangent vectors at the start and end of a move."""
    s, e = np.asarray(m.start), np.asarray(m.end)
    if m.kind != "arc":
        d = (e - s) / length
        return d, d
    out = []
    a0 = arc_angle0(m)
    dr, dz = m.r_end - m.r_start, e[2] - s[2]
    for t in (0.0, 1.0):
        a = a0 + m.sweep * t
        r = m.r_start + dr * t
        # d/dt of (c + r(t)·(cos a(t), sin a(t)), z(t))
        v = np.array([dr * math.cos(a) - r * m.sweep * math.sin(a),
                      dr * math.sin(a) + r * m.sweep * math.cos(a), dz])
        out.append(v / np.linalg.norm(v))
    return out[0], out[1]


def junction_speed(before: np.ndarray, after: np.ndarray, accel: float,
                   deviation: float = JUNCTION_DEVIATION) -> float:
    """Largest speed [mm/s] through the corner between unit directions ``before`` and ``after``.

    GRBL's junction deviation (grbl/planner.c): the tool may cut the corner by
    a circle of deviation δ whose centripetal acceleration stays at ``accel``.
    """
    # sin of half the angle between -before and after; 1 when going straight on
    s = math.sqrt(max(0.0, 0.5 * (1.0 + float(np.dot(before, after)))))
    if s >= 1.0 - 1e-12:
        return math.inf
    return math.sqrt(accel * deviation * s / (1.0 - s))


def segment_time(length: float, v0: float, v1: float, vc: float, accel: float) -> float:
    """Time [s] of one move of ``length`` [mm] entered at v0, left at v1, cruising at vc [mm/s]."""
    d_acc = (vc * vc - v0 * v0) / (2 * accel)
    d_dec = (vc * vc - v1 * v1) / (2 * accel)
    if d_acc + d_dec <= length:
        return (vc - v0) / accel + (vc - v1) / accel + (length - d_acc - d_dec) / vc
    vp = math.sqrt(accel * length + (v0 * v0 + v1 * v1) / 2)
    return max((2 * vp - v0 - v1) / accel, 0.0)


def motion_time(moves: Sequence[ParsedMove], machine: Machine) -> tuple[float, float]:
    """(estimated time with acceleration, lower bound without) [s] for the known moves.

    Moves from an unknown position, of zero length, or cutting moves with no
    positive feed (reported elsewhere) are left out.
    """
    accel = machine.acceleration
    kept: list[tuple[ParsedMove, float, float, float]] = []  # move, length, cruise, bound speed
    for m in moves:
        if not m.known:
            continue
        length = move_length(m)
        if length < 1e-9:
            continue
        if m.kind == "rapid":
            v = machine.max_rapid / 60.0
        elif m.feed > 0:
            v = min(m.feed, machine.max_feed) / 60.0
        else:
            continue
        vc = min(v, math.sqrt(accel * min(m.r_start, m.r_end))) if m.kind == "arc" else v
        kept.append((m, length, vc, v))
    if not kept:
        return 0.0, 0.0

    n = len(kept)
    lengths = np.array([k[1] for k in kept])
    cruise = np.array([k[2] for k in kept])
    bound = float(np.sum(lengths / np.array([k[3] for k in kept])))

    # junction[i] = speed limit where move i-1 ends and move i starts; junction[n] = final stop
    junction = np.zeros(n + 1)
    prev_end_tangent = None
    for i, (m, length, vc, _) in enumerate(kept):
        t_start, t_end = _tangents(m, length)
        if i > 0 and not m.stop_before and prev_end_tangent is not None:
            prev = kept[i - 1][0]
            contiguous = math.dist(prev.end, m.start) < 1e-9
            if contiguous:
                junction[i] = min(cruise[i - 1], vc, junction_speed(prev_end_tangent, t_start, accel))
        prev_end_tangent = t_end

    # reverse pass: each move must be able to slow down to its exit speed
    for i in range(n - 1, -1, -1):
        junction[i] = min(junction[i], math.sqrt(junction[i + 1] ** 2 + 2 * accel * lengths[i]))
    # forward pass: each move must be able to speed up to its exit speed
    for i in range(n):
        junction[i + 1] = min(junction[i + 1], math.sqrt(junction[i] ** 2 + 2 * accel * lengths[i]))

    total = 0.0
    for i in range(n):
        total += segment_time(float(lengths[i]), float(junction[i]), float(junction[i + 1]),
                              float(cruise[i]), accel)
    return total, bound
