import math

import pytest

from osehw import catalog
from osehw.analyses import Inputs
from osehw.analyses.structure import (
    check_equilibrium,
    frame_model,
    member_checks,
    solve,
    structure,
    tube,
    wind_direction_xy,
)
from osehw.core.frame import Frame, FrameMember, WindCase
from osehw.designs import load_all
from osehw.physics.aluminium import ALLOYS
from osehw.physics.wind import force_coefficient, round_member_factor

E = ALLOYS["6061-T6"].e
WIND = WindCase(40.0, 20.0, "C")


@pytest.fixture(scope="module")
def tower_type():
    return load_all().get("tower")


@pytest.fixture(scope="module")
def default_tower(tower_type):
    return tower_type.build(tower_type.schema())


@pytest.fixture(scope="module")
def default_result(default_tower):
    return structure(Inputs(default_tower))


@pytest.fixture(scope="module")
def weak_result(tower_type):
    # thin legs in a high wind: 1.5 in × 1/8 in legs, 60 m/s (134 mph)
    weak = tower_type.build(tower_type.schema(leg_profile="tube-6061-38.1x3.175", wind_speed_m_s=60.0))
    return weak, structure(Inputs(weak))


def test_cantilever_tip_deflection_is_pl3_over_3ei():
    # a 2 m horizontal 2 in × 1/4 in tube, fixed at one end, 500 N down at the tip: δ = PL³/3EI
    profile = "tube-6061-50.8x6.35"
    frame = Frame(nodes={"a": (0.0, 0.0, 0.0), "b": (2000.0, 0.0, 0.0)},
                  members=[FrameMember("m", "a", "b", profile, "leg")], supports=["a"], alloy="6061-T6", wind=WIND,
                  support_fixity="fixed")
    model, _ = frame_model(frame)
    model.add_node_load("b", "FZ", -500.0, "P")
    model.add_load_combo("P", {"P": 1.0})
    model.analyze_linear(check_statics=False, sparse=True)
    i = math.pi / 64 * (50.8 ** 4 - 38.1 ** 4)
    assert tube(profile).i == pytest.approx(i)
    assert model.nodes["b"].DZ["P"] == pytest.approx(-500.0 * 2000.0 ** 3 / (3 * E * i), rel=1e-6)
    check_equilibrium(model, ["P"])


def test_two_bar_truss_forces_and_signs():
    # apex 1 m above two supports 2 m apart; 10 kN down: each bar carries P / (2·sin 45°) = 7.07 kN compression
    profile = "tube-6061-25.4x3.175"
    nodes = {"l": (-1000.0, 0.0, 0.0), "r": (1000.0, 0.0, 0.0), "top": (0.0, 0.0, 1000.0)}
    members = [FrameMember("left", "l", "top", profile, "diagonal", pinned=True),
               FrameMember("right", "r", "top", profile, "diagonal", pinned=True)]
    # the bars' ends are released, so holding the end nodes' rotations changes nothing but the matrix's rank
    frame = Frame(nodes=nodes, members=members, supports=["l", "r"], alloy="6061-T6", wind=WIND,
                  support_fixity="fixed")
    model, _ = frame_model(frame)
    model.def_support("top", False, True, False, True, True, True)  # the truss's plane: no out-of-plane sway
    model.add_node_load("top", "FZ", -10_000.0, "P")
    model.add_load_combo("P", {"P": 1.0})
    model.analyze_linear(check_statics=False, sparse=True)
    bar = 10_000.0 / (2 * math.sin(math.radians(45)))
    for name in ("left", "right"):
        assert model.members[name].axial(10.0, "P") == pytest.approx(bar, rel=1e-6)  # PyNite: compression +
    # the apex sinks by the bars' shortening: δ = N·L/(E·A) / sin 45°
    area = tube(profile).area
    assert -model.nodes["top"].DZ["P"] == pytest.approx(bar * math.sqrt(2) * 1000 / (E * area) / math.sin(
        math.radians(45)), rel=1e-6)


def test_equilibrium_check_catches_a_wrong_reaction():
    frame = Frame(nodes={"a": (0.0, 0.0, 0.0), "b": (1000.0, 0.0, 0.0)},
                  members=[FrameMember("m", "a", "b", "tube-6061-50.8x6.35", "leg")], supports=["a"],
                  alloy="6061-T6", wind=WIND, support_fixity="fixed")
    model, _ = frame_model(frame)
    model.add_node_load("b", "FZ", -100.0, "P")
    model.add_load_combo("P", {"P": 1.0})
    model.analyze_linear(check_statics=False, sparse=True)
    check_equilibrium(model, ["P"])
    model.nodes["a"].RxnFZ["P"] = 50.0  # half the true reaction
    with pytest.raises(RuntimeError, match="out of equilibrium"):
        check_equilibrium(model, ["P"])


def test_section_wind_by_hand(default_tower, default_result):
    # section 1 at 0°: two legs and face 0's four diagonals projected on the face (TIA-222-H 2.6.11.2)
    frame = default_tower.frame
    sec = frame.sections[0]
    legs = [m for m in frame.members if m.section == 1 and m.role == "leg" and m.i.startswith(("L0@", "L1@"))]
    diags = [m for m in frame.members if m.section == 1 and m.face == 0]
    length = lambda m: math.dist(frame.nodes[m.i], frame.nodes[m.j])  # noqa: E731
    area = (sum(map(length, legs)) * 50.8 + sum(map(length, diags)) * 38.1) * 1e-6
    gross = sec.face_width * 3048 * 1e-6
    eps = area / gross
    epa = force_coefficient(eps) * area * round_member_factor(eps)
    # qz at 1.52 m, exposure C: Kz = Kz,min = 0.85; Kd 0.85; V = 51.4 m/s; Gh = 0.85 (under 450 ft)
    force = 0.613 * 0.85 * 0.85 * 51.4 ** 2 * 0.85 * epa
    row = next(r for r in default_result.tables["section-wind"] if r["section"] == 1 and r["direction_deg"] == 0)
    assert row["epa_m2"] == pytest.approx(epa, rel=1e-3)
    assert row["force_n"] == pytest.approx(force, rel=1e-3)
    assert 0.05 < eps < 0.2  # an open lattice


def test_leeward_leg_takes_the_overturning_moment(default_tower):
    # wind at 0° blows from face 0 toward leg 2, which stands R = w/√3 downwind of the axis: the legs share
    # the moment as F2 = M / (1.5·R), legs 0 and 1 −F2/2 each (statics of a triangle), plus a third of the
    # dead load each
    frame = default_tower.frame
    solved = solve(frame)
    model = solved.model
    ux, uy = wind_direction_xy(0.0)
    assert (ux, uy) == pytest.approx((math.cos(math.radians(330)), math.sin(math.radians(330))))
    moment = sum(load * frame.nodes[n][2] * (ux if d == "FX" else uy)
                 for n, node in model.nodes.items() for d, load, case in node.NodeLoads if case == "W0" and d != "FZ")
    dead = -sum(load for node in model.nodes.values() for d, load, case in node.NodeLoads if case == "D")
    w = 2000.0  # base face width [mm] (designs/tower.yaml default)
    leeward = moment / (1.5 * w / math.sqrt(3)) + 1.2 * dead / 3
    reaction = model.nodes["L2@0.0"].RxnFZ["1.2D+1.0W0"]
    assert reaction == pytest.approx(leeward, rel=0.03)  # the braces' share and the leg slope make the rest


def test_default_tower_passes_with_every_member_checked(default_tower, default_result):
    r = default_result
    assert r.summary["failing_members"] == 0
    assert 0.7 < r.summary["max_utilisation"] <= 1.0
    assert r.summary["governing_member"].startswith("S1-leg")
    assert len(r.tables["members"]) == len([m for m in default_tower.frame.members if m.role != "link"])
    assert [f.code for f in r.findings] == ["STRUCT_OK"]
    # the dishes hold their aim: sway under the 60 mph service wind below half of 3°
    assert all(0 < a["sway_deg"] <= 1.5 for a in r.tables["dish-aim"])
    assert r.figures["utilisation"].startswith("<?xml")
    assert 'S1-leg' in r.figures["utilisation"]


def test_weakened_tower_fails_at_the_leeward_base_leg(weak_result):
    weak, r = weak_result
    worst = max(r.tables["members"], key=lambda row: row["utilisation"])
    # by hand: the bottom panel of the leeward leg carries the largest compression; its ADM capacity at
    # λ = 609.6/r with r = 12.4 mm (1.5 in × 1/8 in) is well under the demand
    assert worst["member"].startswith("S1-leg")
    assert worst["mode"].startswith("column buckling")
    assert worst["utilisation"] > 1.2
    assert r.summary["failing_members"] > 0
    errors = [f for f in r.findings if f.code == "STRUCT_MEMBER_FAILS"]
    first = errors[0]
    assert worst["member"] in first.subject
    assert f"fails by {100 * (worst['utilisation'] - 1):.0f} %" in first.message
    profile = catalog.stock_profile("tube-6061-38.1x3.175")
    assert profile.size_a == 38.1 and any(m.profile == profile.id for m in weak.frame.members)


def test_member_rows_use_the_worst_combination(default_tower, default_result):
    rows = {r["member"]: r for r in default_result.tables["members"]}
    leg = rows[max(rows, key=lambda k: rows[k]["utilisation"])]
    assert leg["combo"].startswith(("1.2D", "0.9D"))
    assert leg["axial_n"] < 0  # the governing leg is in compression
    assert all(r["moment_nmm"] == 0.0 for r in rows.values() if r["role"] in ("diagonal", "horizontal"))
    # member_checks recomputed gives the same rows (deterministic)
    assert member_checks(solve(default_tower.frame)) == default_result.tables["members"]


def test_dead_load_matches_the_cut_list_mass(default_tower):
    # second method: the frame's dead load (member centre lines × section × density, +20 % for connections)
    # against what is bought: the cut list's and plates' metal (shorter braces, but tabs, splices and plates)
    # plus the bolt sets (an M10 × 80 bolt, nut and two washers weigh about 70 g)
    frame = default_tower.frame
    model, dead = frame_model(frame)
    dishes = sum(a.weight_kg for a in frame.appurtenances)
    frame_kg = sum(dead.values()) / 9.80665 - dishes
    metal_kg = default_tower.summary["metal_mass_kg"]
    bolts = next(i.quantity for i in default_tower.purchased if i.catalog_id == "bolt-m10x80-ss-set")
    assert frame_kg == pytest.approx(metal_kg + 0.070 * bolts, rel=0.05)
    assert 300 < metal_kg < 450  # a 27 m aluminium lattice with 2 in legs


def test_pad_moment_is_the_wind_overturning_moment(default_tower, default_result):
    # statics: the moment the base reactions put on the pad equals Σ (wind force × height) of the worst
    # direction (the dead load stands on the axis)
    model = solve(default_tower.frame).model
    nodes = default_tower.frame.nodes
    moments = []
    for d in (0, 30, 60, 90):
        fx = sum(load * nodes[n][2] for n, node in model.nodes.items() for dd, load, c in node.NodeLoads
                 if c == f"W{d}" and dd == "FX")
        fy = sum(load * nodes[n][2] for n, node in model.nodes.items() for dd, load, c in node.NodeLoads
                 if c == f"W{d}" and dd == "FY")
        moments.append(math.hypot(fx, fy) / 1e6)  # [kN·m]
    assert default_result.summary["pad_max_moment_knm"] == pytest.approx(max(moments), rel=0.01)
    assert default_result.summary["pad_overturning_ratio"] <= 1.0
    assert default_result.tables["foundation"][0]["cost_usd"] > 0


def test_splices_carry_the_leg_force_on_their_bolts(default_result):
    # five M10 bolts in double shear per leg end: 5 × 32.48 kN = 162.4 kN (bolt shear governs bearing, 49.9 kN)
    rows = default_result.tables["connections"]
    splices = [r for r in rows if r["joint"].startswith("splice")]
    assert len(splices) == 3 * 8
    compression = [r for r in splices if r["capacity_n"] == pytest.approx(162_400.0, abs=1)]
    assert compression  # the leeward legs at the joints
    assert max(r["utilisation"] for r in rows) == default_result.summary["max_connection_utilisation"] <= 1.0
    braces = [r for r in rows if r["joint"].startswith("ends of")]
    assert all(r["capacity_n"] == pytest.approx(16_240.0) for r in braces)  # single shear governs


def test_ice_weight_on_a_vertical_tube_by_hand():
    # one 2 in × 1/4 in tube standing 10 m; 0.5 in map ice; tiz at its 5 m mid height:
    # Kiz = (5/10.058)^0.1 = 0.9325 → tiz = 2·12.7·0.9325 = 23.69 mm; ice π·t·(D + t) at 897 kg/m³ over 10 m,
    # plus the 20 % connection allowance
    from osehw.analyses.structure import ice_dead_loads

    wind = WindCase(40.0, 20.0, "C", ice_thickness_mm=12.7, ice_speed_m_s=13.4)
    frame = Frame(nodes={"a": (0.0, 0.0, 0.0), "b": (0.0, 0.0, 10000.0)},
                  members=[FrameMember("m", "a", "b", "tube-6061-50.8x6.35", "leg")], supports=["a"],
                  alloy="6061-T6", wind=wind)
    t = 2 * 12.7 * (5.0 / 10.0584) ** 0.1
    assert t == pytest.approx(23.69, abs=0.01)
    weight = math.pi * t * (50.8 + t) * 1e-6 * 10.0 * 897.0 * 9.80665 * 1.2
    loads = ice_dead_loads(frame)
    assert loads["a"] == pytest.approx(weight / 2, rel=1e-9) and loads["b"] == pytest.approx(weight / 2, rel=1e-9)


@pytest.fixture(scope="module")
def iced_result(tower_type):
    # 3 sections, 1 in map ice with a 40 mph ice wind
    iced = tower_type.build(tower_type.schema(sections=3, ice_thickness=25.4, ice_wind_m_s=17.9))
    return iced, solve(iced.frame)


def test_iced_combination_adds_the_ice_weight_and_the_wider_wind(iced_result):
    from osehw.analyses.structure import ice_dead_loads

    tower, solved = iced_result
    frame = tower.frame
    model = solved.model
    assert "1.2D+1.0Di+1.0Wi0" in solved.strength
    reaction = lambda combo: sum(float(model.nodes[n].RxnFZ[combo]) for n in frame.supports)  # noqa: E731
    ice = sum(ice_dead_loads(frame).values())
    assert ice > 0
    # TIA-222-H 2.3.2: the iced combination carries 1.2D + 1.0Di, the plain one 1.2D
    assert reaction("1.2D+1.0Di+1.0Wi0") - reaction("1.2D+1.0W0") == pytest.approx(ice, rel=1e-6)
    # the wind on ice: section 1 with members widened by 2·tiz; solidity grows, so EPA per unit speed² grows
    from osehw.analyses.structure import _section_wind

    sec = frame.sections[0]
    bare = _section_wind(frame, sec, 0.0, 17.9)[1]
    iced = _section_wind(frame, sec, 0.0, 17.9, True)[1]
    t = 2 * 25.4 * (1.524 / 10.0584) ** 0.1  # tiz at the section's mid height, 1.52 m
    legs = [m for m in frame.members if m.section == 1 and m.role == "leg" and m.i.startswith(("L0@", "L1@"))]
    diags = [m for m in frame.members if m.section == 1 and m.face == 0]
    length = lambda m: math.dist(frame.nodes[m.i], frame.nodes[m.j])  # noqa: E731
    area = (sum(map(length, legs)) * (50.8 + 2 * t) + sum(map(length, diags)) * (38.1 + 2 * t)) * 1e-6
    eps = area / (sec.face_width * 3048 * 1e-6)
    assert iced == pytest.approx(force_coefficient(eps) * area * round_member_factor(eps), rel=1e-9)
    assert iced > 1.3 * bare


def _guyed_mast(initial_tension_n: float):
    # a 10 m mast of 2 in × 1/4 in tube on a pin (twist held), three 1/4 in EHS guys from its top to anchors 8 m
    # out at 90°, 210° and 330°; the strand taken weightless so its modulus is the steel's
    from osehw.core.frame import Guy

    nodes = {"base": (0.0, 0.0, 0.0), "top": (0.0, 0.0, 10000.0)}
    guys = []
    for k in range(3):
        a = math.radians(90 + 120 * k)
        nodes[f"A{k}"] = (8000.0 * math.cos(a), 8000.0 * math.sin(a), 0.0)
        guys.append(Guy(f"g{k}", "top", f"A{k}", "ehs-1-4", 22.66, 156900.0, 29581.0, 0.0, 6.35, initial_tension_n))
    return Frame(nodes=nodes, members=[FrameMember("mast", "base", "top", "tube-6061-50.8x6.35", "leg")],
                 supports=["base"], alloy="6061-T6", wind=WIND, support_fixity="pivot", guys=guys)


def test_guy_tension_by_statics_and_the_leeward_guy_goes_slack():
    from osehw.analyses.structure import guy_tension_n

    model, _ = frame_model(_guyed_mast(500.0))
    p = 2000.0  # N at the top toward +y, i.e. toward guy g0's anchor: g1 and g2 are windward
    model.add_node_load("top", "FY", p, "P")
    model.add_load_combo("P", {"P": 1.0})
    model.add_load_combo("0", {"P": 0.0})
    model.analyze(check_statics=False, check_stability=False, sparse=True)
    check_equilibrium(model, ["P", "0"])
    h, r = 10000.0, 8000.0
    length = math.hypot(h, r)
    # g0 slack: the top node's y balance is 2·T·(r/L)·sin 30° = P → T = P·L/r = 3,201.6 N each
    assert guy_tension_n(model, "g0", "P") == 0.0
    for g in ("g1", "g2"):
        assert guy_tension_n(model, g, "P") == pytest.approx(p * length / r, rel=1e-6)
    # the mast carries the two guys' vertical pull: 2·T·h/L = 2·P·h/r = 5 kN (compression, + in PyNite)
    assert model.members["mast"].max_axial("P") == pytest.approx(2 * p * h / r, rel=1e-6)
    # unloaded: each guy keeps T0 less what the mast's shortening u gives back, T = kg·δ / (1 + 3·kg·(h/L)²/km),
    # kg = E·A/L, δ = T0·L/(E·A) the turnbuckle's take-up, km = Em·Am/h
    kg = 156900.0 * 22.66 / length
    km = E * math.pi / 4 * (50.8 ** 2 - 38.1 ** 2) / h
    t = kg * (500.0 * length / (156900.0 * 22.66)) / (1 + 3 * kg * (h / length) ** 2 / km)
    for g in ("g0", "g1", "g2"):
        assert guy_tension_n(model, g, "0") == pytest.approx(t, rel=1e-6)
    assert 0.9 * 500.0 < t < 500.0  # the mast gives back 7.6 %


def test_a_larger_dish_mount_raises_the_base_moment_by_its_wind_times_height(default_tower):
    # the default tower's two RD-5G34 mounts against RD-5G30 mounts: the mast's dish node is on the axis, so the
    # extra weight adds no moment and the base moment grows by ΔF·h, ΔF = qz·Gh·ΔEPA (TIA-222-H 2.6.11) at the
    # dish node, Kd 0.85 as the structure's (Table 2-2), Gh 0.85 (a 28 m lattice, 2.6.7)
    from dataclasses import replace

    from osehw.designs import load_all
    from osehw.designs.antenna_mount import MountParams
    from osehw.designs.tower import dish_appurtenances

    frame = default_tower.frame
    (node,) = {a.node for a in frame.appurtenances}
    small = load_all().get("antenna-mount").build(MountParams(dish="rocketdish-5g30", count=2, height=28132.0))
    lighter = replace(frame, appurtenances=dish_appurtenances(small, node, 2, 5.0))

    def base_moment(f, combo="1.2D+1.0W0"):
        model = solve(f).model
        mx = sum(f.nodes[n][1] * float(model.nodes[n].RxnFZ[combo]) for n in f.supports)
        my = sum(f.nodes[n][0] * float(model.nodes[n].RxnFZ[combo]) for n in f.supports)
        return mx, my

    (ax, ay), (bx, by) = base_moment(frame), base_moment(lighter)
    h = 28132.0
    kz = 2.01 * (h / 1000 / 274) ** (2 / 9.5)
    q = 0.613 * kz * 0.85 * 51.4 ** 2
    d_epa = 2 * 1.5 * math.pi / 4 * (1.05 ** 2 - 0.65 ** 2)
    assert math.hypot(ax - bx, ay - by) == pytest.approx(q * 0.85 * d_epa * h, rel=1e-3)


def test_the_pad_is_bought(default_result):
    # the pad's concrete and minimum steel go to the bill as purchased items (the cost step adds them)
    pad = default_result.tables["foundation"][0]
    items = {i.catalog_id: i.quantity for i in default_result.purchased}
    assert items == {"concrete-ready-mix": pad["concrete_m3"], "rebar-grade60": pad["steel_kg"]}
    # ACI 318-19 §24.4.3.2: 0.0018 each way of B·t, at 7850 kg/m³
    side, t = pad["side_m"], pad["thickness_m"]
    assert items["concrete-ready-mix"] == pytest.approx(side * side * t, abs=1e-3)
    assert items["rebar-grade60"] == pytest.approx(2 * 0.0018 * side * t * side * 7850, abs=0.1)
