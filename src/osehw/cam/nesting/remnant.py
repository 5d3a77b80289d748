"""A half-empty last sheet, offered back as a remnant: the strip of stock its parts leave whole.

The nest fills its sheets in order, so only the last one can be mostly empty. When its parts
take less than half of the sheet, the larger of the two full-width strips their bounding box
leaves clear (to its right, or above it) can be cut off and kept as stock. One cut separates it,
so the strip starts ``cut_allowance`` [mm] beyond the parts (the outline cutter's width plus the
part spacing is the usual choice).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import shapely
from shapely.geometry import Polygon

from osehw.cam.nesting.raster import NestResult, place

REMNANT_BELOW = 0.5
"""A last sheet whose parts take less than this share of it is offered as a remnant."""
REMNANT_MIN_SHARE = 0.25
"""... when the strip kept is at least this share of the sheet (a sliver is not worth storing)."""


@dataclass(frozen=True)
class Remnant:
    sheet: int  # 0-based, as Placement.sheet
    x0: float  # the strip kept, sheet frame [mm]
    y0: float
    x1: float
    y1: float
    last_fill: float  # part area / sheet area on the last sheet

    @property
    def size(self) -> tuple[float, float]:
        return self.x1 - self.x0, self.y1 - self.y0


def last_sheet_remnant(nesting: NestResult, shapes: Mapping[str, Polygon], cut_allowance: float) -> Remnant | None:
    """The strip of the last sheet to keep, or None when its parts take half the sheet or more
    (or leave less than :data:`REMNANT_MIN_SHARE` of it clear in one strip)."""
    if nesting.sheets_used == 0:
        return None
    last = nesting.sheets_used - 1
    fill = nesting.utilisation[last]
    if fill >= REMNANT_BELOW:
        return None
    placed = [place(shapes[p.name], p) for p in nesting.placements if p.sheet == last]
    _, _, maxx, maxy = shapely.union_all(placed).bounds
    sx, sy = nesting.sheet_x, nesting.sheet_y
    right = (round(maxx + cut_allowance, 3), 0.0, sx, sy)
    above = (0.0, round(maxy + cut_allowance, 3), sx, sy)
    x0, y0, x1, y1 = max((right, above), key=lambda r: ((r[2] - r[0]) * (r[3] - r[1]), r[0]))
    if x1 <= x0 or y1 <= y0 or (x1 - x0) * (y1 - y0) < REMNANT_MIN_SHARE * sx * sy:
        return None
    return Remnant(last, x0, y0, x1, y1, fill)


__all__ = ["REMNANT_BELOW", "REMNANT_MIN_SHARE", "Remnant", "last_sheet_remnant"]
