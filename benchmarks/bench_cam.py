"""CAM benchmark: CAM + nesting + post + verification for every sheet part of every design.

Prints, per design and machine: wall time, peak memory, sheets, utilisation, cutting
length, air travel, estimated machining time (with acceleration) and the lower bound
(cut length / feed + rapid length / rapid rate, no acceleration).

Run: .venv/bin/python benchmarks/bench_cam.py
"""

from __future__ import annotations

import resource
import time

from osehw.cam.job import CamJob
from osehw.core.design_files import design_files
from osehw.designs import load_all
from osehw.pipeline import load


def main() -> None:
    rows = []
    for path in design_files():
        loaded = load(str(path))
        design = loaded.kind.build(loaded.params)
        if not design.sheet_parts:
            continue
        t = time.perf_counter()
        cam = CamJob().run(design)
        wall = time.perf_counter() - t
        machines = sorted({s.machine.id for s in cam.sheets})
        for m in machines:
            sheets = [s for s in cam.sheets if s.machine.id == m]
            progs = [p for s in sheets for p in s.programs]
            rows.append((loaded.variant, m, len(sheets),
                         " ".join(f"{s.utilisation:.2f}" for s in sheets),
                         sum(p.report.cut_length for p in progs) / 1000,
                         sum(p.report.rapid_length for p in progs) / 1000,
                         sum(p.report.estimated_time_s for p in progs) / 60,
                         sum(p.report.lower_bound_time_s for p in progs) / 60,
                         sum(1 for s in sheets for f in s.findings if f.is_error)))
        print(f"{loaded.variant}: CAM for {len(machines)} machines in {wall:.1f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    head = ("design", "machine", "sheets", "utilisation", "cut m", "air m", "est min", "bound min", "errors")
    print(" | ".join(head))
    for r in rows:
        print(f"{r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]:.1f} | {r[5]:.1f} | {r[6]:.1f} | {r[7]:.1f} | {r[8]}")
    print(f"peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    load_all()
    main()
