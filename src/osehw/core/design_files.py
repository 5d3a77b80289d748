"""Finding design files: by variant name under designs/, or by path. Light on purpose (no CadQuery),
so the CLI can tell an up-to-date build without loading any design."""

from __future__ import annotations

import os
from pathlib import Path

from osehw.core.params import ParamError, Problem
from osehw.core.paths import designs_dir
from osehw.core.staging import check_name

# design id → {parameter: default variant}: parameters that name another design file (the tower's dish mount),
# so the build fingerprint follows them without importing the design's module (and CadQuery)
FILE_FIELDS: dict[str, dict[str, str]] = {"tower": {"mount": "antenna-mount"}}


PLAN_PREFIX = "plan-"  # designs/plan-*.yaml are network plans (osehw plan), not designs to build


def design_files() -> list[Path]:
    return sorted(p for p in designs_dir().glob("*.yaml") if not p.name.startswith(PLAN_PREFIX))


def resolve_design_file(name_or_path: str) -> Path:
    """A variant name (``node-enclosure``) or a path to a YAML file."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or os.path.exists(name_or_path):  # os.path: False on a too-long name
        return path
    check_name(name_or_path)
    candidate = designs_dir() / f"{name_or_path}.yaml"
    if not candidate.exists():
        from osehw.core.registry import unknown_message

        raise ParamError([Problem("(command line)", "DESIGN", name_or_path,
                                  unknown_message("design file", name_or_path, [p.stem for p in design_files()]))])
    return candidate
