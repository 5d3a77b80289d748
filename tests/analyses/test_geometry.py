"""The geometry analysis's closed-shell check, on OCC's topology, against trimesh's watertight test of
the same shapes' tessellations (a second method) and against edges counted by hand."""

from __future__ import annotations

import cadquery as cq
import numpy as np
import pytest
import trimesh

from osehw.analyses.geometry import solid_findings, unshared_edges


def _box() -> cq.Shape:
    return cq.Solid.makeBox(30, 20, 10)


def _open_box() -> cq.Shape:
    """The box less its top face: a shell whose rim (the top face's 4 edges) each bound one face only."""
    faces = [f for f in _box().Faces() if f.Center().z < 9.9]
    return cq.Shell.makeShell(faces)


def _panel() -> cq.Shape:
    """A sheet panel like the designs': holes (seamed cylinders) and a pocket."""
    wp = cq.Workplane("XY").rect(120, 80).extrude(12.7).faces(">Z").workplane()
    wp = wp.pushPoints([(-40, -20), (40, 20)]).hole(8).faces(">Z").workplane().rect(30, 20).cutBlind(-4)
    return wp.val()


SHAPES = {
    "box": _box,
    "open box": _open_box,
    "cylinder": lambda: cq.Solid.makeCylinder(5, 12),  # a seam edge, occurring twice in one face
    "torus": lambda: cq.Solid.makeTorus(20, 4),  # two seams
    "filleted box": lambda: cq.Workplane().box(20, 20, 10).edges("|Z").fillet(3).val(),
    "panel": _panel,
    "one face": lambda: cq.Face.makePlane(10, 10),
}


def _trimesh_watertight(shape: cq.Shape) -> bool:
    vertices, triangles = shape.tessellate(0.1, 0.2)
    mesh = trimesh.Trimesh(np.array([v.toTuple() for v in vertices]), np.array(triangles), process=True)
    return bool(mesh.is_watertight)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_closed_agrees_with_trimesh_watertight(name):
    shape = SHAPES[name]()
    assert (unshared_edges(shape) == 0) == _trimesh_watertight(shape)


def test_edge_counts_by_hand():
    assert unshared_edges(_box()) == 0
    assert unshared_edges(_open_box()) == 4  # the missing top face's four edges
    # a sphere's poles are degenerated edges (no length): closed. (Its tessellation holds a degenerate
    # triangle at a pole, which trimesh, unvalidated, counts as an unshared edge: the old check's false alarm.)
    assert unshared_edges(cq.Solid.makeSphere(7)) == 0
    assert unshared_edges(cq.Face.makePlane(10, 10)) == 4  # a lone square: all its sides free
    # two squares sharing one side: that side bounds two faces, the other six one each
    a = cq.Face.makePlane(10, 10, basePnt=cq.Vector(5, 5, 0))
    b = cq.Face.makePlane(10, 10, basePnt=cq.Vector(15, 5, 0))
    assert unshared_edges(cq.Shell.makeShell([a, b]).fix()) == 6


def test_findings_flag_the_open_shell_only():
    assert [f.code for f in solid_findings("open", _open_box())] == ["GEOM_OPEN"]
    assert solid_findings("closed", _box()) == []
    assert solid_findings("panel", _panel()) == []
