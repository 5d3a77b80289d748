"""Real files nobody here wrote (tests/data/real/SOURCES.md): each is cut and verified, or refused by name.

tests/data/real/expected.yaml says what each file should give. Every drawing is
read here (fast); the full CAM with its independent sweep proof runs for a few
small ones and for ezdxf's 23-part forms.dxf (`benchmarks/real_corpus.py` runs
it for all and counts). Every program is verified as a third-party program on
its controller, and where LinuxCNC's own interpreter (rs274) is installed, our
reading of it is compared with LinuxCNC's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from osehw.cam.shop import load_machines
from osehw.cam.verify.parse import FindingLog, parse_program
from osehw.cam.verify.program import verify_program
from osehw.cam.verify.sweep import move_length
from osehw.core.errors import OsehwError
from osehw.designs.dxf_solid import read_dxf_parts
from osehw.designs.user_part import user_part_design
from osehw.pipeline import BuildPipeline
from tests.cam.verify import linuxcnc_reference

REAL = Path(__file__).resolve().parent / "data" / "real"
EXPECTED = yaml.safe_load((REAL / "expected.yaml").read_text())
MACHINE_FOR = {"grbl": "grbl-hobby-800", "linuxcnc": "linuxcnc-4x8"}
FULL_CAM = ["ezdxf-forms.dxf", "dxf/voron-0-mid_panel.dxf", "dxf/voron-switchwire-deck_panel_right.dxf",
            "dxf/dxf2gcode-plasma-demo.dxf", "dxf/dxf2gcode-plasma-schluessel_andi.dxf",
            "dxf/dxf2gcode-plasma-teile.dxf"]


def cam_check(path: Path, *, thickness: float = 6.0, units: str | None = None, material: str = "plywood",
              machine: str = "linuxcnc-4x8"):  # type: ignore[no-untyped-def]
    """CAM and every check, as `osehw cam` runs them, without writing files."""
    design = user_part_design(path, thickness=thickness, material=material, quantity=1, units=units)
    pipe = BuildPipeline(machines=[machine])
    return design, pipe.run(pipe.start_with_design(design, path), "check")


def test_the_corpus_is_what_the_issue_asks_for() -> None:
    sources = (REAL / "SOURCES.md").read_text()
    files = [f for f in REAL.rglob("*") if f.is_file() and f.name not in ("SOURCES.md", "expected.yaml")]
    assert {str(f.relative_to(REAL)) for f in files} == set(EXPECTED["dxf"]) | {f"gcode/{g}" for g in EXPECTED["gcode"]}
    assert all(f"`{f.relative_to(REAL)}`" in sources for f in files)  # every file has its source and licence
    assert len(EXPECTED["dxf"]) >= 20 and len(EXPECTED["gcode"]) >= 10


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED["dxf"].items() if e.get("stage") != "cam"
                                        and not e.get("cut")))
def test_drawings_the_reader_refuses_say_what_and_where(name: str) -> None:
    expected = EXPECTED["dxf"][name]
    with pytest.raises(OsehwError, match=expected["refused"]) as info:
        read_dxf_parts(REAL / name, units=expected.get("units"))
    assert name.split("/")[-1] in str(info.value)  # names the file


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED["dxf"].items() if "parts" in e))
def test_drawings_give_the_parts_they_hold(name: str) -> None:
    expected = EXPECTED["dxf"][name]
    parts = read_dxf_parts(REAL / name, units=expected.get("units"))
    assert len(parts.faces) == expected["parts"]


@pytest.mark.parametrize("name", [n for n in FULL_CAM if n in EXPECTED["dxf"]])
def test_sound_parts_are_cut_and_proven(name: str) -> None:
    expected = EXPECTED["dxf"][name]
    design, result = cam_check(REAL / name, thickness=expected.get("thickness", 6.0), units=expected.get("units"))
    assert [f.message for f in result.errors] == []
    placed = [label for sheet in result.cam.sheets for label, _ in sheet.parts]
    assert len(placed) == len(design.sheet_parts) == expected["parts"]
    # the CAM job proves every sheet (cam/verify/sheet.py): cut through, no gouge
    assert not [f for f in result.findings if f.code in ("GCODE_UNCUT", "GCODE_GOUGE")]


def test_a_part_finer_than_every_tool_is_refused_by_name() -> None:
    _, result = cam_check(REAL / "dxf" / "dxf2gcode-plasma-stir_1.dxf")
    assert re.search(EXPECTED["dxf"]["dxf/dxf2gcode-plasma-stir_1.dxf"]["refused"], result.errors[0].message)
    assert "hole-1" in result.errors[0].message


def _verify(name: str):  # type: ignore[no-untyped-def]
    expected = EXPECTED["gcode"][name]
    controller = expected["controller"]
    return verify_program((REAL / "gcode" / name).read_text(errors="replace"), load_machines()[MACHINE_FOR[controller]],
                          dialect=controller, stock_x=2500, stock_y=1250, stock_thickness=expected.get("thickness", 19.0),
                          tool_diameter=3.175, third_party=True, subject=name)


@pytest.mark.parametrize("name", sorted(EXPECTED["gcode"]))
def test_third_party_programs_pass_or_show_their_real_faults(name: str) -> None:
    expected = EXPECTED["gcode"][name]
    report = _verify(name)
    errors = {f.code for f in report.findings if f.is_error}
    assert errors == set(expected.get("faults", [])), report.findings
    if "not_proven" in expected:
        assert any(expected["not_proven"] in n for n in report.not_proven)
    # grouped: one finding per code
    codes = [f.code for f in report.findings]
    assert len(codes) == len(set(codes))


@pytest.mark.skipif(linuxcnc_reference.RS274 is None, reason="LinuxCNC's rs274 interpreter is not installed")
@pytest.mark.parametrize("name", ["bcnc-sample.gcode", "gsender-demo.gcode", "groundcontrol-dragon.nc",
                                  "involute-gear-collection-teeth-08.dxf.ngc", "linuxcnc-3d_chips.ngc",
                                  "linuxcnc-cds.ngc", "ugs-enclosure.nc", "ugs-ruler.gcode", "ugs-ugs.gcode"])
def test_our_reading_of_a_program_is_linuxcncs(name: str) -> None:
    path = REAL / "gcode" / name
    reference = linuxcnc_reference.read(path)
    parsed = parse_program(path.read_text(errors="replace"), "linuxcnc", FindingLog(name), third_party=True)
    ours = sum(move_length(m) for m in parsed.moves if m.known and m.kind != "rapid")
    assert ours == pytest.approx(reference.feed_length, rel=1e-4)
    ends = [m.end for m in parsed.moves if m.known and m.kind != "rapid"]
    for axis, (lo, hi) in enumerate((reference.x_range, reference.y_range, reference.z_range)):
        assert min(e[axis] for e in ends) == pytest.approx(lo, abs=1e-3)
        assert max(e[axis] for e in ends) == pytest.approx(hi, abs=1e-3)
