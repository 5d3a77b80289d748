"""Class figures without building (tests/plan/test_classes.py builds one for real): for the plan tests that check
Dask, routing, terrain and files, which do not read the figures beyond their sums."""

from __future__ import annotations

from osehw.plan.classes import ClassFigures


def stub_classes(keys, log=lambda _: None):
    return {(n, c): ClassFigures(n, c, 30_000.0 + 1_000.0 * n, 4_000.0 + 100.0 * n, 50.0 * n, 3.3, 9.6, 0, 124.0,
                                 2.0, 0.0, (("modules", 10),), "stub", (), 0.0) for n, c in keys}
