"""Node classes and the network's rollup: a class is (tower sections, climate class); its capital comes from a
per-section cost model fitted to the relay node's own build, its power system scaled by its climate's sun.

Reference numbers (REFERENCE): ``osehw build node-relay-3link`` at commit 830b2dd (2026-11-25; Greensboro NC,
9 sections, 3 backhaul links, catalog prices of bom/catalog.csv, most of them estimates):

- capital $35,281.76 (bom total; the node has since grown to $36,040.97 with pipe legs: re-fit this reference);
- tower structure rows $14,177.42 for 9 sections (pad included), spread evenly per section as
  analyses/economics.py does for its ±sections tornado (an estimate: a lower section is wider and heavier,
  and the pad grows with the height, so the true cost rises faster than linearly);
- tower crew 6 h per section at $41/h burdened (bom/catalog.csv labour-tower-crew, BLS OEWS 49-9052);
- power system $4,630.00 + rack $535.20, sized for Greensboro: PV 3.3034 kWp, battery 9.6 kWh;
- tower aluminium 398.8 kg (its cut list and plates; analyses/aluminium.py), 44.3 kg per section if spread
  evenly (the same estimate);
- yearly cost $4,798.65 (annualised capital at 5 % real + O&M), 333 subscribers.

A class's capital is the reference capital plus (sections − 9) × the per-section cost plus the power system's
cost × (its climate factor − 1). Each class is not yet built through the CadQuery pipeline (that would size its
lattice, pad and power system properly): this module is the numeric stand-in, and says so in the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from osehw.physics.economics import crf

REFERENCE = {
    "capital_usd": 35_281.76,
    "sections": 9,
    "tower_structure_usd": 14_177.42,
    "crew_hours_per_section": 6.0,
    "crew_usd_per_hour": 41.0,
    "power_system_usd": 4_630.00 + 535.20,
    "pv_kwp": 3.3034,
    "battery_kwh": 9.6,
    "tower_aluminium_kg": 398.8,
    "annual_cost_usd": 4_798.65,
    "discount_rate": 0.05,
    "structure_life_years": 30.0,
    "insurance_fraction": 0.01,
    "radios_per_link_end": 1,
}
PER_SECTION_USD = (REFERENCE["tower_structure_usd"] / REFERENCE["sections"]
                   + REFERENCE["crew_hours_per_section"] * REFERENCE["crew_usd_per_hour"])
ALUMINIUM_KG_PER_SECTION = REFERENCE["tower_aluminium_kg"] / REFERENCE["sections"]

# Climate classes by annual mean global horizontal irradiance [kWh/m²/day], read by eye from NREL's National
# Solar Radiation Database annual GHI map (PSM v3, 1998-2016 average; nrel.gov/gis/solar.html) per state — an
# estimate, with one class per state (a state spanning two bands takes its populated part's). The power system
# is scaled by the reference site's sun over the class's (Greensboro NC ≈ 4.7, "moderate"): the PV for the
# same yield and the battery for the same autonomy. The worst month, which sizes an off-grid system, differs
# more between classes than the annual mean; building each class's power system through the pipeline (its own
# TMY year) will replace this factor.
CLIMATE_GHI = {"sunny": 5.7, "moderate": 4.7, "cloudy": 3.9}
REFERENCE_GHI = CLIMATE_GHI["moderate"]
_SUNNY = "AZ CA CO NM NV UT TX FL"
_CLOUDY = "WA OR ME NH VT NY PA OH MI WI MN IN WV MA CT RI"
CLIMATE_BY_STATE = {**{s: "sunny" for s in _SUNNY.split()}, **{s: "cloudy" for s in _CLOUDY.split()}}


def climate_of(state: str) -> str:
    return CLIMATE_BY_STATE.get(state, "moderate")


def power_factor(climate: str) -> float:
    """The power system's size relative to the reference node's, for the same load and the same days of
    autonomy: inversely proportional to the sun (PV energy = kWp × peak-sun hours; Masters, *Renewable and
    Efficient Electric Power Systems*, 2nd ed., §9.7, off-grid sizing)."""
    return REFERENCE_GHI / CLIMATE_GHI[climate]


@dataclass(frozen=True)
class NodeClass:
    sections: int
    climate: str

    @property
    def name(self) -> str:
        return f"s{self.sections:02d}-{self.climate}"

    @property
    def capital_usd(self) -> float:
        return (REFERENCE["capital_usd"] + (self.sections - REFERENCE["sections"]) * PER_SECTION_USD
                + REFERENCE["power_system_usd"] * (power_factor(self.climate) - 1.0))

    @property
    def annual_cost_usd(self) -> float:
        """The reference yearly cost plus the capital difference annualised over the structure's life, with
        its insurance share (capital recovery factor: Short, Packey & Holt 1995, NREL/TP-462-5173, eq. 4-7)."""
        delta = self.capital_usd - REFERENCE["capital_usd"]
        rate = crf(REFERENCE["discount_rate"], REFERENCE["structure_life_years"]) + REFERENCE["insurance_fraction"]
        return REFERENCE["annual_cost_usd"] + delta * rate

    @property
    def aluminium_kg(self) -> float:
        return self.sections * ALUMINIUM_KG_PER_SECTION

    @property
    def pv_kwp(self) -> float:
        return REFERENCE["pv_kwp"] * power_factor(self.climate)

    @property
    def battery_kwh(self) -> float:
        return REFERENCE["battery_kwh"] * power_factor(self.climate)


def class_table(sites: pd.DataFrame) -> pd.DataFrame:
    """Node count, unit and total figures per class, sorted by class name."""
    rows = []
    for (sections, climate), group in sites.groupby(["sections", "climate"], sort=True):
        nc = NodeClass(int(sections), str(climate))
        n = len(group)
        rows.append({"class": nc.name, "sections": nc.sections, "climate": nc.climate, "nodes": n,
                     "tower_height_m": round(group.dish_height_m.iloc[0], 3),
                     "capital_usd": round(nc.capital_usd, 2), "total_capital_usd": round(nc.capital_usd * n, 2),
                     "annual_cost_usd": round(nc.annual_cost_usd, 2), "aluminium_kg": round(nc.aluminium_kg, 1),
                     "pv_kwp": round(nc.pv_kwp, 3), "battery_kwh": round(nc.battery_kwh, 2)})
    return pd.DataFrame(rows)


def rollup(sites: pd.DataFrame, links: pd.DataFrame, classes: pd.DataFrame, subscribers_per_node: float,
           budget_per_node_usd: float, target_usd_per_sub_year: float) -> dict[str, float | int]:
    """The network's totals and its economics against the seed's budget and price."""
    nodes = int(classes.nodes.sum())
    capital = float(classes.total_capital_usd.sum())
    annual = float((classes.annual_cost_usd * classes.nodes).sum())
    per_sub = annual / (nodes * subscribers_per_node) if nodes else 0.0
    return {
        "sites": int(len(sites)), "gateways": int(sites.gateway.sum()), "links": int(len(links)),
        "node_classes": int(len(classes)), "nodes": nodes,
        "links_below_margin": int((links.modulation == "").sum()),
        "sites_too_tall": int(sites.too_tall.sum()), "isolated_sites": int((sites.links == 0).sum()),
        "total_capital_usd": round(capital, 2), "capital_per_node_usd": round(capital / nodes, 2) if nodes else 0.0,
        "budget_usd": round(budget_per_node_usd * nodes, 2),
        "capital_share_of_budget": round(capital / (budget_per_node_usd * nodes), 4) if nodes else 0.0,
        "annual_cost_usd": round(annual, 2), "cost_per_subscriber_year_usd": round(per_sub, 2),
        "target_usd_per_subscriber_year": target_usd_per_sub_year,
        "aluminium_t": round(float((classes.aluminium_kg * classes.nodes).sum()) / 1000.0, 1),
        "pv_kw": round(float((classes.pv_kwp * classes.nodes).sum()), 1),
        "battery_kwh": round(float((classes.battery_kwh * classes.nodes).sum()), 1),
        "radios": 2 * int(len(links)), "dishes": 2 * int(len(links)),
        "tower_sections": int(sites.sections.sum()),
        **capacity_rollup(sites, links),
    }


def capacity_rollup(sites: pd.DataFrame, links: pd.DataFrame) -> dict[str, float | int | bool]:
    """Routing's totals when the plan has gateways (plan/capacity.py), else only ``routed: False``."""
    if "served" not in sites:
        return {"routed": False}
    reached = sites[sites.hops >= 0]
    return {"routed": True, "unserved_sites": int((~sites.served).sum()),
            "unreachable_sites": int((sites.hops < 0).sum()), "max_hops": int(reached.hops.max()),
            "mean_hops": round(float(reached.hops.mean()), 3), "overloaded_links": int((links.load_mbps >
                                                                                       links.capacity_mbps).sum())}
