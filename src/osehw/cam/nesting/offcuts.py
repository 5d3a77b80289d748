"""Waste a nest would set free between parts, predicted from the placed outlines before any toolpath.

Each part's outline cut sweeps a band one cutter wide round its exterior (the
tool centre runs one radius out, the disc reaches one more: the outline grown by
the cutter's diameter, Minkowski sum of the outline and the tool disc twice). What
is left of the sheet is the parts, the skeleton (the waste joined to the sheet's
edge, which the clamps hold), and any piece of waste whose every side is a band.
Such a piece comes loose beside the spinning cutter when the last band round it
is cut: a small part dropped into another's concavity, or against its finger
notches, boxes one in. The band grown by the diameter is a little wider than the
true sweep only where a gap is narrower than the tool (which the outline cut
refuses anyway), so the prediction errs towards finding a piece.

Pieces inside a part's exterior are its holes' slugs, and pieces under
:data:`MIN_AREA` are the cusps between neighbouring passes: neither is reported,
as in the independent check of the programs (``osehw.cam.verify.sheet``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import shapely
from shapely.geometry import Polygon

from osehw.cam.nesting.raster import (
    DEFAULT_ITERATIONS,
    NestItem,
    NestResult,
    nest,
    place,
)

MIN_AREA = 1.0
"""[mm²] smaller pieces of waste are cusps between passes, not material."""


@dataclass(frozen=True)
class Offcut:
    sheet: int  # 0-based, as Placement.sheet
    area: float  # [mm²]
    x: float  # a point inside it, sheet frame [mm]
    y: float


def boxed_in_waste(nesting: NestResult, shapes: Mapping[str, Polygon], cut_width: float) -> list[Offcut]:
    """Each piece of waste the outline cuts of ``nesting`` would set free between parts.

    Parameters
    ----------
    nesting : placements on sheets of ``nesting.sheet_x`` × ``nesting.sheet_y`` mm.
    shapes : each part's footprint in its own frame, by name (the shapes that were nested).
    cut_width : the outline cutter's diameter [mm].
    """
    out = []
    for sheet in range(nesting.sheets_used):
        outlines = [Polygon(place(shapes[p.name], p).exterior) for p in nesting.placements if p.sheet == sheet]
        if not outlines:
            continue
        stock = shapely.box(0.0, 0.0, nesting.sheet_x, nesting.sheet_y)
        cut = shapely.union_all([o.buffer(cut_width, quad_segs=16) for o in outlines])
        edge = stock.exterior
        for piece in shapely.get_parts(stock.difference(cut)):
            if piece.area < MIN_AREA or piece.distance(edge) < 1e-6:
                continue
            c = piece.representative_point()
            out.append(Offcut(sheet, round(piece.area, 1), c.x, c.y))
    return out


def nest_clear_of_offcuts(items: list[NestItem], sheet_x: float, sheet_y: float, *, spacing: float,
                          wide_spacing: float, margin: float, cut_width: float,
                          resolution: float | None = None, iterations: int = DEFAULT_ITERATIONS) -> NestResult:
    """Nest ``items`` ``spacing`` apart; if that boxes waste in between parts, nest them again
    ``wide_spacing`` apart (more than two cuts' width: a web of skeleton then stays between every
    pair, joined to the sheet's edge). Only a nest that would free waste changes. ``resolution``: the
    nesting grid [mm]; ``iterations``: the search's budget (both: :func:`osehw.cam.nesting.raster.nest`)."""
    close = nest(items, sheet_x, sheet_y, spacing=spacing, margin=margin, resolution=resolution,
                 iterations=iterations)
    if not boxed_in_waste(close, {i.name: i.shape for i in items}, cut_width):
        return close
    return nest(items, sheet_x, sheet_y, spacing=wide_spacing, margin=margin, resolution=resolution,
                iterations=iterations)


__all__ = ["MIN_AREA", "Offcut", "boxed_in_waste", "nest_clear_of_offcuts"]
