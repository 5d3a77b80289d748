"""Benchmark: the frame solve of a 40 m tower (issue 9 target: ≤ 2 s).

Builds the default tower with 13 sections of 3.048 m (39.6 m of lattice, a 40.6 m mast top), then times
separately: the PyNite model build + linear solve of all 12 combinations (4 wind directions × 2 strength
+ 4 service), and the ADM member checks. Prints nodes, members, and each time (best of ``--runs``).

Run: ``python benchmarks/bench_tower_frame.py [--runs N]``

Measured (2 cores, shared, 2026-11-24): 13 sections, 163 nodes, 324 members: solve 0.92 s (best of 3),
member checks 0.60 s. (With the default 2 m base and 2 in × 1/4 in legs a 40 m tower is overstressed,
utilisation 1.77 in its bottom leeward leg: the benchmark times the solve, it does not size the tower.)
"""

from __future__ import annotations

import argparse
import time

from osehw.analyses.structure import member_checks, solve
from osehw.designs import load_all


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    kind = load_all().get("tower")
    design = kind.build(kind.schema(sections=13))
    frame = design.frame
    solves, checks = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        solved = solve(frame)
        solves.append(time.perf_counter() - t)
        t = time.perf_counter()
        rows = member_checks(solved)
        checks.append(time.perf_counter() - t)
    height = max(z for _, _, z in frame.nodes.values()) / 1000
    worst = max(rows, key=lambda r: r["utilisation"])
    print(f"tower {height:.1f} m: {len(frame.nodes)} nodes, {len(frame.members)} members, "
          f"{len(solved.strength) + len(solved.service)} combinations")
    print(f"solve (model + 12 combinations): best {min(solves):.2f} s of {args.runs}; "
          f"member checks: best {min(checks):.2f} s")
    print(f"highest utilisation {worst['utilisation']:.2f} in {worst['member']} ({worst['mode']})")


if __name__ == "__main__":
    main()
