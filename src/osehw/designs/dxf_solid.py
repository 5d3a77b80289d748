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
from ezdxf.entities import DXFGraphic
from OCP.ShapeAnalysis import ShapeAnalysis_FreeBounds
from OCP.TopTools import TopTools_HSequenceOfShape

from osehw.cam.verify.part_outline import flat_entities, mm_per_unit
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
    except ezdxf.DXFStructureError:
        from ezdxf import recover

        try:
            doc, _ = recover.readfile(str(path))
        except (ezdxf.DXFStructureError, OSError) as exc:
            raise DxfPartError(f"{path}: not a DXF file ezdxf can read or repair ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DxfPartError(f"{path}: not a readable DXF file ({exc})") from None
    if units is not None:
        scale, unit_source = UNITS[units], f"--units {units}"
    else:
        code = int(doc.header.get("$INSUNITS", 0) or 0)
        scale = mm_per_unit(code, path)
        unit_source = f"$INSUNITS = {code}" + (" (unitless: read as mm; give --units)" if code == 0 else "")
    wanted = {name.lower() for name in layers}
    found_layers = sorted({e.dxf.layer for e in doc.modelspace()})
    if wanted and not wanted & {name.lower() for name in found_layers}:
        raise DxfPartError(f"{path}: no layer {', '.join(layers)} (layers: {', '.join(found_layers)})")
    ignored: Counter[str] = Counter()
    edges: list[cq.Edge] = []
    for e in flat_entities(doc.modelspace()):
        if wanted and e.dxf.layer.lower() not in wanted:
            continue
        made = _edges(e) if e.dxftype() in CURVES else []
        if not made:
            ignored[f"{e.dxftype()} on layer '{e.dxf.layer}'"] += 1
        edges += [edge.scale(scale) if scale != 1.0 else edge for edge in made]
    notes = [f"{n} × {what}: not an outline, left out" for what, n in sorted(ignored.items())]
    if not edges:
        raise DxfPartError(f"{path}: no lines, arcs, circles, polylines or splines to cut"
                           + (f" ({'; '.join(notes)})" if notes else ""))
    flat = [edge for edge in edges if abs(edge.BoundingBox().zlen) < 1e-6 * max(1.0, edge.BoundingBox().DiagonalLength)]
    if len(flat) < len(edges):
        raise DxfPartError(f"{path}: {len(edges) - len(flat)} edge(s) do not lie in one XY plane: a flat part's "
                           f"drawing is 2D (a 3D toolpath or model is not a part outline)")
    edges_in, wires_out = TopTools_HSequenceOfShape(), TopTools_HSequenceOfShape()
    for edge in edges:
        edges_in.Append(edge.wrapped)
    ShapeAnalysis_FreeBounds.ConnectEdgesToWires_s(edges_in, gap_tolerance, False, wires_out)
    wires = [cq.Wire(wires_out.Value(i)) for i in range(1, wires_out.Length() + 1)]
    closed = [w for w in wires if w.IsClosed()]
    notes += [f"open chain of {len(w.Edges())} edge(s) at {_where(w)}: not closed within {gap_tolerance:g} mm, "
              f"left out" for w in wires if not w.IsClosed()]
    if not closed:
        raise DxfPartError(f"{path}: no closed outline (ends further apart than {gap_tolerance:g} mm stay open; "
                           f"see --gap-tolerance): " + "; ".join(notes[:3]))
    faces = []
    for wire_set in cq.occ_impl.shapes.sortWiresByBuildOrder(closed):
        face = cq.Face.makeFromWires(wire_set[0], wire_set[1:])
        if not face.isValid():  # BRepCheck: an outline that crosses itself, or holes that cross it
            raise DxfPartError(f"{path}: the outline at {_where(face)} crosses itself or a hole crosses it "
                               f"(OCC BRepCheck): a part to cut needs a simple closed outline")
        faces.append(face)
    faces.sort(key=lambda f: -f.Area())
    return DxfParts(tuple(faces), tuple(notes), scale, unit_source, closed_gaps(edges, gap_tolerance))


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
