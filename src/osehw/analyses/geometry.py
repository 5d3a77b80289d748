"""Geometry analysis: solids are valid and closed, sheet parts lie flat at their stock's thickness,
and no two parts of the assembly overlap."""

from __future__ import annotations

import itertools

import cadquery as cq
import numpy as np
import trimesh

from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.design import Design
from osehw.core.findings import Finding
from osehw.core.solids import z_extent

MESH_TOLERANCE = 0.1  # [mm]
INTERFERENCE_VOLUME = 1e-3  # shared volume that counts as a clash [mm³]


def to_mesh(shape: cq.Shape, tolerance: float = MESH_TOLERANCE) -> trimesh.Trimesh:
    vertices, triangles = shape.tessellate(tolerance, 0.2)
    return trimesh.Trimesh(np.array([v.toTuple() for v in vertices]), np.array(triangles), process=True)



def solid_findings(name: str, shape: cq.Shape) -> list[Finding]:
    out = []
    if not shape.isValid():
        out.append(Finding("GEOM_INVALID", "error", name, "OCC reports the solid invalid (BRepCheck)"))
    mesh = to_mesh(shape)
    if not mesh.is_watertight:
        out.append(Finding("GEOM_OPEN", "error", name, "tessellated solid is not watertight (open shell)"))
    if shape.Volume() <= 0:
        out.append(Finding("GEOM_VOLUME", "error", name, f"volume {shape.Volume():.3f} mm³ is not positive"))
    return out


def assembly_solids(assembly: cq.Assembly) -> list[tuple[str, cq.Shape]]:
    """(name, located shape) of every leaf of the assembly."""
    out = []
    for child in assembly.children:
        if child.children:
            out.extend((f"{child.name}/{n}", s.moved(child.loc)) for n, s in assembly_solids(child))
        shape = child.obj.val() if isinstance(child.obj, cq.Workplane) else child.obj
        if shape is not None:
            out.append((child.name, shape.moved(child.loc)))
    return out


def solids_findings(design: Design) -> list[Finding]:
    findings = []
    for part in design.sheet_parts:
        findings += solid_findings(f"sheet part {part.name}", part.solid)
        zmin, zmax = z_extent(part.solid)
        if abs(zmax - zmin - part.thickness) > 0.01 or abs(zmin) > 0.01:
            findings.append(Finding("GEOM_NOT_FLAT", "error", part.name,
                                    f"sheet part must lie flat from z=0 to its thickness {part.thickness} mm "
                                    f"(found z {zmin:.3f}..{zmax:.3f})"))
    if design.assembly is not None:
        for name, shape in assembly_solids(design.assembly):
            findings += solid_findings(name, shape)
    return findings


def interferences(solids: list[tuple[str, cq.Shape]]) -> list[tuple[str, str, float]]:
    """Pairs of solids sharing more than INTERFERENCE_VOLUME, with the shared volume [mm³]."""
    clashes = []
    boxes = [(n, s, s.BoundingBox()) for n, s in solids]
    for (na, sa, ba), (nb, sb, bb) in itertools.combinations(boxes, 2):
        if (ba.xmax <= bb.xmin or bb.xmax <= ba.xmin or ba.ymax <= bb.ymin or bb.ymax <= ba.ymin
                or ba.zmax <= bb.zmin or bb.zmax <= ba.zmin):
            continue
        shared = sa.intersect(sb).Volume()
        if shared > INTERFERENCE_VOLUME:
            clashes.append((na, nb, shared))
    return clashes


@register("geometry")
def geometry(inputs: Inputs) -> AnalysisResult:
    design = inputs.design
    findings = solids_findings(design)
    clashes = interferences(assembly_solids(design.assembly)) if design.assembly is not None else []
    findings += [Finding("GEOM_INTERFERENCE", "error", f"{a} / {b}", f"parts overlap by {v:.1f} mm³")
                 for a, b, v in clashes]
    return AnalysisResult("geometry", tuple(findings), {"interferences": len(clashes),
                                                        "invalid_solids": len(findings) - len(clashes)})
