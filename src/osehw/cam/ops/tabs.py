"""Holding tabs: small bridges left on an outside profile so a freed part stays put.

Conventions follow common router CAM practice: tab height is measured up
from the bottom of the cut, and the tool-centre path stays lifted for the tab
width *plus one tool diameter* so the bridge left at the part has the stated
width (MakerCAM tab settings, forums.maslowcnc.com/t/how-to-tabs-in-makercam/5214;
desktopcncforge.com/cnc-tabs-cam-guide). The count comes from the perimeter and
a target spacing, rounded up so tabs spread evenly (formulafactory.tools
tab-bridge spacing calculator); our defaults: at least two, one per 300 mm of
path, at least four on parts larger than 300 mm; height about a third of the
cut depth, 2–4 mm (never more than half); width a tool diameter plus 1 % of
the part's size, at most three diameters. Tabs sit on straight edges, clear of
corners, spread evenly around the part; placement is deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from osehw.cam.ops.arcfit import Seg, path_length

TAB_SPACING = 300.0  # one tab per this much outline [mm]
LARGE_PART = 300.0  # parts longer than this get at least four tabs [mm]
MIN_TAB_HEIGHT, MAX_TAB_HEIGHT = 2.0, 4.0  # [mm]


@dataclass(frozen=True)
class TabLayout:
    """Where the tool lifts over tabs on one closed tool-centre path.

    centres: tab centres as distances along the path from its start [mm].
    width: bridge width left at the part's edge [mm]; height: bridge height
    above the cut's bottom [mm]; lift_length: tool-centre path length held at
    the tab top = width + tool diameter (the tool's radius reaches ahead of and
    behind its centre) [mm].
    """

    centres: tuple[float, ...]
    width: float
    height: float
    lift_length: float


def tab_size(part_size: float, perimeter: float, tool_diameter: float, depth: float) -> tuple[int, float, float]:
    """Default (count, width [mm], height [mm]) of tabs for a part.

    part_size: the part's largest extent [mm]; perimeter: its tool-centre path
    length [mm]; depth: the profile's cut depth [mm].
    """
    count = max(2, math.ceil(perimeter / TAB_SPACING - 1e-9))
    if part_size > LARGE_PART:
        count = max(count, 4)
    # wider bridges on bigger (heavier) parts: tool diameter + 1 % of size, ≤ 3 diameters
    width = min(tool_diameter + 0.01 * part_size, 3 * tool_diameter)
    height = min(max(depth / 3, MIN_TAB_HEIGHT), MAX_TAB_HEIGHT, depth / 2)
    return count, width, height


def _candidates(path: Sequence[Seg], clearance: float, min_arc_radius: float | None) -> list[tuple[float, float]]:
    """Intervals of the path (distances from its start) where a tab centre may go."""
    out: list[tuple[float, float]] = []
    s = 0.0
    for seg in path:
        length = seg.length
        usable = seg.centre is None or (min_arc_radius is not None and seg.radius >= min_arc_radius)
        if usable and length >= 2 * clearance:
            out.append((s + clearance, s + length - clearance))
        s += length
    return out


def _nearest(intervals: list[tuple[float, float]], target: float, perimeter: float) -> float | None:
    best: tuple[float, float] | None = None
    for lo, hi in intervals:
        for shift in (-perimeter, 0.0, perimeter):
            t = target + shift
            c = min(max(t, lo), hi)
            key = (round(abs(c - t), 9), c)
            if best is None or key < best:
                best = key
    return None if best is None else best[1]


def _remove(intervals: list[tuple[float, float]], centre: float, half: float,
            perimeter: float) -> list[tuple[float, float]]:
    out = intervals
    for shift in (-perimeter, 0.0, perimeter):
        lo_x, hi_x = centre + shift - half, centre + shift + half
        nxt: list[tuple[float, float]] = []
        for lo, hi in out:
            if hi < lo_x or lo > hi_x:
                nxt.append((lo, hi))
                continue
            if lo < lo_x:
                nxt.append((lo, lo_x))
            if hi > hi_x:
                nxt.append((hi_x, hi))
        out = nxt
    return out


def tab_layout(path: Sequence[Seg], part_size: float, tool_diameter: float, depth: float, *,
               count: int | None = None, width: float | None = None, height: float | None = None) -> TabLayout:
    """Place tabs on a closed tool-centre path (outside profile).

    Tab centres go on straight segments at least tool diameter + tab width
    from either end of the segment (a corner), aiming at evenly spaced targets
    around the path; two tabs keep at least 3 × (lift_length + tool diameter) apart, so the
    full-depth cut between them (after the tool's 30° ramp down off the first) is longer than
    either tab and the two bridges never merge into one long uncut stretch.
    If straight edges cannot hold them all, gentle arcs (radius ≥ 5 tool
    diameters) are used, then any segment long enough to hold the lift. A path
    with no room at all gets fewer tabs.
    """
    perimeter = path_length(path)
    c_def, w_def, h_def = tab_size(part_size, perimeter, tool_diameter, depth)
    count = c_def if count is None else count
    width = w_def if width is None else width
    height = h_def if height is None else height
    lift = width + tool_diameter
    levels = [
        _candidates(path, tool_diameter + width, None),
        _candidates(path, tool_diameter + width, 5 * tool_diameter),
        _candidates(path, lift / 2, 0.0),
    ]
    best: list[float] = []
    for intervals in levels:
        centres: list[float] = []
        free = list(intervals)
        for i in range(count):
            target = perimeter * (i + 0.5) / count
            c = _nearest(free, target, perimeter)
            if c is None:
                break
            centres.append(c % perimeter)
            free = _remove(free, c, 3 * (lift + tool_diameter), perimeter)
        if len(centres) > len(best):
            best = centres
        if len(best) == count:
            break
    return TabLayout(tuple(sorted(best)), width, height, lift)
