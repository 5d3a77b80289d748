"""Independent verification of a G-code program, osehw's own or anyone's.

The verifier reads only the program *text* (parsed back with pygcode in
:mod:`osehw.cam.verify.parse`) and what must remain of each part
(:class:`PartRegion`); it never sees the generator's moves. It simulates the
controller (modal motion, position, feed, spindle, units) and checks:

======================  =====================================================
code                    rule
======================  =====================================================
GCODE_EMPTY             the program has at least one move (G0/G1/G2/G3)
GCODE_PARSE             every line parses
GCODE_DIALECT           only words the controller's dialect knows
GCODE_UNSUPPORTED       only words the verifier can simulate (see verify_dialect)
GCODE_MODES             G21 and G90 stated before the first move; no G20/G91;
                        Mach3 states its arc I/J mode (G91.1) before an arc
GCODE_BLEND (warning)   LinuxCNC G64 blending tolerance ≤ 0.01 mm
GCODE_ENVELOPE          0 ≤ X ≤ envelope_x, 0 ≤ Y ≤ envelope_y, Z ≤ envelope_z
GCODE_DEPTH             Z ≥ stock bottom − machine.breakthrough
GCODE_RAPID_LOW         a G0 that changes X/Y stays ≥ stock top + 1 mm; no G0
                        descends below the stock top
GCODE_SPINDLE_OFF       no G1/G2/G3 below the stock top without M3/M4 and S > 0
GCODE_SPINDLE_RANGE     S within spindle_min_rpm..spindle_max_rpm when on
GCODE_FEED              cutting moves have 0 < F ≤ machine.max_feed
GCODE_ARC               arcs well defined; |r_start − r_end| ≤ 0.005 mm
GCODE_GOUGE             full-depth sweep enters no part by > 0.01 mm
GCODE_UNCUT             full-depth sweep covers every ring of every part
                        (within 0.01 mm) except exterior stretches ≤ max tab
GCODE_TABS (info)       the tabs found, per part
======================  =====================================================

GCODE_GOUGE and GCODE_UNCUT need the parts (``parts``); without them the
report's ``not_proven`` names both claims, so no caller can take a program
that was never checked against its parts for one that passed.

Frames: X/Y are the sheet frame (origin at the stock's lower-left corner).
With ``machine.z_zero == "stock_top"`` Z = 0 is the stock top; with
``"spoilboard"`` Z = 0 is the spoilboard and the stock top is Z = +thickness.

"Full depth" means Z ≤ stock bottom + 0.001 mm. Sweeps at partial depth are
not checked against the parts: blind pockets legitimately enter a part's
footprint and :class:`PartRegion` carries no pocket map, so such a check
could not tell a groove from a gouge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from osehw.cam.shop import Machine
from osehw.cam.verify.dialect import DIALECTS
from osehw.cam.verify.parse import FindingLog, ParsedMove, parse_program
from osehw.cam.verify.sweep import (
    arc_xy_bounds,
    check_parts,
    full_depth_pieces,
    move_length,
    swept_region,
)
from osehw.cam.verify.timing import motion_time
from osehw.cam.verify.timing_linuxcnc import blend_changes
from osehw.core.errors import OsehwError
from osehw.core.findings import Finding

RAPID_CLEARANCE = 1.0  # [mm] XY rapids stay at least this far above the stock top
FULL_DEPTH_TOLERANCE = 0.001  # [mm] Z within this of the stock bottom counts as through
COORD_TOLERANCE = 1e-4  # [mm] well below the 0.001 mm resolution programs are written with
# What only the geometric proof against the parts shows (VerifyReport.not_proven).
CUT_THROUGH = "every outline cut through (GCODE_UNCUT)"
NO_GOUGE = "no part gouged (GCODE_GOUGE)"


class VerifyError(ValueError, OsehwError):
    """The verifier was called with impossible arguments (not a finding about the program)."""


@dataclass(frozen=True)
class PartRegion:
    """What must remain of one placed part, in the sheet frame (X/Y mm), as the verifier sees it.

    ``outline`` is the part's final 2D material footprint: exterior ring plus
    through holes as interiors. ``thickness`` [mm].
    """

    name: str
    outline: shapely.Polygon
    thickness: float


@dataclass(frozen=True)
class VerifyReport:
    """Findings and motion figures of one program.

    ``cut_length`` and ``rapid_length`` [mm] are 3D path lengths of G1/G2/G3 and
    G0 moves. ``estimated_time_s`` uses the acceleration model of
    :mod:`osehw.cam.verify.timing`; ``lower_bound_time_s`` = cut length / feed +
    rapid length / rapid rate (no acceleration). Both include dwells [s].
    ``not_proven`` names the claims this verification did not check (cut
    through, no gouge: they need the parts); empty when everything was checked.
    ``ok`` speaks only for the checks that ran.
    """

    findings: tuple[Finding, ...]
    cut_length: float
    rapid_length: float
    estimated_time_s: float
    lower_bound_time_s: float
    not_proven: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(f.is_error for f in self.findings)


def _fmt(v: float) -> str:
    return f"{v:.3f}"


def program_extent(moves: Sequence[ParsedMove]) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) [mm] of every known position of the program, arcs' bulges included."""
    boxes = [arc_xy_bounds(m) for m in moves if m.kind == "arc" and m.known]
    xs = [v for m in moves for v in (m.start[0], m.end[0]) if not math.isnan(v)] + [b[i] for b in boxes for i in (0, 2)]
    ys = [v for m in moves for v in (m.start[1], m.end[1]) if not math.isnan(v)] + [b[i] for b in boxes for i in (1, 3)]
    if not xs or not ys:
        return (0.0, 0.0, 0.0, 0.0)
    return min(xs), min(ys), max(xs), max(ys)


class _ClearedPaths:
    """Where cutting moves have been so far, and how deep: to tell a rapid back into a cut from one into stock."""

    def __init__(self) -> None:
        self.rows: list[tuple[float, float, float, float, float]] = []  # x0, y0, x1, y1, lowest z
        self._array = np.empty((0, 5))

    def add(self, m: ParsedMove) -> None:
        if m.known:
            self.rows.append((m.start[0], m.start[1], m.end[0], m.end[1], min(m.start[2], m.end[2])))

    def deepest_near(self, x: float, y: float, within: float) -> float:
        """Lowest Z [mm] cut with the tool centre within ``within`` of (x, y) (chords for arcs); inf if none."""
        if len(self._array) != len(self.rows):
            self._array = np.array(self.rows, dtype=float).reshape(-1, 5)
        a = self._array
        if not len(a):
            return math.inf
        d = a[:, 2:4] - a[:, 0:2]
        length2 = np.maximum((d * d).sum(axis=1), 1e-18)
        t = np.clip(((x - a[:, 0]) * d[:, 0] + (y - a[:, 1]) * d[:, 1]) / length2, 0.0, 1.0)
        dist = np.hypot(a[:, 0] + t * d[:, 0] - x, a[:, 1] + t * d[:, 1] - y)
        near = a[dist <= within, 4]
        return float(near.min()) if len(near) else math.inf


def _check_moves(moves: Sequence[ParsedMove], machine: Machine, top: float, deepest: float,
                 log: FindingLog, offset: tuple[float, float] = (0.0, 0.0), third_party: bool = False,
                 tool_radius: float = 0.0) -> None:
    """Envelope, depth, safe-height, spindle and feed rules, one move at a time.

    ``offset`` [mm] is added to program X/Y to give the machine position the
    envelope is checked at. ``third_party``: a straight-down rapid may re-enter
    a cut the program has already made (a peck back into its hole, a pocket's
    next level), down to the depth cut within half a tool radius of it.
    """
    tol = COORD_TOLERANCE
    floor = top + RAPID_CLEARANCE
    ox, oy = offset
    cleared = _ClearedPaths()
    for m in moves:
        where = f"line {m.line}"
        if m.kind == "arc" and m.known:
            xmin, ymin, xmax, ymax = arc_xy_bounds(m)
        else:
            xs = [v for v in (m.start[0], m.end[0]) if not math.isnan(v)]
            ys = [v for v in (m.start[1], m.end[1]) if not math.isnan(v)]
            xmin, xmax = (min(xs), max(xs)) if xs else (0.0, 0.0)
            ymin, ymax = (min(ys), max(ys)) if ys else (0.0, 0.0)
        zs = [v for v in (m.start[2], m.end[2]) if not math.isnan(v)]
        zmin, zmax = (min(zs), max(zs)) if zs else (math.nan, math.nan)

        xmin, xmax, ymin, ymax = xmin + ox, xmax + ox, ymin + oy, ymax + oy
        bad = []
        if xmin < -tol or xmax > machine.envelope_x + tol:
            bad.append(f"X {_fmt(xmin if xmin < -tol else xmax)} outside 0..{machine.envelope_x}")
        if ymin < -tol or ymax > machine.envelope_y + tol:
            bad.append(f"Y {_fmt(ymin if ymin < -tol else ymax)} outside 0..{machine.envelope_y}")
        if zs and zmax > machine.envelope_z + tol:
            bad.append(f"Z {_fmt(zmax)} above the Z travel {machine.envelope_z}")
        if bad:
            log.add("GCODE_ENVELOPE", f"{where}: {'; '.join(bad)} (machine '{machine.id}')")
        if zs and zmin < deepest - tol:
            log.add("GCODE_DEPTH", f"{where}: Z {_fmt(zmin)} is deeper than the stock bottom plus "
                    f"breakthrough ({_fmt(deepest)})")

        if m.kind == "rapid":
            xy_change = any(math.isnan(a) or math.isnan(b) or abs(a - b) > tol
                            for a, b in zip(m.start[:2], m.end[:2]))
            moved_xy = xy_change and not all(math.isnan(v) for v in m.end[:2])
            descending = math.isnan(m.start[2]) or m.end[2] < m.start[2] - tol
            if moved_xy and not zs:
                if not m.home_z:  # after G28/G30/G53 Z the tool is at the top of its travel
                    log.add("GCODE_RAPID_LOW", f"{where}: XY rapid while Z is unknown; command Z first")
            elif moved_xy and zmin < floor - tol:
                log.add("GCODE_RAPID_LOW", f"{where}: XY rapid at Z {_fmt(zmin)}, below stock top + "
                        f"{RAPID_CLEARANCE} mm (Z {_fmt(floor)})")
            elif not math.isnan(m.end[2]) and m.end[2] < top - tol and descending:
                # retracting with G0 out of an already-cut slot is fine; descending into stock is
                # not, unless (third-party peck drilling) straight back into a hole already cut
                known_xy = not (moved_xy or math.isnan(m.end[0]) or math.isnan(m.end[1]))
                hole = (cleared.deepest_near(m.end[0], m.end[1], max(tool_radius / 2, tol))
                        if known_xy and third_party else math.inf)
                if not (third_party and m.end[2] >= hole - tol):
                    log.add("GCODE_RAPID_LOW", f"{where}: rapid plunge to Z {_fmt(m.end[2])}, into the stock")
            continue
        if third_party:
            cleared.add(m)

        if zs and zmin < top - tol and not m.spindle_on:
            log.add("GCODE_SPINDLE_OFF", f"{where}: cutting move to Z {_fmt(zmin)} with the spindle "
                    f"off (needs M3/M4 and S > 0; S is {m.spindle_rpm:g})")
        if m.feed <= 0:
            log.add("GCODE_FEED", f"{where}: cutting move with no positive feed rate F")
        elif m.feed > machine.max_feed + tol:
            log.add("GCODE_FEED", f"{where}: F {m.feed:g} exceeds the machine's max feed {machine.max_feed:g}")


def _inferred_offset(moves: Sequence[ParsedMove], log: FindingLog) -> tuple[float, float]:
    """The work offset that puts the program's lowest X/Y at the machine's 0 (none when already ≥ 0)."""
    xmin, ymin, _, _ = program_extent(moves)
    offset = (max(0.0, -xmin), max(0.0, -ymin))
    log.add("GCODE_OFFSET", f"work offset not given: taken as X{offset[0]:+.3f} Y{offset[1]:+.3f} mm, which puts the "
            "program's lowest X/Y at the machine's 0; give --work-offset X,Y to check where it will really run",
            "info")
    return offset


def verify_program(text: str, machine: Machine, *, dialect: str, stock_x: float, stock_y: float,
                   stock_thickness: float, tool_diameter: float, parts: Sequence[PartRegion] = (),
                   max_tab_length: float = 0.0, subject: str = "program", third_party: bool = False,
                   work_offset: tuple[float, float] | None = None) -> VerifyReport:
    """Verify one G-code program against the machine, the stock and the parts it must cut.

    Parameters
    ----------
    text : the program as written to the .nc file
    machine : the machine profile (envelope, limits, Z zero, breakthrough)
    dialect : "grbl" | "linuxcnc" | "mach3"
    stock_x, stock_y : stock sheet size [mm] (informative; the envelope bounds X/Y)
    stock_thickness : [mm]
    tool_diameter : diameter of the program's tool [mm]
    parts : what must remain of each placed part, sheet frame; without them
        cut-through and no-gouge are not checked (``VerifyReport.not_proven``)
    max_tab_length : longest uncut stretch of an exterior ring accepted as a tab [mm]
    subject : names the program in findings
    third_party : read the program as its controller would, not as osehw writes
        (:mod:`osehw.cam.verify.third_party`); findings are grouped per code
    work_offset : (X, Y) [mm], third-party only: the machine position of the
        program's zero. None infers the smallest offset that puts the program's
        lowest X and Y at or above the machine's 0 (and says so)

    Returns
    -------
    VerifyReport

    Raises
    ------
    VerifyError : unknown dialect; a size that is not a finite number > 0; a
        negative or non-finite ``max_tab_length``
    """
    if dialect not in DIALECTS:
        raise VerifyError(f"{subject}: dialect '{dialect}' invalid, must be one of {', '.join(DIALECTS)}")
    sizes = {"tool diameter": tool_diameter, "stock thickness": stock_thickness, "stock X": stock_x,
             "stock Y": stock_y}
    for name, value in sizes.items():
        # NaN compares false with everything: "value <= 0" alone would let it through
        # and silently disable every depth rule
        if not (math.isfinite(value) and value > 0):
            raise VerifyError(f"{subject}: {name} {value} mm must be a finite number > 0")
    if not (math.isfinite(max_tab_length) and max_tab_length >= 0):
        raise VerifyError(f"{subject}: max tab length {max_tab_length} mm must be a finite number ≥ 0")
    log = FindingLog(subject, grouped=third_party)
    if dialect != machine.controller:
        log.add("GCODE_DIALECT", f"program checked as {dialect} but machine '{machine.id}' runs "
                f"{machine.controller}")
    parsed = parse_program(text, dialect, log, third_party=third_party)
    if not parsed.moves and parsed.unchecked_from is None:
        # an empty file, or only comments / settings: nothing was checked, nothing would be cut
        log.add("GCODE_EMPTY", "the program has no moves (no G0/G1/G2/G3 motion)")
    top = 0.0 if machine.z_zero == "stock_top" else stock_thickness
    bottom = top - stock_thickness
    deepest = bottom - machine.breakthrough

    for line, rpm in parsed.spindle_events:
        if not machine.spindle_min_rpm <= rpm <= machine.spindle_max_rpm:
            # another CAM's S may be a PWM scale (GRBL $30 = 1000 makes S1000 full speed) or be
            # ignored by a router set on its dial: worth a look, not a reason to refuse the program
            log.add("GCODE_SPINDLE_RANGE", f"line {line}: spindle S {rpm:g} rpm outside the machine's "
                    f"{machine.spindle_min_rpm:g}..{machine.spindle_max_rpm:g} rpm"
                    + (" (if S is a PWM scale or the speed is dialled by hand, set it as the tool needs)"
                       if third_party else ""), "warning" if third_party else "error")
    offset = (0.0, 0.0)
    if third_party:
        offset = work_offset if work_offset is not None else _inferred_offset(parsed.moves, log)
        if work_offset is not None:
            log.add("GCODE_OFFSET", f"work offset X{offset[0]:+.3f} Y{offset[1]:+.3f} mm (given): the "
                    "envelope is checked at program position + offset", "info")
    _check_moves(parsed.moves, machine, top, deepest, log, offset, third_party, tool_diameter / 2.0)
    blind = [m.line for m in parsed.moves if m.kind != "rapid" and math.isnan(m.end[2])]
    if blind:
        # e.g. a plasma or laser program that never commands Z: nothing says how deep it cuts
        log.add("GCODE_MODES", f"line {blind[0]}: {len(blind)} cutting move(s) at a Z the program never set: "
                "their depth, length and sweep are not checked", "warning")

    cut = rapid = 0.0
    for m in parsed.moves:
        if m.known:
            if m.kind == "rapid":
                rapid += move_length(m)
            else:
                cut += move_length(m)

    not_proven: tuple[str, ...] = (CUT_THROUGH, NO_GOUGE)
    if parts:
        pieces = full_depth_pieces(parsed.moves, bottom + FULL_DEPTH_TOLERANCE)
        swept = swept_region(pieces, tool_diameter / 2.0)
        check_parts(swept, pieces, parts, tool_diameter / 2.0, max_tab_length, log)
        not_proven = ()
        if parsed.compensation_lines:
            # the controller cuts one radius beside the contour the sweep was built from
            not_proven = (f"{CUT_THROUGH} and {NO_GOUGE}: cutter compensation (G41/G42) from line "
                          f"{parsed.compensation_lines[0]}",)
    if parsed.unchecked_from is not None:
        not_proven += (f"lines {parsed.unchecked_from} on (O-word flow not followed)",)

    estimate, bound = motion_time(parsed.moves, machine,
                                  blend_changes(text) if machine.controller == "linuxcnc" else ())
    return VerifyReport(findings=tuple(log.result()), cut_length=cut, rapid_length=rapid,
                        estimated_time_s=estimate + parsed.dwell_s,
                        lower_bound_time_s=bound + parsed.dwell_s, not_proven=not_proven)
