"""The build pipeline: design file → parameters → model → analyses → CAM → cost → check → files.

One small orchestrator (as pvlib's ModelChain) runs declared steps in order;
each step is a function from one :class:`BuildResult` to a new one, so a step
can be tested, replaced or entered alone:

======  ==========================================================  ===============
step    what it adds                                                 module
======  ==========================================================  ===============
model   the Design: geometry and parts, no analysis                 designs/*
analyse analyses that need only the design (geometry, thermal…)    analyses/*
cam     nested sheets and verified programs per machine            cam/job.py
cost    analyses that need the CAM result (bill of materials)      analyses/cost.py
check   every finding, in one list (``errors`` fail ``osehw check``) core/findings.py
write   every output that applies, staged and moved in whole       outputs/*
======  ==========================================================  ===============

``osehw check`` runs until "check"; ``osehw build`` to the end; ``osehw cam``
enters with a Design made from the user's file and starts at "analyse".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from osehw import __version__
from osehw.analyses import AnalysisResult, Inputs, run_analyses
from osehw.core.cache import StageCache
from osehw.core.design import Design
from osehw.core.design_files import resolve_design_file
from osehw.core.findings import Finding
from osehw.core.fingerprint import KEY_FIELD
from osehw.core.parallel import Background, can_fork, default_workers
from osehw.core.params import (
    DesignParams,
    ParamError,
    Problem,
    display_path,
    read_design_file,
    validate,
)
from osehw.core.site import Site, load_site
from osehw.core.staging import StagedOutput, check_name
from osehw.designs import DesignType, load_all

if TYPE_CHECKING:
    from osehw.cam.job import CamJob
    from osehw.outputs import Output

Progress = Callable[[str], None]
STEPS = ("model", "analyse", "cam", "cost", "check", "write")


def _quiet(_: str) -> None:
    pass


@dataclass
class Loaded:
    variant: str
    path: Path
    kind: DesignType
    params: DesignParams
    site: Site | None = None


def load(name_or_path: str, overrides: dict[str, Any] | None = None) -> Loaded:
    path = resolve_design_file(name_or_path)
    doc = read_design_file(path)
    design_name, raw = doc.design, doc.params
    registry = load_all()
    if design_name not in registry:
        from osehw.core.registry import unknown_message

        raise ParamError([Problem(display_path(path), "design", design_name, unknown_message("design", design_name, registry))])
    kind = registry.get(design_name)
    label = display_path(path) + (" (with --set)" if overrides else "")
    params = validate(kind.schema, {**raw, **(overrides or {})}, label)
    site = load_site(doc.site, relative_to=path) if doc.site else None
    return Loaded(check_name(path.stem), path, kind, params, site)


@dataclass(frozen=True)
class BuildResult:
    """Everything the steps made so far; each step returns a copy with its part filled in."""

    variant: str
    source: str  # the design file's name, or the user's part file for ``osehw cam``
    params: DesignParams
    kind: DesignType | None = None
    site: Site | None = None
    design: Design | None = None
    analyses: dict[str, AnalysisResult] = field(default_factory=dict)
    cam: Any = None  # osehw.cam.job.CamResult, when the design has sheet parts
    findings: tuple[Finding, ...] = ()
    files: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    done: tuple[str, ...] = ()
    input_key: str = ""  # osehw.core.fingerprint.input_key of what this build read, for the manifest

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def bom_total_usd(self) -> float | None:
        cost = self.analyses.get("cost")
        return cost.summary["total_usd"] if cost else None


class BuildPipeline:
    """Runs the steps for one design. ``machines`` limits CAM to those machine profiles. ``workers``: how
    many processes CAM runs its independent pieces in (machines, parts, programs, sheets' drawings; see
    osehw.core.parallel): None is one per core, 1 runs everything in this process."""

    def __init__(self, progress: Progress = _quiet, machines: list[str] | None = None,
                 cache: StageCache | None = None, skip_analyses: tuple[str, ...] = (),
                 workers: int | None = None, nest_iterations: int | None = None) -> None:
        self.progress = progress
        self.machines = machines
        self.cache = cache  # osehw.core.cache: stage results by content key; None = always compute
        self.skip_analyses = skip_analyses  # analyses by name left out (``osehw plan`` skips the solid checks)
        self.workers = workers
        self.nest_iterations = nest_iterations  # None: the nesting's default budget

    # --- the steps -----------------------------------------------------------------------------------------

    def model(self, result: BuildResult) -> BuildResult:
        assert result.kind is not None, "the model step needs a design type (start from load())"
        self.progress(f"{result.variant}: modelling")
        return replace(result, design=result.kind.build(result.params))

    def analyse(self, result: BuildResult) -> BuildResult:
        """Every design of the tree gets the analyses that apply to it; a child's results are named
        by its path (``enclosure/thermal``)."""
        self.progress(f"{result.variant}: analyses")
        found: dict[str, AnalysisResult] = {}
        for path, design in result.design.walk():
            for name, analysis in run_analyses(Inputs(design, site=result.site), after_cam=False,
                                               skip=self.skip_analyses).items():
                found[f"{path}/{name}" if path else name] = analysis
        return replace(result, analyses={**result.analyses, **found})

    def cam(self, result: BuildResult) -> BuildResult:
        """CAM for every machine profile, each program verified independently."""
        if not result.design.all_sheet_parts():
            return result
        return replace(result, cam=self._cam_job(self.progress).run(result.design))

    def _cam_job(self, progress: Progress) -> CamJob:
        from osehw.cam.job import CamJob

        return CamJob(machines=self.machines, progress=progress, cache=self.cache, workers=self.workers,
                      nest_iterations=self.nest_iterations)

    def cost(self, result: BuildResult) -> BuildResult:
        self.progress(f"{result.variant}: bill of materials")
        found = run_analyses(Inputs(result.design, result.cam, result.site, result.analyses), after_cam=True,
                             skip=self.skip_analyses)
        return replace(result, analyses={**result.analyses, **found})

    def check(self, result: BuildResult) -> BuildResult:
        findings = [f for _, design in result.design.walk() for f in design.findings]  # a child's too (a mount's)
        for name in sorted(result.analyses):
            findings += result.analyses[name].findings
        if result.cam is not None:
            findings += result.cam.findings
            findings += [f for s in result.cam.sheets for f in s.findings]
        return replace(result, findings=tuple(findings))

    def write(self, result: BuildResult, out_root: Path, force: bool = False) -> BuildResult:
        """Write every output that applies into ``out_root/<variant>``, whole (see
        :class:`osehw.core.staging.StagedOutput`); a folder there osehw did not make is replaced only
        with ``force``."""
        with StagedOutput(out_root, result.variant, force) as stage:
            sections = self._write_outputs(result, stage, self._due(result))
            files = stage.write_manifest(self.manifest(result, sections))
        return replace(result, files=files)

    @staticmethod
    def _due(result: BuildResult) -> list[Output]:
        from osehw.outputs import OUTPUTS, discover

        discover()
        return [OUTPUTS.get(name) for name in OUTPUTS if OUTPUTS.get(name).applies(result)]

    def _write_outputs(self, result: BuildResult, stage: StagedOutput, due: list[Output]) -> dict[str, Any]:
        """Write ``due``; returns their manifest sections. Those that read no solid are written in a forked
        process while this one writes those that do (with OCC, which a forked process may not call:
        osehw.core.parallel); each output writes files of its own, so the files are the same either way."""

        def write_all(outputs: list[Output], progress: Progress = self.progress) -> dict[str, Any]:
            sections: dict[str, Any] = {}
            for output in outputs:
                progress(f"{result.variant}: {output.name}")
                section = output.write(result, stage)
                if section is not None:
                    sections[output.name] = section
            return sections

        solid_free = [o for o in due if not o.reads_solids]
        if not solid_free or len(solid_free) == len(due):
            return write_all(due)  # one kind only: nothing to do beside it
        # a forked process draws no status line: the parent's may have held the terminal's lock at the fork
        apart = Background(lambda: write_all(solid_free, _quiet), self.workers)
        try:
            sections = write_all([o for o in due if o.reads_solids])
        except BaseException:
            apart.abandon()
            raise
        sections.update(apart.result())
        return sections

    # --- running them --------------------------------------------------------------------------------------

    def run(self, result: BuildResult, until: str = "check", *, out_root: Path | None = None,
            force: bool = False) -> BuildResult:
        """Run the steps not yet done, in order, up to and including ``until``."""
        if until not in STEPS:
            raise ValueError(f"unknown step '{until}' (steps: {', '.join(STEPS)})")
        todo = [step for step in STEPS[:STEPS.index(until) + 1] if step not in result.done]
        if "write" in todo and out_root is None:
            raise ValueError("the write step needs out_root")
        for i, step in enumerate(todo):
            if self._overlap(result, todo[i:]):
                return self._run_beside_cam(result, todo[i:], out_root, force)
            result = self._step(result, step, out_root, force)
        return result

    def _step(self, result: BuildResult, step: str, out_root: Path | None = None, force: bool = False) -> BuildResult:
        t = time.perf_counter()
        if step == "write":
            result = self.write(result, out_root, force)  # type: ignore[arg-type]
        else:
            result = getattr(self, step)(result)
        return self._finished(result, step, t)

    @staticmethod
    def _finished(result: BuildResult, step: str, started: float, **changes: Any) -> BuildResult:
        """``result`` with ``changes``, ``step`` done and its seconds since ``started`` (perf_counter)."""
        return replace(result, **changes, done=result.done + (step,),
                       seconds={**result.seconds, step: time.perf_counter() - started})

    def _overlap(self, result: BuildResult, todo: list[str]) -> bool:
        """Whether CAM (after recognition) may run in a forked process beside the analyses and the outputs
        that read solids: with a design in hand, both steps to do, and more than one worker."""
        return (result.design is not None and todo[:2] == ["analyse", "cam"] and bool(result.design.all_sheet_parts())
                and (self.workers or default_workers()) > 1 and can_fork())

    def _run_beside_cam(self, result: BuildResult, todo: list[str], out_root: Path | None,
                        force: bool) -> BuildResult:
        """The steps in ``todo`` with CAM's work after recognition in a forked process (it reads features,
        no solid) while this process runs the analyses and, when writing, the outputs that read solids but
        not the CAM result (model.step/.stl, the part drawings): they need OCC, so they run here, and the
        two take about as long. The results, and so the files, are those of the steps one after the other."""
        t = time.perf_counter()
        design = result.design
        assert design is not None
        # quiet: CAM reports from a forked process, which must not draw the parent's status line
        job = self._cam_job(_quiet)
        self.progress(f"{result.variant}: recognising the sheet parts")
        recognised = job.recognise(design)
        self.progress(f"{result.variant}: CAM in a process of its own")
        pending = Background(lambda: job.run(design, recognised), self.workers)
        try:
            return self._beside(pending, recognised, result, todo, out_root, force, t)
        except BaseException:
            pending.abandon()
            raise

    def _beside(self, pending: Background, recognised: Any, result: BuildResult, todo: list[str],
                out_root: Path | None, force: bool, t: float) -> BuildResult:
        result = self._step(result, "analyse")
        if "write" not in todo:
            result = self._finished(result, "cam", t, cam=pending.result())
            for step in todo[2:]:
                result = self._step(result, step)
            return result
        assert out_root is not None
        with StagedOutput(out_root, result.variant, force) as stage:
            # outputs that read solids and not the CAM result: here, now, while CAM runs
            early = [o for o in self._due(result) if o.reads_solids and not o.reads_cam]
            sections = self._write_outputs(replace(result, cam=recognised), stage, early)
            result = self._finished(result, "cam", t, cam=pending.result())
            for step in todo[2:-1]:
                result = self._step(result, step)
            t = time.perf_counter()
            written = {o.name for o in early}
            sections.update(self._write_outputs(result, stage, [o for o in self._due(result) if o.name not in written]))
            files = stage.write_manifest(self.manifest(result, sections))
        return self._finished(result, "write", t, files=files)

    def start(self, loaded: Loaded) -> BuildResult:
        """A result at the start of the chain, for a design file."""
        return BuildResult(loaded.variant, loaded.path.name, loaded.params, kind=loaded.kind, site=loaded.site)

    def start_with_design(self, design: Design, source: Path) -> BuildResult:
        """A result entering after the model step, for a design made elsewhere (``osehw cam``)."""
        return BuildResult(check_name(design.name), source.name, DesignParams(), design=design, done=("model",))

    @staticmethod
    def manifest(result: BuildResult, sections: dict[str, Any]) -> dict[str, Any]:
        return {
            "design": result.design.name,
            "variant": result.variant,
            "design_file": result.source,
            "osehw_version": __version__,
            "params": result.params.model_dump(mode="json"),
            "site": None if result.site is None else {**result.site.model_dump(mode="json", exclude={"path"}),
                                                      "weather_label": result.site.weather_label()},
            "summary": result.design.summary,
            "analyses": {name: a.summary for name, a in sorted(result.analyses.items())},
            "bom_total_usd": result.bom_total_usd,
            "findings": [f.__dict__ for f in result.findings],
            "cam": sections.get("cam"),
            KEY_FIELD: result.input_key,
        }


def build_summary(pipeline: BuildPipeline | None, loaded: Loaded, out_root: Path, force: bool,
                  input_key: str, cache_root: Path | None = None, workers: int | None = None) -> dict[str, Any]:
    """Build one loaded design to the end and return plain figures (picklable: ``osehw build`` runs
    this in worker processes): variant, file count, seconds, BOM total and the error findings."""
    t = time.perf_counter()
    pipe = pipeline or BuildPipeline(cache=StageCache(cache_root), workers=workers)
    start = replace(pipe.start(loaded), input_key=input_key)
    result = pipe.run(start, "write", out_root=out_root, force=force)
    return {"variant": result.variant, "files": len(result.files), "seconds": time.perf_counter() - t,
            "bom_total_usd": result.bom_total_usd or 0.0, "errors": [f.__dict__ for f in result.errors]}

