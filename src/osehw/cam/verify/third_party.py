"""What a controller does with the words osehw never writes, for verifying other people's programs.

osehw's own programs are checked strictly (:mod:`osehw.cam.verify.parse`):
mm, absolute, no cycles, no offsets. Programs from other CAM use more of the
language, and a verifier that refuses them teaches nothing. Here are the
rules for following them, from the LinuxCNC 2.9 G-code reference (sections
G28/G30, G53, G92, G73, G81–G89, G98/G99, G17–G19) and the GRBL 1.1 README;
where the two agree so does Mach3 (MachMotion R0071 ch. 10).

- **Returns and machine moves** (G28, G30, G53): the axes they move end at
  positions only the machine knows, so they become unknown. A Z among them
  is a retract to the top of travel (every controller homes Z up), so an XY
  rapid after it is not "at an unknown height".
- **G92** makes the present position read as the given values: the program
  frame moves, the tool does not. **G10 / G92.1 / G92.2** change offsets the
  program does not state: position unknown.
- **Drilling cycles** (G73, G81, G82, G83, G85, G86, G89), for each XY:
  if Z is below R, rapid up to R; rapid to XY; rapid down to R; feed to the
  hole's Z (pecks of G73/G83 re-enter their own hole, the same sweep); dwell
  P for G82/G89; then back to R (G99) or to the higher of R and the Z before
  the cycle (G98): by rapid, or by feed for G85/G89. In G91, X/Y are
  increments, R is measured from the Z before the cycle and Z from R, and L
  repeats the hole.
- **Arcs in G18/G19** are followed as chords within 0.002 mm (the sweep's
  own chord tolerance), so the envelope, depth and time see them.
- **G43/G43.1/G49** change the tool-length offset: Z in the program stays the
  tool tip's, so nothing moves in the program frame.
- **G41/G42** cut one tool radius beside the programmed contour. The verifier
  follows the contour and says so once (GCODE_COMPENSATION).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from osehw.cam.verify.parse import NAN, ParsedMove, _arc_geometry
from osehw.cam.verify.sweep import CHORD_TOLERANCE, chord_step

CYCLES = frozenset({730, 810, 820, 830, 850, 860, 890})  # G-codes in tenths
FEED_OUT = frozenset({850, 890})  # boring cycles that feed back out
DWELL = frozenset({820, 890})
POSITION_CODES = frozenset({100, 280, 300, 530, 920, 921, 922})
_O_WORD = re.compile(r"^\s*(?:N\d+\s*)?[Oo]\s*[\d<]")


_SPINDLE_WORD = re.compile(r"(?<![A-Z])M0*[345](?![0-9.])", re.IGNORECASE)
_COMMENTS = re.compile(r"\([^)]*\)|;.*")


def commands_spindle(text: str) -> bool:
    """Whether any line outside comments has M3, M4 or M5 (else the spindle is switched by hand, as
    jscut and many laser/router programs expect)."""
    return any(_SPINDLE_WORD.search(_COMMENTS.sub("", line)) for line in text.splitlines())


def is_o_word(line: str) -> bool:
    """An O-word line (subroutine, loop, condition): flow this verifier does not follow."""
    return bool(_O_WORD.match(line))


@dataclass
class ModalExtras:
    """The modal state only third-party programs use: drilling-cycle retract mode and sticky R/Z/P/Q."""

    retract_to_r: bool = False  # G99; G98 (back to the Z before the cycle) is the power-up mode
    r_plane: float = NAN
    hole_z: float = NAN
    dwell_s: float = 0.0
    compensation_lines: set[int] = field(default_factory=set)

    def update(self, gs: set[int], vals: dict[str, float], lineno: int, log) -> None:  # type: ignore[no-untyped-def]
        if 980 in gs:
            self.retract_to_r = False
        if 990 in gs:
            self.retract_to_r = True
        if gs & {410, 420}:
            if not self.compensation_lines:
                log.add("GCODE_COMPENSATION", f"line {lineno}: G4{1 if 410 in gs else 2} cutter compensation: the "
                        "tool runs one radius beside the programmed contour, which is what is checked here "
                        "(envelope and sweep are off by up to the tool radius)", "warning")
            self.compensation_lines.add(lineno)


def apply_position_code(gs: set[int], axes: dict[str, float], pos: list[float],
                        home_z: bool) -> tuple[list[float], bool]:
    """Position after a G10/G28/G30/G53/G92-family block, and whether Z was sent home."""
    out = list(pos)
    if 920 in gs:
        for i, k in enumerate("XYZ"):
            if k in axes:
                out[i] = axes[k]
        return out, home_z and "Z" not in axes
    if gs & {280, 300}:
        moved = "XYZ" if not axes else "".join(axes)  # G28 alone homes every axis
        for i, k in enumerate("XYZ"):
            if k in moved:
                out[i] = NAN
        return out, home_z or "Z" in moved
    if 530 in gs:
        for i, k in enumerate("XYZ"):
            if k in axes:
                out[i] = NAN
        return out, home_z or "Z" in axes
    return [NAN, NAN, NAN], False  # G10, G92.1, G92.2: offsets the program does not state


def drill_cycle(lineno: int, code: int, pos: list[float], axes: dict[str, float], vals: dict[str, float],
                absolute: bool, scale: float, state: ModalExtras, feed: float, spindle_on: bool, rpm: float,
                log) -> tuple[list[ParsedMove], list[float]]:  # type: ignore[no-untyped-def]
    """The moves of one drilling-cycle block (every repeat), and the position after it."""
    x, y, z = pos
    if "R" in vals:
        state.r_plane = vals["R"] * scale if absolute else z + vals["R"] * scale
    if "Z" in vals:
        state.hole_z = vals["Z"] * scale if absolute else state.r_plane + vals["Z"] * scale
    if "P" in vals:
        state.dwell_s = max(vals["P"], 0.0)
    r, bottom = state.r_plane, state.hole_z
    if math.isnan(r) or math.isnan(bottom):
        log.add("GCODE_MODES", f"line {lineno}: G{code // 10} cycle with no R or Z word set")
        return [], list(pos)
    if math.isnan(z):
        log.add("GCODE_MODES", f"line {lineno}: G{code // 10} cycle from an unknown Z; command Z first")
        return [], list(pos)
    repeats = max(1, int(vals.get("L", 1))) if not absolute else 1
    clear = r if state.retract_to_r else max(z, r)
    moves: list[ParsedMove] = []

    def add(kind: str, a: tuple[float, float, float], b: tuple[float, float, float], stop: bool = False) -> None:
        moves.append(ParsedMove(line=lineno, kind=kind, start=a, end=b, feed=feed if kind == "feed" else 0.0,
                                spindle_on=spindle_on, spindle_rpm=rpm, stop_before=stop))

    cz = z
    for _ in range(repeats):
        tx = axes.get("X", x) if absolute else x + axes.get("X", 0.0)
        ty = axes.get("Y", y) if absolute else y + axes.get("Y", 0.0)
        if cz < r:
            add("rapid", (x, y, cz), (x, y, r))
            cz = r
        add("rapid", (x, y, cz), (tx, ty, cz))
        add("rapid", (tx, ty, cz), (tx, ty, r))
        add("feed", (tx, ty, r), (tx, ty, bottom))
        add("feed" if code in FEED_OUT else "rapid", (tx, ty, bottom), (tx, ty, r), stop=code in DWELL)
        if clear > r:
            add("rapid", (tx, ty, r), (tx, ty, clear))
        x, y, cz = tx, ty, clear
    return moves, [x, y, cz]


# plane (tenths of its G-code) → indices of its first axis, second axis and normal in XYZ,
# and the letters of the centre offsets along the first and second axis (LinuxCNC "G17–G19")
_PLANES = {180: ((2, 0, 1), ("K", "I")), 190: ((1, 2, 0), ("J", "K"))}


def plane_arc(lineno: int, clockwise: bool, plane: int, start: list[float], end: list[float],
              vals: dict[str, float], arc_absolute: bool, scale: float, feed: float, spindle_on: bool,
              rpm: float, log) -> list[ParsedMove]:  # type: ignore[no-untyped-def]
    """A G2/G3 in the XZ (G18) or YZ (G19) plane as straight chords within the sweep's chord tolerance."""
    (a, b, n), (ka, kb) = _PLANES[plane]
    if any(math.isnan(start[i]) for i in (a, b, n)):
        log.add("GCODE_ARC", f"line {lineno}: arc starts from an unknown position")
        return []
    mapped = {k: v for k, v in vals.items() if k == "R"}
    if ka in vals:
        mapped["I"] = vals[ka]
    if kb in vals:
        mapped["J"] = vals[kb]
    geo = _arc_geometry((start[a], start[b]), (end[a], end[b]), clockwise, mapped, arc_absolute, scale)
    if isinstance(geo, str):
        log.add("GCODE_ARC", f"line {lineno}: invalid arc in G{plane // 10}: {geo}")
        return []
    (ca, cb), sweep, rs, re_ = geo
    a0 = math.atan2(start[b] - cb, start[a] - ca)
    steps = max(1, math.ceil(abs(sweep) / chord_step(max(rs, re_), CHORD_TOLERANCE)))
    points = []
    for k in range(steps + 1):
        t = k / steps
        radius = rs + (re_ - rs) * t
        p = [0.0, 0.0, 0.0]
        p[a] = ca + radius * math.cos(a0 + sweep * t)
        p[b] = cb + radius * math.sin(a0 + sweep * t)
        p[n] = start[n] + (end[n] - start[n]) * t
        points.append(tuple(p))
    points[-1] = tuple(end)
    return [ParsedMove(line=lineno, kind="feed", start=p, end=q, feed=feed, spindle_on=spindle_on,
                       spindle_rpm=rpm) for p, q in zip(points, points[1:])]
