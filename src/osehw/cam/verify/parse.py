"""Read a G-code program back (:mod:`osehw.cam.verify.tokens`) and simulate the controller's modal state.

This module knows nothing of the toolpath generator: it sees only text. It
turns the program into a list of :class:`ParsedMove` (absolute XYZ in the
program's frame, mm) plus the findings that belong to the text itself:
``GCODE_PARSE``, ``GCODE_DIALECT``, ``GCODE_UNSUPPORTED``, ``GCODE_MODES``,
``GCODE_ARC``, ``GCODE_BLEND``. Physical checks (envelope, depth, spindle,
feed, swept area) run on the moves in :mod:`osehw.cam.verify.program`.

The order in which words of one block take effect follows the RS274/NGC
"order of execution" (NIST RS274NGC v3 §3.8, the same table in the LinuxCNC
manual): feed, spindle speed, tool, spindle on/off, dwell, plane, units,
distance mode, motion, then program stop/end.

Until a coordinate has been commanded its value is unknown (NaN): the
controller's power-up position is not part of the program, so a move that
starts from an unknown position is kept (for the safe-height and envelope
checks) but contributes no length, time or swept area.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from osehw.cam.verify.dialect import check_word, code_key, code_name, simulated
from osehw.cam.verify.expressions import ExpressionError, substitute, uses_parameters
from osehw.cam.verify.table import MoveTable
from osehw.cam.verify.tokens import TokenError, block_words
from osehw.core.findings import Finding

NAN = float("nan")
IN_TO_MM = 25.4  # [mm/in], exact by definition
# Arc consistency: |r_start - r_end| must not exceed this [mm].  Stricter than
# both controllers: GRBL 1.1 (grbl/gcode.c) refuses > 0.005 mm *and* > 0.1 % of
# the radius; LinuxCNC (interp_internal.hh) accepts up to
# CENTER_ARC_RADIUS_TOLERANCE_MM = 2·0.01·√2 ≈ 0.028 mm.  A program written
# with 3 decimals has radius errors below ~0.0015 mm.
ARC_RADIUS_TOLERANCE = 0.005
# LinuxCNC G64 P: path blending may leave the programmed path by up to P [mm];
# above the 0.01 mm gouge tolerance the swept-area proof no longer holds.
MAX_BLEND_TOLERANCE = 0.01
MAX_FINDINGS_PER_CODE = 20
GROUP_LINES = 5  # line numbers quoted per grouped finding


@dataclass(frozen=True)
class ParsedMove:
    """One motion block, in the program's frame [mm].

    ``kind`` is "rapid" (G0), "feed" (G1) or "arc" (G2/G3). ``start`` may hold
    NaN where the coordinate was never commanded. For arcs, ``center`` is the
    XY centre, ``sweep`` the signed angle [rad] (+ counter-clockwise), and the
    radius runs linearly from ``r_start`` to ``r_end`` (as LinuxCNC does for
    slightly inconsistent arcs). ``stop_before`` marks that the controller
    comes to rest before this move (dwell, spindle change, pause, tool change).
    """

    line: int
    kind: str
    start: tuple[float, float, float]
    end: tuple[float, float, float]
    feed: float = 0.0  # [mm/min], 0 for rapids or when none was set
    spindle_on: bool = False
    spindle_rpm: float = 0.0
    center: tuple[float, float] = (0.0, 0.0)
    sweep: float = 0.0
    r_start: float = 0.0
    r_end: float = 0.0
    stop_before: bool = False
    home_z: bool = False  # Z unknown here, but last sent home (G28/G30/G53): a retract, not a risk

    @property
    def known(self) -> bool:
        """Whether start and end are fully known (length and geometry can be computed)."""
        return not any(map(math.isnan, self.start + self.end))


_LINE = re.compile(r"^line (\d+): ")


@dataclass
class FindingLog:
    """Collects findings, keeping at most ``MAX_FINDINGS_PER_CODE`` of each code.

    ``grouped``: one finding per code instead, with the count, the first
    message and the first few line numbers (third-party programs repeat one
    habit hundreds of times; a list of 20 identical lines hides the rest).
    """

    subject: str
    grouped: bool = False
    items: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    severities: dict[str, str] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)

    def add(self, code: str, message: str, severity: str = "error") -> None:
        n = self.counts.get(code, 0) + 1
        self.counts[code] = n
        self.severities[code] = severity
        found = _LINE.match(message)
        if found:
            self.lines.setdefault(code, []).append(int(found.group(1)))
        if n <= (1 if self.grouped else MAX_FINDINGS_PER_CODE):
            self.items.append(Finding(code, severity, self.subject, message))

    def result(self) -> list[Finding]:
        if self.grouped:
            out = []
            for f in self.items:
                n, lines = self.counts[f.code], self.lines.get(f.code, [])
                if n == 1:
                    out.append(f)
                    continue
                shown = ", ".join(str(v) for v in lines[:GROUP_LINES]) + (", …" if len(lines) > GROUP_LINES else "")
                where = f" (lines {shown})" if lines else ""
                out.append(Finding(f.code, f.severity, f.subject, f"{n}×{where}; first: {f.message}"))
            return out
        out = list(self.items)
        for code in sorted(self.counts):
            extra = self.counts[code] - MAX_FINDINGS_PER_CODE
            if extra > 0:
                out.append(Finding(code, self.severities[code], self.subject,
                                   f"... and {extra} more {code} finding(s) not listed"))
        return out


@dataclass
class ParseResult:
    moves: list[ParsedMove]
    spindle_events: list[tuple[int, float]]  # (line, rpm) each time the spindle starts or changes speed
    dwell_s: float  # total dwell time [s]
    lines: int
    unchecked_from: int | None = None  # the line from which the program was not followed (O-word flow)
    compensation_lines: tuple[int, ...] = ()  # where G41/G42 cutter compensation was switched on


_MOTION = {0: "rapid", 10: "feed", 20: "arc", 30: "arc"}


def _arc_geometry(start: tuple[float, float], end: tuple[float, float], clockwise: bool,
                  vals: dict[str, float], arc_absolute: bool, scale: float,
                  ) -> tuple[tuple[float, float], float, float, float] | str:
    """Centre, signed sweep [rad], start and end radius of an XY arc, or why it is invalid."""
    sx, sy = start
    ex, ey = end
    chord = math.hypot(ex - sx, ey - sy)
    if "R" in vals:
        if "I" in vals or "J" in vals:
            return "both R and I/J given"
        r = vals["R"] * scale
        if chord < 1e-9:
            return "R-format arc with start = end (a full circle needs I/J)"
        half = chord / 2.0
        if abs(r) < half - ARC_RADIUS_TOLERANCE:
            return f"R {abs(r):.4f} mm is smaller than half the chord {half:.4f} mm"
        h = math.sqrt(max(r * r - half * half, 0.0))
        # Centre lies right of the chord for a clockwise arc of ≤ 180° (R > 0),
        # left for counter-clockwise; negative R asks for the > 180° arc (RS274NGC §3.5.3.1).
        nx, ny = -(ey - sy) / chord, (ex - sx) / chord  # left normal
        side = (-1.0 if clockwise else 1.0) * (1.0 if r > 0 else -1.0)
        cx, cy = (sx + ex) / 2 + side * h * nx, (sy + ey) / 2 + side * h * ny
    else:
        if "I" not in vals and "J" not in vals:
            return "no I/J or R word"
        i, j = vals.get("I", 0.0) * scale, vals.get("J", 0.0) * scale
        cx, cy = (i, j) if arc_absolute else (sx + i, sy + j)
    rs, re = math.hypot(sx - cx, sy - cy), math.hypot(ex - cx, ey - cy)
    if rs < 1e-9 or re < 1e-9:
        return "zero radius"
    a0, a1 = math.atan2(sy - cy, sx - cx), math.atan2(ey - cy, ex - cx)
    if chord < 1e-9:
        sweep = 2 * math.pi
    else:
        sweep = (a1 - a0) % (2 * math.pi) if not clockwise else (a0 - a1) % (2 * math.pi)
        if sweep < 1e-12:
            sweep = 2 * math.pi
    return (cx, cy), (-sweep if clockwise else sweep), rs, re


@dataclass
class ProgramMoves:
    """What :func:`read_program` reads: :class:`ParseResult` with the moves as columns (``table``)."""

    table: MoveTable
    spindle_events: list[tuple[int, float]]
    dwell_s: float
    lines: int
    unchecked_from: int | None = None
    compensation_lines: tuple[int, ...] = ()


def read_program(text: str, dialect: str, log: FindingLog, *, third_party: bool = False) -> ProgramMoves:
    """:func:`parse_program`, with the moves as a :class:`~osehw.cam.verify.table.MoveTable`.

    A clean program (:mod:`osehw.cam.verify.bulk`) is read whole with numpy; any
    other line by line.
    """
    if not third_party:
        from osehw.cam.verify.bulk import read_clean

        clean = read_clean(text, dialect)
        if clean is not None:
            return ProgramMoves(*clean)
    r = _follow(text, dialect, log, third_party=third_party)
    return ProgramMoves(MoveTable.from_moves(r.moves), r.spindle_events, r.dwell_s, r.lines, r.unchecked_from,
                        r.compensation_lines)


def parse_program(text: str, dialect: str, log: FindingLog, *, third_party: bool = False) -> ParseResult:
    """Parse ``text`` and simulate modal state; findings go to ``log``.

    Parameters
    ----------
    text : the program
    dialect : "grbl" | "linuxcnc" | "mach3"
    log : where findings are collected
    third_party : read it as the controller would, not as osehw writes: G20,
        G91 and a missing G21/G90 (the controllers' power-up defaults) are
        accepted; parameters and expressions are evaluated; drilling cycles,
        arcs in G18/G19, G28/G30/G53 returns, G92 and G43/G41/G42 are followed
        (see :mod:`osehw.cam.verify.third_party`).
    """
    if not third_party:
        from osehw.cam.verify.bulk import read_clean

        clean = read_clean(text, dialect)
        if clean is not None:
            table, events, dwell, lines = clean
            return ParseResult(table.moves(), events, dwell, lines)
    return _follow(text, dialect, log, third_party=third_party)


def _follow(text: str, dialect: str, log: FindingLog, *, third_party: bool = False) -> ParseResult:
    """The line-by-line reader behind :func:`parse_program` (every program it may be given)."""
    from osehw.cam.verify import third_party as tp

    state = tp.ModalExtras()
    pos = [NAN, NAN, NAN]
    moves: list[ParsedMove] = []
    spindle_events: list[tuple[int, float]] = []
    dwell = 0.0
    feed = 0.0
    rpm = 0.0
    s_seen = False
    spindle_cmd = False
    motion: int | None = None
    plane = 170
    metric, absolute, arc_absolute = True, True, False
    units_seen = distance_seen = arc_mode_seen = False
    first_move_checked = False
    mach3_arc_warned = False
    stop_pending = True
    home_z = False
    unchecked_from: int | None = None
    params: dict[str, float] = {}
    n_lines = 0

    hand_switched = third_party and not tp.commands_spindle(text)
    if hand_switched:
        log.add("GCODE_SPINDLE_MANUAL", "the program never switches the spindle (no M3/M4/M5): it is taken as "
                "switched on by hand before the run, which the operator must do", "warning")
    for n_lines, raw in enumerate(text.splitlines(), start=1):
        lineno = n_lines
        if third_party and dialect == "grbl" and raw.lstrip().startswith("$"):
            # GRBL system commands ("Grbl v1.1 Commands"): $H homes every axis, $J= jogs
            # somewhere the program does not track; the rest ($X, $$, $#, $G, $I, $N, $C) move nothing
            command = raw.strip().upper()
            if command.startswith("$H") or command.startswith("$J="):
                pos, home_z = [NAN, NAN, NAN], command.startswith("$H")
                stop_pending = True
            continue
        if third_party and tp.is_o_word(raw):
            log.add("GCODE_UNSUPPORTED", f"line {lineno}: O-word flow ({raw.strip()[:40]!r}) is not followed "
                    "by this verifier: the rest of the program is not checked", "warning")
            unchecked_from = lineno
            break
        try:
            line = raw
            if third_party and uses_parameters(raw):
                line = substitute(raw, params)
            words = block_words(line)
        except (TokenError, ExpressionError) as exc:
            log.add("GCODE_PARSE", f"line {lineno}: cannot parse {raw.strip()!r}: {exc}")
            # what the line did is unknown: no move after it may start from a guessed position
            pos = [NAN, NAN, NAN]
            stop_pending = True
            continue
        if not words:
            continue
        unsupported_g = False
        for letter, value in words:
            why = check_word(dialect, letter, value)
            name = code_name(letter, float(value)) if letter in "GM" else f"{letter}{value}"
            if why:
                log.add("GCODE_DIALECT", f"line {lineno}: {why} ({raw.strip()!r})")
                unsupported_g |= letter == "G"
            elif not simulated(letter, value, third_party):
                log.add("GCODE_UNSUPPORTED", f"line {lineno}: {name} is valid for {dialect} but "
                        + ("this verifier does not follow it" if third_party else
                           "osehw never writes it and the verifier cannot prove a program using it"))
                unsupported_g |= letter == "G" or letter in "ABCUVW"
        gs = {code_key(float(v)) for k, v in words if k == "G"}
        ms = {code_key(float(v)) for k, v in words if k == "M"}
        vals = {k: float(v) for k, v in words if k not in "GMONT"}

        # units and distance mode take effect before this block's numbers are read
        if 200 in gs:
            metric, units_seen = False, True
            if not third_party:
                log.add("GCODE_MODES", f"line {lineno}: G20 (inches); osehw programs must be in mm (G21)")
        if 210 in gs:
            metric, units_seen = True, True
        if 910 in gs:
            absolute, distance_seen = False, True
            if not third_party:
                log.add("GCODE_MODES", f"line {lineno}: G91 (incremental); osehw programs must be absolute (G90)")
        if 900 in gs:
            absolute, distance_seen = True, True
        if 901 in gs:
            arc_absolute, arc_mode_seen = True, True
        if 911 in gs:
            arc_absolute, arc_mode_seen = False, True
        scale = 1.0 if metric else IN_TO_MM

        if "F" in vals:
            feed = vals["F"] * scale
        if "S" in vals:
            rpm, s_seen = vals["S"], True
            if spindle_cmd:
                spindle_events.append((lineno, rpm))
                stop_pending = True
        if 30 in ms or 40 in ms:
            spindle_cmd = True
            if s_seen:
                spindle_events.append((lineno, rpm))
            elif third_party:
                log.add("GCODE_SPINDLE_MANUAL", f"line {lineno}: M{min(ms & {30, 40}) // 10} with no S word: "
                        "the spindle speed is taken as set by hand (a router's dial)", "info")
            stop_pending = True
        if 50 in ms:
            spindle_cmd = False
            stop_pending = True
        if ms & {0, 10, 60}:
            stop_pending = True
        if 40 in gs:
            # P in seconds (GRBL, LinuxCNC); Mach3 reads ms or s by a setting: taken as s
            dwell += max(vals.get("P", 0.0), 0.0)
            stop_pending = True
        for key in (170, 180, 190):
            if key in gs:
                plane = key
        if 640 in gs and (("P" not in vals) or vals["P"] * scale > MAX_BLEND_TOLERANCE):
            log.add("GCODE_BLEND", f"line {lineno}: G64 without P ≤ {MAX_BLEND_TOLERANCE} mm lets "
                    "the controller round corners by more than the gouge tolerance", "warning")
        for key in (0, 10, 20, 30, *(tp.CYCLES if third_party else ())):
            if key in gs:
                motion = key
        if 800 in gs:
            motion = None
        if third_party:
            state.update(gs, vals, lineno, log)

        axes = {k: vals[k] * scale for k in "XYZ" if k in vals}
        spindle_on = hand_switched or (spindle_cmd and (rpm > 0 or (third_party and not s_seen)))
        if third_party and 60 in ms:
            # a tool change raises the spindle first (LinuxCNC [EMCIO] TOOL_CHANGE_QUILL_UP or
            # TOOL_CHANGE_POSITION; Mach3's M6 macro): what follows starts from a retract
            home_z = home_z or math.isnan(pos[2])
        if third_party and gs & tp.POSITION_CODES:
            pos, home_z = tp.apply_position_code(gs, axes, pos, home_z)
            stop_pending = True
            continue
        if not axes and motion in (20, 30) and vals.keys() & {"I", "J", "K", "R"} and 40 not in gs:
            # an arc block without axis words ends where it starts: a full circle
            if dialect == "grbl":
                log.add("GCODE_ARC", f"line {lineno}: GRBL needs an X or Y word on G2/G3 (error 26)")
            else:
                axes = {"X": pos[0], "Y": pos[1]}
        if unsupported_g:
            # Offsets, machine-coordinate or canned moves: position no longer known.
            pos = [NAN, NAN, NAN]
            stop_pending = True
        elif axes and 40 not in gs:
            if motion is None:
                log.add("GCODE_MODES", f"line {lineno}: axis words with no active motion mode (G80)")
            else:
                if not first_move_checked:
                    first_move_checked = True
                    missing = [w for w, seen in (("G21", units_seen), ("G90", distance_seen)) if not seen]
                    if missing and third_party:
                        log.add("GCODE_MODES", f"line {lineno}: first move before {' and '.join(missing)} "
                                "was stated: taken as the controller's power-up default (mm, absolute)",
                                "warning")
                    elif missing:
                        log.add("GCODE_MODES", f"line {lineno}: first move before {' and '.join(missing)} "
                                "was stated (units mm and absolute distance must be set explicitly)")
                if third_party and not absolute and any(math.isnan(v) for v in pos):
                    # an incremental program run from wherever the operator left the tool
                    log.add("GCODE_OFFSET", f"line {lineno}: incremental (G91) moves from an unknown start: "
                            "positions are taken from where the tool stands when the program starts (0, 0, 0)",
                            "info")
                    pos = [0.0 if math.isnan(v) else v for v in pos]
                end = list(pos)
                for i, k in enumerate("XYZ"):
                    if k in axes and k in vals:
                        end[i] = axes[k] if absolute else pos[i] + axes[k]
                if motion in tp.CYCLES:
                    new, end = tp.drill_cycle(lineno, motion, pos, axes, vals, absolute, scale, state, feed,
                                              spindle_on, rpm, log)
                elif motion in (20, 30) and plane != 170 and third_party:
                    new = tp.plane_arc(lineno, motion == 20, plane, pos, end, vals, arc_absolute, scale, feed,
                                       spindle_on, rpm, log)
                else:
                    one = _make_move(lineno, _MOTION[motion], motion == 20, tuple(pos), tuple(end), feed,
                                     spindle_on, rpm, vals, plane, arc_absolute, scale, stop_pending, log)
                    new = [] if one is None else [one]
                for k, move in enumerate(new):
                    if k == 0 and ((stop_pending and not move.stop_before) or move.home_z != home_z):
                        move = replace(move, stop_before=move.stop_before or stop_pending, home_z=home_z)
                    if move.kind == "arc" and dialect == "mach3" and not arc_mode_seen and not mach3_arc_warned:
                        mach3_arc_warned = True
                        log.add("GCODE_MODES", f"line {lineno}: arc before G90.1/G91.1; Mach3's I/J mode "
                                "is a machine setting, so the program must state G91.1")
                    moves.append(move)
                    # a move from an unknown position is not a stop: the time estimate starts it from
                    # the machine's start position, or leaves it out and starts the next one from rest
                    stop_pending = False
                if not math.isnan(end[2]):
                    home_z = False
                pos = end
        if ms & {20, 300}:
            break  # M2/M30: the controller stops reading here
    return ParseResult(moves, spindle_events, dwell, n_lines, unchecked_from,
                       tuple(sorted(state.compensation_lines)))


def _make_move(lineno: int, kind: str, clockwise: bool, start: tuple[float, ...], end: tuple[float, ...],
               feed: float, spindle_on: bool, rpm: float, vals: dict[str, float], plane: int,
               arc_absolute: bool, scale: float, stop_before: bool,
               log: FindingLog) -> ParsedMove | None:
    s3 = (start[0], start[1], start[2])
    e3 = (end[0], end[1], end[2])
    common = dict(line=lineno, start=s3, end=e3, spindle_on=spindle_on, spindle_rpm=rpm,
                  stop_before=stop_before)
    if kind == "rapid":
        return ParsedMove(kind=kind, **common)
    if kind == "feed":
        return ParsedMove(kind=kind, feed=feed, **common)
    if plane != 170:
        log.add("GCODE_UNSUPPORTED", f"line {lineno}: arc in plane G{plane // 10}; the verifier proves XY (G17) arcs only")
        return None
    if "P" in vals:
        log.add("GCODE_UNSUPPORTED", f"line {lineno}: arc with a P (turns) word")
        return None
    if any(math.isnan(v) for v in s3[:2]):
        log.add("GCODE_ARC", f"line {lineno}: arc starts from an unknown XY position")
        return None
    geo = _arc_geometry((s3[0], s3[1]), (e3[0], e3[1]), clockwise, vals, arc_absolute, scale)
    if isinstance(geo, str):
        log.add("GCODE_ARC", f"line {lineno}: invalid arc: {geo}")
        return None
    center, sweep, rs, re = geo
    if abs(rs - re) > ARC_RADIUS_TOLERANCE:
        log.add("GCODE_ARC", f"line {lineno}: arc start radius {rs:.4f} mm and end radius {re:.4f} mm "
                f"differ by {abs(rs - re):.4f} mm (> {ARC_RADIUS_TOLERANCE} mm)")
    return ParsedMove(kind="arc", feed=feed, center=center, sweep=sweep, r_start=rs, r_end=re, **common)
