"""Cold, warm and one-change times of `osehw build` for every design, in a fresh output folder.

Run by hand (not a test: times are measured, not asserted):

    .venv/bin/python benchmarks/bench_build.py

cold: nothing built yet; warm: nothing changed (every design is up to date and CadQuery is never
imported); one change: one design built with one parameter changed, the others left alone.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path


def osehw(*args: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "osehw", *args], check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "out")
        print(f"cold build, every design:        {osehw('build', '--out', out):6.2f} s")
        print(f"warm build, nothing changed:     {osehw('build', '--out', out):6.2f} s")
        print(f"one design, one parameter moved: "
              f"{osehw('build', 'node-enclosure', '--set', 'ambient_c=40', '--out', out):6.2f} s")


if __name__ == "__main__":
    main()
