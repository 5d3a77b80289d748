"""`osehw verify` throughput on a 100,000-line program, beside pygcode's Machine in the same run.

The program: one of osehw's own sheet programs (node-enclosure, GRBL, 6.35 mm end mill: pockets,
profiles with tabs, arcs) whose cutting lines are repeated until it has 100,000 lines. Measured:
- `osehw verify` as a user runs it (a subprocess: start-up, imports, reading, every check);
- `verify_program` alone, in this process;
- pygcode's `Machine` processing every line (the parse osehw's reader is built on), as a yardstick.

Run: .venv/bin/python benchmarks/bench_verify.py [--program FILE.nc] [--lines N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
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


def pygcode_rate(text: str) -> tuple[float, int]:
    from pygcode import Line, Machine

    machine = Machine()
    t = time.perf_counter()
    n = 0
    for raw in text.splitlines():
        line = Line(raw)
        if line.block.words:
            machine.process_block(line.block)
        n += 1
    return time.perf_counter() - t, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--program", type=Path, help="an osehw GRBL sheet program (default: build node-enclosure)")
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--profile", action="store_true", help="cProfile verify_program, top 25 by own time")
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

        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "osehw", "verify", str(big), "--machine", MACHINE,
                            "--thickness", "12.7"], capture_output=True, text=True, cwd=ROOT)
        cli_s = time.perf_counter() - t
        summary = [line for line in r.stdout.splitlines() if line.startswith("cut ")]

        from osehw.cam.shop import load_machines
        from osehw.cam.verify.program import verify_program

        machine = load_machines()[MACHINE]

        def run():
            return verify_program(text, machine, dialect="grbl", stock_x=800, stock_y=800, stock_thickness=12.7,
                                  tool_diameter=6.35)

        t = time.perf_counter()
        report = run()
        lib_s = time.perf_counter() - t
        py_s, py_n = pygcode_rate(text)

        print(f"program: {n} lines from {source.name}; osehw verify exit {r.returncode}: {' '.join(summary)}")
        print(f"{'':<34} {'s':>7} {'lines/s':>9}")
        print(f"{'osehw verify (subprocess, all)':<34} {cli_s:>7.2f} {n / cli_s:>9.0f}")
        print(f"{'verify_program (in process)':<34} {lib_s:>7.2f} {n / lib_s:>9.0f}")
        print(f"{'pygcode Machine (parse only)':<34} {py_s:>7.2f} {py_n / py_s:>9.0f}")
        print(f"ratio osehw verify / pygcode: {(n / cli_s) / (py_n / py_s):.2f} (subprocess), "
              f"{(n / lib_s) / (py_n / py_s):.2f} (in process); findings: {len(report.findings)}")
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(run)
            pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
