"""One partition's work, the unit a Dask worker runs: its sites' candidate links and their physics, each site's
tower height and class. Plain pandas/numpy in and out (no CadQuery object, nothing that holds a file or a lock),
so a task pickles to any worker and the result does not depend on which worker ran it.

A partition receives its own sites and the *halo*: the neighbouring sites its links reach. It computes every
link touching its own sites (a link between two partitions is computed by both, with the same numbers), so a
site's tower height — the highest antenna its links need — is settled inside one task; it returns each link
once, from the partition that owns the link's first end (``a``, the smaller id).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from osehw.plan.links import Radio, link_rows
from osehw.plan.sites import unit_chord, unit_vectors
from osehw.plan.terrain import Dem


@dataclass(frozen=True)
class Settings:
    """Everything a partition needs besides its sites (plain numbers, picklable)."""

    radio: Radio
    grid: bool  # True: sites are H3 cells, linked to their ring-1 neighbours; False: user sites within max_link_km
    max_link_km: float
    section_length: float  # [mm]
    mast_above: float  # [mm]
    dish_below_mast_top: float  # [mm]
    max_sections: int
    dem: Dem | None = None  # terrain: each task opens the DEM itself (plan/terrain.py)


def sections_for_height(antenna_height_m: float, section_length: float, mast_above: float,
                        dish_below_mast_top: float) -> int:
    """Fewest whole sections that put the dishes (``dish_below_mast_top`` under the mast's top, the mast
    ``mast_above`` over the lattice) at least ``antenna_height_m`` up; at least one (designs/tower.py's rule)."""
    need = antenna_height_m * 1000.0 - (mast_above - dish_below_mast_top)
    return max(1, math.ceil(need / section_length - 1e-9))


def candidate_pairs(own: pd.DataFrame, every: pd.DataFrame, s: Settings) -> list[tuple[str, str]]:
    """(a, b) with a < b, each pair once, for every candidate link touching an own site."""
    pairs: set[tuple[str, str]] = set()
    if s.grid:
        import h3

        present = set(every.id)
        for cell in own.id:
            for other in h3.grid_ring(cell, 1):
                if other in present:
                    pairs.add((min(cell, other), max(cell, other)))
    else:
        from scipy.spatial import cKDTree

        chord = unit_chord(s.max_link_km)
        tree = cKDTree(unit_vectors(every.latitude.to_numpy(), every.longitude.to_numpy()))
        ids = every.id.to_numpy()
        for sid, near in zip(own.id, tree.query_ball_point(unit_vectors(own.latitude.to_numpy(),
                                                                        own.longitude.to_numpy()), chord)):
            for j in near:
                other = str(ids[j])
                if other != sid:
                    pairs.add((min(sid, other), max(sid, other)))
    return sorted(pairs)


def with_terrain(links: pd.DataFrame, table: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """The links with the terrain's antenna height in place of the flat one (kept as flat_height_m), the ground
    at each end, the governing obstruction and the profile's status (plan/terrain.py), all links at once."""
    from osehw.plan.terrain import clearance

    r = s.radio
    got = clearance(table.lat_a.to_numpy(), table.lon_a.to_numpy(), table.lat_b.to_numpy(), table.lon_b.to_numpy(),
                    links.distance_km.to_numpy(), table.clutter_m.to_numpy(), s.dem, r.frequency_ghz, r.k_factor,
                    r.fresnel_clearance)
    out = links.copy()
    at = out.columns.get_loc("antenna_height_m")
    out.insert(at + 1, "flat_height_m", out.antenna_height_m.to_numpy())
    out["antenna_height_m"] = got["antenna_height_m"]
    for i, col in enumerate(("ground_a_m", "ground_b_m", "obstruction_km", "obstruction_m"), start=at + 2):
        out.insert(i, col, got[col])
    out["terrain_status"] = got["status"]
    return out


def plan_partition(own: pd.DataFrame, halo: pd.DataFrame, s: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(own sites with their link count, needed antenna height and sections; links owned by this partition)."""
    every = pd.concat([own, halo], ignore_index=True).set_index("id", drop=False)
    pairs = candidate_pairs(own, every, s)
    a = every.loc[[p[0] for p in pairs]]
    b = every.loc[[p[1] for p in pairs]]
    table = pd.DataFrame({"a": a.id.to_numpy(), "b": b.id.to_numpy(), "lat_a": a.latitude.to_numpy(),
                          "lon_a": a.longitude.to_numpy(), "lat_b": b.latitude.to_numpy(),
                          "lon_b": b.longitude.to_numpy(),
                          # the worse end's clutter and rain hold over the whole path (a conservative choice)
                          "clutter_m": np.maximum(a.clutter_m.to_numpy(), b.clutter_m.to_numpy()),
                          "rain_rate_mm_h": np.maximum(a.rain_rate_mm_h.to_numpy(), b.rain_rate_mm_h.to_numpy())})
    links = link_rows(table, s.radio)
    if not s.grid:
        keep = (links.distance_km <= s.max_link_km).to_numpy()
        links, table = links[keep].reset_index(drop=True), table[keep].reset_index(drop=True)
    if s.dem is not None:
        links = with_terrain(links, table, s)
    ends = pd.concat([links[["a", "antenna_height_m"]].rename(columns={"a": "id"}),
                      links[["b", "antenna_height_m"]].rename(columns={"b": "id"})])
    need = ends.groupby("id").antenna_height_m.agg(["max", "count"])
    sites = own.copy()
    sites["links"] = [int(need["count"].get(i, 0)) for i in sites.id]
    sites["antenna_height_m"] = [float(need["max"].get(i, 0.0)) for i in sites.id]
    sites["sections"] = [sections_for_height(h, s.section_length, s.mast_above, s.dish_below_mast_top)
                         for h in sites.antenna_height_m]
    sites["dish_height_m"] = (sites.sections * s.section_length + s.mast_above - s.dish_below_mast_top) / 1000.0
    sites["too_tall"] = sites.sections > s.max_sections
    if s.dem is not None:
        from osehw.plan.terrain import site_ground

        ground, status = site_ground(s.dem, sites.latitude.to_numpy(), sites.longitude.to_numpy())
        sites["ground_m"] = ground
        sites["terrain_status"] = status
    owned = set(own.id)
    return sites.reset_index(drop=True), links[links.a.isin(owned)].reset_index(drop=True)
