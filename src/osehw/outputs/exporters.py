"""Model exports: STEP and STL of the assembly, SVG drawing of each sheet part.

Deterministic by construction: OCC stamps the STEP header with the wall-clock
time, so the header's time is replaced by ``SOURCE_DATE_EPOCH`` (when set) or
by the epoch; meshes use fixed tolerances.
"""

from __future__ import annotations

import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import cadquery as cq

from osehw.core.design import SheetPart
from osehw.core.reproducible import source_datetime

if TYPE_CHECKING:
    from osehw.cam.recognise.features import PartFeatures

STL_TOLERANCE = 0.05  # linear deflection [mm]
STL_ANGULAR_TOLERANCE = 0.2  # [rad]


def source_date() -> str:
    """ISO timestamp from SOURCE_DATE_EPOCH (reproducible-builds.org convention), else the epoch."""
    return source_datetime(datetime(1970, 1, 1)).strftime("%Y-%m-%dT%H:%M:%S")


_STEP_TIME = re.compile(r"(FILE_NAME\('[^']*',')\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(')")
# OCC numbers assembly occurrences from a per-process counter, so a second export in the
# same process writes other ids (and wraps the line elsewhere): renumber them in file order.
_STEP_NAUO = re.compile(r"NEXT_ASSEMBLY_USAGE_OCCURRENCE\('\d+'([^;]*);")


def normalise_step(text: str) -> str:
    """Replace the header time and the per-process occurrence ids with reproducible values."""
    text, n = _STEP_TIME.subn(lambda m: m.group(1) + source_date() + m.group(2), text, count=1)
    if n != 1:
        raise RuntimeError("STEP header without a FILE_NAME timestamp: OCC's format changed")
    counter = iter(range(1, 1_000_000))

    def renumber(m: re.Match[str]) -> str:
        rest = re.sub(r"\s*\n\s*", "", m.group(1))
        return f"NEXT_ASSEMBLY_USAGE_OCCURRENCE('{next(counter)}'{rest};"

    return _STEP_NAUO.sub(renumber, text)


def plain_assembly(assembly: cq.Assembly) -> cq.Assembly:
    """A copy without colours: OCC writes colour styles in hash-map order, which changes between
    runs, so colours would make the STEP file non-reproducible (seen with OCC 7.9)."""
    plain = cq.Assembly(name=assembly.name)
    for child in assembly.children:
        plain.add(plain_assembly(child) if child.children else child.obj, name=child.name, loc=child.loc)
    return plain


def write_step(assembly: cq.Assembly, path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.step"
        plain_assembly(assembly).export(str(raw), exportType="STEP")
        text = raw.read_text(encoding="utf-8", errors="replace")
    path.write_text(normalise_step(text), encoding="utf-8")


def assembly_compound(assembly: cq.Assembly) -> cq.Compound:
    """Every solid of the assembly at its location, as one compound."""
    return assembly.toCompound()


def write_stl(assembly: cq.Assembly, path: Path) -> None:
    cq.exporters.export(assembly_compound(assembly), str(path), exportType="STL",
                        tolerance=STL_TOLERANCE, angularTolerance=STL_ANGULAR_TOLERANCE)


def write_part_svg(solid: cq.Shape, path: Path) -> None:
    """Top view of a flat sheet part with hidden edges (pockets show as visible, holes as circles)."""
    cq.exporters.export(cq.Workplane().add(solid), str(path), exportType="SVG",
                        opt={"projectionDir": (0, 0, 1), "showAxes": False, "showHidden": True,
                             "width": 800, "height": 600, "marginLeft": 20, "marginTop": 20,
                             "strokeWidth": -1.0})


def write_part_dxf(part: SheetPart, path: Path, features: PartFeatures | None = None) -> None:
    """One DXF per sheet part, true geometry by layer (outline, holes, pockets), from the part's
    recognised 2.5D features (``features``: recognised already, as CAM does; else recognised here) —
    for shops that nest and program parts themselves."""
    from osehw.cam.drawings.sheet_dxf import write_part_dxf as write_features_dxf
    from osehw.cam.recognise.solid import recognise

    write_features_dxf(path, part.name, features if features is not None else recognise(part))
