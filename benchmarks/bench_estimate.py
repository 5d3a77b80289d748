"""Machining-time estimate against GRBL 1.1h's own planner, program by program.

For every G-code program osehw writes for its designs (built into a temporary folder, or the
folders given with --out) and every GRBL-readable program under tests/data/real/gcode, prints
the header's estimate (``osehw.cam.verify.timing`` through ``verify_program``), the time GRBL
1.1h's planner and stepper take (``tests/cam/verify/grbl_reference.py``, a step-by-step
re-implementation written independently of the estimator) and their ratio. Both start from work
zero (X0 Y0 Z0), on the grbl-hobby-800 machine profile ($110-$112 = max_rapid,
$120-$122 = acceleration, $11/$12 from the profile or GRBL's defaults).

With --linuxcnc it also runs every program osehw writes for the LinuxCNC machine profile
(linuxcnc-4x8) through LinuxCNC 2.9's own trajectory planner, headless (benchmarks/linuxcnc_sim.py,
Debian package linuxcnc-uspace; about as slow as the programs themselves), and prints the header's
estimate against LinuxCNC's program time (both with dwells) and the motion-only ratio
(``timing.motion_time`` against the servo periods in which LinuxCNC moved). --linuxcnc-save FILE
keeps LinuxCNC's times; --linuxcnc-results FILE compares against such a file instead of running.

Run: .venv/bin/python benchmarks/bench_estimate.py [--out DIR ...] [--designs a,b,c]
     [--linuxcnc [--linuxcnc-user USER] [--linuxcnc-save FILE] | --linuxcnc-results FILE]
Exit status 1 when a ratio lies outside 0.95-1.05.
"""

from __future__ import annotations

import argparse
import json
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
LINUXCNC_MACHINE = "linuxcnc-4x8"


def _programs(out_dirs: list[Path], machine: str = MACHINE, suffix: str = "nc") -> list[Path]:
    return sorted(p for d in out_dirs for p in d.rglob(f"*.{suffix}") if f"sheets/{machine}/" in p.as_posix())


def _key(path: Path) -> str:
    return f"{path.parents[2].name}/{path.name}"


def _linuxcnc(outs: list[Path], args: argparse.Namespace) -> list[float]:
    """Estimate vs LinuxCNC 2.9's planner on every LinuxCNC program; returns the header ratios."""
    from benchmarks import linuxcnc_sim
    from osehw.cam.shop import load_machines
    from osehw.cam.verify.parse import FindingLog, parse_program
    from osehw.cam.verify.program import verify_program
    from osehw.cam.verify.timing import motion_time
    from osehw.cam.verify.timing_linuxcnc import blend_changes

    machine = load_machines()[LINUXCNC_MACHINE]
    programs = _programs(outs, LINUXCNC_MACHINE, "ngc")
    if args.linuxcnc_results:
        measured = json.loads(Path(args.linuxcnc_results).read_text())
    else:
        if not linuxcnc_sim.available():
            print("LinuxCNC is not installed (apt-get install linuxcnc-uspace): no LinuxCNC comparison")
            return []
        t = time.perf_counter()
        runs = linuxcnc_sim.run(programs, machine.max_rapid / 60.0, machine.acceleration, args.linuxcnc_user)
        print(f"LinuxCNC ran {len(runs)} programs in {time.perf_counter() - t:.0f} s (wall)")
        measured = {_key(Path(r["program"])): r for r in runs if "program" in r}
        if args.linuxcnc_save:
            Path(args.linuxcnc_save).write_text(json.dumps(measured, indent=1, sort_keys=True) + "\n")
    print(f"\n{'LinuxCNC program':<62} {'estimate s':>10} {'LinuxCNC s':>10} {'ratio':>6} "
          f"{'motion est':>10} {'LinuxCNC':>9} {'ratio':>6}")
    ratios = []
    for path in programs:
        r = measured.get(_key(path))
        if r is None or r.get("errors"):
            print(f"{_key(path):<62} not measured {r.get('errors') if r else ''}")
            continue
        text = path.read_text()
        report = verify_program(text, machine, dialect="linuxcnc", stock_x=machine.envelope_x,
                                stock_y=machine.envelope_y, stock_thickness=12.7, tool_diameter=6.35)
        parsed = parse_program(text, "linuxcnc", FindingLog(subject=path.name))
        motion, _ = motion_time(parsed.moves, machine, blend_changes(text))
        ratio, motion_ratio = report.estimated_time_s / r["sim_s"], motion / r["moving_s"]
        ratios.append(ratio)
        flag = "" if 0.95 <= ratio <= 1.05 and 0.95 <= motion_ratio <= 1.05 else "  <-- outside 0.95-1.05"
        print(f"{_key(path):<62} {report.estimated_time_s:>10.2f} {r['sim_s']:>10.2f} {ratio:>6.3f} "
              f"{motion:>10.2f} {r['moving_s']:>9.2f} {motion_ratio:>6.3f}{flag}")
    if ratios:
        print(f"{len(ratios)} LinuxCNC programs: median ratio {statistics.median(ratios):.3f}, "
              f"min {min(ratios):.3f}, max {max(ratios):.3f}")
    return ratios


def main() -> int:
    from osehw.cam.shop import load_machines
    from osehw.cam.verify.program import verify_program
    from tests.cam.verify.grbl_reference import GrblSettings, Unsupported, simulate

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, action="append", default=[], help="a build output folder (repeatable)")
    ap.add_argument("--designs", default=",".join(DESIGNS))
    ap.add_argument("--linuxcnc", action="store_true", help="also time the LinuxCNC programs in LinuxCNC 2.9")
    ap.add_argument("--linuxcnc-user", default=None, help="user to run LinuxCNC as when running as root")
    ap.add_argument("--linuxcnc-save", default=None, help="write LinuxCNC's times to this JSON file")
    ap.add_argument("--linuxcnc-results", default=None, help="compare against LinuxCNC times saved earlier")
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
    if args.linuxcnc or args.linuxcnc_results:
        ratios += _linuxcnc(outs, args)
    if tmp is not None:
        tmp.cleanup()
    return 0 if all(0.95 <= r <= 1.05 for r in ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
