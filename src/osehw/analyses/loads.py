"""Loads analysis: what a design puts on whatever carries and feeds it, summed over its tree.

Each design declares its own loads (``Design.loads``); a node's tower and
power system read these totals. Weights and powers add; projected wind areas
(EPA) add as TIA-222 sums appurtenances on one face; the height of the
resultant is the EPA-weighted mean height.
"""

from __future__ import annotations

from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.design import Load


def total_load(loads: list[Load]) -> Load:
    epa = sum(ld.wind_area_m2 for ld in loads)
    height = sum(ld.wind_area_m2 * ld.height for ld in loads) / epa if epa else 0.0
    return Load("total", weight_kg=round(sum(ld.weight_kg for ld in loads), 3), wind_area_m2=round(epa, 4),
                height=round(height, 1), electrical_w=round(sum(ld.electrical_w for ld in loads), 3),
                heat_w=round(sum(ld.heat_w for ld in loads), 3))


@register("loads", applies=lambda design: bool(design.all_loads()))
def loads(inputs: Inputs) -> AnalysisResult:
    found = inputs.design.all_loads()
    total = total_load([ld for _, ld in found])
    rows = [{"design": path or inputs.design.name, "load": ld.name, "weight_kg": ld.weight_kg,
             "wind_area_m2": ld.wind_area_m2, "height_mm": ld.height, "electrical_w": ld.electrical_w,
             "heat_w": ld.heat_w} for path, ld in found]
    summary = {"weight_kg": total.weight_kg, "wind_area_m2": total.wind_area_m2, "wind_height_mm": total.height,
               "electrical_w": total.electrical_w, "heat_w": total.heat_w}
    return AnalysisResult("loads", (), summary, {"loads": rows})
