"""Thermal analysis: a sealed box's steady inside temperature against its equipment's rating."""

from __future__ import annotations

from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.findings import Finding
from osehw.physics.thermal import enclosure_thermal


@register("thermal", applies=lambda design: design.sealed_box is not None)
def thermal(inputs: Inputs) -> AnalysisResult:
    box = inputs.design.sealed_box
    assert box is not None
    result = enclosure_thermal(heat_w=box.heat_w, outer_x=box.outer_x, outer_y=box.outer_y, outer_z=box.outer_z,
                               material=box.material, ambient_c=box.ambient_c, rating_c=box.rating_c,
                               solar_gain_w=box.solar_gain_w)
    msg = (f"inside {result['inside_c']:.1f} °C = ambient {result['ambient_c']:.1f} °C + "
           f"{result['heat_w']:.1f} W / ({result['k_w_m2k']} W/m²K × {result['surface_area_m2']:.3f} m²); "
           f"rating {result['rating_c']:.0f} °C, margin {result['margin_k']:.1f} K")
    finding = (Finding("THERMAL_OK", "info", inputs.design.name, msg) if result["ok"]
               else Finding("THERMAL_OVER", "error", inputs.design.name, msg))
    return AnalysisResult("thermal", (finding,), result)
