"""Benchmark: nesting engines on a realistic set of sheet parts.

Run: ``python benchmarks/bench_nesting.py [--iterations N] [--sets 800x800x1,...] [--angles 0,90,180,270]
[--no-spyrrow] [--no-bbox]``

Prints one row per (sheet, engine): sheets used, area bound ceil(part area /
usable sheet area), the spacing-aware floor (raster.lower_bound), mean and
per-sheet utilisation (part area / sheet area), the last sheet's fill, wall
and CPU time, the count of part pairs closer than the spacing (must be 0), and
the remnant offered when the last sheet is under half used (remnant.py).

Engines: ``first-fit`` (raster, iterations=0), ``raster i=N`` (the search with
a budget of N packings a sheet, placement rules and orders; run twice, the two results compared), ``bbox``
(bounding boxes: the baseline), ``spyrrow`` (sparrow strip packer cut into
sheets, given the raster search's wall time: its budget per strip is that wall
time / the raster's sheet count; time-limited, not reproducible, holes
ignored). ironnest is not measured: every release needs Python >= 3.13 and this
project runs on 3.11.

Measured 2026-11-25 (session 6) on 2 cores shared with another job, load average 1.0-1.8, ``--iterations 8``;
sheets used / area bound / floor (raster.lower_bound: area with the spacing, and parts that pairwise cannot
share a sheet), per-sheet utilisation, wall time; spyrrow given at least the raster search's wall time:
  800x800,   set x1 (66 parts):  first fit 4/3/3, 0.729 0.554 0.592 0.112 (2.1 s);
      search i=8: 3 = the area bound, 0.731 0.657 0.599 (20.9 s wall, 20.9 s CPU), two runs identical;
      spyrrow 7 s a strip (36.7 s): 5 sheets, 0.539 0.532 0.289 0.434 0.194 (at 9 s a strip, loaded machine:
      4 sheets, 0.519 0.556 0.565 0.347 — its count depends on its time and the machine).
  2440x1220, set x1 (66 parts):  1/1/1 by first fit (0.8 s); spyrrow 1 s a strip: 1.
  2440x1220, set x4 (264 parts): first fit 3/2/2, 0.725 0.580 0.403 (2.4 s);
      search i=8: 3, 0.750 0.680 0.280, remnant 2440 x 511 offered (43.8 s), two runs identical;
      spyrrow 15 s a strip (50.1 s): 3, 0.574 0.655 0.480.
  The search at i=4 (loaded machine, 21.5 s and 25.9 s CPU): 4 sheets (last 0.064) and 3 (last 0.293).
What the search does beyond orders: first fit by each placement rule (raster._GRAVITIES) and each sheet
packed by each rule (with orders alone, as measured last session, i=8 left the 800 x 800 set on 4). Rotations in 45° steps (``--angles``) cost
twice the time and gave the same sheets (800 x 800 at i=8: 3, same fills; 264 parts at i=4: last 0.290
against 0.293), so 90° steps stay the default. Two sheets for the 264 parts would need 98.5 % of the
spacing-grown sheet area covered by spacing-grown parts: not reached, and not proven impossible (no part
here is large enough for the conflict bound to count it: every pair could share a sheet by the disc test).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from shapely.geometry import Point, Polygon, box

from osehw.cam.nesting.raster import NestItem, area_lower_bound, lower_bound, nest
from osehw.cam.nesting.remnant import last_sheet_remnant
from osehw.cam.nesting.sparrow import nest_spyrrow, overlaps

SPACING = 6.35 + 1.0  # [mm] 1/4" end mill + 1 mm
MARGIN = 10.0  # [mm] clamps


def _union(polys: list[Polygon]) -> Polygon:
    acc = polys[0]
    for p in polys[1:]:
        acc = acc.union(p)
    return acc


def _circle(x: float, y: float, d: float) -> Polygon:
    return Point(x, y).buffer(d / 2, quad_segs=16)


def panel(w: float, h: float, window: tuple[float, float] | None, glands: int) -> Polygon:
    """Enclosure panel w x h [mm]: 4 corner bolt holes Ø6.5, optional centred window, M20 glands (Ø20.3)."""
    holes = [_circle(x, y, 6.5) for x in (12, w - 12) for y in (12, h - 12)]
    if window:
        ww, wh = window
        holes.append(box((w - ww) / 2, (h - wh) / 2, (w + ww) / 2, (h + wh) / 2))
    for k in range(glands):
        holes.append(_circle(w * (k + 1) / (glands + 1), 30, 20.3))
    return box(0, 0, w, h).difference(_union(holes))


def gusset(leg: float, width: float) -> Polygon:
    """L-shaped gusset, legs ``leg`` long and ``width`` wide, three Ø8.5 holes."""
    outer = Polygon([(0, 0), (leg, 0), (leg, width), (width, width), (width, leg), (0, leg)])
    holes = [_circle(leg - 20, width / 2, 8.5), _circle(width / 2, leg - 20, 8.5), _circle(width / 2, width / 2, 8.5)]
    return outer.difference(_union(holes))


def rib(aperture: float, focal: float, depth: float) -> Polygon:
    """Trough rib: top edge the parabola y = x²/(4f) (DESIGN.md §4.4), flat base ``depth`` below the vertex."""
    xs = np.linspace(-aperture / 2, aperture / 2, 61)
    top = [(float(x), float(x * x / (4 * focal))) for x in xs]
    outline = Polygon([(-aperture / 2, -depth), (aperture / 2, -depth), *reversed(top)])
    lighten = [_circle(x, -depth / 2 + 5, 25) for x in (-aperture / 4, aperture / 4)]
    return outline.difference(_union(lighten))


def disc(d: float, hole: float) -> Polygon:
    return _circle(0, 0, d).difference(_circle(0, 0, hole))


def parts(scale: int = 1) -> list[NestItem]:
    """The benchmark set; ``scale`` multiplies every quantity (e.g. 4 node builds)."""
    base = [
        NestItem("front", panel(300, 250, (140, 90), 2), 1),
        NestItem("back", panel(300, 250, None, 0), 1),
        NestItem("left", panel(250, 220, None, 1), 1),
        NestItem("right", panel(250, 220, None, 1), 1),
        NestItem("top", panel(300, 220, (160, 120), 0), 1),
        NestItem("bottom", panel(300, 220, None, 3), 1),
        NestItem("gusset", gusset(150, 40), 20),
        NestItem("rib", rib(700, 250, 60), 8),
        NestItem("bracket", box(0, 0, 60, 40).difference(_circle(30, 20, 8.5)), 16, allow_rotation=True),
        NestItem("washer", disc(50, 20), 12),
        NestItem("grain_strip", box(0, 0, 400, 60), 4, allow_rotation=False),
    ]
    return [NestItem(it.name, it.shape, it.quantity * scale, it.allow_rotation) for it in base]


def _row(sheet: tuple[float, float], engine: str, runner, items: list[NestItem], bound: int,
         floor: int) -> tuple[str, float, object]:
    t0, c0 = time.perf_counter(), time.process_time()
    r = runner()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    bad = overlaps(r, items, SPACING)
    util = " ".join(f"{u:.3f}" for u in r.utilisation)
    shapes = {it.name: it.shape for it in items}
    rem = last_sheet_remnant(r, shapes, SPACING)
    offer = f"  remnant {rem.size[0]:.0f}x{rem.size[1]:.0f}" if rem else ""
    mean = sum(r.utilisation) / len(r.utilisation)
    row = (f"{sheet[0]:.0f}x{sheet[1]:.0f}  {engine:<12} {r.sheets_used:>6} {bound:>5} {floor:>5} "
           f"{mean:>9.3f} {r.utilisation[-1]:>9.3f} {wall:>8.1f} {cpu:>7.1f}  {bad:>5}  [{util}]{offer}")
    return row, wall, r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=16, help="search budget of the raster engine")
    ap.add_argument("--no-spyrrow", action="store_true")
    ap.add_argument("--no-bbox", action="store_true")
    ap.add_argument("--sets", default="2440x1220x1,2440x1220x4,800x800x1")
    ap.add_argument("--angles", default="0,90,180,270", help="rotations [deg] of parts without grain")
    args = ap.parse_args()
    angles = tuple(float(a) for a in args.angles.split(","))
    print(f"spacing {SPACING} mm, margin {MARGIN} mm; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("bound: ceil(part area / usable area); floor: the same with every part and the usable area grown "
          "by half the spacing (raster.lower_bound)")
    print("sheet      engine       sheets bound floor mean_util last_fill   wall_s   cpu_s  close  "
          "[per-sheet utilisation]")
    for spec in args.sets.split(","):
        sx, sy, scale = (float(v) for v in spec.split("x"))
        scale = int(scale)
        items = parts(scale)
        total = sum(it.shape.area * it.quantity for it in items)
        n = sum(it.quantity for it in items)
        print(f"-- {n} parts of {len(items)} kinds (set x{scale}), part area {total / 1e6:.4f} m²")
        bound = area_lower_bound(items, sx, sy, MARGIN)
        floor = lower_bound(items, sx, sy, margin=MARGIN, spacing=SPACING)
        first, _, _ = _row((sx, sy), "first-fit", lambda: nest(items, sx, sy, spacing=SPACING, margin=MARGIN,
                                                                iterations=0), items, bound, floor)
        print(first, flush=True)
        row, wall, r = _row((sx, sy), f"raster i={args.iterations}",
                            lambda: nest(items, sx, sy, spacing=SPACING, margin=MARGIN, iterations=args.iterations,
                                         angles=angles), items, bound, floor)
        print(row, flush=True)
        again = nest(items, sx, sy, spacing=SPACING, margin=MARGIN, iterations=args.iterations, angles=angles)
        print(f"   second run identical: {again == r}; load average {os.getloadavg()[0]:.1f}", flush=True)
        if not args.no_bbox:
            print(_row((sx, sy), "bbox", lambda: nest(items, sx, sy, spacing=SPACING, margin=MARGIN, engine="bbox",
                                                      iterations=0), items, bound, floor)[0], flush=True)
        if not args.no_spyrrow:
            # the same wall time as the raster search: spyrrow's budget is per strip, one strip a sheet
            per_strip = max(1.0, wall / r.sheets_used)
            print(_row((sx, sy), f"spyrrow {per_strip:.0f}s", lambda: nest_spyrrow(
                items, sx, sy, spacing=SPACING, margin=MARGIN, time_limit_s=per_strip, seed=0), items, bound,
                floor)[0], flush=True)


if __name__ == "__main__":
    main()
