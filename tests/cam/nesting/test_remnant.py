"""A half-empty last sheet offered back as a remnant strip."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Point, box

from osehw.cam.nesting.raster import NestItem, NestResult, Placement, nest, place
from osehw.cam.nesting.remnant import REMNANT_BELOW, last_sheet_remnant, sheet_uses


def _one_sheet(shapes_at: list[tuple[str, float, float]], util: float) -> NestResult:
    placements = tuple(Placement(name, k, 0, x, y, 0.0) for k, (name, x, y) in enumerate(shapes_at))
    return NestResult(placements, 800.0, 800.0, 1, (util,), "test")


def test_the_larger_clear_strip_of_a_mostly_empty_last_sheet_is_offered() -> None:
    shapes = {"plate": box(0, 0, 200, 100)}
    # one 200 x 100 plate at the corner (10, 10): it takes 2e4 / 6.4e5 = 3.1 % of the sheet. Clear
    # beyond it by a cut of 8 mm: right of x = 218 (582 x 800 = 465,600 mm²) or above y = 118
    # (800 x 682 = 545,600 mm²): the strip above is larger.
    r = last_sheet_remnant(_one_sheet([("plate", 10, 10)], 2e4 / 6.4e5), shapes, 8.0)
    assert r is not None
    assert (r.sheet, r.x0, r.y0, r.x1, r.y1) == (0, 0.0, 118.0, 800.0, 800.0)
    assert r.size == (800.0, 682.0) and r.last_fill == pytest.approx(0.03125)


def test_a_last_sheet_half_used_or_more_is_not_offered() -> None:
    shapes = {"plate": box(0, 0, 600, 600), "bar": box(0, 0, 20, 700)}
    assert last_sheet_remnant(_one_sheet([("plate", 10, 10)], 0.5625), shapes, 8.0) is None
    # little used, but its parts span the sheet: the clear strips are 800 x 82 mm above, 72 x 800 mm to
    # the right: about 10 % of it at most, under the quarter worth keeping
    spread = _one_sheet([("bar", 10, 10), ("bar", 700, 10)], 2 * 14000 / 6.4e5)
    assert last_sheet_remnant(spread, shapes, 8.0) is None


def test_the_remnant_of_a_real_nest_is_clear_of_every_part() -> None:
    # five 380 x 380 plates on 800 x 800 sheets (usable 780): 2 x 2 fit a sheet (380 + 8 + 380 = 768),
    # the fifth goes alone on sheet 2: 144,400 / 640,000 = 22.6 % of it -> offered
    items = [NestItem("plate", box(0, 0, 380, 380), 5)]
    res = nest(items, 800, 800, spacing=8.0, margin=10.0, resolution=4.0)
    assert res.sheets_used == 2 and res.utilisation[-1] == pytest.approx(380**2 / 800**2, abs=1e-6)
    r = last_sheet_remnant(res, {"plate": items[0].shape}, 8.0)
    assert r is not None and r.sheet == 1
    strip = box(r.x0, r.y0, r.x1, r.y1)
    for p in res.placements:
        if p.sheet == 1:
            assert strip.distance(box(p.x, p.y, p.x + 380, p.y + 380)) >= 8.0 - 1e-6
    assert strip.area == pytest.approx(800 * (800 - 10 - 380 - 8))  # the part at the margin corner


def test_sheet_uses_report_every_sheet_and_the_remnant_on_the_last_only() -> None:
    # eight parts of three kinds on 800 x 800 sheets (2 x 2 plates a sheet, the fifth on the second): the per-sheet utilisation is checked against an
    # independent shapely sum over the placed outlines (their union too: parts do not overlap)
    plate, bar = box(0, 0, 380, 300), box(0, 0, 500, 60)
    ring = Point(0, 0).buffer(60, quad_segs=16).difference(Point(0, 0).buffer(25, quad_segs=16))
    items = [NestItem("plate", plate, 5), NestItem("bar", bar, 2), NestItem("ring", ring, 1)]
    spacing = 8.0
    res = nest(items, 800, 800, spacing=spacing, margin=10.0, resolution=4.0)
    shapes = {it.name: it.shape for it in items}
    uses = sheet_uses(res, shapes, spacing)
    assert len(uses) == res.sheets_used == 2
    for u in uses:
        placed = [place(shapes[p.name], p) for p in res.placements if p.sheet == u.index]
        assert u.this == pytest.approx(sum(q.area for q in placed) / 800**2, abs=1e-6)
        assert u.this == pytest.approx(shapely.union_all(placed).area / 800**2, abs=1e-6)
        assert u.utilisation == res.utilisation and u.last_fill == res.utilisation[-1]
    assert uses[0].remnant is None and not uses[0].is_last
    last = uses[-1]
    assert last.is_last and last.remnant is not None and last.last_fill < REMNANT_BELOW
    strip = box(last.remnant.x0, last.remnant.y0, last.remnant.x1, last.remnant.y1)
    for p in res.placements:
        if p.sheet == last.index:
            grown = place(shapes[p.name], p).buffer(spacing - 1e-6, quad_segs=32)
            assert not strip.intersects(grown)
    heading, text = last.lines()[-1]
    r = last.remnant
    assert heading == "Remnant" and f"{r.size[0]:g} × {r.size[1]:g} mm" in text
    assert last.lines()[1] == ("Sheet 2 of 2", f"{res.utilisation[0]:.1%}, {res.utilisation[1]:.1%} "
                               f"(mean {sum(res.utilisation) / 2:.1%}); the last sheet's fill {res.utilisation[1]:.1%}")
