"""Terrain along a link from a DEM (a GeoTIFF the plan names in ``dem_file``): the path profile sampled along the
great circle, and the antenna height that keeps ``fresnel_clearance`` of the first Fresnel zone clear of the
terrain, the earth's bulge and the clutter over the whole profile.

Clearance rule (ITU-R P.530-17 §2.2.2.1, 0.6·F1 at k = 4/3, with the path profile of §2.2.1): at a point d1 from
end a and d2 from end b (d = d1 + d2, t = d1/d) the line of sight must pass at least

    need(t) = terrain(t) + d1·d2 / (12.74·k) + clutter + c·17.32·√(d1·d2 / (f·d))        [m above sea level]

and the line runs straight from (ground_a + h_a) to (ground_b + h_b). With the same height h at both ends (the
rule the planner uses without terrain too) the line is ground_a + (ground_b − ground_a)·t + h, so

    h = max over the profile of  (terrain(t) − ground_a − (ground_b − ground_a)·t) + bulge + clutter + c·r1.

The same h at both ends is also the least the taller end can be: if both ends were lower than h the line would
pass below need(t*) at the governing point t*. The governing point (its distance from a and its ground elevation)
is reported per link. On flat ground the terrain term is exactly 0 and the midpoint, always a sample, governs:
the answer is then exactly the no-terrain rule of physics/link.py.

Sampling: the profile takes the DEM cell that holds each sample (nearest cell, no interpolation: the DEM's own
resolution is the profile's), the samples evenly spaced along the great circle at no more than the DEM's
smallest cell size, an odd count so that the midpoint is one of them.

What a DEM cannot give: the clutter is still the state's figure over the whole path (a DEM is bare earth: SRTM
and 3DEP are; a surface model with trees would double-count the clutter), and a void (nodata) or a path leaving
the DEM is an error, not a guess: an interpolated or flat stand-in could hide the very ridge the profile is for.

Workers open the DEM themselves (``Dem`` carries the path and numbers, never the raster) and read one window per
partition, the cells its links' samples fall in, then index it with numpy for every link at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from osehw.core.params import NO_VALUE, ParamError, Problem, display_path
from osehw.plan.links import EARTH_RADIUS_KM

OK, OUTSIDE, NODATA = 0, 1, 2  # a profile's status


@dataclass(frozen=True)
class Dem:
    """A checked DEM: where it is and the numbers a worker needs to sample it (plain values, picklable)."""

    path: str  # absolute: every worker opens it itself
    label: str  # as the user wrote it, for errors
    west: float  # affine transform without rotation: x = west + col·dx, y = north + row·dy (dy < 0)
    north: float
    dx: float  # [degrees]
    dy: float  # [degrees]
    width: int
    height: int
    nodata: float | None
    spacing_km: float  # profile sample spacing: the DEM's smallest cell side

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees."""
        return (self.west, self.north + self.height * self.dy, self.west + self.width * self.dx, self.north)


def open_dem(path: Path) -> Dem:
    """The DEM's numbers, checked: a raster rasterio can open, one or more bands (band 1 is used), a geographic
    (longitude/latitude) CRS, north up. Every failure is one line (ParamError) naming the file."""
    label = display_path(path)

    def bad(value: object, rule: str) -> ParamError:
        return ParamError([Problem(label, "(file)", value, rule)])

    try:
        import rasterio
        from rasterio.errors import RasterioIOError
    except ImportError:
        raise bad(NO_VALUE, "dem_file needs rasterio: pip install -e '.[plan]'") from None
    if not path.is_file():
        raise bad(NO_VALUE, "file not found")
    try:
        with rasterio.open(path) as src:
            crs, t, w, h, nodata, count = src.crs, src.transform, src.width, src.height, src.nodata, src.count
    except RasterioIOError as exc:
        raise bad(NO_VALUE, f"not a raster rasterio can read ({str(exc).splitlines()[0][:120]})") from None
    if count < 1 or w < 2 or h < 2:
        raise bad(NO_VALUE, f"holds no elevation grid ({count} bands, {w}×{h} cells)")
    if crs is None or not crs.is_geographic:
        raise bad(str(crs) if crs else NO_VALUE, "must be in longitude/latitude degrees (EPSG:4326 or NAD83); "
                  "reproject it first, e.g. gdalwarp -t_srs EPSG:4326")
    if t.b != 0.0 or t.d != 0.0 or t.e >= 0.0 or t.a <= 0.0:
        raise bad(NO_VALUE, "must be north-up without rotation (gdalwarp makes it so)")
    north, south = t.f, t.f + h * t.e
    # arc lengths on the sphere: a cell is |dy|·πR/180 tall and dx·πR/180·cos(lat) wide, narrowest at the DEM's
    # edge farthest from the equator (Snyder 1987, USGS PP 1395, §4: lengths of arcs on the sphere)
    widest_lat = min(89.0, max(abs(north), abs(south)))
    km_per_deg = math.pi * EARTH_RADIUS_KM / 180.0
    spacing = min(-t.e * km_per_deg, t.a * km_per_deg * math.cos(math.radians(widest_lat)))
    return Dem(path=str(path.resolve()), label=label, west=t.c, north=t.f, dx=t.a, dy=t.e, width=w, height=h,
               nodata=None if nodata is None else float(nodata), spacing_km=spacing)


def check_sites_inside(dem: Dem, ids: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> None:
    """Every site inside the DEM, checked before any link work (ParamError naming the first one outside)."""
    w, s, e, n = dem.bounds
    out = ~((lon >= w) & (lon < e) & (lat > s) & (lat <= n))
    if out.any():
        i = int(np.flatnonzero(out)[0])
        raise ParamError([Problem(dem.label, "(extent)", f"{w:.4f},{s:.4f},{e:.4f},{n:.4f}",
                                  f"{int(out.sum())} sites lie outside the DEM (first: {ids[i]} at "
                                  f"{lat[i]:.5f},{lon[i]:.5f}); it must cover every site and path")])


def sample_counts(distance_km: np.ndarray, spacing_km: float) -> np.ndarray:
    """Samples per profile, both ends included: an odd count (the midpoint is a sample), spaced ≤ spacing_km."""
    return 2 * np.ceil(np.asarray(distance_km) / (2.0 * spacing_km)).astype(np.int64) + 1


def great_circle_points(lat_a: np.ndarray, lon_a: np.ndarray, lat_b: np.ndarray, lon_b: np.ndarray,
                        t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude [degrees] at fractions ``t`` (rows: links, columns: samples) along each great
    circle a→b: the spherical interpolation p(t) = (sin((1−t)δ)·a + sin(tδ)·b) / sin δ of the ends' unit vectors,
    δ their central angle (Shoemake 1985, "Animating rotation with quaternion curves", SIGGRAPH, §3.3)."""
    def unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        la, lo = np.radians(lat), np.radians(lon)
        return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)

    pa, pb = unit(lat_a, lon_a)[:, None, :], unit(lat_b, lon_b)[:, None, :]
    delta = np.arccos(np.clip((pa * pb).sum(axis=-1), -1.0, 1.0))  # (links, 1)
    small = delta < 1e-12  # coincident ends: every sample is the end
    sd = np.where(small, 1.0, np.sin(delta))
    wa = np.where(small, 1.0 - t, np.sin((1.0 - t) * delta) / sd)
    wb = np.where(small, t, np.sin(t * delta) / sd)
    p = wa[..., None] * pa + wb[..., None] * pb
    lat = np.degrees(np.arctan2(p[..., 2], np.hypot(p[..., 0], p[..., 1])))
    lon = np.degrees(np.arctan2(p[..., 1], p[..., 0]))
    return lat, lon


def cells_of(dem: Dem, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, col, inside) of the DEM cell holding each point (the cell's area contains it)."""
    col = np.floor((lon - dem.west) / dem.dx).astype(np.int64)
    row = np.floor((lat - dem.north) / dem.dy).astype(np.int64)
    inside = (row >= 0) & (row < dem.height) & (col >= 0) & (col < dem.width)
    return row, col, inside


def read_cells(dem: Dem, row: np.ndarray, col: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elevations [m] at the given cells (all inside) and whether each is nodata: one windowed read of the
    cells' bounding box, opened here (in the worker), indexed with numpy."""
    import rasterio
    from rasterio.windows import Window

    if row.size == 0:
        return np.zeros(0), np.zeros(0, dtype=bool)
    r0, r1, c0, c1 = int(row.min()), int(row.max()), int(col.min()), int(col.max())
    with rasterio.open(dem.path) as src:
        block = src.read(1, window=Window(c0, r0, c1 - c0 + 1, r1 - r0 + 1), masked=False)
    z = block[row - r0, col - c0]
    void = ~np.isfinite(z) if z.dtype.kind == "f" else np.zeros(z.shape, dtype=bool)
    if dem.nodata is not None:
        void |= z == dem.nodata if not math.isnan(dem.nodata) else np.isnan(z)
    return z.astype(np.float64), void


def site_ground(dem: Dem, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ground elevation [m] at each site and its status (OK / OUTSIDE / NODATA)."""
    row, col, inside = cells_of(dem, np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))
    z = np.full(row.shape, np.nan)
    status = np.where(inside, OK, OUTSIDE)
    if inside.any():
        vals, void = read_cells(dem, row[inside], col[inside])
        z[inside] = vals
        status[np.flatnonzero(inside)[void]] = NODATA
    z[status != OK] = np.nan
    return z, status


def clearance(lat_a: np.ndarray, lon_a: np.ndarray, lat_b: np.ndarray, lon_b: np.ndarray,
              distance_km: np.ndarray, clutter_m: np.ndarray, dem: Dem, frequency_ghz: float, k: float,
              fresnel_clearance: float) -> dict[str, np.ndarray]:
    """Per link (vectorised over every link given): the antenna height needed at both ends, the ground at each
    end, the governing point (distance from a, its ground elevation) and the profile's status."""
    d = np.asarray(distance_km, dtype=float)
    n = sample_counts(d, dem.spacing_km)
    most = int(n.max()) if n.size else 1
    idx = np.arange(most)[None, :]
    used = idx < n[:, None]
    t = np.where(used, idx / np.maximum(n[:, None] - 1, 1), 1.0)  # padding repeats end b, masked below
    lat, lon = great_circle_points(np.asarray(lat_a, float), np.asarray(lon_a, float), np.asarray(lat_b, float),
                                   np.asarray(lon_b, float), t)
    row, col, inside = cells_of(dem, lat, lon)
    z = np.zeros(t.shape)
    void = np.zeros(t.shape, dtype=bool)
    take = inside & used
    if take.any():
        z[take], void[take] = read_cells(dem, row[take], col[take])
    status = np.where((~inside & used).any(axis=1), OUTSIDE, np.where((void & used).any(axis=1), NODATA, OK))
    ground_a, ground_b = z[:, 0], z[np.arange(len(d)), n - 1]
    d1 = d[:, None] * t
    d2 = d[:, None] * (1.0 - t)
    # the same operations, in the same order, as physics/link.py's earth_bulge_m and fresnel_radius_m, so a flat
    # DEM reproduces the no-terrain height to the last bit
    bulge = d1 * d2 / (12.74 * k)
    with np.errstate(invalid="ignore", divide="ignore"):
        r1 = 17.32 * np.sqrt(d1 * d2 / (frequency_ghz * (d1 + d2)))
    r1 = np.where(np.isfinite(r1), r1, 0.0)
    above_line = z - (ground_a[:, None] + (ground_b - ground_a)[:, None] * t)
    excess = above_line + bulge + np.asarray(clutter_m, float)[:, None] + fresnel_clearance * r1
    excess = np.where(used, excess, -np.inf)
    worst = np.argmax(excess, axis=1)
    rows = np.arange(len(d))
    return {"antenna_height_m": excess[rows, worst], "ground_a_m": ground_a, "ground_b_m": ground_b,
            "obstruction_km": d1[rows, worst], "obstruction_m": z[rows, worst], "status": status}
