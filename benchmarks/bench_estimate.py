"""Machining-time estimate against GRBL 1.1h's own planner, program by program.

For every G-code program osehw writes for its designs (built into a temporary folder, or the
folders given with --out) and every GRBL-readable program under tests/data/real/gcode, prints
the header's estimate (``osehw.cam.verify.timing`` through ``verify_program``), the time GRBL
1.1h's planner and stepper take (``tests/cam/verify/grbl_reference.py``, a step-by-step
re-implementation written independently of the estimator) and their ratio. Both start from work
zero (X0 Y0 Z0), on the grbl-hobby-800 machine profile ($110-$112 = max_rapid,
$120-$122 = acceleration, $11/$12 from the profile or GRBL's defaults).

Run: .venv/bin/python benchmarks/bench_estimate.py [--out DIR ...] [--designs a,b,c]
Exit status 1 when a ratio lies outside 0.95-1.05.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REAL = ROOT / "tests" / "data" / "real" / "gcode"
DESIGNS = ("node-enclosure", "cam-gallery", "antenna-mount")
MACHINE = "grbl-hobby-800"


def _programs(out_dirs: list[Path]) -> list[Path]:
    return sorted(p for d in out_dirs for p in d.rglob("*.nc") if f"sheets/{MACHINE}/" in p.as_posix())


def main() -> int:
    from osehw.cam.shop import load_machines
    from osehw.cam.verify.program import verify_program
    from tests.cam.verify.grbl_reference import GrblSettings, Unsupported, simulate

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, action="append", default=[], help="a build output folder (repeatable)")
    ap.add_argument("--designs", default=",".join(DESIGNS))
    args = ap.parse_args()
    outs = list(args.out)
    tmp = None
    if not outs:
        tmp = tempfile.TemporaryDirectory()
        for d in args.designs.split(","):
            subprocess.run([sys.executable, "-m", "osehw", "build", d, "--out", f"{tmp.name}/{d}"], check=True,
                           stdout=subprocess.DEVNULL, cwd=ROOT)
            outs.append(Path(tmp.name) / d)
    machine = load_machines()[MACHINE]
    settings = GrblSettings(max_rate=(machine.max_rapid,) * 3, acceleration=(machine.acceleration,) * 3,
                            junction_deviation=getattr(machine, "junction_deviation", 0.01),
                            arc_tolerance=getattr(machine, "arc_tolerance", 0.002))
    rows: list[tuple[str, float, float, int, float]] = []
    skipped: list[tuple[str, str]] = []
    t_est = t_ref = 0.0
    cases = [(p, False) for p in _programs(outs)] + [(p, True) for p in sorted(REAL.iterdir())]
    for path, third_party in cases:
        text = path.read_text(errors="replace")
        try:
            t = time.perf_counter()
            ref = simulate(text, settings)
            t_ref += time.perf_counter() - t
        except Unsupported as exc:
            skipped.append((path.name, str(exc)))
            continue
        t = time.perf_counter()
        report = verify_program(text, machine, dialect="grbl", stock_x=machine.envelope_x,
                                stock_y=machine.envelope_y, stock_thickness=12.7, tool_diameter=6.35,
                                third_party=third_party, subject=path.name)
        t_est += time.perf_counter() - t
        name = path.name if third_party else f"{path.parents[2].name}/{path.name}"
        rows.append((name, report.estimated_time_s, ref.total_s, ref.blocks, report.estimated_time_s / ref.total_s))
    print(f"{'program':<66} {'estimate s':>10} {'GRBL s':>10} {'blocks':>7} {'ratio':>6}")
    for name, est, ref_s, blocks, ratio in rows:
        flag = "" if 0.95 <= ratio <= 1.05 else "  <-- outside 0.95-1.05"
        print(f"{name:<66} {est:>10.1f} {ref_s:>10.1f} {blocks:>7d} {ratio:>6.3f}{flag}")
    ratios = [r[4] for r in rows]
    print(f"{len(rows)} programs: median ratio {statistics.median(ratios):.3f}, "
          f"min {min(ratios):.3f}, max {max(ratios):.3f}")
    for name, why in skipped:
        print(f"not GRBL-readable, skipped: {name}: {why}")
    print(f"time: estimator (whole verify_program) {t_est:.1f} s, reference planner {t_ref:.1f} s")
    if tmp is not None:
        tmp.cleanup()
    return 0 if all(0.95 <= r <= 1.05 for r in ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
