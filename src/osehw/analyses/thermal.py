"""Thermal analysis: a sealed box's steady inside temperature against its equipment's rating."""

from __future__ import annotations

from typing import Any

from osehw import catalog
from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.findings import Finding
from osehw.physics.thermal import enclosure_thermal


def heat_figure(result: dict[str, Any]) -> str:
    """Inside temperature against heat load (the straight line ΔT = P / kA), the rating and the
    design point: how much more heat the box can take."""
    from osehw.core.figures import figure, svg_text

    k, area = result["k_w_m2k"], result["surface_area_m2"]
    at_rating = (result["rating_c"] - result["ambient_c"]) * k * area  # [W] that brings the inside to the rating
    top = max(2 * result["heat_w"], 1.25 * at_rating, 1.0)
    with figure(6.0, 3.4) as (fig, ax):
        ax.plot([0, top], [result["ambient_c"], result["ambient_c"] + top / (k * area)], color="#1f4e79",
                label=f"inside = ambient + P / ({k:g} W/m²K × {area:.3f} m²)")
        ax.axhline(result["rating_c"], color="#b03030", linestyle="--", label=f"rating {result['rating_c']:.0f} °C")
        ax.plot([result["heat_w"]], [result["inside_c"]], "o", color="#1f4e79",
                label=f"this design: {result['heat_w']:.1f} W → {result['inside_c']:.1f} °C")
        if at_rating > 0:
            ax.axvline(at_rating, color="#999999", linewidth=0.8)
            ax.annotate(f"{at_rating:.0f} W at the rating", (at_rating, result["ambient_c"]), fontsize=7,
                        xytext=(4, 4), textcoords="offset points")
        ax.set_xlabel("heat released inside + solar gain [W]")
        ax.set_ylabel("inside air [°C]")
        ax.set_title(f"Enclosure temperature at {result['ambient_c']:.0f} °C ambient")
        ax.legend(loc="upper left", fontsize=7)
        return svg_text(fig)


@register("thermal", applies=lambda design: design.sealed_box is not None)
def thermal(inputs: Inputs) -> AnalysisResult:
    box = inputs.design.sealed_box
    assert box is not None
    result = enclosure_thermal(heat_w=box.heat_w, outer_x=box.outer_x, outer_y=box.outer_y, outer_z=box.outer_z,
                               k_w_m2k=catalog.material(box.material).heat_transfer_w_m2k, ambient_c=box.ambient_c,
                               rating_c=box.rating_c, solar_gain_w=box.solar_gain_w)
    msg = (f"inside {result['inside_c']:.1f} °C = ambient {result['ambient_c']:.1f} °C + "
           f"{result['heat_w']:.1f} W / ({result['k_w_m2k']} W/m²K × {result['surface_area_m2']:.3f} m²); "
           f"rating {result['rating_c']:.0f} °C, margin {result['margin_k']:.1f} K")
    finding = (Finding("THERMAL_OK", "info", inputs.design.name, msg) if result["ok"]
               else Finding("THERMAL_OVER", "error", inputs.design.name, msg))
    return AnalysisResult("thermal", (finding,), result, figures={"heat-load": heat_figure(result)})
