"""DXF files for the shop: one per sheet (layers per operation), one per part, and a production list.

Sheet DXF (``sheets/sheet-N.dxf``): one layer per (operation kind, tool,
depth), numbered in cutting order like WikiHouse's cutting files (labels,
screw holes, inside cuts, outside cuts), e.g. ``0_LABELS_V90``,
``1_DRILL_D5``, ``2_POCKET_T3.175_D2.3``, ``3_PROFILE_INSIDE_T6.35_D13``,
``4_PROFILE_OUTSIDE_T6.35_D12.9``. ``T`` is the tool diameter [mm] (up to 3
decimals), ``D`` the final depth below the stock top [mm] (up to 2 decimals,
trailing zeros dropped); a drill layer names the drill's diameter
(``DRILL_D5``) and gains ``_Z<depth>`` only when the sheet drills one
diameter to two depths; label layers name the v-bit's angle (``V90``).

The geometry on an operation layer is the tool-centre path of its final
pass (what the G-code cuts at full depth, tabs included), as LWPOLYLINEs
whose arcs are real bulges; a plunge with no XY motion (a drilled hole) is a
CIRCLE of the tool's diameter. What must remain of each part (its shape less
any dogbone relief: what ``osehw verify --part`` proves the programs against) sits on ``PART_OUTLINES``,
the stock on ``STOCK`` and the part names on ``PART_NAMES``.

Part DXF (``parts/<name>.dxf``): the part's own geometry in its frame for
shops that nest and CAM themselves: ``OUTLINE``, ``HOLES`` (CIRCLEs; blind
ones on ``HOLES_D<depth>``), ``INSIDE_CUTS``, ``POCKET_D<depth>``, ``LABEL``.

All files are in millimetres ($INSUNITS = 4, $MEASUREMENT = 1: ezdxf's default
unit is metres) and byte-identical for the same input: the creation and
update dates are fixed (2000-01-01, or ``SOURCE_DATE_EPOCH`` when set) and
the GUIDs are constants.
"""

from __future__ import annotations

import csv
import io
import math
import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator, Mapping, Sequence

import ezdxf
from ezdxf.enums import TextEntityAlignment
from ezdxf.tools.juliandate import juliandate
from shapely.geometry import Polygon
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

from osehw.cam.ops.moves import Operation
from osehw.cam.recognise.features import PartFeatures
from osehw.cam.shop import Tool
from osehw.cam.transform import POINT_TOL, Segment, final_pass_runs, walk
from osehw.core.errors import OsehwError
from osehw.core.reproducible import source_datetime


class SheetDxfError(OsehwError, ValueError):
    """An operation cannot be written to the sheet DXF (names part, feature, value, rule)."""


# The layer word per operation kind; unknown kinds use their own name in capitals.
_KIND_WORD = {
    "engrave": "LABELS",
    "drill": "DRILL",
    "helical_bore": "BORE",
    "pocket": "POCKET",
    "profile_inside": "PROFILE_INSIDE",
    "profile_outside": "PROFILE_OUTSIDE",
}

# AutoCAD colour index per kind, so the layers read apart in any viewer.
_KIND_COLOR = {
    "engrave": 6,  # magenta
    "drill": 1,  # red
    "helical_bore": 1,
    "pocket": 3,  # green
    "profile_inside": 4,  # cyan
    "profile_outside": 5,  # blue
}

# ezdxf's fixed test date; the default when SOURCE_DATE_EPOCH is not set.
_FIXED_DATE = datetime(2000, 1, 1, 0, 0)


def fmt_num(value: float, decimals: int) -> str:
    """``value`` with at most ``decimals`` decimals, trailing zeros dropped (12.90 → "12.9", 13.0 → "13")."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def layer_stem(op: Operation, tool: Tool) -> str:
    """Layer name without its cutting-order number, e.g. ``PROFILE_OUTSIDE_T6.35_D12.9``."""
    word = _KIND_WORD.get(op.kind, op.kind.upper())
    if op.kind == "engrave":
        if tool.kind == "vbit" and tool.angle is not None:
            return f"{word}_V{fmt_num(tool.angle, 1)}"
        return f"{word}_T{fmt_num(tool.diameter, 3)}"
    if op.kind == "drill":
        return f"{word}_D{fmt_num(tool.diameter, 3)}"
    return f"{word}_T{fmt_num(tool.diameter, 3)}_D{fmt_num(op.depth, 2)}"


def layer_names(operations: Sequence[Operation], tools: Mapping[str, Tool]) -> list[str]:
    """One layer name per operation, numbered by first appearance (operations come in cutting order)."""
    stems: list[str] = []
    for op in operations:
        if op.tool not in tools:
            known = ", ".join(sorted(tools)) or "none"
            raise SheetDxfError(
                f"{op.part}: feature '{op.feature}' ({op.kind}) uses tool '{op.tool}', "
                f"which is not in the tool list ({known})")
        stems.append(layer_stem(op, tools[op.tool]))
    # A drill used at two depths on one sheet needs two layers: add the depth.
    drill_depths: dict[str, set[str]] = {}
    for op, stem in zip(operations, stems):
        if op.kind == "drill":
            drill_depths.setdefault(stem, set()).add(fmt_num(op.depth, 2))
    stems = [
        f"{stem}_Z{fmt_num(op.depth, 2)}" if op.kind == "drill" and len(drill_depths[stem]) > 1 else stem
        for op, stem in zip(operations, stems)
    ]
    order: dict[str, int] = {}
    for stem in stems:
        order.setdefault(stem, len(order))
    return [f"{order[stem]}_{stem}" for stem in stems]


def _bulge_points(run: Sequence[Segment]) -> tuple[list[tuple[float, float, float]], bool]:
    """(x, y, bulge) vertices of a run, and whether it closes on itself.

    Bulge = tan(sweep / 4) (DXF reference, LWPOLYLINE group 42), positive
    counter-clockwise. Arcs over 180° are split in two so no bulge grows
    towards infinity (a full circle would need tan(90°)).
    """
    pts: list[list[float]] = []
    for seg in run:
        if seg.xy_length < POINT_TOL:
            continue
        if not pts:
            pts.append([seg.start[0], seg.start[1], 0.0])
        if seg.kind == "arc" and seg.centre is not None:
            pieces = 2 if abs(seg.sweep) > math.pi else 1
            part = seg.sweep / pieces
            cx, cy = seg.centre
            a0 = math.atan2(seg.start[1] - cy, seg.start[0] - cx)
            for k in range(1, pieces + 1):
                pts[-1][2] = math.tan(part / 4.0)
                if k == pieces:
                    pts.append([seg.end[0], seg.end[1], 0.0])
                else:
                    a = a0 + part * k
                    pts.append([cx + seg.radius * math.cos(a), cy + seg.radius * math.sin(a), 0.0])
        else:
            pts.append([seg.end[0], seg.end[1], 0.0])
    closed = len(pts) > 2 and math.hypot(pts[-1][0] - pts[0][0], pts[-1][1] - pts[0][1]) < POINT_TOL
    if closed:
        pts.pop()  # the closing segment keeps the bulge stored on the vertex before it
    return [(p[0], p[1], p[2]) for p in pts], closed


@contextmanager
def _fixed_metadata() -> Iterator[None]:
    """Make ezdxf write constant GUIDs, dates and version marker (its option for reproducible files)."""
    previous = ezdxf.options.write_fixed_meta_data_for_testing
    ezdxf.options.write_fixed_meta_data_for_testing = True
    try:
        yield
    finally:
        ezdxf.options.write_fixed_meta_data_for_testing = previous


def _new_doc() -> ezdxf.document.Drawing:
    doc = ezdxf.new("R2010", setup=False, units=ezdxf.units.MM)
    doc.header["$INSUNITS"] = ezdxf.units.MM
    doc.header["$MEASUREMENT"] = 1
    return doc


_CLASSES_HEAD = "  0\nSECTION\n  2\nCLASSES\n"
_CLASS = "  0\nCLASS\n"


def _sorted_classes(text: str) -> str:
    """Put the CLASSES section's records in a fixed order.

    ezdxf adds a CLASS for each entity type in use by iterating a Python set, so their
    order follows the interpreter's string-hash seed and changes from run to run (seen with
    ezdxf 1.4.5). The order carries no meaning without proxy entities, which we never write.
    """
    start = text.find(_CLASSES_HEAD)
    if start < 0:
        return text
    body = start + len(_CLASSES_HEAD)
    end = text.find("  0\nENDSEC\n", body)
    records = [_CLASS + r for r in text[body:end].split(_CLASS) if r]
    return text[:body] + "".join(sorted(records)) + text[end:]


def _save(doc: ezdxf.document.Drawing, path: str | os.PathLike[str]) -> None:
    """Write ``doc`` with fixed dates (``SOURCE_DATE_EPOCH`` when set), UTF-8, LF line ends,
    and CLASS records in a fixed order."""
    stream = io.StringIO()
    doc.write(stream)
    text = _sorted_classes(stream.getvalue())
    when = source_datetime(_FIXED_DATE)
    if when != _FIXED_DATE:
        # ezdxf's fixed-metadata mode writes its own constant date; swap in
        # the reproducible-builds date inside the HEADER section only.
        head, sep, rest = text.partition("ENDSEC")
        for var in ("$TDCREATE", "$TDUCREATE", "$TDUPDATE", "$TDUUPDATE"):
            old = f"{var}\n 40\n{juliandate(_FIXED_DATE)}\n"
            head = head.replace(old, f"{var}\n 40\n{juliandate(when)}\n")
        text = head + sep + rest
    Path(path).write_bytes(doc.encode(text))


def _add_layer(doc: ezdxf.document.Drawing, name: str, color: int) -> None:
    if name not in doc.layers:
        doc.layers.add(name, color=color)


def _add_polygon(msp, poly: Polygon, layer: str, elevation: float = 0.0) -> None:
    """Exterior and holes of ``poly`` as closed LWPOLYLINEs (collinear vertices dropped)."""
    poly = orient(poly.simplify(0.0), sign=1.0)
    for ring in [poly.exterior, *poly.interiors]:
        coords = list(ring.coords)[:-1]
        msp.add_lwpolyline([(x, y) for x, y in coords], format="xy", close=True,
                           dxfattribs={"layer": layer, "elevation": elevation})


def _text_height(poly: Polygon) -> float:
    """Label height [mm]: 8 % of the part's smaller side, kept between 3 and 40 mm for legibility."""
    minx, miny, maxx, maxy = poly.bounds
    return max(3.0, min(40.0, 0.08 * min(maxx - minx, maxy - miny)))


def label_point(poly: Polygon) -> tuple[float, float]:
    """Where a part's name goes: the part's pole of inaccessibility (the point
    farthest from every edge, found to 0.5 mm), so it clears holes and rims."""
    p = polylabel(poly, tolerance=0.5)
    return p.x, p.y


def write_sheet_dxf(
    path: str | os.PathLike[str],
    *,
    stock_x: float,
    stock_y: float,
    parts: Sequence[tuple[str, Polygon]],
    operations: Sequence[Operation],
    tools: Mapping[str, Tool],
) -> None:
    """Write one nested sheet as a layered DXF.

    Parameters
    ----------
    path : output file.
    stock_x, stock_y : sheet size [mm]; the stock's lower-left corner is (0, 0).
    parts : (name, outline placed on the sheet) per part instance.
    operations : placed operations in cutting order (this order numbers the layers).
    tools : tool id → Tool, for the layer names and drill circles.
    """
    names = layer_names(operations, tools)
    with _fixed_metadata():
        doc = _new_doc()
        msp = doc.modelspace()
        _add_layer(doc, "STOCK", 8)
        msp.add_lwpolyline([(0.0, 0.0), (stock_x, 0.0), (stock_x, stock_y), (0.0, stock_y)],
                           format="xy", close=True, dxfattribs={"layer": "STOCK"})
        if parts:
            _add_layer(doc, "PART_OUTLINES", 9)
            _add_layer(doc, "PART_NAMES", 7)
        for name, poly in parts:
            _add_polygon(msp, poly, "PART_OUTLINES")
        for op, layer in zip(operations, names):
            _add_layer(doc, layer, _KIND_COLOR.get(op.kind, 7))
            segments, _ = walk(op.moves)
            depth_z = -op.depth
            drawn: set[tuple[float, float]] = set()
            for run in final_pass_runs(segments):
                if all(seg.xy_length < POINT_TOL for seg in run):
                    centre = (round(run[0].start[0], 6), round(run[0].start[1], 6))
                    if centre not in drawn:  # pecking plunges the same hole more than once
                        drawn.add(centre)
                        msp.add_circle(centre, tools[op.tool].diameter / 2.0,
                                       dxfattribs={"layer": layer})
                    continue
                points, closed = _bulge_points(run)
                msp.add_lwpolyline(points, format="xyb", close=closed,
                                   dxfattribs={"layer": layer, "elevation": depth_z})
        for name, poly in parts:
            x, y = label_point(poly)
            msp.add_text(name, height=_text_height(poly), dxfattribs={"layer": "PART_NAMES"}).set_placement(
                (x, y), align=TextEntityAlignment.MIDDLE_CENTER)
        _save(doc, path)


def write_part_dxf(path: str | os.PathLike[str], name: str, features: PartFeatures) -> None:
    """Write one part's true geometry in its own frame, for shops that nest themselves.

    Round holes are CIRCLEs (exact); outlines, inside cuts and pockets are
    closed LWPOLYLINEs of the recognised (finely discretised) regions.
    """
    with _fixed_metadata():
        doc = _new_doc()
        msp = doc.modelspace()
        _add_layer(doc, "OUTLINE", 5)
        _add_polygon(msp, Polygon(features.outline.exterior), "OUTLINE")
        for hole in features.round_holes:
            through = hole.depth >= features.thickness - 1e-9
            layer = "HOLES" if through else f"HOLES_D{fmt_num(hole.depth, 2)}"
            _add_layer(doc, layer, 1)
            msp.add_circle((hole.x, hole.y), hole.diameter / 2.0, dxfattribs={"layer": layer})
        for cut in features.inside_cuts:
            _add_layer(doc, "INSIDE_CUTS", 4)
            _add_polygon(msp, cut.region, "INSIDE_CUTS")
        for pocket in features.pockets:
            layer = f"POCKET_D{fmt_num(pocket.depth, 2)}"
            _add_layer(doc, layer, 3)
            _add_polygon(msp, pocket.region, layer, elevation=-pocket.depth)
        text = features.label or name
        _add_layer(doc, "LABEL", 6)
        x, y = label_point(features.outline)
        msp.add_text(text, height=_text_height(features.outline), dxfattribs={"layer": "LABEL"}).set_placement(
            (x, y), align=TextEntityAlignment.MIDDLE_CENTER)
        _save(doc, path)


def production_list_csv(path: str | os.PathLike[str], rows: Sequence[tuple[str, str, int, float, str]]) -> None:
    """Write the production list: one row per part (label, part, quantity, thickness [mm], material).

    Rows are written in the order given; thickness is printed with up to 3
    decimals so the file does not change with float noise.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["label", "part", "quantity", "thickness_mm", "material"])
    for label, part, quantity, thickness, material in rows:
        if int(quantity) != quantity or quantity < 1:
            raise SheetDxfError(f"{part}: quantity {quantity!r} must be a whole number ≥ 1")
        writer.writerow([label, part, int(quantity), fmt_num(thickness, 3), material])
    Path(path).write_text(buf.getvalue(), encoding="utf-8", newline="")
