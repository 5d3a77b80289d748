"""Guys for the lattice tower (``support: guyed``): levels, anchors, the guys in the frame, their brackets and
hardware.

A guyed tower keeps one face width from base to top. At each guy level three guys run from the legs, at 120°, to
three anchors on a circle of radius ``guy_radius`` × the lattice height, each anchor straight out from its leg
(all levels of one leg to the same anchor, one hole each of its equalizer plate). Each guy is EHS strand (``bom/guy_strands.csv``) with a thimble and
three wire-rope clips at each end and a turnbuckle at the anchor, tightened to ``guy_tension_pct`` of the strand's
breaking strength (TIA-222-H recommends 10 %). At the leg a screw-pin shackle joins the guy's thimble to a
bracket plate routed from aluminium plate and through-bolted across the leg with two M10 bolts at the panel point.
The base stays as the self-supporting tower's: each leg pinned on its base plate.

The structure analysis (``analyses/structure.py``) models each guy as a tension-only bar with its initial tension
and checks it against φ·Tb, and each anchor's uplift against a concrete deadman.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

from osehw.catalog.guys import guy_strand
from osehw.core.design import PurchasedItem, SheetPart
from osehw.core.frame import Frame, Guy
from osehw.core.solids import drill_through, plate, single_solid

if TYPE_CHECKING:
    from osehw.designs.tower import _Builder

BRACKET_WIDTH = 60.0  # [mm]
BRACKET_LENGTH = 140.0  # two leg bolts 40 mm apart and the guy hole 50 mm beyond, edges 2·D [mm]
GUY_HOLE = 14.0  # for the 1/2 in shackle pin or turnbuckle jaw pin [mm]
CLIPS_PER_END = 3  # wire-rope clips per termination (2 is the wire-rope minimum for 1/4 in; 3 on strand)
ANCHOR_PITCH = 50.0  # holes of an anchor's equalizer plate, one per guy level, radially apart [mm]
TERMINATION = 600.0  # strand per guy beyond the chord: two thimble wraps and clip tails, less the turnbuckle [mm]
G = 9.80665


def guy_heights(b: _Builder) -> list[float]:
    """Guy levels [mm]: ``guy_levels`` equally spaced up to the lattice top, each at its nearest panel point."""
    p = b.p
    panel = p.section_length / p.panels_per_section
    n = p.guy_levels
    return sorted({max(1, round(b.height * k / n / panel)) * panel for k in range(1, n + 1)})


def anchor_xy(b: _Builder, leg: int, level: int = 1) -> tuple[float, float]:
    """Where the level's guy from leg ``leg`` meets its anchor: on the guy circle straight out from the leg, each
    level one hole of the anchor's equalizer plate (ANCHOR_PITCH) further out."""
    r = b.p.guy_radius * b.height + (level - 1) * ANCHOR_PITCH
    a = math.radians(90.0 + 120.0 * leg)
    return round(r * math.cos(a), 4), round(r * math.sin(a), 4)


def guys(b: _Builder) -> tuple[dict[str, tuple[float, float, float]], list[Guy]]:
    """The anchor nodes (one per guy, coincident per anchor) and the guys, top level last."""
    p = b.p
    strand = guy_strand(p.guy_strand)
    nodes: dict[str, tuple[float, float, float]] = {}
    out = []
    for level, z in enumerate(guy_heights(b), start=1):
        for leg in range(3):
            anchor = f"ANCHOR{leg}-G{level}"
            nodes[anchor] = (*anchor_xy(b, leg, level), 0.0)
            out.append(Guy(f"guy-G{level}-leg{leg}", b.leg_node(leg, z), anchor, strand.id, strand.area,
                           strand.modulus_mpa, strand.breaking_strength_n, strand.weight_kg_per_m * G / 1000.0,
                           strand.diameter, p.guy_tension_pct / 100.0 * strand.breaking_strength_n))
    return nodes, out


def guy_bracket(thickness: float) -> SheetPart:
    """The bracket a guy's shackle pins to: a plate laid along the leg, through-bolted across it twice."""
    solid = plate(BRACKET_WIDTH, BRACKET_LENGTH, thickness)
    y0 = -BRACKET_LENGTH / 2
    solid = drill_through(solid, 11.0, [(0.0, y0 + 20.0), (0.0, y0 + 60.0)])
    solid = drill_through(solid, GUY_HOLE, [(0.0, y0 + 110.0)])
    return SheetPart("guy-bracket", single_solid(solid), "aluminium-6061", thickness, 0, "GUY", "screwed")


def guyed(b: _Builder, frame: Frame, plates: list[SheetPart], purchased: list[PurchasedItem]
          ) -> tuple[Frame, list[SheetPart], list[PurchasedItem], dict[str, Any]]:
    """The guyed variant of a built tower: guys and anchors added to the frame (gust factor of a guyed mast), the
    guy brackets to the plates, strand and hardware to the purchased items; and a summary of the guying."""
    anchors, lines = guys(b)
    frame = dataclasses.replace(frame, nodes={**frame.nodes, **anchors}, guys=lines, structure="guyed")
    lengths = [math.dist(frame.nodes[g.mast_node], frame.nodes[g.anchor_node]) for g in lines]
    bracket = dataclasses.replace(guy_bracket(b.p.plate_thickness), quantity=len(lines))
    by_level = sorted({round(v / 1000, 2) for v in lengths})
    strand_m = math.ceil(sum(v + TERMINATION for v in lengths) / 100.0) / 10.0
    n = len(lines)
    extra = [PurchasedItem(b.p.guy_strand, strand_m, "guy strand: chords " + ", ".join(f"{v:.2f} m × 3" for v in
                                                                                     by_level)
                           + f", each + {TERMINATION / 1000:g} m for its two terminations"),
             PurchasedItem("turnbuckle-1-2x9-je", n, "one per guy at its anchor"),
             PurchasedItem("thimble-guy-1-4", 2 * n, "one at each end of each guy"),
             PurchasedItem("clip-guy-1-4", 2 * CLIPS_PER_END * n, f"{CLIPS_PER_END} per guy end"),
             PurchasedItem("shackle-1-2-screwpin", n, "one per guy, its thimble to the leg's bracket"),
             PurchasedItem("anchor-rod-guy-5-8", 3, "one per anchor, cast in its concrete deadman")]
    purchased = [dataclasses.replace(item, quantity=item.quantity + 2 * n, note=item.note + "; two per guy bracket")
                 if item.catalog_id == "bolt-m10x80-ss-set" else item for item in purchased]
    summary = {"support": "guyed", "guy_levels_m": [round(z / 1000, 3) for z in guy_heights(b)],
               "guy_radius_m": round(b.p.guy_radius * b.height / 1000, 3), "guy_strand_m": strand_m}
    return frame, plates + [bracket], purchased + extra, summary
