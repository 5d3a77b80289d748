"""Shared fixtures: the default enclosure is built once per test session (it takes ~0.3 s)."""

from __future__ import annotations

import pytest

from osehw.designs import load_all


@pytest.fixture(scope="session")
def enclosure_type():
    return load_all().get("node-enclosure")


@pytest.fixture(scope="session")
def enclosure(enclosure_type):
    return enclosure_type.build(enclosure_type.schema())
