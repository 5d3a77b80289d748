"""Aluminium due diligence for a node: the tower's metal (cut-list lengths × section area × density, plus its
routed plates), the same for the seed's network, the energy to make it by each route (``physics.smelting``),
the PV that energy would take, and what the numbers say about a mobile smelter."""

from __future__ import annotations

from typing import Any

from osehw import catalog
from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.design import Design
from osehw.core.findings import Finding
from osehw.physics import smelting

# PVWatts-order yield of a fixed array tilted near latitude in North Carolina (NREL PVWatts v8, TMY, 14 % losses):
# about 1,400 kWh per kWp a year; the node's own energy analysis reports its site's figure
PV_YIELD_KWH_PER_KWP_YEAR = 1400.0
PV_MODULE_ID = "cs6u-330p"  # the area per kWp: this catalog module's face area per STC watt
BUILD_YEARS = 1.0  # the PV is sized to make the network's metal in this many years


def metal_kg(design: Design, material_prefix: str = "aluminium") -> tuple[float, float]:
    """(bar stock kg, plate kg) of a design's aluminium: each stock part's length × its profile's section area
    × its material's density × quantity; each sheet part's solid volume × density × quantity."""
    bars = 0.0
    for part in design.stock_parts:
        prof = catalog.stock_profile(part.profile)
        if prof.material.startswith(material_prefix):
            bars += part.length * 1e-3 * prof.area_mm2 * 1e-6 * catalog.material(prof.material).density_kg_m3 \
                * part.quantity
    plates = sum(part.solid.Volume() * 1e-9 * catalog.material(part.material).density_kg_m3 * part.quantity
                 for part in design.sheet_parts if part.material.startswith(material_prefix))
    return bars, plates


def m2_per_kwp() -> float:
    from osehw.catalog import power

    module = power.modules()[PV_MODULE_ID]
    return module.length_mm * module.width_mm * 1e-6 / (module.stc_w / 1000.0)


def statement(tower_kg: float, nodes: int, routes: dict[str, tuple[float, float, float]], pv_kwp: dict[str, float],
              area_m2_per_kwp: float, node_pv_kwp: float) -> str:
    smelt = routes["smelting only (Hall–Héroult cells)"][1]
    clay = routes["primary from kaolin (clay–HCl + Hall–Héroult)"]
    remelt = routes["remelting scrap"][1]
    node_mwh = tower_kg * clay[1] / 1000
    network_t = tower_kg * nodes / 1000
    continuous_mw = network_t * 1000 * smelt / (BUILD_YEARS * 8760) / 1000
    return (f"One tower is {tower_kg:,.0f} kg of aluminium; {nodes:,} towers are {network_t:,.0f} t. Made from kaolin "
            f"on site (clay–HCl alumina + Hall–Héroult) it takes about {clay[1]:.0f} kWh/kg ({clay[0]:.0f}–{clay[2]:.0f}), "
            f"{node_mwh:,.0f} MWh per tower — the yearly yield of about {node_mwh * 1000 / PV_YIELD_KWH_PER_KWP_YEAR:,.0f} kWp "
            f"of PV ({node_mwh * 1000 / PV_YIELD_KWH_PER_KWP_YEAR / node_pv_kwp:.1f} × the node's own "
            f"{node_pv_kwp:.1f} kWp array for a year). For the network in {BUILD_YEARS:g} year that is "
            f"{pv_kwp['primary from kaolin (clay–HCl + Hall–Héroult)'] / 1000:,.0f} MWp "
            f"({pv_kwp['primary from kaolin (clay–HCl + Hall–Héroult)'] * area_m2_per_kwp / 1e6:,.1f} km² of modules), "
            f"and the cells alone draw {continuous_mw:,.0f} MW day and night: a Hall–Héroult cell runs continuously "
            "at about 960 °C and its bath freezes within hours of losing power, so PV needs storage for every night, "
            "and the cells also consume carbon anodes (about 0.4 kg per kg of metal) and need fluoride fume treatment. "
            "Energy is not what rules a mobile smelter out; continuity, anodes, fume handling and the product are: a "
            "smelter makes ingot, while the tower needs 6061-T6 tube, which takes alloying, an extrusion press and "
            f"solution heat treatment. Remelting scrap takes about {remelt:.1f} kWh/kg ({remelt / clay[1]:.0%} of the "
            "clay route), runs in batches that may stop at night, and is the route worth a field trial — for "
            "castings or for feeding an extruder, not for tube straight from the pot.")


@register("aluminium", applies=lambda design: design.node is not None and design.node.tower_path in design.children)
def aluminium(inputs: Inputs) -> AnalysisResult:
    design, spec = inputs.design, inputs.design.node
    tower = design.children[spec.tower_path]
    bars, plates = metal_kg(tower)
    tower_kg = bars + plates
    nodes = spec.economics.nodes
    network_kg = tower_kg * nodes
    routes = smelting.routes_kwh_per_kg()
    area = m2_per_kwp()
    rows, pv = [], {}
    for route, (low, mid, high) in routes.items():
        energy = network_kg * mid
        pv[route] = smelting.pv_kwp(energy, BUILD_YEARS, PV_YIELD_KWH_PER_KWP_YEAR)
        rows.append({"route": route, "kwh_per_kg_low": round(low, 2), "kwh_per_kg": round(mid, 2),
                     "kwh_per_kg_high": round(high, 2), "per_node_mwh": round(tower_kg * mid / 1000, 2),
                     "network_gwh": round(energy / 1e6, 1), "network_gwh_low": round(network_kg * low / 1e6, 1),
                     "network_gwh_high": round(network_kg * high / 1e6, 1),
                     "pv_mwp_in_one_year": round(pv[route] / 1000, 1),
                     "pv_area_km2": round(pv[route] * area / 1e6, 3)})
    node_pv = sum(float(d.summary.get("pv_kwp", 0.0)) for _, d in design.walk() if d.power_system is not None)
    text = statement(tower_kg, nodes, routes, pv, area, node_pv or float("nan"))
    summary: dict[str, Any] = {
        "tower_aluminium_kg": round(tower_kg, 1), "tower_bar_kg": round(bars, 1), "tower_plate_kg": round(plates, 1),
        "network_nodes": nodes, "network_aluminium_t": round(network_kg / 1000, 1),
        "smelting_kwh_per_kg": routes["smelting only (Hall–Héroult cells)"][1],
        "clay_route_kwh_per_kg": round(routes["primary from kaolin (clay–HCl + Hall–Héroult)"][1], 2),
        "remelt_kwh_per_kg": round(routes["remelting scrap"][1], 2),
        "network_smelting_gwh": round(network_kg * routes["smelting only (Hall–Héroult cells)"][1] / 1e6, 1),
        "network_clay_route_gwh": round(network_kg * routes["primary from kaolin (clay–HCl + Hall–Héroult)"][1] / 1e6,
                                        1),
        "network_remelt_gwh": round(network_kg * routes["remelting scrap"][1] / 1e6, 1),
        "pv_yield_kwh_per_kwp_year": PV_YIELD_KWH_PER_KWP_YEAR, "pv_m2_per_kwp": round(area, 3),
        "statement": text,
    }
    finding = Finding("ALUMINIUM_ENERGY", "info", design.name, text)
    return AnalysisResult("aluminium", (finding,), summary, {"routes": rows})
