"""The build pipeline: design file → parameters → model → checks → fabrication files.

One small orchestrator (as pvlib's ModelChain) runs pure steps in order and
collects their products in a result dataclass; each step can be tested alone.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from osehw import __version__, bom
from osehw.checks import run_checks
from osehw.design import Design, Finding
from osehw.designs import DesignType, load_all
from osehw.output import StagedOutput, check_name, check_target
from osehw.params import DesignParams, ParamError, Problem, display_path, read_design_file, validate
from osehw.paths import designs_dir

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def design_files() -> list[Path]:
    return sorted(designs_dir().glob("*.yaml"))


def resolve_design_file(name_or_path: str) -> Path:
    """A variant name (``node-enclosure``) or a path to a YAML file."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or os.path.exists(name_or_path):  # os.path: False on a too-long name
        return path
    check_name(name_or_path)
    candidate = designs_dir() / f"{name_or_path}.yaml"
    if not candidate.exists():
        from osehw.registry import unknown_message

        raise ParamError([Problem("(command line)", "DESIGN", name_or_path,
                                  unknown_message("design file", name_or_path, [p.stem for p in design_files()]))])
    return candidate


@dataclass
class Loaded:
    variant: str
    path: Path
    kind: DesignType
    params: DesignParams


def load(name_or_path: str, overrides: dict[str, Any] | None = None) -> Loaded:
    path = resolve_design_file(name_or_path)
    design_name, raw = read_design_file(path)
    registry = load_all()
    if design_name not in registry:
        from osehw.registry import unknown_message

        raise ParamError([Problem(display_path(path), "design", design_name, unknown_message("design", design_name, registry))])
    kind = registry.get(design_name)
    label = display_path(path) + (" (with --set)" if overrides else "")
    params = validate(kind.schema, {**raw, **(overrides or {})}, label)
    return Loaded(check_name(path.stem), path, kind, params)


@dataclass
class BuildResult:
    variant: str
    design: Design
    params: DesignParams
    findings: list[Finding] = field(default_factory=list)
    cam: Any = None  # osehw.cam.job.CamResult, when the design has sheet parts
    bom_rows: list[bom.BomRow] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


class BuildPipeline:
    """Runs the steps for one design file. ``steps`` may be overridden (e.g. tests skip exports)."""

    def __init__(self, progress: Progress = _quiet, machines: list[str] | None = None) -> None:
        self.progress = progress
        self.machines = machines

    def model(self, loaded: Loaded) -> BuildResult:
        t = time.perf_counter()
        self.progress(f"{loaded.variant}: modelling")
        design = loaded.kind.build(loaded.params)
        result = BuildResult(loaded.variant, design, loaded.params)
        result.seconds["model"] = time.perf_counter() - t
        return result

    def check(self, result: BuildResult) -> BuildResult:
        t = time.perf_counter()
        self.progress(f"{result.variant}: checking geometry and engineering rules")
        result.findings = run_checks(result.design)
        result.seconds["check"] = time.perf_counter() - t
        return self.cam(result)

    def cam(self, result: BuildResult) -> BuildResult:
        """CAM for every machine profile, each program verified independently (findings join the checks)."""
        if not result.design.sheet_parts:
            return result
        from osehw.cam.job import CamJob

        t = time.perf_counter()
        job = CamJob(machines=self.machines, progress=self.progress)
        result.cam = job.run(result.design)
        result.findings += result.cam.findings
        result.findings += [f for s in result.cam.sheets for f in s.findings]
        result.seconds["cam"] = time.perf_counter() - t
        return result

    def write_design(self, design: Design, source: Path, out_root: Path, force: bool = False) -> BuildResult:
        """Check, CAM and write a design that came from elsewhere than a parameter file (``osehw cam``)."""
        result = self.check(BuildResult(check_name(design.name), design, DesignParams()))
        return self.write(result, source.name, out_root, force)

    def write(self, result: BuildResult, design_file: str, out_root: Path, force: bool = False) -> BuildResult:
        """Write every output into ``out_root/<variant>``, whole (see :class:`osehw.output.StagedOutput`);
        a folder there that osehw did not make is replaced only with ``force``."""
        from osehw import export

        t = time.perf_counter()
        design = result.design
        with StagedOutput(out_root, result.variant, force) as stage:
            self.progress(f"{result.variant}: STEP and STL")
            export.write_step(design.assembly, stage.file("model.step"))
            export.write_stl(design.assembly, stage.file("model.stl"))
            for part in design.sheet_parts:
                self.progress(f"{result.variant}: drawing {part.name}")
                export.write_part_svg(part.solid, stage.file(f"parts/{part.name}.svg"))
                export.write_part_dxf(part, stage.file(f"parts/{part.name}.dxf"))
            cam_summary = None
            sheets = None
            if result.cam is not None:
                from osehw.cam.write import write_cam

                self.progress(f"{result.variant}: sheets, programs and setup sheets")
                cam_summary = write_cam(design, result.cam, stage.file, dict(result.cam.tools))
                sheets = result.cam.stock_sheet_counts() or None
            result.bom_rows = bom.rollup(design, sheets)
            stage.file("bom.csv").write_text(bom.bom_csv(result.bom_rows), encoding="utf-8")
            stage.file("bom.json").write_text(bom.bom_json(result.bom_rows), encoding="utf-8")
            result.files = stage.write_manifest({
                "design": design.name,
                "variant": result.variant,
                "design_file": design_file,
                "osehw_version": __version__,
                "params": result.params.model_dump(mode="json"),
                "analyses": design.analyses,
                "bom_total_usd": bom.total(result.bom_rows),
                "findings": [f.__dict__ for f in result.findings],
                "cam": cam_summary,
            })
        result.seconds["write"] = time.perf_counter() - t
        return result

    def run(self, name_or_path: str, overrides: dict[str, Any] | None, out_root: Path,
            force: bool = False) -> BuildResult:
        loaded = load(name_or_path, overrides)
        check_target(out_root / loaded.variant, force)
        result = self.check(self.model(loaded))
        return self.write(result, loaded.path.name, out_root, force)
