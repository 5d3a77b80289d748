"""The CAM stage: a design's sheet parts → features → plans → nested sheets → verified programs.

``CamJob`` is the stage's orchestrator (as pvlib's ModelChain): every step is a
pure function from another module; the job runs them for each machine and
collects the results in :class:`CamResult`. Nothing is written here (see
:mod:`osehw.outputs.cam_files`), so ``osehw check`` runs the same job as ``osehw build``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping, Sequence

from shapely.geometry import LineString, Point, Polygon
from shapely.ops import unary_union

from osehw import catalog
from osehw.cam.fit import FIT_ALLOWANCE, clearance_notes, fitted_opening, fitted_outline
from osehw.cam.nesting.offcuts import nest_clear_of_offcuts
from osehw.cam.nesting.raster import (
    DEFAULT_ITERATIONS,
    NestingError,
    NestItem,
    NestResult,
    PartTooLargeError,
    Placement,
)
from osehw.cam.nesting.remnant import SheetUse, sheet_uses
from osehw.cam.ops.dogbone import relief_corners
from osehw.cam.ops.feeds import feeds_and_speeds
from osehw.cam.ops.holes import drill_point_length
from osehw.cam.ops.moves import Operation
from osehw.cam.ops.profile import ManufacturabilityError, tab_gap_limit
from osehw.cam.ordering import order_operations
from osehw.cam.plan import PartPlan, plan_part, sharp_concave_corners
from osehw.cam.post import ProgramHeader, get_post, post
from osehw.cam.recognise.features import PartFeatures
from osehw.cam.recognise.solid import RecognitionError, recognise
from osehw.cam.shop import (
    FeedsAndSpeeds,
    Machine,
    Material,
    Tool,
    load_machines,
    load_tools,
)
from osehw.cam.transform import place_operation, place_polygon
from osehw.cam.verify.program import PartRegion, VerifyReport, verify_program
from osehw.cam.verify.sheet import prove_sheet
from osehw.core.cache import StageCache, stage_key
from osehw.core.design import Design, SheetPart
from osehw.core.findings import Finding
from osehw.core.parallel import can_fork, default_workers, fork_map

PART_GAP_MARGIN = 2.0  # spacing between parts = outline tool diameter + this [mm]
# ... or, where the close nest would box waste in between parts (cam/nesting/offcuts.py), this many
# outline tool diameters + the margin: the two parts' cuts then leave a web of skeleton between them
WIDE_PART_GAP_FACTOR = 2.0

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass(frozen=True)
class Program:
    """One program: one tool on one sheet, with its independent verification."""

    filename: str
    tool: Tool
    feeds: FeedsAndSpeeds
    text: str
    report: VerifyReport
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class SheetJob:
    """One nested sheet for one machine."""

    machine: Machine
    material: Material
    thickness: float
    group: str  # e.g. "hdpe-12.7"
    index: int  # 1-based within the group
    stock_x: float
    stock_y: float
    parts: tuple[tuple[str, Polygon], ...]  # (label, placed footprint less its dogbone reliefs)
    operations: tuple[Operation, ...]  # cutting order
    programs: tuple[Program, ...]
    findings: tuple[Finding, ...]
    use: SheetUse  # this sheet's use beside the nest's others; the remnant on the last
    notes: tuple[str, ...] = ()  # for the operator: each part's joint clearances

    @property
    def utilisation(self) -> float:
        """Part area / sheet area of this sheet."""
        return self.use.this

    @property
    def stem(self) -> str:
        return f"{self.group}-sheet-{self.index}"

    @property
    def estimated_time_s(self) -> float:
        return sum(p.report.estimated_time_s for p in self.programs)


@dataclass
class CamResult:
    sheets: list[SheetJob] = field(default_factory=list)
    features: dict[str, PartFeatures] = field(default_factory=dict)
    nestings: dict[tuple[str, str], NestResult] = field(default_factory=dict)  # (machine, group) → nesting
    findings: list[Finding] = field(default_factory=list)
    tools: Mapping[str, Tool] = field(default_factory=dict)
    too_large: dict[str, set[str]] = field(default_factory=dict)  # part → machines whose bed it exceeds

    def stock_sheet_counts(self) -> dict[tuple[str, float], int]:
        """Whole stock sheets per (material, thickness) for the BOM: the fewest any machine that
        takes the full sheet needed (a smaller machine's sheets are cut from those)."""
        per_machine: dict[tuple[str, float], dict[str, int]] = {}
        for s in self.sheets:
            if (s.stock_x, s.stock_y) == s.material.sheet_size(s.thickness):
                counts = per_machine.setdefault((s.material.id, s.thickness), {})
                counts[s.machine.id] = max(counts.get(s.machine.id, 0), s.index)
        return {key: min(counts.values()) for key, counts in per_machine.items()}


def material_footprint(features: PartFeatures, fit_allowance: float = 0.0,
                       corner_radius: Mapping[str, float] | None = None) -> Polygon:
    """What remains of a part seen from above: outline less every through opening.

    With a fit allowance the receiving notches and slots widen (as the plan cuts them,
    osehw.cam.fit); round holes are cut to size. An opening that takes no other part
    keeps the radius of the tool that cuts it (``corner_radius`` by feature name) in its
    sharp inside corners: a round tool cannot do otherwise, and only openings that
    receive a part get dogbones.
    """
    shape = fitted_outline(features, fit_allowance)
    for hole in features.round_holes:
        if hole.depth >= features.thickness - 1e-6:
            shape = shape.difference(Point(hole.x, hole.y).buffer(hole.diameter / 2, quad_segs=64))
    for cut in features.inside_cuts:
        region = fitted_opening(cut, fit_allowance)
        r = (corner_radius or {}).get(cut.name)
        if r and not cut.receives_part:
            region = region.buffer(-r, quad_segs=64).buffer(r, quad_segs=64)
        shape = shape.difference(region)
    return shape  # type: ignore[return-value]


def dogbone_relief(features: PartFeatures, tool_radius: float, fit_allowance: float = 0.0) -> Polygon:
    """Where dogbones may remove material: at each sharp corner the tool cannot reach, the
    stroke of the tool along the corner bisector from where it touches both walls
    (r / sin(φ/2) from the corner) to where its edge reaches the corner (r from it) —
    the relief geometry derived in osehw.cam.ops.dogbone, computed here from the part alone."""
    strokes = []
    cuts = [(fitted_outline(features, fit_allowance), "outside")] if sharp_concave_corners(features.outline) else []
    cuts += [(fitted_opening(c, fit_allowance), "inside") for c in features.inside_cuts if c.receives_part]
    for cut, side in cuts:
        for corner in relief_corners(cut, side):
            vx, vy = corner.vertex
            ux, uy = corner.bisector
            start = tool_radius / math.sin(math.radians(corner.angle) / 2)
            strokes.append(LineString([(vx + ux * start, vy + uy * start),
                                       (vx + ux * tool_radius, vy + uy * tool_radius)]).buffer(tool_radius, quad_segs=32))
    return unary_union(strokes) if strokes else Polygon()


def countersink_notes(placed: Sequence[Placement], features: Mapping[str, PartFeatures], labels: Mapping[str, str],
                      subject: str) -> list[Finding]:
    """CAM_COUNTERSINK_NOTED per part on a sheet with countersinks: the router cuts each hole, the
    operator sinks the cone on the drill press (its top diameter and included angle, part frame)."""
    out = []
    for name in sorted({pl.name for pl in placed}):
        sinks = features[name].countersinks
        if not sinks:
            continue
        count = sum(1 for pl in placed if pl.name == name)
        listing = "; ".join(f"{c.hole} at ({c.x:.2f}, {c.y:.2f}): Ø{c.diameter:g} mm × {c.angle:g}°, "
                            f"{c.depth:.2f} mm deep" for c in sinks)
        out.append(Finding("CAM_COUNTERSINK_NOTED", "warning", f"{subject}: {labels[name]}",
                           f"{len(sinks)} countersink(s) on each of the {count} '{labels[name]}' on this sheet, "
                           f"for the drill press from the top face after cutting (the router cuts the holes "
                           f"only; positions in the part's own frame): {listing}"))
    return out


def sheet_size(machine: Machine, material: Material, thickness: float) -> tuple[float, float]:
    """The material's stock sheet of that thickness, or the machine's envelope where that is smaller."""
    stock_x, stock_y = material.sheet_size(thickness)
    return min(stock_x, machine.envelope_x), min(stock_y, machine.envelope_y)


class CamJob:
    """Runs CAM for every machine profile (or the ones named) over a design's sheet parts.

    ``workers``: processes that run machines at once (each machine's nesting, programs and
    verification are independent of the others'); None is one per CPU core, 1 runs them in this
    process. The result is the same either way: the machines' results are merged in their order.
    ``nest_iterations``: the nesting search's budget (:func:`osehw.cam.nesting.raster.nest`; None: its
    default): more may save a sheet at the cost of time; the result depends on it, never on the clock.
    """

    def __init__(self, machines: Sequence[str] | None = None, progress: Progress = lambda _: None,
                 cache: StageCache | None = None, workers: int | None = None,
                 nest_iterations: int | None = None) -> None:
        all_machines = load_machines()
        self.machines = [all_machines[m] for m in (machines or sorted(all_machines))]
        self.tools: Mapping[str, Tool] = load_tools()
        self.materials: Mapping[str, Material] = catalog.materials()
        self.progress = progress
        self.cache = cache
        self.workers = workers
        self.inner_workers = workers  # a machine's parts and a sheet's programs; 1 inside a machine worker
        self.nest_iterations = DEFAULT_ITERATIONS if nest_iterations is None else nest_iterations

    @staticmethod
    def recognise(design: Design) -> CamResult:
        """The first step alone: every sheet part's features (or its CAM_RECOGNISE finding). It reads the
        solids with OCC, so it runs in the process that has them, never in a forked worker (whose OCC
        thread pool is gone: osehw.core.parallel); everything after it reads the features only."""
        result = CamResult()
        for part in design.all_sheet_parts():
            try:
                result.features[part.name] = recognise(part)
            except RecognitionError as exc:
                result.findings.append(Finding("CAM_RECOGNISE", "error", part.name, str(exc)))
        return result

    def run(self, design: Design, recognised: CamResult | None = None) -> CamResult:
        """The CAM result; ``recognised``: :meth:`recognise`'s, done already (then this reads no solid, and
        may run in a forked process)."""
        first = recognised if recognised is not None else self.recognise(design)
        result = CamResult(features=dict(first.features), findings=list(first.findings), tools=self.tools)
        parts = design.all_sheet_parts()
        # What follows reads the features and the parts' metadata, never the solids: they are the key.
        key = stage_key("cam", design.name, [m.model_dump() for m in self.machines],
                        [(p.name, p.material, p.thickness, p.quantity, p.label, p.fit) for p in parts],
                        sorted(result.features.items()), result.findings, self.nest_iterations)
        cached = self.cache.get("cam", key) if self.cache is not None else None
        if isinstance(cached, CamResult):
            self.progress(f"{design.name}: CAM unchanged, from the cache")
            return cached
        self._all_machines(design, parts, result)
        if self.cache is not None:
            self.cache.put("cam", key, result)
        return result

    def _all_machines(self, design: Design, parts: list[SheetPart], result: CamResult) -> None:
        for partial in self._per_machine(design.name, parts, result.features):
            result.findings.extend(partial.findings)
            result.sheets.extend(partial.sheets)
            result.nestings.update(partial.nestings)
            for name, machines in partial.too_large.items():
                result.too_large.setdefault(name, set()).update(machines)
        # A part too large for one machine's bed is that machine's limit; for every machine, the design's.
        for name, machines in sorted(result.too_large.items()):
            if len(machines) == len(self.machines):
                why = next((f.message for f in result.findings
                            if f.code == "CAM_BED_TOO_SMALL" and f.subject.endswith(f": {name}")), "")
                result.findings.append(Finding(
                    "CAM_NO_MACHINE", "error", name, f"no machine can cut '{name}': it is larger than the usable "
                    f"bed or sheet of {', '.join(sorted(machines))}" + (f" ({why})" if why else "")))

    def _per_machine(self, design_name: str, parts: list[SheetPart],
                     features: dict[str, PartFeatures]) -> list[CamResult]:
        """Every machine's own result, in machine order: in forked worker processes when there are
        several machines and more than one worker (osehw.core.parallel), else one after the other."""

        workers = min(len(self.machines), self.workers or default_workers())
        if workers <= 1 or not can_fork():
            return [self._machine_alone(design_name, m, parts, features) for m in self.machines]
        self.progress(f"{design_name}: CAM for {len(self.machines)} machines, {workers} at a time")
        progress, self.progress = self.progress, _quiet  # the parent's status line is not a worker's to draw
        inner_workers, self.inner_workers = self.inner_workers, 1  # the cores are the machines' already
        # the workers read no solid: the parts go without theirs (an OCC shape is no use in another process)
        light = [replace(p, solid=None) for p in parts]
        try:
            return fork_map(lambda i: self._machine_alone(design_name, self.machines[i], light, features),
                            len(self.machines), workers)
        finally:
            self.progress, self.inner_workers = progress, inner_workers

    def _machine_alone(self, design_name: str, machine: Machine, parts: list[SheetPart],
                       features: dict[str, PartFeatures]) -> CamResult:
        """One machine's sheets, nestings and findings, from the parts' features alone."""
        partial = CamResult(tools=self.tools, features=features)
        self._machine(design_name, machine, parts, partial)
        return CamResult(sheets=partial.sheets, nestings=partial.nestings, findings=partial.findings,
                         tools=self.tools, too_large=partial.too_large)

    def _machine(self, design_name: str, machine: Machine, parts: list[SheetPart], result: CamResult) -> None:
        groups: dict[tuple[str, float], list[SheetPart]] = {}
        for part in parts:
            if part.name in result.features:
                groups.setdefault((part.material, part.thickness), []).append(part)
        for (material_id, thickness), members in sorted(groups.items()):
            material = self.materials[material_id]
            group = f"{material_id}-{thickness:g}"
            self.progress(f"{design_name}: {machine.id}: planning {group}")

            def feeds_for(tool: Tool, material: Material = material) -> FeedsAndSpeeds:
                return feeds_and_speeds(machine, tool, material)

            def planned(i: int, members: list[SheetPart] = members, feeds_for=feeds_for) -> PartPlan | str:
                part = members[i]
                try:
                    return plan_part(result.features[part.name], machine=machine, material=material,
                                     tools=self.tools, feeds_for=feeds_for,
                                     fit_allowance=FIT_ALLOWANCE.get(part.fit, 0.0))
                except ManufacturabilityError as exc:
                    return str(exc)

            # each part is planned on its own: at once, unless the machines have the cores already
            plans: dict[str, PartPlan] = {}
            for part, plan in zip(members, fork_map(planned, len(members), self.inner_workers)):
                if isinstance(plan, str):
                    result.findings.append(Finding("CAM_MANUFACTURABILITY", "error", f"{machine.id}: {part.name}",
                                                   plan))
                else:
                    plans[part.name] = plan
            if not plans:
                continue
            self._nest_and_post(design_name, machine, material, thickness, group, members, plans, feeds_for, result)

    def _nest_and_post(self, design_name: str, machine: Machine, material: Material, thickness: float, group: str,
                       members: list[SheetPart], plans: dict[str, PartPlan],
                       feeds_for: Callable[[Tool], FeedsAndSpeeds], result: CamResult) -> None:
        outline_tool = max((self.tools[op.tool].diameter for plan in plans.values() for op in plan.operations
                            if op.kind == "profile_outside"), default=6.35)
        sx, sy = sheet_size(machine, material, thickness)
        fits = {p.name: FIT_ALLOWANCE.get(p.fit, 0.0) for p in members}
        radii = {name: {op.feature: self.tools[op.tool].diameter / 2 for op in plan.operations
                        if op.kind == "profile_inside"} for name, plan in plans.items()}
        footprints = {name: material_footprint(result.features[name], fits[name], radii[name]) for name in plans}
        must_remain = {name: footprints[name].difference(dogbone_relief(result.features[name], outline_tool / 2,
                                                                        fits[name])) for name in plans}
        items = [NestItem(p.name, footprints[p.name], p.quantity, allow_rotation=not material.grain)
                 for p in members if p.name in plans]
        self.progress(f"{design_name}: {machine.id}: nesting {sum(i.quantity for i in items)} parts of {group}")
        while True:
            try:
                # where parts set close box waste in, to come loose beside the cutter, they are set apart
                nesting = nest_clear_of_offcuts(items, sx, sy, spacing=outline_tool + PART_GAP_MARGIN,
                                                wide_spacing=WIDE_PART_GAP_FACTOR * outline_tool + PART_GAP_MARGIN,
                                                margin=machine.clamp_margin + outline_tool / 2,
                                                cut_width=outline_tool, iterations=self.nest_iterations)
                break
            except PartTooLargeError as exc:  # this machine leaves the part out; the others may cut it
                grain = (f"; {material.id} has a grain along the sheet's length, so parts are placed as drawn: "
                         f"turn the drawing if its grain may run the other way" if material.grain else "")
                result.findings.append(Finding("CAM_BED_TOO_SMALL", "warning", f"{machine.id}: {exc.part}",
                                               f"{exc}{grain}"))
                result.too_large.setdefault(exc.part, set()).add(machine.id)
                items = [i for i in items if i.name != exc.part]
                if not items:
                    return
            except NestingError as exc:
                result.findings.append(Finding("CAM_NESTING", "error", f"{machine.id}: {group}", str(exc)))
                return
        result.nestings[(machine.id, group)] = nesting
        # the strip a half-empty last sheet leaves is cut off one part spacing beyond its parts
        uses = sheet_uses(nesting, {i.name: i.shape for i in items}, outline_tool + PART_GAP_MARGIN)
        labels = {p.name: (p.label or p.name) for p in members}
        fit_notes = {p.name: clearance_notes(result.features[p.name], p.fit, fits[p.name]) for p in members
                     if p.name in plans}
        for sheet_index in range(nesting.sheets_used):
            placed = [pl for pl in nesting.placements if pl.sheet == sheet_index]
            self.progress(f"{design_name}: {machine.id}: posting {group} sheet {sheet_index + 1}")
            result.sheets.append(self._sheet(design_name, machine, material, thickness, group, sheet_index, placed, plans,
                                             must_remain, labels, feeds_for, sx, sy, uses[sheet_index], outline_tool,
                                             result.features, fit_notes))

    def _sheet(self, design_name: str, machine: Machine, material: Material, thickness: float, group: str,
               sheet_index: int, placed: list[Placement], plans: dict[str, PartPlan],
               must_remain: dict[str, Polygon], labels: dict[str, str], feeds_for: Callable[[Tool], FeedsAndSpeeds],
               sx: float, sy: float, use: SheetUse, outline_tool: float,
               features: Mapping[str, PartFeatures], fit_notes: Mapping[str, list[str]]) -> SheetJob:
        ops: list[Operation] = []
        regions: list[PartRegion] = []
        parts: list[tuple[str, Polygon]] = []
        for pl in placed:
            tag = f"{pl.name}#{pl.instance + 1}"
            for op in plans[pl.name].operations:
                moved = place_operation(op, x=pl.x, y=pl.y, rotation=pl.rotation)
                ops.append(Operation(moved.kind, tag, moved.feature, moved.tool, moved.depth, moved.moves,
                                     moved.spindle_rpm))
            keep = place_polygon(must_remain[pl.name], x=pl.x, y=pl.y, rotation=pl.rotation)
            regions.append(PartRegion(tag, keep, thickness))
            # the drawings show (and the sheet DXF's PART_OUTLINES hands to `osehw verify --part`) the same
            # shape the proof holds the programs to: the footprint less its dogbone reliefs
            parts.append((f"{labels[pl.name]} #{pl.instance + 1}", keep))
        ordered = order_operations(ops, self.tools)
        counts: dict[str, int] = {}
        for pl in placed:
            counts[labels[pl.name]] = counts.get(labels[pl.name], 0) + 1
        part_list = tuple(sorted(counts.items()))
        stem = f"{group}-sheet-{sheet_index + 1}"
        drafts = []
        for step, run in enumerate(_tool_runs(ordered), start=1):
            tool = self.tools[run[0].tool]
            feeds = feeds_for(tool)
            filename = f"{stem}.{step}-{tool.id}.{get_post(machine.controller).extension}"
            header = ProgramHeader(title=f"{design_name} {stem} step {step}: {tool.name}", parts=part_list,
                                   material=material.name, stock_x=sx, stock_y=sy, stock_thickness=thickness,
                                   tool=tool, feeds=feeds, z_zero=machine.z_zero, estimated_time_s=0.0,
                                   machine=machine)
            drafts.append((filename, tool, feeds, header, run, post(header, run)))

        def check(i: int) -> VerifyReport:
            filename, tool, _, _, _, draft = drafts[i]
            # a through-drilled hole goes one drill-point length past the stock (hole_ops), so the
            # spoilboard allowance of a drill program includes its point
            allowed = machine.model_copy(update={"breakthrough": machine.breakthrough + drill_point_length(tool)})
            return verify_program(draft, allowed, dialect=machine.controller, stock_x=sx, stock_y=sy,
                                  stock_thickness=thickness, tool_diameter=tool.diameter, subject=filename)

        # each program is verified on its own, so they are verified at once (osehw.core.parallel)
        reports = fork_map(check, len(drafts), self.inner_workers)
        programs: list[Program] = []
        for (filename, tool, feeds, header, run, _), report in zip(drafts, reports):
            final = post(_with_time(header, report.estimated_time_s), run)
            programs.append(Program(filename, tool, feeds, final, report, tuple(run)))
        findings = countersink_notes(placed, features, labels, f"{machine.id}/{stem}")
        findings += [f for p in programs for f in p.report.findings]
        findings += prove_sheet([(p.text, p.tool.diameter) for p in programs], machine, dialect=machine.controller,
                                stock_thickness=thickness, parts=regions,
                                max_tab_length=tab_gap_limit(outline_tool), subject=f"{machine.id}/{stem}",
                                stock=(sx, sy))
        return SheetJob(machine, material, thickness, group, sheet_index + 1, sx, sy, tuple(parts), tuple(ordered),
                        tuple(programs), tuple(findings), use,
                        tuple(n for name in sorted({pl.name for pl in placed}) for n in fit_notes[name]))


def _tool_runs(ops: Sequence[Operation]) -> list[list[Operation]]:
    """Consecutive operations with the same tool: one program each."""
    runs: list[list[Operation]] = []
    for op in ops:
        if runs and runs[-1][0].tool == op.tool:
            runs[-1].append(op)
        else:
            runs.append([op])
    return runs


def _with_time(header: ProgramHeader, seconds: float) -> ProgramHeader:
    return replace(header, estimated_time_s=seconds)
