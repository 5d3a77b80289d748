"""True-shape nesting of sheet parts onto fixed-size stock sheets.

The kept engine ("raster") is a deterministic first-fit-decreasing,
bottom-left placement on a conservative occupancy grid:

* each sheet's usable area (sheet minus the clamp ``margin``) is a grid of
  square cells of side ``resolution`` [mm]; a cell is *forbidden* when its
  interior meets a placed part grown by ``spacing``;
* each part, at each allowed angle, is rasterised the same way (cells its
  interior meets);
* every grid translation where the part's cells meet no forbidden cell is
  collision-free *exactly* (the part lies inside its cells, and those cells
  avoid the grown neighbours), so the grid only ever wastes space, never
  overlaps. All translations are tested at once by an FFT correlation of the
  two masks — the discrete form of the no-fit polygon — which is what lets
  small parts drop into holes and concavities of large ones;
* the chosen grid position is then slid down and left with exact shapely
  distance checks, giving back most of the grid's waste.

When that first fit uses more sheets than :func:`lower_bound` (the area with the
spacing, and parts that pairwise cannot share a sheet), a search with a fixed
budget (``iterations``, a count of packings, never a time) runs first fit by other
placement rules (:data:`_GRAVITIES`), packs the sheets again one at a time, each
as full as the best of several rules and orders of the parts left fills it, then
pools each earlier sheet with the last one and packs it again to move parts off
the last sheet; the best nest by (sheets, part area on the last sheet) is kept.

No clocks, no randomness except seeded re-orderings: the same input gives the
same placements on any machine. ``engine="bbox"`` runs the same
algorithm on bounding rectangles (the baseline true-shape is measured against,
see ``benchmarks/bench_nesting.py``); the sparrow strip packer (spyrrow), which
is time-limited and therefore not reproducible, lives in
:mod:`osehw.cam.nesting.sparrow` for comparison only.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import Polygon

from osehw.core.errors import OsehwError

DEFAULT_ANGLES: tuple[float, ...] = (0.0, 90.0, 180.0, 270.0)
# A part cut from material with a grain keeps the grain's direction: it may lie as drawn or turned
# half round (the face grain still runs along X), never a quarter turn.
_GRAIN_ANGLES: tuple[float, ...] = (0.0, 180.0)
# Orders the search packs a sheet from when the first fit uses more sheets than the lower bound.
# One (the default) only pools each sheet with the last and packs it again: on the node gateway's
# 45 parts (4 sheets of 800 x 800) that adds about what the faster grid saved, so builds take no
# longer than before; more orders are a benchmark's choice (benchmarks/bench_nesting.py).
DEFAULT_ITERATIONS = 1
_ENGINES = ("raster", "bbox")
# Grid cells kept per sheet when the resolution is chosen automatically: about
# 0.4 M cells keeps one FFT correlation near 10-30 ms on a 2440 x 1220 sheet.
_AUTO_CELLS = 400_000
# Shapely's buffer puts its arc vertices *on* the circle, so the grown outline
# lies inside the true offset by the sagitta r·(1 - cos(π / (4·quad_segs))).
_QUAD_SEGS = 8
# Placement rule: minimise top + right/3 of the part (mostly "lowest first, then
# leftmost"). Measured on benchmarks/bench_nesting.py (800 x 800 sheets): a
# leftmost-first rule left the sheets at 0.60/0.47/0.53/0.39, this one at
# 0.73/0.55/0.59/0.11 — the same count, but the earlier sheets filled.
_GRAVITY_X = 1.0 / 3.0
# The search packs with these rules in turn (the first is first fit's): which fills a sheet best depends
# on the sheet's shape and the parts. Measured by first fit on benchmarks/bench_nesting.py: 800 x 800,
# last sheet's fill 0.112 at 1/3, 0.064 at 0.5; 264 parts on 2440 x 1220, 0.403 at 1/3, 0.296 at 0.1.
_GRAVITIES: tuple[float, ...] = (_GRAVITY_X, 0.1, 0.5, 1.0)
_TOL = 1e-6  # [mm] geometric slack for containment / distance checks


class NestingError(OsehwError, ValueError):
    """A nesting request that cannot be met (part larger than the sheet, bad input)."""


class PartTooLargeError(NestingError):
    """One part fits no empty sheet at any allowed rotation; ``part`` names it."""

    def __init__(self, part: str, message: str) -> None:
        self.part = part
        super().__init__(message)


@dataclass(frozen=True)
class NestItem:
    """A part outline to nest ``quantity`` times.

    ``shape`` is in the part's own frame [mm] and may have holes (other parts
    may be nested in them). ``allow_rotation=False`` keeps its grain (material
    with grain): 0° or a half turn, 180°; True allows every angle passed to :func:`nest`.
    """

    name: str
    shape: Polygon
    quantity: int
    allow_rotation: bool = True


@dataclass(frozen=True)
class Placement:
    """Where one instance of an item lies on a sheet.

    Transform of the part frame into the sheet frame: rotate by ``rotation``
    [deg, counter-clockwise] about the part-frame origin, then translate by
    (``x``, ``y``) [mm]. ``instance`` and ``sheet`` are 0-based.
    """

    name: str
    instance: int
    sheet: int
    x: float
    y: float
    rotation: float


@dataclass(frozen=True)
class NestResult:
    """Placements of every instance, and how well the sheets are used.

    ``utilisation`` per sheet = part area / sheet area (holes not counted as part).
    """

    placements: tuple[Placement, ...]
    sheet_x: float
    sheet_y: float
    sheets_used: int
    utilisation: tuple[float, ...]
    engine: str


def place(shape: Polygon, p: Placement) -> Polygon:
    """Return ``shape`` (part frame) moved into the sheet frame by placement ``p``."""
    rotated = affinity.rotate(shape, p.rotation, origin=(0.0, 0.0))
    return affinity.translate(rotated, p.x, p.y)


def area_lower_bound(items: list[NestItem] | tuple[NestItem, ...], sheet_x: float, sheet_y: float,
                     margin: float) -> int:
    """Fewest sheets any nesting could use: ceil(total part area / usable sheet area)."""
    usable = (sheet_x - 2 * margin) * (sheet_y - 2 * margin)
    total = sum(it.shape.area * it.quantity for it in items)
    return math.ceil(total / usable - 1e-9) if total > 0 else 0


# --------------------------------------------------------------------------- engine


@dataclass
class _Mask:
    """One item at one angle, normalised so its bounding box starts at (0, 0)."""

    item: int
    angle: float
    angle_index: int
    shape: Polygon  # rotated and normalised
    dx: float  # add to the grid position to get Placement.x
    dy: float
    width: float
    height: float
    cells: np.ndarray  # bool (rows = y, cols = x)


@dataclass
class _Sheet:
    index: int
    blocked: np.ndarray  # bool forbidden cells (rows = y, cols = x)
    parts: list[Polygon] = field(default_factory=list)
    part_area: float = 0.0
    # cells newly blocked by each commit, in order: (row, column of the window's corner, window)
    changes: list[tuple[int, int, np.ndarray]] = field(default_factory=list)
    # (item, angle_index) -> [bool map of grid positions that collide, count of changes it includes]
    collide: dict[tuple[int, int], list] = field(default_factory=dict)
    spectrum: tuple[int, np.ndarray] | None = None  # (count of changes it includes, FFT of blocked)
    extent: tuple[int, int, int, int, int] | None = None  # (changes, rows r0:r1, columns c0:c1 blocked)


def _centres_inside(geom: shapely.Geometry, x0: float, y0: float, h: float,
                    i0: int, i1: int, j0: int, j1: int) -> np.ndarray:
    """Bool grid: whether each cell centre lies inside ``geom``, by the even-odd rule along each row
    of centres (a scanline fill: Foley, van Dam et al., "Computer Graphics: Principles and Practice",
    2nd ed., §3.6). An edge crosses the row at height yc when min(y) <= yc < max(y) (each vertex is
    counted once); a centre is inside when an odd number of crossings lie left of it.

    Only a centre within round-off of the boundary can come out otherwise than an exact test, and
    :func:`_rasterise` sets every such cell anyway (the boundary crosses it), so its result is exact."""
    rows, cols = j1 - j0, i1 - i0
    toggles = np.zeros(rows * (cols + 1), dtype=np.int64)
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        xy = shapely.get_coordinates(ring)
        a, b = xy[:-1], xy[1:]
        lo, hi = np.minimum(a[:, 1], b[:, 1]), np.maximum(a[:, 1], b[:, 1])
        # rows of centres yc = y0 + h (j + 1/2) with lo <= yc < hi
        first = np.clip(np.ceil((lo - y0) / h - 0.5), j0, j1).astype(np.int64)
        stop = np.clip(np.ceil((hi - y0) / h - 0.5), j0, j1).astype(np.int64)
        n = np.maximum(stop - first, 0)
        if not n.any():
            continue
        edge = np.repeat(np.arange(len(a)), n)
        j = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n) + first[edge]
        yc = y0 + h * (j + 0.5)
        ax, ay, bx, by = a[edge, 0], a[edge, 1], b[edge, 0], b[edge, 1]
        x = ax + (yc - ay) * (bx - ax) / (by - ay)
        k = np.clip(np.ceil((x - x0) / h - 0.5), i0, i1).astype(np.int64) - i0  # first centre right of it
        toggles += np.bincount((j - j0) * (cols + 1) + k, minlength=toggles.size)
    parity = np.cumsum(toggles.reshape(rows, cols + 1), axis=1) & 1
    return parity[:, :cols].astype(bool)


def _segments_meet_boxes(a: np.ndarray, b: np.ndarray, bx0: np.ndarray, by0: np.ndarray, bx1: np.ndarray,
                         by1: np.ndarray) -> np.ndarray:
    """Whether each segment a-b meets the closed box [bx0, bx1] x [by0, by1].

    Separating axes (Gottschalk, Lin and Manocha, "OBBTree", SIGGRAPH 1996): a segment and a box
    are apart exactly when their extents along x or along y do not overlap, or every corner of the
    box lies strictly on one side of the segment's line. Pairs that no axis decides by a clear margin
    (a touch within round-off) are handed to shapely, so the answer is shapely's own."""
    sx0, sx1 = np.minimum(a[:, 0], b[:, 0]), np.maximum(a[:, 0], b[:, 0])
    sy0, sy1 = np.minimum(a[:, 1], b[:, 1]), np.maximum(a[:, 1], b[:, 1])
    t = 1e-9 * (1.0 + np.abs(a).max(axis=1) + np.abs(b).max(axis=1))
    apart = (sx0 > bx1 + t) | (sx1 < bx0 - t) | (sy0 > by1 + t) | (sy1 < by0 - t)
    overlap = (sx0 < bx1 - t) & (sx1 > bx0 + t) & (sy0 < by1 - t) & (sy1 > by0 + t)
    dx, dy = b[:, 0] - a[:, 0], b[:, 1] - a[:, 1]
    tc = t * (np.abs(dx) + np.abs(dy) + 1.0) * 4.0
    side = np.stack([dx * (cy - a[:, 1]) - dy * (cx - a[:, 0])
                     for cx, cy in ((bx0, by0), (bx1, by0), (bx0, by1), (bx1, by1))])
    above, below = (side > tc).all(axis=0), (side < -tc).all(axis=0)
    straddle = (side > tc).any(axis=0) & (side < -tc).any(axis=0)
    meet = overlap & straddle
    unsure = ~meet & ~apart & ~above & ~below
    if unsure.any():
        lines = shapely.linestrings(np.stack([a[unsure], b[unsure]], axis=1))
        meet[unsure] = shapely.intersects(lines, shapely.box(bx0[unsure], by0[unsure], bx1[unsure], by1[unsure]))
    return meet


def _rasterise(geom: shapely.Geometry, x0: float, y0: float, h: float,
               i0: int, i1: int, j0: int, j1: int) -> np.ndarray:
    """Bool grid of the cells (i0 <= i < i1, j0 <= j < j1) of the grid with origin (x0, y0) and side
    ``h`` whose interior meets ``geom``; rows = y. Each cell is shrunk by a hair so touching edges do
    not count.

    A shrunk cell meets a polygon when the polygon's boundary crosses it, or else when its centre lies
    inside (a cell the boundary misses lies wholly inside or wholly outside). The boundary is cut into
    pieces at most h/2 long, so each piece can only meet the 3 x 3 cells round the one its first end
    lies in; those few pairs get the exact test. This is the same set as testing every cell against
    the polygon, at the cost of the outline rather than of the area.
    """
    out = np.zeros((j1 - j0, i1 - i0), dtype=bool)
    if out.size == 0:
        return out
    eps = 1e-7 * h
    out |= _centres_inside(geom, x0, y0, h, i0, i1, j0, j1)
    rings = shapely.get_parts(shapely.segmentize(geom.boundary, 0.5 * h))
    for ring in rings:
        xy = shapely.get_coordinates(ring)
        if len(xy) < 2:
            continue
        a, b = xy[:-1], xy[1:]
        ia = np.floor((np.minimum(a[:, 0], b[:, 0]) - x0) / h).astype(np.int64)
        ja = np.floor((np.minimum(a[:, 1], b[:, 1]) - y0) / h).astype(np.int64)
        off = np.arange(-1, 2)
        ii = (ia[:, None, None] + off[None, None, :]).repeat(3, axis=1)
        jj = (ja[:, None, None] + off[None, :, None]).repeat(3, axis=2)
        seg = np.repeat(np.arange(len(a)), 9)
        ii, jj = ii.ravel(), jj.ravel()
        keep = (ii >= i0) & (ii < i1) & (jj >= j0) & (jj < j1)
        ii, jj, seg = ii[keep], jj[keep], seg[keep]
        keep = ~out[jj - j0, ii - i0]  # already set by the centre test
        ii, jj, seg = ii[keep], jj[keep], seg[keep]
        if ii.size == 0:
            continue
        hit = _segments_meet_boxes(a[seg], b[seg], x0 + h * ii + eps, y0 + h * jj + eps, x0 + h * (ii + 1) - eps,
                                   y0 + h * (jj + 1) - eps)
        out[jj[hit] - j0, ii[hit] - i0] = True
    return out


def _make_mask(item_index: int, shape: Polygon, angle: float, angle_index: int, h: float,
               nx: int, ny: int, origin: float) -> _Mask:
    rotated = affinity.rotate(shape, angle, origin=(0.0, 0.0))
    minx, miny, maxx, maxy = rotated.bounds
    norm = affinity.translate(rotated, -minx, -miny)
    w, ht = maxx - minx, maxy - miny
    mx, my = max(1, math.ceil(w / h - 1e-9)), max(1, math.ceil(ht / h - 1e-9))
    if my <= ny and mx <= nx:
        # the sheet's cells start at (origin, origin): move the part there
        cells = _rasterise(affinity.translate(norm, origin, origin), origin, origin, h, 0, mx, 0, my)
    else:  # larger than the sheet: only its size matters (refused by the caller)
        cells = np.ones((my, mx), dtype=bool)
    return _Mask(item_index, angle, angle_index, norm, -minx, -miny, w, ht, cells)


@functools.lru_cache(maxsize=None)
def _fast_len(n: int) -> int:
    """Least 5-smooth number (2^a 3^b 5^c) >= n: pocketfft transforms such lengths fastest."""
    best = 1 << max(0, (n - 1).bit_length())
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            m = p35
            while m < n:
                m *= 2
            best = min(best, m)
            p35 *= 3
        p5 *= 5
    return best


def _spectrum(cells: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """2-D real FFT of ``cells`` zero-padded to ``shape``: along the rows first, so the padding rows
    cost nothing until the column transform."""
    rows = np.fft.rfft(cells.astype(np.float64), n=shape[1], axis=1)
    return np.fft.fft(rows, n=shape[0], axis=0)


def _counts(a_spec: np.ndarray, b_spec: np.ndarray, shape: tuple[int, int], rows: slice, cols: slice) -> np.ndarray:
    """Collision map from two spectra: True where the convolution count exceeds 0.5.

    The product of the spectra is the linear convolution of the padded masks as long as ``shape``
    holds the full convolution (no wrap-around). The masks are 0/1, so the counts are integers; the
    FFT's round-off is about eps·log2(N)·|a|·|b| (Higham, "Accuracy and Stability of Numerical
    Algorithms", 2nd ed., §24.1): below 1e-8 for the 4e5-cell grids here, so 0.5 separates them exactly
    and any FFT gives the same map. Only the rows asked for are transformed back along the rows."""
    cols_back = np.fft.ifft(a_spec * b_spec, axis=0)[rows]
    return np.fft.irfft(cols_back, n=shape[1], axis=1)[:, cols] > 0.5


def _correlate(blocked: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Full collision map: True where the mask, put at that grid position, meets a blocked cell.
    Row r, column c of the result puts the mask's corner at (r - my + 1, c - mx + 1) of ``blocked``
    (every position where the two overlap)."""
    (ay, ax), (my, mx) = blocked.shape, cells.shape
    fy, fx = ay + my - 1, ax + mx - 1
    shape = (_fast_len(fy), _fast_len(fx))
    return _counts(_spectrum(blocked, shape), _spectrum(cells[::-1, ::-1], shape), shape, slice(0, fy), slice(0, fx))


class _Packer:
    def __init__(self, sheet_x: float, sheet_y: float, spacing: float, margin: float, h: float,
                 mask_size: tuple[int, int] = (1, 1), gravity: float = _GRAVITY_X) -> None:
        self.sheet_x, self.sheet_y = sheet_x, sheet_y
        self.spacing, self.margin, self.h = spacing, margin, h
        self.gravity = gravity
        self.ux, self.uy = sheet_x - 2 * margin, sheet_y - 2 * margin
        self.nx = int(math.floor(self.ux / h + 1e-9))
        self.ny = int(math.floor(self.uy / h + 1e-9))
        # grow neighbours by enough that the polygonal buffer still contains the
        # true offset (see _QUAD_SEGS); at zero spacing parts may touch
        self.grow = spacing / math.cos(math.pi / (4 * _QUAD_SEGS))
        self.sheets: list[_Sheet] = []
        # one padded FFT size holds the full correlation of the sheet with every mask (at most mask_size)
        self.pad = (_fast_len(self.ny + min(mask_size[0], self.ny) - 1),
                    _fast_len(self.nx + min(mask_size[1], self.nx) - 1))

    def new_sheet(self) -> _Sheet:
        s = _Sheet(len(self.sheets), np.zeros((self.ny, self.nx), dtype=bool))
        self.sheets.append(s)
        return s

    # -- search ------------------------------------------------------------
    @staticmethod
    def _add_window(cmap: np.ndarray, delta: np.ndarray, j0: int, i0: int, my: int, mx: int) -> None:
        """OR into ``cmap`` the full collision map ``delta`` of a window whose corner is cell (j0, i0)."""
        r0, c0 = j0 - my + 1, i0 - mx + 1  # delta's first row/column as a mask position
        rs, cs = max(0, r0), max(0, c0)
        re = min(cmap.shape[0], r0 + delta.shape[0])
        ce = min(cmap.shape[1], c0 + delta.shape[1])
        if re > rs and ce > cs:
            cmap[rs:re, cs:ce] |= delta[rs - r0:re - r0, cs - c0:ce - c0]

    def _whole_sheet(self, sheet: _Sheet, m: _Mask) -> np.ndarray:
        """The mask's collision map at every position on the sheet. All masks share one padded size
        (``self.pad``), so the blocked cells' spectrum is taken once for each state of the sheet."""
        my, mx = m.cells.shape
        done = len(sheet.changes)
        if sheet.extent is None or sheet.extent[0] != done:
            rows, cols = np.nonzero(sheet.blocked.any(axis=1))[0], np.nonzero(sheet.blocked.any(axis=0))[0]
            sheet.extent = (done, int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1)
        _, r0, r1, c0, c1 = sheet.extent
        if (r1 - r0 + my) * (c1 - c0 + mx) * 3 < self.pad[0] * self.pad[1] * 2:
            # few cells blocked yet: correlate only the part of the sheet that holds them (outside it,
            # a mask meets nothing)
            cmap = np.zeros((self.ny - my + 1, self.nx - mx + 1), dtype=bool)
            self._add_window(cmap, _correlate(sheet.blocked[r0:r1, c0:c1], m.cells), r0, c0, my, mx)
            return cmap
        if sheet.spectrum is None or sheet.spectrum[0] != done:
            sheet.spectrum = (done, _spectrum(sheet.blocked, self.pad))
        kernel = _spectrum(m.cells[::-1, ::-1], self.pad)
        return _counts(sheet.spectrum[1], kernel, self.pad, slice(my - 1, self.ny), slice(mx - 1, self.nx))

    def _collide_map(self, sheet: _Sheet, m: _Mask) -> np.ndarray | None:
        """The mask's collision map on ``sheet``, brought up to date lazily: a map is only updated
        when asked for, so the maps of parts that are all placed cost nothing more, and a map with no
        free position left never changes again (blocked cells only ever grow). Whether it is updated
        window by window or recomputed whole, the map is the same (integer counts, thresholded)."""
        my, mx = m.cells.shape
        if my > self.ny or mx > self.nx:
            return None
        key = (m.item, m.angle_index)
        entry = sheet.collide.get(key)
        done = len(sheet.changes)
        if entry is None:
            if done == 0:  # empty sheet: nothing to collide with
                cmap = np.zeros((self.ny - my + 1, self.nx - mx + 1), dtype=bool)
            else:
                cmap = self._whole_sheet(sheet, m)
            sheet.collide[key] = [cmap, done]
            return cmap
        cmap, seen = entry
        if seen == done:
            return cmap
        if cmap.all():
            entry[1] = done
            return cmap
        pending = sheet.changes[seen:]
        step_cost = sum((w.shape[0] + my) * (w.shape[1] + mx) for _, _, w in pending)
        if step_cost > (self.ny + my) * (self.nx + mx):
            cmap = self._whole_sheet(sheet, m)
        else:
            for j0, i0, window in pending:
                self._add_window(cmap, _correlate(window, m.cells), j0, i0, my, mx)
        entry[0], entry[1] = cmap, done
        return cmap

    def best_position(self, sheet: _Sheet, masks: list[_Mask]) -> tuple[_Mask, int, int] | None:
        """Bottom-left rule: least top + right/3, then right edge, top edge, angle order.

        Within one row of grid positions the leftmost free one scores best, so only those
        (one a row) are compared."""
        best: tuple[tuple[float, float, float, int], _Mask, int, int] | None = None
        for m in masks:
            cmap = self._collide_map(sheet, m)
            if cmap is None:
                continue
            free = ~cmap
            rows = free.any(axis=1)
            jj = np.nonzero(rows)[0]
            if jj.size == 0:
                continue
            ii = free[jj].argmax(axis=1)
            right = ii * self.h + m.width
            top = jj * self.h + m.height
            score = np.round(self.gravity * right + top, 6)
            k = int(np.lexsort((top, right, score))[0])
            i, j = int(ii[k]), int(jj[k])
            key = (float(score[k]), float(right[k]), float(top[k]), m.angle_index)
            if best is None or key < best[0]:
                best = (key, m, i, j)
        return None if best is None else best[1:]

    # -- exact refinement ---------------------------------------------------
    def _fits(self, sheet: _Sheet, poly: Polygon) -> bool:
        minx, miny, maxx, maxy = poly.bounds
        m = self.margin
        if minx < m - _TOL or miny < m - _TOL or maxx > self.sheet_x - m + _TOL or maxy > self.sheet_y - m + _TOL:
            return False
        if not sheet.parts:
            return True
        others = np.asarray(sheet.parts, dtype=object)
        if self.spacing > _TOL:
            return not bool(np.any(shapely.dwithin(others, poly, self.spacing - _TOL)))
        # zero spacing: touching is allowed, sharing interior is not
        return not bool(np.any(shapely.relate_pattern(others, poly, "T********")))

    def _slide(self, sheet: _Sheet, poly: Polygon, dx: float, dy: float) -> tuple[float, float]:
        """Shift t·(dx, dy), t in [0, 1] found by bisection (12 steps), that still fits exactly."""
        if self._fits(sheet, affinity.translate(poly, dx, dy)):
            return dx, dy
        lo, hi = 0.0, 1.0
        for _ in range(12):
            mid = 0.5 * (lo + hi)
            if self._fits(sheet, affinity.translate(poly, mid * dx, mid * dy)):
                lo = mid
            else:
                hi = mid
        return lo * dx, lo * dy

    def refine(self, sheet: _Sheet, poly: Polygon) -> tuple[float, float]:
        """Slide a feasible polygon down, then left, then down again; return the total shift."""
        reach = 2.0 * self.h
        tx = ty = 0.0
        for dx, dy in ((0.0, -reach), (-reach, 0.0), (0.0, -reach)):
            sx, sy = self._slide(sheet, affinity.translate(poly, tx, ty), dx, dy)
            tx, ty = tx + sx, ty + sy
        return tx, ty

    # -- commit ---------------------------------------------------------------
    def commit(self, sheet: _Sheet, poly: Polygon, area: float) -> None:
        grown = poly.buffer(self.grow, quad_segs=_QUAD_SEGS) if self.grow > 0 else poly
        gminx, gminy, gmaxx, gmaxy = grown.bounds
        h, m = self.h, self.margin
        i0 = max(0, int(math.floor((gminx - m) / h)))
        j0 = max(0, int(math.floor((gminy - m) / h)))
        i1 = min(self.nx, int(math.ceil((gmaxx - m) / h)))
        j1 = min(self.ny, int(math.ceil((gmaxy - m) / h)))
        sheet.parts.append(poly)
        sheet.part_area += area
        if i1 <= i0 or j1 <= j0:
            return
        window = _rasterise(grown, m, m, h, i0, i1, j0, j1)
        window &= ~sheet.blocked[j0:j1, i0:i1]  # only newly blocked cells change the maps
        if not window.any():
            return
        sheet.blocked[j0:j1, i0:i1] |= window
        sheet.changes.append((j0, i0, window))  # the collision maps catch up when next asked for


def _check_inputs(items: list[NestItem], sheet_x: float, sheet_y: float, spacing: float, margin: float) -> None:
    if sheet_x <= 0 or sheet_y <= 0:
        raise NestingError(f"sheet {sheet_x} x {sheet_y} mm: both sides must be > 0")
    if spacing < 0 or margin < 0:
        raise NestingError(f"spacing {spacing} mm and margin {margin} mm must be >= 0")
    if sheet_x - 2 * margin <= 0 or sheet_y - 2 * margin <= 0:
        raise NestingError(f"margin {margin} mm leaves no usable area on a {sheet_x} x {sheet_y} mm sheet")
    names = [it.name for it in items]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise NestingError(f"item names must be unique, repeated: {', '.join(dupes)}")
    for it in items:
        if it.quantity < 0:
            raise NestingError(f"{it.name}: quantity {it.quantity} must be >= 0")
        if not isinstance(it.shape, Polygon) or it.shape.is_empty or not it.shape.is_valid or it.shape.area <= 0:
            raise NestingError(f"{it.name}: shape must be a valid, non-empty shapely Polygon")


def _auto_resolution(sheet_x: float, sheet_y: float, margin: float, spacing: float) -> float:
    ux, uy = sheet_x - 2 * margin, sheet_y - 2 * margin
    h = math.sqrt(ux * uy / _AUTO_CELLS)
    # finer than spacing/2 buys little: the exact slide recovers sub-cell gaps
    return max(0.5, min(h, max(spacing, 1.0)))


def nest(
    items: list[NestItem] | tuple[NestItem, ...],
    sheet_x: float,
    sheet_y: float,
    *,
    spacing: float,
    margin: float,
    time_limit_s: float = 60.0,
    seed: int = 0,
    angles: tuple[float, ...] = DEFAULT_ANGLES,
    resolution: float | None = None,
    engine: str = "raster",
    iterations: int = DEFAULT_ITERATIONS,
) -> NestResult:
    """Nest every instance of ``items`` onto as few ``sheet_x`` x ``sheet_y`` [mm] sheets as it can.

    Parameters
    ----------
    items : parts and quantities; names must be unique.
    sheet_x, sheet_y : stock sheet size [mm]; sheet frame origin = its lower-left corner.
    spacing : least distance between any two parts [mm] (tool diameter + margin).
    margin : least distance from every part to every sheet edge [mm] (clamps).
    time_limit_s : accepted for interface compatibility with time-limited engines;
        this engine is deterministic and runs to completion (it does not read a clock).
    seed : 0 places parts in decreasing area order; any other value shuffles
        items of equal area rank deterministically (numpy PCG64 with that seed).
        The search's moves draw from PCG64 with this seed too.
    angles : rotations [deg] tried for items with ``allow_rotation``; others use 0° and 180°.
    resolution : grid cell [mm]; default from sheet size (about 0.4 M cells).
    engine : "raster" (true shape, default) or "bbox" (each part as its bounding box; baseline).
    iterations : when the first-fit nest uses more sheets than :func:`lower_bound`, the sheets are
        packed again one at a time, each from this many orders of the parts left (a count, not a
        time: the result is the same on any machine); the better nest is kept. 0 keeps first fit.

    Raises
    ------
    NestingError
        A part that fits no sheet at any allowed angle, or invalid input.
    """
    items = list(items)
    del time_limit_s  # deterministic engine: see docstring
    if engine not in _ENGINES:
        raise NestingError(f"engine {engine!r} unknown, must be one of {', '.join(_ENGINES)}")
    if iterations < 0:
        raise NestingError(f"iterations {iterations} must be >= 0")
    _check_inputs(items, sheet_x, sheet_y, spacing, margin)
    h = resolution if resolution is not None else _auto_resolution(sheet_x, sheet_y, margin, spacing)
    if h <= 0:
        raise NestingError(f"resolution {h} mm must be > 0")
    probe = _Packer(sheet_x, sheet_y, spacing, margin, h)

    # masks per item and angle; collision uses the bbox in the baseline engine
    masks: dict[int, list[_Mask]] = {}
    geoms: dict[int, Polygon] = {}
    for k, it in enumerate(items):
        if it.quantity == 0:
            continue
        geom = it.shape if engine == "raster" else it.shape.envelope
        geoms[k] = geom
        item_angles = tuple(dict.fromkeys(float(a) % 360.0 for a in angles)) if it.allow_rotation else _GRAIN_ANGLES
        ms = [_make_mask(k, geom, a, ai, h, probe.nx, probe.ny, margin) for ai, a in enumerate(item_angles)]
        masks[k] = ms
        _check_fits_empty(it, ms, probe)

    every = [m for ms in masks.values() for m in ms]
    mask_size = (max(m.cells.shape[0] for m in every), max(m.cells.shape[1] for m in every)) if every else (1, 1)

    def new_packer(gravity: float = _GRAVITY_X) -> _Packer:
        return _Packer(sheet_x, sheet_y, spacing, margin, h, mask_size, gravity)


    order = _instance_order(items, seed)
    best = _first_fit(new_packer(), items, order, geoms, masks)
    floor = lower_bound(items, sheet_x, sheet_y, margin=margin, spacing=spacing)
    if best.sheets > floor and iterations > 0:
        rng = np.random.Generator(np.random.PCG64(seed))
        for gravity in _GRAVITIES[1:iterations]:  # first fit by the other placement rules
            if best.sheets <= floor:
                break  # the bound is met: no nest uses fewer sheets
            other = _first_fit(new_packer(gravity), items, order, geoms, masks)
            if other.key < best.key:
                best = other
        if iterations > 1 and best.sheets > floor:  # with one order a sheet, sheet by sheet is first fit again
            filled = _fill_sheet_by_sheet(new_packer, items, order, geoms, masks, iterations, rng)
            if filled.key < best.key:
                best = filled
        best = _empty_last_sheet(new_packer, items, best, geoms, masks, iterations, rng, floor)
        if iterations > 1:
            best = _gather_last_sheet(new_packer, items, best, geoms, masks, spacing)

    placements = sorted(best.placements(), key=lambda p: (p.sheet, p.name, p.instance))
    sheet_area = sheet_x * sheet_y
    util = tuple(round(a / sheet_area, 6) for a in best.part_areas)
    return NestResult(tuple(placements), float(sheet_x), float(sheet_y), best.sheets, util, engine)


def lower_bound(items: list[NestItem] | tuple[NestItem, ...], sheet_x: float, sheet_y: float, *,
                margin: float, spacing: float) -> int:
    """Fewest sheets any nesting could use, counting the spacing: each part grown by half the
    spacing (these cannot overlap) must fit the usable sheet grown by half the spacing.

    The grown areas come from shapely's buffer, whose arc vertices lie on the true offset, so they
    are a little small: the bound stays a bound. Never less than :func:`area_lower_bound`, nor than
    :func:`conflict_lower_bound` (parts that pairwise cannot share a sheet).
    """
    r = 0.5 * spacing
    ux, uy = sheet_x - 2 * margin, sheet_y - 2 * margin
    # a rectangle grown by r: its area, the four side strips and four quarter discs
    room = ux * uy + 2 * r * (ux + uy) + math.pi * r * r
    grown = sum(it.shape.buffer(r, quad_segs=16).area * it.quantity for it in items if it.quantity) if r > 0 else 0.0
    return max(area_lower_bound(items, sheet_x, sheet_y, margin), math.ceil(grown / room - 1e-9),
               conflict_lower_bound(items, sheet_x, sheet_y, margin=margin, spacing=spacing))


def inscribed_radius(shape: Polygon) -> float:
    """Radius [mm] of a disc that lies inside ``shape``: GEOS's largest inscribed circle (to 0.1 % of the
    part's size), its radius measured again as the centre's distance to the boundary, less a micrometre
    of round-off, so the disc is inside whatever the tolerance did."""
    minx, miny, maxx, maxy = shape.bounds
    line = shapely.maximum_inscribed_circle(shape, tolerance=1e-3 * max(maxx - minx, maxy - miny))
    centre = shapely.get_point(line, 0)
    if not shape.contains(centre):
        return 0.0
    return max(0.0, float(shape.boundary.distance(centre)) - 1e-3)


def conflict_lower_bound(items: list[NestItem] | tuple[NestItem, ...], sheet_x: float, sheet_y: float, *,
                         margin: float, spacing: float) -> int:
    """Fewest sheets by parts that pairwise cannot share one: each such part needs a sheet of its own.

    Items that pairwise cannot share a bin give a lower bound on the bins, as the large items (more
    than half the bin each way) do in Martello and Vigo's L2 for two-dimensional bin packing (Martello
    & Vigo, "Exact solution of the two-dimensional finite bin packing problem", Management Science
    44(3), 1998, §3). Rectangle arguments fail for irregular parts turned to any angle, so
    incompatibility is shown with a disc inside each part, which no rotation changes:

    part A holds a disc of radius a (:func:`inscribed_radius`), part B one of radius b. On a sheet whose
    usable area is ux x uy, A's disc centre lies in a box (ux - 2a) x (uy - 2a), B's in one
    (ux - 2b) x (uy - 2b), so the centres are at most sqrt((ux - a - b)² + (uy - a - b)²) apart (the
    farthest corners of the two boxes). Parts ``spacing`` apart hold discs at least a + b + spacing
    apart. When (ux - a - b)² + (uy - a - b)² < (a + b + spacing)², A and B never share a sheet.

    That test depends on a + b only and grows stricter with it, so the largest set of parts that
    pairwise conflict is the k largest discs for the largest k whose two smallest discs conflict.
    """
    ux, uy = sheet_x - 2 * margin, sheet_y - 2 * margin
    radii = sorted((rho for it in items if it.quantity for rho in [inscribed_radius(it.shape)]
                    for _ in range(it.quantity)), reverse=True)

    def conflict(t: float) -> bool:  # t = a + b
        return (ux - t) ** 2 + (uy - t) ** 2 < (t + spacing) ** 2

    k = 1 if radii else 0
    while k < len(radii) and conflict(radii[k - 1] + radii[k]):
        k += 1
    return k


@dataclass(frozen=True)
class _Run:
    """A whole nest as the search sees it: each sheet's (item index, placement) pairs."""

    sheets_parts: tuple[tuple[tuple[int, Placement], ...], ...]
    part_areas: tuple[float, ...]

    @property
    def sheets(self) -> int:
        return len(self.part_areas)

    @property
    def key(self) -> tuple[int, float]:
        """Fewer sheets first, then the emptier last sheet (it is the one the search tries to empty)."""
        return self.sheets, round(self.part_areas[-1], 3)

    def placements(self) -> list[Placement]:
        """Every placement on its sheet, instances numbered per item in sheet order."""
        count: dict[str, int] = {}
        out = []
        for index, sheet in enumerate(self.sheets_parts):
            for _, p in sheet:
                inst = count.get(p.name, 0)
                count[p.name] = inst + 1
                out.append(Placement(p.name, inst, index, p.x, p.y, p.rotation))
        return out


def _first_fit(packer: _Packer, items: list[NestItem], order: list[int], geoms: dict[int, Polygon],
               masks: dict[int, list[_Mask]]) -> _Run:
    """First fit: each instance in ``order`` goes to the first sheet it fits, at its bottom-left-most spot."""
    sheets: list[list[tuple[int, Placement]]] = []
    for k in order:
        it = items[k]
        placed = None
        for sheet in packer.sheets:
            if sheet.part_area + it.shape.area > packer.ux * packer.uy + _TOL:
                continue
            placed = _place_on(packer, sheet, it, geoms[k], 0, masks[k])
            if placed is not None:
                break
        if placed is None:
            placed = _place_on(packer, packer.new_sheet(), it, geoms[k], 0, masks[k])
            if placed is None:
                raise NestingError(f"{it.name}: could not be placed on an empty sheet (internal error)")
            sheets.append([])
        sheets[placed.sheet].append((k, placed))
    return _Run(tuple(tuple(s) for s in sheets), tuple(s.part_area for s in packer.sheets))


def _pack_one(new_packer: Callable[[float], _Packer], items: list[NestItem], pool: list[int], geoms: dict[int, Polygon],
              masks: dict[int, list[_Mask]], tries: int, rng: np.random.Generator
              ) -> tuple[float, list[tuple[int, Placement]], list[int]]:
    """One sheet packed as full as ``tries`` packings of ``pool`` (item indices) fill it: the parts left in
    decreasing area by each placement rule of :data:`_GRAVITIES` first, then orders drawn near it
    (:func:`_near_order`), the rules in turn. Returns the part area, the placed (item, placement) pairs
    and the items left over."""
    best: tuple[float, list[tuple[int, Placement]], list[int]] | None = None
    seen: set[tuple[float, tuple[int, ...]]] = set()
    for t in range(tries):
        gravity = _GRAVITIES[t % len(_GRAVITIES)]
        trial = pool if t < len(_GRAVITIES) else _near_order(pool, items, rng, t)
        if (gravity, tuple(trial)) in seen:  # few kinds of part have few orders: each is packed once
            continue
        seen.add((gravity, tuple(trial)))
        packer = new_packer(gravity)
        sheet = packer.new_sheet()
        placed: list[tuple[int, Placement]] = []
        rest: list[int] = []
        for k in trial:
            p = None
            if sheet.part_area + items[k].shape.area <= packer.ux * packer.uy + _TOL:
                p = _place_on(packer, sheet, items[k], geoms[k], 0, masks[k])
            if p is None:
                rest.append(k)
            else:
                placed.append((k, p))
        if best is None or sheet.part_area > best[0] + _TOL:
            best = (sheet.part_area, placed, rest)
        if not rest or not placed:
            break  # everything is on this sheet, or nothing fits: no other order does better
    assert best is not None
    return best


def _fill_sheet_by_sheet(new_packer: Callable[[float], _Packer], items: list[NestItem], order: list[int],
                         geoms: dict[int, Polygon], masks: dict[int, list[_Mask]], tries: int,
                         rng: np.random.Generator) -> _Run:
    """Fill one sheet at a time as full as ``tries`` orders of the parts left can fill it.

    First fit over all sheets at once leaves each sheet with whatever the earlier ones did not
    take; here each sheet is packed alone and keeps its fullest packing, so the leftovers gather
    on the last sheet. The sequential heuristic for cutting stock (Haessler, "Controlling cutting
    pattern changes in one-dimensional trim problems", Operations Research 23(3), 1975: each
    pattern chosen in turn for the demand left), with patterns from greedy packings.
    """
    left = list(order)
    sheets: list[tuple[tuple[int, Placement], ...]] = []
    areas: list[float] = []
    while left:
        area, placed, left = _pack_one(new_packer, items, left, geoms, masks, tries, rng)
        if not placed:
            raise NestingError(f"{items[left[0]].name}: could not be placed on an empty sheet (internal error)")
        sheets.append(tuple(placed))
        areas.append(area)
    return _Run(tuple(sheets), tuple(areas))


def _empty_last_sheet(new_packer: Callable[[float], _Packer], items: list[NestItem], run: _Run,
                      geoms: dict[int, Polygon], masks: dict[int, list[_Mask]], tries: int,
                      rng: np.random.Generator, floor: int) -> _Run:
    """Move parts off the last sheet: each earlier sheet in turn (the latest first) pools its parts
    with the last sheet's and is packed again as full as it will go; what is left must fit one
    sheet, which becomes the new last. Kept only when the last sheet holds less (or goes)."""
    for a in range(run.sheets - 2, -1, -1):
        if run.sheets <= floor:
            break
        last = run.sheets - 1
        if a >= last:
            continue
        pool = sorted([k for k, _ in run.sheets_parts[a]] + [k for k, _ in run.sheets_parts[last]],
                      key=lambda k: (-round(items[k].shape.area, 6), items[k].name))
        area, placed, rest = _pack_one(new_packer, items, pool, geoms, masks, tries, rng)
        if area <= run.part_areas[a] + _TOL:
            continue
        sheets = list(run.sheets_parts)
        areas = list(run.part_areas)
        sheets[a], areas[a] = tuple(placed), area
        if rest:
            rest_area, rest_placed, rest_left = _pack_one(new_packer, items, rest, geoms, masks, 1, rng)
            if rest_left:
                continue  # the leftovers need more than the one sheet: keep the nest as it was
            sheets[last], areas[last] = tuple(rest_placed), rest_area
        else:
            del sheets[last], areas[last]
        trial = _Run(tuple(sheets), tuple(areas))
        if trial.key < run.key:
            run = trial
    return run


def _clear_strip(parts: list[Polygon], packer: _Packer, allowance: float) -> float:
    """Area [mm²] of the larger full-width strip the parts leave clear, beyond their bounding box by
    ``allowance`` (to their right, or above them): what :mod:`osehw.cam.nesting.remnant` offers back."""
    _, _, maxx, maxy = shapely.union_all(parts).bounds
    sx, sy = packer.sheet_x, packer.sheet_y
    return max(max(0.0, sx - maxx - allowance) * sy, max(0.0, sy - maxy - allowance) * sx)


def _gather_last_sheet(new_packer: Callable[[float], _Packer], items: list[NestItem], run: _Run,
                       geoms: dict[int, Polygon], masks: dict[int, list[_Mask]], spacing: float) -> _Run:
    """The last sheet's parts packed again by each placement rule, keeping the packing that leaves the
    largest clear strip (a rule that fills the earlier sheets best may spread a few parts over the
    last): the same parts, so the same sheets and fill, and a larger remnant to keep."""
    last = run.sheets_parts[-1]
    pool = sorted((k for k, _ in last), key=lambda k: (-round(items[k].shape.area, 6), items[k].name))
    probe = new_packer(_GRAVITY_X)
    best_strip = _clear_strip([place(geoms[k], p) for k, p in last], probe, spacing)
    best = run
    for gravity in _GRAVITIES:
        packer = new_packer(gravity)
        sheet = packer.new_sheet()
        placed = []
        for k in pool:
            p = _place_on(packer, sheet, items[k], geoms[k], 0, masks[k])
            if p is None:
                break
            placed.append((k, p))
        if len(placed) < len(pool):
            continue
        strip = _clear_strip(sheet.parts, packer, spacing)
        if strip > best_strip + _TOL:
            best_strip = strip
            best = _Run(run.sheets_parts[:-1] + (tuple(placed),), run.part_areas)
    return best


def _near_order(left: list[int], items: list[NestItem], rng: np.random.Generator, t: int) -> list[int]:
    """An order of the instances ``left`` near decreasing area, drawn from ``rng``."""
    if t % 3 == 0:  # one kind of part first, the rest as they were
        kinds = sorted(set(left))
        first = kinds[int(rng.integers(len(kinds)))]
        return [k for k in left if k == first] + [k for k in left if k != first]
    noise = 0.25 if t % 3 == 1 else 0.6
    keys = [-items[k].shape.area * math.exp(noise * float(rng.standard_normal())) for k in left]
    return [left[i] for i in sorted(range(len(left)), key=lambda i: (keys[i], i))]


def _check_fits_empty(it: NestItem, ms: list[_Mask], packer: _Packer) -> None:
    """Refuse a part that fits no empty sheet, naming the part and the sizes."""
    for m in ms:
        my, mx = m.cells.shape
        if my <= packer.ny and mx <= packer.nx:
            return
    m0 = ms[0]
    tried = ", ".join(f"{m.angle:g}°" for m in ms)
    fits_exactly = any(m.width <= packer.ux + _TOL and m.height <= packer.uy + _TOL for m in ms)
    hint = (f" (it fits only to within the {packer.h:g} mm grid: pass a finer resolution)"
            if fits_exactly else "")
    raise PartTooLargeError(it.name,
        f"{it.name}: {m0.width:.1f} x {m0.height:.1f} mm part does not fit the usable "
        f"{packer.ux:.1f} x {packer.uy:.1f} mm of a {packer.sheet_x:g} x {packer.sheet_y:g} mm sheet "
        f"with {packer.margin:g} mm edge margin at any allowed rotation ({tried}){hint}")


def _instance_order(items: list[NestItem], seed: int) -> list[int]:
    """Item index of each instance: decreasing area (ties by name); a non-zero seed shuffles items
    of equal area rank."""
    ranked = sorted(range(len(items)), key=lambda k: (-round(items[k].shape.area, 6), items[k].name))
    if seed:
        rng = np.random.Generator(np.random.PCG64(seed))
        # swap neighbours of similar size only, so big parts still go first
        for a in range(len(ranked) - 1):
            if rng.random() < 0.5:
                ranked[a], ranked[a + 1] = ranked[a + 1], ranked[a]
    return [k for k in ranked for _ in range(items[k].quantity)]


def _place_on(packer: _Packer, sheet: _Sheet, it: NestItem, geom: Polygon, inst: int,
              ms: list[_Mask]) -> Placement | None:
    found = packer.best_position(sheet, ms)
    if found is None:
        return None
    m, i, j = found
    h, margin = packer.h, packer.margin
    gx, gy = margin + i * h, margin + j * h
    # geom is the true shape, or its bounding box in the baseline engine
    true_shape = affinity.rotate(geom, m.angle, origin=(0.0, 0.0))
    x, y = gx + m.dx, gy + m.dy
    poly = affinity.translate(true_shape, x, y)
    tx, ty = packer.refine(sheet, poly)
    x, y = round(x + tx, 6), round(y + ty, 6)
    p = Placement(it.name, inst, sheet.index, x, y, m.angle)
    final = place(geom, p)
    if not packer._fits(sheet, final):  # rounding to 1 µm moved it onto a neighbour: step back
        x, y = round(gx + m.dx, 6), round(gy + m.dy, 6)
        p = Placement(it.name, inst, sheet.index, x, y, m.angle)
        final = place(geom, p)
    packer.commit(sheet, final, it.shape.area)
    return p
