"""CadQuery imported through osehw loads no VTK until VTK is used, and then works as without osehw.

Each check runs in a fresh interpreter: this one has CadQuery (and maybe VTK) imported already."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")

PROBE = """
import json, sys
{first}
import cadquery as cq
loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('vtk', 'vtkmodules') or m.startswith('OCP.IVtk'))
pd = cq.Workplane().box(10, 20, 30).val().toVtkPolyData(0.1, 0.2)  # CadQuery's own VTK use
from cadquery.occ_impl.shapes import vtkPolyData
import vtk
print(json.dumps({{"loaded_at_import": loaded, "points": pd.GetNumberOfPoints(), "cells": pd.GetNumberOfCells(),
                  "isinstance": isinstance(pd, vtkPolyData), "vtk_real": hasattr(vtk, "vtkVersion"),
                  "osehw": "osehw" in sys.modules}}))
"""


def _probe(first: str) -> dict:
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run([sys.executable, "-c", PROBE.format(first=first)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def plain() -> dict:
    return _probe("")


@pytest.fixture(scope="module")
def via_osehw() -> dict:
    return _probe("import osehw")


def test_no_vtk_is_loaded_by_importing_cadquery_through_osehw(plain, via_osehw):
    assert via_osehw["osehw"] and via_osehw["loaded_at_import"] == []
    assert "vtk" in plain["loaded_at_import"]  # without osehw, CadQuery loads it (what the stand-ins spare)


def test_cadquery_vtk_export_gives_the_same_mesh_once_used(plain, via_osehw):
    # the same box tessellated by CadQuery's VTK bridge, with VTK loaded on first use or at import
    assert via_osehw["points"] == plain["points"] > 0
    assert via_osehw["cells"] == plain["cells"] > 0
    assert via_osehw["isinstance"] and plain["isinstance"]
    assert via_osehw["vtk_real"]  # a later `import vtk` is the real module


def test_osehw_lazy_vtk_0_leaves_cadquery_import_alone():
    env = {**os.environ, "PYTHONPATH": SRC, "OSEHW_LAZY_VTK": "0"}
    code = ("import sys, osehw, cadquery; "
            "print(type(sys.modules['vtkmodules.vtkCommonDataModel']).__name__, hasattr(sys.modules['vtk'], 'vtkVersion'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["module", "True"]  # real modules, loaded at CadQuery's import
