"""Economics analysis of a node: its capital against the seed's allotment, its yearly cost (each BOM line
annualised over its service life with the capital recovery factor, the battery over the life the power system's
energy analysis found, plus operation and maintenance), the cost per subscriber-year against the seed's price,
the break-even subscriber count, and a tornado of the main inputs (``osehw.physics.economics``).

Its summary keys are read by other tools (the download page): ``capital_usd``, ``allotment_usd``,
``annual_cost_usd``, ``cost_per_subscriber_year_usd``, ``subscription_usd_per_year``, ``break_even_subscribers``,
``subscribers_per_node``, ``network_capital_usd``.
"""

from __future__ import annotations

from typing import Any

from osehw import catalog
from osehw.analyses import AnalysisResult, Inputs, register
from osehw.analyses.cost import BomRow
from osehw.core.findings import Finding
from osehw.physics import economics as econ

# the tornado's ranges: discount rate from OMB Circular A-94's 2 % real (2023 revision) to 10 %; tower height
# ±2 sections; battery life ×0.5 / ×1.5; labour rate ×0.7 / ×1.5; subscribers ×0.5 / ×1.5 (estimates of plausible
# spread, not statistics)
RATE_RANGE = (0.02, 0.10)
SECTIONS_RANGE = (-2.0, 2.0)
BATTERY_FACTORS = (0.5, 1.5)
LABOUR_FACTORS = (0.7, 1.5)
SUBSCRIBER_FACTORS = (0.5, 1.5)


def life_of(row: BomRow, lifetimes: Any, root: str) -> tuple[str, float]:
    """(class, service life [years]) of a BOM row: by its catalog category, else by the design it belongs to."""
    item = catalog.items().get(row.item)
    category = item.category if item else ""
    if category == "battery":
        return "battery", 0.0
    if category == "pv-module":
        return "pv module", lifetimes.pv_module
    if category == "electronics":
        return "electronics", lifetimes.electronics
    if row.group.split("/")[0] == "enclosure":
        return "enclosure", lifetimes.enclosure
    return "structure", lifetimes.structure


def battery_life(inputs: Inputs, lifetimes: Any) -> tuple[float, str]:
    """The battery's service life and where it came from: the design's own figure, the power system's
    energy analysis (cycle wear and float life at the site), or the fallback."""
    if lifetimes.battery > 0:
        return lifetimes.battery, "stated in the design file"
    for name, result in sorted(inputs.earlier.items()):
        if name.endswith("energy") and "battery_years_to_replacement" in result.summary:
            why = result.summary.get("battery_life_limited_by", "")
            return float(result.summary["battery_years_to_replacement"]), f"{name} analysis ({why})"
    return lifetimes.fallback_battery, "fallback (no energy analysis ran)"


def lines_of(rows: list[BomRow], spec: Any, root: str) -> list[econ.Line]:
    """The BOM as capital lines: one per row, the tower's rows and its crew's per-section hours scaling with its
    section count (linear: an estimate), installation labour marked."""
    per_section_hours = sum(lab.per_section for lab in spec.labour if lab.trade == "labour-tower-crew")
    lines = []
    for r in rows:
        kind, life = life_of(r, spec.economics.lifetimes, root)
        per_section = 0.0
        if r.group == spec.tower_path and kind == "structure":
            per_section = r.extended_cost / spec.sections
        if r.item == "labour-tower-crew":
            per_section = per_section_hours * r.unit_cost
        lines.append(econ.Line(f"{r.group}:{r.item}", r.extended_cost, life, labour=r.item.startswith("labour-"),
                               battery=kind == "battery", per_section_usd=per_section))
    return lines


def running_of(spec: Any) -> tuple[econ.Running, list[dict[str, Any]]]:
    e = spec.economics
    rate = catalog.item(e.visit_trade).unit_cost
    labour = e.maintenance_visits_per_year * e.visit_hours * rate
    travel = e.maintenance_visits_per_year * e.visit_miles * e.mileage_usd_per_mile
    fixed = travel + e.ground_lease_usd_per_year + sum(e.other_usd_per_year.values())
    rows = [{"item": "maintenance labour", "usd_per_year": round(labour, 2),
             "basis": f"{e.maintenance_visits_per_year:g} visits × {e.visit_hours:g} h × ${rate:,.2f}/h ({e.visit_trade})"},
            {"item": "travel", "usd_per_year": round(travel, 2),
             "basis": f"{e.maintenance_visits_per_year:g} visits × {e.visit_miles:g} mi × ${e.mileage_usd_per_mile:.2f}/mi "
                      "(IRS standard mileage rate 2025, Notice 2025-5)"},
            {"item": "ground lease", "usd_per_year": round(e.ground_lease_usd_per_year, 2), "basis": "estimate"},
            {"item": "insurance", "usd_per_year": None, "basis": f"{e.insurance_fraction:.1%} of capital (estimate)"}]
    rows += [{"item": k, "usd_per_year": round(v, 2), "basis": "design file (estimate unless it says otherwise)"}
             for k, v in sorted(e.other_usd_per_year.items())]
    return econ.Running(labour, fixed, e.insurance_fraction), rows


def tornado_figure(bars: list[econ.Bar], base: float, price: float) -> str:
    from osehw.core.figures import figure, svg_text

    with figure(6.4, 0.6 + 0.5 * len(bars)) as (fig, ax):
        for k, b in enumerate(reversed(bars)):
            lo, hi = sorted((b.out_low, b.out_high))
            ax.barh(k, hi - lo, left=lo, color="#8fb3d9", edgecolor="#1f4e79")
            for value, label in ((b.out_low, b.low), (b.out_high, b.high)):  # each input value at its bar's end
                ax.text(value, k, f" {label:g} ", ha="right" if value == lo else "left", va="center", fontsize=7)
        ax.set_yticks(range(len(bars)), [b.name for b in reversed(bars)])
        ends = [v for b in bars for v in (b.out_low, b.out_high)] + [price]
        pad = 0.12 * (max(ends) - min(ends))
        ax.set_xlim(min(ends) - pad, max(ends) + pad)
        ax.axvline(base, color="black", lw=1)
        ax.axvline(price, color="#b03030", lw=1, ls="--")
        ax.set_xlabel(f"cost per subscriber-year [USD] (base {base:.2f}; dashed: the seed's {price:g})")
        ax.set_title("Sensitivity of the at-cost subscription (one input at a time)")
        return svg_text(fig)


def bill_of(inputs: Inputs) -> list[BomRow]:
    """The bill the cost analysis of this pass made (it runs first, in name order); a clear error when it is
    missing rather than a second roll-up that could disagree with it."""
    cost = inputs.earlier.get("cost")
    if cost is None:
        raise ValueError(f"{inputs.design.name}: the economics reads the cost analysis's bill; run it after 'cost' "
                         "(osehw.analyses.run_analyses does)")
    return [BomRow(**row) for row in cost.tables["bom"]]


@register("economics", applies=lambda design: design.node is not None, needs=("cam",))
def economics(inputs: Inputs) -> AnalysisResult:
    design, spec = inputs.design, inputs.design.node
    e = spec.economics
    rows = [r for r in bill_of(inputs) if r.priced]
    lines = lines_of(rows, spec, design.name)
    running, om_rows = running_of(spec)
    life, life_source = battery_life(inputs, e.lifetimes)
    base = econ.Case(e.discount_rate, e.subscribers, life)
    capital = econ.capital(lines, base)
    annualised = econ.annualised_capital(lines, base)
    om = econ.running_cost(running, capital, base)
    annual = annualised + om
    per_sub = annual / e.subscribers
    om_rows[3]["usd_per_year"] = round(e.insurance_fraction * capital, 2)

    ranges = {"discount rate": ("rate", *RATE_RANGE),
              "tower sections (±)": ("extra_sections", *SECTIONS_RANGE),
              "battery life [years]": ("battery_life_years", *(round(life * f, 2) for f in BATTERY_FACTORS)),
              "labour rate (× base)": ("labour_factor", *LABOUR_FACTORS),
              "subscribers per node": ("subscribers", *(round(e.subscribers * f, 1) for f in SUBSCRIBER_FACTORS))}
    bars = econ.tornado(lambda case: econ.cost_per_subscriber_year(lines, running, case), base, ranges)

    life_of_line = {f"{r.group}:{r.item}": "labour" if r.item.startswith("labour-") else
                    life_of(r, e.lifetimes, design.name)[0] for r in rows}
    by_class: dict[str, dict[str, float]] = {}
    for line in lines:
        group = line.name.split(":")[0]
        kind = "battery" if line.battery else life_of_line[line.name]
        key = f"{group}: {kind}"
        entry = by_class.setdefault(key, {"capital_usd": 0.0, "annualised_usd_per_year": 0.0,
                                          "life_years": life if line.battery else line.life_years})
        entry["capital_usd"] += line.usd
        entry["annualised_usd_per_year"] += line.usd * econ.crf(e.discount_rate, life if line.battery
                                                                else line.life_years)
    annualised_rows = [{"part": k, "capital_usd": round(v["capital_usd"], 2), "life_years": round(v["life_years"], 2),
                        "annualised_usd_per_year": round(v["annualised_usd_per_year"], 2)}
                       for k, v in sorted(by_class.items())]
    summary: dict[str, Any] = {
        "capital_usd": round(capital, 2), "allotment_usd": e.allotment_usd,
        "capital_share_of_allotment": round(capital / e.allotment_usd, 4),
        "network_nodes": e.nodes, "network_capital_usd": round(capital * e.nodes, 0),
        "discount_rate": e.discount_rate, "battery_life_years": round(life, 2), "battery_life_source": life_source,
        "annualised_capital_usd_per_year": round(annualised, 2), "om_usd_per_year": round(om, 2),
        "annual_cost_usd": round(annual, 2), "subscribers_per_node": e.subscribers,
        "cost_per_subscriber_year_usd": round(per_sub, 2), "subscription_usd_per_year": e.subscription_usd_per_year,
        "break_even_subscribers": econ.break_even_subscribers(annual, e.subscription_usd_per_year),
        "labour_hours": round(sum(r.quantity for r in rows if r.item.startswith("labour-")), 2),
    }
    findings = [Finding("ECON_CAPITAL", "info" if capital <= e.allotment_usd else "warning", design.name,
                        f"capital ${capital:,.0f} per node = {capital / e.allotment_usd:.0%} of the ${e.allotment_usd:,.0f} "
                        f"allotment; ${capital * e.nodes / 1e9:,.2f}B for {e.nodes:,} nodes"),
                Finding("ECON_SUBSCRIPTION", "info" if per_sub <= e.subscription_usd_per_year else "warning",
                        design.name, f"${annual:,.0f} a year (capital ${annualised:,.0f} annualised at "
                        f"{e.discount_rate:.1%} + O&M ${om:,.0f}) / {e.subscribers:g} subscribers = ${per_sub:.2f} per "
                        f"subscriber-year against ${e.subscription_usd_per_year:g}; break-even at "
                        f"{summary['break_even_subscribers']} subscribers")]
    if life_source.startswith("fallback"):
        findings.append(Finding("ECON_BATTERY_ASSUMED", "warning", design.name,
                                f"battery life {life:g} years assumed: name a site so the energy analysis runs"))
    tables = {"annualised": annualised_rows, "om": om_rows,
              "tornado": [{"input": b.name, "low": b.low, "high": b.high,
                           "cost_per_subscriber_year_low_usd": round(b.out_low, 2),
                           "cost_per_subscriber_year_high_usd": round(b.out_high, 2)} for b in bars]}
    figures = {"tornado": tornado_figure(bars, per_sub, e.subscription_usd_per_year)}
    return AnalysisResult("economics", tuple(findings), summary, tables, figures)
