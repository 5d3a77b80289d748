"""One small design built once for every test of the download page: the antenna mount, cut on one machine."""

from pathlib import Path

import pytest

from osehw.pipeline import BuildPipeline, load

VARIANT = "antenna-mount"
MACHINE = "grbl-hobby-800"


@pytest.fixture(scope="session")
def built_root(tmp_path_factory) -> Path:
    """An outputs folder holding ``antenna-mount/`` as osehw build writes it (one machine, to stay fast)."""
    root = tmp_path_factory.mktemp("outputs")
    pipe = BuildPipeline(machines=[MACHINE])
    pipe.run(pipe.start(load(VARIANT)), "write", out_root=root)
    return root


@pytest.fixture(scope="session")
def site_root(built_root) -> Path:
    """``built_root/site`` made once from that build."""
    from osehw.site.build import build_site
    from osehw.site.collect import read_build

    build_site(built_root, [read_build(built_root, VARIANT)])
    return built_root / "site"
