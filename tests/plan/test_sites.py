"""Sites: the H3 grid over one state checked by hand (its area over the cells' area; a regular hexagon's
spacing), user site files and their errors, gateways."""

from __future__ import annotations

import math

import numpy as np
import pytest

h3 = pytest.importorskip("h3")

from osehw.core.params import ParamError, display_path  # noqa: E402
from osehw.plan.sites import (  # noqa: E402
    grid_sites,
    mark_gateways,
    read_points,
    state_geometries,
    user_sites,
)

R_KM = 6371.0088


@pytest.fixture(scope="module")
def nc():
    return grid_sites(("NC",), 5)


def _equal_area_km2(geom: dict) -> float:
    """The polygon's area on the sphere by Lambert's cylindrical equal-area projection (x = R·λ, y = R·sin φ;
    Snyder 1987, USGS PP 1395, §10): an area computed apart from H3."""
    from shapely import transform
    from shapely.geometry import shape

    g = shape(geom)
    return transform(g, lambda xy: np.column_stack([np.radians(xy[:, 0]) * R_KM,
                                                    np.sin(np.radians(xy[:, 1])) * R_KM])).area


def test_cell_count_is_the_state_area_over_the_cell_area(nc):
    area = _equal_area_km2(state_geometries(("NC",))["NC"])
    assert 125_000 < area < 140_000  # Census: NC 139,391 km² with its coastal water, 125,920 km² of land
    cell = np.mean([h3.cell_area(c, "km^2") for c in nc.cell])
    assert len(nc) == pytest.approx(area / cell, rel=0.03)  # centres inside the outline: area / cell area
    assert len(nc) == 563  # measured; the hand figure above is 565


def test_neighbour_spacing_is_a_regular_hexagons(nc):
    """Centre spacing of regular hexagons of area A: √3·e with e = √(2A / (3√3)); with H3's mean res-5 edge
    9.854 km it is 17.07 km, and with NC's smaller cells (~228 km²) about 16.2 km."""
    from osehw.plan.links import haversine_km

    cells = set(nc.cell)
    lat = dict(zip(nc.cell, nc.latitude))
    lon = dict(zip(nc.cell, nc.longitude))
    d, hand = [], []
    for c in nc.cell[:200]:
        for n in h3.grid_ring(c, 1):
            if n in cells:
                d.append(haversine_km(lat[c], lon[c], lat[n], lon[n]))
                area = (h3.cell_area(c, "km^2") + h3.cell_area(n, "km^2")) / 2
                hand.append(math.sqrt(3) * math.sqrt(2 * area / (3 * math.sqrt(3))))
    assert np.mean(d) == pytest.approx(np.mean(hand), rel=0.02)
    assert math.sqrt(3) * 9.854 == pytest.approx(17.07, abs=0.01)
    assert 14.5 < min(d) and max(d) < 18.0


def test_user_csv_and_geojson_sites(tmp_path):
    csv = tmp_path / "s.csv"
    csv.write_text("id,latitude,longitude\nb,35.78,-78.64\na,36.07,-79.79\n")
    s = user_sites(csv, ("NC", "VA"), 5)
    assert list(s.id) == ["a", "b"] and list(s.state) == ["NC", "NC"]
    assert s.cell[0] == h3.latlng_to_cell(36.07, -79.79, 5)
    gj = tmp_path / "s.geojson"
    gj.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"r"},'
                  '"geometry":{"type":"Point","coordinates":[-78.64,35.78]}}]}')
    assert read_points(gj, ("NC",)).iloc[0].to_dict() == {"id": "r", "latitude": 35.78, "longitude": -78.64,
                                                          "state": "NC"}


@pytest.mark.parametrize("body,expected", [
    ("id,latitude,longitude\na,35.7,-78.6\na,35.9,-79.0\n", "s.csv: row 3 id = 'a': duplicate: already used in row 2"),
    ("id,latitude,longitude\na,95,-78.6\n", "s.csv: row 2 latitude = '95': must be a number from -90 to 90 degrees"),
    ("id,latitude,longitude\na,north,-78.6\n", "s.csv: row 2 latitude = 'north': must be a number from -90 to 90 degrees"),
    ("id,latitude,longitude\na,40.7,-74.0\n", "s.csv: row 2 latitude,longitude = '40.7,-74': outside the plan's "
                                               "region (NC)"),
    ("id,lat,lon\na,35,-78\n", "s.csv: row 1 (header) = 'id,lat,lon': needs the columns id, latitude, longitude (missing latitude, "
                            "longitude)"),
])
def test_bad_site_files_name_file_row_field_value(tmp_path, body, expected):
    f = tmp_path / "s.csv"
    f.write_text(body)
    with pytest.raises(ParamError) as err:
        read_points(f, ("NC",))
    assert err.value.lines() == [display_path(f) + expected[len("s.csv"):]]


def test_gateways_mark_their_nearest_site(nc, tmp_path):
    f = tmp_path / "g.csv"
    f.write_text("id,latitude,longitude\nrdu,35.88,-78.79\n")
    marked = mark_gateways(nc, read_points(f, ("NC",)))
    gw = marked[marked.gateway]
    assert list(gw.gateway_id) == ["rdu"]
    assert gw.iloc[0].cell == h3.latlng_to_cell(35.88, -78.79, 5)  # the nearest centre is its own cell's
