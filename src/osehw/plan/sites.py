"""Where the towers go: the region's outline (US Census state polygons shipped in geo/), the H3 cells inside it
or the user's own site list, and the gateways (fibre points) that make their nearest site a gateway.

H3 (Uber's hexagonal hierarchical grid; `h3` v4 API: ``geo_to_cells`` keeps the cells whose centre lies in the
polygon) gives near-equal cells: resolution 5 has a mean edge of 9.854 km and area 252.9 km², so neighbours sit
√3·edge ≈ 17.1 km apart (a regular hexagon's centre-to-centre distance; Sahr, White & Kimerling 2003, "Geodesic
discrete global grid systems", §2).
"""

from __future__ import annotations

import csv
import io
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from osehw.core.params import NO_VALUE, ParamError, Problem, display_path
from osehw.core.paths import geo_dir
from osehw.plan.links import EARTH_RADIUS_KM

OUTLINE_FILE = "us-states-lower48.geojson"
MAX_SITE_FILE_BYTES = 50_000_000
SITE_COLUMNS = ["id", "latitude", "longitude", "state", "cell", "gateway"]


@lru_cache(maxsize=2)
def _outline_features(root: Path) -> tuple[tuple[str, dict[str, Any]], ...]:
    doc = json.loads((root / OUTLINE_FILE).read_text(encoding="utf-8"))
    return tuple((f["properties"]["state"], f["geometry"]) for f in doc["features"])


def state_geometries(states: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """GeoJSON geometry per state code (lon/lat degrees) for the states asked."""
    return {s: g for s, g in _outline_features(geo_dir()) if s in states}


def grid_sites(states: tuple[str, ...], resolution: int) -> pd.DataFrame:
    """One site per H3 cell whose centre lies inside a state of the region; a cell claimed by two states' outlines
    (they share borders) goes to the first in alphabetical order. Sorted by cell id."""
    import h3

    owner: dict[str, str] = {}
    for state, geom in sorted(state_geometries(states).items()):
        for cell in h3.geo_to_cells(geom, resolution):
            owner.setdefault(cell, state)
    cells = sorted(owner)
    latlon = np.array([h3.cell_to_latlng(c) for c in cells]).reshape(-1, 2)
    return pd.DataFrame({"id": cells, "latitude": latlon[:, 0], "longitude": latlon[:, 1],
                         "state": [owner[c] for c in cells], "cell": cells, "gateway": False})


class _Points:
    """Which state a point lies in (shapely STRtree over the region's polygons)."""

    def __init__(self, states: tuple[str, ...]) -> None:
        from shapely import STRtree
        from shapely.geometry import shape

        geoms = state_geometries(states)
        self.codes = sorted(geoms)
        self.tree = STRtree([shape(geoms[s]) for s in self.codes])

    def state_of(self, lon: float, lat: float) -> str | None:
        from shapely.geometry import Point

        hits = self.tree.query(Point(lon, lat), predicate="intersects")
        return self.codes[int(min(hits))] if len(hits) else None


def _rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(where, record) per point of a CSV (header id,latitude,longitude) or GeoJSON (Point features with an
    ``id`` property); ``where`` names the row ('row 3', the header being row 1) or feature."""
    label = display_path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParamError([Problem(label, "(file)", str(path), "file not found")]) from None
    except OSError as exc:
        raise ParamError([Problem(label, "(file)", NO_VALUE, f"cannot read: {exc.strerror or exc}")]) from None
    if len(data) > MAX_SITE_FILE_BYTES:
        raise ParamError([Problem(label, "(file)", NO_VALUE, f"larger than {MAX_SITE_FILE_BYTES:,} bytes")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParamError([Problem(label, "(file)", NO_VALUE, "not UTF-8 text")]) from None
    if path.suffix.lower() in (".geojson", ".json"):
        try:
            doc = json.loads(text)
            feats = doc["features"]
            assert isinstance(feats, list)
        except (ValueError, KeyError, TypeError, AssertionError):
            raise ParamError([Problem(label, "(file)", NO_VALUE, "not a GeoJSON FeatureCollection")]) from None
        out = []
        for i, f in enumerate(feats, start=1):
            geom = (f or {}).get("geometry") or {}
            coords = geom.get("coordinates") if geom.get("type") == "Point" else None
            if not isinstance(coords, list) or len(coords) < 2:
                raise ParamError([Problem(label, f"feature {i} geometry", geom.get("type"), "must be a Point")])
            out.append((f"feature {i}", {"id": (f.get("properties") or {}).get("id"), "latitude": coords[1],
                                         "longitude": coords[0]}))
        return out
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("id", "latitude", "longitude") if c not in (reader.fieldnames or [])]
    if missing:
        raise ParamError([Problem(label, "row 1 (header)", ",".join(reader.fieldnames or []),
                                  f"needs the columns id, latitude, longitude (missing {', '.join(missing)})")])
    return [(f"row {n}", r) for n, r in enumerate(reader, start=2)]


def read_points(path: Path, states: tuple[str, ...]) -> pd.DataFrame:
    """The points of a site or gateway file, each checked: an id, unique; latitude -90..90 and longitude
    -180..180, finite numbers; inside the region's outline. Every problem is reported (ParamError)."""
    label = display_path(path)
    where_state = _Points(states)
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    ids, lats, lons, sts = [], [], [], []
    for where, rec in _rows(path):
        pid = rec.get("id")
        pid = "" if pid is None else str(pid).strip()
        bad = False
        if not pid:
            problems.append(Problem(label, f"{where} id", rec.get("id"), "must not be empty"))
            bad = True
        elif pid in seen:
            problems.append(Problem(label, f"{where} id", pid, f"duplicate: already used in {seen[pid]}"))
            bad = True
        else:
            seen[pid] = where
        coords = {}
        for field, limit in (("latitude", 90.0), ("longitude", 180.0)):
            raw = rec.get(field)
            try:
                value = float(raw)
            except (TypeError, ValueError):
                value = math.nan
            if not math.isfinite(value) or abs(value) > limit:
                problems.append(Problem(label, f"{where} {field}", raw,
                                        f"must be a number from {-limit:g} to {limit:g} degrees"))
                bad = True
            coords[field] = value
        if bad:
            continue
        state = where_state.state_of(coords["longitude"], coords["latitude"])
        if state is None:
            problems.append(Problem(label, f"{where} latitude,longitude",
                                    f"{coords['latitude']:g},{coords['longitude']:g}",
                                    f"outside the plan's region ({', '.join(states) if len(states) < 6 else 'lower 48'})"))
            continue
        ids.append(pid)
        lats.append(coords["latitude"])
        lons.append(coords["longitude"])
        sts.append(state)
    if problems:
        raise ParamError(problems)
    if not ids:
        raise ParamError([Problem(label, "(file)", NO_VALUE, "holds no points")])
    return pd.DataFrame({"id": ids, "latitude": lats, "longitude": lons, "state": sts})


def user_sites(path: Path, states: tuple[str, ...], resolution: int) -> pd.DataFrame:
    """The user's sites, with the H3 cell each lies in (it partitions them), sorted by id."""
    import h3

    pts = read_points(path, states)
    pts["cell"] = [h3.latlng_to_cell(a, b, resolution) for a, b in zip(pts.latitude, pts.longitude)]
    pts["gateway"] = False
    return pts.sort_values("id", kind="stable").reset_index(drop=True)[SITE_COLUMNS]


def unit_vectors(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def unit_chord(km: float) -> float:
    """The straight-line distance between two points of the unit sphere ``km`` apart along the earth's great
    circle: what a k-d tree of :func:`unit_vectors` measures."""
    return 2.0 * math.sin(km / (2.0 * EARTH_RADIUS_KM))


def mark_gateways(sites: pd.DataFrame, gateways: pd.DataFrame) -> pd.DataFrame:
    """Each gateway point makes its nearest site (great-circle, through the chord on the unit sphere) a
    gateway; returns a copy with ``gateway`` set and ``gateway_id`` naming the fibre point(s)."""
    from scipy.spatial import cKDTree

    tree = cKDTree(unit_vectors(sites.latitude.to_numpy(), sites.longitude.to_numpy()))
    _, idx = tree.query(unit_vectors(gateways.latitude.to_numpy(), gateways.longitude.to_numpy()))
    out = sites.copy()
    names: dict[int, list[str]] = {}
    for gid, i in zip(gateways.id, np.atleast_1d(idx)):
        names.setdefault(int(i), []).append(str(gid))
    out["gateway"] = [i in names for i in range(len(out))]
    out["gateway_id"] = [";".join(sorted(names.get(i, []))) for i in range(len(out))]
    return out
