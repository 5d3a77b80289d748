"""Least-cost sizing of a PV + battery system, as HOMER does for microgrids: simulate every candidate
hour by hour over the year and keep the one with the lowest lifetime cost that meets the loss-of-load
target.

Candidates: array tilt × bank string voltage × module count × battery block × parallel strings, every one
simulated (no monotonicity is assumed: a bigger bank costs more up front but cycles shallower and may be
replaced less often). Parallel strings stop at ``max_strings`` (4): lead-acid makers advise against
more parallel strings, whose currents share unevenly (e.g. Trojan and Rolls battery installation
guides: three, at most four).

Lifetime cost (net present cost, HOMER's definition without salvage): capital + each replacement
discounted, C / (1 + r)^t at each year t < the project life where a component wears out (Short,
Packey & Holt 1995, NREL/TP-462-5173, present value of a future cost). The battery's life comes from its own
simulated year (:func:`osehw.physics.battery.years_to_replacement`); controllers last
``controller_life_years``; modules outlast the project.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from osehw.catalog.power import BatteryBlock, Controller, Module
from osehw.physics import battery
from osehw.physics.controller import Layout, layout
from osehw.physics.energy_balance import Battery, year_totals


@dataclass(frozen=True)
class Costs:
    """Unit prices [USD] by catalog id, and the money terms."""

    unit_usd: dict[str, float]
    project_years: float = 20.0
    discount_rate: float = 0.05
    controller_life_years: float = 15.0  # estimate: 5-year warranty, electronics in a sealed box
    mount_usd_per_module: float = 0.0  # rack, clamps and anchors per module [USD]


@dataclass(frozen=True)
class Candidate:
    tilt: float
    string_voltage: int
    module_id: str
    modules: int
    kwp: float
    block_id: str
    strings: int
    blocks: int
    capacity_wh: float
    layout: Layout
    unmet_hours: int
    unmet_wh: float
    battery_years: float
    capital_usd: float
    lifetime_usd: float


@dataclass(frozen=True)
class SearchResult:
    best: Candidate | None
    tried: list[Candidate] = field(default_factory=list)  # every candidate that meets the target
    simulations: int = 0


def present_value_of_replacements(cost: float, life_years: float, project_years: float, rate: float) -> float:
    """Σ cost / (1 + r)^(k·life) for every replacement k·life < project life (NREL/TP-462-5173)."""
    if not math.isfinite(life_years) or life_years <= 0:
        return 0.0
    total, k = 0.0, 1
    while k * life_years < project_years - 1e-9:
        total += cost / (1.0 + rate) ** (k * life_years)
        k += 1
    return total


def lifetime_cost(module_usd: float, battery_usd: float, controller_usd: float, battery_years: float,
                  costs: Costs) -> tuple[float, float]:
    """(capital, lifetime) cost [USD]."""
    capital = module_usd + battery_usd + controller_usd
    later = (present_value_of_replacements(battery_usd, battery_years, costs.project_years, costs.discount_rate)
             + present_value_of_replacements(controller_usd, costs.controller_life_years, costs.project_years,
                                             costs.discount_rate))
    return capital, capital + later


def bank_of(block: BatteryBlock, string_voltage: int, strings: int, dod: float, charge_eff: float) -> Battery:
    """The loop's view of ``strings`` parallel strings of ``block`` at ``string_voltage``."""
    capacity = string_voltage * block.capacity_ah * strings
    return Battery(capacity, dod=dod, charge_eff=charge_eff,
                   max_charge_w=block.max_charge_c * block.capacity_ah * strings * string_voltage)


def least_cost(pv_per_kwp_by_tilt: dict[float, np.ndarray], load_w: np.ndarray, battery_c: np.ndarray,
               module: Module, blocks: list[BatteryBlock], controllers: list[Controller], costs: Costs, *,
               string_voltages: tuple[int, ...] = battery.STRING_VOLTAGES, max_modules: int = 24,
               max_strings: int = 4, allowed_unmet_hours: int = 0, dod: float = 0.5, charge_eff: float = 0.85,
               record_low_c: float = -25.0, preferred_tilt: float | None = None) -> SearchResult:
    """The least lifetime cost system meeting ``allowed_unmet_hours`` (see module docstring).

    ``pv_per_kwp_by_tilt``: tilt [deg] → hourly DC power of 1 kWp [W] after array losses;
    ``load_w``: hourly load at the battery bus [W] (controller self-consumption is added here);
    ``battery_c``: hourly battery temperature [°C]. Among candidates of equal cost the one with the fewest
    modules and blocks wins, then the tilt nearest ``preferred_tilt`` (the latitude: the usual choice)."""
    tried: list[Candidate] = []
    sims = 0
    mean_c = float(np.mean(battery_c))
    for tilt, per_kwp in sorted(pv_per_kwp_by_tilt.items()):
        for volts in string_voltages:
            for n in range(1, max_modules + 1):
                lays = [lay for c in controllers if (lay := layout(module, n, c, volts, record_low_c))]
                if not lays:
                    continue
                lay = min(lays, key=lambda ly: (ly.controllers * costs.unit_usd[ly.controller.id], ly.controller.id))
                kwp = n * module.stc_w / 1000.0
                # what reaches the battery bus: controller efficiency, capped at the controllers' output
                pv = np.minimum(per_kwp * lay.controller.efficiency, lay.output_w(volts) / kwp)
                load = load_w + lay.controllers * lay.controller.self_consumption_w
                for block in blocks:
                    for strings in range(1, max_strings + 1):
                        bank = bank_of(block, volts, strings, dod, charge_eff)
                        hours, unmet, damage = year_totals(pv, kwp, load, bank, battery_c)
                        sims += 1
                        if hours > allowed_unmet_hours:
                            continue
                        years = min(1.0 / damage if damage > 0 else math.inf, battery.float_life_years(mean_c))
                        blocks_n = strings * volts // block.block_v
                        capital, life = lifetime_cost(n * (costs.unit_usd[module.id] + costs.mount_usd_per_module),
                                                      blocks_n * costs.unit_usd[block.id],
                                                      lay.controllers * costs.unit_usd[lay.controller.id], years, costs)
                        tried.append(Candidate(tilt, volts, module.id, n, kwp, block.id, strings, blocks_n,
                                               bank.capacity_wh, lay, hours, unmet, years, round(capital, 2),
                                               round(life, 2)))
    prefer = preferred_tilt if preferred_tilt is not None else 0.0
    best = min(tried, key=lambda c: (c.lifetime_usd, c.capital_usd, c.modules, c.blocks, abs(c.tilt - prefer), c.tilt,
                                     c.string_voltage, c.block_id), default=None)
    return SearchResult(best, tried, sims)
