"""The energy analysis' figures (SVG through osehw.core.figures, byte-identical for the same inputs):
monthly balance, state of charge over the year, the worst two weeks hour by hour, and the sizing
trade-off (PV kW against battery kWh, coloured by lifetime cost)."""

from __future__ import annotations

from typing import Any

import numpy as np

from osehw.core.figures import figure, svg_text


def monthly_balance(rows: list[dict[str, Any]], weather_label: str) -> str:
    x = np.arange(12)
    with figure(6.4, 3.4) as (fig, ax):
        ax.bar(x - 0.2, [r["pv_kwh"] for r in rows], 0.4, color="#e0a020", label="PV to battery bus")
        ax.bar(x + 0.2, [r["load_kwh"] for r in rows], 0.4, color="#1f4e79", label="load")
        ax.bar(x + 0.2, [r["unmet_kwh"] for r in rows], 0.4, color="#b03030", label="unmet")
        ax.set_xticks(x, [r["month"] for r in rows])
        ax.set_ylabel("energy [kWh/month]")
        ax.set_title(f"Monthly energy balance — {weather_label}", fontsize=7)
        ax.legend(fontsize=7)
        return svg_text(fig)


def soc_year(soc: np.ndarray, dod: float, weather_label: str) -> str:
    days = soc.reshape(-1, 24)
    x = np.arange(len(days))
    with figure(6.4, 3.0) as (fig, ax):
        ax.fill_between(x, days.min(axis=1) * 100, days.max(axis=1) * 100, color="#1f4e79", alpha=0.5,
                        linewidth=0, label="daily range")
        ax.axhline((1 - dod) * 100, color="#b03030", linestyle="--", label=f"floor at 25 °C ({1 - dod:.0%})")
        ax.set_xlim(0, len(days))
        ax.set_ylim(0, 100)
        ax.set_xlabel("day of year")
        ax.set_ylabel("state of charge [%]")
        ax.set_title(f"Battery state of charge — {weather_label}", fontsize=7)
        ax.legend(fontsize=7, loc="lower left")
        return svg_text(fig)


def worst_weeks(pv_w: np.ndarray, load_w: np.ndarray, year: Any, index: Any, window_h: int) -> str:
    """The two weeks of least PV energy, hour by hour."""
    sums = np.convolve(pv_w, np.ones(window_h), mode="valid")
    start = int(np.argmin(sums))
    sl = slice(start, start + window_h)
    hours = np.arange(window_h)
    with figure(6.4, 3.4) as (fig, ax):
        ax.plot(hours, pv_w[sl], color="#e0a020", linewidth=0.8, label="PV [W]")
        ax.plot(hours, load_w[sl], color="#1f4e79", linewidth=0.8, label="load [W]")
        ax.plot(hours, year.unmet_wh[sl], color="#b03030", linewidth=0.8, label="unmet [W]")
        ax.set_xlabel(f"hours from {index[start]:%d %b %H:%M}")
        ax.set_ylabel("power [W]")
        twin = ax.twinx()
        twin.plot(hours, year.soc[sl] * 100, color="#2a7a2a", linewidth=1.0, label="SOC [%]")
        twin.set_ylim(0, 100)
        twin.set_ylabel("state of charge [%]")
        ax.set_title("The two weeks of least sun, hour by hour")
        lines = ax.get_legend_handles_labels()
        more = twin.get_legend_handles_labels()
        ax.legend(lines[0] + more[0], lines[1] + more[1], fontsize=7, loc="upper right")
        return svg_text(fig)


def tradeoff(tried: list[Any], best: Any, site_name: str) -> str:
    """Every candidate that meets the target: PV kWp against battery kWh, coloured by lifetime cost (the
    cheapest per point shown)."""
    cheapest: dict[tuple[float, float], float] = {}
    for c in tried:
        key = (round(c.kwp, 4), round(c.capacity_wh / 1000, 3))
        cheapest[key] = min(cheapest.get(key, float("inf")), c.lifetime_usd)
    keys = sorted(cheapest)
    with figure(6.4, 3.6) as (fig, ax):
        dots = ax.scatter([k[0] for k in keys], [k[1] for k in keys], c=[cheapest[k] for k in keys], cmap="viridis",
                          s=14)
        fig.colorbar(dots, ax=ax, label="lifetime cost [USD]")
        ax.plot([best.kwp], [best.capacity_wh / 1000], "o", markersize=10, markerfacecolor="none", color="#b03030",
                label=f"least cost ${best.lifetime_usd:,.0f}")
        ax.set_xlabel("PV array [kWp]")
        ax.set_ylabel("battery [kWh at 25 °C]")
        ax.set_title(f"Sizes meeting the loss-of-load target — {site_name}", fontsize=7)
        ax.legend(fontsize=7)
        return svg_text(fig)
