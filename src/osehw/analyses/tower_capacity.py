"""How much antenna a lattice tower carries: the largest antenna EPA at its top that keeps every member's
utilisation ≤ 1 under the structure analysis's TIA-222-H loads (``analyses/structure.py``).

Used to compare the checks with a tower maker's published allowable antenna areas: ``prismatic_lattice`` builds a
constant-width triangular lattice with zig-zag bracing from catalog or reference sections (a ROHN 25G-like steel
section: ``physics.steel``), ``allowed_epa_m2`` finds the area by secant iteration (member forces are linear in
the antenna's wind load, so the utilisation is nearly so and a few solves converge).
"""

from __future__ import annotations

import math
from typing import Callable

from osehw.analyses.structure import member_checks, solve
from osehw.core.frame import Appurtenance, Frame, FrameMember, LatticeSection, WindCase
from osehw.designs.tower import leg_xy

LINE_CA = 1.2  # TIA-222-H Table 2-8: round member, subcritical, long (aspect ratio ≥ 25)


def prismatic_lattice(height: float, face_width: float, section_length: float, panels_per_section: int,
                      leg_profile: str, brace_profile: str, material: str, wind: WindCase, antenna_epa_m2: float,
                      fixity: str = "fixed", line_diameter: float = 0.0) -> Frame:
    """A triangular lattice of one face width [mm], legs continuous, one pinned zig-zag diagonal per panel per
    face, and a stiff top plate (links) to a centre node carrying the antenna (EPA [m²], no weight). With
    ``line_diameter`` [mm], one feed line per face up the whole height: per section and face a round linear
    appurtenance Ca = 1.2 (TIA-222-H Table 2-8), unshielded (Ka = 1), on the leg's node at the section's mid
    height."""
    nodes: dict[str, tuple[float, float, float]] = {}
    members: list[FrameMember] = []
    n_sections = round(height / section_length)
    panel = section_length / panels_per_section

    def node(leg: int, z: float) -> str:
        name = f"L{leg}@{z:.1f}"
        x, y = leg_xy(face_width, leg)
        nodes[name] = (round(x, 4), round(y, 4), round(z, 4))
        return name

    for sec in range(1, n_sections + 1):
        for j in range(panels_per_section):
            k = (sec - 1) * panels_per_section + j
            z0, z1 = k * panel, (k + 1) * panel
            for leg in range(3):
                members.append(FrameMember(f"S{sec}-leg{leg}-p{j + 1}", node(leg, z0), node(leg, z1), leg_profile,
                                           "leg", f"S{sec}-leg", False, -1, sec))
            for face in range(3):
                a, b = (face, (face + 1) % 3) if k % 2 == 0 else ((face + 1) % 3, face)
                members.append(FrameMember(f"S{sec}-f{face}-p{j + 1}", node(a, z0), node(b, z1), brace_profile,
                                           "diagonal", f"S{sec}-diag", True, face, sec))
    top = n_sections * section_length
    nodes["TOP"] = (0.0, 0.0, top)
    for leg in range(3):
        members.append(FrameMember(f"top-plate-{leg}", "TOP", node(leg, top), "plate-link", "link", "top-plate",
                                   False, -1, n_sections))
    sections = [LatticeSection(s, (s - 1) * section_length, s * section_length, face_width)
                for s in range(1, n_sections + 1)]
    apps = [Appurtenance("antenna", "TOP", 0.0, antenna_epa_m2)]
    if line_diameter > 0:
        mid = panels_per_section // 2 * panel
        apps += [Appurtenance(f"line-S{s.index}-f{leg}", node(leg, s.z_bottom + mid), 0.0,
                              LINE_CA * line_diameter * section_length * 1e-6) for s in sections for leg in range(3)]
    return Frame(nodes=nodes, members=members, supports=[node(k, 0.0) for k in range(3)], alloy=material, wind=wind,
                 sections=sections, appurtenances=apps, support_fixity=fixity)


def max_utilisation(frame: Frame) -> float:
    return max(r["utilisation"] for r in member_checks(solve(frame)))


def allowed_epa_m2(build: Callable[[float], Frame], first_guess_m2: float = 0.5, tolerance: float = 1e-3,
                   max_solves: int = 8) -> float:
    """The antenna EPA [m²] at which the frame ``build(epa)`` reaches a highest member utilisation of 1 (0 when the
    bare frame already fails), by secant steps on the utilisation."""
    e0, u0 = 0.0, max_utilisation(build(0.0))
    if u0 >= 1.0:
        return 0.0
    e1 = first_guess_m2
    u1 = max_utilisation(build(e1))
    for _ in range(max_solves):
        if abs(u1 - 1.0) < tolerance:
            break
        slope = (u1 - u0) / (e1 - e0)
        e0, u0, e1 = e1, u1, max(0.0, e1 + (1.0 - u1) / slope)
        u1 = max_utilisation(build(e1))
    if not math.isfinite(e1) or abs(u1 - 1.0) >= tolerance:
        raise RuntimeError(f"allowed antenna area did not converge (utilisation {u1:.3f} at {e1:.3f} m²)")
    return e1
