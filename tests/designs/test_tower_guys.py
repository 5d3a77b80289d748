import math

import pytest

from osehw import catalog
from osehw.analyses.structure import anchor_checks, guy_checks, guy_tension_n, solve
from osehw.core.params import ParamError, validate
from osehw.designs.tower_guys import ANCHOR_PITCH, CLIPS_PER_END, TERMINATION

SMALL = dict(sections=3, base_face_width=450.0, top_face_width=450.0, brace_profile="tube-6061-25.4x3.175",
             support="guyed", guy_levels=2, guy_radius=0.8, guy_strand="ehs-1-4", guy_tension_pct=10.0)


@pytest.fixture(scope="module")
def tower_type():
    from osehw.designs import load_all

    return load_all().get("tower")


@pytest.fixture(scope="module")
def guyed(tower_type):
    design = tower_type.build(tower_type.schema(**SMALL))
    return design, solve(design.frame)


def test_guy_levels_anchors_and_lengths_by_hand(guyed):
    design, _ = guyed
    frame = design.frame
    # 3 sections of 3,048 mm = 9,144 mm; 2 levels at 4,572 and 9,144 mm (panel points: 6 and 12 × 762 mm)
    assert design.summary["guy_levels_m"] == [4.572, 9.144]
    assert design.summary["guy_radius_m"] == pytest.approx(0.8 * 9.144, abs=1e-3)
    assert len(frame.guys) == 6 and frame.structure == "guyed"
    # leg 0 sits at r = 450/√3 = 259.81 mm on +y; its anchor 7,315.2 mm out on +y, the top level's one pitch further
    g1 = next(g for g in frame.guys if g.name == "guy-G1-leg0")
    g2 = next(g for g in frame.guys if g.name == "guy-G2-leg0")
    r_leg = 450 / math.sqrt(3)
    l1 = math.hypot(7315.2 - r_leg, 4572.0)
    l2 = math.hypot(7315.2 + ANCHOR_PITCH - r_leg, 9144.0)
    assert math.dist(frame.nodes[g1.mast_node], frame.nodes[g1.anchor_node]) == pytest.approx(l1, abs=0.01)
    assert math.dist(frame.nodes[g2.mast_node], frame.nodes[g2.anchor_node]) == pytest.approx(l2, abs=0.01)
    # 10 % of 1/4 in EHS (29,581 N)
    assert g1.initial_tension_n == pytest.approx(2958.1)
    # strand bought: 3 × (l1 + l2) plus 0.6 m per guy, rounded up to 0.1 m
    items = {i.catalog_id: i for i in design.purchased}
    assert items["ehs-1-4"].quantity == pytest.approx(math.ceil((3 * (l1 + l2) + 6 * TERMINATION) / 100) / 10)
    assert items["turnbuckle-1-2x9-je"].quantity == 6 and items["thimble-guy-1-4"].quantity == 12
    assert items["clip-guy-1-4"].quantity == 12 * CLIPS_PER_END and items["anchor-rod-guy-5-8"].quantity == 3
    for cid in ("ehs-1-4", "turnbuckle-1-2x9-je", "clip-guy-1-4", "anchor-rod-guy-5-8", "shackle-1-2-screwpin"):
        assert catalog.item(cid).source and catalog.item(cid).unit_cost > 0
    bracket = next(p for p in design.sheet_parts if p.name == "guy-bracket")
    assert bracket.quantity == 6 and bracket.material == "aluminium-6061"
    assert bracket.solid.Volume() == pytest.approx(
        (60 * 140 - math.pi / 4 * (2 * 11.0 ** 2 + 14.0 ** 2)) * bracket.thickness, rel=1e-3)


def test_leeward_guy_slackens_and_windward_guys_tighten(guyed):
    design, solved = guyed
    model = solved.model
    # wind at 0° travels toward 330° (from face 0 toward leg 2): leg 2's anchor is downwind, legs 0 and 1 upwind
    combo = "1.2D+1.0W0"
    rows = {r["guy"]: r for r in guy_checks(solved)}
    initial = rows["guy-G2-leg2"]["initial_tension_n"]
    assert 0.9 * 2958.1 < initial < 2958.1  # the mast's shortening gives a little back
    lee = guy_tension_n(model, "guy-G2-leg2", combo)
    wind = [guy_tension_n(model, f"guy-G2-leg{k}", combo) for k in (0, 1)]
    assert lee < initial < min(wind)
    assert wind[0] == pytest.approx(wind[1], rel=5e-3)  # symmetric about the wind but for the zig-zag bracing
    assert max(r["utilisation"] for r in rows.values()) == pytest.approx(
        max(r["tension_n"] for r in rows.values()) / (0.6 * 29581.0), rel=1e-3)


def test_anchor_uplift_is_the_guys_vertical_pull(guyed):
    design, solved = guyed
    frame, model = design.frame, solved.model
    # each anchor holds down the vertical components T·z/L of its guys, the worst strength combination
    for row in anchor_checks(solved):
        bearing = math.radians(row["bearing_deg"])
        mine = [g for g in frame.guys if abs(math.atan2(frame.nodes[g.anchor_node][1], frame.nodes[g.anchor_node][0])
                                             - math.atan2(math.sin(bearing), math.cos(bearing))) < 1e-6]
        assert len(mine) == 2 == row["guys"]
        hand = max(sum(guy_tension_n(model, g.name, c) * frame.nodes[g.mast_node][2]
                       / math.dist(frame.nodes[g.mast_node], frame.nodes[g.anchor_node]) for g in mine)
                   # the strand's own weight, half of it on the anchor, pushes down
                   - sum(g.weight_n_per_mm * math.dist(frame.nodes[g.mast_node], frame.nodes[g.anchor_node]) / 2
                         * (1.2 if c.startswith("1.2") else 0.9) for g in mine)
                   for c in solved.strength)
        assert row["uplift_n"] == pytest.approx(hand, rel=1e-3)
        assert row["deadman_m3"] == pytest.approx(hand / 1000 / (0.75 * 23.6), abs=1e-3)


def test_a_guyed_tower_keeps_one_face_width(tower_type):
    with pytest.raises(ParamError) as err:
        validate(tower_type.schema, {**SMALL, "top_face_width": 400.0}, "tower.yaml")
    assert "top_face_width" in "\n".join(err.value.lines()) and "one face width" in "\n".join(err.value.lines())
