"""A second reading of a program's run time: GRBL 1.1h's planner and stepper, step by step, as a test oracle.

Written from GRBL 1.1h's public source (gnea/grbl, grbl/planner.c, grbl/motion_control.c,
grbl/stepper.c, grbl/gcode.c); nothing here is shared with osehw's parser or its estimator
(``osehw.cam.verify.timing``), which models the same controller in closed form.

What is reproduced, in GRBL's own order and units (mm/min, mm/min²):

- its own small G-code reader for the words GRBL 1.1 executes (G0-G4, G17-G19, G20/G21, G54, G61,
  G90/G91, G91.1, G94, G40/G49/G80, M0-M5, M7-M9, M30, F S T N); any other word makes the program
  "not GRBL-readable" (:class:`Unsupported`), because GRBL answers it with an error;
- ``mc_arc``: an arc becomes ``floor(|½·θ·r| / √(tol·(2r − tol)))`` chords whose ends lie on the
  arc (small-angle rotation, exact every ``N_ARC_CORRECTION`` = 12 segments); R-form centres as
  gcode.c computes them;
- ``plan_buffer_line``: positions rounded to whole steps (``lround``), length and unit vector from
  the steps, per-axis limits (``limit_value_by_axis_maximum``) on acceleration and rapid rate,
  junction deviation with the junction's own per-axis acceleration, nominal speed (feed clamped to
  the rapid rate, at least ``MINIMUM_FEED_RATE``), max entry = min(both nominal speeds, junction);
- ``planner_recalculate``: the ring buffer of ``BLOCK_BUFFER_SIZE`` slots (one always empty), the
  reverse and forward passes and the ``block_buffer_planned`` pointer, as written;
- streaming: the sender keeps the buffer full; the stepper takes the oldest block when the buffer
  is full (or empties it at a synchronisation: spindle or coolant change, dwell, program end),
  reading its exit speed from the next block's entry speed at that moment
  (``plan_get_exec_block_exit_speed_sqr``) and discarding it;
- ``st_prep_buffer``: the block's accelerate / cruise / decelerate phases, each ramp timed as
  2·d/(v_start + v_end) and the cruise as d/v (the segment generator integrates exactly these; its
  10 ms segments and step-timer rounding are left out).

Feed-rate and rapid overrides are 100 %. Time spent by the sender or the AVR is not counted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

MM_PER_INCH = 25.4
SOME_LARGE_VALUE = 1.0e38
MINIMUM_JUNCTION_SPEED = 0.0  # [mm/min] config.h
MINIMUM_FEED_RATE = 1.0  # [mm/min] config.h
N_ARC_CORRECTION = 12  # config.h
ARC_ANGULAR_TRAVEL_EPSILON = 5e-7  # [rad] config.h


class Unsupported(ValueError):
    """The program uses a word GRBL 1.1 refuses (or one this oracle does not model)."""


@dataclass(frozen=True)
class GrblSettings:
    """The $-settings that shape motion. Rates [mm/min], accelerations [mm/s²] as GRBL's $120-$122."""

    max_rate: tuple[float, float, float]  # $110-$112
    acceleration: tuple[float, float, float]  # $120-$122 [mm/s²]
    junction_deviation: float = 0.01  # $11 [mm]
    arc_tolerance: float = 0.002  # $12 [mm]
    steps_per_mm: tuple[float, float, float] = (250.0, 250.0, 250.0)  # $100-$102 (GRBL defaults)
    block_buffer_size: int = 16  # planner.h


@dataclass
class _Block:
    millimeters: float
    acceleration: float  # [mm/min²]
    rapid_rate: float
    programmed_rate: float
    rapid: bool
    entry_speed_sqr: float = 0.0
    max_entry_speed_sqr: float = 0.0
    max_junction_speed_sqr: float = 0.0

    def nominal_speed(self) -> float:  # plan_compute_profile_nominal_speed, overrides at 100 %
        v = self.rapid_rate if self.rapid else min(self.programmed_rate, self.rapid_rate)
        return v if v > MINIMUM_FEED_RATE else MINIMUM_FEED_RATE


def _limit_by_axis(max_values: list[float], unit: list[float]) -> float:
    limit = SOME_LARGE_VALUE
    for m, u in zip(max_values, unit):
        if u != 0.0:
            limit = min(limit, abs(m / u))
    return limit


def _lround(x: float) -> int:
    return int(math.floor(abs(x) + 0.5)) * (1 if x >= 0 else -1)


def _block_time(b: _Block, exit_speed_sqr: float) -> float:
    """st_prep_buffer's velocity profile of one block, integrated [min].

    As in stepper.c, ``intersect``, ``decelerate_after`` are distances *remaining* to the block's end.
    """
    a, length = b.acceleration, b.millimeters
    inv_2_accel = 0.5 / a
    nominal = b.nominal_speed()
    nominal_sqr = nominal * nominal
    entry = math.sqrt(b.entry_speed_sqr)
    exit_ = math.sqrt(exit_speed_sqr)
    intersect = 0.5 * (length + inv_2_accel * (b.entry_speed_sqr - exit_speed_sqr))
    if intersect > 0.0:
        if intersect < length:
            decelerate_after = inv_2_accel * (nominal_sqr - exit_speed_sqr)
            if decelerate_after < intersect:  # trapezoid (or cruise-decelerate)
                accel_d = inv_2_accel * (nominal_sqr - b.entry_speed_sqr)
                cruise_d = length - accel_d - decelerate_after
                t = cruise_d / nominal
                if accel_d > 0.0:
                    t += 2.0 * accel_d / (entry + nominal)
                if decelerate_after > 0.0:
                    t += 2.0 * decelerate_after / (nominal + exit_)
                return t
            # triangle: accelerate until ``intersect`` mm remain, then decelerate over them
            peak = math.sqrt(2.0 * a * intersect + exit_speed_sqr)
            return 2.0 * (length - intersect) / (entry + peak) + 2.0 * intersect / (peak + exit_)
        # deceleration only
        end = math.sqrt(max(b.entry_speed_sqr - 2.0 * a * length, 0.0))
        return 2.0 * length / (entry + end)
    # acceleration only: ramp to the planned exit speed over the whole block
    return 2.0 * length / (entry + exit_)


@dataclass
class GrblRun:
    """The simulated run: motion time, dwell time, and how many planner blocks were executed."""

    motion_s: float = 0.0
    dwell_s: float = 0.0
    blocks: int = 0
    arcs: int = 0

    @property
    def total_s(self) -> float:
        return self.motion_s + self.dwell_s


@dataclass
class _Planner:
    s: GrblSettings
    run: GrblRun
    position: list[int] = field(default_factory=lambda: [0, 0, 0])  # pl.position [steps]
    previous_unit_vec: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    previous_nominal_speed: float = 0.0
    buf: list[_Block | None] = field(default_factory=list)
    tail: int = 0
    head: int = 0
    planned: int = 0

    def __post_init__(self) -> None:
        self.buf = [None] * self.s.block_buffer_size
        self.accel = [a * 3600.0 for a in self.s.acceleration]  # [mm/min²], as settings.c stores it

    def _next(self, i: int) -> int:
        return 0 if i + 1 == self.s.block_buffer_size else i + 1

    def _prev(self, i: int) -> int:
        return (self.s.block_buffer_size if i == 0 else i) - 1

    def _full(self) -> bool:
        return self._next(self.head) == self.tail

    # -- stepper side ----------------------------------------------------------------
    def execute_tail(self) -> None:
        block = self.buf[self.tail]
        assert block is not None
        nxt = self._next(self.tail)
        exit_sqr = 0.0 if nxt == self.head else self.buf[nxt].entry_speed_sqr  # type: ignore[union-attr]
        self.run.motion_s += 60.0 * _block_time(block, exit_sqr)
        self.run.blocks += 1
        # plan_discard_current_block
        if self.tail == self.planned:
            self.planned = nxt
        self.tail = nxt

    def synchronize(self) -> None:
        while self.tail != self.head:
            self.execute_tail()

    # -- planner side ----------------------------------------------------------------
    def buffer_line(self, target: list[float], rapid: bool, feed_rate: float) -> None:
        if self._full():
            self.execute_tail()
        spm = self.s.steps_per_mm
        target_steps = [_lround(target[i] * spm[i]) for i in range(3)]
        delta = [(target_steps[i] - self.position[i]) / spm[i] for i in range(3)]
        if all(t == p for t, p in zip(target_steps, self.position)):
            return  # PLAN_EMPTY_BLOCK: nothing stored, previous vectors kept
        mm = math.sqrt(sum(d * d for d in delta))
        unit = [d / mm for d in delta]
        b = _Block(millimeters=mm, acceleration=_limit_by_axis(self.accel, unit),
                   rapid_rate=_limit_by_axis(list(self.s.max_rate), unit), programmed_rate=feed_rate, rapid=rapid)
        if self.head == self.tail:
            b.entry_speed_sqr = 0.0
            b.max_junction_speed_sqr = 0.0
        else:
            cos_theta = -sum(p * u for p, u in zip(self.previous_unit_vec, unit))
            if cos_theta > 0.999999:
                b.max_junction_speed_sqr = MINIMUM_JUNCTION_SPEED ** 2
            elif cos_theta < -0.999999:
                b.max_junction_speed_sqr = SOME_LARGE_VALUE
            else:
                ju = [u - p for u, p in zip(unit, self.previous_unit_vec)]
                n = math.sqrt(sum(v * v for v in ju))
                ju = [v / n for v in ju]
                junction_acceleration = _limit_by_axis(self.accel, ju)
                sin_theta_d2 = math.sqrt(0.5 * (1.0 - cos_theta))
                b.max_junction_speed_sqr = max(
                    MINIMUM_JUNCTION_SPEED ** 2,
                    junction_acceleration * self.s.junction_deviation * sin_theta_d2 / (1.0 - sin_theta_d2))
        nominal = b.nominal_speed()
        prev = self.previous_nominal_speed
        b.max_entry_speed_sqr = prev * prev if nominal > prev else nominal * nominal
        b.max_entry_speed_sqr = min(b.max_entry_speed_sqr, b.max_junction_speed_sqr)
        self.previous_nominal_speed = nominal
        self.previous_unit_vec = unit
        self.position = target_steps
        self.buf[self.head] = b
        self.head = self._next(self.head)
        self._recalculate()

    def _recalculate(self) -> None:
        i = self._prev(self.head)
        if i == self.planned:
            return
        current = self.buf[i]
        assert current is not None
        current.entry_speed_sqr = min(current.max_entry_speed_sqr, 2 * current.acceleration * current.millimeters)
        i = self._prev(i)
        if i != self.planned:
            while i != self.planned:
                nxt = current
                current = self.buf[i]
                assert current is not None
                i = self._prev(i)
                if current.entry_speed_sqr != current.max_entry_speed_sqr:
                    v = nxt.entry_speed_sqr + 2 * current.acceleration * current.millimeters
                    current.entry_speed_sqr = v if v < current.max_entry_speed_sqr else current.max_entry_speed_sqr
        nxt = self.buf[self.planned]
        i = self._next(self.planned)
        while i != self.head:
            current, nxt = nxt, self.buf[i]
            assert current is not None and nxt is not None
            if current.entry_speed_sqr < nxt.entry_speed_sqr:
                v = current.entry_speed_sqr + 2 * current.acceleration * current.millimeters
                if v < nxt.entry_speed_sqr:
                    nxt.entry_speed_sqr = v
                    self.planned = i
            if nxt.entry_speed_sqr == nxt.max_entry_speed_sqr:
                self.planned = i
            i = self._next(i)


_WORD = re.compile(r"([A-Z])([-+]?(?:\d+\.?\d*|\.\d+))")
_MODAL_OK_G = {17.0, 18.0, 19.0, 20.0, 21.0, 40.0, 49.0, 54.0, 61.0, 80.0, 90.0, 91.0, 91.1, 94.0}


def _words(line: str) -> list[tuple[str, float]]:
    text = re.sub(r"\([^)]*\)", "", line).split(";", 1)[0].upper().replace(" ", "").replace("\t", "")
    words = _WORD.findall(text)
    rest = _WORD.sub("", text)
    if rest.strip("%"):
        raise Unsupported(f"cannot read {line.strip()!r}")
    return [(letter, float(value)) for letter, value in words]


def simulate(text: str, settings: GrblSettings, start: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> GrblRun:
    """Run ``text`` through the planner and stepper from ``start`` (program frame, G54 = machine frame) [mm]."""
    run = GrblRun()
    pl = _Planner(settings, run)
    pl.position = [_lround(start[i] * settings.steps_per_mm[i]) for i in range(3)]
    position = list(start)
    motion, plane, inches, incremental = 0, (0, 1, 2), False, False
    feed, spindle, rpm, coolant = 0.0, 5, 0.0, 9
    for number, raw in enumerate(text.splitlines(), start=1):
        words = _words(raw)
        if not words:
            continue
        g_codes = [v for k, v in words if k == "G"]
        m_codes = [v for k, v in words if k == "M"]
        values = {k: v for k, v in words if k not in "GMN"}
        new_motion = None
        dwell = None
        for g in g_codes:
            if g in (0.0, 1.0, 2.0, 3.0):
                new_motion = int(g)
            elif g == 4.0:
                dwell = values.get("P", 0.0)
            elif g in (17.0, 18.0, 19.0):
                plane = {17.0: (0, 1, 2), 18.0: (2, 0, 1), 19.0: (1, 2, 0)}[g]
            elif g in (20.0, 21.0):
                inches = g == 20.0
            elif g in (90.0, 91.0):
                incremental = g == 91.0
            elif g not in _MODAL_OK_G:
                raise Unsupported(f"line {number}: G{g:g} not modelled")
        scale = MM_PER_INCH if inches else 1.0
        # [3.] feed, [4.] spindle speed (a change while the spindle runs is synchronised)
        if "F" in values:
            feed = values["F"] * scale
        if "S" in values and values["S"] != rpm:
            if spindle != 5:
                pl.synchronize()
            rpm = values["S"]
        for m in m_codes:
            if m in (3.0, 4.0, 5.0):
                if int(m) != spindle:
                    pl.synchronize()
                    spindle = int(m)
            elif m in (7.0, 8.0, 9.0):
                if int(m) != coolant:
                    pl.synchronize()
                    coolant = int(m)
            elif m not in (0.0, 1.0, 2.0, 30.0):
                raise Unsupported(f"line {number}: M{m:g} not modelled")
        if dwell is not None:
            pl.synchronize()
            run.dwell_s += dwell
        if new_motion is not None:
            motion = new_motion
        axis_words = [k for k in "XYZ" if k in values]
        if axis_words and dwell is None:
            target = list(position)
            for k in axis_words:
                i = "XYZ".index(k)
                target[i] = (position[i] if incremental else 0.0) + values[k] * scale
            if motion in (0, 1):
                if motion == 1 and feed <= 0.0:
                    raise Unsupported(f"line {number}: G1 without a feed rate")
                pl.buffer_line(target, motion == 0, feed)
            else:
                if feed <= 0.0:
                    raise Unsupported(f"line {number}: arc without a feed rate")
                _arc(pl, position, target, values, scale, plane, motion == 2, feed)
                run.arcs += 1
            position = target
        if any(m in (0.0, 1.0, 2.0, 30.0) for m in m_codes):
            pl.synchronize()
    pl.synchronize()
    return run


def _arc(pl: _Planner, position: list[float], target: list[float], values: dict[str, float], scale: float,
         plane: tuple[int, int, int], clockwise: bool, feed: float) -> None:
    a0, a1, lin = plane
    x = target[a0] - position[a0]
    y = target[a1] - position[a1]
    offset = [0.0, 0.0, 0.0]
    if "R" in values:  # gcode.c, radius mode
        r = values["R"] * scale
        h = 4.0 * r * r - x * x - y * y
        if h < 0:
            raise Unsupported("arc radius error")
        h_x2_div_d = -math.sqrt(h) / math.hypot(x, y)
        if not clockwise:
            h_x2_div_d = -h_x2_div_d
        if r < 0:
            h_x2_div_d, r = -h_x2_div_d, -r
        offset[a0] = 0.5 * (x - y * h_x2_div_d)
        offset[a1] = 0.5 * (y + x * h_x2_div_d)
        radius = r
    else:
        for i, k in enumerate("IJK"):
            offset[i] = values.get(k, 0.0) * scale
        radius = math.hypot(offset[a0], offset[a1])
    # motion_control.c mc_arc
    pos = list(position)
    tol = pl.s.arc_tolerance
    c0, c1 = pos[a0] + offset[a0], pos[a1] + offset[a1]
    r0, r1 = -offset[a0], -offset[a1]
    rt0, rt1 = target[a0] - c0, target[a1] - c1
    travel = math.atan2(r0 * rt1 - r1 * rt0, r0 * rt0 + r1 * rt1)
    if clockwise:
        if travel >= -ARC_ANGULAR_TRAVEL_EPSILON:
            travel -= 2 * math.pi
    elif travel <= ARC_ANGULAR_TRAVEL_EPSILON:
        travel += 2 * math.pi
    segments = math.floor(abs(0.5 * travel * radius) / math.sqrt(tol * (2 * radius - tol)))
    if segments:
        theta = travel / segments
        linear = (target[lin] - pos[lin]) / segments
        cos_t = 2.0 - theta * theta
        sin_t = theta * 0.16666667 * (cos_t + 4.0)
        cos_t *= 0.5
        count = 0
        for i in range(1, segments):
            if count < N_ARC_CORRECTION:
                ri = r0 * sin_t + r1 * cos_t
                r0 = r0 * cos_t - r1 * sin_t
                r1 = ri
                count += 1
            else:
                cos_ti, sin_ti = math.cos(i * theta), math.sin(i * theta)
                r0 = -offset[a0] * cos_ti + offset[a1] * sin_ti
                r1 = -offset[a0] * sin_ti - offset[a1] * cos_ti
                count = 0
            pos[a0] = c0 + r0
            pos[a1] = c1 + r1
            pos[lin] += linear
            pl.buffer_line(list(pos), False, feed)
    pl.buffer_line(list(target), False, feed)
