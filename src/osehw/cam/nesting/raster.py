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

No clocks, no randomness except an optional seeded re-ordering: the same input
gives the same placements on any machine. ``engine="bbox"`` runs the same
algorithm on bounding rectangles (the baseline true-shape is measured against,
see ``benchmarks/bench_nesting.py``); the sparrow strip packer (spyrrow), which
is time-limited and therefore not reproducible, lives in
:mod:`osehw.cam.nesting.sparrow` for comparison only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.signal import fftconvolve
from shapely import affinity
from shapely.geometry import Polygon

from osehw.core.errors import OsehwError

DEFAULT_ANGLES: tuple[float, ...] = (0.0, 90.0, 180.0, 270.0)
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
    may be nested in them). ``allow_rotation=False`` keeps it at 0° (material
    with grain); True allows every angle passed to :func:`nest`.
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
    # (item, angle_index) -> bool map of grid positions that collide
    collide: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)


def _cell_boxes(x0: float, y0: float, h: float, nx: int, ny: int) -> np.ndarray:
    """Cell squares as shapely boxes, shrunk by a hair so touching edges do not count."""
    xs = x0 + h * np.arange(nx)
    ys = y0 + h * np.arange(ny)
    gx, gy = np.meshgrid(xs, ys)
    eps = 1e-7 * h
    return shapely.box(gx + eps, gy + eps, gx + h - eps, gy + h - eps)


def _rasterise(geom: shapely.Geometry, boxes: np.ndarray) -> np.ndarray:
    """Bool grid of the cells in ``boxes`` (from :func:`_cell_boxes`) whose interior meets ``geom``."""
    shapely.prepare(geom)
    return shapely.intersects(geom, boxes)


def _make_mask(item_index: int, shape: Polygon, angle: float, angle_index: int, h: float,
               boxes: np.ndarray, origin: float) -> _Mask:
    rotated = affinity.rotate(shape, angle, origin=(0.0, 0.0))
    minx, miny, maxx, maxy = rotated.bounds
    norm = affinity.translate(rotated, -minx, -miny)
    w, ht = maxx - minx, maxy - miny
    mx, my = max(1, math.ceil(w / h - 1e-9)), max(1, math.ceil(ht / h - 1e-9))
    if my <= boxes.shape[0] and mx <= boxes.shape[1]:
        # the sheet's cell boxes start at (origin, origin): move the part there
        cells = _rasterise(affinity.translate(norm, origin, origin), boxes[:my, :mx])
    else:  # larger than the sheet: only its size matters (refused by the caller)
        cells = np.ones((my, mx), dtype=bool)
    return _Mask(item_index, angle, angle_index, norm, -minx, -miny, w, ht, cells)


def _correlate(blocked: np.ndarray, cells: np.ndarray, mode: str) -> np.ndarray:
    """Collision map: True where the mask, put at that grid position, meets a blocked cell."""
    counts = fftconvolve(blocked.astype(np.float64), cells[::-1, ::-1].astype(np.float64), mode=mode)
    # counts are integers up to FFT round-off (~1e-9 here): 0.5 separates them safely
    return counts > 0.5


class _Packer:
    def __init__(self, sheet_x: float, sheet_y: float, spacing: float, margin: float, h: float) -> None:
        self.sheet_x, self.sheet_y = sheet_x, sheet_y
        self.spacing, self.margin, self.h = spacing, margin, h
        self.ux, self.uy = sheet_x - 2 * margin, sheet_y - 2 * margin
        self.nx = int(math.floor(self.ux / h + 1e-9))
        self.ny = int(math.floor(self.uy / h + 1e-9))
        # grow neighbours by enough that the polygonal buffer still contains the
        # true offset (see _QUAD_SEGS); at zero spacing parts may touch
        self.grow = spacing / math.cos(math.pi / (4 * _QUAD_SEGS))
        self.sheets: list[_Sheet] = []
        self.boxes = _cell_boxes(margin, margin, h, self.nx, self.ny)

    def new_sheet(self) -> _Sheet:
        s = _Sheet(len(self.sheets), np.zeros((self.ny, self.nx), dtype=bool))
        self.sheets.append(s)
        return s

    # -- search ------------------------------------------------------------
    def _collide_map(self, sheet: _Sheet, m: _Mask) -> np.ndarray | None:
        my, mx = m.cells.shape
        if my > self.ny or mx > self.nx:
            return None
        key = (m.item, m.angle_index)
        cmap = sheet.collide.get(key)
        if cmap is None:
            cmap = _correlate(sheet.blocked, m.cells, "valid")
            sheet.collide[key] = cmap
        return cmap

    def best_position(self, sheet: _Sheet, masks: list[_Mask]) -> tuple[_Mask, int, int] | None:
        """Bottom-left rule: least top + right/3, then right edge, top edge, angle order."""
        best: tuple[tuple[float, float, float, int], _Mask, int, int] | None = None
        for m in masks:
            cmap = self._collide_map(sheet, m)
            if cmap is None:
                continue
            jj, ii = np.nonzero(~cmap)
            if ii.size == 0:
                continue
            right = ii * self.h + m.width
            top = jj * self.h + m.height
            score = np.round(_GRAVITY_X * right + top, 6)
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
    def commit(self, sheet: _Sheet, poly: Polygon, area: float, masks_by_key: dict[tuple[int, int], _Mask]) -> None:
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
        window = _rasterise(grown, self.boxes[j0:j1, i0:i1])
        window &= ~sheet.blocked[j0:j1, i0:i1]  # only newly blocked cells change the maps
        if not window.any():
            return
        sheet.blocked[j0:j1, i0:i1] |= window
        # update every cached collision map where the mask window overlaps the change
        for key, cmap in sheet.collide.items():
            cells = masks_by_key[key].cells
            my, mx = cells.shape
            delta = _correlate(window, cells, "full")  # rows start at j0 - my + 1
            r0, c0 = j0 - my + 1, i0 - mx + 1
            rs, cs = max(0, r0), max(0, c0)
            re = min(cmap.shape[0], r0 + delta.shape[0])
            ce = min(cmap.shape[1], c0 + delta.shape[1])
            if re > rs and ce > cs:
                cmap[rs:re, cs:ce] |= delta[rs - r0:re - r0, cs - c0:ce - c0]


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
    angles : rotations [deg] tried for items with ``allow_rotation``; others use 0°.
    resolution : grid cell [mm]; default from sheet size (about 0.4 M cells).
    engine : "raster" (true shape, default) or "bbox" (each part as its bounding box; baseline).

    Raises
    ------
    NestingError
        A part that fits no sheet at any allowed angle, or invalid input.
    """
    items = list(items)
    del time_limit_s  # deterministic engine: see docstring
    if engine not in _ENGINES:
        raise NestingError(f"engine {engine!r} unknown, must be one of {', '.join(_ENGINES)}")
    _check_inputs(items, sheet_x, sheet_y, spacing, margin)
    h = resolution if resolution is not None else _auto_resolution(sheet_x, sheet_y, margin, spacing)
    if h <= 0:
        raise NestingError(f"resolution {h} mm must be > 0")
    packer = _Packer(sheet_x, sheet_y, spacing, margin, h)

    # masks per item and angle; collision uses the bbox in the baseline engine
    masks: dict[int, list[_Mask]] = {}
    masks_by_key: dict[tuple[int, int], _Mask] = {}
    geoms: dict[int, Polygon] = {}
    for k, it in enumerate(items):
        if it.quantity == 0:
            continue
        geom = it.shape if engine == "raster" else it.shape.envelope
        geoms[k] = geom
        item_angles = tuple(dict.fromkeys(float(a) % 360.0 for a in angles)) if it.allow_rotation else (0.0,)
        ms = [_make_mask(k, geom, a, ai, h, packer.boxes, margin) for ai, a in enumerate(item_angles)]
        masks[k] = ms
        for m in ms:
            masks_by_key[(k, m.angle_index)] = m
        _check_fits_empty(it, ms, packer)

    order = _instance_order(items, seed)
    placements: list[Placement] = []
    for k, inst in order:
        it = items[k]
        placed = False
        for sheet in packer.sheets:
            if sheet.part_area + it.shape.area > packer.ux * packer.uy + _TOL:
                continue
            if _place_on(packer, sheet, it, geoms[k], k, inst, masks[k], masks_by_key, placements):
                placed = True
                break
        if not placed:
            sheet = packer.new_sheet()
            if not _place_on(packer, sheet, it, geoms[k], k, inst, masks[k], masks_by_key, placements):
                raise NestingError(f"{it.name}: could not be placed on an empty sheet (internal error)")

    placements.sort(key=lambda p: (p.sheet, p.name, p.instance))
    sheet_area = sheet_x * sheet_y
    util = tuple(round(s.part_area / sheet_area, 6) for s in packer.sheets)
    return NestResult(tuple(placements), float(sheet_x), float(sheet_y), len(packer.sheets), util, engine)


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


def _instance_order(items: list[NestItem], seed: int) -> list[tuple[int, int]]:
    """Decreasing area (ties by name); a non-zero seed shuffles items of equal area rank."""
    ranked = sorted(range(len(items)), key=lambda k: (-round(items[k].shape.area, 6), items[k].name))
    if seed:
        rng = np.random.Generator(np.random.PCG64(seed))
        # swap neighbours of similar size only, so big parts still go first
        for a in range(len(ranked) - 1):
            if rng.random() < 0.5:
                ranked[a], ranked[a + 1] = ranked[a + 1], ranked[a]
    return [(k, inst) for k in ranked for inst in range(items[k].quantity)]


def _place_on(packer: _Packer, sheet: _Sheet, it: NestItem, geom: Polygon, k: int, inst: int, ms: list[_Mask],
              masks_by_key: dict[tuple[int, int], _Mask], placements: list[Placement]) -> bool:
    found = packer.best_position(sheet, ms)
    if found is None:
        return False
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
    packer.commit(sheet, final, it.shape.area, masks_by_key)
    placements.append(p)
    return True
