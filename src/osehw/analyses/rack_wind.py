"""Wind on a ground PV rack: the array's uplift against the rack's weight and its ground anchors.

The same TIA-222-H wind module as the tower (``physics/wind.py``):

- velocity pressure qz at the array's mid-height, with Kd = 0.95 (TIA-222-H Table 2-2, appurtenances:
  a panel has no lattice's directional relief) and the gust effect factor Gh of a low rigid
  structure (0.85, TIA-222-H 2.6.7);
- force coefficient Ca of a flat panel by its aspect ratio (TIA-222-H Table 2-8), the force acting
  normal to the modules (a flat plate at incidence carries its load normal to its face);
- wind from behind the array lifts it: the vertical share is F·cos(tilt);
- strength combination 0.9·D + 1.0·W (TIA-222-H 2.3.2; ASCE 7-16 2.3.1 combination 6): only 90 % of
  the rack's own weight counts against uplift. The modules' weight is left out (the module catalog
  does not list it), which errs on the safe side.

Each row stands on its own frames and anchors, so one row is checked. What the anchors must then
hold is shared equally among them; the horizontal push is reported, not checked (the anchors' lateral
capacity is not in the catalog). Member stresses are not checked here.
"""

from __future__ import annotations

import math
from typing import Any

from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.findings import Finding
from osehw.physics import wind

G = 9.80665  # [m/s²] standard gravity
DEAD_LOAD_FACTOR = 0.9  # TIA-222-H 2.3.2: 0.9 D + 1.0 W


def rack_uplift(*, tilt_deg: float, length_mm: float, depth_mm: float, mid_height_mm: float, anchors: int,
                wind_speed_m_s: float, exposure: str, rack_weight_kg: float) -> dict[str, float]:
    """Wind on one row of modules: pressure [Pa], normal force, uplift, net uplift per anchor and push [N]."""
    area_m2 = length_mm * depth_mm * 1e-6
    qz = wind.velocity_pressure_pa(wind_speed_m_s, mid_height_mm / 1000, exposure, kd=wind.KD["appurtenance"])
    gh = wind.gust_factor("self-supporting", mid_height_mm / 1000)
    ca = wind.flat_plate_ca(length_mm / depth_mm)
    force = wind.wind_force_n(qz, gh, wind.appurtenance_epa_m2(area_m2, ca))
    uplift = force * math.cos(math.radians(tilt_deg))
    resisting = DEAD_LOAD_FACTOR * rack_weight_kg * G
    return {"qz_pa": qz, "gh": gh, "ca": ca, "area_m2": area_m2, "normal_force_n": force, "uplift_n": uplift,
            "resisting_weight_n": resisting, "per_anchor_n": max(0.0, uplift - resisting) / anchors,
            "push_n": force * math.sin(math.radians(tilt_deg))}


@register("rack_wind", applies=lambda design: "wind" in design.summary and "array_area_m2" in design.summary)
def rack_wind(inputs: Inputs) -> AnalysisResult:
    w: dict[str, Any] = inputs.design.summary["wind"]
    rows = max(int(w["rows"]), 1)
    result = rack_uplift(tilt_deg=w["tilt_deg"], length_mm=w["array_length_mm"], depth_mm=w["array_depth_mm"],
                         mid_height_mm=w["mid_height_mm"], anchors=max(int(w["anchors"]) // rows, 1),
                         wind_speed_m_s=w["wind_speed_m_s"], exposure=w["exposure"],
                         rack_weight_kg=w["rack_weight_kg"] / rows)
    utilisation = result["per_anchor_n"] / w["anchor_uplift_n"]
    summary = {k: round(v, 3) for k, v in result.items()} | {"anchor_utilisation": round(utilisation, 3)}
    what = (f"wind {w['wind_speed_m_s']:g} m/s, exposure {w['exposure']}: {result['normal_force_n'] / 1000:.2f} kN "
            f"on each row's array (qz {result['qz_pa']:.0f} Pa, Gh {result['gh']:.2f}, Ca {result['ca']:.2f}), "
            f"uplift {result['uplift_n'] / 1000:.2f} kN less 0.9 x {w['rack_weight_kg'] / rows:.0f} kg of rack: "
            f"{result['per_anchor_n']:.0f} N per anchor against {w['anchor_uplift_n']:.0f} N")
    finding = (Finding("RACK_WIND_OK", "info", inputs.design.name, what) if utilisation <= 1.0 else
               Finding("RACK_UPLIFT", "error", inputs.design.name, f"{what}: short by {100 * (utilisation - 1):.0f} %"
                       " (more or stronger anchors, ballast, or a lower tilt)"))
    return AnalysisResult("rack_wind", (finding,), summary, {})
