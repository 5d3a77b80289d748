"""A ground rack for one row of PV modules in portrait at a fixed tilt: aluminium angle frames (rafter,
front and rear legs, sill, diagonal) joined by CNC-routed aluminium gusset plates, two angle rails across
the frames, modules held by clamps on the rails, each leg foot on a ground anchor.

Each frame is a triangulated quadrilateral (front leg, rafter, rear leg, sill, and the diagonal from
the rafter's lower end to the rear foot), so it stands by bolts alone: every joint is a gusset plate
with two M8 bolts into each member (bolt, don't weld: near a weld 6061-T6 drops to its much lower
welded strengths, Aluminum Design Manual 2015). Members are cut square and stop short of each joint by
the setback at which two members of width ``a`` meeting at angle θ stop touching: (a/2)/tan(θ/2) + 5 mm.

Rails sit at a quarter and three quarters of the module length (the clamping zones module makers
give for portrait mounting on two rails, e.g. Canadian Solar's installation manual, ±1/4 L); frames
are spaced no wider than ``max_frame_spacing``.

The wind check (``analyses/rack_wind.py``, with the tower's TIA-222-H module ``physics/wind.py``)
reads the array's size, tilt and mid-height and the anchors from the summary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import cadquery as cq

from osehw import catalog
from osehw.catalog import power
from osehw.core.design import Design, Load, PurchasedItem, SheetPart, StockPart
from osehw.core.params import Choices, DesignParams, param
from osehw.core.registry import unknown_message
from osehw.core.solids import drill_through, single_solid
from osehw.designs import register

BOLT_HOLE = 9.0  # clearance for M8, ISO 273 medium [mm]
GUSSET_ARM_WIDTH = 64.0  # [mm] the angle's 38.1 mm flange plus 13 mm each side for the bolt's edge distance
BOLT_PITCH = 50.0  # [mm] between the two bolts of one member (> 2.5 d, ADM bolt spacing)
BOLT_EDGE = 25.0  # [mm] from a member's cut end and from the arm's end to a bolt (≥ 2 d, ADM edge distance)
RAIL_OVERHANG = 35.0  # [mm] rail beyond the outer modules' edges: an end clamp's ~30 mm foot
FRAME_INSET = 150.0  # [mm] the end frames stand this far in from the rail ends
CLAMP_ZONE = 0.25  # rails at 1/4 and 3/4 of the module length
ROW_GAP = 500.0  # [mm] walkway between rows side by side
CLAMP_CLEARANCE = 50.0  # [mm] a frame's rail bolt this far at least from a module clamp's bolt


class RackParams(DesignParams):
    module: str = param("cs6u-330p", "-", "PV module, an id in bom/pv_modules.csv")
    modules: int = param(6, "count", "modules side by side in one portrait row", ge=1, le=20)
    rows: int = param(1, "count", "identical rows side by side, each on its own frames and rails", ge=1, le=20)
    tilt: float = param(46.0, "deg", "module tilt from horizontal", ge=10.0, le=70.0)
    ground_clearance: float = param(600.0, "mm", "lower module edge above the ground (snow, weeds)", ge=300.0,
                                    le=2000.0)
    module_gap: float = param(20.0, "mm", "gap between modules (mid clamp)", ge=10.0, le=50.0)
    max_frame_spacing: float = param(1800.0, "mm", "largest rail span between frames", ge=600.0, le=3000.0)
    frame_profile: str = param("angle-6061-38.1x4.76", "-", "frame members, an angle in bom/stock_profiles.csv")
    rail_profile: str = param("angle-6061-38.1x4.76", "-", "rails, an angle in bom/stock_profiles.csv")
    wind_speed_m_s: float = param(51.4, "m/s", "basic wind speed, 3-s gust (ASCE 7 / TIA-222-H map; 115 mph)",
                                  ge=30.0, le=90.0)
    exposure: Literal["B", "C", "D"] = param("C", "-", "terrain exposure category (TIA-222-H 2.6.5.1)")
    anchor_uplift_n: float = param(2200.0, "N", "pull-out each ground anchor holds in the site's soil (estimate "
                                   "for a 30 in earth anchor in firm soil; take the anchor maker's figure)",
                                   ge=200.0, le=50000.0)
    gusset_thickness: float = param(6.35, "mm", "gusset plate thickness; a stock thickness of aluminium-6061",
                                    ge=3.0, le=12.7)

    @classmethod
    def choices(cls) -> dict[str, Choices]:
        angles = tuple(sorted(k for k, v in catalog.stock_profiles().items() if v.shape == "angle"))
        return {"module": Choices(tuple(sorted(power.modules()))), "frame_profile": Choices(angles),
                "rail_profile": Choices(angles),
                "gusset_thickness": Choices(tuple(catalog.stock_thicknesses("aluminium-6061")))}

    def rules(self) -> list[tuple[str, Any, str]]:
        broken: list[tuple[str, Any, str]] = []
        if self.module not in power.modules():
            broken.append(("module", self.module, unknown_message("module", self.module, power.modules())))
        profiles = catalog.stock_profiles()
        for name in ("frame_profile", "rail_profile"):
            value = getattr(self, name)
            if value not in profiles or profiles[value].shape != "angle":
                angles = {k: v for k, v in profiles.items() if v.shape == "angle"}
                broken.append((name, value, unknown_message("angle profile", value, angles)))
        if all(abs(self.gusset_thickness - t) > 0.01 for t in catalog.stock_thicknesses("aluminium-6061")):
            broken.append(("gusset_thickness", self.gusset_thickness, "not a stock thickness of aluminium-6061 "
                           f"({', '.join(f'{t:g}' for t in catalog.stock_thicknesses('aluminium-6061'))} mm)"))
        if broken:
            return broken
        geo = frame_geometry(self)
        longest = max(m.cut_length for m in geo.members)
        bar = profiles[self.frame_profile].bar_length
        if longest > bar:
            broken.append(("tilt", self.tilt, f"a frame member of {longest:.0f} mm is longer than a "
                           f"{self.frame_profile} bar ({bar:g} mm)"))
        if rail_length(self) > profiles[self.rail_profile].bar_length:
            broken.append(("modules", self.modules, f"the rail ({rail_length(self):.0f} mm) is longer than a "
                           f"{self.rail_profile} bar ({profiles[self.rail_profile].bar_length:g} mm): split the row"))
        for m in geo.members:
            if m.cut_length < 2 * (BOLT_EDGE + BOLT_PITCH):
                broken.append(("ground_clearance", self.ground_clearance, f"the {m.name} ({m.cut_length:.0f} mm "
                               f"after setbacks) is too short for two bolts at each end"))
        return broken


@dataclass(frozen=True)
class Member:
    """A frame member between two joints (x: horizontal front → rear, z: up, in the frame's plane) [mm]."""

    name: str
    start: str
    end: str
    a: tuple[float, float]
    b: tuple[float, float]
    setback_a: float
    setback_b: float

    @property
    def length(self) -> float:
        return math.dist(self.a, self.b)

    @property
    def cut_length(self) -> float:
        return self.length - self.setback_a - self.setback_b

    @property
    def angle(self) -> float:
        """Direction from ``a`` to ``b`` [deg from +x]."""
        return math.degrees(math.atan2(self.b[1] - self.a[1], self.b[0] - self.a[0]))


@dataclass(frozen=True)
class Frame:
    joints: dict[str, tuple[float, float]]
    members: tuple[Member, ...]


def frame_geometry(p: RackParams) -> Frame:
    module = power.modules()[p.module]
    beta = math.radians(p.tilt)
    run, rise = module.length_mm * math.cos(beta), module.length_mm * math.sin(beta)
    joints = {"front-top": (0.0, p.ground_clearance), "rear-top": (run, p.ground_clearance + rise),
              "front-foot": (0.0, 0.0), "rear-foot": (run, 0.0)}
    pairs = [("rafter", "front-top", "rear-top"), ("front-leg", "front-foot", "front-top"),
             ("rear-leg", "rear-foot", "rear-top"), ("sill", "front-foot", "rear-foot"),
             ("diagonal", "front-top", "rear-foot")]
    width = catalog.stock_profile(p.frame_profile).size_a

    def direction(j: str, k: str) -> float:
        (x0, z0), (x1, z1) = joints[j], joints[k]
        return math.atan2(z1 - z0, x1 - x0)

    def setback(joint: str, other: str) -> float:
        """(a/2)/tan(θ/2) + 5 mm for the smallest angle θ this member makes with another at ``joint``."""
        own = direction(joint, other)
        others = [direction(joint, k if j == joint else j) for _, j, k in pairs
                  if joint in (j, k) and other not in (j, k)]
        theta = min(abs((own - o + math.pi) % (2 * math.pi) - math.pi) for o in others)
        return round(width / 2 / math.tan(theta / 2) + 5.0, 1)

    members = tuple(Member(name, j, k, joints[j], joints[k], setback(j, k), setback(k, j)) for name, j, k in pairs)
    return Frame(joints, members)


def rail_length(p: RackParams) -> float:
    module = power.modules()[p.module]
    return p.modules * module.width_mm + (p.modules - 1) * p.module_gap + 2 * RAIL_OVERHANG


def clamp_positions(p: RackParams) -> list[float]:
    """Module clamp bolts along the rail [mm from its first end]: an end clamp at each end, a mid clamp in
    each gap between modules."""
    module = power.modules()[p.module]
    length = rail_length(p)
    return ([RAIL_OVERHANG / 2] + [RAIL_OVERHANG + i * (module.width_mm + p.module_gap) - p.module_gap / 2
                                   for i in range(1, p.modules)] + [length - RAIL_OVERHANG / 2])


def frame_positions(p: RackParams) -> list[float]:
    """Frame positions along the rail [mm from its first end]: the end frames FRAME_INSET in, the rest
    evenly between (no span over max_frame_spacing), each moved CLAMP_CLEARANCE clear of a clamp bolt it
    would share a hole with (the rail-to-rafter bolt and a clamp bolt cannot be one)."""
    length = rail_length(p)
    inner = length - 2 * FRAME_INSET
    spans = max(1, math.ceil(inner / (p.max_frame_spacing - 2 * CLAMP_CLEARANCE) - 1e-9))
    clamps = clamp_positions(p)
    out = []
    for i in range(spans + 1):
        y = FRAME_INSET + inner * i / spans
        near = [c for c in clamps if abs(c - y) < CLAMP_CLEARANCE]
        if near:
            y = near[0] + CLAMP_CLEARANCE if y >= near[0] else near[0] - CLAMP_CLEARANCE
        out.append(round(y, 2))
    return out


def member_holes(m: Member) -> tuple[tuple[float, float], ...]:
    """Two bolt holes at each end, from the cut end [mm along the part]."""
    cut = m.cut_length
    ends = (BOLT_EDGE, BOLT_EDGE + BOLT_PITCH, cut - BOLT_EDGE - BOLT_PITCH, cut - BOLT_EDGE)
    return tuple((round(x, 2), BOLT_HOLE) for x in ends)


def gusset(frame: Frame, joint: str, thickness: float) -> tuple[cq.Solid, int]:
    """The gusset plate at a joint (joint at the origin, lying flat), and its bolt count: one arm along
    each member meeting there, long enough for the member's setback and its two bolts."""
    arms = []
    holes = []
    for m in frame.members:
        if joint not in (m.start, m.end):
            continue
        at_start = m.start == joint
        angle = math.radians(m.angle if at_start else m.angle + 180.0)
        back = m.setback_a if at_start else m.setback_b
        reach = back + BOLT_EDGE + BOLT_PITCH + BOLT_EDGE
        ux, uy = math.cos(angle), math.sin(angle)
        nx, ny = -uy, ux
        h = GUSSET_ARM_WIDTH / 2
        arms.append([(h * nx, h * ny), (reach * ux + h * nx, reach * uy + h * ny),
                     (reach * ux - h * nx, reach * uy - h * ny), (-h * nx, -h * ny)])
        holes += [((back + d) * ux, (back + d) * uy) for d in (BOLT_EDGE, BOLT_EDGE + BOLT_PITCH)]
    body = cq.Workplane("XY").circle(GUSSET_ARM_WIDTH / 2).extrude(thickness)
    for pts in arms:
        body = body.union(cq.Workplane("XY").polyline(pts).close().extrude(thickness))
    plate = drill_through(body.clean(), BOLT_HOLE, [(round(x, 4), round(y, 4)) for x, y in holes])
    return single_solid(plate), len(holes)


def angle_solid(leg: float, t: float, length: float) -> cq.Solid:
    """An equal angle along +Z: one leg across local X (centred), the other along +Y at local x = −leg/2."""
    h = leg / 2
    pts = [(-h, 0), (h, 0), (h, t), (-h + t, t), (-h + t, leg), (-h, leg)]
    return cq.Workplane("XY").polyline(pts).close().extrude(length).val()


@register("pv-rack", "ground rack for one portrait row of PV modules: angle frames, routed gussets, rails",
          RackParams)
def build(p: RackParams) -> Design:  # type: ignore[override]
    frame = frame_geometry(p)
    positions = frame_positions(p)
    frames = len(positions)
    module = power.modules()[p.module]
    fp, rp = catalog.stock_profile(p.frame_profile), catalog.stock_profile(p.rail_profile)
    t = p.gusset_thickness

    stock = [StockPart(m.name, p.frame_profile, round(m.cut_length, 1), frames * p.rows, holes=member_holes(m),
                       label=f"RACK-{m.name.upper()}", notes="square cuts; bolt to the gussets")
             for m in frame.members]
    length = rail_length(p)
    rail_holes = tuple(sorted((round(x, 2), BOLT_HOLE) for x in positions + clamp_positions(p)))
    stock.append(StockPart("rail", p.rail_profile, round(length, 1), 2 * p.rows, holes=rail_holes, label="RACK-RAIL",
                           notes="bolt to each rafter; module clamps through the clamp holes"))

    sheet_parts = []
    bolts = 0
    solids = {}
    for joint in ("front-top", "rear-top", "front-foot", "rear-foot"):
        solid, n = gusset(frame, joint, t)
        solids[joint] = solid
        bolts += n * frames * p.rows
        sheet_parts.append(SheetPart(f"gusset-{joint}", solid, "aluminium-6061", t, frames * p.rows,
                                     f"G-{joint.upper()}", "screwed"))
    bolts += 2 * frames * p.rows  # each rail to each rafter

    assy = cq.Assembly(name="pv-rack")
    metal = cq.Color(0.75, 0.77, 0.8)
    beta = math.radians(p.tilt)
    for r in range(p.rows):
        y0 = r * (length + ROW_GAP)
        tag = f"row{r + 1}-" if p.rows > 1 else ""
        for i, y in enumerate(positions):
            for m in frame.members:
                u = math.radians(m.angle)
                x0 = m.a[0] + m.setback_a * math.cos(u)
                z0 = m.a[1] + m.setback_a * math.sin(u)
                loc = cq.Location(cq.Vector(x0, y0 + y, z0), cq.Vector(0, 1, 0), 90.0 - m.angle)
                assy.add(angle_solid(fp.size_a, fp.size_b, m.cut_length), name=f"{tag}frame{i + 1}-{m.name}",
                         loc=loc, color=metal)
            for joint, solid in solids.items():
                jx, jz = frame.joints[joint]
                loc = cq.Location(cq.Vector(jx, y0 + y - 0.01, jz)) * cq.Location(cq.Vector(), cq.Vector(1, 0, 0), 90.0)
                assy.add(solid, name=f"{tag}frame{i + 1}-gusset-{joint}", loc=loc, color=metal)
        for k, s in enumerate((CLAMP_ZONE, 1 - CLAMP_ZONE)):
            # on the rafter's top edge, 0.5 mm clear, running along y over the row
            along = s * module.length_mm
            lift = fp.size_a / 2 + 0.5
            x = along * math.cos(beta) - lift * math.sin(beta)
            z = p.ground_clearance + along * math.sin(beta) + lift * math.cos(beta)
            # X by +90°: the extrusion runs along −y (hence the shift by its length), the upright leg points
            # up; Y by −tilt lays the profile's base on the slope
            loc = (cq.Location(cq.Vector(x, y0 + length, z)) * cq.Location(cq.Vector(), cq.Vector(0, 1, 0), -p.tilt)
                   * cq.Location(cq.Vector(), cq.Vector(1, 0, 0), 90.0))
            assy.add(angle_solid(rp.size_a, rp.size_b, length), name=f"{tag}rail-{k + 1}", loc=loc, color=metal)

    purchased = [
        PurchasedItem("bolt-m8x25-ss-set", bolts, "gusset joints and rail-to-rafter"),
        PurchasedItem("clamp-pv-end", 4 * p.rows, "two per rail end"),
        PurchasedItem("anchor-earth-30in", 2 * frames * p.rows, "one under each leg foot"),
    ]
    if p.modules > 1:
        purchased.insert(1, PurchasedItem("clamp-pv-mid", 2 * (p.modules - 1) * p.rows, "two per module joint"))
    weight = (sum(s.length * s.quantity * catalog.stock_profile(s.profile).kg_per_m / 1000 for s in stock)
              + sum(sp.solid.Volume() * 1e-9 * 2700 * sp.quantity for sp in sheet_parts))
    area_m2 = p.modules * p.rows * module.length_mm * module.width_mm * 1e-6
    top = p.ground_clearance + module.length_mm * math.sin(beta)
    summary = {"rows": p.rows, "frames": frames * p.rows, "rail_length": round(length, 1), "frame_spacing": round(positions[1] - positions[0], 1),
               "array_area_m2": round(area_m2, 3), "top_height": round(top, 1), "bolts": bolts,
               "wind": {"tilt_deg": p.tilt, "array_length_mm": round(p.modules * (module.width_mm + p.module_gap), 1),
                        "array_depth_mm": float(module.length_mm), "mid_height_mm": round((p.ground_clearance + top) / 2, 1),
                        "rows": p.rows, "anchors": 2 * frames * p.rows, "wind_speed_m_s": p.wind_speed_m_s,
                        "exposure": p.exposure, "anchor_uplift_n": p.anchor_uplift_n,
                        "rack_weight_kg": round(weight, 2)},
               "setbacks": {m.name: [m.setback_a, m.setback_b] for m in frame.members}}
    # The wind area is the array's face (pressure normal to the modules); the force coefficient and the
    # gust factor are applied by the rack's wind check (analyses/rack_wind.py).
    return Design("pv-rack", assy, sheet_parts, stock, purchased, summary=summary,
                  loads=[Load("pv-rack", weight_kg=round(weight, 2), wind_area_m2=round(area_m2, 3),
                              height=round((p.ground_clearance + top) / 2, 1))])
