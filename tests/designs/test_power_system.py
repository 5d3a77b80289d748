"""The power-system design through the pipeline: the energy analysis' numbers, its check failing an
undersized system with the month and hours, loads passed in from other designs, bad input refused."""

import pytest

from osehw.core.design import Load
from osehw.core.params import ParamError
from osehw.designs.power_system import PowerSystemParams, params_for_loads
from osehw.pipeline import BuildPipeline, load


def check(tmp_path, params: str, site: str = "greensboro-nc"):
    path = tmp_path / "p.yaml"
    path.write_text(f"design: power-system\nsite: {site}\nparams:\n  rack: false\n{params}")
    pipe = BuildPipeline()
    return pipe.run(pipe.start(load(str(path))), "check")


def test_the_shipped_system_keeps_the_node_up_and_its_numbers_add_up(tmp_path):
    result = check(tmp_path, "  search: false\n  modules: 6\n  tilt: 46\n  record_low_c: -22\n")
    energy = result.analyses["energy"].summary
    design = result.design.summary
    # load: hEX 12 + airFiber 25 + Rocket 5.8 + fuse block 0.5 + one 150/35's 0.25 W
    assert design["load_w"] == pytest.approx(43.55)
    assert design["pv_kwp"] == pytest.approx(6 * 0.330336, abs=1e-4)
    assert design["battery_kwh"] == pytest.approx(24 * 100 * 2 / 1000)
    assert energy["unmet_hours"] == 0 and not result.errors
    assert "TMY3 723170TYA.CSV (shipped with pvlib)" in energy["weather"]
    assert abs(energy["energy_balance_error_wh"]) < 1e-3
    # the BOM prices what was chosen: 6 × $125 + 4 × $210 + 1 × $340
    assert result.bom_total_usd == pytest.approx(6 * 125 + 4 * 210 + 340)
    monthly = result.analyses["energy"].tables["monthly"]
    assert sum(r["load_kwh"] for r in monthly) == pytest.approx(43.55 * 8760 / 1000, abs=0.01)
    days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    per_day = [r["yield_kwh_per_kwp"] / d for r, d in zip(monthly, days)]
    assert energy["worst_month"] == monthly[per_day.index(min(per_day))]["month"]
    assert energy["annual_yield_kwh_per_kwp"] == pytest.approx(sum(r["yield_kwh_per_kwp"] for r in monthly), abs=0.1)
    # the rule of thumb beside it, by hand: 43.55 W × 24 h = 1,045 Wh/day over the worst month's sun hours × 0.7
    assert energy["rule_pv_kwp"] == pytest.approx(1.0452 / (energy["rule_worst_month_sun_hours"] * 0.7), rel=1e-3)
    assert 2.0 < energy["rule_worst_month_sun_hours"] < 5.0  # a 46° array in a North Carolina winter
    # 3 days at 50 % DoD: 6.27 kWh at 25 °C, more in the cold (Greensboro's coldest daily mean is below 0 °C)
    assert energy["rule_battery_kwh"] > 1.0452 * 3 / 0.5


def test_check_fails_an_undersized_system_naming_month_and_hours(tmp_path):
    result = check(tmp_path, "  search: false\n  extra_load_w: 30\n  modules: 2\n  battery: agm-12v-55ah\n"
                             "  battery_strings: 1\n")
    unmet = [f for f in result.errors if f.code == "ENERGY_UNMET"]
    assert len(unmet) == 1
    assert "Dec" in unmet[0].message and " h (" in unmet[0].message
    assert result.analyses["energy"].summary["unmet_hours"] > 0


def test_a_power_system_without_a_site_is_warned_unproven(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("design: power-system\nparams: {search: false, rack: false}\n")
    pipe = BuildPipeline()
    result = pipe.run(pipe.start(load(str(path))), "check")
    assert [(f.code, f.severity) for f in result.findings if f.code.startswith("ENERGY")] == [
        ("ENERGY_NO_SITE", "warning")]
    assert "energy" not in result.analyses or not result.analyses["energy"].summary


def test_the_least_cost_search_reports_a_cheaper_system_that_also_meets_the_target(tmp_path):
    result = check(tmp_path, "  search_max_modules: 8\n", site="miami-fl")
    rows = result.analyses["energy"].tables["sizing"]
    best = rows[0]
    assert best["unmet_hours"] == 0
    assert best["lifetime_usd"] == min(r["lifetime_usd"] for r in rows)
    assert any(f.code == "SIZING_LEAST_COST" for f in result.findings)
    assert "sizing-tradeoff" in result.analyses["energy"].figures


def test_loads_from_other_designs_become_the_load():
    p = params_for_loads([Load("enclosure", electrical_w=12.0), Load("radios", electrical_w=50.0)], modules=6)
    assert p.equipment == [] and p.extra_load_w == 62.0 and p.modules == 6


@pytest.mark.parametrize("fields, field, rule", [
    ({"module": "cs6u-33p"}, "module", "did you mean 'cs6u-330p'"),
    ({"controller": "victron-mppt-75-15", "string_voltage": 48}, "string_voltage", "charges 12/24 V banks"),
    ({"modules": 7}, "modules", "no layout of 7 × cs6u-330p"),
    ({"equipment": ["toaster"]}, "equipment[0]", "is not a known electrical load"),
])
def test_bad_parameters_name_field_and_rule(fields, field, rule):
    from osehw.core.params import validate

    with pytest.raises(ParamError) as exc:
        validate(PowerSystemParams, fields, "p.yaml")
    assert f"{field} = " in str(exc.value) and rule in str(exc.value), str(exc.value)


def test_the_rack_child_carries_the_arrays_modules_and_tilt():
    from osehw.designs.power_system import build, rack_params

    p = PowerSystemParams(modules=12, controller="victron-mppt-150-35", tilt=40, search=False)
    # 12 modules of 986 mm + 11 gaps of 20 mm + 2 × 35 mm overhang = 12,122 mm > a 6,096 mm bar: two rows of 6
    assert (rack_params(p).rows, rack_params(p).modules, rack_params(p).tilt) == (2, 6, 40.0)
    design = build(p)
    rack = design.children["rack"]
    assert rack.summary["rows"] == 2 and rack.summary["array_area_m2"] == pytest.approx(12 * 1.954 * 0.986, abs=1e-3)
    assert {part.name for part in design.all_sheet_parts()} >= {"rack/gusset-front-top", "rack/gusset-rear-foot"}
    with pytest.raises(ParamError, match="the ground rack takes 10-70°"):
        from osehw.core.params import validate

        validate(PowerSystemParams, {"tilt": 80}, "p.yaml")
