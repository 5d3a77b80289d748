"""Joint fit: which cut edges of a part get a joint's clearance, and how much.

A SheetPart's ``fit`` class names a clearance per side, :data:`FIT_ALLOWANCE`
(WikiHouse insets its slot joints 0.25 mm; a screwed butt joint needs none). It
is given to the features that *receive* another part, never to the part's whole
outline: edges that mate with nothing, and the convex features that enter a
slot (tabs, tenons, finger tips), are cut true. With allowance ``a``:

- **a through slot that receives a part** (``InsideCut.receives_part``:
  rectangular, its width the stock thickness) grows by ``a`` on every side.
  The mating part enters with its uncut sheet faces (and a tab cut true), so
  the clearance is ``a`` per side.
- **a notch in the outline** — a piece of the outline's convex hull less the
  outline that fills ≥ 95 % of its minimum rotated rectangle — is
  - an *edge slot* (egg-crate, half-lap) when its mouth is the stock
    thickness wide: it grows by ``a`` per side, for the same reason as a slot;
  - a *finger-joint notch* when it is the stock thickness deep (it takes the
    mating part's finger, whose length is that part's thickness): it grows by
    ``a/2`` per side. Its sides are also the sides of this part's own fingers,
    which lose ``a/2`` each; with a mating part cut to the same rule, its finger
    is ``a/2`` narrower per side too, so the joint's clearance is ``a`` per
    side, not ``2a`` as when both parts' whole outlines were inset.
  - anything else (an L's inside corner, a wide recess): cut true.

"Equals the stock thickness" is the recogniser's rule for receiving slots:
within ``SLOT_WIDTH_TOLERANCE`` (sheet parts of one design are cut from the
same stock). A notch at a corner of the part (open on two sides) is not inside
the convex hull and is cut true; draw such a joint as fingers instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import shapely
from shapely.geometry import Polygon

from osehw.cam.recognise.features import InsideCut, PartFeatures
from osehw.cam.recognise.solid import SLOT_WIDTH_TOLERANCE

FIT_ALLOWANCE = {"none": 0.0, "screwed": 0.0, "slot": 0.25}
"""Clearance per side [mm] of each joint by fit class (WikiHouse slot joints: 0.25 mm)."""

_RECTANGULAR = 0.95  # a notch fills at least this share of its minimum rotated rectangle
_MIN_AREA = 1e-3  # [mm²] smaller pieces of hull − outline are float noise


@dataclass(frozen=True)
class Notch:
    """A notch of the outline that receives a part: its region, mouth width and depth [mm]."""

    region: Polygon
    mouth: float  # width where it opens on the outline's convex hull
    depth: float  # area / mouth
    kind: Literal["edge_slot", "finger"]

    def widening(self, allowance: float) -> float:
        """How far [mm] each of its walls moves back: ``a`` for an edge slot, ``a/2`` for a finger notch."""
        return allowance if self.kind == "edge_slot" else allowance / 2.0


def outline_notches(features: PartFeatures) -> list[Notch]:
    """The notches of the outline that receive another part, ordered by position (see the module rules)."""
    outline, t = features.outline, features.thickness
    hull = outline.convex_hull
    rim = hull.exterior
    out = []
    for piece in shapely.get_parts(hull.difference(outline)):
        if not isinstance(piece, Polygon) or piece.area < _MIN_AREA:
            continue
        if piece.area < _RECTANGULAR * piece.minimum_rotated_rectangle.area:
            continue
        mouth = _length_on(piece.exterior, rim)
        if mouth <= 0.0:
            continue
        depth = piece.area / mouth
        if abs(mouth - t) <= SLOT_WIDTH_TOLERANCE:
            out.append(Notch(piece, mouth, depth, "edge_slot"))
        elif abs(depth - t) <= SLOT_WIDTH_TOLERANCE:
            out.append(Notch(piece, mouth, depth, "finger"))
    return sorted(out, key=lambda n: (round(n.region.centroid.y, 3), round(n.region.centroid.x, 3)))


def _length_on(ring: shapely.LinearRing, rim: shapely.LinearRing, tol: float = 1e-6) -> float:
    """Length of the edges of ``ring`` that lie on ``rim`` (both ends and the middle within ``tol``)."""
    pts = list(ring.coords)
    total = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        mid = ((x0 + x1) / 2, (y0 + y1) / 2)
        if all(rim.distance(shapely.Point(p)) <= tol for p in ((x0, y0), (x1, y1), mid)):
            total += ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    return total


def fitted_outline(features: PartFeatures, allowance: float) -> Polygon:
    """The outline as cut: its receiving notches widened, every other edge true."""
    if not allowance:
        return features.outline
    grown = [n.region.buffer(n.widening(allowance), join_style="mitre") for n in outline_notches(features)]
    if not grown:
        return features.outline
    cut = features.outline.difference(shapely.union_all(grown))
    parts = [g for g in shapely.get_parts(cut) if isinstance(g, Polygon)]
    return max(parts, key=lambda g: g.area)  # widening never splits a part: its notches are on the rim


def fitted_opening(cut: InsideCut, allowance: float) -> Polygon:
    """A through opening as cut: grown by the allowance if it receives a part, else true."""
    return cut.region.buffer(allowance, join_style="mitre") if allowance and cut.receives_part else cut.region


def _width(poly: Polygon) -> tuple[float, float]:
    rect = poly.minimum_rotated_rectangle
    xs, ys = rect.exterior.coords.xy
    sides = sorted(((xs[i + 1] - xs[i]) ** 2 + (ys[i + 1] - ys[i]) ** 2) ** 0.5 for i in range(2))
    return sides[0], sides[1]


def clearance_notes(features: PartFeatures, fit: str, allowance: float) -> list[str]:
    """One line per kind of joint on the part: nominal → cut size and the clearance per side."""
    if not allowance:
        return []
    head = f"{features.label or features.part}: fit '{fit}' ({allowance:g} mm per side on mating features only)"
    lines = []
    for cut in features.inside_cuts:
        if cut.receives_part:
            w, length = _width(cut.region)
            lines.append(f"slot '{cut.name}' {w:.2f} × {length:.2f} mm cut {w + 2 * allowance:.2f} × "
                         f"{length + 2 * allowance:.2f} mm: {allowance:g} mm clearance per side")
    notches = outline_notches(features)
    for kind in ("edge_slot", "finger"):
        group = [n for n in notches if n.kind == kind]
        if not group:
            continue
        w = group[0].widening(allowance)
        mouths = sorted({round(n.mouth, 2) for n in group})
        sizes = ", ".join(f"{m:.2f} → {m + 2 * w:.2f}" for m in mouths)
        if kind == "edge_slot":
            lines.append(f"{len(group)} edge slot(s) {sizes} mm wide: {allowance:g} mm clearance per side")
        else:
            lines.append(f"{len(group)} finger notch(es) {sizes} mm wide, the fingers beside them {w:g} mm "
                         f"narrower per side: {w:g} mm clearance per side against a true-cut finger, "
                         f"{allowance:g} mm against a part cut to the same rule")
    lines.append("outside edges, tabs and finger tips cut true")
    return [f"{head}: " + "; ".join(lines)]


__all__ = ["FIT_ALLOWANCE", "Notch", "clearance_notes", "fitted_opening", "fitted_outline", "outline_notches"]
