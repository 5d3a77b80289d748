"""Nesting: sheets used, spacing and margin kept, true-shape use of holes, determinism."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely import affinity
from shapely.geometry import Point, Polygon, box

from osehw.cam.nesting.raster import (
    NestingError,
    NestItem,
    NestResult,
    Placement,
    _clear_strip,
    _correlate,
    _gather_last_sheet,
    _make_mask,
    _Packer,
    _rasterise,
    _Run,
    area_lower_bound,
    conflict_lower_bound,
    inscribed_radius,
    lower_bound,
    nest,
    place,
)


def _frame(outer: float, inner: float) -> Polygon:
    """Square ``outer`` [mm] with a centred square hole ``inner`` [mm]."""
    o = (outer - inner) / 2
    return Polygon(box(0, 0, outer, outer).exterior.coords, [box(o, o, o + inner, o + inner).exterior.coords])


def _gusset() -> Polygon:
    """L 120 x 120 mm, legs 40 mm wide, one Ø10 hole."""
    outer = Polygon([(0, 0), (120, 0), (120, 40), (40, 40), (40, 120), (0, 120)])
    return outer.difference(Point(20, 20).buffer(5))


def _mixed_set(*, panels: int, gussets: int, ribs: int, washers: int) -> list[NestItem]:
    """A windowed panel, gussets, parabolic ribs and washers: holes, concavities and curves together."""
    rib_x = np.linspace(-150, 150, 31)
    rib = Polygon([(-150, -30), (150, -30), *[(float(x), float(x * x / 400)) for x in rib_x[::-1]]])
    return [
        NestItem("panel", box(0, 0, 300, 250).difference(box(100, 80, 200, 170)), panels),
        NestItem("gusset", _gusset(), gussets),
        NestItem("rib", rib, ribs),
        NestItem("washer", Point(0, 0).buffer(25).difference(Point(0, 0).buffer(10)), washers),
    ]


def _assert_valid(result: NestResult, items: list[NestItem], spacing: float, margin: float) -> None:
    """Every part inside the sheet minus margin; no two parts on a sheet closer than spacing."""
    shapes = {it.name: it.shape for it in items}
    assert sorted((p.name, p.instance) for p in result.placements) == sorted(
        (it.name, k) for it in items for k in range(it.quantity))
    usable = box(margin, margin, result.sheet_x - margin, result.sheet_y - margin).buffer(1e-6, join_style="mitre")
    for s in range(result.sheets_used):
        polys = [place(shapes[p.name], p) for p in result.placements if p.sheet == s]
        assert polys, f"sheet {s} is empty"
        for poly in polys:
            assert usable.contains(poly)
        dist = shapely.distance(np.array(polys)[:, None], np.array(polys)[None, :])
        np.fill_diagonal(dist, np.inf)
        assert dist.min() >= spacing - 1e-6


def test_place_rotates_about_origin_then_translates() -> None:
    p = Placement("r", 0, 0, x=100.0, y=10.0, rotation=90.0)
    moved = place(box(0, 0, 20, 5), p)
    # (20, 0) -> rotate 90° -> (0, 20) -> + (100, 10) -> (100, 30); (0, 5) -> (-5, 0) -> (95, 10)
    assert moved.bounds == pytest.approx((95.0, 10.0, 100.0, 30.0), abs=1e-9)
    assert moved.area == pytest.approx(100.0)


def test_single_rectangles_fill_rows_with_spacing_and_margin() -> None:
    # usable 400 - 2*10 = 380 wide: 100 mm parts + 10 mm spacing -> 3 per row (3*100 + 2*10 = 320;
    # a 4th would need 430). Usable height 180 -> 1 row of 100 tall (2 rows need 210).
    items = [NestItem("plate", box(0, 0, 100, 100), 5, allow_rotation=False)]
    r = nest(items, 400, 200, spacing=10, margin=10)
    _assert_valid(r, items, 10, 10)
    assert r.sheets_used == 2
    assert [sum(p.sheet == s for p in r.placements) for s in range(2)] == [3, 2]
    # bottom-left: first part at the margin corner, the next one spacing further right
    first = sorted((p.x, p.y) for p in r.placements if p.sheet == 0)
    assert first == [(10.0, 10.0), (120.0, 10.0), (230.0, 10.0)]
    assert r.utilisation == pytest.approx((3 * 1e4 / 8e4, 2 * 1e4 / 8e4))


def test_small_part_goes_into_large_part_hole_when_no_other_room() -> None:
    # sheet 220, margin 5 -> usable 210; the 200 frame leaves a 10 mm strip < the 50 mm part,
    # so the part can only sit in the 120 x 120 hole (hole from 45 to 165 on the sheet).
    items = [NestItem("frame", _frame(200, 120), 1), NestItem("insert", box(0, 0, 50, 50), 1)]
    r = nest(items, 220, 220, spacing=5, margin=5)
    _assert_valid(r, items, 5, 5)
    assert r.sheets_used == 1
    frame_p = next(p for p in r.placements if p.name == "frame")
    insert_p = next(p for p in r.placements if p.name == "insert")
    hole = Polygon(place(items[0].shape, frame_p).interiors[0])
    assert hole.contains(place(items[1].shape, insert_p))
    # bottom-left in the hole: spacing away from the hole's lower-left corner
    assert (insert_p.x, insert_p.y) == pytest.approx((50.0, 50.0), abs=1e-3)
    assert r.utilisation[0] == pytest.approx((200**2 - 120**2 + 50**2) / 220**2, abs=1e-6)


def test_bounding_box_baseline_cannot_use_the_hole() -> None:
    items = [NestItem("frame", _frame(200, 120), 1), NestItem("insert", box(0, 0, 50, 50), 1)]
    r = nest(items, 220, 220, spacing=5, margin=5, engine="bbox")
    assert r.sheets_used == 2


def test_l_gussets_interlock_in_each_others_concavity() -> None:
    # Two L gussets 120 x 120 fit a 170 x 170 usable square only by interlocking (one turned
    # 180°): side by side they would need 2*120 + 5 = 245 mm. Bounding boxes need 2 sheets.
    items = [NestItem("gusset", _gusset(), 2)]
    r = nest(items, 190, 190, spacing=5, margin=10)
    _assert_valid(r, items, 5, 10)
    assert r.sheets_used == 1
    assert {p.rotation for p in r.placements} == {0.0, 180.0}
    assert nest(items, 190, 190, spacing=5, margin=10, engine="bbox").sheets_used == 2


def test_grain_locked_part_is_not_rotated_and_may_need_more_sheets() -> None:
    # 300 x 60 strip on a 200 x 400 sheet, margin 5: usable 190 x 390 -> fits only turned 90°
    strip = box(0, 0, 300, 60)
    free = nest([NestItem("s", strip, 2)], 200, 400, spacing=5, margin=5)
    assert free.sheets_used == 1 and all(p.rotation in (90.0, 270.0) for p in free.placements)
    with pytest.raises(NestingError, match=r"s: 300\.0 x 60\.0 mm part does not fit .* 190\.0 x 390\.0 mm"):
        nest([NestItem("s", strip, 1, allow_rotation=False)], 200, 400, spacing=5, margin=5)


def test_too_large_part_names_part_and_sizes() -> None:
    with pytest.raises(NestingError) as err:
        nest([NestItem("side_panel", box(0, 0, 900, 300), 1)], 800, 800, spacing=7, margin=10)
    msg = str(err.value)
    assert "side_panel" in msg and "900.0 x 300.0" in msg and "780.0 x 780.0" in msg and "800 x 800" in msg


def test_mixed_set_is_valid_deterministic_and_near_area_bound() -> None:
    items = _mixed_set(panels=2, gussets=6, ribs=3, washers=8)
    kw = dict(spacing=7.35, margin=10.0, resolution=2.5)
    r1 = nest(items, 800, 800, **kw)
    r2 = nest(items, 800, 800, **kw)
    assert r1 == r2  # identical placements, not just equal counts
    _assert_valid(r1, items, 7.35, 10.0)
    total = sum(it.shape.area * it.quantity for it in items)
    assert area_lower_bound(items, 800, 800, 10.0) == math.ceil(total / 780**2) == 1
    assert r1.sheets_used == 1
    assert sum(r1.utilisation) == pytest.approx(total / 800**2, abs=1e-5)
    # another seed re-orders parts of similar size: still valid, and itself reproducible
    r3 = nest(items, 800, 800, seed=7, **kw)
    _assert_valid(r3, items, 7.35, 10.0)
    assert r3 == nest(items, 800, 800, seed=7, **kw)


def test_invalid_inputs_are_refused() -> None:
    with pytest.raises(NestingError, match="margin 60"):
        nest([NestItem("a", box(0, 0, 1, 1), 1)], 100, 100, spacing=1, margin=60)
    with pytest.raises(NestingError, match="repeated: a"):
        nest([NestItem("a", box(0, 0, 1, 1), 1), NestItem("a", box(0, 0, 2, 2), 1)], 100, 100, spacing=1, margin=1)
    with pytest.raises(NestingError, match="engine 'nfp' unknown"):
        nest([NestItem("a", box(0, 0, 1, 1), 1)], 100, 100, spacing=1, margin=1, engine="nfp")


def test_zero_spacing_tiles_a_sheet_exactly() -> None:
    # four 50 mm squares fill a 100 mm sheet with no margin: one sheet, 100 % used
    r = nest([NestItem("tile", box(0, 0, 50, 50), 4)], 100, 100, spacing=0, margin=0)
    assert r.sheets_used == 1 and r.utilisation == (1.0,)
    assert sorted((p.x, p.y) for p in r.placements) == [(0.0, 0.0), (0.0, 50.0), (50.0, 0.0), (50.0, 50.0)]


# --------------------------------------------------------------------------- search, bounds, grid


def test_search_beats_first_fit_decreasing_on_its_textbook_failure() -> None:
    # Full-height strips on a 100 x 100 sheet, no margin or spacing: one-dimensional bin packing of
    # widths 40, 40, 30, 30, 30, 30 into 100. First fit decreasing (by hand): 40+40 | 30+30+30 | 30,
    # three sheets; 40+30+30 twice fills two sheets exactly, which is also the area bound.
    items = [NestItem("wide", box(0, 0, 40, 100), 2, allow_rotation=False),
             NestItem("narrow", box(0, 0, 30, 100), 4, allow_rotation=False)]
    first = nest(items, 100, 100, spacing=0, margin=0, iterations=0)
    assert first.utilisation == (0.8, 0.9, 0.3)
    searched = nest(items, 100, 100, spacing=0, margin=0, iterations=12)
    _assert_valid(searched, items, 0, 0)
    assert searched.sheets_used == 2 == area_lower_bound(items, 100, 100, 0)
    assert searched.utilisation == (1.0, 1.0)
    for s in range(2):
        assert sorted(p.name for p in searched.placements if p.sheet == s) == ["narrow", "narrow", "wide"]
    assert nest(items, 100, 100, spacing=0, margin=0, iterations=12) == searched  # a fixed budget, not a clock


def test_search_is_reproducible_on_a_mixed_set() -> None:
    items = _mixed_set(panels=1, gussets=5, ribs=2, washers=6)
    kw = dict(spacing=7.35, margin=10.0, resolution=4.0, iterations=4)
    first = nest(items, 460, 460, **{**kw, "iterations": 0})
    assert first.sheets_used > lower_bound(items, 460, 460, margin=10.0, spacing=7.35)  # so the search runs
    r1 = nest(items, 460, 460, **kw)
    _assert_valid(r1, items, 7.35, 10.0)
    # the search keeps a nest only when its last sheet holds less: here it moves parts off it
    assert r1.sheets_used == first.sheets_used and r1.utilisation[-1] < first.utilisation[-1]
    assert r1 == nest(items, 460, 460, **kw)  # every placement, to the micrometre


def test_lower_bound_counts_the_spacing() -> None:
    # nine 10 mm squares, spacing 2, on a 30 x 30 sheet without margin: area alone says 1 sheet.
    # Grown by 1 mm each is 10² + 4·10·1 + π·1² = 143.14 mm² (a little less as shapely draws the
    # corner arcs with chords); the sheet grown by 1 mm is 30² + 2·1·60 + π = 1023.14 mm²:
    # 9 · 143.1 / 1023.1 = 1.26 -> 2 sheets. By hand only 2 x 2 fit a sheet (10 + 2 + 10 + 2 + 10 > 30): 3.
    items = [NestItem("sq", box(0, 0, 10, 10), 9)]
    assert area_lower_bound(items, 30, 30, 0) == 1
    assert lower_bound(items, 30, 30, margin=0, spacing=2) == 2
    r = nest(items, 30, 30, spacing=2, margin=0)
    _assert_valid(r, items, 2, 0)
    assert r.sheets_used == 3 and [sum(p.sheet == s for p in r.placements) for s in range(3)] == [4, 4, 1]


def test_grain_parts_turn_half_round_only() -> None:
    # an L (grain along X) on a sheet too narrow for two side by side: a 180° turn lets the second
    # one interlock, a quarter turn would not keep the grain
    items = [NestItem("gusset", _gusset(), 2, allow_rotation=False)]
    r = nest(items, 190, 190, spacing=5, margin=10)
    _assert_valid(r, items, 5, 10)
    assert r.sheets_used == 1 and {p.rotation for p in r.placements} == {0.0, 180.0}


@pytest.mark.parametrize("shape", [
    _frame(37.3, 15.1),
    affinity.rotate(_gusset(), 23.0, origin=(0, 0)),
    Point(0, 0).buffer(11.7, quad_segs=5).difference(Point(1, 0).buffer(4.2)),
    box(0, 0, 20, 10),  # edges on the grid lines: touching cells do not count
    # edges through rows and columns of cell centres, vertices at a centre's height (the scanline's ties)
    Polygon([(-3.3 + 1.7 * 2.5, 2.2 + 1.7 * 1.5), (-3.3 + 1.7 * 9.5, 2.2 + 1.7 * 1.5), (-3.3 + 1.7 * 9.5, 2.2 + 1.7 * 7.5),
             (-3.3 + 1.7 * 5.5, 2.2 + 1.7 * 4.5), (-3.3 + 1.7 * 2.5, 2.2 + 1.7 * 7.5)]),
    Polygon([(0, 0), (30, 0.4), (0, 0.8)]),  # a sliver thinner than a cell
])
def test_rasterise_marks_the_same_cells_as_testing_every_cell(shape: Polygon) -> None:
    h, x0, y0 = 1.7, -3.3, 2.2
    minx, miny, _, _ = shape.bounds
    geom = affinity.translate(shape, x0 - minx + 0.0 * h, y0 - miny)
    if shape.equals(box(0, 0, 20, 10)):
        geom = affinity.translate(box(0, 0, 20.4, 10.2), x0 + 2 * h, y0 + h)  # 12 x 6 cells exactly
    nx, ny = 150 // 1, 120 // 1
    xs = x0 + h * np.arange(nx)
    ys = y0 + h * np.arange(ny)
    gx, gy = np.meshgrid(xs, ys)
    eps = 1e-7 * h
    every = shapely.intersects(geom, shapely.box(gx + eps, gy + eps, gx + h - eps, gy + h - eps))
    assert np.array_equal(_rasterise(geom, x0, y0, h, 0, nx, 0, ny), every)
    assert np.array_equal(_rasterise(geom, x0, y0, h, 5, 40, 3, 30), every[3:30, 5:40])


def test_collision_map_counts_overlaps_like_a_direct_sum() -> None:
    # the FFT correlation thresholded at 0.5 against the overlap count summed cell by cell
    rng = np.random.Generator(np.random.PCG64(7))
    blocked = rng.random((41, 57)) < 0.3
    cells = rng.random((9, 13)) < 0.5
    full = _correlate(blocked, cells)
    padded = np.pad(blocked, ((8, 8), (12, 12)))
    direct = np.lib.stride_tricks.sliding_window_view(padded, cells.shape)
    counts = (direct & cells).sum(axis=(2, 3))
    assert full.shape == counts.shape == (41 + 9 - 1, 57 + 13 - 1)
    assert np.array_equal(full, counts > 0)


def test_parts_that_cannot_share_a_sheet_each_count_one(monkeypatch) -> None:
    # three 500 x 500 plates, 800 x 800 sheets, margin 10 (usable 780), spacing 8. Area: 3 · 250,000 /
    # 608,400 = 1.23 -> 2 sheets. Each plate holds a disc of radius 250; two such centres lie at most
    # sqrt(2) · (780 - 500) = 396 mm apart, but must be 250 + 250 + 8 = 508 apart: no two plates share
    # a sheet -> 3, which first fit reaches, so the search is never started.
    plates = [NestItem("plate", box(0, 0, 500, 500), 3)]
    assert area_lower_bound(plates, 800, 800, 10) == 2
    assert conflict_lower_bound(plates, 800, 800, margin=10, spacing=8) == 3
    assert lower_bound(plates, 800, 800, margin=10, spacing=8) == 3

    def no_search(*args, **kwargs):
        raise AssertionError("search started although first fit met the bound")

    monkeypatch.setattr("osehw.cam.nesting.raster._fill_sheet_by_sheet", no_search)
    monkeypatch.setattr("osehw.cam.nesting.raster._empty_last_sheet", no_search)
    assert nest(plates, 800, 800, spacing=8, margin=10, iterations=8, resolution=5.0).sheets_used == 3
    # 450 x 450: discs of 225 are at most sqrt(2) · 330 = 466.7 apart, and need 458: the discs alone
    # do not separate them (the corners do, which a disc does not see), so the bound stays 1, a bound
    assert conflict_lower_bound([NestItem("plate", box(0, 0, 450, 450), 3)], 800, 800, margin=10, spacing=8) == 1
    # the largest disc in an L with legs 40 wide sits on the corner's diagonal at (x, x), as far from the
    # outer edges (x) as from the inner corner (40, 40): x = sqrt(2)·(40 - x) -> x = 40·sqrt(2)/(1 + sqrt(2))
    # = 23.43 mm. The radius returned is never more (the disc must lie inside) and within GEOS's tolerance.
    ell = Polygon([(0, 0), (120, 0), (120, 40), (40, 40), (40, 120), (0, 120)])
    exact = 40 * math.sqrt(2) / (1 + math.sqrt(2))
    assert exact - 0.2 <= inscribed_radius(ell) <= exact
    assert 19.8 <= inscribed_radius(box(0, 0, 40, 300)) <= 20.0


def test_other_placement_rules_find_the_one_sheet_nest_first_fit_misses(monkeypatch) -> None:
    # three 40 x 70 and four 40 x 50 plates on a 200 x 100 sheet, no margin or spacing: 16,400 of
    # 20,000 mm², area bound 1. By hand one sheet holds them all: the 40 x 70s standing side by side
    # (120 x 70), the 40 x 50s in two columns of two beside them (80 x 100). First fit by the default
    # rule (least top + right/3) lays them low and long and needs 2 sheets, as does the search with
    # that rule only; with the other rules of the search it finds the one sheet.
    items = [NestItem("tall", box(0, 0, 40, 70), 3), NestItem("short", box(0, 0, 40, 50), 4)]
    kw = dict(spacing=0.0, margin=0.0, resolution=5.0)
    assert nest(items, 200, 100, iterations=0, **kw).utilisation == (0.72, 0.1)
    searched = nest(items, 200, 100, iterations=4, **kw)
    _assert_valid(searched, items, 0.0, 0.0)
    assert searched.utilisation == (0.82,) and searched == nest(items, 200, 100, iterations=4, **kw)

    def no_search(*args, **kwargs):
        raise AssertionError("packed sheet by sheet although first fit by another rule met the bound")

    with monkeypatch.context() as m:  # first fit by another rule meets the bound: the search stops there
        m.setattr("osehw.cam.nesting.raster._fill_sheet_by_sheet", no_search)
        assert nest(items, 200, 100, iterations=4, **kw) == searched
    monkeypatch.setattr("osehw.cam.nesting.raster._GRAVITIES", (1.0 / 3.0,))
    assert nest(items, 200, 100, iterations=4, **kw).sheets_used == 2


def test_the_last_sheets_parts_are_gathered_to_leave_the_largest_clear_strip() -> None:
    # two 20 x 20 squares on a 200 x 200 sheet (margin 10, spacing 5), left by a search at opposite
    # corners: the strip clear beyond them is max(200 - 190 - 5, 0) · 200 = 1,000 mm². Packed again
    # bottom-left they lie at (10, 10) and (35, 10): the strip above y = 30 + 5 is 200 x 165 = 33,000 mm².
    sq = box(0, 0, 20, 20)
    items = [NestItem("sq", sq, 2)]
    h = 2.0
    probe = _Packer(200, 200, 5, 10, h)
    masks = {0: [_make_mask(0, sq, a, i, h, probe.nx, probe.ny, 10) for i, a in enumerate((0.0, 90.0))]}

    def new_packer(gravity: float = 1 / 3) -> _Packer:
        return _Packer(200, 200, 5, 10, h, (10, 10), gravity)

    spread = _Run((((0, Placement("sq", 0, 0, 10, 10, 0.0)), (0, Placement("sq", 1, 0, 170, 170, 0.0))),), (800.0,))
    assert _clear_strip([place(sq, p) for _, p in spread.sheets_parts[0]], probe, 5) == 1000.0
    gathered = _gather_last_sheet(new_packer, items, spread, {0: sq}, masks, 5.0)
    assert gathered.part_areas == spread.part_areas and gathered.sheets == 1
    placed = [place(sq, p) for _, p in gathered.sheets_parts[0]]
    assert _clear_strip(placed, probe, 5) == pytest.approx(33000.0)
    assert sorted((p.x, p.y) for _, p in gathered.sheets_parts[0]) == [(10.0, 10.0), (35.0, 10.0)]
