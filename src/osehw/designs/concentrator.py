"""A parabolic trough: router-cut plywood ribs whose top edge is the parabola
offset by the mirror sheet's thickness, strung on an aluminium spine tube.

Geometry and optics live in :mod:`osehw.physics.trough` and :mod:`osehw.physics.raytrace`; the rib
part in :mod:`osehw.designs.trough_rib`. Not yet here (the issue's later parts): the receiver tube,
the mirror strips and the end stands in the BOM (no catalog rows with sourced prices yet; their sizes
are in the summary), the optical check as an analysis, and the yearly heat.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cadquery as cq

from osehw import catalog
from osehw.core.design import Design, StockPart
from osehw.core.params import Choices, DesignParams, param
from osehw.core.registry import unknown_message
from osehw.core.solids import located
from osehw.designs import register
from osehw.designs.trough_rib import rib_edge_deviation, rib_outline, rib_part
from osehw.physics.trough import (
    arc_length,
    focal_length,
    geometric_concentration,
    receiver_diameter_for_rim,
    rim_radius,
)

SPINE_CLEARANCE = 1.0  # [mm] the spine hole over the tube's OD: slides on, glued or pinned
SPINE_EDGE = 20.0  # [mm] plywood left around the spine hole, above and below


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
    receiver_od: float = param(25.4, "mm", "receiver tube outside diameter", ge=6.0, le=90.0)
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
        return {"spine_profile": Choices(tubes),
                "rib_thickness": Choices(tuple(catalog.stock_thicknesses("plywood")))}

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
        return broken


@dataclass(frozen=True)
class Trough:
    """What the optics and heat-yield analyses read: the parameters, the focal length [mm], and where the
    rib's frame (parabola vertex at the origin) lies in the rib part's frame: part = rib frame + ``rib_origin``."""

    params: ConcentratorParams
    focal_length: float
    rib_part: str
    rib_origin: tuple[float, float]


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
    rib = rib_part("rib", p.aperture, f, p.mirror_thickness, p.rib_depth, p.rib_thickness, hole,
                   quantity=len(stations))
    assy = cq.Assembly(name="concentrator")
    wood = cq.Color(0.85, 0.7, 0.45)
    for i, y in enumerate(stations):
        # the rib stands across the axis: its sheet plane XY turned up to XZ, stations along Y
        assy.add(rib.solid, name=f"rib-{i + 1}", color=wood,
                 loc=located(rib.solid, rotate_x=90.0, offset=(0.0, y + p.rib_thickness / 2, 0.0)))
    stock = [StockPart("spine", p.spine_profile, round(p.length, 1), 1, label="TROUGH-SPINE")]
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
    }
    ex, _, bottom = rib_outline(p.aperture, f, p.mirror_thickness, p.rib_depth)
    trough = Trough(p, f, rib.name, (-float(ex[0]), -float(bottom)))
    return Design("concentrator", assy, [rib], stock, [], summary=summary, trough=trough)
