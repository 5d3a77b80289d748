"""Cold, warm and one-change times of `osehw build` for every design, in a fresh output folder.

Run by hand (not a test: times are measured, not asserted):

    .venv/bin/python benchmarks/bench_build.py

cold: nothing built yet and an empty stage cache; warm: nothing changed (every design is up to date and
CadQuery is never imported); one change: one design built with one parameter changed, the others left
alone — a parameter CAM does not read (the ambient temperature: CAM comes from the stage cache) and one
that changes a part (no vent: a hole fewer, CAM runs again).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def osehw(*args: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "osehw", *args], check=True, capture_output=True, env=ENV)
    return time.perf_counter() - t


ENV = dict(os.environ)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "out")
        ENV["OSEHW_CACHE_DIR"] = str(Path(tmp) / "cache")
        print(f"cold build, every design:        {osehw('build', '--out', out):6.2f} s")
        print(f"warm build, nothing changed:     {osehw('build', '--out', out):6.2f} s")
        print(f"one design, one parameter moved: "
              f"{osehw('build', 'node-enclosure', '--set', 'ambient_c=40', '--out', out):6.2f} s"
              "  (ambient_c: CAM from the stage cache)")
        print(f"one design, one part changed:    "
              f"{osehw('build', 'node-enclosure', '--set', 'vent=false', '--out', out):6.2f} s  (vent: CAM again)")


if __name__ == "__main__":
    main()
