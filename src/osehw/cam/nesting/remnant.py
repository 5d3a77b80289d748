"""A half-empty last sheet, offered back as a remnant: the strip of stock its parts leave whole.

The nest fills its sheets in order, so only the last one can be mostly empty. When its parts
take less than half of the sheet, the larger of the two full-width strips their bounding box
leaves clear (to its right, or above it) can be cut off and kept as stock. One cut separates it,
so the strip starts ``cut_allowance`` [mm] beyond the parts (the outline cutter's width plus the
part spacing is the usual choice).
"""

from __future__ import annotations

import math
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


def _up_to_micron(v: float) -> float:
    """``v`` [mm] rounded up to a whole micrometre (to the nearest, when it is one within round-off),
    so the strip never comes closer to the parts than the allowance."""
    return math.ceil(round(v * 1000.0, 6)) / 1000.0


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
    right = (_up_to_micron(maxx + cut_allowance), 0.0, sx, sy)
    above = (0.0, _up_to_micron(maxy + cut_allowance), sx, sy)
    x0, y0, x1, y1 = max((right, above), key=lambda r: ((r[2] - r[0]) * (r[3] - r[1]), r[0]))
    if x1 <= x0 or y1 <= y0 or (x1 - x0) * (y1 - y0) < REMNANT_MIN_SHARE * sx * sy:
        return None
    return Remnant(last, x0, y0, x1, y1, fill)


@dataclass(frozen=True)
class SheetUse:
    """How one sheet of a nest is used, with the whole nest beside it, for the operator and the buyer.

    ``utilisation`` holds every sheet of the nest (part area / sheet area, holes not counted as part);
    ``remnant`` is the strip to keep, given on the last sheet only."""

    index: int  # 0-based, as Placement.sheet
    utilisation: tuple[float, ...]
    remnant: Remnant | None = None

    @property
    def sheets(self) -> int:
        return len(self.utilisation)

    @property
    def this(self) -> float:
        return self.utilisation[self.index]

    @property
    def last_fill(self) -> float:
        return self.utilisation[-1]

    @property
    def is_last(self) -> bool:
        return self.index == self.sheets - 1

    def lines(self) -> list[tuple[str, str]]:
        """(heading, text) rows: this sheet's use, the nest's sheets and, on the last sheet, its fill
        and the remnant to keep."""
        rows = [("This sheet", f"{self.this:.1%} of the sheet is part (part area / sheet area)"),
                (f"Sheet {self.index + 1} of {self.sheets}", ", ".join(f"{u:.1%}" for u in self.utilisation)
                 + f" (mean {sum(self.utilisation) / self.sheets:.1%}); the last sheet's fill {self.last_fill:.1%}")]
        r = self.remnant
        if r is not None:
            w, h = r.size
            cut = f"x = {r.x0:g}" if r.y0 == 0.0 else f"y = {r.y0:g}"
            rows.append(("Remnant", f"keep the strip x {r.x0:g} to {r.x1:g}, y {r.y0:g} to {r.y1:g} mm "
                                    f"({w:g} × {h:g} mm, {w * h / 1e6:.3f} m²) as stock: one straight cut along "
                                    f"{cut} once the parts are out"))
        return rows


def sheet_uses(nesting: NestResult, shapes: Mapping[str, Polygon], cut_allowance: float) -> tuple[SheetUse, ...]:
    """One :class:`SheetUse` per sheet of ``nesting``; the last carries the remnant
    (:func:`last_sheet_remnant` with ``cut_allowance`` [mm]) when there is one."""
    remnant = last_sheet_remnant(nesting, shapes, cut_allowance)
    last = nesting.sheets_used - 1
    return tuple(SheetUse(k, tuple(nesting.utilisation), remnant if k == last else None)
                 for k in range(nesting.sheets_used))


__all__ = ["REMNANT_BELOW", "REMNANT_MIN_SHARE", "Remnant", "SheetUse", "last_sheet_remnant", "sheet_uses"]
