"""Geometry analysis: solids are valid and closed, sheet parts lie flat at their stock's thickness,
and no two parts of the assembly overlap."""

from __future__ import annotations

import itertools

import cadquery as cq

from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.design import Design
from osehw.core.findings import Finding
from osehw.core.solids import z_extent

INTERFERENCE_VOLUME = 1e-3  # shared volume that counts as a clash [mm³]


def unshared_edges(shape: cq.Shape) -> int:
    """Edges of the shape's boundary not bounding exactly two faces: 0 for a closed (watertight) shell.

    A closed 2-manifold surface has every edge shared by exactly two faces (Hoffmann, *Geometric and Solid
    Modeling*, 1989, §2.2, the manifold condition). Counted on OCC's own topology, not on a tessellation:
    a seam edge (a cylinder's) occurs twice in its one face and so counts as shared; a degenerated edge
    (a sphere's pole) bounds no surface and is skipped. A free edge (an open shell's rim) counts 1, a
    non-manifold edge more than 2. A shape without faces has no closed boundary and counts 1."""
    from OCP.BRep import BRep_Tool
    from OCP.TopAbs import TopAbs_EDGE, TopAbs_FACE
    from OCP.TopExp import TopExp
    from OCP.TopoDS import TopoDS
    from OCP.TopTools import TopTools_IndexedDataMapOfShapeListOfShape

    faces_of = TopTools_IndexedDataMapOfShapeListOfShape()  # edge → every face it occurs in, once per occurrence
    TopExp.MapShapesAndAncestors_s(shape.wrapped, TopAbs_EDGE, TopAbs_FACE, faces_of)
    if faces_of.Extent() == 0:
        return 1
    return sum(1 for i in range(1, faces_of.Extent() + 1) if faces_of.FindFromIndex(i).Size() != 2
               and not BRep_Tool.Degenerated_s(TopoDS.Edge_s(faces_of.FindKey(i))))


def solid_findings(name: str, shape: cq.Shape) -> list[Finding]:
    out = []
    if not shape.isValid():
        out.append(Finding("GEOM_INVALID", "error", name, "OCC reports the solid invalid (BRepCheck)"))
    free = unshared_edges(shape)
    if free:
        out.append(Finding("GEOM_OPEN", "error", name, f"solid is not closed (open shell): {free} edge(s) "
                                                       "not shared by exactly two faces"))
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
