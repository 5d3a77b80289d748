"""The design's steady-state inside temperature stays under its equipment's rating."""

from __future__ import annotations

from osehw.checks import register
from osehw.design import Design, Finding


@register("thermal")
def check_thermal(design: Design) -> list[Finding]:
    result = design.analyses.get("thermal")
    if not result:
        return []
    msg = (f"inside {result['inside_c']:.1f} °C = ambient {result['ambient_c']:.1f} °C + "
           f"{result['heat_w']:.1f} W / ({result['k_w_m2k']} W/m²K × {result['surface_area_m2']:.3f} m²); "
           f"rating {result['rating_c']:.0f} °C, margin {result['margin_k']:.1f} K")
    if result["ok"]:
        return [Finding("THERMAL_OK", "info", design.name, msg)]
    return [Finding("THERMAL_OVER", "error", design.name, msg)]
