"""Every kind of bad input a user or an adversary has tried, through the real command in a subprocess:
exit 2, a short clear message, no traceback, and nothing written (a user's own folder left as it was).

The cases run side by side (each is a separate ``osehw`` process) and are asserted together, so one
failing case names itself and the others still report.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import ezdxf

ROOT = Path(__file__).resolve().parents[1]
GOOD_YAML = "design: node-enclosure\nparams:\n  wall_thickness: 12.7\n"


@dataclass
class Case:
    name: str
    args: list[str]  # "{t}" is replaced by the case's own folder
    expect: str  # a phrase the error must contain
    files: dict[str, bytes | str] = field(default_factory=dict)  # written under {t} first
    env: dict[str, str] = field(default_factory=dict)
    code: int = 2
    max_lines: int = 3


def _open_outline_dxf() -> bytes:
    doc = ezdxf.new("R2010", units=4)
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (100, 0), (100, 60), (0, 60)], close=False)  # the closing edge is missing
    import io

    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode()


def _square_dxf(stray: bool = False) -> bytes:
    doc = ezdxf.new("R2010", units=4)
    doc.modelspace().add_lwpolyline([(0, 0), (100, 0), (100, 60), (0, 60)], close=True)
    if stray:
        doc.modelspace().add_lwpolyline([(20, 20), (80, 20), (80, 40)], close=False)
    import io

    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode()


ALIAS_BOMB = "\n".join(["design: node-enclosure", "a: &a [x, x, x, x, x, x, x, x, x]"]
                       + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                          f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                          f"*{chr(97 + i)}]" for i in range(8)] + ["params: {}"])

CAM = ["cam", "{t}/part.dxf", "--thickness", "12", "--material", "plywood", "--machine", "grbl-hobby-800",
       "--out", "{t}/out"]
PART = {"part.dxf": _square_dxf()}
VERIFY = ["verify", "{t}/p.nc", "--machine", "grbl-hobby-800"]
PROGRAM = {"p.nc": "G21 G90\nG0 Z5\nG0 X10 Y10\nM3 S12000\nG1 Z-1 F300\nG1 X20 F600\nG0 Z5\nM5\nM2\n"}


def build(yaml_file: str = "{t}/d.yaml") -> list[str]:
    return ["build", yaml_file, "--out", "{t}/out"]


CASES = [
    # --- names and paths
    Case("design name of 300 characters", ["build", "n" * 300, "--out", "{t}/out"], "300 characters long"),
    Case("design name with a slash", ["build", "a/b", "--out", "{t}/out"], "is not allowed"),
    Case("unknown design", ["build", "node-enclosur", "--out", "{t}/out"], "did you mean 'node-enclosure'"),
    Case("design file missing", build("{t}/missing.yaml"), "file not found"),
    Case("design file is a folder", build("{t}/folder.yaml"), "cannot read", files={"folder.yaml/x": ""}),
    Case("--out under a file", ["build", "node-enclosure", "--out", "{t}/plain/out"], "is a file, not a folder",
         files={"plain": "x"}),
    Case("--out of 5000 characters", ["build", "node-enclosure", "--out", "{t}/" + "o" * 5000], "too long"),
    Case("--out is the project", ["build", "node-enclosure", "--out", str(ROOT)], "refusing to write"),
    # --- the YAML itself
    Case("binary YAML", build(), "not a text file", files={"d.yaml": bytes(range(256)) * 4}),
    Case("UTF-16 YAML", build(), "not a text file", files={"d.yaml": GOOD_YAML.encode("utf-16")}),
    Case("invalid UTF-8", build(), "not UTF-8", files={"d.yaml": b"design: node-enclosure\n# \xff\xfe\n"}),
    Case("control character", build(), "control character", files={"d.yaml": "design: node-enclosure\x07\n"}),
    Case("duplicate design key", build(), "duplicate key 'design'",
         files={"d.yaml": "design: node-enclosure\ndesign: cam-gallery\nparams: {}\n"}),
    Case("duplicate parameter", build(), "duplicate key 'wall_thickness'",
         files={"d.yaml": GOOD_YAML + "  wall_thickness: 19.05\n"}),
    Case("alias bomb", build(), "aliases", files={"d.yaml": ALIAS_BOMB}),
    Case("merge key", build(), "merge keys",
         files={"d.yaml": "design: node-enclosure\nparams:\n  <<: {wall_thickness: 12.7}\n"}),
    Case("python object tag", build(), "not valid YAML",
         files={"d.yaml": "design: !!python/object/apply:os.system ['true']\n"}),
    Case("50 MB value", build(), "a parameter file may have",
         files={"d.yaml": "design: node-enclosure\nparams:\n  material: " + "x" * 50_000_000 + "\n"}),
    Case("200 kB value is quoted short", build(), "is not a known material",
         files={"d.yaml": "design: node-enclosure\nparams:\n  material: " + "x" * 200_000 + "\n"}),
    Case("nested 20000 deep", build(), "nested too deeply", files={"d.yaml": "design: " + "[" * 20000 + "]" * 20000 + "\n"}),
    Case("not a mapping", build(), "must be a mapping", files={"d.yaml": "- design\n- node-enclosure\n"}),
    Case("params not a mapping", build(), "must be a mapping", files={"d.yaml": "design: node-enclosure\nparams: [1]\n"}),
    Case("empty file", build(), "must be a mapping", files={"d.yaml": ""}),
    # --- numbers
    Case("NaN in the file", build(), "must be a finite number",
         files={"d.yaml": "design: node-enclosure\nparams: {wall_thickness: .nan}\n"}),
    Case("infinity in the file", build(), "must be a finite number",
         files={"d.yaml": "design: node-enclosure\nparams: {ambient_c: -.inf}\n"}),
    Case("--set nan", ["build", "node-enclosure", "--set", "wall_thickness=nan", "--out", "{t}/out"],
         "must be a finite number"),
    Case("--set inf", ["build", "node-enclosure", "--set", "equipment_gap=inf", "--out", "{t}/out"],
         "must be a finite number"),
    Case("--set without '='", ["build", "node-enclosure", "--set", "wall_thickness", "--out", "{t}/out"],
         "expected FIELD=VALUE"),
    Case("--set twice", ["build", "node-enclosure", "--set", "vent=true", "--set", "vent=false", "--out", "{t}/out"],
         "set twice"),
    Case("--set long field name", ["build", "node-enclosure", "--set", "f" * 5000 + "=1", "--out", "{t}/out"],
         "no field is that long"),
    Case("--set alias", ["build", "node-enclosure", "--set", "equipment=[&a x, *a]", "--out", "{t}/out"], "aliases"),
    Case("thickness not in the catalogue", ["build", "node-enclosure", "--set", "wall_thickness=15", "--out",
                                            "{t}/out"], "not a stock thickness"),
    Case("tower top wider than its base", ["build", "tower", "--set", "top_face_width=900", "--set",
                                           "base_face_width=600", "--out", "{t}/out"],
         "top_face_width = 900.0: must not exceed base_face_width"),
    Case("tower dish not in the catalogue", ["build", "tower", "--set", "dish=rocketdish-5g33", "--out", "{t}/out"],
         "did you mean 'rocketdish-5g34'"),
    Case("tower mount file missing", ["build", "tower", "--set", "mount=no-such-mount", "--out", "{t}/out"],
         "mount = 'no-such-mount': 'no-such-mount' is not a known design file"),
    # --- environment
    Case("SOURCE_DATE_EPOCH=abc", ["build", "node-enclosure", "--out", "{t}/out"], "SOURCE_DATE_EPOCH",
         env={"SOURCE_DATE_EPOCH": "abc"}),
    Case("SOURCE_DATE_EPOCH out of range", ["build", "node-enclosure", "--out", "{t}/out"], "9999-12-31",
         env={"SOURCE_DATE_EPOCH": "99999999999999999999"}),
    Case("SOURCE_DATE_EPOCH negative", ["build", "node-enclosure", "--out", "{t}/out"], "whole number",
         env={"SOURCE_DATE_EPOCH": "-5"}),
    Case("SOURCE_DATE_EPOCH for cam", CAM, "SOURCE_DATE_EPOCH", files=PART, env={"SOURCE_DATE_EPOCH": "1e9"}),
    # --- a user's own folders
    Case("build over a user's folder", ["build", "{t}/some-file.yaml", "--out", "{t}/v2"], "osehw did not make it",
         files={"some-file.yaml": GOOD_YAML, "v2/some-file/my-notes.txt": "precious"}),
    Case("cam over a user's folder", ["cam", "{t}/bracket.dxf", "--thickness", "12", "--machine", "grbl-hobby-800",
                                      "--out", "{t}/v"], "osehw did not make it",
         files={"bracket.dxf": _square_dxf(), "v/bracket/my-notes.txt": "precious"}),
    Case("build over a user's file", ["build", "{t}/some-file.yaml", "--out", "{t}/v2"], "not an osehw output folder",
         files={"some-file.yaml": GOOD_YAML, "v2/some-file": "a file of the user's"}),
    # --- osehw cam options
    Case("cam --thickness nan", [*CAM[:2], "--thickness", "nan", *CAM[4:]], "must be a finite number", files=PART),
    Case("cam --thickness inf", [*CAM[:2], "--thickness", "inf", *CAM[4:]], "must be a finite number", files=PART),
    Case("cam --thickness 0", [*CAM[:2], "--thickness", "0", *CAM[4:]], "must be a finite number", files=PART),
    Case("cam --thickness 1000", [*CAM[:2], "--thickness", "1000", *CAM[4:]], "≤ 100", files=PART),
    Case("cam --machine unknown", [*CAM[:6], "--machine", "no-such-machine", "--out", "{t}/out"],
         "'no-such-machine' is not a known machine", files=PART),
    Case("cam --material unknown", [*CAM[:4], "--material", "balsa", *CAM[6:]], "'balsa' is not a known material",
         files=PART),
    Case("cam --quantity 0", [*CAM, "--quantity", "0"], "--quantity 0", files=PART),
    Case("cam --nest-iterations 99", [*CAM, "--nest-iterations", "99"], "--nest-iterations 99: must be 0 … 32",
         files=PART),
    Case("cam on a text file", ["cam", "{t}/part.txt", "--thickness", "12", "--out", "{t}/out"],
         "unsupported file type", files={"part.txt": "hello"}),
    Case("cam on a missing file", CAM, "file not found"),
    Case("cam on a DXF that is not one", CAM, "not a readable DXF", files={"part.dxf": "garbage\n"}),
    Case("cam on an open outline", CAM, "no closed outline", files={"part.dxf": _open_outline_dxf()}),
    # an outline with an open stray beside it is cut, the stray reported (tests/test_cli.py)
    Case("cam --units furlong", [*CAM, "--units", "furlong"], "--units furlong: must be one of",
         files={"part.dxf": _square_dxf()}),
    Case("cam --gap-tolerance nan", [*CAM, "--gap-tolerance", "nan"], "--gap-tolerance nan: must be 0",
         files={"part.dxf": _square_dxf()}),
    # --- osehw verify options
    Case("verify --thickness nan", [*VERIFY, "--thickness", "nan"], "must be a finite number", files=PROGRAM),
    Case("verify --thickness inf", [*VERIFY, "--thickness", "inf"], "must be a finite number", files=PROGRAM),
    Case("verify --thickness -1", [*VERIFY, "--thickness", "-1"], "must be a finite number", files=PROGRAM),
    Case("verify --machine unknown", ["verify", "{t}/p.nc", "--machine", "nope", "--thickness", "12"],
         "is not a known machine", files=PROGRAM),
    Case("verify a missing program", [*VERIFY, "--thickness", "12"], "file not found"),
    Case("verify --part missing", [*VERIFY, "--thickness", "12", "--part", "{t}/none.dxf"], "file not found",
         files=PROGRAM),
    Case("verify --part-origin junk", [*VERIFY, "--thickness", "12", "--part-origin", "x,y"], "--part-origin",
         files=PROGRAM),
    Case("verify --tool-diameter per program, miscounted", ["verify", "{t}/p.nc", "{t}/p.nc", "--machine",
         "grbl-hobby-800", "--thickness", "12", "--tool-diameter", "3", "--tool-diameter", "6",
         "--tool-diameter", "9"], "given 3 times for 2 programs", files=PROGRAM),
    Case("verify --drill-point 10", [*VERIFY, "--thickness", "12", "--drill-point", "10"], "point angle",
         files=PROGRAM),
    # --- usage errors are typer's own (exit 2)
    Case("unknown option", ["build", "--frobnicate"], "No such option", max_lines=8),
    Case("thickness not a number", [*VERIFY, "--thickness", "twelve"], "Invalid value for '--thickness'", files=PROGRAM, max_lines=8),
    # --- the download page: only from designs built, into a folder osehw owns
    Case("site before the build", ["site", "antenna-mount", "--out", "{t}/out"],
         "not built yet in", files={"out/README": "x"}),
    Case("site over a user's folder", ["site", "antenna-mount", "--out", "{t}/out"], "osehw did not make it",
         files={"out/site/mine.txt": "mine"}),
    Case("site of an unknown design", ["site", "antena-mount", "--out", "{t}/out"], "did you mean 'antenna-mount'"),
    Case("site built by someone else", ["site", "antenna-mount", "--out", "{t}/out"], "not written by osehw",
         files={"out/antenna-mount/manifest.json": '{"files": {}}'}),
    # --- power system: catalog ids, and a user's weather file
    Case("power system: unknown module", build(), "did you mean 'cs6u-330p'",
         files={"d.yaml": "design: power-system\nsite: greensboro-nc\nparams: {module: cs6u-33p}\n"}),
    Case("power system: weather file too short", build(), "a weather year needs 8760",
         files={"d.yaml": "design: power-system\nsite: s.yaml\nparams: {search: false}\n",
                "s.yaml": "name: X\nlatitude: 36.1\nlongitude: -79.95\nelevation_m: 273\ntimezone: Etc/GMT+5\n"
                          "weather: {source: epw, file: w.epw}\n",
                "w.epw": "LOCATION,a,b,c,d,1,36,-79,-5,273\nnot,an,epw\n"}),
    # --- node: a link's radio, a child's parameter
    Case("node: unknown radio", build(), "did you mean 'ubnt-airfiber-5x'",
         files={"d.yaml": "design: node\nparams:\n  links: [{name: a, radio: ubnt-airfiber-5}]\n"}),
    Case("node: the enclosure's own field", build(), "enclosure.wall_thickness",
         files={"d.yaml": "design: node\nparams:\n  enclosure: {wall_thickness: 3}\n"}),
]


def run_case(case: Case, folder: Path) -> tuple[subprocess.CompletedProcess, dict[str, bytes]]:
    folder.mkdir(parents=True)
    for rel, content in case.files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    before = snapshot(folder)
    args = [a.replace("{t}", str(folder)) for a in case.args]
    env = dict(os.environ, COLUMNS="200", **case.env)
    r = subprocess.run([sys.executable, "-m", "osehw", *args], cwd=ROOT, capture_output=True, text=True,
                       env=env, timeout=300)
    return r, before


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.stat().st_size < 1 << 20 else b"<big>")
            for p in folder.rglob("*") if p.is_file()}


def test_every_bad_input_exits_2_with_a_short_clear_line_and_writes_nothing(tmp_path):
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda c: run_case(c[1], tmp_path / f"case{c[0]}"), enumerate(CASES)))
    failures = []
    for k, (case, (r, before)) in enumerate(zip(CASES, results)):
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        problems = []
        if r.returncode != case.code:
            problems.append(f"exit {r.returncode}, expected {case.code}")
        if "Traceback" in r.stderr + r.stdout or "internal error" in r.stderr:
            problems.append("traceback / internal error")
        if case.expect not in r.stderr:
            problems.append(f"no {case.expect!r} in the message")
        if not 1 <= len(lines) <= case.max_lines or any(len(ln) > 600 for ln in lines):
            problems.append(f"{len(lines)} lines, longest {max((len(ln) for ln in lines), default=0)} characters")
        if snapshot(tmp_path / f"case{k}") != before:
            problems.append("files changed")
        if problems:
            failures.append(f"{case.name}: {'; '.join(problems)}\n    stderr: {r.stderr.strip()[:500]}")
    assert not failures, f"{len(failures)} of {len(CASES)} cases:\n" + "\n".join(failures)
    assert len(CASES) >= 55
