"""Real files nobody here wrote (tests/data/real/SOURCES.md): each is cut and verified, or refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from osehw.designs.user_part import user_part_design
from osehw.pipeline import BuildPipeline

REAL = Path(__file__).resolve().parent / "data" / "real"


def cam_check(path: Path, *, thickness: float, material: str = "plywood", machine: str = "linuxcnc-4x8",
              **read_options):  # type: ignore[no-untyped-def]
    """CAM and every check, as `osehw cam` runs them, without writing files."""
    design = user_part_design(path, thickness=thickness, material=material, quantity=1, **read_options)
    pipe = BuildPipeline(machines=[machine])
    return design, pipe.run(pipe.start_with_design(design, path), "check")


def test_ezdxf_forms_all_23_parts_are_cut_and_proven() -> None:
    # Flattened splines as holes, many short chords: the fitted path used to stray
    # 0.01 mm from the offset, which the verifier reads as uncut or gouged.
    design, result = cam_check(REAL / "ezdxf-forms.dxf", thickness=12)
    assert len(design.sheet_parts) == 23
    assert [f.message for f in result.errors] == []
    placed = [label for sheet in result.cam.sheets for label, _ in sheet.parts]
    assert len(placed) == 23
    # the CAM job proves every sheet (cam/verify/sheet.py): cut through, no gouge
    assert not [f for f in result.findings if f.code in ("GCODE_UNCUT", "GCODE_GOUGE")]
