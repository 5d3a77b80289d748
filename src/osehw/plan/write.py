"""A plan's files, staged and swapped in whole (core/staging.py): outputs/plan-<name>/ holds sites.csv, links.csv,
sites.geojson, links.geojson, classes.csv, rollup.json, map.png, report.html and manifest.json. The same plan
gives the same bytes: rows sorted by id, numbers rounded, JSON keys sorted, the PNG without a date."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pandas as pd

from osehw.core.staging import StagedOutput
from osehw.plan.classes import NODE_DESIGN
from osehw.plan.run import Plan
from osehw.plan.sites import state_geometries

SITE_DECIMALS = {"latitude": 6, "longitude": 6, "antenna_height_m": 3, "dish_height_m": 3, "clutter_m": 2,
                 "rain_rate_mm_h": 2, "ground_m": 2}
LINK_DECIMALS = {"distance_km": 4, "azimuth_ab_deg": 3, "azimuth_ba_deg": 3, "clutter_m": 2, "rain_rate_mm_h": 2,
                 "antenna_height_m": 3, "fspl_db": 3, "received_dbm": 3, "rain_fade_db": 4, "margin_db": 3, "load_mbps": 3, "capacity_mbps": 3,
                 "utilisation": 4, "flat_height_m": 3, "ground_a_m": 2, "ground_b_m": 2, "obstruction_km": 4,
                 "obstruction_m": 2}

WITHOUT_TERRAIN = (
    "This plan has no terrain data. Each link's antenna height clears 60 % of the first Fresnel zone over the "
    "earth's bulge (k = 4/3) and a clutter height held over the whole path, so it tells: how many sites and "
    "links the grid makes, their lengths and azimuths, the least tower height flat land with that clutter "
    "needs, the fade margin and rain fade of each hop, and what the network costs under those heights. It "
    "cannot tell: whether a hill or ridge blocks a path, how much higher a site in rough country must be (or "
    "how much lower one on a hilltop may be), whether a site's ground is buildable or reachable, or the real "
    "clutter at a site. Towers in hilly and mountainous states are therefore under-estimated, and some of their "
    "links will need relays or a different neighbour.")

WITH_TERRAIN = (
    "This plan samples the terrain of its DEM along every link (the great circle, at the DEM's cell size). Each "
    "link's antenna height, the same at both ends, keeps 60 % of the first Fresnel zone clear of the ground "
    "profile plus the earth's bulge (k = 4/3) plus the clutter height, on the straight line between the two ends' "
    "ground; links.csv gives each end's ground, the governing obstruction (its distance from end a and its ground "
    "elevation) and the height flat land would need. It adds what a run without terrain cannot tell: which paths "
    "a hill or ridge blocks and how tall their towers must be to clear it, and where hilltop sites need less. It "
    "still cannot tell the real clutter (a state's figure holds over the whole path, on bare-earth elevations), "
    "whether a site's ground is buildable or reachable, the DEM's own error (SRTM's specification: 16 m absolute at 90 %, Farr et al. 2007, Rev. Geophys. 45, RG2004), nor whether a "
    "different neighbour or a relay would serve a blocked site better than a taller tower.")


def _rounded(df: pd.DataFrame, decimals: dict[str, int]) -> pd.DataFrame:
    return df.assign(**{c: df[c].round(n) for c, n in decimals.items() if c in df})


def site_table(plan: Plan) -> pd.DataFrame:
    cols = ["id", "latitude", "longitude", "state", "cell", "gateway", "gateway_id", "links", "antenna_height_m",
            "sections", "dish_height_m", "climate", "node_class", "clutter_m", "rain_rate_mm_h", "too_tall"]
    cols += [c for c in ("ground_m", "hops", "gateway_route", "served") if c in plan.sites]
    return _rounded(plan.sites[cols], SITE_DECIMALS)


def link_table(plan: Plan) -> pd.DataFrame:
    return _rounded(plan.links, LINK_DECIMALS)


def _csv(df: pd.DataFrame, path: Path) -> None:
    path.write_text(df.to_csv(index=False, lineterminator="\n"), encoding="utf-8")


def _geojson(features: list[dict[str, Any]], path: Path) -> None:
    doc = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(doc, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


def site_features(sites: pd.DataFrame) -> list[dict[str, Any]]:
    props = [c for c in sites.columns if c not in ("latitude", "longitude")]
    return [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
             "properties": {c: _plain(r[c]) for c in props}} for r in sites.to_dict("records")]


def link_features(links: pd.DataFrame, sites: pd.DataFrame) -> list[dict[str, Any]]:
    where = {r["id"]: [r["longitude"], r["latitude"]] for r in sites[["id", "latitude", "longitude"]].to_dict("records")}
    return [{"type": "Feature", "geometry": {"type": "LineString", "coordinates": [where[r["a"]], where[r["b"]]]},
             "properties": {c: _plain(v) for c, v in r.items()}} for r in links.to_dict("records")]


def _plain(v: Any) -> Any:
    return v.item() if hasattr(v, "item") else v


def draw_map(plan: Plan, sites: pd.DataFrame, links: pd.DataFrame) -> bytes:
    """The offline map as PNG bytes: state outlines, links coloured by their load over capacity when the plan
    is routed (else by fade margin), sites by tower height, gateways marked. Plate carrée stretched by 1/cos(mean latitude), so the shapes look right mid-map."""
    import io
    import math

    import matplotlib
    from matplotlib.collections import LineCollection

    from osehw.core.figures import STYLE, figure

    lat0 = float(sites.latitude.mean()) if len(sites) else 38.0
    with figure(10.0, 6.4) as (fig, ax):
        ax.set_aspect(1.0 / math.cos(math.radians(lat0)))
        ax.grid(False)
        for geom in state_geometries(plan.params.region()).values():
            polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
            for poly in polys:
                ring = poly[0]
                ax.plot([c[0] for c in ring], [c[1] for c in ring], color="0.45", linewidth=0.4)
        where = sites.set_index("id")[["longitude", "latitude"]]
        if len(links):
            a = where.loc[links.a].to_numpy()
            b = where.loc[links.b].to_numpy()
            routed = "utilisation" in links
            value = links.utilisation.clip(upper=2.0) if routed else links.margin_db
            lc = LineCollection(list(zip(map(tuple, a), map(tuple, b))), array=value.to_numpy(),
                                cmap="RdYlGn_r" if routed else "RdYlGn", linewidths=0.3 if len(links) > 5000 else 0.8)
            ax.add_collection(lc)
            fig.colorbar(lc, ax=ax, shrink=0.6, label="link load / capacity (2 = 2 or more)" if routed
                         else "link fade margin after rain [dB]")
        size = 1.0 if len(sites) > 5000 else 12.0
        sc = ax.scatter(sites.longitude, sites.latitude, c=sites.dish_height_m, s=size, cmap="viridis",
                        linewidths=0, zorder=3)
        fig.colorbar(sc, ax=ax, shrink=0.6, label="dish height [m]")
        gw = sites[sites.gateway]
        if len(gw):
            ax.scatter(gw.longitude, gw.latitude, marker="*", s=60, c="red", zorder=4, label="gateway")
            ax.legend(loc="lower left")
        ax.set_xlabel("longitude [°]")
        ax.set_ylabel("latitude [°]")
        terrain = f"terrain: {Path(plan.params.dem_file).name}" if plan.params.dem_file else "no terrain"
        ax.set_title(f"plan {plan.name}: {len(sites):,} sites, {len(links):,} links ({terrain})")
        buf = io.BytesIO()
        with matplotlib.rc_context(STYLE):
            fig.savefig(buf, format="png", dpi=150, metadata={"Software": None})
        return buf.getvalue()


def _table_html(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>"
                   for r in df.itertuples(index=False))
    return f"<table><tr>{head}</tr>{rows}</table>"


def _routing_html(plan: Plan) -> str:
    r, p = plan.rollup, plan.params
    if not r.get("routed"):
        return "<p>No gateways given (gateways_file): traffic not routed.</p>"
    demand = p.subscribers_per_node * p.busy_hour_mbps_per_subscriber
    return (f"<h2>Capacity</h2><p>Each site's busy hour ({demand:g} Mbit/s: {p.subscribers_per_node:g} subscribers × "
            f"{p.busy_hour_mbps_per_subscriber:g} Mbit/s) routed to its nearest gateway by fewest hops (one path, no "
            f"load balancing): {r['gateways']} gateways, up to {r['max_hops']} hops (mean {r['mean_hops']}); "
            f"{r['overloaded_links']} links loaded past their capacity; {r['unserved_sites']} sites whose traffic "
            f"cannot be carried ({r['unreachable_sites']} reach no gateway).</p>")


def terrain_summary(links: pd.DataFrame) -> dict[str, float | int]:
    """What the terrain changed: links needing more (or less) than flat land would, the tallest need."""
    if "flat_height_m" not in links:
        return {}
    diff = links.antenna_height_m - links.flat_height_m
    return {"links_raised_by_terrain": int((diff > 1e-9).sum()), "links_lowered_by_terrain": int((diff < -1e-9).sum()),
            "max_link_antenna_height_m": round(float(links.antenna_height_m.max()), 3) if len(links) else 0.0}


def _terrain_html(plan: Plan) -> str:
    if not plan.params.dem_file:
        return f"<h2>What a run without terrain can and cannot tell</h2><p>{html.escape(WITHOUT_TERRAIN)}</p>"
    t = terrain_summary(plan.links)
    return (f"<h2>Terrain</h2><p>DEM: {html.escape(plan.params.dem_file)}. {html.escape(WITH_TERRAIN)}</p>"
            f"<p>{t['links_raised_by_terrain']:,} links need more than flat land would, "
            f"{t['links_lowered_by_terrain']:,} less; the tallest need is {t['max_link_antenna_height_m']:.1f} m.</p>")


def _cost_sentence(plan: Plan) -> str:
    r, p = plan.rollup, plan.params
    if not r["classes_built"]:
        return "the node classes were not built (build_classes: false), so no cost."
    return (f"capital ${r['total_capital_usd']:,.0f} ({100 * r['capital_share_of_budget']:.1f} % of the "
            f"${p.budget_per_node_usd:,.0f}-per-node budget), ${r['cost_per_subscriber_year_usd']:.2f} per "
            f"subscriber-year against ${p.target_usd_per_sub_year:.2f}; {r['aluminium_t']:,} t of tower aluminium.")


def _errors_sentence(r: dict[str, Any]) -> str:
    if not r["classes_built"]:
        return ""
    return (f"{r['classes_with_errors']} classes ({r['nodes_in_classes_with_errors']:,} nodes) have error findings "
            "in their build: see the table's errors column.")


def report_html(plan: Plan) -> str:
    r = plan.rollup
    facts = pd.DataFrame([{"quantity": k, "value": v} for k, v in r.items()])
    p = plan.params
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>osehw plan {html.escape(plan.name)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}}</style></head><body>
<h1>Network plan: {html.escape(plan.name)}</h1>
<p>{r['sites']:,} sites (H3 resolution {p.resolution}{', user sites' if p.sites_file else ''}),
{r['links']:,} candidate links, {r['node_classes']} node classes; {_cost_sentence(plan)}</p>
{_routing_html(plan)}
{_terrain_html(plan)}
<h2>Costs</h2><p>Each node class (tower sections × climate class) is built once through the build pipeline
(osehw.plan.classes: {html.escape(NODE_DESIGN)} with the class's sections, its power system sized by the least-cost
search in the class's weather year; analyses and bill of materials, no CAM): its capital is its bill's total, its
yearly cost the economics analysis', its aluminium the aluminium analysis', its PV and battery the power system's.
Climate classes follow each state's worst-month global horizontal irradiance (osehw.plan.climate,
geo/solar-worst-month-by-state.csv). {_errors_sentence(r)}</p>
<h2>Map</h2><img src="map.png" alt="sites by dish height, links by fade margin" style="max-width:100%">
<h2>Node classes</h2>{_table_html(plan.classes)}
<h2>Rollup</h2>{_table_html(facts)}
<p>Files: <a href="sites.csv">sites.csv</a>, <a href="links.csv">links.csv</a>,
<a href="sites.geojson">sites.geojson</a>, <a href="links.geojson">links.geojson</a>,
<a href="classes.csv">classes.csv</a>, <a href="rollup.json">rollup.json</a>.</p>
</body></html>
"""


def write_plan(plan: Plan, out_root: Path, force: bool = False) -> Path:
    name = f"plan-{plan.name}"
    sites, links = site_table(plan), link_table(plan)
    with StagedOutput(out_root, name, force) as stage:
        _csv(sites, stage.file("sites.csv"))
        _csv(links, stage.file("links.csv"))
        _csv(plan.classes, stage.file("classes.csv"))
        _geojson(site_features(sites), stage.file("sites.geojson"))
        _geojson(link_features(links, sites), stage.file("links.geojson"))
        roll = (dict(plan.rollup, without_terrain=WITHOUT_TERRAIN) if not plan.params.dem_file else
                dict(plan.rollup, with_terrain=WITH_TERRAIN, dem_file=plan.params.dem_file,
                     **terrain_summary(plan.links)))
        stage.file("rollup.json").write_text(json.dumps(roll, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        stage.file("map.png").write_bytes(draw_map(plan, sites, links))
        stage.file("report.html").write_text(report_html(plan), encoding="utf-8")
        stage.write_manifest({"plan": plan.name, "params": plan.params.model_dump(mode="json"),
                              "partitions": plan.partitions})
    return out_root / name
