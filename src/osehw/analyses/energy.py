"""Energy analysis: the power system's year hour by hour at its site, in the site's stated weather —
annual yield, worst month, unmet load, state of charge, energy dumped, battery life — the check against
the allowed loss of load, and the least-cost sizing at the same site for comparison."""

from __future__ import annotations

import calendar
from typing import TYPE_CHECKING, Any

import numpy as np

from osehw import catalog
from osehw.analyses import AnalysisResult, Inputs, register
from osehw.catalog import power
from osehw.core.findings import Finding
from osehw.physics import battery

if TYPE_CHECKING:
    from osehw.physics.sizing import SearchResult

# The weather year (pandas), the hourly balance (numba) and the solar model are imported where they run:
# every build discovers every analysis, and most designs have no power system (osehw cam never does).

MONTHS = [calendar.month_abbr[m] for m in range(1, 13)]
WORST_WINDOW_H = 14 * 24


def search_tilts(latitude: float) -> list[float]:
    """Tilts the search tries: latitude −20° to +30° in 10° steps, within 0-90° (winter favours steep)."""
    base = round(abs(latitude))
    return sorted({float(min(max(base + d, 0), 90)) for d in (-20, -10, 0, 10, 20, 30)})


@register("energy", applies=lambda design: design.power_system is not None)
def energy(inputs: Inputs) -> AnalysisResult:
    from osehw.core.weather import weather_year
    from osehw.physics.energy_balance import simulate
    from osehw.physics.sizing import bank_of
    from osehw.physics.solar import array_year, monthly_sums

    spec = inputs.design.power_system
    name = inputs.design.name
    if inputs.site is None:
        return AnalysisResult("energy", (Finding("ENERGY_NO_SITE", "warning", name, "the design file names no site: "
                                                 "add 'site: NAME' (sites/) so the energy balance has weather"),))
    p = spec.params
    site = inputs.site
    weather = weather_year(site)
    air = weather.data["temp_air"].to_numpy()
    months = weather.data.index.month.to_numpy()
    battery_c = battery.battery_temperature(air, p.battery_temp_rise_k)
    array = array_year(weather.data, site.latitude, site.longitude, site.elevation_m, p.tilt, p.azimuth)
    lay = spec.layout
    kwp = spec.kwp
    pv_w = np.minimum(array.dc_w_per_kwp * kwp * lay.controller.efficiency, lay.output_w(p.string_voltage))
    load_w = np.full(len(pv_w), spec.load_w)
    block = power.batteries()[p.battery]
    bank = bank_of(block, p.string_voltage, p.battery_strings, p.depth_of_discharge, p.charge_efficiency)
    year = simulate(pv_w, load_w, bank, battery_c)
    years, why = battery.years_to_replacement(year.soc, float(np.mean(battery_c)))

    yield_month = monthly_sums(array.dc_w_per_kwp, months) / 1000.0  # [kWh/kWp]
    worst = int(np.argmin(yield_month / np.array([calendar.monthrange(1990, m)[1] for m in range(1, 13)])))
    unmet_h = monthly_sums((year.unmet_wh > 1e-6).astype(float), months)
    unmet_kwh = monthly_sums(year.unmet_wh, months) / 1000.0
    daily_min_soc = year.soc.reshape(-1, 24).min(axis=1)
    summary: dict[str, Any] = {
        "weather": weather.label,
        "losses": f"array {array.loss_fraction:.2%} (PVWatts terms, osehw.physics.solar.OFF_GRID_LOSSES_PCT), "
                  f"controller {1 - lay.controller.efficiency:.0%}",
        "annual_yield_kwh_per_kwp": round(float(yield_month.sum()), 1),
        "worst_month": MONTHS[worst],
        "worst_month_yield_kwh_per_kwp_day": round(float(yield_month[worst]) / calendar.monthrange(1990, worst + 1)[1], 3),
        "pv_kwp": round(kwp, 4), "battery_kwh": round(bank.capacity_wh / 1000, 3), "load_w": spec.load_w,
        "unmet_hours": int(unmet_h.sum()), "unmet_kwh": round(float(unmet_kwh.sum()), 3),
        "min_soc": round(float(year.soc.min()), 4),
        "days_below_50pct_soc": int(np.sum(daily_min_soc < 0.5)),
        "dumped_kwh": round(float(year.dumped_wh.sum()) / 1000, 2),
        "battery_years_to_replacement": round(years, 2), "battery_life_limited_by": why,
        "energy_balance_error_wh": round(year.balance_error_wh(), 6),
        **rule_of_thumb(spec.load_w * 24, array.poa, months, battery_c, p.depth_of_discharge),
    }
    findings = [Finding("POWER_CONTROLLER", "error", name, msg) for msg in spec.controller_findings]
    allowed = p.allowed_unmet_hours
    if summary["unmet_hours"] > allowed:
        where = ", ".join(f"{MONTHS[m]} {int(unmet_h[m])} h ({unmet_kwh[m]:.2f} kWh)" for m in range(12) if unmet_h[m])
        findings.append(Finding("ENERGY_UNMET", "error", name,
                                f"{summary['unmet_hours']} h of unmet load (allowed {allowed} h) in {weather.label}: "
                                f"{where}; min SOC {summary['min_soc']:.0%}"))
    else:
        findings.append(Finding("ENERGY_OK", "info", name,
                                f"{summary['unmet_hours']} h unmet (allowed {allowed} h) in {weather.label}; "
                                f"min SOC {summary['min_soc']:.0%}, battery replaced after {years:.1f} years ({why})"))
    monthly_rows = [{"month": MONTHS[m], "pv_kwh": round(float(monthly_sums(pv_w, months)[m]) / 1000, 3),
                     "load_kwh": round(float(monthly_sums(load_w, months)[m]) / 1000, 3),
                     "unmet_kwh": round(float(unmet_kwh[m]), 3), "unmet_hours": int(unmet_h[m]),
                     "dumped_kwh": round(float(monthly_sums(year.dumped_wh, months)[m]) / 1000, 3),
                     "yield_kwh_per_kwp": round(float(yield_month[m]), 2)} for m in range(12)]
    from osehw.analyses import energy_figures as fig

    figures = {"monthly": fig.monthly_balance(monthly_rows, weather.label),
               "soc": fig.soc_year(year.soc, p.depth_of_discharge, weather.label),
               "worst-weeks": fig.worst_weeks(pv_w, load_w, year, weather.data.index, WORST_WINDOW_H)}
    tables: dict[str, list[dict[str, Any]]] = {"monthly": monthly_rows}
    if p.search:
        found, rows, figure = search_at_site(inputs, weather, battery_c, spec)
        findings += found
        tables["sizing"] = rows
        if figure:
            figures["sizing-tradeoff"] = figure
    return AnalysisResult("energy", tuple(findings), summary, tables, figures)


RULE_PR = 0.7  # off-grid performance ratio 0.65-0.75 (SAND87-7023 worksheets)
RULE_AUTONOMY_DAYS = 3.0  # telecom practice, 3-5 days of autonomy (SAND87-7023)


def rule_of_thumb(daily_wh: float, poa: np.ndarray, months: np.ndarray, battery_c: np.ndarray,
                  dod: float) -> dict[str, float]:
    """The sizing everyone already has, beside the simulation: PV = E / (PSH_worst · PR) on the worst
    month's plane-of-array sun hours, battery = E · days / (DoD · k_cold) at the coldest day
    (SAND87-7023 worksheets)."""
    from osehw.physics.solar import monthly_sums

    days = np.array([calendar.monthrange(1990, m)[1] for m in range(1, 13)])
    psh = monthly_sums(poa, months) / 1000.0 / days  # [kWh/m²·day] = peak sun hours
    cold = float(battery.cold_capacity_fraction(battery_c.reshape(-1, 24).mean(axis=1).min()))
    return {"rule_worst_month_sun_hours": round(float(psh.min()), 3),
            "rule_pv_kwp": round(daily_wh / 1000.0 / (float(psh.min()) * RULE_PR), 3),
            "rule_battery_kwh": round(battery.autonomy_capacity_wh(daily_wh, RULE_AUTONOMY_DAYS, dod, 1.0, cold) / 1000,
                                      3)}


def least_cost_at_site(site: Any, weather: Any, battery_c: np.ndarray, spec: Any) -> SearchResult:
    """The least lifetime cost system at ``site`` in ``weather`` for the power system ``spec``'s load, with its
    module and every catalog block and controller (also what ``osehw plan`` sizes each climate class with)."""
    from osehw.physics.sizing import Costs, least_cost
    from osehw.physics.solar import array_year

    p = spec.params
    tilts = search_tilts(site.latitude)
    per_kwp = {t: array_year(weather.data, site.latitude, site.longitude, site.elevation_m, t, p.azimuth).dc_w_per_kwp
               for t in tilts}
    own_controllers = spec.layout.controllers * spec.layout.controller.self_consumption_w
    base_load = np.full(len(battery_c), spec.load_w - own_controllers)
    costs = Costs({k: v.unit_cost for k, v in catalog.items().items()}, p.project_years, p.discount_rate,
                  mount_usd_per_module=p.mount_usd_per_module)
    return least_cost(per_kwp, base_load, battery_c, power.modules()[p.module], list(power.batteries().values()),
                      list(power.controllers().values()), costs, max_modules=p.search_max_modules,
                      allowed_unmet_hours=p.allowed_unmet_hours, dod=p.depth_of_discharge,
                      charge_eff=p.charge_efficiency, record_low_c=p.record_low_c,
                      preferred_tilt=abs(site.latitude))


def search_at_site(inputs: Inputs, weather: Any, battery_c: np.ndarray, spec: Any) -> tuple[list[Finding], list, str]:
    """The least-cost sizing at the site with the design's module, every catalog block and controller."""
    p = spec.params
    site = inputs.site
    tilts = search_tilts(site.latitude)
    result = least_cost_at_site(site, weather, battery_c, spec)
    name = inputs.design.name
    rows = [{"tilt_deg": c.tilt, "string_voltage": c.string_voltage, "modules": c.modules, "pv_kwp": round(c.kwp, 3),
             "battery": c.block_id, "strings": c.strings, "battery_kwh": round(c.capacity_wh / 1000, 3),
             "controller": c.layout.controller.id, "controllers": c.layout.controllers,
             "unmet_hours": c.unmet_hours, "battery_years": round(c.battery_years, 2),
             "capital_usd": c.capital_usd, "lifetime_usd": c.lifetime_usd}
            for c in sorted(result.tried, key=lambda c: (c.lifetime_usd, c.modules, c.capacity_wh, c.tilt,
                                                         c.string_voltage, c.block_id))]
    best = result.best
    if best is None:
        return [Finding("SIZING_LEAST_COST", "warning", name, f"no system in the searched grid (≤ "
                        f"{p.search_max_modules} modules, ≤ 4 strings) meets {p.allowed_unmet_hours} h unmet at "
                        f"{site.name}")], rows, ""
    msg = (f"least lifetime cost at {site.name} ({result.simulations} simulated years): {best.modules} × {best.module_id} "
           f"({best.kwp:.2f} kWp) at {best.tilt:g}°, {best.blocks} × {best.block_id} at {best.string_voltage} V "
           f"({best.capacity_wh / 1000:.2f} kWh), {best.layout.controllers} × {best.layout.controller.id}: capital "
           f"${best.capital_usd:,.0f}, {p.project_years:g}-year cost ${best.lifetime_usd:,.0f} (battery every "
           f"{best.battery_years:.1f} years), {best.unmet_hours} h unmet")
    found = [Finding("SIZING_LEAST_COST", "info", name, msg)]
    if best.modules == p.search_max_modules or (best.tilt in (min(tilts), max(tilts)) and 0 < best.tilt < 90):
        found.append(Finding("SIZING_GRID_EDGE", "warning", name, f"the least-cost system lies on the grid's edge "
                             f"({best.modules} modules of ≤ {p.search_max_modules}, tilt {best.tilt:g}° of "
                             f"{min(tilts):g}-{max(tilts):g}°): raise search_max_modules or widen the tilts"))
    from osehw.analyses import energy_figures as fig

    return found, rows, fig.tradeoff(result.tried, best, site.name)
