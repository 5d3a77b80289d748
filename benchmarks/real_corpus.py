"""The real-file corpus end to end: every drawing through the full CAM and its proof, every program verified.

Run by hand (about 3 minutes; the tests read every drawing but run the full CAM on a few):

    .venv/bin/python benchmarks/real_corpus.py

Prints one line per file and the counts the issue asks for: of the single sound parts, how many
are cut and proven; of the others, how many are refused with the expected message; of the
programs, how many sound ones pass --third-party and how many faulty ones are caught.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REAL = ROOT / "tests" / "data" / "real"


def main() -> None:
    from osehw.core.errors import OsehwError
    from tests.test_real_files import _verify, cam_check

    expected = yaml.safe_load((REAL / "expected.yaml").read_text())
    sound = sound_cut = other = other_as_expected = 0
    for name, want in expected["dxf"].items():
        t = time.perf_counter()
        try:
            design, result = cam_check(REAL / name, thickness=want.get("thickness", 6.0), units=want.get("units"))
            first = result.errors[0].message if result.errors else ""
            outcome = f"cut {len(design.sheet_parts)} part(s)" if not first else f"refused at CAM: {first[:120]}"
        except OsehwError as exc:
            first, outcome = str(exc), f"refused at reading: {str(exc)[:120]}"
        as_expected = (not first) if want.get("cut") else bool(re.search(want["refused"], first))
        if want.get("sound", True):
            sound += 1
            sound_cut += not first
        else:
            other += 1
            other_as_expected += as_expected
        print(f"{'ok  ' if as_expected else 'DIFF'} {name:60s} {time.perf_counter() - t:5.1f} s  {outcome}",
              flush=True)
    passed = caught = sound_programs = faulty = 0
    for name, want in expected["gcode"].items():
        report = _verify(name)
        errors = sorted({f.code for f in report.findings if f.is_error})
        if "faults" in want:
            faulty += 1
            caught += errors == sorted(want["faults"])
        else:
            sound_programs += 1
            passed += not errors
        print(f"{'ok  ' if errors == sorted(want.get('faults', [])) else 'DIFF'} gcode/{name:54s} "
              f"{', '.join(errors) or 'passes'}")
    print(f"\nsound parts cut and proven: {sound_cut} of {sound} ({100 * sound_cut / sound:.0f} %); "
          f"other drawings refused as expected: {other_as_expected} of {other}; "
          f"sound programs passing --third-party: {passed} of {sound_programs}; "
          f"faulty programs caught: {caught} of {faulty}")


if __name__ == "__main__":
    main()
