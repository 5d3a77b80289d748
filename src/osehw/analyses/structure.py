"""Structure analysis: the design's frame solved with PyNiteFEA under TIA-222-H wind and dead load, every member
checked against the Aluminum Design Manual (LRFD), the dishes' aim checked under the service wind.

The FE model is built straight from the frame the design declares (``Design.frame``: members on the stock
parts' axes, sections from ``bom/stock_profiles.csv``). Units: N, mm, MPa.

Loads (TIA-222-H §2.3 and §2.6):
- dead D: each member's weight (catalog section × density), plus the frame's connection allowance for bolts,
  tabs and plates, lumped half on each end node; the appurtenances' weights at their nodes;
- wind W at each direction (0°, 30°, 60°, 90° to face 0): per section F = qz·Gh·(EPA)s at the section's mid
  height (``physics.wind``), shared equally by the section's leg nodes above its base; the mast above the
  lattice as a round appurtenance (Ca = 1.2, TIA-222-H Table 2-8, round member, subcritical); each
  appurtenance F = qz·Gh·EPA at its node;
- ice Di (when the frame's wind case has a map ice thickness): radial ice tiz(z) on every member and over each
  appurtenance (``physics.ice``, TIA-222-H §2.6.10), and the wind on ice Wi at the ice wind speed on members
  widened by 2·tiz;
- combinations (TIA-222-H §2.3.2, strength): 1.2D + 1.0W and 0.9D + 1.0W, with ice also 1.2D + 1.0Di + 1.0Wi;
  service (§2.8.3): 1.0D + 1.0Ws with Ws at the service wind speed.
Braces are bolted with one bolt at each end: pinned (no end moments). Legs are continuous through the
panel points; the base is pinned. The mast plates are stiff links.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from osehw import catalog
from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.design import PurchasedItem
from osehw.core.findings import Finding
from osehw.core.frame import Frame, FrameMember
from osehw.physics.aluminium import ALLOYS, TubeSection, member_utilisation
from osehw.physics.connections import bearing_n, bolt_shear_n, net_rupture_n
from osehw.physics.foundation import size_pad
from osehw.physics.guys import (
    deadman_volume_m3,
    equivalent_modulus_mpa,
    guy_design_strength_n,
)
from osehw.physics.ice import (
    ICE_DENSITY_KG_M3,
    design_ice_thickness_mm,
    ice_weight_n_per_m,
)
from osehw.physics.steel import SECTIONS as STEEL_SECTIONS
from osehw.physics.steel import STEELS
from osehw.physics.steel import member_utilisation as steel_utilisation
from osehw.physics.wind import (
    KD,
    appurtenance_epa_m2,
    gust_factor,
    kzt,
    structure_epa_m2,
    velocity_pressure_pa,
    wind_force_n,
)

G = 9.80665  # [m/s²]
ROUND_CA = 1.2  # TIA-222-H Table 2-8: round appurtenance, subcritical flow, aspect ratio ≤ 7 (conservative)
LINK_SECTION = (5000.0, 5.0e7, 5.0e7, 1.0e8)  # A, Iy, Iz, J of a plate link: stiff beside the members
NU = 0.33  # Poisson's ratio of aluminium (ADM Table A.3.1)
INITIAL = "initial guy tension"  # the unloaded combination of a guyed frame
PAD_CONCRETE_ID, PAD_STEEL_ID = "concrete-ready-mix", "rebar-grade60"  # bom/catalog.csv


def tube(profile_id: str) -> TubeSection:
    if profile_id in STEEL_SECTIONS:  # a reference steel member, not stock (``physics.steel``)
        return TubeSection(*STEEL_SECTIONS[profile_id])
    p = catalog.stock_profile(profile_id)
    if p.shape != "round_tube":
        raise ValueError(f"{profile_id}: the frame analysis models round tube only, not {p.shape}")
    return TubeSection(p.size_a, p.size_b)


def wind_direction_xy(wind_to_face_deg: float) -> tuple[float, float]:
    """Unit vector the wind blows along: face 0 (legs 0 and 1) faces 150° in plan, so a wind square on it
    travels toward 330°; other angles turn from there."""
    a = math.radians(330.0 + wind_to_face_deg)
    return math.cos(a), math.sin(a)


@dataclass
class Solved:
    model: Any
    frame: Frame
    strength: list[str]
    service: list[str]
    section_forces: list[dict[str, Any]]


def _length(frame: Frame, m: FrameMember) -> float:
    return math.dist(frame.nodes[m.i], frame.nodes[m.j])


def _section_wind(frame: Frame, sec: Any, direction: float, speed: float, iced: bool = False) -> tuple[float, float]:
    """(force [N], EPA [m²]) on one lattice section for one direction (TIA-222-H eq. 2.6.11-1); ``iced``: every
    member wider by twice the design ice thickness at the section's mid height (TIA-222-H §2.6.11.2)."""
    w = frame.wind
    z_m = (sec.z_top + sec.z_bottom) / 2000.0
    grow = 2 * _ice_mm(frame, z_m) if iced else 0.0
    members = [m for m in frame.members if m.section == sec.index and m.role in ("leg", "diagonal", "horizontal")]
    legs = sum(_length(frame, m) for m in members if m.role == "leg" and m.i.startswith(("L0@", "L1@")))
    leg_od = tube(next(m.profile for m in members if m.role == "leg")).od + grow
    braces = [m for m in members if m.face == 0]
    round_area_m2 = (legs * leg_od + sum(_length(frame, m) * (tube(m.profile).od + grow) for m in braces)) * 1e-6
    gross_m2 = sec.face_width * (sec.z_top - sec.z_bottom) * 1e-6
    epa = structure_epa_m2(0.0, round_area_m2, gross_m2, direction, frame.cross_section)
    q = velocity_pressure_pa(speed, z_m, w.exposure, kd=KD["lattice"],
                             kzt_factor=kzt(z_m, w.exposure, w.topography, w.crest_height_m),
                             ground_elevation_m=w.ground_elevation_m)
    return wind_force_n(q, gust_factor(frame.structure, _height_m(frame)), epa), epa


def _ice_mm(frame: Frame, z_m: float) -> float:
    """Design ice thickness tiz at height z [mm] (TIA-222-H §2.6.10) for the frame's map ice and topography."""
    w = frame.wind
    return design_ice_thickness_mm(w.ice_thickness_mm, z_m, kzt(z_m, w.exposure, w.topography, w.crest_height_m))


def ice_dead_loads(frame: Frame) -> dict[str, float]:
    """Weight of the design ice [N] per node: radial ice on every member (56 pcf, tiz at the member's mid
    height), half on each end node, with the frame's connection allowance as for the steel; on each
    appurtenance a layer tiz thick over its EPA taken as its face area (Ca ≥ 1, so on the heavy side)."""
    loads: dict[str, float] = {}
    for m in frame.members:
        if m.role == "link":
            continue
        z_m = (frame.nodes[m.i][2] + frame.nodes[m.j][2]) / 2000.0
        w = ice_weight_n_per_m(tube(m.profile).od, _ice_mm(frame, z_m)) * _length(frame, m) / 1000.0
        for n in (m.i, m.j):
            loads[n] = loads.get(n, 0.0) + w * (1 + frame.connection_allowance) / 2
    for g in frame.guys:
        a, b = frame.nodes[g.mast_node], frame.nodes[g.anchor_node]
        w = ice_weight_n_per_m(g.diameter, _ice_mm(frame, (a[2] + b[2]) / 2000.0)) * math.dist(a, b) / 1000.0
        for n in (g.mast_node, g.anchor_node):
            loads[n] = loads.get(n, 0.0) + w / 2
    for a in frame.appurtenances:
        t = _ice_mm(frame, frame.nodes[a.node][2] / 1000.0)
        loads[a.node] = loads.get(a.node, 0.0) + a.epa_m2 * t / 1000.0 * ICE_DENSITY_KG_M3 * G
    return loads


def guy_wind(frame: Frame, g: Any, wind_xy: tuple[float, float], speed: float, iced: bool = False) -> dict[str, float]:
    """Wind on a guy [N] along the wind, half at each end: qz at the guy's mid height, Ca = 1.2 (TIA-222-H
    Table 2-8, round), on its diameter (iced: + 2·tiz) times its length projected normal to the wind."""
    a, b = frame.nodes[g.mast_node], frame.nodes[g.anchor_node]
    length = math.dist(a, b)
    along = ((b[0] - a[0]) * wind_xy[0] + (b[1] - a[1]) * wind_xy[1]) / length
    z = (a[2] + b[2]) / 2
    width = g.diameter + (2 * _ice_mm(frame, z / 1000.0) if iced else 0.0)
    epa = appurtenance_epa_m2(width * length * math.sqrt(max(0.0, 1 - along ** 2)) * 1e-6, ROUND_CA)
    force = _point_wind(frame, z, epa, speed)
    return {g.mast_node: force / 2, g.anchor_node: force / 2}


def _height_m(frame: Frame) -> float:
    return max(z for _, _, z in frame.nodes.values()) / 1000.0


def _point_wind(frame: Frame, z_mm: float, epa_m2: float, speed: float) -> float:
    w = frame.wind
    z_m = z_mm / 1000.0
    q = velocity_pressure_pa(speed, z_m, w.exposure, kd=KD["lattice"],
                             kzt_factor=kzt(z_m, w.exposure, w.topography, w.crest_height_m),
                             ground_elevation_m=w.ground_elevation_m)
    return wind_force_n(q, gust_factor(frame.structure, _height_m(frame)), epa_m2)


def frame_model(frame: Frame) -> tuple[Any, dict[str, float]]:
    """The PyNite model of the frame's members, sections, releases and supports, and the dead load per node
    [N] (member weight with the connection allowance, and the appurtenances)."""
    from Pynite import FEModel3D

    model = FEModel3D()
    for name, (x, y, z) in frame.nodes.items():
        model.add_node(name, x, y, z)
    if frame.alloy in STEELS:  # a reference steel frame (AISC 360-16 E; Poisson's ratio 0.3, §B)
        steel = STEELS[frame.alloy]
        density = steel.density_kg_m3 * 1e-9
        model.add_material("al", steel.e, steel.e / 2.6, 0.3, density)
    else:
        alloy = ALLOYS[frame.alloy]
        density = catalog.material("aluminium-6061").density_kg_m3 * 1e-9  # [kg/mm³]
        model.add_material("al", alloy.e, alloy.e / (2 * (1 + NU)), NU, density)
    for profile in sorted({m.profile for m in frame.members if m.role != "link"}):
        s = tube(profile)
        model.add_section(profile, s.area, s.i, s.i, s.j)
    model.add_section("plate-link", *LINK_SECTION)
    dead: dict[str, float] = {}
    for m in frame.members:
        model.add_member(m.name, m.i, m.j, "al", "plate-link" if m.role == "link" else m.profile)
        if m.pinned:  # bending released at each bolted end, torsion at one end of the tube (else it spins)
            free_i, free_j = m.i != m.continuous_at, m.j != m.continuous_at
            model.def_releases(m.name, Rxi=free_i, Ryi=free_i, Rzi=free_i, Ryj=free_j, Rzj=free_j)
        if m.role != "link":
            weight = tube(m.profile).area * _length(frame, m) * density * G * (1 + frame.connection_allowance)
            for n in (m.i, m.j):
                dead[n] = dead.get(n, 0.0) + weight / 2
    for a in frame.appurtenances:
        dead[a.node] = dead.get(a.node, 0.0) + a.weight_kg * G
    fixed = frame.support_fixity == "fixed"
    twist = fixed or frame.support_fixity == "pivot"
    for n in frame.supports:
        model.def_support(n, True, True, True, fixed, fixed, twist)
    add_guys(model, frame, dead)
    return model, dead


def add_guys(model: Any, frame: Frame, dead: dict[str, float]) -> None:
    """Each guy as a tension-only pin-ended bar from its mast node to its own anchor node, held in every direction.
    Its stiffness is the strand's Ernst equivalent modulus at the initial tension (``physics.guys``); the initial
    tension is put in as the turnbuckle puts it in, by taking up T0·L/(E·A) of the guy's length: the anchor node is
    moved that far along the guy, away from the mast (PyNite's enforced support displacement), so each guy starts
    at about T0 less what the mast's shortening gives back. The strand's weight goes half to each end node."""
    for g in frame.guys:
        a, b = frame.nodes[g.mast_node], frame.nodes[g.anchor_node]
        length = math.dist(a, b)
        span = math.hypot(b[0] - a[0], b[1] - a[1])
        e = equivalent_modulus_mpa(g.modulus, g.area, g.weight_n_per_mm, span, g.initial_tension_n)
        model.add_material(f"mat:{g.name}", e, e / 2.6, 0.3, 0.0)
        model.add_section(f"sec:{g.name}", g.area, 1.0, 1.0, 1.0)
        model.add_member(g.name, g.mast_node, g.anchor_node, f"mat:{g.name}", f"sec:{g.name}", tension_only=True)
        model.def_releases(g.name, Rxi=True, Ryi=True, Rzi=True, Ryj=True, Rzj=True)
        model.def_support(g.anchor_node, True, True, True, True, True, True)
        take_up = g.initial_tension_n * length / (e * g.area)
        for axis, u, v in zip(("DX", "DY", "DZ"), a, b):
            model.def_node_disp(g.anchor_node, axis, take_up * (v - u) / length)
        for n in (g.mast_node, g.anchor_node):
            dead[n] = dead.get(n, 0.0) + g.weight_n_per_mm * length / 2


def guy_tension_n(model: Any, name: str, combo: str) -> float:
    """A guy's tension [N] in a combination: 0 where the tension-only solve left it slack."""
    member = model.members[name]
    if not all(sub.active.get(combo, True) for sub in member.sub_members.values()):
        return 0.0
    return max(0.0, -float(member.max_axial(combo)))


def solve(frame: Frame) -> Solved:
    """Build the PyNite model from the frame, apply D and W per direction, and solve every combination."""
    model, dead = frame_model(frame)
    for n, w in sorted(dead.items()):
        model.add_node_load(n, "FZ", -w, "D")
    strength, service, section_rows = [], [], []
    top = max(s.z_top for s in frame.sections)
    mast_nodes = sorted((n for n in frame.nodes if n.startswith("MAST@") and frame.nodes[n][2] > top),
                        key=lambda n: frame.nodes[n][2])
    mast = next((m for m in frame.members if m.role == "mast"), None)
    iced = frame.wind.ice_thickness_mm > 0
    if iced:
        for n, w in sorted(ice_dead_loads(frame).items()):
            model.add_node_load(n, "FZ", -w, "Di")
    for direction in frame.wind.directions_deg:
        ux, uy = wind_direction_xy(direction)
        cases = [(f"W{direction:g}", frame.wind.speed_m_s), (f"Ws{direction:g}", frame.wind.service_speed_m_s)]
        if iced:
            cases.append((f"Wi{direction:g}", frame.wind.ice_speed_m_s))
        for case, speed in cases:
            ice = case.startswith("Wi")
            loads: dict[str, float] = {}
            for sec in frame.sections:
                force, epa = _section_wind(frame, sec, direction, speed, ice)
                nodes = sorted({n for m in frame.members if m.section == sec.index and m.role == "leg"
                                for n in (m.i, m.j) if sec.z_bottom < frame.nodes[n][2] <= sec.z_top + 1e-6})
                for n in nodes:
                    loads[n] = loads.get(n, 0.0) + force / len(nodes)
                if case.startswith("W") and not case.startswith("Ws"):
                    section_rows.append({"direction_deg": direction, "section": sec.index,
                                         "z_mid_m": round((sec.z_top + sec.z_bottom) / 2000, 3),
                                         "epa_m2": round(epa, 4), "force_n": round(force, 1)})
            if mast is not None and mast_nodes:
                od = tube(mast.profile).od
                prev = top
                if ice:  # the pipe's iced width at its mid height (TIA-222-H §2.6.11.2)
                    od += 2 * _ice_mm(frame, (top + frame.nodes[mast_nodes[-1]][2]) / 2000.0)
                for n in mast_nodes:  # each mast node takes the pipe's area from the node below to it
                    z = frame.nodes[n][2]
                    epa = appurtenance_epa_m2((z - prev) * od * 1e-6, ROUND_CA)
                    loads[n] = loads.get(n, 0.0) + _point_wind(frame, (z + prev) / 2, epa, speed)
                    prev = z
            for a in frame.appurtenances:
                loads[a.node] = loads.get(a.node, 0.0) + _point_wind(frame, frame.nodes[a.node][2], a.epa_m2, speed)
            for g in frame.guys:
                for n, f in guy_wind(frame, g, (ux, uy), speed, ice).items():
                    loads[n] = loads.get(n, 0.0) + f
            for n, f in sorted(loads.items()):
                model.add_node_load(n, "FX", f * ux, case)
                model.add_node_load(n, "FY", f * uy, case)
        for name, factors in ((f"1.2D+1.0W{direction:g}", {"D": 1.2, f"W{direction:g}": 1.0}),
                              (f"0.9D+1.0W{direction:g}", {"D": 0.9, f"W{direction:g}": 1.0})):
            model.add_load_combo(name, factors, ["strength"])
            strength.append(name)
        if iced:  # TIA-222-H §2.3.2: 1.2D + 1.0Di + 1.0Wi
            name = f"1.2D+1.0Di+1.0Wi{direction:g}"
            model.add_load_combo(name, {"D": 1.2, "Di": 1.0, f"Wi{direction:g}": 1.0}, ["strength"])
            strength.append(name)
        model.add_load_combo(f"D+Ws{direction:g}", {"D": 1.0, f"Ws{direction:g}": 1.0}, ["service"])
        service.append(f"D+Ws{direction:g}")
    if frame.guys:  # no load: the guys' initial tension as the turnbuckles set it, less the mast's give
        model.add_load_combo(INITIAL, {"D": 0.0}, ["initial"])
    # SciPy's sparse LU raises a MatrixRankWarning on this frame (slender pinned braces beside stiff plate links
    # make it ill-conditioned) and PyNite's stability check then aborts, yet the displacements agree with the
    # dense LAPACK solve within 1e-7 mm (measured on the default 9-section tower). So: solve sparse without that
    # check, and prove equilibrium ourselves (reactions balance the applied loads in every combination).
    if frame.guys:  # tension-only guys: PyNite iterates each combination, dropping the slack ones
        model.analyze(check_statics=False, check_stability=False, sparse=True)
    else:
        model.analyze_linear(check_statics=False, check_stability=False, sparse=True)
    check_equilibrium(model, strength + service)
    return Solved(model, frame, strength, service, section_rows)


def check_equilibrium(model: Any, combos: list[str], tolerance: float = 1e-6) -> None:
    """Raise if, in any combination, the support reactions do not balance the applied nodal loads (ΣF = 0 each
    way, relative to the largest load), or a displacement is not finite."""
    for combo in combos:
        factors = model.load_combos[combo].factors
        for axis in ("X", "Y", "Z"):
            applied = sum(factors.get(case, 0.0) * load
                          for node in model.nodes.values() for d, load, case in node.NodeLoads if d == f"F{axis}")
            reaction = sum(float(getattr(node, f"RxnF{axis}")[combo]) for node in model.nodes.values())
            scale = max(1.0, sum(abs(load) for node in model.nodes.values() for _, load, _ in node.NodeLoads))
            if abs(applied + reaction) > tolerance * scale:
                raise RuntimeError(f"frame solve out of equilibrium in {combo} along {axis}: "
                                   f"loads {applied:.3f} N, reactions {reaction:.3f} N")
        if not all(math.isfinite(float(n.DX[combo])) for n in model.nodes.values()):
            raise RuntimeError(f"frame solve gave non-finite displacements in {combo}")


def member_checks(solved: Solved) -> list[dict[str, Any]]:
    """Per member, the worst strength combination: axial force (+ tension), resultant end moment, the ADM
    utilisation and its governing mode."""
    frame, model = solved.frame, solved.model
    steel = STEELS.get(frame.alloy)
    alloy = None if steel else ALLOYS[frame.alloy]
    rows = []
    for m in frame.members:
        if m.role == "link":
            continue
        fe = model.members[m.name]
        length = fe.L()
        section = tube(m.profile)
        worst: dict[str, Any] | None = None
        for combo in solved.strength:
            # local end forces [N, N·mm]: 0 axial at i (compression +, as PyNite's axial()), 6 at j; 4/5 My/Mz
            # at i, 10/11 at j. Loads act at nodes only, so the moment is linear and peaks at an end.
            f = fe.f(combo).ravel()
            tension = -float(f[0] - f[6]) / 2
            moment = 0.0 if m.pinned else float(max(math.hypot(f[4], f[5]), math.hypot(f[10], f[11])))
            u = (steel_utilisation(steel, section, length, tension, moment) if steel  # K = 1 between panel points
                 else member_utilisation(alloy, section, length, tension, moment))
            if worst is None or u["utilisation"] > worst["utilisation"]:
                worst = {**u, "combo": combo, "axial_n": tension, "moment_nmm": moment}
        assert worst is not None
        rows.append({"member": m.name, "role": m.role, "section": m.section, "part": m.part, "profile": m.profile,
                     "length_mm": round(length, 1), "combo": worst["combo"], "axial_n": round(worst["axial_n"], 1),
                     "moment_nmm": round(worst["moment_nmm"], 1), "slenderness": round(worst["slenderness"], 1),
                     "mode": worst["mode"], "utilisation": round(float(worst["utilisation"]), 4),
                     "ok": bool(worst["utilisation"] <= 1.0)})
    return rows


def _axial_range(solved: Solved, name: str) -> tuple[float, float]:
    """(largest tension, largest compression) [N, both ≥ 0] of a member over the strength combinations."""
    fe = solved.model.members[name]
    values = [-float(fe.f(c).ravel()[0] - fe.f(c).ravel()[6]) / 2 for c in solved.strength]
    return max(0.0, max(values)), max(0.0, -min(values))


def connection_checks(solved: Solved) -> list[dict[str, Any]]:
    """Bolted joints (``physics.connections``): each leg splice (``splice_bolts`` bolts in double shear through
    both leg walls and the two splice plates; the leg's net section across a bolt in tension) and each brace
    end (one bolt in single shear through the tab and both brace walls)."""
    frame = solved.frame
    if not frame.splice_bolts:
        return []
    alloy = ALLOYS[frame.alloy]
    d, hole, tab = frame.bolt_diameter, frame.bolt_hole, frame.tab_thickness
    rows = []
    top = max(s.index for s in frame.sections)
    for m in frame.members:
        if m.role == "leg" and m.section < top and frame.nodes[m.j][2] >= frame.sections[m.section - 1].z_top - 1e-6:
            leg = tube(m.profile)
            per_bolt = min(bolt_shear_n(d, 2), 2 * bearing_n(alloy.ftu, d, leg.wall), 2 * bearing_n(alloy.ftu, d, tab))
            tension, compression = _axial_range(solved, m.name)
            joint = frame.splice_bolts * per_bolt
            rupture = net_rupture_n(alloy.ftu, leg.area, hole, leg.wall, 2)
            u = max(max(tension, compression) / joint, tension / rupture)
            rows.append({"joint": f"splice above {m.name}", "force_n": round(max(tension, compression), 1),
                         "capacity_n": round(min(joint, rupture) if tension >= compression else joint, 1),
                         "utilisation": round(u, 4), "ok": bool(u <= 1.0)})
        elif m.role in ("diagonal", "horizontal") and not m.continuous_at:
            brace = tube(m.profile)
            per_bolt = min(bolt_shear_n(d, 1), 2 * bearing_n(alloy.ftu, d, brace.wall), bearing_n(alloy.ftu, d, tab))
            tension, compression = _axial_range(solved, m.name)
            force = max(tension, compression)
            rows.append({"joint": f"ends of {m.name}", "force_n": round(force, 1), "capacity_n": round(per_bolt, 1),
                         "utilisation": round(force / per_bolt, 4), "ok": bool(force <= per_bolt)})
    return rows


def dish_aim(solved: Solved) -> list[dict[str, Any]]:
    """Sway (tilt about a horizontal axis) and twist (about the vertical) of each dish's node under the service
    combinations, against half the dish's beamwidth (TIA-222-H Annex D)."""
    rows = []
    for a in solved.frame.appurtenances:
        if not a.beamwidth_deg:
            continue
        node = solved.model.nodes[a.node]
        sway = max(math.degrees(math.hypot(float(node.RX[c]), float(node.RY[c]))) for c in solved.service)
        twist = max(abs(math.degrees(float(node.RZ[c]))) for c in solved.service)
        limit = a.beamwidth_deg / 2
        rows.append({"appurtenance": a.name, "node": a.node, "sway_deg": round(sway, 4), "twist_deg": round(twist, 4),
                     "limit_deg": limit, "ok": bool(max(sway, twist) <= limit)})
    return rows


def guy_checks(solved: Solved) -> list[dict[str, Any]]:
    """Per guy: its initial tension as solved (no load), its largest factored tension against φ·Tb
    (``physics.guys``), and the least tension under the service wind (0 = it went slack)."""
    model = solved.model
    rows = []
    for g in solved.frame.guys:
        worst = max(solved.strength, key=lambda c: guy_tension_n(model, g.name, c))
        tension = guy_tension_n(model, g.name, worst)
        strength = guy_design_strength_n(g.breaking_n)
        rows.append({"guy": g.name, "strand": g.strand, "length_mm": round(model.members[g.name].L(), 1),
                     "initial_tension_n": round(guy_tension_n(model, g.name, INITIAL), 1),
                     "combo": worst, "tension_n": round(tension, 1),
                     "min_service_tension_n": round(min(guy_tension_n(model, g.name, c) for c in solved.service), 1),
                     "design_strength_n": round(strength, 1), "utilisation": round(tension / strength, 4),
                     "ok": bool(tension <= strength)})
    return rows


def anchor_checks(solved: Solved) -> list[dict[str, Any]]:
    """Per anchor (the guys' anchor nodes at one spot): the largest factored uplift and horizontal pull [N] and
    the concrete deadman whose weight holds the uplift (``physics.guys``)."""
    frame, model = solved.frame, solved.model
    spots: dict[float, list[str]] = {}  # anchor nodes by their bearing from the tower's axis [°]
    for g in frame.guys:
        x, y, _ = frame.nodes[g.anchor_node]
        spots.setdefault(round(math.degrees(math.atan2(y, x)) % 360.0, 1), []).append(g.anchor_node)
    rows = []
    for k, (bearing, nodes) in enumerate(sorted(spots.items())):
        uplift = max(-sum(float(model.nodes[n].RxnFZ[c]) for n in nodes) for c in solved.strength)
        pull = max(math.hypot(sum(float(model.nodes[n].RxnFX[c]) for n in nodes),
                              sum(float(model.nodes[n].RxnFY[c]) for n in nodes)) for c in solved.strength)
        rows.append({"anchor": f"anchor-{k + 1}", "bearing_deg": bearing, "guys": len(nodes),
                     "uplift_n": round(uplift, 1), "horizontal_n": round(pull, 1),
                     "deadman_m3": round(deadman_volume_m3(uplift / 1000.0), 3)})
    return rows


def base_reactions(solved: Solved) -> list[dict[str, Any]]:
    rows = []
    for n in solved.frame.supports:
        node = solved.model.nodes[n]
        for combo in solved.strength:
            rows.append({"support": n, "combo": combo, "fz_n": round(float(node.RxnFZ[combo]), 1),
                         "shear_n": round(math.hypot(float(node.RxnFX[combo]), float(node.RxnFY[combo])), 1)})
    return rows


def foundation(solved: Solved) -> dict[str, Any] | None:
    """The square pad under the tower (``physics.foundation``) from the factored base reactions of every
    strength combination: N = ΣFz, M about the pad's centre, H = the resultant shear."""
    frame = solved.frame
    if frame.soil_bearing_kpa <= 0:
        return None
    cases = []
    for combo in solved.strength:
        nodes = [(frame.nodes[n], solved.model.nodes[n]) for n in frame.supports]
        fz = [(xyz, float(node.RxnFZ[combo])) for xyz, node in nodes]
        axial = sum(f for _, f in fz) / 1000
        mx = sum(xyz[1] / 1000 * f for xyz, f in fz) / 1000
        my = sum(xyz[0] / 1000 * f for xyz, f in fz) / 1000
        shear = math.hypot(sum(float(n.RxnFX[combo]) for _, n in nodes),
                           sum(float(n.RxnFY[combo]) for _, n in nodes)) / 1000
        cases.append((axial, math.hypot(mx, my), shear, 1.2 if combo.startswith("1.2D") else 0.9))
    pad = size_pad(cases, frame.pad_thickness / 1000, frame.soil_bearing_kpa)
    cost = pad["concrete_m3"] * catalog.item(PAD_CONCRETE_ID).unit_cost + pad["steel_kg"] * catalog.item(
        PAD_STEEL_ID).unit_cost
    return {**pad, "cost_usd": round(cost, 2), "max_moment_knm": round(max(c[1] for c in cases), 2), "max_shear_kn": round(max(c[2] for c in cases), 2)}


def utilisation_figure(frame: Frame, rows: list[dict[str, Any]]) -> str:
    """The tower in elevation (looking along +y) and in the orthogonal view, members coloured by utilisation."""
    import matplotlib
    from matplotlib.collections import LineCollection

    from osehw.core.figures import figure, svg_text

    util = {r["member"]: r["utilisation"] for r in rows}
    cmap = matplotlib.colormaps["RdYlGn_r"]
    norm = matplotlib.colors.Normalize(0.0, 1.2)
    members = [m for m in frame.members if m.name in util]
    height = _height_m(frame)
    with figure(5.0, 6.0) as (fig, ax):
        width = max(abs(c) for x, y, _ in frame.nodes.values() for c in (x, y)) / 1000
        offset = 3 * width + 0.5
        for k, (axis, shift) in enumerate(((0, 0.0), (1, offset))):
            segs = [[(frame.nodes[m.i][axis] / 1000 + shift, frame.nodes[m.i][2] / 1000),
                     (frame.nodes[m.j][axis] / 1000 + shift, frame.nodes[m.j][2] / 1000)] for m in members]
            lc = LineCollection(segs, colors=[cmap(norm(util[m.name])) for m in members],
                                linewidths=[1.6 if m.role in ("leg", "mast") else 0.8 for m in members])
            ax.add_collection(lc)
            ax.text(shift, -0.06 * height, "view along y" if k == 0 else "view along x", ha="center", fontsize=7)
        worst = max(rows, key=lambda r: r["utilisation"])
        ax.set_xlim(-2 * width, offset + 2 * width)
        ax.set_ylim(-0.1 * height, 1.03 * height)
        ax.set_xticks([])
        ax.set_xlabel("widths stretched for legibility")
        ax.set_ylabel("height [m]")
        ax.set_title(f"Member utilisation (ADM, LRFD): highest {worst['utilisation']:.2f} in {worst['member']}",
                     fontsize=8)
        fig.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, label="utilisation",
                     shrink=0.8)
        return svg_text(fig)


@register("structure", applies=lambda design: design.frame is not None)
def structure(inputs: Inputs) -> AnalysisResult:
    frame: Frame = inputs.design.frame
    solved = solve(frame)
    rows = member_checks(solved)
    aim = dish_aim(solved)
    joints = connection_checks(solved)
    reactions = base_reactions(solved)
    worst = max(rows, key=lambda r: r["utilisation"])
    failing = sorted((r for r in rows if not r["ok"]), key=lambda r: -r["utilisation"])
    subject = inputs.design.name
    findings = []
    for r in failing:
        findings.append(Finding("STRUCT_MEMBER_FAILS", "error", f"{subject}/{r['member']}",
                                f"{r['member']} ({r['profile']}) fails by {100 * (r['utilisation'] - 1):.0f} %: "
                                f"{r['mode']}, utilisation {r['utilisation']:.2f} under {r['combo']} "
                                f"(axial {r['axial_n'] / 1000:.1f} kN, λ = {r['slenderness']:.0f})"))
    if not failing:
        findings.append(Finding("STRUCT_OK", "info", subject,
                                f"every member holds: highest utilisation {worst['utilisation']:.2f} in "
                                f"{worst['member']} ({worst['mode']}, {worst['combo']})"))
    for j in sorted((j for j in joints if not j["ok"]), key=lambda j: -j["utilisation"]):
        findings.append(Finding("STRUCT_CONNECTION_FAILS", "error", f"{subject}/{j['joint']}",
                                f"{j['joint']}: {j['force_n'] / 1000:.1f} kN on bolts good for "
                                f"{j['capacity_n'] / 1000:.1f} kN (fails by {100 * (j['utilisation'] - 1):.0f} %)"))
    for a in aim:
        if not a["ok"]:
            findings.append(Finding("STRUCT_DISH_AIM", "error", f"{subject}/{a['appurtenance']}",
                                    f"{a['appurtenance']} turns {max(a['sway_deg'], a['twist_deg']):.2f}° in the "
                                    f"service wind, more than half its beamwidth ({a['limit_deg']:g}°)"))
    uplift = min(r["fz_n"] for r in reactions)
    pad = foundation(solved)
    summary = {"members": len(rows), "max_utilisation": worst["utilisation"], "governing_member": worst["member"],
               "governing_mode": worst["mode"], "failing_members": len(failing),
               "max_compression_reaction_n": max(r["fz_n"] for r in reactions),
               "max_uplift_n": round(max(0.0, -uplift), 1),
               "max_base_shear_n": max(r["shear_n"] for r in reactions),
               "max_dish_rotation_deg": max((max(a["sway_deg"], a["twist_deg"]) for a in aim), default=0.0)}
    summary["max_connection_utilisation"] = max((j["utilisation"] for j in joints), default=0.0)
    tables = {"members": rows, "connections": joints, "dish-aim": aim, "base-reactions": reactions, "section-wind": solved.section_forces}
    if frame.guys:
        guys, anchors = guy_checks(solved), anchor_checks(solved)
        for g in sorted((g for g in guys if not g["ok"]), key=lambda g: -g["utilisation"]):
            findings.append(Finding("STRUCT_GUY_FAILS", "error", f"{subject}/{g['guy']}",
                                    f"{g['guy']} ({g['strand']}) pulls {g['tension_n'] / 1000:.1f} kN under "
                                    f"{g['combo']}, more than 0.6 × its breaking strength "
                                    f"({g['design_strength_n'] / 1000:.1f} kN)"))
        summary.update({"max_guy_utilisation": max(g["utilisation"] for g in guys),
                        "max_guy_tension_n": max(g["tension_n"] for g in guys),
                        "max_anchor_uplift_n": max(a["uplift_n"] for a in anchors),
                        "max_deadman_m3": max(a["deadman_m3"] for a in anchors)})
        tables.update({"guys": guys, "anchors": anchors})
    if pad is not None:
        summary.update({f"pad_{k}": round(v, 3) for k, v in pad.items()})
        tables["foundation"] = [{k: round(v, 3) for k, v in pad.items()}]
    return AnalysisResult("structure", tuple(findings), summary, tables,
                          {"utilisation": utilisation_figure(frame, rows)}, pad_items(pad))


def pad_items(pad: dict[str, Any] | None) -> tuple[PurchasedItem, ...]:
    """The pad's concrete [m³] and minimum steel [kg] as items to buy (none when no pad was sized)."""
    if pad is None:
        return ()
    size = f"{pad['side_m']:g} m square, {pad['thickness_m']:g} m thick"
    return (PurchasedItem(PAD_CONCRETE_ID, pad["concrete_m3"], f"foundation pad {size}"),
            PurchasedItem(PAD_STEEL_ID, pad["steel_kg"], "pad reinforcement, 0.0018 each way (ACI 318-19 §24.4.3.2)"))
