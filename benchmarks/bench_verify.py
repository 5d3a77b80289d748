"""`osehw verify` throughput on a 100,000-line program, beside pygcode's Machine in the same run.

The program: one of osehw's own sheet programs (node-enclosure, GRBL, 6.35 mm end mill: pockets,
profiles with tabs, arcs) whose cutting lines are repeated until it has 100,000 lines. Measured:
- `osehw verify` as a user runs it (a subprocess: start-up, imports, reading, every check);
- `verify_program` alone, in this process;
- pygcode's `Machine` processing every line (the parser osehw's reader was once built on), as a yardstick.
Wall time and CPU time are both printed: on a shared machine the CPU time is the steadier figure.

`osehw verify` is timed from two copies of src/: one byte-compiled (as ``pip install`` leaves an installed
package: what a user runs) and one not (this machine sets PYTHONDONTWRITEBYTECODE, so a source tree is
compiled on every start), the fastest of --starts runs each.

Measured 2026-11-25 (session 6) on an idle 2-core machine (load average 1.0), the 100,001-line program
from hdpe-12.7-sheet-1.4-em-6.35-2f-up.nc (96,367 moves, 1.5 million GRBL planner blocks):

                                    wall s   lines/s   CPU s   lines/s
    osehw verify (subprocess, all)    1.06     94572    1.17     85250
      same, compiling osehw's source  0.93    107996    1.04     96042
    verify_program (in process)       0.55    180371    0.59    170281
    pygcode Machine (parse only)     10.07      9929   10.07      9934
    ratio to pygcode, wall: 9.5 (subprocess), 18.2 (in process)

The two subprocess rows are within this machine's run-to-run spread (five starts of the compiled copy:
0.89-1.12 s wall, 0.89-0.96 s user CPU); the command sits at about 100,000 lines/s, of which ~0.26 s is
imports (typer with pydantic ~0.1 s, numpy 0.09 s, shapely 0.03 s) and the rest reading and checking.
In process about 60 % is the GRBL planner estimate (cam/verify/timing.py), a third reading
(cam/verify/bulk.py). Before session 5 the verifier (pygcode per line, then move by move) ran at 1.3x
pygcode as a subprocess.

Run: .venv/bin/python benchmarks/bench_verify.py [--program FILE.nc] [--lines N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MACHINE = "grbl-hobby-800"
SOURCE = "sheets/grbl-hobby-800/hdpe-12.7-sheet-1.4-em-6.35-2f-up.nc"


def long_program(text: str, lines: int) -> str:
    """The program's cutting lines (between the spindle start's dwell and the final M5) repeated to ``lines``."""
    rows = text.splitlines()
    first = next(i for i, r in enumerate(rows) if r.startswith("G4 ")) + 1
    last = max(i for i, r in enumerate(rows) if r.startswith("M5"))
    head, body, tail = rows[:first], rows[first:last], rows[last:]
    out = list(head)
    while len(out) + len(body) + len(tail) <= lines:
        out += body
    out += body[: lines - len(out) - len(tail)] if lines - len(out) - len(tail) > 0 else []
    # a partial body may end below the stock: finish with the body's own retract and the tail
    out += ["G0 Z5"] + tail
    return "\n".join(out) + "\n"


def pygcode_rate(text: str) -> tuple[float, float, int]:
    """(wall s, CPU s, lines) of pygcode's Machine processing every line."""
    from pygcode import Line, Machine

    machine = Machine()
    t, c = time.perf_counter(), time.process_time()
    n = 0
    for raw in text.splitlines():
        line = Line(raw)
        if line.block.words:
            machine.process_block(line.block)
        n += 1
    return time.perf_counter() - t, time.process_time() - c, n


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--program", type=Path, help="an osehw GRBL sheet program (default: build node-enclosure)")
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--profile", action="store_true", help="cProfile verify_program, top 25 by own time")
    ap.add_argument("--starts", type=int, default=3, help="runs of the command each way (the fastest is shown)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.program
        if source is None:
            subprocess.run([sys.executable, "-m", "osehw", "build", "node-enclosure", "--out", tmp], check=True,
                           stdout=subprocess.DEVNULL, cwd=ROOT)
            source = Path(tmp) / "node-enclosure" / SOURCE
        text = long_program(source.read_text(), args.lines)
        n = text.count("\n")
        big = Path(tmp) / "long.nc"
        big.write_text(text)

        command = [sys.executable, "-m", "osehw", "verify", str(big), "--machine", MACHINE, "--thickness", "12.7"]
        # Python compiles a module's source on every start when it may not write bytecode (this machine
        # sets PYTHONDONTWRITEBYTECODE) and on the first start after an edit; ``pip install`` compiles
        # an installed package once, so a user's command starts from bytecode. Both are measured, each on
        # a copy of src/ (one byte-compiled, one not; the data folders stay at ROOT), the tree untouched.
        copies = {}
        for name in ("compiled", "source"):
            copies[name] = Path(tmp) / name / "src"
            shutil.copytree(ROOT / "src", copies[name], ignore=shutil.ignore_patterns("__pycache__"))
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(copies["compiled"])], check=True)
        envs = {name: {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(path), "OSEHW_HOME": str(ROOT)}
                for name, path in copies.items()}
        runs = {}
        for name, env in envs.items():
            best = None
            for _ in range(args.starts):
                t, c = time.perf_counter(), _children_cpu()
                r = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
                took = (time.perf_counter() - t, _children_cpu() - c)
                best = took if best is None or took[0] < best[0] else best
            runs[name] = best
        cli_s, cli_cpu = runs["compiled"]
        src_s, src_cpu = runs["source"]
        summary = [line for line in r.stdout.splitlines() if line.startswith("cut ")]

        from osehw.cam.shop import load_machines
        from osehw.cam.verify.program import verify_program

        machine = load_machines()[MACHINE]

        def run():
            return verify_program(text, machine, dialect="grbl", stock_x=800, stock_y=800, stock_thickness=12.7,
                                  tool_diameter=6.35)

        t, c = time.perf_counter(), time.process_time()
        report = run()
        lib_s, lib_cpu = time.perf_counter() - t, time.process_time() - c
        py_s, py_cpu, py_n = pygcode_rate(text)

        print(f"program: {n} lines from {source.name}; osehw verify exit {r.returncode}: {' '.join(summary)}")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (CPU time is the steadier figure "
              "on a shared machine)")
        print(f"{'':<34} {'wall s':>7} {'lines/s':>9} {'CPU s':>7} {'lines/s':>9}")
        for name, wall, cpu, lines in (("osehw verify (subprocess, all)", cli_s, cli_cpu, n),
                                       ("  same, compiling osehw's source", src_s, src_cpu, n),
                                       ("verify_program (in process)", lib_s, lib_cpu, n),
                                       ("pygcode Machine (parse only)", py_s, py_cpu, py_n)):
            print(f"{name:<34} {wall:>7.2f} {lines / wall:>9.0f} {cpu:>7.2f} {lines / cpu:>9.0f}")
        print(f"ratio osehw verify / pygcode, wall: {(n / cli_s) / (py_n / py_s):.2f} (subprocess), "
              f"{(n / lib_s) / (py_n / py_s):.2f} (in process); CPU: {(n / cli_cpu) / (py_n / py_cpu):.2f} "
              f"(subprocess), {(n / lib_cpu) / (py_n / py_cpu):.2f} (in process); findings: {len(report.findings)}")
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(run)
            pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
