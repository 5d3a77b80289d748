"""Routing on a small hand-drawn mesh: hops, loads summed by hand, the sites an overloaded link leaves unserved."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("networkx")

from osehw.plan.capacity import route  # noqa: E402

#   g1 ─ a ─ b ─ c        g2 ─ d        e (isolated)        b ─ x (x-b below margin: no link)
SITES = pd.DataFrame({"id": ["a", "b", "c", "d", "e", "g1", "g2", "x"],
                      "gateway": [False, False, False, False, False, True, True, False]})
LINKS = pd.DataFrame({"a": ["a", "a", "b", "d", "b"], "b": ["b", "g1", "c", "g2", "x"],
                      "modulation": ["1x", "8x", "1x", "1x", ""]})


def test_loads_hops_and_unserved_by_hand():
    sites, links = route(SITES, LINKS, 10.0, {"1x": 25.0, "8x": 500.0})
    s = sites.set_index("id")
    assert s.hops.to_dict() == {"a": 1, "b": 2, "c": 3, "d": 1, "e": -1, "g1": 0, "g2": 0, "x": -1}
    assert s.gateway_route.to_dict()["c"] == "g1" and s.gateway_route.to_dict()["d"] == "g2"
    load = dict(zip(zip(links.a, links.b), links.load_mbps))
    # g1-a carries a, b and c (a gateway's own traffic leaves on its fibre); d's goes to g2, one hop
    assert load == {("a", "b"): 20.0, ("a", "g1"): 30.0, ("b", "c"): 10.0, ("d", "g2"): 10.0, ("b", "x"): 0.0}
    # a-b (1x, 25 Mbps) carries 20: fine; g1-a (8x, 500) carries 30: fine
    assert s.served.to_dict() == {"a": True, "b": True, "c": True, "d": True, "e": False, "g1": True,
                                  "g2": True, "x": False}
    sites, links = route(SITES, LINKS, 15.0, {"1x": 25.0, "8x": 500.0})
    # now a-b carries 30 > 25: b and c, beyond it, are not carried; a and d still are
    assert sites.set_index("id").served.to_dict() == {"a": True, "b": False, "c": False, "d": True, "e": False,
                                                      "g1": True, "g2": True, "x": False}
    assert links.set_index(["a", "b"]).utilisation[("a", "b")] == pytest.approx(30.0 / 25.0)
