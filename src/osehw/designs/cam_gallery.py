"""The CAM test gallery as a design: sheet parts that exercise every CAM feature
(finger joints and dogbones, arc slots, drilled and helical-bored holes, a
parabolic spline edge, a polygon gusset, a blind gasket-groove pocket).
Built like any design so its G-code goes through the same checks as the node's.
"""

from __future__ import annotations

from dataclasses import replace

import cadquery as cq

from osehw.core.design import Design
from osehw.core.params import DesignParams, param
from osehw.core.solids import exact_box
from osehw.designs import register
from osehw.designs.gallery_parts import gallery_parts


class GalleryParams(DesignParams):
    copies: int = param(1, "count", "multiplies every part's quantity (nesting stress)", ge=1, le=20)
    display_gap: float = param(40.0, "mm", "gap between parts laid out in the assembly", ge=0.0, le=500.0)


@register("cam-gallery", "sheet parts exercising every CAM feature (test gallery)", GalleryParams)
def build(p: GalleryParams) -> Design:  # type: ignore[override]
    parts = [replace(part, quantity=part.quantity * p.copies) for part in gallery_parts()]
    assy = cq.Assembly(name="cam-gallery")
    x = 0.0
    for part in parts:
        xmin, ymin, _, xmax, _, _ = exact_box(part.solid)
        assy.add(part.solid, name=part.name, loc=cq.Location(cq.Vector(x - xmin, -ymin, 0)),
                 color=cq.Color(0.85, 0.7, 0.45))
        x += (xmax - xmin) + p.display_gap
    return Design("cam-gallery", assy, parts, [], [])
