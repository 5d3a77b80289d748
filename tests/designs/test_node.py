"""The node: loads passed between its children (pure, no build), and one small node built once (conftest)."""

import math

import pytest

from osehw import catalog
from osehw.analyses.cost import rollup, subtotals, total
from osehw.catalog import power
from osehw.core.params import ParamError, validate
from osehw.designs import load_all
from osehw.designs import node as nd

NODE = load_all().get("node")


def params(**fields):
    return validate(NODE.schema, fields, "test")


RELAY = dict(links=[{"name": "hop-1"}, {"name": "hop-2"}, {"name": "hop-3"},
                    {"name": "s1", "kind": "access", "radio": "ubnt-rocket-5ac-ptp"}])


def test_radios_watts_reach_the_power_system_through_the_poe_stage():
    p = params(**RELAY)
    ps = nd.power_params(p)
    # 3 × 25 W airFiber + 5.8 W Rocket through a 90 % PoE stage, plus the router 12 W, the switch 8 W, fuses 0.5 W
    expected = (3 * 25.0 + 5.8) / 0.9 + 12.0 + 8.0 + 0.5
    assert ps.extra_load_w == pytest.approx(expected, abs=1e-3) and ps.equipment == []


def test_enclosure_holds_a_surge_protector_per_radio_and_hangs_on_the_tower_leg():
    p = params(**RELAY)
    _, tower_p = nd.tower_params(p)
    enc = nd.enclosure_params(p, tower_p)
    assert sorted(enc.equipment) == sorted(list(p.cabinet) + ["surge-eth-poe"] * 4)
    assert enc.pole_diameter == catalog.stock_profile(tower_p.leg_profile).size_a
    assert enc.m20_glands == 4 + 2


def test_poe_loss_is_the_heat_the_box_gets():
    loads = nd.link_loads(params(**RELAY))
    assert loads[0].heat_w == pytest.approx(25.0 * (1 / 0.9 - 1), abs=1e-3)  # 2.778 W per airFiber
    assert sum(ld.electrical_w - ld.heat_w for ld in loads) == pytest.approx(3 * 25.0 + 5.8, abs=1e-3)


def test_the_tower_carries_one_dish_per_backhaul_link():
    _, tower_p = nd.tower_params(params(**RELAY))
    assert tower_p.dish_count == 3 and tower_p.dish == "rocketdish-5g34"


def test_refuses_mixed_dishes_and_unknown_radios():
    with pytest.raises(ParamError, match="one dish model"):
        params(links=[{"name": "a"}, {"name": "b", "dish": "rocketdish-5g30"}])
    with pytest.raises(ParamError, match="electrical load"):
        params(links=[{"name": "a", "radio": "no-such-radio"}])
    with pytest.raises(ParamError, match="own name"):
        params(links=[{"name": "a"}, {"name": "a"}])


def test_labour_hours_by_hand():
    p = params(**RELAY)
    hours = nd.hours_by_trade(p, sections=9)
    assert hours["labour-tower-crew"] == 8 + 6 * 9
    assert hours["labour-network-tech"] == 4 + 4 * 4


def test_built_node_passes_loads_between_its_children(small_node):
    p, node = small_node
    assert sorted(node.children) == ["enclosure", "labour", "power-system", "radios", "sector-mounts", "site-work",
                                     "tower"]
    enclosure = node.children["enclosure"]
    own = sum(catalog.equipment()[e].heat_w for e in nd.cabinet_equipment(p))
    poe = (2 * 25.0 + 5.8) * (1 / 0.9 - 1)
    assert enclosure.sealed_box.heat_w == pytest.approx(own + poe, abs=1e-3)
    box, mounts = node.node.carried
    assert box.height == p.enclosure_height and box.weight_kg == enclosure.loads[0].weight_kg
    assert mounts.height == pytest.approx(node.children["tower"].radio_link.antenna_height_m * 1000, abs=0.1)
    assert mounts.weight_kg == pytest.approx(p.sector_weight_kg + node.children["sector-mounts"].summary["plates_kg"],
                                             abs=1e-2)
    load = node.children["power-system"].power_system.load_w
    ctrl = node.children["power-system"].power_system.layout
    assert load == pytest.approx((2 * 25 + 5.8) / 0.9 + 20.5 + ctrl.controllers * ctrl.controller.self_consumption_w,
                                 abs=1e-3)


def test_bom_total_is_the_children_subtotals_plus_site_work(small_node):
    p, node = small_node
    rows = rollup(node)
    groups = subtotals(rows)
    assert {"tower", "enclosure", "power-system", "radios", "site-work", "labour", "sector-mounts"} <= set(groups)
    assert sum(groups.values()) == pytest.approx(total(rows), abs=0.01)
    items = catalog.items()
    height = node.children["tower"].radio_link.antenna_height_m
    site = sum(s.quantity * items[s.id].unit_cost for s in p.site_work)
    site += round(3 * (height + nd.CABLE_SPARE_M), 1) * items["cable-cat6-outdoor"].unit_cost
    assert groups["site-work"] == pytest.approx(site, abs=0.05)
    labour = sum(h * items[t].unit_cost for t, h in nd.hours_by_trade(p, node.node.sections).items())
    assert groups["labour"] == pytest.approx(labour, abs=0.05)
    assert groups["radios"] == pytest.approx(2 * items["ubnt-airfiber-5x"].unit_cost
                                             + items["ubnt-rocket-5ac-ptp"].unit_cost)
    assert math.isclose(power.electrical_loads()["ubnt-airfiber-5x"].average_w, 25.0)


def test_a_child_problem_is_named_under_the_child():
    with pytest.raises(ParamError) as exc:
        params(enclosure={"wall_thickness": 3.0})
    assert any(p.field == "enclosure.wall_thickness" for p in exc.value.problems)
    with pytest.raises(ParamError) as exc:
        params(tower={"file": "tower", "params": {"base_face_width": 100}})
    assert any(p.field.startswith("tower") for p in exc.value.problems)
    with pytest.raises(ParamError, match="access sectors"):
        params(links=[{"name": f"s{k}", "kind": "access", "radio": "ubnt-rocket-5ac-ptp"} for k in range(7)])
