"""Node classes and the network's rollup. A class is (tower sections, climate class); each distinct class is
built once through the build pipeline — ``designs/node-relay-3link.yaml`` with the class's sections and, at the
class's climate station (plan/climate.py), the power system the least-cost search sizes there — and its
figures are read from that build:

- capital: the bill of materials' total (analyses/cost.py, the same figure as the economics' ``capital_usd``);
- yearly cost: the economics analysis (annualised capital + O&M; analyses/economics.py);
- aluminium: the aluminium analysis (the tower's cut list and plates; analyses/aluminium.py);
- PV kWp and battery kWh: the power system's own figures, proven by its energy analysis in the class's weather.

Builds run in the planner's process (no CadQuery object reaches a Dask worker), analyses only: no CAM (the bill
then counts sheets by part area, which for the node gives the same sheets as the nesting) and without the
``geometry`` analyses (interference and printability checks of the CadQuery solids, three quarters of a node's
analysis time, which no class figure reads), and with no SVG figure rendered (``core.figures.figures_off``: a
third of what was left). Each class's figures — and each climate's power sizing — are kept
in the stage cache (osehw.core.cache) under a key of everything they read, so a second plan reuses them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from osehw.core.cache import StageCache, stage_key

NODE_DESIGN = "node-relay-3link"
SKIPPED_ANALYSES = ("geometry",)  # CadQuery solid checks: no class figure reads them
# The node design's tower checks its own reference hop (16.1 km, 15 m clutter): in a plan the sections come from
# the plan's links (plan/links.py), so that one finding says nothing about the class.
PLAN_SETS_HEIGHT = ("LINK_CLEARANCE",)
# A taller class than the node design's tower stands under takes the first of these tower variants, in order,
# whose structure analysis passes: more splice bolts first (the bottom splice governs first as the tower grows;
# the tower design's limit is 8), then a wider base up to the design's 3 m (less leg force for the same
# overturning moment). The first entry is the node design's own tower. A class that no variant makes stand keeps
# the last one's findings.
TOWER_VARIANTS: tuple[dict[str, Any], ...] = ({}, {"splice_bolts": 8}, {"splice_bolts": 8, "base_face_width": 2700},
                                              {"splice_bolts": 8, "base_face_width": 3000})  # the design's widest
TOWER_CODES = frozenset({"STRUCT_MEMBER_FAILS", "STRUCT_CONNECTION_FAILS", "STRUCT_DISH_AIM"})


@dataclass(frozen=True)
class ClassFigures:
    """What one class's build gives the plan (plain numbers: picklable, cacheable)."""

    sections: int
    climate: str
    capital_usd: float
    annual_cost_usd: float
    aluminium_kg: float
    pv_kwp: float
    battery_kwh: float
    unmet_hours: int
    load_w: float  # [W] continuous at the battery bus
    rule_pv_kwp: float  # the worst-month rule of thumb beside the simulation (analyses/energy.py)
    dish_height_m: float
    power: tuple[tuple[str, Any], ...]  # the power-system fields the class was built with
    weather: str  # the energy analysis' weather label
    errors: tuple[str, ...]  # error findings of the build, "CODE: subject"
    build_seconds: float
    tower: tuple[tuple[str, Any], ...] = ()  # the tower fields the class set over the node design's (TOWER_VARIANTS)

    @property
    def name(self) -> str:
        return class_name(self.sections, self.climate)


def class_name(sections: int, climate: str) -> str:
    return f"s{sections:02d}-{climate}"


def _node(sections: int, power: dict[str, Any] | None = None, variant: dict[str, Any] | None = None):
    """The node design's loaded file with the tower's sections (and its variant's fields, and the power fields)
    set."""
    from osehw.pipeline import load

    base = load(NODE_DESIGN)
    tower = base.params.tower.model_dump(mode="json", exclude_none=True)
    tower["params"] = {**tower.get("params", {}), **(variant or {}), "sections": sections}
    return load(NODE_DESIGN, {"tower": tower, "power": {**base.params.power, **(power or {})}})


def size_power(climate: str, folder: Path, cache: StageCache) -> dict[str, Any]:
    """The least lifetime-cost power system for the node's load in the climate's weather year
    (analyses/energy.py ``least_cost_at_site``: every module count, tilt, bank voltage, battery and string count
    simulated hour by hour), as node ``power`` fields."""
    from osehw.analyses.energy import least_cost_at_site
    from osehw.core.weather import weather_year
    from osehw.designs.node import power_params
    from osehw.designs.power_system import build
    from osehw.physics import battery
    from osehw.plan.climate import class_site, climate_classes

    c = climate_classes()[climate]
    node = _node(9)
    p = power_params(node.params).model_copy(update={"rack": False, "record_low_c": c.record_low_c})
    site = class_site(c, folder)
    weather = weather_year(site)
    key = stage_key("plan-power", c, p.model_dump(mode="json"), weather.data.to_numpy().tobytes())
    hit = cache.get("plan-power", key)
    if hit is not None:
        return hit
    spec = build(p).power_system
    battery_c = battery.battery_temperature(weather.data["temp_air"].to_numpy(), p.battery_temp_rise_k)
    best = least_cost_at_site(site, weather, battery_c, spec).best
    if best is None:
        raise ValueError(f"no power system within {p.search_max_modules} modules meets the node's load at "
                         f"{site.name}")
    fields = {"modules": best.modules, "tilt": best.tilt, "string_voltage": best.string_voltage,
              "battery": best.block_id, "battery_strings": best.strings, "controller": best.layout.controller.id,
              "record_low_c": c.record_low_c}
    cache.put("plan-power", key, fields)
    return fields


def run_class(sections: int, climate: str, power: dict[str, Any], folder: Path,
              variant: dict[str, Any] | None = None) -> Any:
    """One class through the pipeline (model → analyses → bill of materials → economics): its BuildResult."""
    from dataclasses import replace

    from osehw.core.figures import figures_off
    from osehw.pipeline import BuildPipeline
    from osehw.plan.climate import class_site, climate_classes

    pipe = BuildPipeline(skip_analyses=SKIPPED_ANALYSES)
    start = replace(pipe.start(_node(sections, power, variant)), site=class_site(climate_classes()[climate], folder),
                    done=("cam",))  # no CAM: the bill counts sheets by area
    with figures_off():  # numbers only: no SVG is rendered
        return pipe.run(start, "check")


def figures_of(r: Any, sections: int, climate: str, power: dict[str, Any], seconds: float,
               variant: dict[str, Any] | None = None) -> ClassFigures:
    """The figures the plan reads from a class's build."""
    a = r.analyses
    energy = a["power-system/energy"].summary
    return ClassFigures(
        sections=sections, climate=climate, capital_usd=float(r.bom_total_usd),
        annual_cost_usd=float(a["economics"].summary["annual_cost_usd"]),
        aluminium_kg=float(a["aluminium"].summary["tower_aluminium_kg"]),
        pv_kwp=float(energy["pv_kwp"]), battery_kwh=float(energy["battery_kwh"]),
        unmet_hours=int(energy["unmet_hours"]), load_w=float(energy["load_w"]),
        rule_pv_kwp=float(energy["rule_pv_kwp"]), dish_height_m=float(r.design.summary["dish_height_m"]),
        power=tuple(sorted(power.items())), tower=tuple(sorted((variant or {}).items())),
        weather=str(energy["weather"]),
        errors=tuple(sorted(f"{f.code}: {f.subject}" for f in r.errors if f.code not in PLAN_SETS_HEIGHT)),
        build_seconds=round(seconds, 1))


def build_class(sections: int, climate: str, power: dict[str, Any], folder: Path,
                cache: StageCache) -> ClassFigures:
    """One class's figures: from the stage cache when everything it reads is unchanged, else built."""
    from osehw.core.weather import weather_year
    from osehw.plan.climate import class_site, climate_classes

    site = class_site(climate_classes()[climate], folder)
    key = stage_key("plan-class", _node(sections, power).params.model_dump(mode="json"), TOWER_VARIANTS,
                    site.model_dump(exclude={"path"}), weather_year(site).data.to_numpy().tobytes(), SKIPPED_ANALYSES)
    hit = cache.get("plan-class", key)
    if hit is not None:
        return hit
    t = time.perf_counter()
    for variant in TOWER_VARIANTS:  # the first tower that stands
        result = run_class(sections, climate, power, folder, variant)
        if not any(f.code in TOWER_CODES for f in result.errors):
            break
    figures = figures_of(result, sections, climate, power, time.perf_counter() - t, variant)
    cache.put("plan-class", key, figures)
    return figures


def build_classes(keys: list[tuple[int, str]], cache: StageCache | None = None,
                  log: Callable[[str], None] = lambda _: None) -> dict[tuple[int, str], ClassFigures]:
    """Every (sections, climate) in ``keys`` built once (sorted), saying which one it is at as it goes."""
    import tempfile

    cache = cache if cache is not None else StageCache.default()
    folder = cache.root / "plan-weather" if cache.root is not None else Path(tempfile.mkdtemp(prefix="osehw-plan-"))
    todo = sorted(set(keys))
    powers: dict[str, dict[str, Any]] = {}
    out = {}
    t0 = time.perf_counter()
    for i, (sections, climate) in enumerate(todo, 1):
        if climate not in powers:
            log(f"  sizing the power system for the {climate} climate")
            powers[climate] = size_power(climate, folder, cache)
        t = time.perf_counter()
        out[(sections, climate)] = build_class(sections, climate, powers[climate], folder, cache)
        log(f"  class {i}/{len(todo)} {class_name(sections, climate)}: ${out[(sections, climate)].capital_usd:,.2f} "
            f"({time.perf_counter() - t:.1f} s; {time.perf_counter() - t0:.0f} s so far)")
    return out


def class_table(sites: pd.DataFrame, built: dict[tuple[int, str], ClassFigures] | None) -> pd.DataFrame:
    """Node count, unit and total figures per class, sorted by class name (counts only when ``built`` is None:
    the plan was asked not to build its classes)."""
    rows = []
    for (sections, climate), group in sites.groupby(["class_sections", "climate"], sort=True):
        n = len(group)
        row: dict[str, Any] = {"class": class_name(int(sections), str(climate)), "sections": int(sections),
                               "climate": str(climate), "nodes": n,
                               "tower_height_m": round(group.dish_height_m.min(), 3)}
        if built is not None:
            f = built[(int(sections), str(climate))]
            power = dict(f.power)
            row.update({"capital_usd": round(f.capital_usd, 2), "total_capital_usd": round(f.capital_usd * n, 2),
                        "annual_cost_usd": round(f.annual_cost_usd, 2), "aluminium_kg": round(f.aluminium_kg, 1),
                        "pv_kwp": round(f.pv_kwp, 4), "battery_kwh": round(f.battery_kwh, 3),
                        "rule_pv_kwp": round(f.rule_pv_kwp, 3),
                        "modules": power.get("modules"), "tilt_deg": power.get("tilt"),
                        "battery": f"{power.get('battery')} × {power.get('battery_strings')} at "
                                   f"{power.get('string_voltage')} V",
                        "tower_variant": ", ".join(f"{k}={v}" for k, v in f.tower),
                        "unmet_hours": f.unmet_hours, "errors": "; ".join(f.errors)})
        rows.append(row)
    return pd.DataFrame(rows)


def rollup(sites: pd.DataFrame, links: pd.DataFrame, classes: pd.DataFrame, subscribers_per_node: float,
           budget_per_node_usd: float, target_usd_per_sub_year: float) -> dict[str, Any]:
    """The network's totals and its economics against the seed's budget and price."""
    nodes = int(classes.nodes.sum())
    out: dict[str, Any] = {
        "sites": int(len(sites)), "gateways": int(sites.gateway.sum()), "links": int(len(links)),
        "node_classes": int(len(classes)), "nodes": nodes,
        "links_below_margin": int((links.modulation == "").sum()),
        "sites_too_tall": int(sites.too_tall.sum()), "isolated_sites": int((sites.links == 0).sum()),
        "classes_built": "capital_usd" in classes,
    }
    if out["classes_built"]:
        capital = float(classes.total_capital_usd.sum())
        annual = float((classes.annual_cost_usd * classes.nodes).sum())
        per_sub = annual / (nodes * subscribers_per_node) if nodes else 0.0
        out.update({
            "total_capital_usd": round(capital, 2),
            "capital_per_node_usd": round(capital / nodes, 2) if nodes else 0.0,
            "budget_usd": round(budget_per_node_usd * nodes, 2),
            "capital_share_of_budget": round(capital / (budget_per_node_usd * nodes), 4) if nodes else 0.0,
            "annual_cost_usd": round(annual, 2), "cost_per_subscriber_year_usd": round(per_sub, 2),
            "target_usd_per_subscriber_year": target_usd_per_sub_year,
            "aluminium_t": round(float((classes.aluminium_kg * classes.nodes).sum()) / 1000.0, 1),
            "pv_kw": round(float((classes.pv_kwp * classes.nodes).sum()), 1),
            "battery_kwh": round(float((classes.battery_kwh * classes.nodes).sum()), 1),
            "classes_with_errors": int((classes.errors != "").sum()),
            "nodes_in_classes_with_errors": int(classes.nodes[classes.errors != ""].sum()),
        })
    out.update({"radios": 2 * int(len(links)), "dishes": 2 * int(len(links)),
                "tower_sections": int(sites.sections.sum()), **capacity_rollup(sites, links)})
    return out


def capacity_rollup(sites: pd.DataFrame, links: pd.DataFrame) -> dict[str, float | int | bool]:
    """Routing's totals when the plan has gateways (plan/capacity.py), else only ``routed: False``."""
    if "served" not in sites:
        return {"routed": False}
    reached = sites[sites.hops >= 0]
    return {"routed": True, "unserved_sites": int((~sites.served).sum()),
            "unreachable_sites": int((sites.hops < 0).sum()), "max_hops": int(reached.hops.max()),
            "mean_hops": round(float(reached.hops.mean()), 3), "overloaded_links": int((links.load_mbps >
                                                                                       links.capacity_mbps).sum())}
