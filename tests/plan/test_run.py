"""The NC plan: the same tables in one process, on Dask's threads and on a LocalCluster; heights consistent
with the links; the files byte-identical on a second write."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("h3")
pytest.importorskip("distributed")

from osehw.plan.run import LOCAL, SINGLE, THREADS, run_plan  # noqa: E402
from osehw.plan.schema import read_plan  # noqa: E402
from osehw.plan.write import write_plan  # noqa: E402
from tests.plan.stub_classes import stub_classes  # noqa: E402

PLAN = Path(__file__).parents[2] / "designs" / "plan-nc.yaml"



@pytest.fixture(scope="module")
def single():
    name, p = read_plan(PLAN)
    return run_plan(name, p, PLAN.parent, scheduler=SINGLE, build_classes=stub_classes)


def test_dask_gives_the_single_process_result(single):
    name, p = read_plan(PLAN)
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        address = cluster.scheduler_address  # an existing cluster, as --scheduler tcp://HOST:PORT names one
        assert address.startswith("tcp://")
        runs = [run_plan(name, p, PLAN.parent, scheduler=address, build_classes=stub_classes)]
    runs += [run_plan(name, p, PLAN.parent, scheduler=s, build_classes=stub_classes) for s in (THREADS, LOCAL)]
    for other in runs:
        pd.testing.assert_frame_equal(other.sites, single.sites, check_exact=True)
        pd.testing.assert_frame_equal(other.links, single.links, check_exact=True)
        assert other.rollup == single.rollup


def test_each_link_once_and_heights_from_links(single):
    links, sites = single.links, single.sites
    assert single.partitions > 1  # NC spans several res-2 parents, so links cross partitions
    assert not links.duplicated(["a", "b"]).any() and (links.a < links.b).all()
    assert len(sites) == 563 and sites.id.is_unique
    ends = pd.concat([links[["a", "antenna_height_m"]].rename(columns={"a": "id"}),
                      links[["b", "antenna_height_m"]].rename(columns={"b": "id"})])
    need = ends.groupby("id").antenna_height_m.max()
    assert (sites.set_index("id").antenna_height_m == need.reindex(sites.id).to_numpy()).all()
    assert 2 * len(links) == sites.links.sum()
    # an interior H3 cell has 6 neighbours: 563 cells, about 3 links each
    assert sites.links.max() == 6 and 2.6 < len(links) / len(sites) < 3.0


def test_files_are_byte_identical_and_hold_the_tables(single, tmp_path):
    a = write_plan(single, tmp_path / "a")
    b = write_plan(single, tmp_path / "b")
    names = sorted(p.name for p in a.iterdir())
    assert names == ["classes.csv", "links.csv", "links.geojson", "manifest.json", "map.png", "report.html",
                     "rollup.json", "sites.csv", "sites.geojson"]
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n
    back = pd.read_csv(a / "sites.csv")
    assert len(back) == 563 and back.sections.sum() == single.rollup["tower_sections"]
    assert "cannot tell: whether a hill or ridge blocks a path" in (a / "report.html").read_text()


def test_nc_routes_to_its_six_gateways(single):
    s, r = single.sites, single.rollup
    assert r["routed"] and r["gateways"] == 6 and (s[s.gateway].hops == 0).all()
    assert r["unreachable_sites"] == 0 and s.hops.max() == r["max_hops"]
    # 333 subscribers × 1 Mbit/s = 333 Mbit/s a site, over a 1x link's 60 Mbit/s: only the gateways are carried
    assert r["unserved_sites"] == 563 - 6
    # a gateway's links carry its whole tree: the loads into the six gateways add up to every other site's demand
    links = single.links
    into = links[links.a.isin(s.id[s.gateway]) | links.b.isin(s.id[s.gateway])].load_mbps.sum()
    assert into == pytest.approx(333.0 * (563 - 6))
