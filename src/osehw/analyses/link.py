"""Link analysis: the radio hop a tower serves — budget, rain fade, fade margin per modulation, and whether
the dishes clear the Fresnel zone over earth bulge and clutter (``osehw.physics.link`` holds the formulas and
their sources). Both ends are taken alike: the same radio, dish and antenna height."""

from __future__ import annotations

from typing import Any

from osehw.analyses import AnalysisResult, Inputs, register
from osehw.catalog.radios import dish, radio
from osehw.core.findings import Finding
from osehw.physics.link import (
    antenna_height_m,
    best_modulation,
    link_budget,
    path_profile,
)


def profile_figure(link: Any, rows: list[dict[str, float]], need_m: float) -> str:
    """Earth bulge, clutter on it, the first-Fresnel ellipse about the line of sight, and the 0.6·F1 limit."""
    from osehw.core.figures import figure, svg_text

    d = [r["d_km"] for r in rows]
    h = link.antenna_height_m
    with figure(6.4, 3.4) as (fig, ax):
        ax.fill_between(d, 0, [r["bulge_m"] for r in rows], color="#8c6d46", alpha=0.6,
                        label=f"earth bulge (k = {link.k_factor:.2f})")
        ax.fill_between(d, [r["bulge_m"] for r in rows], [r["obstacle_m"] for r in rows], color="#3c7a3c",
                        alpha=0.5, label=f"clutter {link.clutter_m:g} m")
        ax.plot(d, [h] * len(d), color="#1f4e79", label=f"line of sight, dishes at {h:.1f} m")
        ax.plot(d, [h + r["fresnel_r1_m"] for r in rows], color="#1f4e79", linestyle=":", linewidth=0.8,
                label="first Fresnel zone")
        ax.plot(d, [h - r["fresnel_r1_m"] for r in rows], color="#1f4e79", linestyle=":", linewidth=0.8)
        ax.plot(d, [h - link.clearance * r["fresnel_r1_m"] for r in rows], color="#b03030", linestyle="--",
                linewidth=0.8, label=f"{link.clearance:g}·F1 below the line of sight")
        ax.axhline(need_m, color="#999999", linewidth=0.6)
        ax.annotate(f"needed {need_m:.1f} m", (d[0], need_m), fontsize=7, xytext=(4, 3), textcoords="offset points")
        ax.set_xlabel("distance along the hop [km]")
        ax.set_ylabel("height above the end sites' ground [m]")
        ax.set_title(f"{link.hop_km:g} km at {link.frequency_ghz:g} GHz")
        top = h + max(r["fresnel_r1_m"] for r in rows)
        ax.set_ylim(0, top * 1.45)
        ax.legend(loc="upper center", fontsize=7, ncol=2)
        return svg_text(fig)


@register("link", applies=lambda design: design.radio_link is not None)
def link(inputs: Inputs) -> AnalysisResult:
    ln = inputs.design.radio_link
    r, d = radio(ln.radio), dish(ln.dish)
    budget = link_budget(distance_km=ln.hop_km, frequency_mhz=ln.frequency_ghz * 1000, tx_power_dbm=r.tx_power_dbm,
                         tx_gain_dbi=d.gain_dbi, rx_gain_dbi=d.gain_dbi, sensitivity_dbm=r.sensitivity_dbm,
                         misc_loss_db=ln.misc_loss_db, rain_rate_001_mm_h=ln.rain_rate_mm_h,
                         availability_pct=ln.availability_pct)
    need = antenna_height_m(ln.hop_km, ln.frequency_ghz, ln.clutter_m, ln.k_factor, ln.clearance)
    rows = path_profile(ln.hop_km, ln.frequency_ghz, ln.clutter_m, ln.k_factor, ln.clearance, points=41)
    after_rain = budget["margin_after_rain_db"]
    fastest = best_modulation(after_rain, ln.required_margin_db, list(r.sensitivity_dbm))
    subject = inputs.design.name
    findings = []
    if ln.antenna_height_m < need:
        findings.append(Finding("LINK_CLEARANCE", "error", subject,
                                f"dishes at {ln.antenna_height_m:.2f} m, below the {need:.2f} m that keeps "
                                f"{ln.clearance:g}·F1 clear of bulge and {ln.clutter_m:g} m of clutter"))
    if fastest is None:
        findings.append(Finding("LINK_MARGIN", "error", subject,
                                f"no modulation keeps {ln.required_margin_db:g} dB after "
                                f"{budget['rain_fade_db']:.1f} dB of rain fade (margins: "
                                + ", ".join(f"{m} {v:.1f} dB" for m, v in after_rain.items()) + ")"))
    if not findings:
        findings.append(Finding("LINK_OK", "info", subject,
                                f"received {budget['received_dbm']:.1f} dBm; {fastest} keeps "
                                f"{after_rain[fastest]:.1f} dB after {budget['rain_fade_db']:.1f} dB rain fade; "
                                f"dishes at {ln.antenna_height_m:.2f} m ≥ {need:.2f} m"))
    summary = {"fspl_db": round(budget["fspl_db"], 2), "received_dbm": round(budget["received_dbm"], 2),
               "rain_fade_db": round(budget["rain_fade_db"], 2), "required_height_m": round(need, 3),
               "antenna_height_m": ln.antenna_height_m, "fastest_modulation": fastest or "none",
               **{f"margin_{m}_db": round(v, 2) for m, v in budget["fade_margin_db"].items()}}
    table = [{k: round(v, 3) for k, v in row.items()} for row in rows]
    return AnalysisResult("link", tuple(findings), summary, {"link-profile": table},
                          {"link-profile": profile_figure(ln, rows, need)})
