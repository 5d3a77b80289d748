"""Where the project's data folders (designs/, cam/, bom/) live.

osehw is installed editable from its checkout, so the data sits at the root of
the checkout, beside src/; ``OSEHW_HOME`` points elsewhere (tests, user projects).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    env = os.environ.get("OSEHW_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[3]


def designs_dir() -> Path:
    return project_root() / "designs"


def cam_dir() -> Path:
    return project_root() / "cam"


def bom_dir() -> Path:
    return project_root() / "bom"


def sites_dir() -> Path:
    return project_root() / "sites"


def geo_dir() -> Path:
    return project_root() / "geo"
