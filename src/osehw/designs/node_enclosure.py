"""The wireless-node enclosure: a sealed, pole-mounted box of CNC-routed sheet panels.

Construction (screwed, so a maker assembles it with a drill and a driver):
- back panel: carries the equipment on its inside face, a gasket groove ring
  under the walls, and flanges above and below the box with U-bolt holes for
  the pole or tower leg (outside the seal);
- four walls standing on the back panel: the two long walls run the full
  length and are screwed into the end walls' edges (joints bedded in sealant);
  the bottom wall carries the cable glands and the breather/drain vent;
- lid: the same groove ring and screw ring as the back panel.
Lid and back are screwed into the walls' edges through holes outside the
groove, so no screw pierces the seal. Pilot holes in panel edges are drilled by
the maker through the clearance holes (edge holes are not 2.5D-routable).

Gasket groove (face-seal gland rule of the O-ring handbooks, e.g. Parker ORD 5700): depth =
cord × (1 − compression); width = ratio × cord; fill = cord area / groove area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cadquery as cq

from osehw import catalog
from osehw.core.design import Design, Load, PurchasedItem, SealedBox, SheetPart
from osehw.core.params import Choices, DesignParams, param
from osehw.core.registry import unknown_message
from osehw.core.solids import (
    box_solid,
    drill_through,
    located,
    plate,
    points_on_rectangle,
    ring_groove,
    single_solid,
)
from osehw.designs import register

SCREW_ID = "screw-m4x30-ss-pt"
SCREW_DIAMETER = 4.0  # M4 thread [mm]
SCREW_CLEARANCE = 4.5  # clearance hole for M4, ISO 273 "medium" [mm]
SCREW_INNER_LAND = 1.0  # material between the inside face and the groove [mm]
SCREW_LAND = 1.0  # material between the groove and the screw thread [mm]
SCREW_EDGE = 1.5  # material between the screw thread and the outside face [mm]
CORNER_SCREW_EDGE = 20.0  # corner screws kept this far from the lid/back screws' reach [mm]
# Smallest inside span, each way [mm]: the wall corner screws need 2 × CORNER_SCREW_EDGE + 10 mm of
# height, and a box narrower than this would have panels barely wider than they are thick (12.7–25.4 mm)
# and no room for a hand or a driver inside.
MIN_INNER = 2 * CORNER_SCREW_EDGE + 10
UBOLT_ID = "ubolt-m8-2in"
UBOLT_THREAD = 8.0  # [mm]
UBOLT_HOLE = 9.0  # clearance for M8, ISO 273 medium [mm]
VENT_ID = "vent-m12-membrane"
# Gland/vent hole [mm] and the locknut's across-corners size [mm] that must clear its
# neighbours and the panels (EN 50262 gland threads, clearance holes +0.3 mm; nut sizes from
# Lapp Skintop data: M20 24 AF, M25 29 AF, M12 15 AF → across corners = AF / cos 30°).
GLANDS = {
    "gland-m20-ip68": (20.3, 24.0 / math.cos(math.radians(30))),
    "gland-m25-ip68": (25.3, 29.0 / math.cos(math.radians(30))),
    VENT_ID: (12.5, 15.0 / math.cos(math.radians(30))),
}
GLAND_GAP = 3.0  # wrench room between locknuts [mm]
CORD_SIZES = {3.0: "gasket-cord-silicone-3mm", 4.0: "gasket-cord-silicone-4mm", 5.0: "gasket-cord-silicone-5mm"}
DEFAULT_EQUIPMENT = ["victron-mppt-75-15", "mikrotik-hex-poe", "fuse-block-6way",
                     "surge-eth-poe", "surge-eth-poe", "surge-eth-poe"]


class EnclosureParams(DesignParams):
    material: str = param("hdpe", "-", "sheet material of every panel, an id in bom/materials")
    wall_thickness: float = param(12.7, "mm", "panel thickness; must be a stock thickness of the material", ge=6.0, le=25.4)
    equipment: list[str] = param(DEFAULT_EQUIPMENT, "-", "equipment inside, ids from bom/equipment.csv")
    equipment_gap: float = param(15.0, "mm", "clear gap around and between equipment", ge=5.0, le=60.0)
    max_inner_length: float = param(420.0, "mm", "longest row of equipment before a new row starts", ge=150.0, le=1200.0)
    cable_clearance: float = param(40.0, "mm", "free space in front of the equipment rows for cables", ge=0.0, le=300.0)
    headroom: float = param(30.0, "mm", "space above the tallest item (cable bends)", ge=10.0, le=300.0)
    inner_length: float = param(0.0, "mm", "inside length; 0 = sized from the contents", ge=0.0, le=1200.0)
    inner_width: float = param(0.0, "mm", "inside width; 0 = sized from the contents", ge=0.0, le=1000.0)
    inner_height: float = param(0.0, "mm", "inside height (back to lid); 0 = sized from the contents", ge=0.0, le=600.0)
    gasket_cord_diameter: float = param(3.0, "mm", "solid silicone cord diameter (3, 4 or 5)", ge=2.0, le=6.0)
    gasket_compression: float = param(0.25, "fraction", "cord squeeze when the lid is down", ge=0.20, le=0.30)
    groove_width_ratio: float = param(1.35, "×cord", "groove width / cord diameter", ge=1.2, le=1.6)
    lid_screw_spacing: float = param(90.0, "mm", "largest gap between lid (and back) screws", ge=40.0, le=200.0)
    m20_glands: int = param(4, "count", "M20x1.5 cable glands in the bottom wall (Ethernet, PV)", ge=0, le=12)
    m25_glands: int = param(1, "count", "M25x1.5 cable glands in the bottom wall (battery)", ge=0, le=8)
    vent: bool = param(True, "-", "membrane breather/drain vent in the bottom wall")
    pole_diameter: float = param(48.3, "mm", "pole or tower-leg outside diameter for the U-bolts", ge=25.0, le=115.0)
    mount_flange: float = param(50.0, "mm", "back-panel flange above and below the box for the U-bolts", ge=30.0, le=150.0)
    ambient_c: float = param(45.0, "degC", "design ambient air temperature for the thermal check", ge=-40.0, le=60.0)
    solar_gain_w: float = param(0.0, "W", "solar heat absorbed (0 with a sun shield)", ge=0.0, le=300.0)

    @classmethod
    def choices(cls) -> dict[str, Choices]:
        """Stock thicknesses of each material, less those no groove and screw ring fits in."""
        materials = tuple(sorted(catalog.materials()))
        thinnest = thinnest_wall(min(CORD_SIZES), cls.model_fields["groove_width_ratio"].metadata[0].ge)
        return {
            "wall_thickness": Choices(by="material", table=tuple(
                (m, tuple(t for t in catalog.stock_thicknesses(m) if t >= thinnest)) for m in materials)),
            "material": Choices(materials),
            "gasket_cord_diameter": Choices(tuple(CORD_SIZES)),
            "equipment": Choices(tuple(sorted(catalog.equipment()))),
        }

    def limits(self) -> dict[str, str]:
        """The cross-field rules below, as what each field accepts with the other values as they are."""
        notes: dict[str, str] = {}
        if self.gasket_cord_diameter in CORD_SIZES:
            d = self.gasket_cord_diameter
            # fill = (π d²/4) / (ratio·d · d(1 − c)) ≤ 0.85  →  ratio ≥ π / (4 · 0.85 · (1 − c))
            notes["groove_width_ratio"] = f"≥ {math.pi / (4 * 0.85 * (1 - self.gasket_compression)):.3f}"
            need = thinnest_wall(d, self.groove_width_ratio)
            notes["wall_thickness"] = f"≥ {need:.2f} mm for groove and screws"
        if self.rules():
            return notes
        need = required_inner(self)
        for name, value in zip(("inner_length", "inner_width", "inner_height"), need):
            notes[name] = f"0 (sized from the contents) or ≥ {value:.1f} mm"
        outer_x = inner_dimensions(self)[0] + 2 * self.wall_thickness
        notes["pole_diameter"] = f"≤ {outer_x - 20 - UBOLT_THREAD - UBOLT_HOLE:.1f} mm for this back panel"
        return notes

    def rules(self) -> list[tuple[str, Any, str]]:
        broken: list[tuple[str, Any, str]] = []
        if self.material not in catalog.materials():
            return [("material", self.material, unknown_message("material", self.material, catalog.materials()))]
        thicknesses = catalog.stock_thicknesses(self.material)
        if all(abs(self.wall_thickness - t) > 0.01 for t in thicknesses):
            listed = ", ".join(f"{t:g}" for t in thicknesses)
            broken.append(("wall_thickness", self.wall_thickness, f"not a stock thickness of {self.material} "
                           f"(bom/materials/{self.material}.yaml has {listed} mm)"))
        known = catalog.equipment()
        for i, eid in enumerate(self.equipment):
            if eid not in known:
                broken.append((f"equipment[{i}]", eid, f"unknown equipment (valid: {', '.join(sorted(known))})"))
        if self.gasket_cord_diameter not in CORD_SIZES:
            broken.append(("gasket_cord_diameter", self.gasket_cord_diameter,
                           f"no such cord in the catalog (valid: {', '.join(f'{d:g}' for d in CORD_SIZES)} mm)"))
        seal = seal_geometry(self)
        if seal.fill > 0.85:
            broken.append(("groove_width_ratio", self.groove_width_ratio,
                           f"cord fills {seal.fill:.0%} of the groove; must be ≤ 85 % (O-ring handbook face-seal rule)"))
        need = thinnest_wall(self.gasket_cord_diameter, self.groove_width_ratio)
        if need > self.wall_thickness + 1e-9:
            broken.append(("wall_thickness", self.wall_thickness,
                           f"too thin for the gasket groove and lid screws side by side: needs ≥ {need:.2f} mm "
                           f"({SCREW_INNER_LAND:g} land + {seal.width:.2f} groove + {SCREW_LAND:g} land + "
                           f"M4 screw + {SCREW_EDGE:g} edge)"))
        if broken:
            return broken
        items = [known[e] for e in self.equipment]
        for i, it in enumerate(items):
            if it.width + 2 * self.equipment_gap > self.max_inner_length:
                broken.append((f"equipment[{i}]", it.id, f"{it.width:g} mm wide: wider than max_inner_length "
                               f"{self.max_inner_length:g} mm less two gaps"))
        if broken:
            return broken
        need_x, need_y, need_z = required_inner(self)
        why = {"inner_length": f" (equipment rows {equipment_extent(self)[0]:.1f}, gland row "
                               f"{gland_row_length(self):.1f})", "inner_width": "", "inner_height": ""}
        for name, need_v, given in (("inner_length", need_x, self.inner_length),
                                    ("inner_width", need_y, self.inner_width),
                                    ("inner_height", need_z, self.inner_height)):
            if given and given + 1e-9 < need_v:
                broken.append((name, given, f"the contents do not fit: need ≥ {need_v:.1f} mm{why[name]}"))
        dims = inner_dimensions(self)
        biggest = max((GLANDS[g][1] for g in gland_ids(self)), default=0.0)
        if biggest + 2 * GLAND_GAP > dims[2]:
            broken.append(("inner_height", dims[2], f"gland locknut ({biggest:.1f} mm across corners) does not "
                           f"fit the inside height"))
        outer_x = dims[0] + 2 * self.wall_thickness
        span = self.pole_diameter + UBOLT_THREAD + UBOLT_HOLE
        if span > outer_x - 20:
            broken.append(("pole_diameter", self.pole_diameter,
                           f"U-bolt holes ({span:.1f} mm apart outside) do not fit the {outer_x:.1f} mm back panel"))
        return broken


@dataclass(frozen=True)
class Seal:
    depth: float  # groove depth [mm]
    width: float  # groove width [mm]
    fill: float  # cord cross-section / groove cross-section [-]
    inset: float  # groove's inner edge outside the inside face [mm]
    screw_offset: float  # screw centre line outside the inside face [mm]


def thinnest_wall(cord: float, groove_width_ratio: float) -> float:
    """Wall thickness [mm] that holds, side by side, a land, the groove, a land, an M4 screw and its edge."""
    return SCREW_INNER_LAND + groove_width_ratio * cord + SCREW_LAND + SCREW_DIAMETER + SCREW_EDGE


def seal_geometry(p: EnclosureParams) -> Seal:
    d = p.gasket_cord_diameter
    depth = d * (1.0 - p.gasket_compression)  # squeeze = (d − depth)/d, O-ring handbook
    width = p.groove_width_ratio * d
    fill = (math.pi * d * d / 4.0) / (width * depth)
    screw_offset = SCREW_INNER_LAND + width + SCREW_LAND + SCREW_DIAMETER / 2
    return Seal(depth, width, fill, SCREW_INNER_LAND, screw_offset)


@dataclass(frozen=True)
class Placed:
    equipment_id: str
    x: float  # min corner, relative to the inside rectangle's min corner [mm]
    y: float
    width: float
    depth: float
    height: float


def layout_equipment(p: EnclosureParams) -> list[Placed]:
    """Shelf packing on the back panel: rows by decreasing depth, each row up to max_inner_length."""
    table = catalog.equipment()
    items = sorted((table[e] for e in p.equipment), key=lambda e: (-e.depth, e.id))
    placed: list[Placed] = []
    gap = p.equipment_gap
    x, y, row_depth = gap, gap, 0.0
    for it in items:
        if x + it.width + gap > p.max_inner_length and x > gap:
            x, y, row_depth = gap, y + row_depth + gap, 0.0
        placed.append(Placed(it.id, x, y, it.width, it.depth, it.height))
        x += it.width + gap
        row_depth = max(row_depth, it.depth)
    return placed


def equipment_extent(p: EnclosureParams) -> tuple[float, float, float]:
    """Inside room the equipment rows need [mm]: length, width (with cable room), height (with headroom)."""
    placed = layout_equipment(p)
    gap = p.equipment_gap
    if not placed:
        return 2 * gap, 2 * gap + p.cable_clearance, p.headroom
    need_x = max(e.x + e.width for e in placed) + gap
    need_y = max(e.y + e.depth for e in placed) + gap + p.cable_clearance
    need_z = max(e.height for e in placed) + p.headroom
    return need_x, need_y, need_z


def required_inner(p: EnclosureParams) -> tuple[float, float, float]:
    """Smallest inside dimensions [mm]: the equipment rows, a bottom wall long enough for the glands,
    and never less than MIN_INNER."""
    need_x, need_y, need_z = equipment_extent(p)
    return max(need_x, round(gland_row_length(p), 3), MIN_INNER), max(need_y, MIN_INNER), max(need_z, MIN_INNER)


def inner_dimensions(p: EnclosureParams) -> tuple[float, float, float]:
    need = required_inner(p)
    given = (p.inner_length, p.inner_width, p.inner_height)
    return tuple(round(g if g else n, 3) for g, n in zip(given, need))  # type: ignore[return-value]


def gland_ids(p: EnclosureParams) -> list[str]:
    return ["gland-m25-ip68"] * p.m25_glands + ["gland-m20-ip68"] * p.m20_glands + ([VENT_ID] if p.vent else [])


def gland_row_length(p: EnclosureParams) -> float:
    corners = [GLANDS[g][1] for g in gland_ids(p)]
    return sum(corners) + GLAND_GAP * (len(corners) + 1)


def gland_positions(p: EnclosureParams) -> list[tuple[str, float]]:
    """(catalog id, x) of each gland along the bottom wall, centred on the wall."""
    ids = gland_ids(p)
    x = -gland_row_length(p) / 2 + GLAND_GAP
    out = []
    for g in ids:
        across = GLANDS[g][1]
        out.append((g, round(x + across / 2, 6)))
        x += across + GLAND_GAP
    return out


@register("node-enclosure", "sealed pole-mounted enclosure for a node's router, charge controller and surge protection",
          EnclosureParams)
def build(p: EnclosureParams) -> Design:  # type: ignore[override]
    t = p.wall_thickness
    ix, iy, iz = inner_dimensions(p)
    ox, oy = ix + 2 * t, iy + 2 * t
    seal = seal_geometry(p)
    ring = points_on_rectangle(ix + 2 * seal.screw_offset, iy + 2 * seal.screw_offset, p.lid_screw_spacing)

    def sealed_panel(size_y: float) -> cq.Workplane:
        panel = drill_through(plate(ox, size_y, t), SCREW_CLEARANCE, ring)
        return panel.cut(ring_groove(ix, iy, seal.inset, seal.width, seal.depth, t))

    lid = sealed_panel(oy)
    back_y = oy + 2 * p.mount_flange
    ubolt_x = (p.pole_diameter + UBOLT_THREAD) / 2
    ubolt_y = oy / 2 + p.mount_flange / 2
    ubolt_pts = [(sx * ubolt_x, sy * ubolt_y) for sy in (-1, 1) for sx in (-1, 1)]
    back = drill_through(sealed_panel(back_y), UBOLT_HOLE, ubolt_pts)

    corner_pts = [(sx * (ix / 2 + t / 2), sy * (iz / 2 - CORNER_SCREW_EDGE)) for sx in (-1, 1) for sy in (-1, 1)]
    wall_top = drill_through(plate(ox, iz, t), SCREW_CLEARANCE, corner_pts)
    wall_bottom = wall_top
    for gid, gx in gland_positions(p):
        wall_bottom = drill_through(wall_bottom, GLANDS[gid][0], [(gx, 0.0)])
    wall_end = plate(iy, iz, t)

    material = p.material
    sheet_parts = [
        SheetPart("back", single_solid(back), material, t, 1, "ENC-BACK", "screwed"),
        SheetPart("lid", single_solid(lid), material, t, 1, "ENC-LID", "screwed"),
        SheetPart("wall-bottom", single_solid(wall_bottom), material, t, 1, "ENC-WALL-B", "screwed"),
        SheetPart("wall-top", single_solid(wall_top), material, t, 1, "ENC-WALL-T", "screwed"),
        SheetPart("wall-end", single_solid(wall_end), material, t, 2, "ENC-WALL-E", "screwed"),
    ]

    assy = cq.Assembly(name="node-enclosure")
    colour = cq.Color(*catalog.material(material).render_colour)
    assy.add(back, name="back", loc=located(back.val()), color=colour)
    assy.add(lid, name="lid", loc=located(lid.val(), rotate_x=180, offset=(0, 0, 2 * t + iz)), color=colour)
    assy.add(wall_top, name="wall-top", loc=located(wall_top.val(), rotate_x=90, offset=(0, iy / 2 + t, t + iz / 2)),
             color=colour)
    assy.add(wall_bottom, name="wall-bottom", loc=located(wall_bottom.val(), rotate_x=90, offset=(0, -iy / 2, t + iz / 2)),
             color=colour)
    for name, x in (("wall-end-1", ix / 2), ("wall-end-2", -ix / 2 - t)):
        assy.add(wall_end, name=name, loc=located(wall_end.val(), rotate_x=90, rotate_z=90, offset=(x, 0, t + iz / 2)),
                 color=colour)
    for i, e in enumerate(layout_equipment(p)):
        box = box_solid(e.width, e.depth, e.height, -ix / 2 + e.x, -iy / 2 + e.y, t)
        assy.add(box, name=f"equipment-{i + 1}-{e.equipment_id}", color=cq.Color(0.2, 0.25, 0.3))

    # Purchased items: screws for two screw rings and four corners × 2, sealant for the wall joints.
    ring_len = 2 * (ix + iy) + 2 * math.pi * (seal.inset + seal.width / 2)  # groove centre line [mm]
    cord_m = math.ceil(2 * ring_len * 1.05 / 100) / 10  # two rings + 5 % for the butt joint, to 0.1 m
    purchased = [
        PurchasedItem(SCREW_ID, 2 * len(ring) + len(corner_pts) * 2, "lid/back into wall edges; walls at corners"),
        PurchasedItem(CORD_SIZES[p.gasket_cord_diameter], cord_m, "lid and back gasket rings"),
        PurchasedItem("sealant-pu-300ml", 1, "bed the wall-to-wall corner joints"),
        PurchasedItem(UBOLT_ID, 2, f"pole Ø{p.pole_diameter:g} mm"),
    ]
    counts: dict[str, int] = {}
    for gid in gland_ids(p) + list(p.equipment):
        counts[gid] = counts.get(gid, 0) + 1
    purchased += [PurchasedItem(k, v) for k, v in sorted(counts.items())]

    table = catalog.equipment()
    heat = sum(table[e].heat_w for e in p.equipment)
    rating = min((table[e].max_ambient_c for e in p.equipment), default=85.0)
    box = SealedBox(outer_x=ox, outer_y=oy, outer_z=iz + 2 * t, material=material, heat_w=heat,
                    solar_gain_w=p.solar_gain_w, rating_c=rating, ambient_c=p.ambient_c)
    dims = {"inner_x": ix, "inner_y": iy, "inner_z": iz, "outer_x": ox, "outer_y": oy, "outer_z": iz + 2 * t,
            "groove_depth": round(seal.depth, 4), "groove_width": round(seal.width, 4), "groove_fill": round(seal.fill, 4),
            "screw_offset": round(seal.screw_offset, 4), "lid_screws": len(ring), "gasket_cord_m": cord_m}
    return Design("node-enclosure", assy, sheet_parts, [], purchased, summary=dims, sealed_box=box,
                  loads=[enclosure_load(sheet_parts, ox, oy, heat)])


# Force coefficient of a flat appurtenance with aspect ratio ≤ 2.5 (TIA-222-G, Table 2-8): the
# effective projected area EPA = Ca · A of the largest face.
FLAT_APPURTENANCE_CA = 1.2


def enclosure_load(sheet_parts: list[SheetPart], outer_x: float, outer_y: float, heat_w: float) -> Load:
    """What the box puts on its pole: the panels' weight (volume × catalog density; equipment
    masses are not in the catalog yet, so they are left out), the wind EPA of its lid face, and
    the heat released inside."""
    mass = sum(part.solid.Volume() * 1e-9 * catalog.material(part.material).density_kg_m3 * part.quantity
               for part in sheet_parts)
    return Load("enclosure", weight_kg=round(mass, 3),
                wind_area_m2=round(FLAT_APPURTENANCE_CA * outer_x * outer_y * 1e-6, 4), heat_w=heat_w)
