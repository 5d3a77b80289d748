"""osehw's CAM beside FreeCAD 0.20's Path workbench, on node-enclosure's five sheet panels, in one run.

What it does:
1. builds node-enclosure and writes its five sheet panels (back, lid, wall-bottom, wall-top, wall-end)
   as one STEP file (osehw's own STEP writer), side by side;
2. times ``osehw cam PANELS.step --thickness 12.7 --material hdpe`` end to end (a fresh process:
   start-up, STEP, analyses, CAM with verification, previews, DXF, setup sheets), on the GRBL machine
   alone (like for like with FreeCAD's grbl post) and on every machine (the command's default);
3. times osehw's CAM stage in-process on the same STEP for the GRBL machine, split into recognition
   (features from the solids), planning (each part's toolpaths), nesting, ordering+post (the sheet's
   operations placed, ordered and posted, a program per tool) and verification; osehw's toolpath+post,
   like for like with FreeCAD's (which recognises and nests nothing), is planning + ordering+post.
   Once in one process and once with a worker per core (as ``osehw cam`` runs it);
4. runs benchmarks/freecad_panels_macro.py under ``freecadcmd`` (headless): one Path job per panel,
   set up by script with osehw's own tools, feeds, speeds, step-downs and tab count/width/height for
   this machine and material (osehw's plan for the same panels), toolpaths recomputed and posted with
   FreeCAD's grbl post, one program per tool; FreeCAD's toolpath+post time is measured inside the
   macro and its end to end (freecadcmd start included) here;
5. runs osehw's acceptance (``osehw verify --third-party`` against the panel's DXF, every program of a
   panel proven together) on FreeCAD's programs, and counts the panels that pass.

What FreeCAD does not do here: the part labels osehw engraves with its v-bit (the STEP holds no text;
FreeCAD's ShapeString needs a font and the Draft workbench, and a label is osehw's addition anyway), so
FreeCAD runs one tool fewer. Everything else (profile with holding tags, the gasket-groove pocket,
peck drilling of the 4.5 mm holes, helical boring of the larger ones) is scripted headless.

Requires Debian's ``freecad`` package (``apt-get install freecad``: freecadcmd, Path workbench 0.20).
Run: .venv/bin/python benchmarks/bench_freecad.py [--repeat N]

osehw's modules are byte-compiled first (``python -m compileall``, as pip install does for a user): this
machine sets PYTHONDONTWRITEBYTECODE=1, under which every start would otherwise compile osehw anew
(0.1-0.3 s); ``--no-compile`` leaves them as they are.

Measured 2026-11-25 06:22 UTC (session 6's final code: CAM speed-ups, the numpy.fft nesting without
scipy.signal, no xml.sax import), ``--repeat 3 --before <src of 6190c13>``, on 2 idle cores (load average
0.51 before). CPU seconds include each command's own worker processes. FreeCAD 0.20.2, Debian bookworm.

  seconds, wall (CPU), iterations 1 / 2 / 3                       1              2              3
  FreeCAD end to end (freecadcmd)                              2.65 (2.57)    2.26 (2.36)    2.31 (2.39)
  FreeCAD toolpath+post (recompute + post)                     0.52 (0.51)    0.47 (0.47)    0.48 (0.48)
  FreeCAD job and op set-up (last run; not in its toolpath)    1.24
  osehw cam, grbl, end to end                                  4.46 (5.82)    3.65 (4.70)    3.43 (4.50)
  osehw cam, 3 machines, end to end                            4.79 (7.08)    4.56 (6.62)    4.53 (6.55)
  before (6190c13): osehw cam, grbl                            7.36 (7.72)    7.09 (7.58)    7.03 (7.53)
  before (6190c13): osehw cam, 3 machines                      7.94 (10.45)   7.98 (10.27)   8.07 (10.31)
  CAM stage, a worker per core (grbl)                          0.86 (0.97)    0.85 (0.96)    0.88 (1.00)
    planning (each part's toolpaths)                           0.12           0.12           0.12
    ordering+post (sheet's operations, programs)               0.04           0.04           0.05
    = osehw toolpath+post                                      0.17           0.16           0.17
    recognition (features from the solids)                     0.13           0.13           0.13
    nesting (parts on the sheet)                               0.38           0.37           0.40
    verification (every program, the sheet proof)              0.16           0.17           0.16
    rest (footprints for the nest, glue)                       0.02           0.02           0.03
  CAM stage, one process (grbl)                                0.90           0.84           0.95
    toolpath+post                                              0.21           0.20           0.21

  osehw cam grbl / FreeCAD, end to end        wall 1.61 (1.68, 1.61, 1.49)  CPU 2.00   target ≤ 1: not met
  osehw cam 3 machines / FreeCAD, end to end  wall 1.96 (1.81, 2.02, 1.96)  CPU 2.76
  osehw / FreeCAD, toolpath+post              wall 0.35 (0.32, 0.35, 0.35)  CPU 0.39   target ≤ 0.5: met
    (osehw in one process: 0.42 (0.40, 0.42, 0.43))
  after / before, osehw cam grbl              wall 0.52 (0.61, 0.52, 0.49)  CPU 0.62
  after / before, osehw cam 3 machines        wall 0.57 (0.60, 0.57, 0.56)  CPU 0.64
  files of osehw cam before and after (3 machines): the programs, DXFs, SVGs and PNGs identical; the setup
  sheets and report.html gain the sheet's use, and each machine folder a sheet-list.csv (nesting's report)
  osehw verify --third-party on FreeCAD's programs, each panel's programs proven together against its
  footprint: 3 of 5 panels pass; back and wall-bottom fail GCODE_RAPID_LOW (8 and 18 XY rapids below the
  1 mm clearance: FreeCAD's helix op moves across at Z 0 and returns to the hole's centre by G0 at full depth)

Where osehw's ~3.5 s end to end goes (idle, grbl): start-up and imports about 1.5 s (CadQuery about 1.1 of it,
of which OCP's one extension module 0.7; VTK no longer loaded, see osehw.core.lazy_vtk), STEP 0.14,
recognition 0.13; then CAM (0.85 s, less than half of it nesting) runs in a forked process while the analyses
and the solid outputs (STEP/STL, part drawings) run in the first; the sheet's files last (DXF beside
pictures). FreeCAD does not recognise features or nest: with them osehw's CAM stage is 0.85-0.95 s against
FreeCAD's 0.47 s toolpath+post plus 1.24 s job set-up. What is left is mostly CadQuery's import.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MACRO = HERE / "freecad_panels_macro.py"
MACHINE = "grbl-hobby-800"
MATERIAL = "hdpe"
THICKNESS = 12.7


def export_panels(path: Path) -> list[dict]:
    """node-enclosure's sheet parts as one STEP (side by side, flat) and FreeCAD settings per panel,
    taken from osehw's own plan of each panel on the GRBL machine."""
    import cadquery as cq

    from osehw import catalog
    from osehw.cam.job import material_footprint
    from osehw.cam.ops.feeds import feeds_and_speeds
    from osehw.cam.ops.holes import drill_point_length
    from osehw.cam.ops.tabs import tab_size
    from osehw.cam.plan import plan_part
    from osehw.cam.recognise.solid import recognise
    from osehw.cam.shop import load_machines, load_tools
    from osehw.designs import load_all
    from osehw.outputs.exporters import write_step
    from osehw.pipeline import load

    load_all()
    loaded = load("node-enclosure")
    design = loaded.kind.build(loaded.params)
    machine = load_machines()[MACHINE]
    tools = load_tools()
    material = catalog.materials()[MATERIAL]
    assy = cq.Assembly(name="panels")
    y = 0.0
    panels = []
    used_tools: dict[str, dict] = {}
    for index, part in enumerate(design.all_sheet_parts()):
        bb = part.solid.BoundingBox()
        assy.add(part.solid, name=part.name, loc=cq.Location(cq.Vector(-bb.xmin, y - bb.ymin, 0)))
        y += bb.ylen + 20
        features = recognise(part)
        plan = plan_part(features, machine=machine, material=material, tools=tools,
                         feeds_for=lambda t: feeds_and_speeds(machine, t, material))
        panel: dict = {"index": index + 1, "solid": index, "name": f"panel-{index + 1}-{part.name}",
                       "size": [bb.xlen, bb.ylen], "tool_order": []}
        diameters = {h.name: h.diameter for h in features.round_holes}
        for op in plan.operations:
            tool = tools[op.tool]
            if op.kind == "engrave":
                continue
            if op.tool not in panel["tool_order"]:
                panel["tool_order"].append(op.tool)
            fs = feeds_and_speeds(machine, tool, material)
            used_tools[op.tool] = {"diameter": tool.diameter, "kind": tool.kind, "point_angle": tool.angle or 118.0,
                                   "flutes": tool.flutes, "rpm": round(fs.rpm), "feed": fs.feed, "plunge": fs.plunge,
                                   "stepdown": fs.stepdown, "stepover": fs.stepover,
                                   "point_length": drill_point_length(tool)}
            if op.kind in ("drill", "helical_bore"):
                key = "drill" if op.kind == "drill" else "helix"
                entry = panel.setdefault(key, {"tool": op.tool, "diameters": [], "depth": op.depth})
                if diameters[op.feature] not in entry["diameters"]:
                    entry["diameters"].append(diameters[op.feature])
            elif op.kind == "pocket":
                panel["pocket"] = {"tool": op.tool, "depth": op.depth}
            elif op.kind == "profile_outside":
                outline = features.outline
                x0, y0, x1, y1 = outline.bounds
                path_len = outline.buffer(tool.diameter / 2, quad_segs=16).exterior.length
                count, width, height = tab_size(max(x1 - x0, y1 - y0), path_len, tool.diameter, op.depth)
                panel["profile"] = {"tool": op.tool, "depth": op.depth,
                                    "tabs": {"count": count, "width": width, "height": height}}
            else:
                raise RuntimeError(f"{part.name}: no FreeCAD set-up for a {op.kind} operation")
        panels.append(panel)
        write_footprint_dxf(material_footprint(features), path.parent / f"panel-{index + 1}.dxf")
    write_step(assy, path)
    return [{"machine": machine.model_dump(), "tools": used_tools, "panels": panels}]


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)  # every finished child and what it waited for
    return r.ru_utime + r.ru_stime


def write_footprint_dxf(footprint, path: Path) -> None:
    """What must remain of a panel (outline less its through holes; pockets are not through) as closed
    polylines on the PART_OUTLINES layer, in the frame FreeCAD's job has (lower-left at 0, 0): the
    drawing ``osehw verify --part`` reads. (The panel's own drawing in parts/ also holds its pocket's
    rings on a layer of their own, which the reader would take for outlines.)"""
    import ezdxf
    from shapely.affinity import translate

    x0, y0, _, _ = footprint.bounds
    moved = translate(footprint, -x0, -y0)
    doc = ezdxf.new(units=4)  # $INSUNITS 4: millimetres (ezdxf would write metres)
    for ring in [moved.exterior, *moved.interiors]:
        doc.modelspace().add_lwpolyline(list(ring.coords)[:-1], close=True, dxfattribs={"layer": "PART_OUTLINES"})
    doc.saveas(path)


def byte_compile(src: Path) -> None:
    """Byte-compile osehw's modules, as pip install does for a user: this machine sets PYTHONDONTWRITEBYTECODE=1,
    under which Python never writes .pyc files itself, so without this every start compiles osehw anew."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True, capture_output=True)


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the command and its own workers, the finished process)."""
    t, c = time.perf_counter(), _children_cpu()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.perf_counter() - t, _children_cpu() - c, done


def osehw_cam(step: Path, out: Path, machines: list[str], src: str | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of ``osehw cam`` end to end; ``src``: another checkout's src folder (an older osehw)."""
    args = [sys.executable, "-m", "osehw", "cam", str(step), "--thickness", str(THICKNESS), "--material", MATERIAL,
            "--out", str(out), "--force"]
    for m in machines:
        args += ["--machine", m]
    seconds, cpu, done = run(args, None if src is None else {**os.environ, "PYTHONPATH": src})
    if done.returncode not in (0, 1):
        raise RuntimeError(f"osehw cam failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, cpu


# the CAM stage's pieces, timed in-process by wrapping the functions cam/job.py calls (name in cam.job → row);
# planning and the programs' verification go through fork_map (each part, each program at once): timed there
STAGE_PARTS = {"recognise": "recognition", "nest_clear_of_offcuts": "nesting", "prove_sheet": "verification"}
FORKED_PARTS = {"planned": "planning", "check": "verification"}  # fork_map's task → row


def osehw_cam_stage(design, workers: int | None) -> dict[str, float]:
    """One CAM stage for the GRBL machine (``workers``: 1 = all in this process; None = a worker per core, as
    ``osehw cam`` runs it), split into recognition, planning (every part's toolpaths), nesting,
    ordering+post (placing the parts' operations on the sheet, ordering them, posting a program per tool)
    and verification: wall seconds of each, measured where the stage waits for it."""
    import osehw.cam.job as job

    spent = dict.fromkeys(["recognition", "planning", "nesting", "verification", "sheet"], 0.0)

    def timed(fn, row):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[row] += time.perf_counter() - t
        return wrapper

    saved = {name: getattr(job, name) for name in [*STAGE_PARTS, "fork_map"]}
    saved_sheet = job.CamJob._sheet

    def fork_map(task, count, workers=None):
        row = FORKED_PARTS.get(getattr(task, "__name__", ""))
        run = saved["fork_map"] if row is None else timed(saved["fork_map"], row)
        return run(task, count, workers)

    for name, row in STAGE_PARTS.items():
        setattr(job, name, timed(saved[name], row))
    job.fork_map = fork_map
    job.CamJob._sheet = timed(saved_sheet, "sheet")
    try:
        t, c, cc = time.perf_counter(), time.process_time(), _children_cpu()
        job.CamJob(machines=[MACHINE], workers=workers).run(design)
        total, cpu = time.perf_counter() - t, time.process_time() - c + _children_cpu() - cc
    finally:
        for name, fn in saved.items():
            setattr(job, name, fn)
        job.CamJob._sheet = saved_sheet
    parts = {"recognition_s": spent["recognition"], "planning_s": spent["planning"], "nesting_s": spent["nesting"],
             # a sheet's programs are verified inside _sheet: ordering+post is the rest of it
             "ordering_post_s": spent["sheet"] - spent["verification"], "verification_s": spent["verification"]}
    parts["other_s"] = total - sum(parts.values())  # footprints for the nest, findings, the stage's own glue
    return {**parts, "total_s": total, "cpu_s": cpu, "toolpath_post_s": parts["planning_s"] + parts["ordering_post_s"]}


def osehw_toolpaths(step: Path) -> dict[str, dict[str, float]]:
    """In-process, after imports: the CAM stage in one process, and with a worker per core."""
    from osehw.designs.user_part import user_part_design

    design = user_part_design(step, thickness=THICKNESS, material=MATERIAL)
    return {"one": osehw_cam_stage(design, 1), "cores": osehw_cam_stage(design, None)}


def freecad(step: Path, settings: dict, out: Path) -> dict:
    doc = {**settings, "step": str(step), "out": str(out), "thickness": THICKNESS,
           "safe_z": settings["machine"]["safe_z"], "breakthrough": settings["machine"]["breakthrough"]}
    out.mkdir(parents=True, exist_ok=True)
    cfg = out / "settings.json"
    cfg.write_text(json.dumps(doc, indent=1))
    env = {**os.environ, "OSEHW_FC_SETTINGS": str(cfg)}
    env.pop("PYTHONPATH", None)
    seconds, cpu, done = run(["freecadcmd", str(MACRO)], env)
    timing_file = out / "timing.json"
    if not timing_file.is_file():
        raise RuntimeError(f"freecadcmd wrote no timing ({done.returncode}): "
                           f"{done.stdout[-3000:]} {done.stderr[-3000:]}")
    timing = json.loads(timing_file.read_text())
    timing["end_to_end_s"], timing["end_to_end_cpu_s"] = seconds, cpu
    timing["log"] = done.stdout[-4000:]
    return timing


def verify_freecad(out: Path, parts: Path, timing: dict, settings: dict) -> list[dict]:
    """osehw's acceptance on FreeCAD's programs: each panel's programs proven together against its DXF."""
    tools = settings["tools"]
    results = []
    by_panel: dict[str, list[dict]] = {}
    for prog in timing["programs"]:
        by_panel.setdefault(prog["panel"], []).append(prog)
    for panel in settings["panels"]:
        progs = by_panel.get(panel["name"], [])
        dxf = parts / f"panel-{panel['index']}.dxf"
        args = [sys.executable, "-m", "osehw", "verify", "--third-party", "--machine", MACHINE,
                "--thickness", str(THICKNESS), "--part", str(dxf)]
        for prog in progs:
            t = tools[prog["tool"]]
            args += ["--tool-diameter", str(t["diameter"]),
                     "--drill-point", str(t["point_angle"] if t["kind"] == "drill" else 0)]
        args += [str(out / p["file"]) for p in progs]
        _, _, done = run(args)
        # each failed check with its count ("GCODE_RAPID_LOW ×8": eight XY rapids below the clearance)
        codes = sorted({f"{code} ×{n or 1}" for code, n in
                        re.findall(r"│\s*error\s*│\s*([A-Z_]+)\s*│\s*(?:(\d+)×)?", done.stdout)})
        results.append({"panel": panel["name"], "programs": len(progs), "passed": done.returncode == 0,
                        "rc": done.returncode, "tail": done.stdout[-1500:], "codes": codes})
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each timed command (median reported)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the work folder here")
    ap.add_argument("--before", default=None, help="src folder of an older osehw checkout: its osehw cam end to "
                    "end is timed in the same run, and its files compared with this one's")
    ap.add_argument("--no-compile", action="store_true", help="leave osehw's modules uncompiled (by default they are "
                    "byte-compiled first, as an installed osehw is)")
    args = ap.parse_args()
    if shutil.which("freecadcmd") is None:
        sys.exit("freecadcmd not found: apt-get install freecad (Debian: FreeCAD 0.20, Path workbench)")
    tmp = Path(tempfile.mkdtemp(prefix="bench-freecad-")) if args.keep is None else args.keep
    tmp.mkdir(parents=True, exist_ok=True)
    step = tmp / "enclosure-panels.step"
    settings = export_panels(step)[0]
    import osehw

    sources = [Path(osehw.__file__).resolve().parent] + ([Path(args.before)] if args.before else [])
    if not args.no_compile:
        for src in sources:
            byte_compile(src)
    print(f"osehw's modules {'left uncompiled' if args.no_compile else 'byte-compiled first (compileall)'}; "
          f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    rows: dict[str, list[float]] = {}  # wall seconds per iteration
    cpu: dict[str, list[float]] = {}  # CPU seconds per iteration

    def add(name: str, wall: float, cpu_s: float) -> None:
        rows.setdefault(name, []).append(wall)
        cpu.setdefault(name, []).append(cpu_s)

    fc_last: dict = {}
    for _ in range(args.repeat):  # interleaved, so drifting load hits both alike
        fc_last = freecad(step, settings, tmp / "freecad")
        add("freecad end to end", fc_last["end_to_end_s"], fc_last["end_to_end_cpu_s"])
        add("freecad toolpath+post", fc_last["toolpaths_s"] + fc_last["post_s"], fc_last["toolpath_post_cpu_s"])
        add("osehw cam end to end, grbl", *osehw_cam(step, tmp / "osehw-grbl", [MACHINE]))
        add("osehw cam end to end, 3 machines", *osehw_cam(step, tmp / "osehw-all", []))
        if args.before:
            add("before: osehw cam end to end, grbl", *osehw_cam(step, tmp / "before-grbl", [MACHINE], args.before))
            add("before: osehw cam end to end, 3 machines", *osehw_cam(step, tmp / "before-all", [], args.before))
        stages = osehw_toolpaths(step)
        for mode, label in (("cores", "a worker per core"), ("one", "one process")):
            t = stages[mode]
            # CPU of a piece is not measured apart: its share of the stage's CPU, by wall time
            share = t["cpu_s"] / t["total_s"]
            add(f"osehw toolpath+post, {label} (planning + ordering+post)", t["toolpath_post_s"],
                t["toolpath_post_s"] * share)
            for key, row in (("planning_s", "planning (each part's toolpaths)"),
                             ("ordering_post_s", "ordering+post (sheet's operations, programs)"),
                             ("recognition_s", "recognition (features from the solids)"),
                             ("nesting_s", "nesting (parts on the sheet)"),
                             ("verification_s", "verification (programs, sheet proof)"),
                             ("other_s", "rest of the CAM stage")):
                add(f"  {row}, {mode}", t[key], t[key] * share)
            add(f"osehw CAM stage, {label}", t["total_s"], t["cpu_s"])
    print("seconds per iteration, wall (CPU): the load of other jobs swings the wall times, so ratios are taken "
          "within each iteration and their median shown")
    for k, v in rows.items():
        print(f"{k:66s} " + "  ".join(f"{w:6.2f} ({c:5.2f})" for w, c in zip(v, cpu[k])))

    def ratio(a: str, b: str) -> str:
        walls = [x / y for x, y in zip(rows[a], rows[b])]
        cpus = [x / y for x, y in zip(cpu[a], cpu[b])]
        return (f"wall {statistics.median(walls):.2f} ({', '.join(f'{r:.2f}' for r in walls)}); "
                f"CPU {statistics.median(cpus):.2f}")

    print(f"osehw cam grbl / FreeCAD, end to end:        {ratio('osehw cam end to end, grbl', 'freecad end to end')}")
    print(f"osehw cam 3 machines / FreeCAD, end to end:  "
          f"{ratio('osehw cam end to end, 3 machines', 'freecad end to end')}")
    print(f"osehw / FreeCAD, toolpath+post:              "
          f"{ratio('osehw toolpath+post, a worker per core (planning + ordering+post)', 'freecad toolpath+post')}")
    print(f"  the same, osehw in one process:            "
          f"{ratio('osehw toolpath+post, one process (planning + ordering+post)', 'freecad toolpath+post')}")
    if args.before:
        print(f"after / before, osehw cam grbl:              "
              f"{ratio('osehw cam end to end, grbl', 'before: osehw cam end to end, grbl')}")
        print(f"after / before, osehw cam 3 machines:        "
              f"{ratio('osehw cam end to end, 3 machines', 'before: osehw cam end to end, 3 machines')}")
    print(f"FreeCAD inside freecadcmd (last run): imports {fc_last['imports_s']:.2f} s, "
          f"STEP {fc_last['read_step_s']:.2f} s, "
          f"job and op set-up {fc_last['setup_s']:.2f} s, toolpaths {fc_last['toolpaths_s']:.2f} s, "
          f"post {fc_last['post_s']:.2f} s")
    if args.before:
        same = subprocess.run(["diff", "-r", str(tmp / "before-all"), str(tmp / "osehw-all")],
                              capture_output=True).returncode == 0
        print(f"files of the older osehw cam and this one's (3 machines): {'identical' if same else 'DIFFER'}")
    for name, skipped in fc_last["skipped"].items():
        if skipped:
            print(f"FreeCAD skipped on {name}: {'; '.join(skipped)}")
    if fc_last.get("states"):
        print(f"FreeCAD objects in error: {fc_last['states']}")
    checks = verify_freecad(tmp / "freecad", tmp, fc_last, settings)
    passed = sum(c["passed"] for c in checks)
    print(f"osehw verify --third-party on FreeCAD's programs: {passed} of {len(checks)} panels pass")
    for c in checks:
        print(f"  {c['panel']}: {c['programs']} programs, {'pass' if c['passed'] else 'FAIL'} {' '.join(c['codes'])}")
    print(f"load average after: {os.getloadavg()[0]:.2f}; work folder {tmp}")


if __name__ == "__main__":
    main()
