"""Time of the concentrator's Monte-Carlo ray trace (a million rays, LS-3-like trough with all errors on).

Run by hand (not a test: times are measured, not asserted):

    .venv/bin/python benchmarks/bench_raytrace.py
"""

from __future__ import annotations

import time

from osehw.physics.raytrace import trace


def main() -> None:
    width, focal = 5760.0, 1710.0  # [mm] LS-3 class aperture and focal length
    for n in (100_000, 1_000_000):
        start = time.perf_counter()
        result = trace(width, focal, 70.0, n_rays=n, slope_error_mrad=2.5, specularity_mrad=0.5,
                       tracking_error_mrad=1.0)
        print(f"{n:>9} rays: {time.perf_counter() - start:6.3f} s, intercept {result.intercept:.4f} "
              f"± {result.intercept_se:.4f}")
    # the second tracer (trimesh ray casting on meshes, osehw.physics.raytrace_mesh): slow by design
    from osehw.physics.raytrace_mesh import trace_mesh

    start = time.perf_counter()
    mesh = trace_mesh(width, focal, 70.0, n_rays=10_000, slope_error_mrad=2.5)
    print(f"   10000 rays on meshes: {time.perf_counter() - start:6.3f} s, intercept {mesh.intercept:.4f} "
          f"± {mesh.intercept_se:.4f}")


if __name__ == "__main__":
    main()
