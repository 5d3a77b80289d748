"""A plan from its parameters: the sites, the partitions, the per-partition work (in one process or on Dask),
the classes and the rollup. ``run_plan`` returns plain tables; ``plan/write.py`` writes them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from osehw.plan import classes as cls
from osehw.plan.climate import climate_of
from osehw.plan.links import Radio
from osehw.plan.partition import Settings, plan_partition
from osehw.plan.schema import PlanParams
from osehw.plan.sites import grid_sites, mark_gateways, read_points, user_sites

SINGLE = "single"  # no Dask: partitions one after the other in this process
THREADS = "threads"  # Dask's local threaded scheduler (no cluster)
LOCAL = "local"  # a distributed LocalCluster sized to the machine


@dataclass(frozen=True)
class Plan:
    name: str
    params: PlanParams
    sites: pd.DataFrame
    links: pd.DataFrame
    classes: pd.DataFrame
    rollup: dict[str, Any]
    partitions: int


def settings_of(p: PlanParams, grid: bool) -> Settings:
    from osehw.catalog.radios import dishes, radios

    r, d = radios()[p.radio], dishes()[p.dish]
    radio = Radio(frequency_ghz=r.band_ghz, tx_power_dbm=r.tx_power_dbm, gain_dbi=d.gain_dbi,
                  sensitivity_dbm=tuple(r.sensitivity_dbm.items()), misc_loss_db=p.misc_loss_db,
                  required_margin_db=p.required_margin_db, availability_pct=p.availability_pct,
                  k_factor=p.k_factor, fresnel_clearance=p.fresnel_clearance)
    return Settings(radio=radio, grid=grid, max_link_km=p.max_link_km, section_length=p.section_length,
                    mast_above=p.mast_above, dish_below_mast_top=p.dish_below_mast_top, max_sections=p.max_sections)


def load_sites(p: PlanParams, base: Path) -> pd.DataFrame:
    """The sites with their state's clutter and rain rate and their gateway mark."""
    region = p.region()
    sites = user_sites(base / p.sites_file, region, p.resolution) if p.sites_file else grid_sites(region, p.resolution)
    if p.gateways_file:
        sites = mark_gateways(sites, read_points(base / p.gateways_file, region))
    else:
        sites = sites.assign(gateway_id="")
    sites["clutter_m"] = [p.clutter_by_state.get(s, p.clutter_m) for s in sites.state]
    sites["rain_rate_mm_h"] = [p.rain_rate_by_state.get(s, p.rain_rate_mm_h) for s in sites.state]
    sites["climate"] = [climate_of(s) for s in sites.state]
    return sites


def partitions(sites: pd.DataFrame, p: PlanParams, s: Settings) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """(own, halo) per H3 parent cell at ``partition_resolution``, sorted by parent id. The halo holds the other
    partitions' sites this partition's links can reach: ring-1 neighbours of its cells (grid), or the sites within
    ``max_link_km`` of its sites (user sites)."""
    import h3

    parent = [h3.cell_to_parent(c, p.partition_resolution) for c in sites.cell]
    grouped = sites.assign(_parent=parent).groupby("_parent", sort=True)
    out = []
    if s.grid:
        index = {cid: i for i, cid in enumerate(sites.id)}
        for _, own in grouped:
            own = own.drop(columns="_parent")
            mine = set(own.id)
            near = sorted({index[n] for c in own.id for n in h3.grid_ring(c, 1) if n in index and n not in mine})
            out.append((own.reset_index(drop=True), sites.iloc[near].reset_index(drop=True)))
        return out
    from scipy.spatial import cKDTree

    from osehw.plan.sites import unit_chord, unit_vectors

    chord = unit_chord(p.max_link_km)
    tree = cKDTree(unit_vectors(sites.latitude.to_numpy(), sites.longitude.to_numpy()))
    for _, own in grouped:
        own = own.drop(columns="_parent")
        hits = tree.query_ball_point(unit_vectors(own.latitude.to_numpy(), own.longitude.to_numpy()), chord)
        mine = set(own.index)
        near = sorted({j for row in hits for j in row} - mine)
        out.append((own.reset_index(drop=True), sites.iloc[near].reset_index(drop=True)))
    return out


def with_dem(s: Settings, path: Path, sites: pd.DataFrame) -> Settings:
    """The settings with the plan's DEM, checked in the driver before any task: it opens, it is in degrees, and
    every site lies inside it (one-line errors, plan/terrain.py)."""
    from dataclasses import replace

    from osehw.plan.terrain import check_sites_inside, open_dem

    dem = open_dem(path)
    check_sites_inside(dem, sites.id.to_numpy(), sites.latitude.to_numpy(), sites.longitude.to_numpy())
    return replace(s, dem=dem)


def terrain_checked(sites: pd.DataFrame, links: pd.DataFrame, dem: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tables without their profile status, or one line naming the first link (or site) whose profile
    leaves the DEM or crosses a void: the planner does not guess terrain it was not given."""
    from osehw.core.params import ParamError, Problem
    from osehw.plan.terrain import NODATA, OUTSIDE

    for what, bad, rule in (("link paths leave the DEM", links.terrain_status == OUTSIDE, "it must cover every path"),
                            ("link profiles cross nodata cells", links.terrain_status == NODATA,
                             "fill its voids first (e.g. gdal_fillnodata.py)"),
                            ("sites stand on nodata cells", sites.terrain_status == NODATA,
                             "fill its voids first (e.g. gdal_fillnodata.py)")):
        if bad.any():
            first = links[bad].iloc[0] if "link" in what else sites[bad].iloc[0]
            name = f"{first.a}-{first.b}" if "link" in what else first.id
            raise ParamError([Problem(dem.label, "(coverage)", int(bad.sum()), f"{what} (first: {name}); {rule}")])
    return sites.drop(columns="terrain_status"), links.drop(columns="terrain_status")


def _run_single(parts: list[tuple[pd.DataFrame, pd.DataFrame]], s: Settings) -> list[Any]:
    return [plan_partition(own, halo, s) for own, halo in parts]


def local_cluster(workers: int) -> Any:
    """A distributed LocalCluster of ``workers`` single-threaded worker processes (the link physics is pure
    Python: threads would share one GIL)."""
    import dask
    from distributed import LocalCluster

    # distributed sets MALLOC_TRIM_THRESHOLD_=65536 in its workers (to hand memory back sooner); setting it turns
    # off glibc's dynamic mmap threshold (mallopt(3), M_MMAP_THRESHOLD), so every large buffer - GDAL's 128 kB
    # blocks, a DEM window - becomes a fresh mmap: a task's DEM window read measured 2.5x slower with it
    # (benchmarks/bench_plan_terrain.py). Our tasks are short and free what they take: these workers go without.
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)


def _run_dask(parts: list[tuple[pd.DataFrame, pd.DataFrame]], s: Settings, scheduler: str,
              progress: bool) -> list[Any]:
    import dask

    tasks = [dask.delayed(plan_partition, pure=True)(own, halo, s) for own, halo in parts]
    if scheduler == THREADS:
        if progress:
            from dask.diagnostics import ProgressBar

            with ProgressBar():
                return list(dask.compute(*tasks, scheduler="threads"))
        return list(dask.compute(*tasks, scheduler="threads"))
    from distributed import Client
    from distributed import progress as show

    if scheduler == LOCAL:
        workers = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
        cluster = local_cluster(workers)
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler)
    try:
        futures = client.compute(tasks)
        if progress:
            show(futures)
        return client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_plan(name: str, p: PlanParams, base: Path, scheduler: str = SINGLE, progress: bool = False,
             log: Callable[[str], None] = lambda _: None, build_classes: Callable[..., dict] | None = None) -> Plan:
    """The plan; ``build_classes`` ((sections, climate) keys, log → figures per key) defaults to building each
    class through the pipeline (plan/classes.py), in this process, after the Dask step."""
    sites = load_sites(p, base)
    s = settings_of(p, grid=not p.sites_file)
    if p.dem_file:
        s = with_dem(s, base / p.dem_file, sites)
    parts = partitions(sites, p, s)
    log(f"{len(sites):,} sites in {len(parts)} partitions; scheduler {scheduler}")
    results = _run_single(parts, s) if scheduler == SINGLE else _run_dask(parts, s, scheduler, progress)
    out_sites = pd.concat([r[0] for r in results], ignore_index=True).sort_values("id", kind="stable")
    out_links = pd.concat([r[1] for r in results], ignore_index=True).sort_values(["a", "b"], kind="stable")
    out_sites = out_sites.reset_index(drop=True)
    if s.dem is not None:
        out_sites, out_links = terrain_checked(out_sites, out_links, s.dem)
    out_links = out_links.reset_index(drop=True)
    if out_sites.gateway.any():
        from osehw.plan.capacity import route

        out_sites, out_links = route(out_sites, out_links, p.subscribers_per_node * p.busy_hour_mbps_per_subscriber,
                                     p.capacity_mbps_by_modulation)
    # a site needing more than the tallest tower offered (flagged too_tall) is priced as that tower
    out_sites["class_sections"] = out_sites.sections.clip(upper=p.max_sections)
    out_sites["node_class"] = [cls.class_name(int(n), c) for n, c in zip(out_sites.class_sections, out_sites.climate)]
    keys = sorted({(int(n), str(c)) for n, c in zip(out_sites.class_sections, out_sites.climate)})
    built = None
    if p.build_classes:
        log(f"{len(keys)} node classes to build (each once, cached)")
        built = (build_classes or cls.build_classes)(keys, log=log)
    table = cls.class_table(out_sites, built)
    roll = cls.rollup(out_sites, out_links, table, p.subscribers_per_node, p.budget_per_node_usd,
                      p.target_usd_per_sub_year)
    return Plan(name, p, out_sites, out_links, table, roll, len(parts))
