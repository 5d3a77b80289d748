"""A pipe-mount bracket for a dish or a sector antenna: two routed aluminium plates, two U-bolts, two bolts.

Construction (bolted; welding 6061-T6 drops its yield in the heat-affected zone, ADM Table A.3.4):
- the **pipe plate** lies against the pipe (a tower leg or mast): two U-bolts clamp it, their legs through
  four holes spaced to the U-bolt's inside width plus its rod diameter. **Azimuth**: loosen the U-bolts and
  the whole bracket turns on the pipe (360°); tighten them to hold it.
- beside the pipe the plate carries the **pivot** hole and an **arc slot** of radius ``slot_radius``
  centred on the pivot, its centreline running from ``elevation_min`` to ``elevation_max`` (0° = the arm
  horizontal);
- the **tilt arm** lies on the pipe plate: a hole on the pivot, the adjuster hole at ``slot_radius`` (its
  bolt runs in the slot) and two holes for the antenna's own bracket (drilled to match). **Elevation**:
  loosen the two bolts, swing the arm about the pivot over the slot's range, tighten.

Plate outlines are the convex hull of the bolt centres (and the slot's centreline) grown by an edge margin
of 2·D + 2 mm, D the largest bolt's nominal diameter: ADM 2015 J.3.5 asks ≥ 1.5·D from a fastener's centre
to an edge, and the bearing strength 2·Fu·D·t of J.3.7 (``physics/connections.py``) needs ≥ 2·D; AISC 360-16
Table J3.4M asks less (1.3-1.4·D for M16-M24). The built plates are measured back (edge distance of
every hole and of the whole slot centreline; the slot's arc centre and span) and the result is a finding.

The mount declares its load for the carrier: the antenna's weight and EPA = Ka·Ca·A (TIA-222-H §2.6.11.2,
``physics/wind.py``), Ca the dish's drag coefficient from ``bom/dishes.csv`` or, for a sector, the flat
appurtenance's Ca by aspect ratio (TIA-222-H Table 2-8); plus the plates' own weight.

Its strength under that antenna's TIA-222-H wind (``physics/pipe_mount.py``): U-bolt clamp slip, the pivot and
slot bolts, plate bending; one finding each. A tower carrying the mount fills in its height and wind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import cadquery as cq

from osehw import catalog
from osehw.catalog.radios import dish, dishes
from osehw.core.design import Design, Load, PurchasedItem, SheetPart
from osehw.core.findings import Finding
from osehw.core.params import Choices, DesignParams, param
from osehw.core.registry import unknown_message
from osehw.core.solids import arc_slot, single_solid
from osehw.designs import register
from osehw.physics.aluminium import ALLOYS
from osehw.physics.pipe_mount import (
    MountGeometry,
    mount_checks,
    preload_n,
    tightening_torque_nm,
)
from osehw.physics.wind import KD, appurtenance_epa_m2, flat_plate_ca, ke_elevation, kz

MATERIAL = "aluminium-6061"
SMALLEST_TOOL = 3.175  # [mm] the smallest end mill shipped (cam/tools/em-3.175-2f-up.yaml): a narrower slot cannot be cut
PIVOT_BOLT = 10.0  # M10 pivot and adjuster bolts [mm]
ANTENNA_BOLT = 8.0  # M8 bolts to the antenna's own bracket [mm]
# clearance holes, ISO 273 medium series: M8 → 9, M10 → 11 [mm]
CLEARANCE = {8.0: 9.0, 10.0: 11.0}
EDGE_FACTOR = 2.0  # edge distance ≥ 2·D (ADM 2015 J.3.5 minimum 1.5·D; J.3.7 full bearing 2·D)
EDGE_MARGIN_EXTRA = 2.0  # [mm] added to 2·D in the outline, so routing tolerance never takes it below 2·D
UBOLT_PITCH = 120.0  # [mm] between the two U-bolts along the pipe
ANTENNA_OFFSET = 60.0  # [mm] adjuster hole to the first antenna hole along the arm
ANTENNA_PITCH = 80.0  # [mm] between the two antenna holes
ARC_STEP = 2.0  # [deg] slot centreline samples for the outline's hull
PIVOT_BOLT_ID = "bolt-m10x40-ss-set"
ANTENNA_BOLT_ID = "bolt-m8x40-ss-set"
ALLOY = "6061-T6"  # plates routed from aluminium-6061 sheet, T6 temper (strength from ADM Table A.3.4)
G = 9.80665  # [m/s²]
DEAD_FACTOR, WIND_FACTOR = 1.2, 1.0  # TIA-222-H §2.3.2 strength combination 1.2D + 1.0W


@dataclass(frozen=True)
class UBolt:
    """A U-bolt: rod diameter, the U's inside width (the largest pipe it takes) and the smallest pipe it
    clamps [mm]. Estimates: the inside width is the largest pipe the ``bom/catalog.csv`` row names plus
    1 mm, not read from a maker's drawing; check the U-bolt bought against it before drilling."""

    rod: float
    inside: float
    min_od: float

    @property
    def leg_spacing(self) -> float:
        """Centre to centre of the two legs: the inside width plus one rod diameter."""
        return self.inside + self.rod

    def fits(self, pipe_od: float) -> bool:
        """The pipe sits in the U with at least 1 mm side clearance and is not smaller than it clamps."""
        return self.min_od <= pipe_od <= self.inside - 1.0


UBOLTS = {
    "ubolt-m8-1.5in": UBolt(8.0, 49.0, 33.0),  # 1 in .. 1-1/2 in pipe (33.4 .. 48.3 mm OD)
    "ubolt-m8-2in": UBolt(8.0, 61.0, 48.0),  # 48 .. 60 mm pipe (bom/catalog.csv)
    "ubolt-m10-3in": UBolt(10.0, 90.0, 60.0),  # 2 in .. 3 in pipe (60.3 .. 88.9 mm OD)
}


def ubolt_for(pipe_od: float) -> str | None:
    """The smallest catalogued U-bolt that fits the pipe, or None."""
    fitting = [k for k, u in sorted(UBOLTS.items(), key=lambda kv: kv[1].inside) if u.fits(pipe_od)]
    return fitting[0] if fitting else None


def _round_tubes() -> dict[str, float]:
    """Round tube and pipe profiles of bom/stock_profiles.csv (tower legs, masts) → OD [mm]."""
    return {k: v.size_a for k, v in sorted(catalog.stock_profiles().items()) if v.shape == "round_tube"}


def _fitting(pipe_od: float) -> tuple[str, ...]:
    return tuple(k for k, u in sorted(UBOLTS.items()) if u.fits(pipe_od))


class MountParams(DesignParams):
    antenna: Literal["dish", "sector"] = param("dish", "-", "what the bracket carries")
    dish: str = param("rocketdish-5g34", "-", "the dish (antenna: dish), an id in bom/dishes.csv")
    sector_length: float = param(700.0, "mm", "sector antenna length (antenna: sector; the datasheet's; a "
                                 "typical 5 GHz 120° sector is about 700 mm)", ge=200.0, le=2500.0)
    sector_width: float = param(150.0, "mm", "sector antenna width facing the wind", ge=50.0, le=500.0)
    sector_weight_kg: float = param(6.0, "kg", "sector antenna weight (the datasheet's; 6 kg an estimate)",
                                    ge=0.5, le=40.0)
    pipe: str = param("pipe-6061-73.0x5.16", "-", "the pipe or leg it clamps, a round tube in "
                      "bom/stock_profiles.csv (the tower's mast: pipe-6061-73.0x5.16)")
    ubolt: str = param("auto", "-", "U-bolt, an id in the mount's U-bolt table that fits the pipe, or auto: the "
                       "smallest that fits")
    elevation_min: float = param(-15.0, "deg", "lowest elevation the slot allows (down-tilt)", ge=-45.0, le=0.0)
    elevation_max: float = param(15.0, "deg", "highest elevation the slot allows (up-tilt)", ge=2.0, le=45.0)
    slot_radius: float = param(100.0, "mm", "slot centreline radius about the pivot", ge=60.0, le=200.0)
    slot_width: float = param(11.0, "mm", "arc slot width: at least the M10 adjuster bolt's clearance (11, ISO 273 "
                              "medium)", ge=11.0, le=20.0)
    plate_thickness: float = param(12.7, "mm", "plate thickness; a stock thickness of aluminium-6061 (12.7: a "
                                   "1 m dish's wind bends a 6.35 mm arm past its plastic moment)", ge=3.0, le=12.7)
    count: int = param(1, "-", "identical mounts", ge=1, le=6)
    height: float = param(0.0, "mm", "antenna centre above the carrier's base (where the tower places it)",
                          ge=0.0, le=100000.0)
    # --- the wind the bracket is checked for (TIA-222-H; a tower passes its own) ---
    wind_speed_m_s: float = param(51.4, "m/s", "basic wind speed, 3-s gust (TIA-222-H; 115 mph)", ge=20.0, le=90.0)
    exposure: Literal["B", "C", "D"] = param("C", "-", "terrain exposure category (TIA-222-H 2.6.5.1)")
    kzt: float = param(1.0, "-", "topographic factor Kzt at the antenna (TIA-222-H 2.6.6; 1 on flat ground)",
                       ge=1.0, le=4.0)
    ground_elevation_m: float = param(0.0, "m", "site elevation above sea level (Ke)", ge=-100.0, le=5000.0)
    gust_factor: float = param(1.0, "-", "gust effect factor Gh of the carrying structure (TIA-222-H 2.6.7; "
                               "1.0 its upper bound)", ge=0.85, le=1.2)

    @classmethod
    def choices(cls) -> dict[str, Choices]:
        pipes = {k: od for k, od in _round_tubes().items() if _fitting(od)}
        return {"dish": Choices(tuple(sorted(dishes()))), "pipe": Choices(tuple(pipes)),
                "ubolt": Choices(by="pipe", table=tuple((k, ("auto",) + _fitting(od)) for k, od in pipes.items())),
                "plate_thickness": Choices(tuple(catalog.stock_thicknesses(MATERIAL)))}

    @property
    def pipe_od(self) -> float:
        return catalog.stock_profile(self.pipe).size_a

    def rules(self) -> list[tuple[str, Any, str]]:
        broken: list[tuple[str, Any, str]] = []
        if self.dish not in dishes():
            broken.append(("dish", self.dish, unknown_message("dish", self.dish, dishes())))
        tubes = _round_tubes()
        if self.pipe not in tubes:
            broken.append(("pipe", self.pipe, unknown_message("round tube profile", self.pipe, tubes)))
        if self.ubolt != "auto" and self.ubolt not in UBOLTS:
            broken.append(("ubolt", self.ubolt, unknown_message("U-bolt", self.ubolt, UBOLTS)))
        thicknesses = catalog.stock_thicknesses(MATERIAL)
        if all(abs(self.plate_thickness - t) > 0.01 for t in thicknesses):
            broken.append(("plate_thickness", self.plate_thickness, f"not a stock thickness of {MATERIAL} "
                           f"({', '.join(f'{t:g}' for t in thicknesses)} mm)"))
        if broken:
            return broken
        od = self.pipe_od
        if not _fitting(od):
            ranges = ", ".join(f"{k} {u.min_od:g}-{u.inside - 1:g}" for k, u in UBOLTS.items())
            broken.append(("pipe", self.pipe, f"no U-bolt fits its {od:g} mm OD ({ranges} mm)"))
        elif self.ubolt != "auto" and not UBOLTS[self.ubolt].fits(od):
            u = UBOLTS[self.ubolt]
            broken.append(("ubolt", self.ubolt, f"fits pipes of {u.min_od:g}-{u.inside - 1:g} mm OD, not "
                           f"{self.pipe}'s {od:g} mm"))
        return broken


@dataclass(frozen=True)
class Layout:
    """Hole centres of both plates, in each plate's own frame [mm].

    Pipe plate: the pipe's axis along y at x = 0, the U-bolts at y = ±UBOLT_PITCH/2, the pivot at
    (``pivot_x``, 0), the slot centreline the arc of ``slot_radius`` about the pivot from ``elevation_min``
    to ``elevation_max`` (angles from +x, counter-clockwise). Tilt arm: the pivot at the origin, the arm
    along +x (elevation 0).
    """

    ubolt_id: str
    ubolt_holes: tuple[tuple[float, float], ...]
    ubolt_hole: float
    pivot_x: float
    slot_radius: float
    slot_width: float
    elevation: tuple[float, float]
    margin: float
    arm_holes: tuple[tuple[float, float, float], ...]  # (x, y, diameter)

    def slot_centreline(self, step: float = ARC_STEP, circumscribe: bool = False) -> list[tuple[float, float]]:
        """Points on the slot's centreline every ≤ ``step`` degrees; with ``circumscribe`` the vertices of the
        polygon whose sides touch the arc (radius r / cos(h/2)), so a hull of them holds the whole arc."""
        a0, a1 = self.elevation
        n = max(2, math.ceil((a1 - a0) / step) + 1)
        r = self.slot_radius / math.cos(math.radians((a1 - a0) / (n - 1) / 2)) if circumscribe else self.slot_radius
        return [(self.pivot_x + r * math.cos(math.radians(a0 + (a1 - a0) * i / (n - 1))),
                 r * math.sin(math.radians(a0 + (a1 - a0) * i / (n - 1)))) for i in range(n)]


def layout(p: MountParams) -> Layout:
    uid = p.ubolt if p.ubolt != "auto" else ubolt_for(p.pipe_od)
    assert uid is not None, "rules() refuses a pipe no U-bolt fits"
    u = UBOLTS[uid]
    margin = EDGE_FACTOR * max(PIVOT_BOLT, u.rod) + EDGE_MARGIN_EXTRA
    sx = u.leg_spacing / 2
    holes = tuple((x, y) for y in (-UBOLT_PITCH / 2, UBOLT_PITCH / 2) for x in (-sx, sx))
    # the pivot two margins beyond the U-bolt legs: the arm's edge clears the U-bolt nuts
    pivot_x = round(sx + 2 * margin, 3)
    r = p.slot_radius
    arm = ((0.0, 0.0, CLEARANCE[PIVOT_BOLT]), (r, 0.0, CLEARANCE[PIVOT_BOLT]),
           (r + ANTENNA_OFFSET, 0.0, CLEARANCE[ANTENNA_BOLT]),
           (r + ANTENNA_OFFSET + ANTENNA_PITCH, 0.0, CLEARANCE[ANTENNA_BOLT]))
    return Layout(uid, holes, CLEARANCE[u.rod], pivot_x, r, p.slot_width, (p.elevation_min, p.elevation_max),
                  margin, arm)


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set((round(x, 6), round(y, 6)) for x, y in points))

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for pt in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], pt) <= 0:
            lower.pop()
        lower.append(pt)
    for pt in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], pt) <= 0:
            upper.pop()
        upper.append(pt)
    return lower[:-1] + upper[:-1]


def _outline(points: list[tuple[float, float]], margin: float, t: float) -> cq.Solid:
    """The convex hull of ``points`` grown by ``margin`` (round corners), as a plate from z = 0 to t."""
    hull = _hull(points)
    if len(hull) < 3:  # collinear centres (the arm): a stadium of width 2·margin around the line
        (x0, y0), (x1, y1) = hull[0], hull[-1]
        length, angle = math.dist(hull[0], hull[-1]), math.degrees(math.atan2(y1 - y0, x1 - x0))
        return (cq.Workplane("XY").center((x0 + x1) / 2, (y0 + y1) / 2)
                .slot2D(length + 2 * margin, 2 * margin, angle).extrude(t).val())
    wire = cq.Wire.makePolygon([cq.Vector(x, y, 0) for x, y in hull], close=True).offset2D(margin, "arc")[0]
    return cq.Solid.extrudeLinear(cq.Face.makeFromWires(wire), cq.Vector(0, 0, t))


def _cylinder(x: float, y: float, d: float, t: float) -> cq.Solid:
    return cq.Solid.makeCylinder(d / 2, t + 2.0, cq.Vector(x, y, -1.0))


def pipe_plate(lay: Layout, t: float) -> cq.Solid:
    """The plate the U-bolts clamp to the pipe, with the pivot hole and the elevation slot."""
    pivot = (lay.pivot_x, 0.0)
    body: cq.Shape = _outline(list(lay.ubolt_holes) + [pivot] + lay.slot_centreline(circumscribe=True), lay.margin, t)
    cutters = [_cylinder(x, y, lay.ubolt_hole, t) for x, y in lay.ubolt_holes]
    cutters.append(_cylinder(*pivot, CLEARANCE[PIVOT_BOLT], t))
    cutters.append(arc_slot(*pivot, lay.slot_radius, lay.slot_width, *lay.elevation, t))
    for c in cutters:
        body = body.cut(c)
    return single_solid(body.clean())


def tilt_arm(lay: Layout, t: float) -> cq.Solid:
    """The arm that swings about the pivot: pivot, adjuster and the antenna's two bolt holes."""
    body: cq.Shape = _outline([(x, y) for x, y, _ in lay.arm_holes], lay.margin, t)
    for x, y, d in lay.arm_holes:
        body = body.cut(_cylinder(x, y, d, t))
    return single_solid(body.clean())


# --- measuring the built plates back (independent of how the outline was made) -------------------------------

def _bottom_face(solid: cq.Shape) -> cq.Face:
    return max((f for f in solid.Faces() if f.geomType() == "PLANE" and abs(f.Center().z) < 1e-6),
               key=lambda f: f.Area())


def edge_distance(solid: cq.Shape, points: list[tuple[float, float]]) -> float:
    """The least distance [mm] from any of ``points`` (bolt centres) to the plate's outer edge."""
    outer = _bottom_face(solid).outerWire()
    return min(cq.Vertex.makeVertex(x, y, 0.0).distance(outer) for x, y in points)


def slot_arcs(solid: cq.Shape) -> list[tuple[tuple[float, float], float]]:
    """Circular edges of the bottom face's openings that are not round holes, as (centre, radius): the
    slot's two long sides and its two round ends."""
    out = []
    for wire in _bottom_face(solid).innerWires():
        edges = wire.Edges()
        if len(edges) == 1:
            continue  # a round hole (one closed circle)
        out += [((e.arcCenter().x, e.arcCenter().y), e.radius()) for e in edges if e.geomType() == "CIRCLE"]
    return out


def slot_check(solid: cq.Shape) -> tuple[tuple[float, float], float, float, float, float]:
    """The slot as built: (centre of its long sides, centreline radius, the centreline's start and end angle
    about that centre [deg], width [mm]). The two smallest arcs are the round ends (radius w/2 < r − w/2);
    the centreline's ends are their centres."""
    arcs = sorted(slot_arcs(solid), key=lambda a: a[1])
    if len(arcs) != 4:
        raise ValueError(f"expected one arc slot of four arcs, found {len(arcs)} arcs")
    ends, (inner, outer) = arcs[:2], arcs[2:]
    (cx, cy), r_in, r_out = inner[0], inner[1], outer[1]
    end_angles = sorted(math.degrees(math.atan2(e[0][1] - cy, e[0][0] - cx)) for e in ends)
    return (cx, cy), (r_in + r_out) / 2, end_angles[0], end_angles[-1], r_out - r_in


def mount_findings(name: str, plate: cq.Shape, arm: cq.Shape, lay: Layout) -> tuple[list[Finding], dict[str, Any]]:
    """Edge distances of every bolt centre (and the slot's whole centreline) against 2·D, and the slot's
    measured arc against the elevation range it must cover."""
    u = UBOLTS[lay.ubolt_id]
    need = {"ubolt": EDGE_FACTOR * u.rod, "pivot": EDGE_FACTOR * PIVOT_BOLT, "slot": EDGE_FACTOR * PIVOT_BOLT,
            "arm": EDGE_FACTOR * PIVOT_BOLT, "antenna": EDGE_FACTOR * ANTENNA_BOLT}
    have = {"ubolt": edge_distance(plate, list(lay.ubolt_holes)),
            "pivot": edge_distance(plate, [(lay.pivot_x, 0.0)]),
            "slot": edge_distance(plate, lay.slot_centreline(0.5)),
            "arm": edge_distance(arm, [(x, y) for x, y, d in lay.arm_holes if d == CLEARANCE[PIVOT_BOLT]]),
            "antenna": edge_distance(arm, [(x, y) for x, y, d in lay.arm_holes if d == CLEARANCE[ANTENNA_BOLT]])}
    findings = []
    for key in sorted(need):
        if have[key] < need[key] - 1e-6:
            findings.append(Finding("MOUNT_EDGE_DISTANCE", "error", f"{name}/{key}",
                                    f"{key} bolt centre {have[key]:.1f} mm from the plate edge, under 2·D = "
                                    f"{need[key]:g} mm (ADM 2015 J.3.5/J.3.7)"))
    centre, radius, a0, a1, width = slot_check(plate)
    if width < SMALLEST_TOOL:
        findings.append(Finding("MOUNT_SLOT_WIDTH", "error", f"{name}/pipe-plate",
                                f"the slot is {width:.2f} mm wide, narrower than the smallest cutter "
                                f"({SMALLEST_TOOL} mm): CAM cannot cut it"))
    e0, e1 = lay.elevation
    off = math.dist(centre, (lay.pivot_x, 0.0))
    if off > 0.01 or abs(radius - lay.slot_radius) > 0.01 or a0 > e0 + 0.01 or a1 < e1 - 0.01:
        findings.append(Finding("MOUNT_SLOT_RANGE", "error", f"{name}/pipe-plate",
                                f"the slot runs {a0:.2f}..{a1:.2f}° at r = {radius:.2f} mm, {off:.2f} mm off the "
                                f"pivot: it must cover {e0:g}..{e1:g}° at r = {lay.slot_radius:g} mm"))
    measured = {"edge_distance_mm": {k: round(v, 2) for k, v in sorted(have.items())},
                "edge_distance_required_mm": need, "slot_measured_deg": [round(a0, 3), round(a1, 3)],
                "slot_measured_radius_mm": round(radius, 3), "slot_measured_width_mm": round(width, 3)}
    if not findings:
        findings.append(Finding("MOUNT_OK", "info", name,
                                f"U-bolt {lay.ubolt_id} fits; every bolt ≥ 2·D from an edge (least "
                                f"{min(have[k] / need[k] for k in have):.2f}·(2·D)); the {width:.2f} mm slot (cutter "
                                f"≥ {SMALLEST_TOOL}) covers {e0:g}..{e1:g}° about the pivot"))
    return findings, measured


def antenna_load(p: MountParams) -> tuple[str, float, float, float]:
    """(what, weight [kg], Ca, EPA [m²]) of the antenna the mount carries: EPA = Ka·Ca·A with Ka = 1
    (TIA-222-H §2.6.11.2); a dish's Ca is its row's drag coefficient, a sector's the flat-appurtenance Ca by
    aspect ratio (TIA-222-H Table 2-8)."""
    if p.antenna == "dish":
        d = dish(p.dish)
        return d.id, d.weight_kg, d.drag_coefficient, appurtenance_epa_m2(d.face_area_m2, d.drag_coefficient)
    area = p.sector_length * p.sector_width * 1e-6
    ca = flat_plate_ca(p.sector_length / p.sector_width)
    return "sector", p.sector_weight_kg, ca, appurtenance_epa_m2(area, ca)


def geometry(p: MountParams, lay: Layout) -> MountGeometry:
    """The bracket as the strength checks see it (``physics.pipe_mount``): the antenna's centre midway between
    its two bolt holes on the arm; the plate's width at the U-bolt line the hull's there, the holes' rows plus
    an edge margin each side; the arm a strip two margins wide."""
    u = UBOLTS[lay.ubolt_id]
    load_arm = lay.slot_radius + ANTENNA_OFFSET + ANTENNA_PITCH / 2
    return MountGeometry(pipe_od=p.pipe_od, ubolt_rod=u.rod, ubolt_x=u.leg_spacing / 2,
                         plate_width=UBOLT_PITCH + 2 * lay.margin, ubolt_hole=lay.ubolt_hole,
                         lever=lay.pivot_x + load_arm, pivot_bolt=PIVOT_BOLT, bolt_hole=CLEARANCE[PIVOT_BOLT],
                         slot_radius=lay.slot_radius, load_arm=load_arm, arm_width=2 * lay.margin,
                         thickness=p.plate_thickness, max_elevation_deg=max(abs(e) for e in lay.elevation))


def design_wind_n(p: MountParams, epa_m2: float) -> float:
    """Wind on one antenna [N]: F = qz·Gh·EPA (TIA-222-H eq. 2.6.11-1), qz = 0.613·Kz·Kzt·Ke·Kd·V² at the
    antenna's height with Kd = 0.95 for an appurtenance (TIA-222-H Table 2-2)."""
    q = 0.613 * kz(p.height / 1000.0, p.exposure) * p.kzt * ke_elevation(p.ground_elevation_m) \
        * KD["appurtenance"] * p.wind_speed_m_s ** 2
    return q * p.gust_factor * epa_m2


def strength_findings(name: str, p: MountParams, lay: Layout, mass_kg: float,
                      epa_m2: float) -> tuple[dict[str, float], list[Finding]]:
    """The bracket under 1.2D + 1.0W (``physics.pipe_mount``): clamp slip, the arm's bolts, plate bending;
    one finding each, info while it holds, an error when its utilisation passes 1."""
    wind = WIND_FACTOR * design_wind_n(p, epa_m2)
    alloy = ALLOYS[ALLOY]
    g = geometry(p, lay)
    c = mount_checks(g, wind, DEAD_FACTOR * mass_kg * G, alloy.ftu, alloy.fty)
    torque = tightening_torque_nm(g.ubolt_rod)
    c = {**c, "wind_n": wind, "ubolt_preload_n": preload_n(g.ubolt_rod), "ubolt_torque_nm": torque,
         "pivot_torque_nm": tightening_torque_nm(PIVOT_BOLT)}
    rows = [("MOUNT_CLAMP_SLIP", "pipe-plate", c["slip_utilisation"],
             f"U-bolt clamp: {c['slip_demand_n'] / 1000:.2f} kN of friction needed at the pipe (twist "
             f"{c['twist_nmm'] / 1e6:.2f} kN·m from {wind / 1000:.2f} kN of wind, and the weight) against "
             f"{c['slip_capacity_n'] / 1000:.2f} kN (U-bolts torqued to {torque:.0f} N·m, μ = 0.30)"),
            ("MOUNT_ARM_BOLTS", "tilt-arm", max(c["bolt_utilisation"], c["slot_slip_utilisation"]),
             f"arm bolts: pivot {c['pivot_force_n'] / 1000:.2f} kN and slot bolt {c['slot_force_n'] / 1000:.2f} kN on "
             f"{c['bolt_capacity_n'] / 1000:.2f} kN (shear, bearing); the slot bolt holds "
             f"{c['slot_across_n'] / 1000:.2f} kN along the slot by friction of {c['slot_hold_n'] / 1000:.2f} kN"),
            ("MOUNT_PLATE_BENDING", "pipe-plate", max(c["plate_bending_utilisation"], c["arm_bending_utilisation"]),
             f"bending out of plane: pipe plate at the U-bolt line {c['plate_bending_utilisation']:.2f}, tilt arm at "
             f"its slot bolt {c['arm_bending_utilisation']:.2f} of φ·Fy·Z (ADM F.8.1)")]
    findings = [Finding(code, "info" if u <= 1.0 else "error", f"{name}/{part}", f"{text}: utilisation {u:.2f}")
                for code, part, u, text in rows]
    return c, findings


@register("antenna-mount", "pipe-mount bracket for a dish or sector: routed plates, U-bolts, elevation slot",
          MountParams)
def build(p: MountParams) -> Design:  # type: ignore[override]
    lay = layout(p)
    t = p.plate_thickness
    plate, arm = pipe_plate(lay, t), tilt_arm(lay, t)
    sheet = [SheetPart("pipe-plate", plate, MATERIAL, t, p.count, "AM-PIPE", "screwed"),
             SheetPart("tilt-arm", arm, MATERIAL, t, p.count, "AM-ARM", "screwed")]
    findings, measured = mount_findings("antenna-mount", plate, arm, lay)

    # the model: plates upright (x across, z up), the arm on the front face at elevation 0, the pipe behind
    assy = cq.Assembly(name="antenna-mount")
    metal = cq.Color(0.75, 0.77, 0.8)
    upright = cq.Location(cq.Vector(), cq.Vector(1, 0, 0), 90.0)  # plate y → world z, plate z → world −y
    assy.add(plate, name="pipe-plate", loc=upright, color=metal)
    assy.add(arm, name="tilt-arm", loc=cq.Location(cq.Vector(lay.pivot_x, -t - 0.01, 0)) * upright, color=metal)
    pipe_len = UBOLT_PITCH + 2 * lay.margin + 100.0
    pipe = cq.Solid.makeCylinder(p.pipe_od / 2, pipe_len, cq.Vector(0, p.pipe_od / 2 + 0.01, -pipe_len / 2))
    assy.add(pipe, name="pipe (not supplied)", color=cq.Color(0.5, 0.5, 0.5))

    what, antenna_kg, ca, epa = antenna_load(p)
    plates_kg = (plate.Volume() + arm.Volume()) * 1e-9 * catalog.material(MATERIAL).density_kg_m3
    checks, strength = strength_findings("antenna-mount", p, lay, antenna_kg + plates_kg, epa)
    findings += strength
    purchased = [PurchasedItem(lay.ubolt_id, 2 * p.count, "clamp the pipe plate; loosen to turn in azimuth"),
                 PurchasedItem(PIVOT_BOLT_ID, 2 * p.count, "pivot and elevation adjuster"),
                 PurchasedItem(ANTENNA_BOLT_ID, 2 * p.count, "to the antenna's own bracket")]
    summary = {"antenna": what, "pipe": p.pipe, "pipe_od": p.pipe_od, "ubolt": lay.ubolt_id, "ubolt_leg_spacing": UBOLTS[lay.ubolt_id].leg_spacing,
               "pivot_x": lay.pivot_x, "slot_radius": lay.slot_radius, "elevation_range_deg": list(lay.elevation),
               "edge_margin": lay.margin, "plates_kg": round(plates_kg, 3), "antenna_kg": antenna_kg,
               "antenna_ca": round(ca, 4), "antenna_epa_m2": round(epa, 4), **measured,
               "wind_on_antenna_n": round(checks["wind_n"], 1), "ubolt_torque_nm": round(checks["ubolt_torque_nm"], 1),
               "clamp_slip_utilisation": round(checks["slip_utilisation"], 3),
               "arm_bolts_utilisation": round(max(checks["bolt_utilisation"], checks["slot_slip_utilisation"]), 3),
               "bending_utilisation": round(max(checks["plate_bending_utilisation"],
                                                checks["arm_bending_utilisation"]), 3),
               "strength": {k: round(v, 4) for k, v in sorted(checks.items())}}
    load = Load(f"antenna-mount ({what})", weight_kg=round(p.count * (antenna_kg + plates_kg), 3),
                wind_area_m2=round(p.count * epa, 4), height=p.height)
    return Design("antenna-mount", assy, sheet, [], purchased, summary=summary, findings=findings, loads=[load])
