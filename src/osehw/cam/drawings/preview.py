"""SVG toolpath preview of one nested sheet (``sheets/sheet-N.svg``).

The picture is the machine's top view: X to the right, Y up (SVG's Y axis
points down, so every Y is flipped about the stock), origin at the stock's
lower-left corner. It shows the stock, the parts filled light, the cutting
moves coloured by operation class, rapids as thin dashes, holding tabs in
their own colour, part names and a legend. All cutting moves of one class
form a single ``<path class="cut CLASS">`` (repeated passes over the same
XY are drawn once), so the file stays small and easy to test.

Numbers carry three decimals [mm]; the same input gives the same text.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Mapping, Sequence

from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

from osehw.cam.drawings.sheet_dxf import fmt_num, label_point
from osehw.cam.ops.moves import Operation
from osehw.cam.shop import Tool
from osehw.cam.transform import POINT_TOL, Segment, final_pass_runs, walk
from osehw.core.xml_text import xml_text

# Operation kind → (drawing class, legend text, colour). Order = legend order.
CUT_CLASSES: dict[str, tuple[str, str]] = {
    "profile_outside": ("outside profile", "#1f4fa3"),
    "profile_inside": ("inside profile", "#0a8f8f"),
    "pocket": ("pocket", "#2f9e44"),
    "hole": ("drill / bore", "#c92a2a"),
    "engrave": ("engrave", "#862e9c"),
}
_KIND_CLASS = {
    "profile_outside": "profile_outside",
    "profile_inside": "profile_inside",
    "pocket": "pocket",
    "drill": "hole",
    "helical_bore": "hole",
    "engrave": "engrave",
}
RAPID_COLOR = "#868e96"
TAB_COLOR = "#f08c00"
PART_FILL = "#f4e6c8"  # light plywood
PART_STROKE = "#b8955a"
STOCK_FILL = "#ffffff"

# Drill marker radius when the tool is unknown [mm].
_DEFAULT_DRILL_RADIUS = 2.5
# Width of the drawing in pixels (the viewBox is in mm).
_WIDTH_PX = 1200.0


def f3(value: float) -> str:
    """Fixed three-decimal number, never "-0.000"."""
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text


def kind_class(kind: str) -> str:
    """Drawing class of an operation kind (drill and helical bore share "hole")."""
    return _KIND_CLASS.get(kind, kind)


class _Path:
    """Accumulates SVG path data in the flipped frame, joining touching segments."""

    def __init__(self, flip: float) -> None:
        self.flip = flip
        self.parts: list[str] = []
        self.seen: set[str] = set()
        self.pen: str | None = None

    def _pt(self, x: float, y: float) -> str:
        return f"{f3(x)} {f3(self.flip - y)}"

    def segment(self, seg: Segment) -> None:
        if seg.xy_length < POINT_TOL:
            return
        start = self._pt(seg.start[0], seg.start[1])
        end = self._pt(seg.end[0], seg.end[1])
        if seg.kind == "arc" and seg.centre is not None:
            # Flipping Y turns CCW into screen-clockwise: SVG sweep-flag 0 for G3, 1 for G2.
            sweep_flag = 0 if seg.sweep > 0 else 1
            r = f3(seg.radius)
            cx, cy = seg.centre
            if abs(seg.sweep) > math.pi:  # SVG cannot draw a full circle in one arc: split it
                a = math.atan2(seg.start[1] - cy, seg.start[0] - cx) + seg.sweep / 2.0
                mid = self._pt(cx + seg.radius * math.cos(a), cy + seg.radius * math.sin(a))
                cmd = f"A {r} {r} 0 0 {sweep_flag} {mid} A {r} {r} 0 0 {sweep_flag} {end}"
            else:
                cmd = f"A {r} {r} 0 0 {sweep_flag} {end}"
        else:
            cmd = f"L {end}"
        key = f"{start} {cmd}"
        if key in self.seen:  # the same XY cut on an earlier depth pass
            return
        self.seen.add(key)
        if self.pen != start:
            self.parts.append(f"M {start}")
        self.parts.append(cmd)
        self.pen = end

    def circle(self, x: float, y: float, r: float) -> None:
        key = f"circle {self._pt(x, y)} {f3(r)}"
        if key in self.seen:
            return
        self.seen.add(key)
        left, right, rr = self._pt(x - r, y), self._pt(x + r, y), f3(r)
        self.parts.append(f"M {left} A {rr} {rr} 0 0 0 {right} A {rr} {rr} 0 0 0 {left} Z")
        self.pen = None

    def data(self) -> str:
        return " ".join(self.parts)


def _polygon_d(poly: Polygon, flip: float) -> str:
    poly = orient(poly.simplify(0.0), sign=1.0)
    out = []
    for ring in [poly.exterior, *poly.interiors]:
        coords = list(ring.coords)[:-1]
        pts = " L ".join(f"{f3(x)} {f3(flip - y)}" for x, y in coords)
        out.append(f"M {pts} Z")
    return " ".join(out)


def sheet_svg(
    *,
    stock_x: float,
    stock_y: float,
    parts: Sequence[tuple[str, Polygon]],
    operations: Sequence[Operation],
    title: str,
    tools: Mapping[str, Tool] | None = None,
    clamp_margin: float | None = None,
) -> str:
    """Return an SVG picture of one sheet's toolpaths.

    Parameters
    ----------
    stock_x, stock_y : sheet size [mm].
    parts : (name, outline placed on the sheet) per part instance.
    operations : placed operations in cutting order.
    title : heading printed above the sheet.
    tools : optional tool table; drilled holes are drawn at the drill's
        diameter when given (else a 5 mm marker).
    clamp_margin : when given, the clamping border [mm] is outlined.
    """
    unit = max(stock_x, stock_y) / _WIDTH_PX  # one screen pixel, in mm
    pad = 24.0 * unit
    title_h = 34.0 * unit
    legend_h = 30.0 * unit
    # Flipped frame: sheet Y maps to (top + stock_y - y), so the stock sits below the title.
    top = pad + title_h
    flip = top + stock_y
    width = stock_x + 2.0 * pad
    height = top + stock_y + pad + legend_h + pad

    paths: dict[str, _Path] = {}
    rapids = _Path(flip)
    tabs = _Path(flip)
    position = (None, None, None)
    for op in operations:
        cls = kind_class(op.kind)
        path = paths.setdefault(cls, _Path(flip))
        segments, position = walk(op.moves, position)
        for seg in segments:
            if seg.kind == "rapid":
                rapids.segment(seg)
            else:
                path.segment(seg)
        runs = final_pass_runs(segments)
        for run in runs:
            if all(seg.xy_length < POINT_TOL for seg in run):
                tool = (tools or {}).get(op.tool)
                r = tool.diameter / 2.0 if tool is not None else _DEFAULT_DRILL_RADIUS
                path.circle(run[0].start[0], run[0].start[1], r)
        if op.kind == "profile_outside" and runs:
            # Tabs: stretches of the final pass lifted above the pass's full depth.
            z_full = min(min(seg.start[2], seg.end[2]) for run in runs for seg in run)
            for run in runs:
                for seg in run:
                    if max(seg.start[2], seg.end[2]) > z_full + 1e-4:
                        tabs.segment(seg)

    out: list[str] = []
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{f3(_WIDTH_PX * width / max(stock_x, stock_y))}" '
        f'height="{f3(_WIDTH_PX * height / max(stock_x, stock_y))}" '
        f'viewBox="0.000 0.000 {f3(width)} {f3(height)}" font-family="DejaVu Sans, Arial, sans-serif">')
    out.append(f"<title>{xml_text(title)}</title>")
    out.append(f'<rect x="0.000" y="0.000" width="{f3(width)}" height="{f3(height)}" fill="#f8f9fa"/>')
    out.append(f'<text x="{f3(pad)}" y="{f3(pad + 20.0 * unit)}" font-size="{f3(18.0 * unit)}" '
               f'font-weight="bold" fill="#212529">{xml_text(title)}</text>')
    out.append(f'<text x="{f3(width - pad)}" y="{f3(pad + 20.0 * unit)}" font-size="{f3(12.0 * unit)}" '
               f'text-anchor="end" fill="#495057">stock {fmt_num(stock_x, 2)} × {fmt_num(stock_y, 2)} mm · '
               f'X0 Y0 lower left · top view</text>')
    out.append(f'<rect class="stock" x="{f3(pad)}" y="{f3(top)}" width="{f3(stock_x)}" height="{f3(stock_y)}" '
               f'fill="{STOCK_FILL}" stroke="#212529" stroke-width="{f3(1.5 * unit)}"/>')
    if clamp_margin:
        out.append(f'<rect class="clamp" x="{f3(pad + clamp_margin)}" y="{f3(top + clamp_margin)}" '
                   f'width="{f3(stock_x - 2 * clamp_margin)}" height="{f3(stock_y - 2 * clamp_margin)}" '
                   f'fill="none" stroke="#adb5bd" stroke-width="{f3(unit)}" '
                   f'stroke-dasharray="{f3(2 * unit)} {f3(4 * unit)}"/>')
    # origin marker: the corner the operator touches off as X0 Y0
    ox, oy, arm = pad, top + stock_y, 40.0 * unit
    out.append(f'<g class="origin" stroke-width="{f3(2.0 * unit)}">'
               f'<line x1="{f3(ox)}" y1="{f3(oy)}" x2="{f3(ox + arm)}" y2="{f3(oy)}" stroke="#e03131"/>'
               f'<line x1="{f3(ox)}" y1="{f3(oy)}" x2="{f3(ox)}" y2="{f3(oy - arm)}" stroke="#2f9e44"/>'
               f'<circle cx="{f3(ox)}" cy="{f3(oy)}" r="{f3(4.0 * unit)}" fill="#212529" stroke="none"/>'
               f'<text x="{f3(ox + arm + 4 * unit)}" y="{f3(oy)}" font-size="{f3(11 * unit)}" '
               f'dominant-baseline="central" fill="#e03131" stroke="none">X</text>'
               f'<text x="{f3(ox)}" y="{f3(oy - arm - 8 * unit)}" font-size="{f3(11 * unit)}" '
               f'text-anchor="middle" fill="#2f9e44" stroke="none">Y</text></g>')
    out.append(f'<g transform="translate({f3(pad)} 0.000)">')
    for name, poly in parts:
        out.append(f'<path class="part" d="{_polygon_d(poly, flip)}" fill="{PART_FILL}" '
                   f'fill-rule="evenodd" stroke="{PART_STROKE}" stroke-width="{f3(0.8 * unit)}"/>')
    if rapids.parts:
        out.append(f'<path class="rapid" d="{rapids.data()}" fill="none" stroke="{RAPID_COLOR}" '
                   f'stroke-width="{f3(0.8 * unit)}" stroke-dasharray="{f3(4 * unit)} {f3(3 * unit)}"/>')
    order = list(CUT_CLASSES) + sorted(c for c in paths if c not in CUT_CLASSES)
    for cls in order:
        if cls in paths and paths[cls].parts:
            colour = CUT_CLASSES.get(cls, ("", "#343a40"))[1]
            out.append(f'<path class="cut {cls}" d="{paths[cls].data()}" fill="none" stroke="{colour}" '
                       f'stroke-width="{f3(1.6 * unit)}" stroke-linejoin="round" stroke-linecap="round"/>')
    if tabs.parts:
        out.append(f'<path class="tab" d="{tabs.data()}" fill="none" stroke="{TAB_COLOR}" '
                   f'stroke-width="{f3(5.0 * unit)}" stroke-linecap="butt"/>')
    for name, poly in parts:
        out.append(_part_label(name, poly, flip, unit))
    out.append("</g>")
    out.append(_legend(order, paths, bool(rapids.parts), bool(tabs.parts), pad, flip + pad, unit))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _part_label(name: str, poly: Polygon, flip: float, unit: float) -> str:
    minx, miny, maxx, maxy = poly.bounds
    # Fit the name to the part: about 60 % of its width, at most a quarter of its height.
    size = min(0.25 * (maxy - miny), 1.2 * (maxx - minx) / max(len(name), 1), 22.0 * unit)
    size = max(size, 7.0 * unit)
    p = label_point(poly)
    return (f'<text class="part-name" x="{f3(p[0])}" y="{f3(flip - p[1])}" font-size="{f3(size)}" '
            f'text-anchor="middle" dominant-baseline="central" fill="#5c3d0e" stroke="{PART_FILL}" '
            f'stroke-width="{f3(size * 0.15)}" paint-order="stroke">{xml_text(name)}</text>')


def _legend(order: Sequence[str], paths: Mapping[str, _Path], rapids: bool, tabs: bool,
            x0: float, y0: float, unit: float) -> str:
    items: list[tuple[str, str, str]] = []
    for cls in order:
        if cls in paths and paths[cls].parts:
            label, colour = CUT_CLASSES.get(cls, (cls, "#343a40"))
            items.append((label, colour, f'stroke-width="{f3(2.5 * unit)}"'))
    if tabs:
        items.append(("holding tab", TAB_COLOR, f'stroke-width="{f3(5.0 * unit)}"'))
    if rapids:
        items.append(("rapid", RAPID_COLOR,
                      f'stroke-width="{f3(1.2 * unit)}" stroke-dasharray="{f3(4 * unit)} {f3(3 * unit)}"'))
    items.append(("part", PART_STROKE, f'stroke-width="{f3(8.0 * unit)}"'))
    out = ['<g class="legend">']
    x = x0
    y = y0 + 12.0 * unit
    for label, colour, style in items:
        out.append(f'<line x1="{f3(x)}" y1="{f3(y)}" x2="{f3(x + 28 * unit)}" y2="{f3(y)}" '
                   f'stroke="{colour if label != "part" else PART_FILL}" {style}/>')
        out.append(f'<text x="{f3(x + 34 * unit)}" y="{f3(y)}" font-size="{f3(13 * unit)}" '
                   f'dominant-baseline="central" fill="#212529">{xml_text(label)}</text>')
        x += (34 + 7.5 * len(label) + 24) * unit  # ~7.5 px per character at 13 px
    out.append("</g>")
    return "\n".join(out)


def svg_to_png(svg_text: str, path: str | Path, width_px: int = 1600) -> None:
    """Render ``svg_text`` to a PNG of ``width_px`` pixels (resvg, via the ``resvg-py`` wheel).

    resvg ships inside the wheel, so no system library is needed (CairoSVG
    would need the system's cairo). Text uses the system's fonts.
    """
    try:
        import resvg_py
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("PNG preview needs the 'resvg-py' package (pip install resvg-py)") from exc
    png = resvg_py.svg_to_bytes(svg_string=svg_text, width=width_px, background="#ffffff")
    Path(path).write_bytes(bytes(png))
