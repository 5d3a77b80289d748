"""A user's own flat part (STEP, or a DXF with one or more parts) as a design, so ``osehw cam FILE``
runs the same CAM, checks and outputs as the built-in designs."""

from __future__ import annotations

import math
import re
from pathlib import Path

import cadquery as cq

from osehw.catalog import materials as catalog_materials
from osehw.core.design import Design, SheetPart
from osehw.core.errors import OsehwError
from osehw.core.findings import Finding
from osehw.core.registry import unknown_message
from osehw.core.solids import exact_box
from osehw.designs.dxf_solid import (
    GAP_TOLERANCE,
    DxfParts,
    option_problems,
    read_dxf_parts,
)


class UserPartError(OsehwError, ValueError):
    pass


def _solids_from_step(path: Path) -> list[cq.Shape]:
    """Every solid of a STEP file: an assembly or a multi-body part gives one part per solid."""
    try:
        solids = cq.importers.importStep(str(path)).solids().vals()
    except Exception as exc:  # noqa: BLE001 - OCC's reader fails in many ways on a bad file
        raise UserPartError(f"{path}: could not read the STEP file ({exc})") from None
    if not solids:
        raise UserPartError(f"{path}: the STEP file holds no solid (surfaces or wires only)")
    return solids


def part_name(path: Path) -> str:
    """The design (and output folder) name for a user's part file: its stem in safe characters."""
    return re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-.") or "part"


def units_finding(source: str, drawing: DxfParts) -> Finding:
    """The unit the drawing was read in; a warning when that makes a part bigger than any machine's bed.

    Headers lie: drawings that say inches ($INSUNITS = 1) but hold millimetre
    numbers are common, and come out 25.4 times too big.
    """
    from osehw.cam.shop import load_machines

    bed = max(max(m.envelope_x, m.envelope_y) for m in load_machines().values())
    largest = max(max(f.BoundingBox().xlen, f.BoundingBox().ylen) for f in drawing.faces)
    text = f"{drawing.unit_source}: 1 drawing unit = {drawing.mm_per_unit:g} mm; {len(drawing.faces)} part(s)"
    if largest > bed and drawing.mm_per_unit != 1.0:
        return Finding("INPUT_UNITS", "warning", source, f"{text}; read so, the largest part is {largest:.0f} mm "
                       f"across, more than any machine's bed ({bed:.0f} mm): if the drawing's numbers are "
                       f"millimetres, give --units mm")
    return Finding("INPUT_UNITS", "info", source, text)


def user_part_design(path: Path, *, thickness: float, material: str, quantity: int = 1, units: str | None = None,
                     layers: tuple[str, ...] = (), gap_tolerance: float = GAP_TOLERANCE) -> Design:
    """A design of the part(s) in ``path``: a STEP solid, or each top-level closed outline of a DXF
    (``units``, ``layers`` and ``gap_tolerance`` as :func:`osehw.designs.dxf_solid.read_dxf_parts`)."""
    if not path.is_file():
        raise UserPartError(f"{path}: file not found")
    materials = catalog_materials()
    if material not in materials:
        raise UserPartError(f"--material: {unknown_message('material', material, materials)}")
    if not math.isfinite(thickness) or thickness <= 0 or quantity < 1:
        raise UserPartError(f"--thickness {thickness:g} mm must be > 0 and --quantity {quantity} ≥ 1")
    problems = option_problems(units, gap_tolerance)
    if problems:
        raise UserPartError("; ".join(problems))
    suffix = path.suffix.lower()
    findings: list[Finding] = []
    if suffix in (".step", ".stp"):
        solids = _solids_from_step(path)
    elif suffix == ".dxf":
        drawing = read_dxf_parts(path, units=units, layers=layers, gap_tolerance=gap_tolerance)
        solids = [cq.Solid.extrudeLinear(face, cq.Vector(0, 0, thickness)) for face in drawing.faces]
        findings += [Finding("INPUT_IGNORED", "warning", path.name, note) for note in drawing.ignored]
        if drawing.gaps:
            sizes = ", ".join(f"{g:.2g} mm at ({x:g}, {y:g})" for g, x, y in drawing.gaps[:5])
            more = f" and {len(drawing.gaps) - 5} more" if len(drawing.gaps) > 5 else ""
            findings.append(Finding("INPUT_GAPS", "info", path.name,
                                    f"{len(drawing.gaps)} gap(s) between outline ends closed: {sizes}{more}"))
        findings.append(units_finding(path.name, drawing))
    else:
        raise UserPartError(f"{path}: unsupported file type '{suffix}' (use .step, .stp or .dxf)")
    from osehw.cam.recognise.solid import RecognitionError, lay_flat

    name = part_name(path)
    names = [name] if len(solids) == 1 else [f"{name}-{i}" for i in range(1, len(solids) + 1)]
    assy = cq.Assembly(name=f"{name}-assembly")
    parts = []
    for part, solid in zip(names, solids):
        try:
            # a drawing's outlines are extruded flat already; a STEP solid may lie any way round
            flat = solid if suffix == ".dxf" else lay_flat(solid, thickness, part)
        except RecognitionError as exc:
            raise UserPartError(str(exc)) from None
        xmin, ymin, _, _, _, _ = exact_box(flat)
        flat = flat.translate(cq.Vector(-xmin, -ymin, 0))
        # several parts keep their places in the drawing; one sits at the origin as CAM reads it
        assy.add(flat, name=part, loc=cq.Location(cq.Vector(xmin, ymin, 0) if len(solids) > 1 else cq.Vector()))
        parts.append(SheetPart(part, flat, material, thickness, quantity, part.upper()))
    return Design(name, assy, parts, [], [], findings=findings)
