"""Steady-state temperature rise of a sealed enclosure.

P = k·A·ΔT  →  ΔT = P / (k·A)
k [W/m²·K] is the overall heat-transfer coefficient of the wall (film + wall):
about 3.5 for plastic, 5.5 for painted steel, 12 for aluminium — the sizing rule
used in enclosure makers' guides (e.g. nVent Hoffman "Heat dissipation in
electrical enclosures", Rittal "Climate control" handbook).
Each material's k is in its catalog file (``bom/materials/<id>.yaml``). Solar
load is not in this formula: the node enclosure assumes a sun shield, or its
solar gain is passed in as watts.
"""

from __future__ import annotations


def box_surface_area(outer_x: float, outer_y: float, outer_z: float) -> float:
    """All six outside faces of a box [m²] from its outside dimensions [mm] (pole-mounted: every face is in air)."""
    return 2.0 * (outer_x * outer_y + outer_x * outer_z + outer_y * outer_z) * 1e-6


def temperature_rise(heat_w: float, area_m2: float, k_w_m2k: float) -> float:
    """ΔT [K] = P / (k·A) (enclosure makers' sizing rule, see module docstring)."""
    return heat_w / (k_w_m2k * area_m2)


def enclosure_thermal(*, heat_w: float, outer_x: float, outer_y: float, outer_z: float, k_w_m2k: float,
                      ambient_c: float, rating_c: float, solar_gain_w: float = 0.0) -> dict[str, float | bool]:
    """Inside air temperature of a sealed box and whether it stays under the equipment's rating."""
    k = k_w_m2k
    area = box_surface_area(outer_x, outer_y, outer_z)
    rise = temperature_rise(heat_w + solar_gain_w, area, k)
    inside = ambient_c + rise
    return {
        "heat_w": round(heat_w + solar_gain_w, 3),
        "surface_area_m2": round(area, 5),
        "k_w_m2k": k,
        "temperature_rise_k": round(rise, 3),
        "ambient_c": ambient_c,
        "inside_c": round(inside, 3),
        "rating_c": rating_c,
        "margin_k": round(rating_c - inside, 3),
        "ok": inside <= rating_c,
    }
