"""The parts a program must cut out, read from a DXF drawing (``osehw verify --part PART.dxf``).

The verifier's cut-through and no-gouge proof (:func:`osehw.cam.verify.sweep.check_parts`)
needs each part's final footprint. A standalone program carries no such
thing, so the user names the drawing it was made from; this module turns
that drawing into shapely Polygons in the program's XY frame [mm]. It knows
nothing of osehw's generator: only the DXF.

What counts as a part outline:

- when the drawing has a layer ``PART_OUTLINES`` (osehw's own sheet DXFs,
  see :mod:`osehw.cam.drawings.sheet_dxf`, carry the true part shapes there, in sheet
  coordinates, beside the toolpath layers), only that layer;
- otherwise every closed outline: closed LWPOLYLINE / POLYLINE, CIRCLE, full
  ELLIPSE, closed SPLINE, and closed chains of LINE / ARC / open polylines
  (joined with :func:`shapely.polygonize`). Blocks (INSERT) are exploded.

Rings nest even-odd: a ring inside a part's exterior is a hole of that part,
a ring inside a hole is a new part. Open strays are ignored and named in a
warning; a drawing with no closed outline is an error.

Units follow the header variable ``$INSUNITS`` (DXF reference, HEADER
section: 0 unitless, 1 inches, 4 millimetres, …): 1 → × 25.4 (the inch is
25.4 mm exactly, by the 1959 international yard and pound agreement), 0 or
unset → millimetres, others by ezdxf's unit conversion factor. Curves are
flattened with chords within :data:`CHORD_TOLERANCE` of the true curve.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import ezdxf
import shapely
from ezdxf import units
from ezdxf.entities import DXFGraphic
from ezdxf.math import Vec3, bulge_center, bulge_radius

from osehw.cam.verify.program import PartRegion, VerifyError
from osehw.cam.verify.sweep import CHORD_TOLERANCE, chord_step

OUTLINE_LAYER = "PART_OUTLINES"  # osehw's sheet DXFs: the true part shapes
NAME_LAYER = "PART_NAMES"  # osehw's sheet DXFs: a TEXT with each part's name inside it
# Exact factors [mm per drawing unit] for the common codes; ezdxf's own table
# gives 25.400000000101603 for inches. 0 (unitless) is read as millimetres.
EXACT_MM_PER_UNIT = {0: 1.0, 1: 25.4, 2: 304.8, 4: 1.0, 5: 10.0, 6: 1000.0}
# Endpoints of LINE/ARC chains are snapped to this grid [mm] before they are
# joined: CAD programs leave gaps of ~1e-9 mm between "touching" entities;
# 0.1 µm is far below the 0.001 mm that programs are written with.
SNAP_GRID = 1e-4
MAX_BLOCK_DEPTH = 8  # nested INSERTs followed this deep (guards a block that inserts itself)
MAX_NAMED = 3  # stray entities named in a warning


class PartOutlineError(VerifyError):
    """The drawing gives no usable part outline (names the file and why)."""


@dataclass(frozen=True)
class PartOutlines:
    """Parts read from a drawing: (name, region) in the program frame [mm], and warnings.

    ``layer`` is :data:`OUTLINE_LAYER` when only that layer was read, else None.
    ``mm_per_unit`` is the drawing's unit [mm]. ``open_strays`` counts open
    entities that belong to no closed outline (named in ``warnings``).
    """

    parts: tuple[tuple[str, shapely.Polygon], ...]
    warnings: tuple[str, ...]
    layer: str | None
    mm_per_unit: float
    open_strays: int = 0


def declared_units(doc: ezdxf.document.Drawing, path: Path) -> int:
    """The ``$INSUNITS`` code the file itself declares, 0 (unitless) when it declares none.

    ezdxf fills a missing HEADER with its own defaults ($INSUNITS = 6, metres),
    so only a unit written in the file counts; an undeclared one is read as
    mm, as CAD exporters without a header (OpenSCAD, old R12 writers) mean.
    """
    declared = b"$INSUNITS" in Path(path).read_bytes()
    return int(doc.header.get("$INSUNITS", 0) or 0) if declared else 0


def mm_per_unit(code: int, path: Path | str = "drawing") -> float:
    """Millimetres per drawing unit for a ``$INSUNITS`` code."""
    if code in EXACT_MM_PER_UNIT:
        return EXACT_MM_PER_UNIT[code]
    try:
        return float(units.conversion_factor(code, units.InsertUnits.Millimeters))
    except (TypeError, ValueError):
        raise PartOutlineError(f"{path}: $INSUNITS = {code} is not a length unit ezdxf knows") from None


def flat_entities(entities: Iterator[DXFGraphic], depth: int = 0) -> Iterator[DXFGraphic]:
    """Entities with every block reference replaced by its (transformed) contents."""
    for e in entities:
        if e.dxftype() == "INSERT":
            if depth < MAX_BLOCK_DEPTH:
                yield from flat_entities(e.virtual_entities(), depth + 1)
        else:
            yield e


def _bulge_points(vertices: Sequence[tuple[float, float, float]], closed: bool,
                  tol: float) -> list[tuple[float, float]]:
    """Points along a polyline whose segments carry bulges (x, y, bulge), arcs within ``tol``.

    Bulge b = tan(θ/4), θ the arc's signed sweep, positive counter-clockwise
    (DXF reference, LWPOLYLINE group code 42).
    """
    pts: list[tuple[float, float]] = []
    n = len(vertices)
    for k in range(n if closed else n - 1):
        (x0, y0, b), (x1, y1, _) = vertices[k], vertices[(k + 1) % n]
        pts.append((x0, y0))
        if abs(b) < 1e-12 or math.hypot(x1 - x0, y1 - y0) < 1e-12:
            continue
        centre = bulge_center((x0, y0), (x1, y1), b)
        radius = bulge_radius((x0, y0), (x1, y1), b)
        sweep = 4.0 * math.atan(b)
        a0 = math.atan2(y0 - centre.y, x0 - centre.x)
        steps = max(1, math.ceil(abs(sweep) / chord_step(radius, tol)))
        pts += [(centre.x + radius * math.cos(a0 + sweep * i / steps),
                 centre.y + radius * math.sin(a0 + sweep * i / steps)) for i in range(1, steps)]
    if not closed:
        pts.append(vertices[-1][:2])
    return pts


def _same(p: Sequence[float], q: Sequence[float], tol: float) -> bool:
    return math.hypot(p[0] - q[0], p[1] - q[1]) <= tol


def entity_points(e: DXFGraphic, tol: float) -> tuple[list[tuple[float, float]], bool] | None:
    """XY points (WCS, drawing units) of a curve entity and whether it is closed; None if not a curve.

    ``tol`` [drawing units] is the largest distance of a chord from the curve.
    """
    kind = e.dxftype()
    if kind == "LINE":
        return [tuple(e.dxf.start)[:2], tuple(e.dxf.end)[:2]], False
    if kind in ("ARC", "CIRCLE"):
        pts = [tuple(v)[:2] for v in e.flattening(tol)]
        return pts, kind == "CIRCLE"
    if kind == "ELLIPSE":
        full = math.isclose((e.dxf.end_param - e.dxf.start_param) % math.tau, 0.0, abs_tol=1e-9)
        return [tuple(v)[:2] for v in e.flattening(tol)], full
    if kind == "SPLINE":
        pts = [tuple(v)[:2] for v in e.flattening(tol)]
        return pts, bool(e.closed) or (len(pts) > 2 and _same(pts[0], pts[-1], tol))
    if kind == "LWPOLYLINE":
        ocs, elevation = e.ocs(), e.dxf.elevation
        local = [(x, y, b) for x, y, b in e.get_points("xyb")]
        closed = bool(e.closed)
    elif kind == "POLYLINE" and e.is_2d_polyline:
        ocs, elevation = e.ocs(), e.dxf.elevation.z
        local = [(v.dxf.location.x, v.dxf.location.y, v.dxf.get("bulge", 0.0)) for v in e.vertices]
        closed = bool(e.is_closed)
    elif kind == "POLYLINE" and e.is_3d_polyline:
        pts = [(v.dxf.location.x, v.dxf.location.y) for v in e.vertices]
        return pts, bool(e.is_closed)
    else:
        return None  # TEXT, HATCH, POINT, DIMENSION…: not an outline
    if len(local) < 2:
        return None
    if not closed and _same(local[0], local[-1], tol) and len(local) > 2:
        local, closed = local[:-1], True  # drawn closed by repeating the first vertex
    pts = _bulge_points(local, closed, tol)
    wcs = [tuple(v)[:2] for v in ocs.points_to_wcs(Vec3(x, y, elevation) for x, y in pts)]
    return wcs, closed


def _describe(e: DXFGraphic, pts: Sequence[tuple[float, float]]) -> str:
    (x0, y0), (x1, y1) = pts[0], pts[-1]
    return f"{e.dxftype()} on layer '{e.dxf.layer}' from ({x0:.3f}, {y0:.3f}) to ({x1:.3f}, {y1:.3f})"


def _rings(path: Path, entities: Sequence[DXFGraphic], scale: float, origin: tuple[float, float]
           ) -> tuple[list[shapely.LinearRing], list[str], int]:
    """Closed rings [mm, program frame] of the entities, warnings about strays, and their count."""
    tol = CHORD_TOLERANCE / scale
    ox, oy = origin
    rings: list[shapely.LinearRing] = []
    opens: list[tuple[DXFGraphic, shapely.LineString]] = []
    for e in entities:
        got = entity_points(e, tol)
        if got is None:
            continue
        pts, closed = got
        mm = [(x * scale + ox, y * scale + oy) for x, y in pts]
        if closed:
            ring = shapely.LinearRing(mm) if len(mm) >= 3 else None
            if ring is None or shapely.Polygon(ring).area <= 0.0:
                continue
            if not ring.is_simple:
                raise PartOutlineError(f"{path}: the closed {_describe(e, mm)} crosses itself; "
                                       f"an outline must be a simple ring")
            rings.append(ring)
        elif len(mm) >= 2:
            opens.append((e, shapely.LineString(mm)))
    warnings: list[str] = []
    strays: list[tuple[DXFGraphic, shapely.LineString]] = []
    if opens:
        lines = shapely.set_precision(shapely.MultiLineString([ls for _, ls in opens]), SNAP_GRID)
        faces, _cuts, _dangles, _invalid = shapely.polygonize_full([shapely.unary_union(lines)])
        chained = [p.exterior for p in shapely.get_parts(faces) if p.area > 0.0]
        rings += chained
        edges = shapely.union_all(chained).buffer(10 * SNAP_GRID) if chained else None
        strays = [(e, ls) for e, ls in opens
                  if edges is None or ls.difference(edges).length > 10 * SNAP_GRID]
        if strays:
            named = "; ".join(_describe(e, [c[:2] for c in ls.coords]) for e, ls in strays[:MAX_NAMED])
            more = f" (+{len(strays) - MAX_NAMED} more)" if len(strays) > MAX_NAMED else ""
            one = len(strays) == 1
            warnings.append(f"{path}: {len(strays)} open entit{'y' if one else 'ies'} "
                            f"{'runs' if one else 'run'} off every closed outline; ignored there "
                            f"(program frame, mm): {named}{more}")
    return rings, warnings, len(strays)


def _nest(path: Path, rings: Sequence[shapely.LinearRing]) -> tuple[list[shapely.Polygon], list[str]]:
    """Parts from rings by even-odd nesting: depth 0, 2, 4… exteriors, 1, 3… their holes."""
    discs = [shapely.Polygon(r) for r in rings]
    tree = shapely.STRtree(discs)
    keep, warnings = [], []
    for i, d in enumerate(discs):
        same = [j for j in tree.query(d, predicate="covered_by") if j != i and d.covers(discs[j])]
        if any(j < i for j in same):
            continue  # drawn twice: a duplicate would flip the even-odd count
        keep.append(i)
    if len(keep) < len(discs):
        warnings.append(f"{path}: {len(discs) - len(keep)} outline(s) drawn twice, read once")
    discs = [discs[i] for i in keep]
    tree = shapely.STRtree(discs)
    for i, d in enumerate(discs):
        crossing = tree.query(d, predicate="overlaps")
        if len(crossing):
            c = d.boundary.intersection(discs[int(crossing[0])].boundary).representative_point()
            raise PartOutlineError(f"{path}: two outlines cross near ({c.x:.3f}, {c.y:.3f}); "
                                   f"outlines must nest or lie apart")
    parents: list[int | None] = []
    depth: list[int] = []
    for i, d in enumerate(discs):
        around = [int(j) for j in tree.query(d, predicate="within") if j != i]
        depth.append(len(around))
        parents.append(min(around, key=lambda j: discs[j].area) if around else None)
    holes: dict[int, list[shapely.LinearRing]] = {}
    for i, p in enumerate(parents):
        if depth[i] % 2 == 1 and p is not None:
            holes.setdefault(p, []).append(discs[i].exterior)
    parts = []
    for i, d in enumerate(discs):
        if depth[i] % 2 == 0:
            part = shapely.Polygon(d.exterior, holes.get(i, []))
            if not part.is_valid:
                raise PartOutlineError(f"{path}: outline {i + 1} with its holes is not a valid region "
                                       f"({shapely.is_valid_reason(part)})")
            parts.append(part)
    parts.sort(key=lambda p: (round(p.bounds[0], 6), round(p.bounds[1], 6), -p.area))
    return parts, warnings


def _names(doc: ezdxf.document.Drawing, parts: Sequence[shapely.Polygon], scale: float,
           origin: tuple[float, float]) -> list[str]:
    """Each part's name from a TEXT on :data:`NAME_LAYER` inside it, else "part k"."""
    names = [f"part {k}" for k in range(1, len(parts) + 1)]
    texts = doc.modelspace().query(f'TEXT MTEXT[layer=="{NAME_LAYER}"]i')
    for t in texts:
        at = t.dxf.insert if t.dxftype() == "MTEXT" else t.get_placement()[1]
        point = shapely.Point(at[0] * scale + origin[0], at[1] * scale + origin[1])
        text = t.text if t.dxftype() == "MTEXT" else t.dxf.text
        for k, part in enumerate(parts):
            if names[k].startswith("part ") and part.covers(point):
                names[k] = text.strip() or names[k]
                break
    return names


def read_part_outlines(path: Path | str, origin: tuple[float, float] = (0.0, 0.0)) -> PartOutlines:
    """The parts drawn in the DXF ``path``, shifted by ``origin`` [mm] into the program frame.

    Parameters
    ----------
    path : the DXF file
    origin : where the drawing's (0, 0) lies in the program's XY frame [mm]

    Returns
    -------
    PartOutlines

    Raises
    ------
    PartOutlineError : the file is not a readable DXF, its unit is not a length,
        an outline crosses itself or another, or there is no closed outline
    """
    path = Path(path)
    try:
        doc = ezdxf.readfile(path)
    except (OSError, ezdxf.DXFError, UnicodeDecodeError) as exc:
        raise PartOutlineError(f"{path}: not a readable DXF file ({exc})") from None
    scale = mm_per_unit(declared_units(doc, path), path)
    entities = list(flat_entities(iter(doc.modelspace())))
    layered = [e for e in entities if e.dxf.layer.upper() == OUTLINE_LAYER]
    layer = OUTLINE_LAYER if layered else None
    rings, warnings, strays = _rings(path, layered or entities, scale, origin)
    if not rings:
        where = f"on layer {OUTLINE_LAYER}" if layer else "in the drawing"
        raise PartOutlineError(f"{path}: no closed outline {where} (need closed polylines, circles "
                               f"or closed chains of lines and arcs)")
    parts, more = _nest(path, rings)
    names = _names(doc, parts, scale, origin)
    return PartOutlines(tuple(zip(names, parts)), tuple(warnings + more), layer, scale, strays)


def part_regions(outlines: PartOutlines, thickness: float) -> list[PartRegion]:
    """The verifier's :class:`PartRegion` for each part, ``thickness`` [mm]."""
    return [PartRegion(name, poly, thickness) for name, poly in outlines.parts]


__all__ = ["OUTLINE_LAYER", "PartOutlineError", "PartOutlines", "entity_points", "mm_per_unit",
           "part_regions", "read_part_outlines"]
