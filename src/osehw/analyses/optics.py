"""Optics analysis: the concentrator's Monte-Carlo ray trace with the build's errors — slope,
specularity, tracking, receiver offset, the sun's shape — and the rib edge *as cut*, read back from the
router's program, against the design's minimum intercept factor.

The as-cut edge: the rib's profile program is parsed back (osehw.cam.verify, independently of the
generator), its full-depth moves swept with the end mill's radius, and the true offset curve
(:func:`osehw.physics.trough.offset_curve`, placed as the nesting placed the first rib) compared with
the sweep's edge: the signed distance, positive where the rib stands proud (towards the focus), is the
deviation the mirror follows (:func:`osehw.physics.raytrace.trace`, ``rib_deviation``). Without a CAM
result (a design checked alone, or a rib too large for every machine) the trace uses the true curve and
says so: the arc fit then only promises its tolerance, ±``PATH_FIT_TOLERANCE``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.findings import Finding
from osehw.physics.raytrace import TraceResult, trace
from osehw.physics.trough import offset_curve, rim_angle_deg

OPTICS_RAYS = 200_000  # binomial standard error ≤ 0.0011 at any intercept; ~0.2 s
OPTICS_SEED = 0
EDGE_SAMPLES = 801  # points along the rib edge where the as-cut deviation is measured
PICTURE_RAYS = 120


def rib_edge_as_cut(cam: Any, trough: Any) -> tuple[np.ndarray, np.ndarray, str] | None:
    """(x [mm] across the aperture, deviation [mm] along the mirror's normal, positive towards the focus,
    where it came from) of the first rib as the router cuts it, or None when no program cuts it."""
    if cam is None:
        return None
    from osehw.cam.verify.parse import FindingLog, parse_program
    from osehw.cam.verify.sweep import full_depth_pieces, swept_region

    name = trough.rib_part
    for (machine, group), nest in sorted(cam.nestings.items()):
        placed = next((pl for pl in nest.placements if (pl.name == name or pl.name.endswith("/" + name))
                       and pl.instance == 0), None)
        if placed is None:
            continue
        sheet = next((s for s in cam.sheets if s.machine.id == machine and s.group == group
                      and s.index == placed.sheet + 1), None)
        if sheet is None:
            continue
        program = next((p for p in sheet.programs if any(op.kind.startswith("profile")
                                                           and op.part == f"{placed.name}#{placed.instance + 1}"
                                                           for op in p.operations)), None)
        if program is None:
            continue
        parsed = parse_program(program.text, sheet.machine.controller, FindingLog(sheet.stem))
        swept = swept_region(full_depth_pieces(parsed.moves, -0.01), program.tool.diameter / 2.0)
        p = trough.params
        x = np.linspace(-p.aperture / 2.0, p.aperture / 2.0, EDGE_SAMPLES)
        ex, ey = offset_curve(x, trough.focal_length, p.mirror_thickness)
        ex, ey = ex + trough.rib_origin[0], ey + trough.rib_origin[1]
        rot = math.radians(placed.rotation)
        sx = placed.x + ex * math.cos(rot) - ey * math.sin(rot)
        sy = placed.y + ex * math.sin(rot) + ey * math.cos(rot)
        import shapely

        points = shapely.points(np.column_stack([sx, sy]))
        inside = shapely.contains(swept, points)  # the true edge inside the kerf: the rib is cut low there
        dist = shapely.distance(swept.boundary, points)
        return x, np.where(inside, -dist, dist), f"{program.filename} ({machine}), read back and swept"
    return None


def flux_figure(result: TraceResult, label: str) -> str:
    """Local concentration (flux / DNI) around the tube, 0° = the side facing the vertex."""
    from osehw.core.figures import figure, svg_text

    with figure(6.0, 3.2) as (fig, ax):
        ax.step(result.flux_angle_deg, result.local_concentration, where="mid", color="#b05a00")
        # the mean around the tube, γ·W/(2πR), is the effective concentration γ·C (osehw.physics.raytrace)
        ax.axhline(result.effective_concentration, color="#999999", linestyle="--", linewidth=0.8,
                   label=f"mean around the tube = effective concentration {result.effective_concentration:.2f}")
        ax.set_xlim(-180, 180)
        ax.set_xticks(range(-180, 181, 45))
        ax.set_xlabel("angle around the tube [deg] (0 = facing the mirror's vertex)")
        ax.set_ylabel("local concentration [flux / DNI]")
        ax.set_title(f"Flux around the receiver: {label}", fontsize=8)
        ax.legend(loc="upper right", fontsize=7)
        return svg_text(fig)


def ray_figure(result: TraceResult, aperture: float, focal: float, tube_d: float, offset: float) -> str:
    """The cross-section: mirror, tube and a sample of rays (hits blue, misses red)."""
    from osehw.core.figures import figure, svg_text

    x = np.linspace(-aperture / 2.0, aperture / 2.0, 301)
    height = 1.4 * max(focal, aperture * aperture / (16.0 * focal))
    with figure(5.0, 5.0 * min(1.2, max(0.5, height / (1.2 * aperture)))) as (fig, ax):
        for r in result.rays:
            colour = "#1f4e79" if r[5] else "#c03030"
            ax.plot([r[0], r[1], r[3]], [height, r[2], r[4]], color=colour, linewidth=0.4, alpha=0.6)
        ax.plot(x, x * x / (4.0 * focal), color="#333333", linewidth=1.5)
        t = np.linspace(0.0, 2.0 * np.pi, 121)
        ax.fill(offset + tube_d / 2.0 * np.cos(t), focal + tube_d / 2.0 * np.sin(t), color="#222222")
        ax.set_aspect("equal")
        ax.set_xlim(-0.6 * aperture, 0.6 * aperture)
        ax.set_ylim(-0.05 * height, 1.02 * height)
        ax.set_xlabel("across the aperture [mm]")
        ax.set_ylabel("along the optical axis [mm]")
        hits = int(result.rays[:, 5].sum()) if len(result.rays) else 0
        ax.set_title(f"{len(result.rays)} traced rays, {hits} on the tube", fontsize=8)
        return svg_text(fig)


def trace_design(trough: Any, rib: tuple[np.ndarray, np.ndarray, str] | None,
                 n_rays: int = OPTICS_RAYS) -> TraceResult:
    """The design's trace: Buie sun at its circumsolar ratio, every error the design states."""
    p = trough.params
    return trace(p.aperture, trough.focal_length, p.receiver_od, n_rays=n_rays, seed=OPTICS_SEED, sunshape="buie",
                 csr=p.circumsolar_ratio, slope_error_mrad=p.slope_error_mrad, specularity_mrad=p.specularity_mrad,
                 tracking_error_mrad=p.tracking_error_mrad, receiver_offset=(p.receiver_offset, 0.0),
                 rib_x=None if rib is None else rib[0], rib_deviation=None if rib is None else rib[1],
                 keep_rays=PICTURE_RAYS)


@register("optics", applies=lambda design: design.trough is not None, needs=("cam",))
def optics(inputs: Inputs) -> AnalysisResult:
    from osehw.cam.ops.arcfit import PATH_FIT_TOLERANCE

    trough = inputs.design.trough
    p = trough.params
    name = inputs.design.name
    rib = rib_edge_as_cut(inputs.cam, trough)
    result = trace_design(trough, rib)
    if rib is None:
        edge = (f"true offset curve (no program cuts the rib; the arc fit holds the cut edge within "
                f"±{PATH_FIT_TOLERANCE:g} mm)")
        dev_min = dev_max = 0.0
    else:
        edge = f"rib edge as cut: {rib[2]}"
        dev_min, dev_max = float(rib[1].min()), float(rib[1].max())
    errors = (f"Buie sun CSR {p.circumsolar_ratio:g}, slope {p.slope_error_mrad:g} mrad, specularity "
              f"{p.specularity_mrad:g} mrad, tracking {p.tracking_error_mrad:g} mrad, receiver offset "
              f"{p.receiver_offset:g} mm")
    summary = {
        "intercept": round(result.intercept, 5),
        "intercept_se": round(result.intercept_se, 5),
        "rays": result.n_rays,
        "seed": OPTICS_SEED,
        "geometric_concentration": round(result.geometric_concentration, 3),
        "effective_concentration": round(result.effective_concentration, 3),
        "peak_local_concentration": round(float(result.local_concentration.max()), 2),
        "rim_angle_deg": round(rim_angle_deg(p.aperture, trough.focal_length), 3),
        "errors": errors,
        "rib_edge": edge,
        "rib_edge_deviation_min_mm": round(dev_min, 4),
        "rib_edge_deviation_max_mm": round(dev_max, 4),
        "min_intercept": p.min_intercept,
    }
    msg = (f"intercept {result.intercept:.4f} ± {result.intercept_se:.4f} ({result.n_rays} rays; {errors}; "
           f"{edge}, deviation {dev_min:+.4f} to {dev_max:+.4f} mm); minimum {p.min_intercept:g}; effective "
           f"concentration {result.effective_concentration:.2f} of {result.geometric_concentration:.2f}")
    finding = (Finding("OPTICS_OK", "info", name, msg) if result.intercept >= p.min_intercept
               else Finding("OPTICS_INTERCEPT_LOW", "error", name, msg))
    flux_rows = [{"angle_deg": round(float(a), 2), "local_concentration": round(float(c), 4)}
                 for a, c in zip(result.flux_angle_deg, result.local_concentration)]
    tables: dict[str, list[dict[str, Any]]] = {"flux": flux_rows}
    if rib is not None:
        step = max(1, len(rib[0]) // 100)
        tables["rib-edge"] = [{"x_mm": round(float(a), 2), "deviation_mm": round(float(d), 5)}
                              for a, d in zip(rib[0][::step], rib[1][::step])]
    label = f"intercept {result.intercept:.3f}, {p.receiver_od:g} mm tube"
    figures = {"flux": flux_figure(result, label),
               "rays": ray_figure(result, p.aperture, trough.focal_length, p.receiver_od, p.receiver_offset)}
    return AnalysisResult("optics", (finding,), summary, tables, figures)
