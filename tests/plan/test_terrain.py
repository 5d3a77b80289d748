"""Terrain from a DEM: a synthetic ridge against the hand calculation, a flat DEM against the no-terrain heights,
a rough DEM giving the same tables in one process and on a Dask cluster, and bad DEMs as one-line errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("h3")
rasterio = pytest.importorskip("rasterio")

from osehw.core.params import ParamError  # noqa: E402
from osehw.plan.links import EARTH_RADIUS_KM  # noqa: E402
from osehw.plan.run import SINGLE, local_cluster, run_plan  # noqa: E402
from osehw.plan.schema import read_plan  # noqa: E402
from osehw.plan.terrain import clearance, great_circle_points, open_dem, sample_counts  # noqa: E402
from tests.plan.stub_classes import stub_classes  # noqa: E402

NC_PLAN = Path(__file__).parents[2] / "designs" / "plan-nc.yaml"
KM_PER_DEG = math.pi * EARTH_RADIUS_KM / 180.0
ARCSEC = 1.0 / 3600.0


def write_dem(path: Path, z: np.ndarray, west: float, north: float, cell_deg: float, nodata=None) -> Path:
    from affine import Affine

    with rasterio.open(path, "w", driver="GTiff", height=z.shape[0], width=z.shape[1], count=1, dtype=z.dtype,
                       crs="EPSG:4326", transform=Affine(cell_deg, 0.0, west, 0.0, -cell_deg, north), nodata=nodata) as dst:
        dst.write(z, 1)
    return path


# The ridge: a 1 arc-second DEM round a 16 km path due north along the meridian 79.5° W (a great circle, so every
# sample sits on it). Site a at 35.0° N on ground 100 m; a ridge 350 m high between 35.040° and 35.042° N; from
# 35.12° N a plateau at 160 m that site b stands on.
LAT_A, LON = 35.0, -79.5
D_KM = 16.0
LAT_B = LAT_A + D_KM / KM_PER_DEG
RIDGE = (35.040, 35.042)
WEST, NORTH = LON - 0.0205, 35.16


@pytest.fixture(scope="module")
def ridge(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ridge")
    rows, cols = round((NORTH - 34.99) / ARCSEC), round(0.041 / ARCSEC)
    lat = NORTH - (np.arange(rows) + 0.5) * ARCSEC  # cell centres
    z = np.full((rows, cols), 100.0, dtype=np.float32)
    z[lat >= 35.12] = 160.0
    z[(lat >= RIDGE[0]) & (lat < RIDGE[1])] = 350.0
    return write_dem(folder / "ridge.tif", z, WEST, NORTH, ARCSEC)


def hand_height(x_km: float, clutter: float = 15.0, f_ghz: float = 5.8, k: float = 4 / 3) -> float:
    """The height both ends need for the line from (100 + h) to (160 + h) to clear the ridge top at x_km by
    bulge + clutter + 0.6·r1 (ITU-R P.530-17 eq. 2 and §2.2.1)."""
    line = 100.0 + (160.0 - 100.0) * x_km / D_KM
    bulge = x_km * (D_KM - x_km) / (12.74 * k)
    r1 = 17.32 * math.sqrt(x_km * (D_KM - x_km) / (f_ghz * D_KM))
    return 350.0 - line + bulge + clutter + 0.6 * r1


def test_the_ridge_by_hand(ridge):
    dem = open_dem(ridge)
    # 1″ cells: 30.9 m north-south, 30.9·cos(35.16°) = 25.3 m east-west; the profile is spaced by the smaller
    assert dem.spacing_km == pytest.approx(KM_PER_DEG * ARCSEC * math.cos(math.radians(35.16)), rel=1e-12)
    assert dem.spacing_km == pytest.approx(0.02526, abs=1e-5)
    got = clearance(np.array([LAT_A]), np.array([LON]), np.array([LAT_B]), np.array([LON]), np.array([D_KM]),
                    np.array([15.0]), dem, 5.8, 4 / 3, 0.6)
    assert got["status"][0] == 0 and got["ground_a_m"][0] == 100.0 and got["ground_b_m"][0] == 160.0
    # the ridge governs at its southern edge: the line of sight climbs 60 m towards b (3.75 m/km), faster than
    # bulge and F1 grow towards mid-path (0.35 + 0.49 m/km there), so it is lowest over the ridge's near side
    edge_km = (RIDGE[0] - LAT_A) * KM_PER_DEG  # 4.448 km from a
    x = got["obstruction_km"][0]
    assert got["obstruction_m"][0] == 350.0 and edge_km <= x < edge_km + dem.spacing_km
    # by hand at 4.448 km: line 100 + 60·4.448/16 = 116.68 m, ridge 350 → 233.32; bulge 4.448·11.552/16.987 =
    # 3.025; 0.6·r1 = 0.6·17.32·√(4.448·11.552/(5.8·16)) = 7.733; + clutter 15 → 259.08 m
    assert hand_height(edge_km) == pytest.approx(259.08, abs=0.01)
    assert got["antenna_height_m"][0] == pytest.approx(hand_height(x), abs=1e-9)
    # the first sample on the ridge lies under one spacing past its edge, where the need falls by 2.80 m/km
    assert hand_height(edge_km) - 2.8 * dem.spacing_km <= got["antenna_height_m"][0] <= hand_height(edge_km)
    # b→a gives the same height and the same point from the other end
    back = clearance(np.array([LAT_B]), np.array([LON]), np.array([LAT_A]), np.array([LON]), np.array([D_KM]),
                     np.array([15.0]), dem, 5.8, 4 / 3, 0.6)
    assert back["antenna_height_m"][0] == pytest.approx(got["antenna_height_m"][0], abs=1e-9)
    assert back["obstruction_km"][0] == pytest.approx(D_KM - x, abs=1e-9)


def test_great_circle_points_and_sample_counts():
    # along the equator the fractions are plain longitudes; counts are odd and spaced no wider than asked
    lat, lon = great_circle_points(np.array([0.0]), np.array([10.0]), np.array([0.0]), np.array([11.0]),
                                   np.array([[0.0, 0.25, 0.5, 1.0]]))
    assert np.allclose(lat, 0.0, atol=1e-12) and np.allclose(lon, [[10.0, 10.25, 10.5, 11.0]], atol=1e-12)
    # a meridian-crossing path's midpoint is the vector mean of its ends, normalised (45° N, 0° E → 45° N, 90° E)
    lat, lon = great_circle_points(np.array([45.0]), np.array([0.0]), np.array([45.0]), np.array([90.0]),
                                   np.array([[0.5]]))
    assert lat[0, 0] == pytest.approx(math.degrees(math.atan2(math.sqrt(0.5), 0.5)), abs=1e-9)  # 54.7356°
    assert lon[0, 0] == pytest.approx(45.0, abs=1e-9)
    assert list(sample_counts(np.array([0.0, 0.09, 0.18, 16.0]), 0.09)) == [1, 3, 3, 179]


def test_plan_with_the_ridge_reports_ground_and_obstruction(ridge, tmp_path):
    (tmp_path / "s.csv").write_text(f"id,latitude,longitude\na,{LAT_A},{LON}\nb,{LAT_B!r},{LON}\n")
    plan = tmp_path / "plan-r.yaml"
    plan.write_text(f"plan: r\nparams:\n  states: [NC]\n  sites_file: s.csv\n  dem_file: {ridge}\n"
                    "  max_link_km: 20\n  rain_rate_mm_h: 60\n")
    name, p = read_plan(plan)
    r = run_plan(name, p, tmp_path, scheduler=SINGLE, build_classes=stub_classes)
    link = r.links.iloc[0]
    assert link.ground_a_m == 100.0 and link.ground_b_m == 160.0 and link.obstruction_m == 350.0
    assert link.antenna_height_m == pytest.approx(hand_height(link.obstruction_km), abs=1e-6)
    assert link.flat_height_m == pytest.approx(hand_height(D_KM / 2) - 350.0 + 130.0, abs=1e-6)  # 27.398 m
    # each site's tower comes from its link as without terrain: 258.4 m needs 85 sections (more than the 20 offered)
    assert list(r.sites.ground_m) == [100.0, 160.0]
    assert (r.sites.antenna_height_m == link.antenna_height_m).all() and r.sites.too_tall.all()
    assert r.sites.sections.iloc[0] == math.ceil((link.antenna_height_m * 1000 - 700) / 3048)
    assert list(r.classes["class"]) == ["s16-moderate"]  # priced as the tallest tower offered (max_sections)


@pytest.fixture(scope="module")
def nc(tmp_path_factory):
    """The NC plan without terrain, and the bounds of a DEM covering it."""
    name, p = read_plan(NC_PLAN)
    return name, p, run_plan(name, p, NC_PLAN.parent, scheduler=SINGLE, build_classes=stub_classes)


NC_WEST, NC_NORTH, NC_CELL, NC_SHAPE = -84.5, 36.7, 0.01, (300, 920)  # 0.01° cells over 84.5-75.3° W, 33.7-36.7° N


def test_a_flat_dem_gives_the_no_terrain_heights_exactly(nc, tmp_path):
    name, p, flat = nc
    dem = write_dem(tmp_path / "flat.tif", np.full(NC_SHAPE, 250.0, dtype=np.float32), NC_WEST, NC_NORTH, NC_CELL)
    r = run_plan(name, p.model_copy(update={"dem_file": str(dem)}), NC_PLAN.parent,
            scheduler=SINGLE, build_classes=stub_classes)
    assert (r.links.antenna_height_m.to_numpy() == flat.links.antenna_height_m.to_numpy()).all()  # to the bit
    assert (r.links.flat_height_m == r.links.antenna_height_m).all()
    assert (r.links.obstruction_km == r.links.distance_km / 2).all() and (r.links.ground_a_m == 250.0).all()
    pd.testing.assert_frame_equal(r.sites.drop(columns="ground_m"), flat.sites, check_exact=True)
    assert r.rollup == flat.rollup


def test_rough_terrain_the_same_on_dask_and_in_one_process(nc, tmp_path):
    name, p, flat = nc
    rng = np.random.default_rng(13)
    z = (200.0 + 400.0 * rng.random(NC_SHAPE)).astype(np.float32)  # rough: every cell 200-600 m
    q = p.model_copy(update={"dem_file": str(write_dem(tmp_path / "rough.tif", z, NC_WEST, NC_NORTH, NC_CELL))})
    single = run_plan(name, q, NC_PLAN.parent, scheduler=SINGLE, build_classes=stub_classes)
    with local_cluster(1) as cluster:  # another process, as osehw plan starts it, by address as --scheduler takes it
        dask = run_plan(name, q, NC_PLAN.parent, scheduler=cluster.scheduler_address, build_classes=stub_classes)
    pd.testing.assert_frame_equal(dask.sites, single.sites, check_exact=True)
    pd.testing.assert_frame_equal(dask.links, single.links, check_exact=True)
    assert dask.rollup == single.rollup and single.partitions > 1
    # rough ground raises most links above their flat need and the towers with them
    assert (single.links.antenna_height_m > single.links.flat_height_m).mean() > 0.9
    assert single.rollup["tower_sections"] > flat.rollup["tower_sections"]
    # a link's height is its worst sample's excess: never below the clutter the site itself stands in
    assert (single.links.antenna_height_m >= single.links.clutter_m).all()


def test_bad_dems_are_one_line_errors(tmp_path, nc):
    with pytest.raises(ParamError) as e:
        open_dem(tmp_path / "none.tif")
    assert e.value.lines() == [f"{tmp_path / 'none.tif'}: (file): file not found"]
    name, p, _ = nc
    (tmp_path / "text.tif").write_text("not a raster\n")
    with pytest.raises(ParamError) as e:  # through the plan, as the CLI runs it (tests/test_cli_plan.py: exit 2)
        run_plan(name, p.model_copy(update={"dem_file": str(tmp_path / "text.tif")}), NC_PLAN.parent,
                scheduler=SINGLE, build_classes=stub_classes)
    assert len(e.value.lines()) == 1 and e.value.lines()[0].startswith(f"{tmp_path / 'text.tif'}: (file): not a "
                                                                       "raster rasterio can read (")
    projected = tmp_path / "utm.tif"
    with rasterio.open(projected, "w", driver="GTiff", height=4, width=4, count=1, dtype="float32",
                       crs="EPSG:32617", transform=rasterio.transform.Affine(90.0, 0, 6e5, 0, -90.0, 4e6)) as dst:
        dst.write(np.zeros((4, 4), dtype=np.float32), 1)
    with pytest.raises(ParamError) as e:
        open_dem(projected)
    assert len(e.value.lines()) == 1 and "must be in longitude/latitude degrees" in e.value.lines()[0]
    small = write_dem(tmp_path / "small.tif", np.full((50, 50), 1.0, dtype=np.float32), -79.0, 36.0, 0.01)
    with pytest.raises(ParamError) as e:
        run_plan(name, p.model_copy(update={"dem_file": str(small)}), NC_PLAN.parent,
                scheduler=SINGLE, build_classes=stub_classes)
    assert len(e.value.lines()) == 1 and "sites lie outside the DEM" in e.value.lines()[0]
    holed = np.full(NC_SHAPE, 100.0, dtype=np.float32)
    holed[150, :] = -9999.0  # a void line across the state at 35.2° N
    dem = write_dem(tmp_path / "holed.tif", holed, NC_WEST, NC_NORTH, NC_CELL, nodata=-9999.0)
    with pytest.raises(ParamError) as e:
        run_plan(name, p.model_copy(update={"dem_file": str(dem)}), NC_PLAN.parent,
                scheduler=SINGLE, build_classes=stub_classes)
    assert len(e.value.lines()) == 1 and "link profiles cross nodata cells (first: " in e.value.lines()[0]
