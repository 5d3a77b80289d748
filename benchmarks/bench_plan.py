"""Time of `osehw plan designs/plan-usa.yaml` (the lower 48 on the H3 resolution-5 grid, no terrain), whole
command and by step, in one process and on Dask. Target: ≤ 60 s on 2 cores for the plan's numeric work (sites,
links, heights, routing, rollup: `build_classes=false`, timed per scheduler). Building the node classes through
the CadQuery pipeline comes on top, once: the whole command is timed with an empty stage cache (cold: every class
built) and again with the cache it filled (warm: every class read back).

Run by hand (not a test: times are measured, not asserted):

    .venv/bin/python benchmarks/bench_plan.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from osehw.plan.run import LOCAL, SINGLE, THREADS, load_sites, run_plan
    from osehw.plan.schema import read_plan
    from osehw.plan.write import write_plan

    plan = ROOT / "designs" / "plan-usa.yaml"
    name, p = read_plan(plan)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{cores} cores")
    t = time.perf_counter()
    sites = load_sites(p, plan.parent)
    print(f"sites (H3 grid in the outline): {len(sites):,} in {time.perf_counter() - t:.2f} s")
    numeric = p.model_copy(update={"build_classes": False})
    for scheduler in (SINGLE, THREADS, LOCAL):
        t = time.perf_counter()
        result = run_plan(name, numeric, plan.parent, scheduler=scheduler)
        print(f"plan without class builds on {scheduler:7s}: {time.perf_counter() - t:.2f} s "
              f"({result.partitions} partitions)")
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache:
        t = time.perf_counter()
        write_plan(result, Path(tmp))
        print(f"write outputs: {time.perf_counter() - t:.2f} s")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), OSEHW_CACHE_DIR=cache)
        for state in ("cold", "warm"):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "osehw", "plan", str(plan), "--out", tmp, "--force",
                            "--no-progress"], check=True, capture_output=True, cwd=ROOT, env=env)
            print(f"whole command (LocalCluster), class builds {state}: {time.perf_counter() - t:.2f} s")
        result = run_plan(name, p, plan.parent, scheduler=SINGLE)  # the classes from the warm cache, for the table
    for k, v in result.rollup.items():
        print(f"  {k}: {v}")
    print(result.classes.to_string(index=False))


if __name__ == "__main__":
    main()
