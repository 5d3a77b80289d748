"""osehw plan in a real subprocess: bad input is one line and exit 2 with nothing written; a small user-site plan
runs and writes its folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("h3")

ROOT = Path(__file__).resolve().parents[1]


def osehw(*args):
    env = dict(os.environ, COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "osehw", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=300)


def test_bad_site_file_and_bad_scheduler_exit_2_with_one_line(tmp_path):
    sites = tmp_path / "sites.csv"
    sites.write_text("id,latitude,longitude\nx,35.7,-78.6\nx,35.9,-79.0\n")
    out = tmp_path / "out"
    r = osehw("plan", "nc", "--set", f"sites_file={sites}", "--out", str(out), "--scheduler", "single")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [f"error: {sites}: row 3 id = 'x': duplicate: already used in row 2"]
    assert not out.exists()
    r = osehw("plan", "nc", "--scheduler", "tcp://host", "--out", str(out))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "--scheduler tcp://host: must be local, threads, single or a Dask scheduler address" in r.stderr


def test_a_missing_dem_exits_2_with_one_line(tmp_path):
    pytest.importorskip("rasterio")  # an unreadable DEM's line: tests/plan/test_terrain.py
    dem, out = tmp_path / "none.tif", tmp_path / "out"
    r = osehw("plan", "nc", "--set", f"dem_file={dem}", "--out", str(out), "--scheduler", "single")
    assert r.returncode == 2 and not out.exists()
    assert r.stderr.strip().splitlines() == [f"error: {dem}: (file): file not found"]


def test_user_sites_with_a_gateway(tmp_path):
    # four sites 10-20 km apart round Raleigh, one fibre point at the airport
    (tmp_path / "s.csv").write_text("id,latitude,longitude\nw,35.78,-78.80\nc,35.78,-78.64\ne,35.78,-78.48\n"
                                    "far,35.20,-80.80\n")
    (tmp_path / "g.csv").write_text("id,latitude,longitude\nrdu,35.88,-78.79\n")
    plan = tmp_path / "plan-t.yaml"
    plan.write_text("plan: t\nparams:\n  states: [NC]\n  sites_file: s.csv\n  gateways_file: g.csv\n"
                    "  max_link_km: 20\n")
    r = osehw("plan", str(plan), "--out", str(tmp_path / "out"), "--scheduler", "single",
              "--set", "build_classes=false")  # the class builds: tests/plan/test_classes.py
    assert r.returncode == 0, r.stderr
    lines = (tmp_path / "out" / "plan-t" / "links.csv").read_text().splitlines()
    assert [ln.split(",")[:2] for ln in lines[1:]] == [["c", "e"], ["c", "w"]]  # 14.5 km each; w-e is 29 km
    sites = (tmp_path / "out" / "plan-t" / "sites.csv").read_text()
    assert "\nw,35.78,-78.8,NC," in sites and ",True,rdu," in sites
    assert "\nfar,35.2,-80.8,NC,8544dab3fffffff,False,,0," in sites  # isolated: no link within 20 km
    assert "plan t: 4 sites, 2 links" in r.stdout and "classes not built (no cost)" in r.stdout
