"""FreeCAD 0.20 Path macro run by benchmarks/bench_freecad.py under ``freecadcmd`` (headless).

Reads the settings file named by the OSEHW_FC_SETTINGS environment variable (JSON written by
bench_freecad.py from osehw's own plan for the same panels: tools, feeds, step-downs, tab count and
size), sets up one Path job per panel of the STEP file by script, recomputes its toolpaths and posts
them with FreeCAD's grbl post-processor, one program per tool (the job's "order by tool, split
output" as set in the GUI). Writes ``timing.json`` beside the programs: the toolpath and post times
measured here, so the caller can set them beside freecadcmd's end-to-end time.

This file runs in FreeCAD's own Python (Debian's python3 with FreeCAD's modules), never in osehw's.
"""

import json
import os
import time

T_START = time.perf_counter()

import FreeCAD  # noqa: E402
import Part  # noqa: E402
import PathScripts.PathDressupHoldingTags as PathDressupHoldingTags  # noqa: E402
import PathScripts.PathDrilling as PathDrilling  # noqa: E402
import PathScripts.PathHelix as PathHelix  # noqa: E402
import PathScripts.PathJob as PathJob  # noqa: E402
import PathScripts.PathPocketShape as PathPocketShape  # noqa: E402
import PathScripts.PathProfile as PathProfile  # noqa: E402
import PathScripts.PathToolBit as PathToolBit  # noqa: E402
import PathScripts.PathToolController as PathToolController  # noqa: E402
import PathScripts.PathUtils as PathUtils  # noqa: E402
from PathScripts.PathPostProcessor import PostProcessor  # noqa: E402

SHAPES = "/usr/share/freecad/Mod/Path/Tools/Shape/"
# GRBL has no canned cycles (G81/G83): the grbl post turns them into G0/G1 with --translate_drill
POST_ARGS = "--no-show-editor --translate_drill --precision 3"
T_IMPORTS = time.perf_counter()
CPU = {"toolpaths": 0.0, "post": 0.0}  # process (CPU) seconds, beside the wall-clock ones


class _ChosenTool:
    """Headless stand-in for the GUI's tool-controller prompt: a new operation in a job with more than
    one tool controller asks the user which (PathUtils.findToolController); without a GUI that fails,
    so each operation is created with its controller chosen here."""

    tc = None

    def selectedToolController(self):  # noqa: N802 - FreeCAD's name
        return self.tc


CHOSEN = _ChosenTool()
PathUtils.UserInput = CHOSEN


def tool_controller(job, tool_id, tool, number):
    shape = "drill.fcstd" if tool["kind"] == "drill" else "endmill.fcstd"
    bit = PathToolBit.Factory.Create(tool_id, SHAPES + shape)
    bit.Diameter = tool["diameter"]
    if tool["kind"] == "drill":
        bit.TipAngle = tool["point_angle"]
    else:
        bit.Flutes = tool["flutes"]
    bit.Proxy._updateBitShape(bit)
    tc = PathToolController.Create(f"TC {tool_id}", tool=bit, toolNumber=number)
    tc.HorizFeed = f"{tool['feed']} mm/min"  # a bare number would be mm/s
    tc.VertFeed = f"{tool['plunge']} mm/min"
    tc.SpindleSpeed = tool["rpm"]
    job.Proxy.addToolController(tc)
    return tc


def holes(model, diameters):
    """Names of the model's inside cylindrical faces of the given diameters (the round holes)."""
    names = []
    for i, face in enumerate(model.Shape.Faces, start=1):
        surf = face.Surface
        if isinstance(surf, Part.Cylinder) and any(abs(2 * surf.Radius - d) < 1e-3 for d in diameters):
            names.append(f"Face{i}")
    return names


def floor_face(model, depth):
    """The up-facing planar face at -depth (a blind pocket's floor)."""
    for i, face in enumerate(model.Shape.Faces, start=1):
        if isinstance(face.Surface, Part.Plane) and abs(face.BoundBox.ZMin + depth) < 1e-3 \
                and abs(face.BoundBox.ZMax + depth) < 1e-3 and face.normalAt(0, 0).z > 0.99:
            return f"Face{i}"
    return None


def hole_op(cls, name, job, model, spec, tc, settings):
    """A drilling or helix operation on the holes of ``spec["diameters"]``, to ``spec["depth"]``, without
    Create's findAllHoles: headless, the op has not read its job's model yet when Create calls it
    (PathCircularHoleBase), and the holes are chosen here anyway."""
    CHOSEN.tc = tc
    obj = FreeCAD.ActiveDocument.addObject("Path::FeaturePython", name)
    obj.Proxy = cls(obj, name, job)
    obj.ToolController = tc
    obj.Base = [(model, holes(model, spec["diameters"]))]
    depths(obj, spec["depth"], settings)
    return obj


def depths(op, depth, settings):
    """Clearance and safe heights at osehw's safe Z, from the stock top (Z 0) down to ``depth`` below it."""
    for name in ("ClearanceHeight", "SafeHeight", "StartDepth", "FinalDepth"):
        op.setExpression(name, None)
    op.ClearanceHeight = settings["safe_z"]
    op.SafeHeight = settings["safe_z"]
    op.StartDepth = 0.0
    op.FinalDepth = -depth


def set_up(doc, shape, panel, settings):
    """One job for one panel: its tool controllers and operations, in osehw's tool order."""
    solid = shape.copy()
    bb = solid.BoundBox
    # XY zero at the part's lower-left, Z zero at the stock top (osehw's z_zero: stock_top)
    solid.translate(FreeCAD.Vector(-bb.XMin, -bb.YMin, -bb.ZMax))
    base = doc.addObject("Part::Feature", f"panel{panel['index']}")
    base.Shape = solid
    job = PathJob.Create(f"Job{panel['index']}", [base])
    for ext in ("ExtZpos", "ExtZneg"):
        setattr(job.Stock, ext, 0.0)
    for tc in list(job.Tools.Group):  # the default 5 mm tool is not ours
        job.Tools.removeObject(tc)
        doc.removeObject(tc.Tool.Name)
        doc.removeObject(tc.Name)
    model = job.Model.Group[0]
    tools = settings["tools"]
    tcs = {}
    for number, tool_id in enumerate(panel["tool_order"], start=1):
        tcs[tool_id] = tool_controller(job, tool_id, tools[tool_id], number)
    ops = []  # (tool id, the object to post)
    skipped = []
    if panel.get("drill"):
        d = panel["drill"]
        op = hole_op(PathDrilling.ObjectDrilling, f"Drill{panel['index']}", job, model, d, tcs[d["tool"]], settings)
        op.PeckEnabled = True
        op.setExpression("PeckDepth", None)
        op.PeckDepth = tools[d["tool"]]["stepdown"]
        op.setExpression("RetractHeight", None)
        op.RetractHeight = settings["safe_z"]
        ops.append((d["tool"], op))
    if panel.get("pocket"):
        p = panel["pocket"]
        face = floor_face(model, p["depth"])
        if face is None:
            skipped.append("pocket: no floor face found")
        else:
            CHOSEN.tc = tcs[p["tool"]]
            op = PathPocketShape.Create(f"Pocket{panel['index']}", parentJob=job)
            op.ToolController = tcs[p["tool"]]
            op.Base = [(model, [face])]
            depths(op, p["depth"], settings)
            op.setExpression("StepDown", None)
            op.StepDown = tools[p["tool"]]["stepdown"]
            op.StepOver = round(100.0 * tools[p["tool"]]["stepover"] / tools[p["tool"]]["diameter"])
            ops.append((p["tool"], op))
    if panel.get("helix"):
        h = panel["helix"]
        op = hole_op(PathHelix.ObjectHelix, f"Helix{panel['index']}", job, model, h, tcs[h["tool"]], settings)
        op.StepOver = round(100.0 * tools[h["tool"]]["stepover"] / tools[h["tool"]]["diameter"])
        ops.append((h["tool"], op))
    pr = panel["profile"]
    CHOSEN.tc = tcs[pr["tool"]]
    op = PathProfile.Create(f"Profile{panel['index']}", parentJob=job)
    op.ToolController = tcs[pr["tool"]]
    op.Side = "Outside"
    op.processHoles = False
    op.processCircles = False
    op.processPerimeter = True
    depths(op, pr["depth"], settings)
    op.setExpression("StepDown", None)
    op.StepDown = tools[pr["tool"]]["stepdown"]
    t0, c0 = time.perf_counter(), time.process_time()
    doc.recompute()  # the profile's path, which the tag dressup reads to place its tags
    recompute_s = time.perf_counter() - t0
    CPU["toolpaths"] += time.process_time() - c0
    tags = PathDressupHoldingTags.Create(op)
    tags.Width = pr["tabs"]["width"]
    tags.Height = pr["tabs"]["height"]
    tags.Proxy.generateTags(tags, pr["tabs"]["count"])
    ops.append((pr["tool"], tags))
    return job, tcs, ops, skipped, recompute_s


def main():
    settings = json.load(open(os.environ["OSEHW_FC_SETTINGS"]))
    out = settings["out"]
    os.makedirs(out, exist_ok=True)
    doc = FreeCAD.newDocument("bench")
    t0 = time.perf_counter()
    solids = Part.read(settings["step"]).Solids
    t_read = time.perf_counter() - t0
    timing = {"imports_s": T_IMPORTS - T_START, "read_step_s": t_read, "setup_s": 0.0, "toolpaths_s": 0.0,
              "post_s": 0.0, "programs": [], "skipped": {}}
    jobs = []
    for panel in settings["panels"]:
        t0 = time.perf_counter()
        job, tcs, ops, skipped, recompute_s = set_up(doc, solids[panel["solid"]], panel, settings)
        timing["setup_s"] += time.perf_counter() - t0 - recompute_s
        timing["toolpaths_s"] += recompute_s
        jobs.append((panel, tcs, ops))
        timing["skipped"][panel["name"]] = skipped
    t0, c0 = time.perf_counter(), time.process_time()
    doc.recompute()  # every toolpath not computed yet (the tag dressups)
    timing["toolpaths_s"] += time.perf_counter() - t0
    CPU["toolpaths"] += time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    post = PostProcessor.load("grbl")
    for panel, tcs, ops in jobs:
        for step, tool_id in enumerate(panel["tool_order"], start=1):
            run = [obj for t, obj in ops if t == tool_id]
            if not run:
                continue
            name = f"{panel['name']}.{step}-{tool_id}.nc"
            post.export([tcs[tool_id]] + run, os.path.join(out, name), POST_ARGS)
            timing["programs"].append({"panel": panel["name"], "file": name, "tool": tool_id})
    timing["post_s"] = time.perf_counter() - t0
    CPU["post"] = time.process_time() - c0
    timing["toolpath_post_cpu_s"] = CPU["toolpaths"] + CPU["post"]
    timing["states"] = {o.Name: list(o.State) for o in doc.Objects
                        if hasattr(o, "State") and set(o.State) - {"Up-to-date"}}
    with open(os.path.join(out, "timing.json"), "w") as f:
        json.dump(timing, f, indent=1, sort_keys=True)


try:
    main()
except Exception:  # freecadcmd prints one line for an exception; the traceback goes beside the programs
    import traceback

    with open(os.path.join(json.load(open(os.environ["OSEHW_FC_SETTINGS"]))["out"], "error.txt"), "w") as f:
        f.write(traceback.format_exc())
    raise
