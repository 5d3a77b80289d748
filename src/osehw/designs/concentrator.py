"""A parabolic trough: router-cut plywood ribs whose top edge is the parabola
offset by the mirror sheet's thickness, strung on an aluminium spine tube.

Geometry and optics live in :mod:`osehw.physics.trough` and :mod:`osehw.physics.raytrace`; the rib
part in :mod:`osehw.designs.trough_rib`. The receiver, its struts, the end stands (posts, feet) are stock
parts; the pivots (pillow blocks), the mirror sheet (m², strips the arc length wide), the receiver clamps
and the bolts are purchased. ``Design.trough`` carries what the optics and heat-yield analyses read
(docs/concentrator.md). Not here: a tracking drive, and a structural check of the stands and struts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cadquery as cq

from osehw import catalog
from osehw.core.design import Design, PurchasedItem, StockPart
from osehw.core.params import Choices, DesignParams, param
from osehw.core.registry import unknown_message
from osehw.core.solids import located
from osehw.designs import register
from osehw.designs.trough_rib import rib_edge_deviation, rib_outline, rib_part
from osehw.physics.trough import (
    arc_length,
    focal_length,
    geometric_concentration,
    offset_curve,
    receiver_diameter_for_rim,
    rim_radius,
)

SPINE_CLEARANCE = 1.0  # [mm] the spine hole over the tube's OD: slides on, glued or pinned
SPINE_EDGE = 20.0  # [mm] plywood left around the spine hole, above and below
STRUT_HOLE = 9.0  # [mm] M8 bolt holes: the receiver struts to the end ribs and to the receiver's clamp
STRUT_HOLE_INSET = (30.0, 35.0)  # [mm] a strut hole's centre in from the rim and down from the rib's edge
STRUT_PROFILE = "tube-6061-25.4x3.175"  # the receiver struts, ends flattened and drilled
STRUT_END = 15.0  # [mm] a strut's hole centre from its end
RECEIVER_OVERHANG = 100.0  # [mm] the receiver beyond each end rib, for its fittings
STAND_PROFILE = "pipe-6061-48.3x3.68"  # the end stands' post and foot
GROUND_CLEARANCE = 150.0  # [mm] the swinging trough's farthest point above the ground
# pillow-block bearings by bore [mm]: the tracking pivot on each end stand, carrying the spine
PIVOTS = {25.4: "pillow-block-ucp205-16", 38.1: "pillow-block-ucp208-24", 50.8: "pillow-block-ucp210-32",
          63.5: "pillow-block-ucp213-40"}


class ConcentratorParams(DesignParams):
    aperture: float = param(1200.0, "mm", "aperture width across the rims", ge=400.0, le=2000.0)
    rim_angle: float = param(90.0, "deg", "rim angle ψ: f = W/(4·tan(ψ/2)); 90° needs the smallest tube",
                             ge=45.0, le=100.0)
    length: float = param(2400.0, "mm", "trough length along its axis", ge=600.0, le=6000.0)
    mirror_thickness: float = param(3.0, "mm", "mirror sheet thickness (the rib edge is offset by it)",
                                    ge=0.5, le=6.0)
    rib_thickness: float = param(12.0, "mm", "rib plywood thickness; a stock thickness of plywood", ge=6.0,
                                 le=25.0)
    rib_depth: float = param(120.0, "mm", "rib depth below the edge's lowest point", ge=80.0, le=300.0)
    max_rib_spacing: float = param(600.0, "mm", "largest gap between ribs along the trough", ge=300.0, le=1200.0)
    spine_profile: str = param("tube-6061-50.8x3.175", "-", "spine, a round tube in bom/stock_profiles.csv")
    receiver_od: float = param(25.4, "mm", "receiver tube outside diameter: a round tube's OD in "
                               "bom/stock_profiles.csv", ge=6.0, le=90.0)
    # optical errors of the build, traced by the optics analysis (osehw.physics.raytrace)
    slope_error_mrad: float = param(4.0, "mrad", "mirror slope error σ (normal law): a sheet bent over plywood "
                                    "ribs; industrial troughs hold 2-3", ge=0.0, le=60.0)
    specularity_mrad: float = param(2.0, "mrad", "mirror specularity error σ (normal law, about the specular ray)",
                                    ge=0.0, le=30.0)
    tracking_error_mrad: float = param(2.0, "mrad", "tracking error: the sun's centre off the optical axis",
                                       ge=0.0, le=50.0)
    receiver_offset: float = param(0.0, "mm", "receiver tube's centre off the focus, across the aperture",
                                   ge=-50.0, le=50.0)
    circumsolar_ratio: float = param(0.05, "-", "Buie sunshape's circumsolar ratio (0.05: a clear sky)",
                                     ge=0.01, le=0.4)
    min_intercept: float = param(0.9, "-", "the optics check fails below this intercept factor", ge=0.0, le=1.0)
    # the yearly heat at the design file's site (the heat_yield analysis, osehw.physics.trough_yield)
    reflectance: float = param(0.90, "-", "mirror's solar-weighted specular reflectance (anodised aluminium "
                               "sheet ~0.85-0.92, silvered glass ~0.94)", ge=0.3, le=1.0)
    transmittance: float = param(1.0, "-", "glass envelope's transmittance; 1 for a bare tube", ge=0.5, le=1.0)
    absorptance: float = param(0.95, "-", "receiver coating's solar absorptance (black paint ~0.95)", ge=0.5,
                               le=1.0)
    receiver_emittance: float = param(0.9, "-", "receiver coating's thermal emittance (black paint ~0.9, a "
                                      "selective coating ~0.1-0.3)", ge=0.02, le=1.0)
    receiver_temperature_c: float = param(90.0, "degC", "receiver's working temperature (hot water ~60-90, "
                                          "low-pressure steam ~120)", ge=30.0, le=300.0)
    axis_azimuth: float = param(0.0, "deg", "tracking axis' azimuth: 0 = north-south (tracks east-west), "
                                "90 = east-west", ge=0.0, lt=180.0)
    heat_engine_efficiency: float = param(0.05, "-", "heat to electricity, for the comparison with PV (0 = heat "
                                          "only); an estimate: a small steam engine reaches about a quarter of "
                                          "Carnot's 1 − T_air/T_receiver", ge=0.0, le=0.4)
    project_years: float = param(20.0, "year", "life over which the build's cost is spread per kWh", ge=1.0,
                                 le=50.0)

    @classmethod
    def choices(cls) -> dict[str, Choices]:
        tubes = tuple(sorted(k for k, v in catalog.stock_profiles().items() if v.shape == "round_tube"))
        ods = tuple(sorted({catalog.stock_profiles()[k].size_a for k in tubes}))
        return {"spine_profile": Choices(tubes),
                "rib_thickness": Choices(tuple(catalog.stock_thicknesses("plywood"))),
                "receiver_od": Choices(ods)}

    def rules(self) -> list[tuple[str, Any, str]]:
        broken: list[tuple[str, Any, str]] = []
        profiles = catalog.stock_profiles()
        tubes = {k: v for k, v in profiles.items() if v.shape == "round_tube"}
        if self.spine_profile not in tubes:
            return [("spine_profile", self.spine_profile, unknown_message("round tube", self.spine_profile, tubes))]
        if all(abs(self.rib_thickness - t) > 0.01 for t in catalog.stock_thicknesses("plywood")):
            broken.append(("rib_thickness", self.rib_thickness, "not a stock thickness of plywood ("
                           + ", ".join(f"{t:g}" for t in catalog.stock_thicknesses("plywood")) + " mm)"))
        hole = profiles[self.spine_profile].size_a + SPINE_CLEARANCE
        if self.rib_depth < hole + 2 * SPINE_EDGE:
            broken.append(("rib_depth", self.rib_depth, f"a {hole:g} mm spine hole needs a rib at least "
                           f"{hole + 2 * SPINE_EDGE:g} mm deep"))
        bar = profiles[self.spine_profile].bar_length
        if self.length > bar:
            broken.append(("length", self.length, f"longer than a {self.spine_profile} bar ({bar:g} mm)"))
        receiver = receiver_profile(self.receiver_od)
        if receiver is None:
            ods = sorted({v.size_a for v in tubes.values()})
            broken.append(("receiver_od", self.receiver_od, "no round tube of this OD in bom/stock_profiles.csv ("
                           + ", ".join(f"{od:g}" for od in ods) + " mm)"))
        elif self.length + 2 * RECEIVER_OVERHANG > profiles[receiver].bar_length:
            broken.append(("length", self.length, f"the receiver ({self.length + 2 * RECEIVER_OVERHANG:g} mm with "
                           f"its overhangs) is longer than a {receiver} bar ({profiles[receiver].bar_length:g} mm)"))
        return broken


@dataclass(frozen=True)
class Trough:
    """What the optics and heat-yield analyses read: the parameters, the focal length [mm], and where the
    rib's frame (parabola vertex at the origin) lies in the rib part's frame: part = rib frame + ``rib_origin``."""

    params: ConcentratorParams
    focal_length: float
    rib_part: str
    rib_origin: tuple[float, float]


def receiver_profile(od: float) -> str | None:
    """The round tube in bom/stock_profiles.csv of this OD [mm] (±0.05), the thinnest wall; None if none."""
    tubes = sorted((v.size_b, k) for k, v in catalog.stock_profiles().items()
                   if v.shape == "round_tube" and abs(v.size_a - od) <= 0.05)
    return tubes[0][1] if tubes else None


def mirror_item(thickness: float) -> str:
    """The mirror sheet: a thin anodised reflector up to 1 mm, acrylic mirror above."""
    return "mirror-al-reflector-0.5mm" if thickness <= 1.0 else "mirror-acrylic-3mm"


def rib_positions(length: float, max_spacing: float) -> list[float]:
    """Rib stations [mm] along the axis: one at each end, evenly spaced no wider than ``max_spacing``."""
    gaps = max(1, math.ceil(length / max_spacing - 1e-9))
    return [length * i / gaps for i in range(gaps + 1)]


@register("concentrator", "parabolic trough: plywood ribs cut to the mirror's offset curve on a spine tube",
          ConcentratorParams)
def build(p: ConcentratorParams) -> Design:  # type: ignore[override]
    f = focal_length(p.aperture, p.rim_angle)
    spine = catalog.stock_profiles()[p.spine_profile]
    hole = spine.size_a + SPINE_CLEARANCE
    stations = rib_positions(p.length, p.max_rib_spacing)
    # receiver struts: from a hole near each rim of the end ribs (on their outer faces, clear of the mirror)
    # to a clamp on the receiver at the focus
    ex, ey, bottom = rib_outline(p.aperture, f, p.mirror_thickness, p.rib_depth)
    hx = p.aperture / 2.0 - STRUT_HOLE_INSET[0]
    hy = float(offset_curve(hx, f, p.mirror_thickness)[1]) - STRUT_HOLE_INSET[1]
    supports = ((-hx, hy, STRUT_HOLE), (hx, hy, STRUT_HOLE))
    rib = rib_part("rib", p.aperture, f, p.mirror_thickness, p.rib_depth, p.rib_thickness, hole,
                   quantity=len(stations), support_holes=supports)
    strut = math.hypot(hx, f - hy) - p.receiver_od / 2.0 + 2 * STRUT_END  # hole centres at the rib and the focus
    assy = cq.Assembly(name="concentrator")
    wood = cq.Color(0.85, 0.7, 0.45)
    for i, y in enumerate(stations):
        # the rib stands across the axis: its sheet plane XY turned up to XZ, stations along Y
        assy.add(rib.solid, name=f"rib-{i + 1}", color=wood,
                 loc=located(rib.solid, rotate_x=90.0, offset=(0.0, y + p.rib_thickness / 2, 0.0)))
    # the end stands: a post to the pivot on the spine's axis, high enough for the trough to swing clear
    spine_y = -p.mirror_thickness - p.rib_depth / 2.0  # rib frame
    swing = max(math.hypot(float(ex[-1]), float(ey[-1]) - spine_y), math.hypot(float(ex[-1]), bottom - spine_y),
                f + p.receiver_od / 2.0 - spine_y)
    post = swing + GROUND_CLEARANCE
    receiver = receiver_profile(p.receiver_od)
    assert receiver is not None, "rules() checks the receiver's OD"
    stock = [StockPart("spine", p.spine_profile, round(p.length, 1), 1, label="TROUGH-SPINE"),
             StockPart("receiver", receiver, round(p.length + 2 * RECEIVER_OVERHANG, 1), 1, label="TROUGH-RECEIVER",
                       notes="painted matt black (or a selective coating) over the trough's length"),
             StockPart("receiver-strut", STRUT_PROFILE, round(strut, 1), 4,
                       holes=((STRUT_END, STRUT_HOLE), (round(strut - STRUT_END, 1), STRUT_HOLE)),
                       label="TROUGH-STRUT", notes="ends flattened and drilled; bolted to an end rib's outer face "
                       "and to the receiver's clamp"),
             StockPart("stand-post", STAND_PROFILE, round(post, 1), 2, label="TROUGH-POST",
                       notes="the pivot's pillow block on top; the trough's farthest point swings "
                       f"{swing:.0f} mm about the spine"),
             StockPart("stand-foot", STAND_PROFILE, round(p.aperture, 1), 2, label="TROUGH-FOOT",
                       notes="across the axis under each post, U-bolted to it")]
    pivot_bore = min(PIVOTS, key=lambda bore: abs(bore - spine.size_a))
    fit = ("" if abs(pivot_bore - spine.size_a) <= 0.5 else
           f"; sleeve or turn the spine's ends from {spine.size_a:g} mm to the {pivot_bore:g} mm bore")
    mirror_m2 = arc_length(p.aperture, f) * p.length * 1e-6
    purchased = [
        PurchasedItem(PIVOTS[pivot_bore], 2, "the tracking pivot, one on each end stand" + fit),
        PurchasedItem(mirror_item(p.mirror_thickness), round(mirror_m2, 3),
                      f"strips {arc_length(p.aperture, f):.0f} mm wide (the arc length) x {p.length:g} mm in all"),
        PurchasedItem("clamp-pipe-ss", 2, "holds the receiver at each end, bolted to two struts"),
        PurchasedItem("bolt-m8x40-ss-set", 8, "receiver struts: 4 at the end ribs, 4 at the clamps"),
        PurchasedItem("ubolt-m8-2in", 4, "each stand's post to its foot, two U-bolts"),
    ]
    d_rim = receiver_diameter_for_rim(p.aperture, f)
    summary = {
        "focal_length": round(f, 2),
        "rim_radius": round(rim_radius(p.aperture, f), 2),
        "mirror_width": round(arc_length(p.aperture, f), 2),
        "mirror_length": round(p.length, 1),
        "ribs": len(stations),
        "rib_spacing": round(stations[1] - stations[0], 1),
        "rib_edge_spline_deviation": round(rib_edge_deviation(p.aperture, f, p.mirror_thickness, p.rib_depth), 5),
        "receiver_od": p.receiver_od,
        "receiver_od_for_rim_sun_cone": round(d_rim, 2),
        "geometric_concentration": round(geometric_concentration(p.aperture, p.receiver_od), 3),
        "mirror_area_m2": round(mirror_m2, 3),
        "pivot_height": round(post, 1),
        "frame_note": "end stands and struts are sized by geometry only: no structural or wind check yet",
    }
    trough = Trough(p, f, rib.name, (-float(ex[0]), -float(bottom)))
    return Design("concentrator", assy, [rib], stock, purchased, summary=summary, trough=trough)
