"""Nesting with the sparrow strip packer (spyrrow), kept for comparison only.

sparrow packs a strip of fixed height and minimises its length within a wall-clock
budget, so two runs with the same seed can differ when the machine is faster or
busier: its output is *not* reproducible, which is why :func:`osehw.cam.nesting.raster.nest`
does not use it by default. It also ignores holes (spyrrow 0.9 takes the outer
boundary only), so no part can go inside another's hole.

Fixed-size sheets from a strip, greedily: pack everything left in a strip as high
as the usable sheet; keep the parts lying wholly within the usable sheet length
as sheet N; repeat with the rest. The last strip is a whole sheet when it fits.
"""

from __future__ import annotations

import math

import shapely
import spyrrow
from shapely.geometry import Polygon

from osehw.cam.nesting.raster import (
    NestingError,
    NestItem,
    NestResult,
    Placement,
    place,
)

_TOL = 1e-6


def nest_spyrrow(
    items: list[NestItem] | tuple[NestItem, ...],
    sheet_x: float,
    sheet_y: float,
    *,
    spacing: float,
    margin: float,
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
) -> NestResult:
    """Nest with spyrrow on fixed sheets (greedy strip cutting); see the module note.

    ``time_limit_s`` [s] is the budget of *each* strip solve (rounded up to whole
    seconds as spyrrow asks); ``workers`` threads for its collision engine.
    """
    ux, uy = sheet_x - 2 * margin, sheet_y - 2 * margin
    remaining = {it.name: list(range(it.quantity)) for it in items}
    by_name = {it.name: it for it in items}
    placements: list[Placement] = []
    util: list[float] = []
    sheet = 0
    budget = max(1, math.ceil(time_limit_s))
    while any(remaining.values()):
        sp_items = []
        for it in items:
            if not remaining[it.name]:
                continue
            coords = list(it.shape.exterior.coords)[:-1]
            angles = None if it.allow_rotation else [0.0]
            sp_items.append(spyrrow.Item(it.name, coords, demand=len(remaining[it.name]),
                                         allowed_orientations=angles))
        inst = spyrrow.StripPackingInstance(f"sheet{sheet}", strip_height=uy, items=sp_items)
        cfg = spyrrow.StripPackingConfig(early_termination=True, total_computation_time=budget,
                                         min_items_separation=spacing if spacing > 0 else None,
                                         num_workers=workers, seed=seed)
        sol = inst.solve(cfg)
        chosen: list[tuple[str, float, float, float]] = []
        for pi in sorted(sol.placed_items, key=lambda q: (q.id, q.translation, q.rotation)):
            it = by_name[pi.id]
            tx, ty = pi.translation
            trial = place(it.shape, Placement(it.name, 0, 0, tx, ty, pi.rotation))
            if trial.bounds[2] <= ux + _TOL:
                chosen.append((pi.id, tx, ty, pi.rotation))
        if not chosen:
            names = ", ".join(n for n, v in remaining.items() if v)
            raise NestingError(f"spyrrow placed nothing within a {ux:.1f} mm sheet length: {names}")
        area = 0.0
        for name, tx, ty, rot in chosen:
            inst_no = remaining[name].pop(0)
            placements.append(Placement(name, inst_no, sheet, round(tx + margin, 6), round(ty + margin, 6), rot))
            area += by_name[name].shape.area
        util.append(round(area / (sheet_x * sheet_y), 6))
        sheet += 1
    placements.sort(key=lambda p: (p.sheet, p.name, p.instance))
    return NestResult(tuple(placements), float(sheet_x), float(sheet_y), sheet, tuple(util), "spyrrow")


def overlaps(result: NestResult, items: list[NestItem] | tuple[NestItem, ...], spacing: float) -> int:
    """Count pairs of placed parts on one sheet closer than ``spacing`` [mm] (a check for any engine)."""
    shapes = {it.name: it.shape for it in items}
    bad = 0
    for s in range(result.sheets_used):
        polys: list[Polygon] = [place(shapes[p.name], p) for p in result.placements if p.sheet == s]
        tree = shapely.STRtree(polys)
        a, b = tree.query(polys, predicate="dwithin", distance=spacing - 1e-3)
        bad += int(((a < b)).sum())
    return bad
