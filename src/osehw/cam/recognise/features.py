"""2.5D features of a flat sheet part (types only here; recognition in recognise.py).

Geometry is shapely, in the part's own XY frame (mm), as seen from above with
the stock's top at Z = 0. Curves are discretised finely (chord error ≤ 0.002 mm)
so that toolpath arc-fitting can recover G2/G3 within the 0.02 mm tolerance;
circles that OCC knows exactly are also reported as :class:`RoundHole`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import Polygon


@dataclass(frozen=True)
class RoundHole:
    """A through (or blind, depth < thickness) cylindrical hole."""

    name: str
    x: float
    y: float
    diameter: float
    depth: float


@dataclass(frozen=True)
class Countersink:
    """A conical countersink opening on the top face about the round hole ``hole``.

    The router cuts the hole only; the cone is drill-press work (a countersink bit of
    ``angle``, sunk until the cone meets the top face at ``diameter``).
    """

    name: str
    hole: str  # name of the RoundHole it sinks
    x: float
    y: float
    diameter: float  # where the cone meets the top face [mm]
    angle: float  # included angle of the cone [degrees]
    depth: float  # from the top face to where the cone meets the hole [mm]


@dataclass(frozen=True)
class Pocket:
    """A region cleared to ``depth`` [mm] below the stock top (blind: depth < thickness)."""

    name: str
    region: Polygon
    depth: float


@dataclass(frozen=True)
class InsideCut:
    """A through opening that is not a plain round hole (slot, window, arc slot).

    ``receives_part`` marks openings another part sits in: their inside
    corners get dogbone relief.
    """

    name: str
    region: Polygon
    receives_part: bool = False


@dataclass(frozen=True)
class PartFeatures:
    """Everything CAM needs to cut one sheet part.

    outline: the part's outside boundary (exterior ring only; holes are listed
    separately). thickness: stock thickness [mm].
    """

    part: str
    thickness: float
    outline: Polygon
    round_holes: tuple[RoundHole, ...] = ()
    inside_cuts: tuple[InsideCut, ...] = ()
    pockets: tuple[Pocket, ...] = ()
    label: str = ""
    countersinks: tuple[Countersink, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
