"""Toolpath commands as plain data (after cq-cam): no dialect lives here.

Coordinates are absolute, in mm, in the sheet's frame: X/Y on the sheet with
its origin at the lower-left corner of the stock, Z = 0 at the top of the stock
(negative Z is into the material). Post-processors turn these into text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Rapid:
    """G0 to (x, y, z). A None coordinate keeps its current value."""

    x: float | None = None
    y: float | None = None
    z: float | None = None


@dataclass(frozen=True)
class Line:
    """G1 to (x, y, z) at ``feed`` [mm/min]. None keeps the current value."""

    x: float | None
    y: float | None
    z: float | None
    feed: float


@dataclass(frozen=True)
class Arc:
    """G2 (``clockwise``) / G3 in the XY plane to (x, y, z), centre = start + (i, j).

    A change of z along the arc makes a helix (helical entry, helical boring).
    """

    x: float
    y: float
    z: float
    i: float
    j: float
    clockwise: bool
    feed: float


Move = Union[Rapid, Line, Arc]


@dataclass(frozen=True)
class Operation:
    """One machining operation on one feature of one part instance.

    kind: "drill" | "helical_bore" | "pocket" | "profile_inside" |
          "profile_outside" | "engrave"
    depth: final depth below stock top [mm] (positive number).
    tool: tool id (key into cam/tools); moves: the path, starting and ending
    at safe height.
    """

    kind: str
    part: str
    feature: str
    tool: str
    depth: float
    moves: tuple[Move, ...]
    spindle_rpm: float = 0.0
