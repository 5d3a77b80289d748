"""The osehw command in a real subprocess, as a user or CI runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def osehw(*args, cwd=ROOT, **env_extra):
    env = dict(os.environ, COLUMNS="200", **env_extra)
    return subprocess.run([sys.executable, "-m", "osehw", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=600)


def test_list_and_show():
    r = osehw("list")
    assert r.returncode == 0 and "node-enclosure" in r.stdout
    r = osehw("show", "node-enclosure")
    assert r.returncode == 0
    assert "wall_thickness" in r.stdout and "hdpe: 12.7" in r.stdout and "19.05" in r.stdout


def test_bad_value_exits_2_with_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    r = osehw("build", "node-enclosure", "--set", "wall_thickness=3", "--out", str(out))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "wall_thickness = 3: must be ≥ 6.0 mm" in r.stderr
    assert not out.exists()


def test_unknown_design_and_escaping_out(tmp_path):
    r = osehw("build", "node-enclosur", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "did you mean 'node-enclosure'" in r.stderr
    r = osehw("build", "node-enclosure", "--out", str(ROOT / "src"))
    assert r.returncode == 2 and "refusing to write" in r.stderr


def test_check_passes_defaults_and_fails_when_contents_do_not_fit():
    r = osehw("check", "node-enclosure")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "all checks passed" in r.stdout
    r = osehw("check", "node-enclosure", "--set", "inner_width=150")
    assert r.returncode == 2
    assert "inner_width = 150.0: the contents do not fit: need ≥ 220.0 mm" in r.stderr


def test_check_fails_on_an_engineering_rule():
    # 45 W in the default box: 45 + 45/(3.5·0.35) ≈ 81.7 °C > 60 °C rating
    r = osehw("check", "node-enclosure", "--set", "solar_gain_w=29")
    assert r.returncode == 1
    assert "THERMAL_OVER" in r.stdout and "FAILED" in r.stdout


def test_build_writes_every_output_reproducibly(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    # different string-hash seeds: set iteration order must not leak into any file
    assert osehw("build", "node-enclosure", "--out", str(a), PYTHONHASHSEED="1").returncode == 0
    # b: both designs at once, each in its own worker process
    r = osehw("build", "node-enclosure", "cam-gallery", "-j", "2", "--out", str(b), PYTHONHASHSEED="2")
    assert r.returncode == 0 and "cam-gallery: 79 files" in r.stdout, r.stdout + r.stderr
    # 79: per machine (3) its sheets' files and a sheet list
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file() and "cam-gallery" not in p.parts)
    assert files_a == files_b
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    manifest = json.loads((a / "node-enclosure" / "manifest.json").read_text())
    assert manifest["params"]["wall_thickness"] == 12.7
    for name in ("model.step", "model.stl", "bom.csv", "bom.json", "parts/lid.dxf", "parts/lid.svg"):
        assert name in manifest["files"], name
    import hashlib

    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((a / "node-enclosure" / rel).read_bytes()).hexdigest() == digest

    # unchanged inputs: nothing is rebuilt, not a byte touched
    stamp = (a / "node-enclosure" / "model.step").stat().st_mtime_ns
    r = osehw("build", "node-enclosure", "--out", str(a))
    assert r.returncode == 0 and "node-enclosure: up to date" in r.stdout, r.stdout
    assert (a / "node-enclosure" / "model.step").stat().st_mtime_ns == stamp
    # an override is another input: built again
    r = osehw("build", "node-enclosure", "--set", "ambient_c=40", "--out", str(a))
    assert r.returncode == 0 and "45 files" in r.stdout and "up to date" not in r.stdout, r.stdout

    # a rebuild replaces osehw's own folder in place
    (a / "node-enclosure" / "stale.txt").write_text("left by an older build")
    assert osehw("build", "node-enclosure", "--out", str(a)).returncode == 0
    assert not (a / "node-enclosure" / "stale.txt").exists()

    # the programs that cut one sheet, proven together against the sheet drawing osehw wrote
    sheet = a / "node-enclosure" / "sheets" / "grbl-hobby-800"
    programs = sorted(sheet.glob("hdpe-12.7-sheet-1.*.nc"))
    cutting = [p for p in programs if "vbit" not in p.name]
    assert [t in p.name for t, p in zip(("drill-4.5", "em-3.175", "em-6.35"), cutting)] == [True] * 3
    common = ["--machine", "grbl-hobby-800", "--thickness", "12.7", "--part", str(sheet / "hdpe-12.7-sheet-1.dxf")]
    r = osehw("verify", *map(str, cutting), *common,
              "--tool-diameter", "4.5", "--tool-diameter", "3.175", "--tool-diameter", "6.35",
              "--drill-point", "118", "--drill-point", "0", "--drill-point", "0")
    assert r.returncode == 0 and "3 programs OK" in r.stdout, r.stdout
    # without the drill program the screw holes stay uncut: the proof must say so
    r = osehw("verify", *map(str, cutting[1:]), *common, "--tool-diameter", "3.175", "--tool-diameter", "6.35")
    assert r.returncode == 1 and "GCODE_UNCUT" in r.stdout and "hole" in r.stdout, r.stdout


def test_cam_on_a_users_dxf_and_verify_its_program(tmp_path):
    import ezdxf

    doc = ezdxf.new("R2010", units=4)
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (200, 0), (200, 100), (0, 100)], close=True)
    msp.add_circle((50, 50), 10)
    msp.add_lwpolyline([(120, 40), (170, 40), (170, 60), (120, 60)], close=True)
    dxf = tmp_path / "Bracket Plate.dxf"
    doc.saveas(dxf)
    out = tmp_path / "out"
    r = osehw("cam", str(dxf), "--thickness", "12", "--material", "plywood", "--quantity", "2",
              "--machine", "grbl-hobby-800", "--out", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    folder = out / "bracket-plate" / "sheets" / "grbl-hobby-800"
    programs = sorted(folder.glob("*.nc"))
    assert [p.name for p in programs] == ["plywood-12-sheet-1.1-vbit-90.nc", "plywood-12-sheet-1.2-em-6.35-2f-up.nc"]
    good = programs[1]
    r = osehw("verify", str(good), "--machine", "grbl-hobby-800", "--thickness", "12")
    assert r.returncode == 0 and "NOT PROVEN" in r.stdout and "program OK" not in r.stdout, r.stdout
    sheet_dxf = folder / "plywood-12-sheet-1.dxf"
    r = osehw("verify", str(good), "--machine", "grbl-hobby-800", "--thickness", "12", "--part", str(sheet_dxf))
    assert r.returncode == 0 and "NOT PROVEN" not in r.stdout and "program OK" in r.stdout, r.stdout
    broken = tmp_path / "broken.nc"
    broken.write_text(good.read_text().replace("M3 ", "M6\nM3 ", 1))
    r = osehw("verify", str(broken), "--machine", "grbl-hobby-800", "--thickness", "12")
    assert r.returncode == 1 and "FAILED" in r.stdout and "M6" in r.stdout
    r = osehw("cam", str(dxf), "--thickness", "12", "--material", "balsa", "--out", str(out))
    assert r.returncode == 2 and "'balsa' is not a known material" in r.stderr


def test_cam_on_an_inch_drawing_with_a_mirrored_hole_and_strays(tmp_path):
    import ezdxf
    import ezdxf.bbox

    doc = ezdxf.new()
    doc.header["$INSUNITS"] = 1  # inches
    m = doc.modelspace()
    m.add_lwpolyline([(0, 0), (6, 0), (6, 4), (0, 4)], close=True)
    m.add_circle((-3, 2), 0.5, dxfattribs={"extrusion": (0, 0, -1)})  # world centre (3, 2) in
    m.add_line((10, 0), (12, 0), dxfattribs={"layer": "CONSTRUCTION"})
    m.add_text("6 x 4 in plate", dxfattribs={"layer": "NOTES"})
    dxf = tmp_path / "plate-in.dxf"
    doc.saveas(dxf)
    out = tmp_path / "out"
    r = osehw("cam", str(dxf), "--thickness", "12", "--material", "plywood", "--machine", "grbl-hobby-800",
              "--out", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    manifest = json.loads((out / "plate-in" / "manifest.json").read_text())
    codes = [f["code"] for f in manifest["findings"]]
    assert codes.count("INPUT_IGNORED") == 2 and "INPUT_UNITS" in codes
    part = (out / "plate-in" / "parts" / "plate-in.dxf")
    bbox = ezdxf.bbox.extents(ezdxf.readfile(part).modelspace())
    assert bbox.size.x == pytest.approx(152.4, abs=0.01) and bbox.size.y == pytest.approx(101.6, abs=0.01)


_HEAVY = """
import sys
from osehw.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'cadquery', 'OCP', 'pygcode'})
print('EXIT', code, 'HEAVY', ','.join(heavy) or '-')
"""


@pytest.mark.parametrize("command", ["help", "verify"])
def test_help_and_verify_do_not_load_cadquery(tmp_path, command):
    """`osehw --help` and `osehw verify` never import CadQuery or OCP (seconds of start-up), nor pygcode
    (the verifier reads programs with its own reader; pygcode is only the tests' second parser)."""
    program = tmp_path / "square.nc"
    program.write_text("G21 G90 G17 G94\nG0 Z5\nM3 S18000\nG4 P2\nG0 X10 Y10\nG1 Z-3 F800\n"
                       "G1 X60 F2500\nG1 Y60\nG1 X10\nG1 Y10\nG0 Z5\nM5\nM2\n")
    args = ["--help"] if command == "help" else ["verify", str(program), "--machine", "grbl-hobby-800",
                                                 "--thickness", "6"]
    r = subprocess.run([sys.executable, "-c", _HEAVY, *args], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}, timeout=120)
    assert r.stdout.strip().splitlines()[-1] == "EXIT 0 HEAVY -", r.stdout + r.stderr
    if command == "verify":
        assert "cut 208 mm" in r.stdout  # the plunge Z5 → Z−3 at feed (8 mm) + 4 sides of 50 mm
