"""members/<part>.svg: a shop drawing of each stock part (a leg, a brace, a tab): the bar to length, its end
cuts, and every hole dimensioned from the first end — what a maker marks out before sawing and drilling."""

from __future__ import annotations

import math
from typing import Any

from osehw import catalog
from osehw.core.design import StockPart
from osehw.core.xml_text import xml_text
from osehw.outputs import register

WIDTH = 900.0  # drawing width [px]; the part is scaled along its length to fit
MARGIN = 40.0


def member_svg(part: StockPart) -> str:
    """The part in side view, length along x (scaled to the drawing's width), its depth (OD, leg or width)
    drawn at a fixed 40 px so short and long parts read alike; holes as dashed lines dimensioned from the
    first end. Plain SVG text written in a fixed order: the same part gives the same bytes."""
    profile = catalog.stock_profile(part.profile)
    length = part.length
    scale = (WIDTH - 2 * MARGIN) / length
    top, depth_px = 70.0, 40.0
    cut_a, cut_b = (math.tan(math.radians(c)) * profile.depth * scale for c in part.end_cuts)
    x0, x1 = MARGIN, MARGIN + length * scale
    outline = [(x0, top + depth_px), (x1, top + depth_px), (x1 - cut_b, top), (x0 + cut_a, top)]
    holes = sorted({dia for _, dia in part.holes})
    title = (f"{part.name} x {part.quantity}: {profile.description.split(',')[0]}; end cuts "
             f"{part.end_cuts[0]:g}/{part.end_cuts[1]:g} deg; "
             + (f"{len(part.holes)} holes dia {'/'.join(f'{d:g}' for d in holes)} mm through" if holes
                else "no holes"))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:g}" height="170" viewBox="0 0 {WIDTH:g} 170" '
           'font-family="sans-serif">',
           f'<text x="{MARGIN:g}" y="20" font-size="12">{xml_text(title)}</text>',
           '<polygon points="' + " ".join(f"{x:.2f},{y:.2f}" for x, y in outline)
           + '" fill="#e8ecf2" stroke="#1f4e79" stroke-width="1.2"/>']
    for k, (pos, _dia) in enumerate(part.holes):
        x = x0 + pos * scale
        out.append(f'<line x1="{x:.2f}" y1="{top - 4:g}" x2="{x:.2f}" y2="{top + depth_px + 4:g}" stroke="#b03030" '
                   'stroke-width="0.8" stroke-dasharray="3,2"/>')
        out.append(f'<text x="{x:.2f}" y="{top - 8 - 12 * (k % 2):g}" font-size="9" fill="#b03030" '
                   f'text-anchor="middle">{pos:g}</text>')
    y = top + depth_px + 25
    out.append(f'<line x1="{x0:.2f}" y1="{y:g}" x2="{x1:.2f}" y2="{y:g}" stroke="#000" stroke-width="0.8"/>')
    out += [f'<line x1="{x:.2f}" y1="{y - 5:g}" x2="{x:.2f}" y2="{y + 5:g}" stroke="#000" stroke-width="0.8"/>'
            for x in (x0, x1)]
    out.append(f'<text x="{(x0 + x1) / 2:.2f}" y="{y + 18:g}" font-size="11" text-anchor="middle">'
               f'{length:g} mm long point to long point; hole positions from the left end [mm]</text>')
    out.append("</svg>\n")
    return "\n".join(out)


def drawing_name(part: StockPart) -> str:
    return part.name.replace("/", "__")


@register("member-drawings", files=("members/<part>.svg",),
          applies=lambda result: bool(result.design is not None and result.design.all_stock_parts()),
          reads_solids=False)
def write(result: Any, stage: Any) -> dict[str, Any]:
    names = []
    for part in sorted(result.design.all_stock_parts(), key=lambda p: p.name):
        path = stage.file(f"members/{drawing_name(part)}.svg")
        path.write_text(member_svg(part), encoding="utf-8")
        names.append(path.name)
    return {"member_drawings": names}
