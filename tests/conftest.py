"""Shared fixtures: the default enclosure is built once per test session (it takes ~0.3 s).

The stage cache (osehw.core.cache) goes to a folder of the session's own, so tests never read a
user's cache and start cold on every run, as CI does; builds run in one process unless a test asks for
workers.
"""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ["OSEHW_CACHE_DIR"] = tempfile.mkdtemp(prefix="osehw-test-cache-")
# pytest-xdist keeps every core busy already: a build's own forked workers would only add start-up time (the
# tests that compare forked and in-process results ask for their workers by number)
os.environ.setdefault("OSEHW_WORKERS", "1")

from osehw.designs import load_all


@pytest.fixture(scope="session")
def enclosure_type():
    return load_all().get("node-enclosure")


@pytest.fixture(scope="session")
def enclosure(enclosure_type):
    return enclosure_type.build(enclosure_type.schema())


@pytest.fixture(scope="session")
def small_node():
    """A node on a two-section tower (quick to build): two backhaul hops and one access sector, built once
    for the node's, the economics' and the aluminium analysis' tests."""
    kind = load_all().get("node")
    params = kind.schema(tower={"design": "tower", "params": {"sections": 2}},
                         links=[{"name": "hop-1"}, {"name": "hop-2"},
                                {"name": "sector-1", "kind": "access", "radio": "ubnt-rocket-5ac-ptp"}],
                         power={"modules": 6})
    return params, kind.build(params)
