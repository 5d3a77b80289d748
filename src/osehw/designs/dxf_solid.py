"""A maker's DXF drawing → flat solids, one per top-level closed outline, in millimetres.

Real drawings are not tidy, so the reader

* takes the unit from ``$INSUNITS`` (or ``units`` when given: many files say
  "unitless"), via :func:`osehw.cam.verify.part_outline.mm_per_unit`;
* builds every edge in world coordinates: arcs and circles drawn with a
  negative extrusion direction (a mirrored OCS, common in SolidWorks and
  AutoCAD exports) are mirrored through their OCS, as the DXF reference's
  "Arbitrary Axis Algorithm" defines, so they land where the CAD program
  shows them; lines and arcs stay exact (a round hole is still a circle that
  CAM can drill or bore); splines and ellipses become chords within
  :data:`CURVE_TOLERANCE`;
* expands blocks (INSERT), and reads only the named layers when asked;
* joins edges whose ends lie within ``gap_tolerance`` (OCC's
  ``ShapeAnalysis_FreeBounds.ConnectEdgesToWires``), so outlines whose ends
  miss by a few hundredths close;
* reports and leaves out what is not a closed outline: open chains
  (construction lines), text, dimensions, hatches — each with its layer and
  where it is.

CadQuery's own ``importDXF`` does none of the first three, and joins a layer's
every edge into one face set, so one construction line breaks the part.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import cadquery as cq
import ezdxf
import numpy as np
import shapely
import shapely.validation
from ezdxf.entities import DXFGraphic
from OCP.BRepAdaptor import BRepAdaptor_CompCurve
from OCP.GCPnts import GCPnts_QuasiUniformDeflection
from OCP.ShapeAnalysis import ShapeAnalysis_FreeBounds
from OCP.TopTools import TopTools_HSequenceOfShape

from osehw.cam.verify.part_outline import declared_units, flat_entities, mm_per_unit
from osehw.core.errors import OsehwError

GAP_TOLERANCE = 0.01  # [mm] ends closer than this are joined
CURVE_TOLERANCE = 0.01  # [mm] largest chord deviation for splines and ellipses
UNITS = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "ft": 304.8}  # 1 in = 25.4 mm exactly
CURVES = ("LINE", "ARC", "CIRCLE", "LWPOLYLINE", "POLYLINE", "SPLINE", "ELLIPSE")


class DxfPartError(OsehwError, ValueError):
    """The drawing gives no part to cut (names the file and why)."""


@dataclass(frozen=True)
class DxfParts:
    faces: tuple[cq.Face, ...]  # one per top-level closed outline, holes inside, in mm, largest first
    ignored: tuple[str, ...]  # what was left out, with layer and place
    mm_per_unit: float
    unit_source: str  # "$INSUNITS = 1 (in)", "--units in"…
    gaps: tuple[tuple[float, float, float], ...] = ()  # (size mm, x, y) of each gap closed, largest first


def _wcs(e: DXFGraphic, point: tuple[float, float, float] | ezdxf.math.Vec3) -> cq.Vector:
    return cq.Vector(*e.ocs().to_wcs(ezdxf.math.Vec3(point)))


def _edges(e: DXFGraphic) -> list[cq.Edge]:
    """Exact WCS edges of one curve entity (drawing units); [] for anything else."""
    kind = e.dxftype()
    if kind == "LINE":
        a, b = cq.Vector(*e.dxf.start), cq.Vector(*e.dxf.end)
        return [cq.Edge.makeLine(a, b)] if (a - b).Length > 1e-12 else []
    if kind == "CIRCLE":
        centre = _wcs(e, e.dxf.center)
        return [cq.Edge.makeCircle(e.dxf.radius, centre, cq.Vector(0, 0, 1))] if e.dxf.radius > 0 else []
    if kind == "ARC":
        r, c = e.dxf.radius, e.dxf.center
        a0, a1 = math.radians(e.dxf.start_angle), math.radians(e.dxf.end_angle)
        sweep = (a1 - a0) % math.tau or math.tau  # counter-clockwise in the OCS
        points = [_wcs(e, (c[0] + r * math.cos(a), c[1] + r * math.sin(a), c[2]))
                  for a in (a0, a0 + sweep / 2, a0 + sweep)]
        return [cq.Edge.makeThreePointArc(*points)] if r > 0 else []
    if kind == "LWPOLYLINE" or (kind == "POLYLINE" and e.is_2d_polyline):
        return [edge for part in e.virtual_entities() for edge in _edges(part)]  # LINE/ARC in the same OCS
    if kind in ("SPLINE", "ELLIPSE") or (kind == "POLYLINE" and e.is_3d_polyline):
        points = [cq.Vector(*v) for v in (e.flattening(CURVE_TOLERANCE) if kind != "POLYLINE"
                                          else (v.dxf.location for v in e.vertices))]
        if kind == "POLYLINE" and e.is_closed and points:
            points.append(points[0])
        return [cq.Edge.makeLine(a, b) for a, b in zip(points, points[1:]) if (a - b).Length > 1e-12]
    return []


def _onto_xy(edge: cq.Edge) -> cq.Edge:
    z = edge.Center().z
    return edge.translate(cq.Vector(0, 0, -z)) if z else edge


def _where(shape: cq.Shape) -> str:
    bb = shape.BoundingBox()
    return f"({bb.xmin:.2f}, {bb.ymin:.2f})–({bb.xmax:.2f}, {bb.ymax:.2f}) mm"


MAX_GAP_TOLERANCE = 1.0  # [mm]: wider "gaps" are missing geometry, not drawing slop


def option_problems(units: str | None, gap_tolerance: float) -> list[str]:
    """What is wrong with the reading options (checked by the CLI before any work, and here)."""
    problems = []
    if units is not None and units not in UNITS:
        problems.append(f"--units {units}: must be one of {', '.join(UNITS)}")
    if not (math.isfinite(gap_tolerance) and 0 <= gap_tolerance <= MAX_GAP_TOLERANCE):
        problems.append(f"--gap-tolerance {gap_tolerance:g}: must be 0 … {MAX_GAP_TOLERANCE:g} mm")
    return problems


def read_dxf_parts(path: Path, *, units: str | None = None, layers: tuple[str, ...] = (),
                   gap_tolerance: float = GAP_TOLERANCE) -> DxfParts:
    problems = option_problems(units, gap_tolerance)
    if problems:
        raise DxfPartError("; ".join(problems))
    try:
        doc = ezdxf.readfile(str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise DxfPartError(f"{path}: not a readable DXF file ({exc})") from None
    except Exception as first:  # noqa: BLE001 - ezdxf's strict reader fails in many ways on damaged files
        from ezdxf import recover

        try:
            # ezdxf's recover mode rebuilds what an old or damaged file lacks (an AC1006 header, a
            # missing object dictionary entry) as AutoCAD's own RECOVER command would
            doc, _ = recover.readfile(str(path))
        except Exception as exc:  # noqa: BLE001
            raise DxfPartError(f"{path}: not a DXF file ezdxf can read ({type(first).__name__}: {first}) or "
                               f"repair ({exc})") from None
    if units is not None:
        scale, unit_source = UNITS[units], f"--units {units}"
    else:
        code = declared_units(doc, path)
        scale = mm_per_unit(code, path)
        unit_source = f"$INSUNITS = {code}" + (" (unitless: read as mm; give --units)" if code == 0 else "")
    wanted = {name.lower() for name in layers}
    found_layers = sorted({e.dxf.layer for e in doc.modelspace()})
    if wanted and not wanted & {name.lower() for name in found_layers}:
        raise DxfPartError(f"{path}: no layer {', '.join(layers)} (layers: {', '.join(found_layers)})")
    ignored: Counter[str] = Counter()
    edges: list[cq.Edge] = []
    by_layer: dict[str, list[cq.Edge]] = {}
    for e in flat_entities(doc.modelspace()):
        if wanted and e.dxf.layer.lower() not in wanted:
            continue
        made = _edges(e) if e.dxftype() in CURVES else []
        if not made:
            ignored[f"{e.dxftype()} on layer '{e.dxf.layer}'"] += 1
        made = [edge.scale(scale) if scale != 1.0 else edge for edge in made]
        edges += made
        by_layer.setdefault(e.dxf.layer, []).extend(made)
    notes = [f"{n} × {what}: not an outline, left out" for what, n in sorted(ignored.items())]
    if not edges:
        raise DxfPartError(f"{path}: no lines, arcs, circles, polylines or splines to cut"
                           + (f" ({'; '.join(notes)})" if notes else ""))
    flat = [edge for edge in edges if abs(edge.BoundingBox().zlen) < 1e-6 * max(1.0, edge.BoundingBox().DiagonalLength)]
    if len(flat) < len(edges):
        raise DxfPartError(f"{path}: {len(edges) - len(flat)} edge(s) do not lie in one XY plane: a flat part's "
                           f"drawing is 2D (a 3D toolpath or model is not a part outline)")
    # Every edge onto Z = 0: exports leave centres at z ~1e-13, which OCC's planarity test
    # (BRepLib_FindSurface) refuses when such a circle is a hole in an outline at z = 0.
    levels = [edge.Center().z for edge in edges]
    if max(levels) - min(levels) > 1e-6:
        notes.append(f"entities at elevations {min(levels):g} … {max(levels):g} mm: read flat onto Z = 0")
    by_layer = {layer: [_onto_xy(edge) for edge in layer_edges] for layer, layer_edges in by_layer.items()}
    wired = [(layer, w) for layer in sorted(by_layer) for w in join_edges(by_layer[layer], gap_tolerance)]
    wires = [w for _, w in wired]
    closed = [w for w in wires if w.IsClosed()]
    notes += [f"open chain of {len(w.Edges())} edge(s) at {_where(w)}: not closed within {gap_tolerance:g} mm, "
              f"left out" for w in wires if not w.IsClosed()]
    if not closed:
        raise DxfPartError(f"{path}: no closed outline (ends further apart than {gap_tolerance:g} mm stay open; "
                           f"see --gap-tolerance): " + "; ".join(notes[:3]))
    faces = []
    branches = [b for layer in sorted(by_layer) for b in branch_points(by_layer[layer], gap_tolerance)]
    outlines, flat_notes = nest_outlines(closed, path, [layer for layer, w in wired if w.IsClosed()], branches)
    notes += flat_notes
    for outer, holes in outlines:
        try:
            face = cq.Face.makeFromWires(outer, holes)
        except ValueError:
            face = None
        if face is None or not face.isValid():  # BRepCheck: an outline touching itself, a hole touching it
            raise DxfPartError(f"{path}: the outline at {_where(outer)} touches itself or one of its {len(holes)} "
                               f"hole(s) touches it (OCC BRepCheck): a part to cut needs a simple closed outline")
        faces.append(face)
    if not faces:
        raise DxfPartError(f"{path}: no closed outline encloses an area: " + "; ".join(notes[:3]))
    faces.sort(key=lambda f: -f.Area())
    return DxfParts(tuple(faces), tuple(notes), scale, unit_source, closed_gaps(edges, gap_tolerance))


def _edge_key(edge: cq.Edge) -> tuple[tuple[float, ...], ...]:
    """Ends (either way round) and midpoint to 1e-4 mm: an edge drawn twice has the same key."""
    def pt(v: cq.Vector) -> tuple[float, ...]:
        return (round(v.x, 4) + 0.0, round(v.y, 4) + 0.0)
    a, b = sorted((pt(edge.startPoint()), pt(edge.endPoint())))
    return a, b, pt(edge.positionAt(0.5)), (round(edge.Length(), 4),)


def branch_points(edges: list[cq.Edge], gap_tolerance: float) -> list[tuple[tuple[float, float], int]]:
    """Places (by x, y) where three or more edge ends meet, once edges drawn twice are taken once.

    An outline is a chain: each end meets exactly one other. A third end at
    the same point is a T or an X: two parts sharing a cut line, which no
    chaining can turn into separate closed outlines.
    """
    unique = {_edge_key(edge): edge for edge in edges if not edge.IsClosed()}.values()
    cell = max(gap_tolerance, 1e-6)
    ends: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for edge in unique:
        for v in (edge.startPoint(), edge.endPoint()):
            ends.setdefault((round(v.x / cell), round(v.y / cell)), []).append((v.x, v.y))
    return sorted((pts[0], len(pts)) for pts in ends.values() if len(pts) >= 3)


def join_edges(edges: list[cq.Edge], gap_tolerance: float) -> list[cq.Wire]:
    """Chains of edges whose ends meet within ``gap_tolerance`` (OCC ShapeAnalysis_FreeBounds).

    Called per layer: a drawing that overlays several outlines on separate
    layers (a body and its cut-outs, a part and its machining passes) must
    not have their touching ends chained into one figure-eight. A closed
    edge (circle, closed spline or ellipse) is an outline by itself. An edge
    drawn twice (exports often hold the drawing twice over) is taken once.
    """
    unique = list({_edge_key(edge): edge for edge in reversed(edges)}.values())[::-1]
    wires = [cq.Wire.assembleEdges([edge]) for edge in unique if edge.IsClosed()]
    edges_in, wires_out = TopTools_HSequenceOfShape(), TopTools_HSequenceOfShape()
    for edge in unique:
        if not edge.IsClosed():
            edges_in.Append(edge.wrapped)
    if edges_in.Length():
        ShapeAnalysis_FreeBounds.ConnectEdgesToWires_s(edges_in, gap_tolerance, False, wires_out)
    return wires + [cq.Wire(wires_out.Value(i)) for i in range(1, wires_out.Length() + 1)]


NEST_DEFLECTION = 0.005  # [mm] chord error of the polygons used only to decide which outline lies in which


def _polygon(wire: cq.Wire) -> shapely.Polygon:
    curve = BRepAdaptor_CompCurve(wire.wrapped)
    points = GCPnts_QuasiUniformDeflection(curve, NEST_DEFLECTION)
    coords = [(points.Value(i).X(), points.Value(i).Y()) for i in range(1, points.NbPoints() + 1)]
    return shapely.Polygon(coords) if len(coords) >= 3 else shapely.Polygon()


def _same_outline(a: shapely.Polygon, b: shapely.Polygon) -> bool:
    """One outline drawn twice: the same area and no more than chord noise between them."""
    if abs(a.area - b.area) > 1e-6 * max(a.area, b.area) + a.length * NEST_DEFLECTION:
        return False
    return a.symmetric_difference(b).area <= 2 * NEST_DEFLECTION * max(a.length, b.length)


def nest_outlines(wires: list[cq.Wire], path: Path, layers: list[str] | None = None,
                  branches: list[tuple[tuple[float, float], int]] = ()
                  ) -> tuple[list[tuple[cq.Wire, list[cq.Wire]]], list[str]]:
    """Closed outlines grouped into parts: (outline, its holes), and notes on what was left out.

    An outline inside nothing is a part; one inside a part is its hole; one
    inside a hole is a part again (an island: the drawing of a nest of
    parts, or a part cut from another's waste). Outlines that cross each other
    are refused, naming both places. Which outline lies in which is decided on
    polygons within NEST_DEFLECTION of the exact curves; the parts keep the
    exact curves.
    """
    polys, kept, kept_layers, notes = [], [], [], []
    layers = layers or [""] * len(wires)
    duplicates = 0
    for w, layer in zip(wires, layers):
        poly = _polygon(w)
        if not poly.is_valid:
            pieces = [g for g in shapely.get_parts(shapely.make_valid(poly)) if isinstance(g, shapely.Polygon)]
            if len(pieces) == 1 and abs(pieces[0].area - abs(poly.area)) <= NEST_DEFLECTION * poly.length:
                poly = pieces[0]  # a spike of chord noise where two curves meet within the gap tolerance
        if not poly.is_valid and poly.buffer(0).area > NEST_DEFLECTION ** 2:
            # GEOS says where: "Self-intersection[x y]"
            why = shapely.validation.explain_validity(poly)
            bb = w.BoundingBox()
            inside = [(pt, n) for pt, n in branches
                      if bb.xmin - 1e-6 <= pt[0] <= bb.xmax + 1e-6 and bb.ymin - 1e-6 <= pt[1] <= bb.ymax + 1e-6]
            hint = (f"; {inside[0][1]} edge ends meet at ({inside[0][0][0]:.2f}, {inside[0][0][1]:.2f}) mm: outlines "
                    f"that share an edge (parts drawn touching, as for a zero-kerf cutter: a router's cut is a "
                    f"tool wide, so draw them apart) or a stray line joined to one" if inside else "")
            raise DxfPartError(f"{path}: the outline at {_where(w)} crosses itself ({why}){hint}: a part to cut "
                               f"needs a simple closed outline")
        if poly.area <= NEST_DEFLECTION ** 2:
            notes.append(f"closed chain with no area at {_where(w)} (a line drawn over itself): left out")
            continue
        same = [i for i in shapely.STRtree(polys).query(poly) if _same_outline(polys[int(i)], poly)] if polys else []
        if same:
            duplicates += 1
            continue
        polys.append(poly)
        kept.append(w)
        kept_layers.append(layer)
    if duplicates:
        notes.append(f"{duplicates} closed outline(s) drawn twice: each taken once")
    order = sorted(range(len(polys)), key=lambda i: -polys[i].area)
    tree = shapely.STRtree(polys)
    parent: dict[int, int | None] = {}
    for rank, j in enumerate(order):
        best = None
        for i in tree.query(polys[j]):
            i = int(i)
            if i == j or polys[i].area <= polys[j].area:
                continue
            if polys[i].contains(polys[j].representative_point()) and polys[i].buffer(NEST_DEFLECTION).contains(polys[j]):
                if best is None or polys[i].area < polys[best].area:
                    best = i
            elif polys[i].boundary.intersects(polys[j].boundary) and not polys[i].touches(polys[j]):
                raise DxfPartError(f"{path}: outlines at {_where(kept[i])} on layer '{kept_layers[i]}' and "
                                   f"{_where(kept[j])} on layer '{kept_layers[j]}' cross each other: parts to cut "
                                   f"may not overlap (choose the layers of one drawing with --layer)")
        parent[j] = best
    depth: dict[int, int] = {}
    for j in order:  # larger first: a parent's depth is known before its children's
        depth[j] = 0 if parent[j] is None else depth[parent[j]] + 1
    outlines = []
    for i in order:
        if depth[i] % 2 == 0:
            outlines.append((kept[i], [kept[j] for j in order if parent[j] == i]))
    return outlines, notes


GAP_REPORT_FLOOR = 1e-6  # [mm]: ends closer than this are one point written twice, not a gap


def closed_gaps(edges: list[cq.Edge], tolerance: float) -> tuple[tuple[float, float, float], ...]:
    """The gaps the joining closed: for each pair of edge ends GAP_REPORT_FLOOR < d ≤ ``tolerance`` apart
    with no closer end, (d, x, y) at their midpoint, largest first."""
    ends = np.array([[v.x, v.y] for e in edges if not e.IsClosed() for v in (e.startPoint(), e.endPoint())])
    if len(ends) < 2:
        return ()
    d = np.linalg.norm(ends[:, None, :] - ends[None, :, :], axis=2) if len(ends) <= 4000 else None
    if d is None:  # a very large drawing: sort by x and compare neighbours within the tolerance
        order = np.argsort(ends[:, 0], kind="stable")
        pairs = [(int(a), int(b)) for k, a in enumerate(order) for b in order[k + 1:k + 64]
                 if ends[b, 0] - ends[a, 0] <= tolerance]
        d_pairs = {(a, b): float(np.linalg.norm(ends[a] - ends[b])) for a, b in pairs}
    else:
        np.fill_diagonal(d, np.inf)
        d_pairs = {(a, b): float(d[a, b]) for a, b in zip(*np.nonzero(d <= tolerance)) if a < b}
    nearest: dict[int, float] = {}
    for (a, b), dist in d_pairs.items():
        nearest[a] = min(nearest.get(a, np.inf), dist)
        nearest[b] = min(nearest.get(b, np.inf), dist)
    gaps = {(round(dist, 9), round((ends[a, 0] + ends[b, 0]) / 2, 3), round((ends[a, 1] + ends[b, 1]) / 2, 3))
            for (a, b), dist in d_pairs.items()
            if GAP_REPORT_FLOOR < dist and dist == nearest[a] == nearest[b]}
    return tuple(sorted(gaps, key=lambda g: (-g[0], g[1], g[2])))
