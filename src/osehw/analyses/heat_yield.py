"""Heat-yield analysis: the concentrator's year hour by hour at its site — sun position and single-axis
tracking (pvlib), DNI from the site's weather, the incidence-angle modifier, end losses, the optical
efficiency with the traced intercept, the receiver's heat loss — and, with a stated heat-engine
efficiency, its electricity and cost per kWh beside a PV array at the same site.

The formulas and their sources are in :mod:`osehw.physics.trough_yield`; the intercept is the optics
analysis' trace (:func:`osehw.analyses.optics.trace_design`, the rib edge as cut when CAM ran).
"""

from __future__ import annotations

import calendar
from typing import Any

import numpy as np

from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.findings import Finding
from osehw.physics.trough_yield import hourly_heat

MONTHS = [calendar.month_abbr[m] for m in range(1, 13)]
PV_MODULE = "cs6u-330p"  # the power-system design's module: the PV side of the comparison


def tracking_incidence(weather: Any, site: Any, axis_azimuth: float) -> np.ndarray:
    """Incidence angle [deg] on a horizontal single-axis tracker's aperture each hour (NaN at night):
    ``pvlib.tracking.singleaxis`` without backtracking, rotation unlimited (±90°)."""
    import pvlib

    sun = pvlib.solarposition.get_solarposition(weather.index, site.latitude, site.longitude,
                                                altitude=site.elevation_m)
    track = pvlib.tracking.singleaxis(sun["apparent_zenith"], sun["azimuth"], axis_tilt=0.0,
                                      axis_azimuth=axis_azimuth, max_angle=90.0, backtrack=False)
    aoi = track["aoi"].to_numpy(dtype=float)
    return np.where(sun["apparent_zenith"].to_numpy() < 90.0, aoi, np.nan)


def pv_comparison(weather: Any, site: Any, years: float) -> dict[str, float]:
    """A PV module at the same site, tilted at the latitude facing the equator, in the power system's model
    (osehw.physics.solar.array_year): its yearly DC energy per m² of module and its module cost per kWh over
    ``years`` (module price only, no controller or battery — the trough's side leaves out the engine, the
    pump and the storage alike)."""
    from osehw import catalog
    from osehw.catalog import power
    from osehw.physics.solar import array_year

    module = power.modules()[PV_MODULE]
    tilt = abs(site.latitude)
    array = array_year(weather.data, site.latitude, site.longitude, site.elevation_m, tilt,
                       180.0 if site.latitude >= 0 else 0.0)
    kwh_per_kwp = float(array.dc_w_per_kwp.sum()) / 1000.0
    area_m2 = module.length_mm * module.width_mm * 1e-6
    kwh_module = kwh_per_kwp * module.stc_w / 1000.0
    price = catalog.item(PV_MODULE).unit_cost
    return {"pv_kwh_per_m2": kwh_module / area_m2, "pv_usd_per_kwh": price / (kwh_module * years),
            "pv_module_usd": price, "pv_kwh_per_kwp": kwh_per_kwp, "pv_tilt_deg": tilt}


def monthly_figure(rows: list[dict[str, Any]], label: str) -> str:
    from osehw.core.figures import figure, svg_text

    with figure(6.4, 3.4) as (fig, ax):
        x = np.arange(12)
        for k, (key, name, colour) in enumerate((("beam_kwh", "DNI·cos θ on the aperture", "#f0c040"),
                                                 ("absorbed_kwh", "absorbed (IAM, ends, optics)", "#e08030"),
                                                 ("useful_kwh", "useful heat", "#b03020"))):
            ax.bar(x + (k - 1) * 0.27, [r[key] for r in rows], 0.27, color=colour, label=name)
        ax.set_xticks(x, MONTHS)
        ax.set_ylabel("energy per month [kWh]")
        ax.set_title(f"Concentrator heat by month: {label}", fontsize=8)
        ax.set_ylim(0, 1.3 * max(max(r["beam_kwh"] for r in rows), 1.0))
        ax.legend(loc="upper center", fontsize=7, ncol=3)
        return svg_text(fig)


def daily_figure(useful_w: np.ndarray, beam_w: np.ndarray) -> str:
    from osehw.core.figures import figure, svg_text

    with figure(6.4, 3.0) as (fig, ax):
        days = np.arange(1, 366)
        ax.plot(days, beam_w.reshape(365, 24).sum(axis=1) / 1000.0, color="#f0c040", linewidth=0.7,
                label="DNI·cos θ on the aperture")
        ax.plot(days, useful_w.reshape(365, 24).sum(axis=1) / 1000.0, color="#b03020", linewidth=0.8,
                label="useful heat")
        ax.set_xlim(1, 365)
        ax.set_xlabel("day of the year")
        ax.set_ylabel("energy per day [kWh]")
        ax.legend(loc="upper left", fontsize=7)
        return svg_text(fig)


@register("heat_yield", applies=lambda design: design.trough is not None, needs=("cam",))
def heat_yield(inputs: Inputs) -> AnalysisResult:
    from osehw.analyses.cost import rollup, total
    from osehw.analyses.optics import rib_edge_as_cut, trace_design
    from osehw.core.weather import weather_year

    name = inputs.design.name
    if inputs.site is None:
        return AnalysisResult("heat_yield", (Finding("HEAT_NO_SITE", "warning", name, "the design file names no "
                                                     "site: add 'site: NAME' (sites/) for the yearly heat"),))
    trough = inputs.design.trough
    p = trough.params
    site = inputs.site
    weather = weather_year(site)
    data = weather.data
    theta = tracking_incidence(data, site, p.axis_azimuth)
    traced = trace_design(trough, rib_edge_as_cut(inputs.cam, trough))
    eta_opt = p.reflectance * p.transmittance * p.absorptance * traced.intercept
    h = hourly_heat(data["dni"].to_numpy(dtype=float), theta, data["temp_air"].to_numpy(dtype=float),
                    data["wind_speed"].to_numpy(dtype=float), aperture=p.aperture, focal_length=trough.focal_length,
                    length=p.length, receiver_diameter=p.receiver_od, optical_efficiency=eta_opt,
                    receiver_c=p.receiver_temperature_c, emittance=p.receiver_emittance)
    months = data.index.month.to_numpy()

    def monthly(w: np.ndarray) -> np.ndarray:
        return np.bincount(months - 1, weights=w, minlength=12)[:12] / 1000.0

    area_m2 = p.aperture * p.length * 1e-6
    useful_kwh = float(h["useful_w"].sum()) / 1000.0
    rows = [{"month": MONTHS[m], "dni_kwh_m2": round(float(monthly(data["dni"].to_numpy(dtype=float))[m]), 2),
             "beam_kwh": round(float(monthly(h["beam_w"])[m]), 2),
             "absorbed_kwh": round(float(monthly(h["absorbed_w"])[m]), 2),
             "loss_kwh": round(float(monthly(np.minimum(h["loss_w"], h["absorbed_w"]))[m]), 2),
             "useful_kwh": round(float(monthly(h["useful_w"])[m]), 2)} for m in range(12)]
    summary: dict[str, Any] = {
        "weather": weather.label,
        "annual_dni_kwh_m2": round(float(data["dni"].sum()) / 1000.0, 1),
        "aperture_m2": round(area_m2, 4),
        "annual_beam_on_aperture_kwh": round(float(h["beam_w"].sum()) / 1000.0, 1),
        "annual_absorbed_kwh": round(float(h["absorbed_w"].sum()) / 1000.0, 1),
        "annual_useful_heat_kwh": round(useful_kwh, 1),
        "useful_heat_kwh_per_m2": round(useful_kwh / area_m2, 1),
        "useful_hours": int(np.count_nonzero(h["useful_w"] > 0)),
        "intercept": round(traced.intercept, 5),
        "optical_efficiency": round(eta_opt, 4),
        "receiver_temperature_c": p.receiver_temperature_c,
        "tracking": f"single axis, horizontal, azimuth {p.axis_azimuth:g}° (pvlib.tracking.singleaxis)",
    }
    msg = (f"{useful_kwh:,.0f} kWh of heat a year at {p.receiver_temperature_c:g} °C ({useful_kwh / area_m2:,.0f} "
           f"kWh/m² of aperture) from {summary['annual_dni_kwh_m2']:,.0f} kWh/m² of DNI in {weather.label}; "
           f"optical efficiency {eta_opt:.3f} (intercept {traced.intercept:.3f})")
    findings = [Finding("HEAT_YIELD", "info", name, msg)]
    if p.heat_engine_efficiency > 0:
        electric_kwh = useful_kwh * p.heat_engine_efficiency
        sheets = (inputs.cam.stock_sheet_counts() or None) if inputs.cam is not None else None
        capital = total(rollup(inputs.design, sheets))
        pv = pv_comparison(weather, site, p.project_years)
        trough_usd_kwh = capital / (electric_kwh * p.project_years) if electric_kwh > 0 else float("inf")
        trough_kwh_m2 = electric_kwh / area_m2
        summary.update({
            "heat_engine_efficiency": p.heat_engine_efficiency,
            "electricity_kwh": round(electric_kwh, 1),
            "electricity_kwh_per_m2": round(trough_kwh_m2, 1),
            "trough_capital_usd": capital,
            "trough_usd_per_kwh": round(trough_usd_kwh, 4),
            "pv_kwh_per_m2": round(pv["pv_kwh_per_m2"], 1),
            "pv_usd_per_kwh": round(pv["pv_usd_per_kwh"], 5),
            "pv_kwh_per_kwp": round(pv["pv_kwh_per_kwp"], 1),
            "cost_basis": f"capital over {p.project_years:g} years, undiscounted; the trough's BOM without engine, "
                          f"pump or storage; PV: one {PV_MODULE} module's catalog price, tilt {pv['pv_tilt_deg']:g}°, "
                          f"without controller or battery",
        })
        winner = "the trough" if trough_usd_kwh < pv["pv_usd_per_kwh"] else "PV"
        verdict = (f"For a node's electric load {winner} wins at {site.name}: the trough with a "
                   f"{p.heat_engine_efficiency:.0%} engine makes {trough_kwh_m2:,.1f} kWh per m² of aperture a year at "
                   f"${trough_usd_kwh:,.2f}/kWh (its BOM ${capital:,.0f}, no engine, pump or storage counted); PV makes "
                   f"{pv['pv_kwh_per_m2']:,.0f} kWh per m² of module at ${pv['pv_usd_per_kwh']:,.3f}/kWh (module "
                   f"only), over {p.project_years:g} years.")
        summary["verdict"] = verdict
        findings.append(Finding("HEAT_YIELD", "info", name, verdict))
    hourly_rows = [{"hour": str(t), "incidence_deg": round(float(a), 2) if np.isfinite(a) else "",
                    "dni_w_m2": round(float(dni), 1), "beam_w": round(float(b), 1), "absorbed_w": round(float(ab), 1),
                    "loss_w": round(float(lo), 1), "useful_w": round(float(u), 1)}
                   for t, a, dni, b, ab, lo, u in zip(data.index, theta, data["dni"], h["beam_w"], h["absorbed_w"],
                                                      h["loss_w"], h["useful_w"])]
    figures = {"monthly": monthly_figure(rows, f"{useful_kwh:,.0f} kWh a year at {site.name}"),
               "daily": daily_figure(h["useful_w"], h["beam_w"])}
    return AnalysisResult("heat_yield", tuple(findings), summary, {"monthly": rows, "hourly": hourly_rows}, figures)
