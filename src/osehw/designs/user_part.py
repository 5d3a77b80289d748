"""A user's own flat part (STEP or DXF) as a one-part design, so ``osehw cam FILE`` runs the same
CAM, checks and outputs as the built-in designs."""

from __future__ import annotations

import math
import re
from pathlib import Path

import cadquery as cq

from osehw.catalog import materials as catalog_materials
from osehw.core.design import Design, SheetPart
from osehw.core.errors import OsehwError
from osehw.core.registry import unknown_message
from osehw.core.solids import exact_box


class UserPartError(OsehwError, ValueError):
    pass


def _solid_from_dxf(path: Path, thickness: float) -> cq.Shape:
    """Closed outlines of a DXF (lines, arcs, circles, polylines, splines) extruded to the thickness:
    the largest loop is the outline, loops inside it are through openings.

    Open geometry is refused before CadQuery sees the file: its DXF importer
    closes an open chain silently, and a part cut along a guessed edge is scrap."""
    from osehw.cam.verify.part_outline import PartOutlineError, read_part_outlines

    try:
        outlines = read_part_outlines(path)
    except PartOutlineError as exc:
        raise UserPartError(str(exc)) from None
    if outlines.open_strays:
        stray = next(w for w in outlines.warnings if "open entit" in w)
        raise UserPartError(stray.replace("ignored there", "every outline of a part to cut must be closed"))
    try:
        sketch = cq.importers.importDXF(str(path))
        faces = sketch.wires().toPending().extrude(thickness).solids().vals()
    except Exception as exc:  # OCC and ezdxf raise many kinds on bad files
        raise UserPartError(f"{path}: could not read closed outlines from the DXF ({exc})") from None
    if len(faces) != 1:
        raise UserPartError(f"{path}: expected one closed outside outline (with openings inside it), "
                            f"found {len(faces)} separate pieces")
    return faces[0]


def _solid_from_step(path: Path) -> cq.Shape:
    try:
        solids = cq.importers.importStep(str(path)).solids().vals()
    except Exception as exc:
        raise UserPartError(f"{path}: could not read the STEP file ({exc})") from None
    if len(solids) != 1:
        raise UserPartError(f"{path}: expected one solid, found {len(solids)}")
    return solids[0]


def part_name(path: Path) -> str:
    """The design (and output folder) name for a user's part file: its stem in safe characters."""
    return re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-.") or "part"


def user_part_design(path: Path, *, thickness: float, material: str, quantity: int = 1) -> Design:
    if not path.is_file():
        raise UserPartError(f"{path}: file not found")
    materials = catalog_materials()
    if material not in materials:
        raise UserPartError(f"--material: {unknown_message('material', material, materials)}")
    if not math.isfinite(thickness) or thickness <= 0 or quantity < 1:
        raise UserPartError(f"--thickness {thickness:g} mm must be > 0 and --quantity {quantity} ≥ 1")
    suffix = path.suffix.lower()
    if suffix in (".step", ".stp"):
        solid = _solid_from_step(path)
    elif suffix == ".dxf":
        solid = _solid_from_dxf(path, thickness)
    else:
        raise UserPartError(f"{path}: unsupported file type '{suffix}' (use .step, .stp or .dxf)")
    from osehw.cam.recognise.solid import RecognitionError, lay_flat

    name = part_name(path)
    try:
        flat = lay_flat(solid, thickness, name)
    except RecognitionError as exc:
        raise UserPartError(str(exc)) from None
    xmin, ymin, _, _, _, _ = exact_box(flat)
    flat = flat.translate(cq.Vector(-xmin, -ymin, 0))
    assy = cq.Assembly(name=f"{name}-assembly")
    assy.add(flat, name=name)
    part = SheetPart(name, flat, material, thickness, quantity, name.upper())
    return Design(name, assy, [part], [], [])
