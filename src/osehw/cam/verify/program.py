"""Independent verification of a G-code program, osehw's own or anyone's.

The verifier reads only the program *text* (read back by its own word reader,
:mod:`osehw.cam.verify.tokens` and :mod:`osehw.cam.verify.parse`) and what must remain of each part
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
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from osehw.cam.shop import Machine
from osehw.cam.verify.dialect import DIALECTS
from osehw.cam.verify.parse import FindingLog, ParsedMove, read_program
from osehw.cam.verify.sweep import (
    arc_xy_bounds_table,
    check_parts,
    full_depth_pieces,
    move_lengths,
    swept_region,
)
from osehw.cam.verify.table import ARC, RAPID, MoveTable, as_table
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


def _xy_boxes(t: MoveTable) -> np.ndarray:
    """(n, 4) xmin, ymin, xmax, ymax [mm] of each move: arcs' bulges included, NaN where X/Y never known."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN pairs: an axis never commanded
        box = np.column_stack([np.fmin(t.start[:, 0], t.end[:, 0]), np.fmin(t.start[:, 1], t.end[:, 1]),
                               np.fmax(t.start[:, 0], t.end[:, 0]), np.fmax(t.start[:, 1], t.end[:, 1])])
    arcs = np.flatnonzero((t.kind == ARC) & t.known)
    if len(arcs):
        box[arcs] = arc_xy_bounds_table(t, arcs)
    return box


def program_extent(moves: Sequence[ParsedMove] | MoveTable) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) [mm] of every known position of the program, arcs' bulges included."""
    t = as_table(moves)
    box = _xy_boxes(t)
    if np.isnan(box[:, 0]).all() or np.isnan(box[:, 1]).all():
        return (0.0, 0.0, 0.0, 0.0)
    return (float(np.nanmin(box[:, 0])), float(np.nanmin(box[:, 1])), float(np.nanmax(box[:, 2])),
            float(np.nanmax(box[:, 3])))


def _deepest_near(t: MoveTable, before: int, x: float, y: float, within: float) -> float:
    """Lowest Z [mm] cut by the known cutting moves before row ``before`` with the tool centre within
    ``within`` of (x, y) (chords for arcs); inf if none: to tell a rapid back into a cut from one into stock."""
    rows = np.flatnonzero((t.kind[:before] != RAPID) & t.known[:before])
    if not len(rows):
        return math.inf
    p0, p1 = t.start[rows, :2], t.end[rows, :2]
    low = np.minimum(t.start[rows, 2], t.end[rows, 2])
    d = p1 - p0
    length2 = np.maximum((d * d).sum(axis=1), 1e-18)
    u = np.clip(((x - p0[:, 0]) * d[:, 0] + (y - p0[:, 1]) * d[:, 1]) / length2, 0.0, 1.0)
    dist = np.hypot(p0[:, 0] + u * d[:, 0] - x, p0[:, 1] + u * d[:, 1] - y)
    near = low[dist <= within]
    return float(near.min()) if len(near) else math.inf


def _check_moves(moves: Sequence[ParsedMove] | MoveTable, machine: Machine, top: float, deepest: float,
                 log: FindingLog, offset: tuple[float, float] = (0.0, 0.0), third_party: bool = False,
                 tool_radius: float = 0.0) -> None:
    """Envelope, depth, safe-height, spindle and feed rules, for all moves at once.

    ``offset`` [mm] is added to program X/Y to give the machine position the
    envelope is checked at. ``third_party``: a straight-down rapid may re-enter
    a cut the program has already made (a peck back into its hole, a pocket's
    next level), down to the depth cut within half a tool radius of it.
    Findings are logged move by move, in the order of the program.
    """
    t = as_table(moves)
    if not len(t):
        return
    tol = COORD_TOLERANCE
    floor = top + RAPID_CLEARANCE
    ox, oy = offset
    box = np.nan_to_num(_xy_boxes(t), nan=0.0) + np.array([ox, oy, ox, oy])
    xmin, ymin, xmax, ymax = box.T
    z0, z1 = t.start[:, 2], t.end[:, 2]
    zs = ~(np.isnan(z0) & np.isnan(z1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        zmin, zmax = np.fmin(z0, z1), np.fmax(z0, z1)
    found: list[tuple[int, int, str, str]] = []  # (move, order in the move, code, message)

    def add(mask: np.ndarray, rank: int, code: str, message) -> None:  # type: ignore[no-untyped-def]
        found.extend((int(i), rank, code, message(int(i))) for i in np.flatnonzero(mask))

    bad_x = (xmin < -tol) | (xmax > machine.envelope_x + tol)
    bad_y = (ymin < -tol) | (ymax > machine.envelope_y + tol)
    bad_z = zs & (zmax > machine.envelope_z + tol)

    def envelope(i: int) -> str:
        bad = []
        if bad_x[i]:
            bad.append(f"X {_fmt(xmin[i] if xmin[i] < -tol else xmax[i])} outside 0..{machine.envelope_x}")
        if bad_y[i]:
            bad.append(f"Y {_fmt(ymin[i] if ymin[i] < -tol else ymax[i])} outside 0..{machine.envelope_y}")
        if bad_z[i]:
            bad.append(f"Z {_fmt(zmax[i])} above the Z travel {machine.envelope_z}")
        return f"line {t.line[i]}: {'; '.join(bad)} (machine '{machine.id}')"

    add(bad_x | bad_y | bad_z, 0, "GCODE_ENVELOPE", envelope)
    add(zs & (zmin < deepest - tol), 1, "GCODE_DEPTH", lambda i: f"line {t.line[i]}: Z {_fmt(zmin[i])} is deeper "
        f"than the stock bottom plus breakthrough ({_fmt(deepest)})")

    rapid = t.kind == RAPID
    s_xy, e_xy = t.start[:, :2], t.end[:, :2]
    with np.errstate(invalid="ignore"):
        xy_change = (np.isnan(s_xy) | np.isnan(e_xy) | (np.abs(s_xy - e_xy) > tol)).any(axis=1)
        moved_xy = xy_change & ~np.isnan(e_xy).all(axis=1)
        descending = np.isnan(z0) | (z1 < z0 - tol)
        unknown_z = rapid & moved_xy & ~zs & ~t.home_z
        low = rapid & moved_xy & zs & (zmin < floor - tol)
        plunge = rapid & ~(moved_xy & ~zs) & ~(moved_xy & zs & (zmin < floor - tol)) & ~np.isnan(z1) & (
            z1 < top - tol) & descending
    add(unknown_z, 2, "GCODE_RAPID_LOW", lambda i: f"line {t.line[i]}: XY rapid while Z is unknown; command Z first")
    add(low, 2, "GCODE_RAPID_LOW", lambda i: f"line {t.line[i]}: XY rapid at Z {_fmt(zmin[i])}, below stock top + "
        f"{RAPID_CLEARANCE} mm (Z {_fmt(floor)})")
    if third_party:
        # straight back down into a cut already made (a peck into its hole): not a plunge into stock
        for i in np.flatnonzero(plunge & ~moved_xy & ~np.isnan(e_xy).any(axis=1)).tolist():
            hole = _deepest_near(t, i, float(t.end[i, 0]), float(t.end[i, 1]), max(tool_radius / 2, tol))
            plunge[i] = not (z1[i] >= hole - tol)
    add(plunge, 2, "GCODE_RAPID_LOW", lambda i: f"line {t.line[i]}: rapid plunge to Z {_fmt(z1[i])}, into the stock")

    cutting = ~rapid
    add(cutting & zs & (zmin < top - tol) & ~t.spindle_on, 3, "GCODE_SPINDLE_OFF",
        lambda i: f"line {t.line[i]}: cutting move to Z {_fmt(zmin[i])} with the spindle off (needs M3/M4 and "
        f"S > 0; S is {t.spindle_rpm[i]:g})")
    add(cutting & (t.feed <= 0), 4, "GCODE_FEED", lambda i: f"line {t.line[i]}: cutting move with no positive "
        "feed rate F")
    add(cutting & (t.feed > machine.max_feed + tol), 4, "GCODE_FEED", lambda i: f"line {t.line[i]}: F "
        f"{t.feed[i]:g} exceeds the machine's max feed {machine.max_feed:g}")
    for _, _, code, message in sorted(found, key=lambda f: (f[0], f[1])):
        log.add(code, message)


def _inferred_offset(moves: Sequence[ParsedMove] | MoveTable, log: FindingLog) -> tuple[float, float]:
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
    parsed = read_program(text, dialect, log, third_party=third_party)
    moves = parsed.table
    if not len(moves) and parsed.unchecked_from is None:
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
        offset = work_offset if work_offset is not None else _inferred_offset(moves, log)
        if work_offset is not None:
            log.add("GCODE_OFFSET", f"work offset X{offset[0]:+.3f} Y{offset[1]:+.3f} mm (given): the "
                    "envelope is checked at program position + offset", "info")
    _check_moves(moves, machine, top, deepest, log, offset, third_party, tool_diameter / 2.0)
    blind = moves.line[(moves.kind != RAPID) & np.isnan(moves.end[:, 2])]
    if len(blind):
        # e.g. a plasma or laser program that never commands Z: nothing says how deep it cuts
        log.add("GCODE_MODES", f"line {blind[0]}: {len(blind)} cutting move(s) at a Z the program never set: "
                "their depth, length and sweep are not checked", "warning")

    lengths = np.where(moves.known, move_lengths(moves), 0.0)
    is_rapid = moves.kind == RAPID
    # the exactly rounded sums (math.fsum), whatever the order
    rapid = math.fsum(lengths[is_rapid].tolist())
    cut = math.fsum(lengths[~is_rapid].tolist())

    not_proven: tuple[str, ...] = (CUT_THROUGH, NO_GOUGE)
    if parts:
        pieces = full_depth_pieces(moves, bottom + FULL_DEPTH_TOLERANCE)
        swept = swept_region(pieces, tool_diameter / 2.0)
        check_parts(swept, pieces, parts, tool_diameter / 2.0, max_tab_length, log)
        not_proven = ()
        if parsed.compensation_lines:
            # the controller cuts one radius beside the contour the sweep was built from
            not_proven = (f"{CUT_THROUGH} and {NO_GOUGE}: cutter compensation (G41/G42) from line "
                          f"{parsed.compensation_lines[0]}",)
    if parsed.unchecked_from is not None:
        not_proven += (f"lines {parsed.unchecked_from} on (O-word flow not followed)",)

    estimate, bound = motion_time(moves, machine,
                                  blend_changes(text) if machine.controller == "linuxcnc" else ())
    return VerifyReport(findings=tuple(log.result()), cut_length=cut, rapid_length=rapid,
                        estimated_time_s=estimate + parsed.dwell_s,
                        lower_bound_time_s=bound + parsed.dwell_s, not_proven=not_proven)
