"""The heat-yield analysis at Greensboro: the year's DNI against the weather file's own sum, the energy
chain's order, the monthly and hourly tables against the totals, and the PV comparison by hand."""

import csv

import pytest

from osehw.analyses import Inputs
from osehw.analyses.heat_yield import heat_yield
from osehw.designs.concentrator import build
from osehw.pipeline import load


@pytest.fixture(scope="module")
def greensboro():
    loaded = load("concentrator")
    design = build(loaded.params)
    return design, loaded.site, heat_yield(Inputs(design, None, loaded.site))


def test_annual_dni_is_the_weather_files_own_sum(greensboro):
    _, site, result = greensboro
    with open(site.weather_path(), newline="") as fh:
        rows = list(csv.reader(fh))[1:]  # line 1: the station; line 2: the header
    column = rows[0].index("DNI (W/m^2)")
    own = sum(float(r[column]) for r in rows[1:]) / 1000.0
    assert len(rows) == 8761 and own == pytest.approx(1476.5, abs=0.1)
    assert result.summary["annual_dni_kwh_m2"] == pytest.approx(own, abs=0.05)
    assert sum(r["dni_kwh_m2"] for r in result.tables["monthly"]) == pytest.approx(own, abs=0.1)


def test_energy_chain_and_tables(greensboro):
    design, _, result = greensboro
    s, p = result.summary, design.trough.params
    assert s["annual_useful_heat_kwh"] < s["annual_absorbed_kwh"] < s["annual_beam_on_aperture_kwh"]
    # a tracker's aperture never sees more than DNI on its area
    assert s["annual_beam_on_aperture_kwh"] < s["annual_dni_kwh_m2"] * s["aperture_m2"]
    assert s["optical_efficiency"] == pytest.approx(0.9 * 1.0 * 0.95 * s["intercept"], abs=1e-4)
    hourly = result.tables["hourly"]
    assert len(hourly) == 8760
    assert sum(r["useful_w"] for r in hourly) / 1000 == pytest.approx(s["annual_useful_heat_kwh"], abs=0.5)
    assert sum(r["useful_kwh"] for r in result.tables["monthly"]) == pytest.approx(s["annual_useful_heat_kwh"],
                                                                                     abs=0.1)
    assert s["useful_hours"] == sum(1 for r in hourly if r["useful_w"] > 0)
    assert s["useful_heat_kwh_per_m2"] == pytest.approx(s["annual_useful_heat_kwh"] / 2.88, abs=0.1)
    assert set(result.figures) == {"monthly", "daily"}
    # electricity and the PV comparison by hand
    assert s["electricity_kwh"] == pytest.approx(s["annual_useful_heat_kwh"] * p.heat_engine_efficiency, abs=0.1)
    assert s["trough_usd_per_kwh"] == pytest.approx(s["trough_capital_usd"] / (s["electricity_kwh"] * 20), rel=2e-3)
    module_kwp, module_m2 = 0.330336, 1.954 * 0.986  # bom/pv_modules.csv, cs6u-330p
    assert s["pv_kwh_per_m2"] == pytest.approx(s["pv_kwh_per_kwp"] * module_kwp / module_m2, abs=0.1)
    assert s["pv_usd_per_kwh"] == pytest.approx(125.0 / (s["pv_kwh_per_kwp"] * module_kwp * 20), rel=1e-3)
    assert "PV wins" in s["verdict"] and s["pv_usd_per_kwh"] < s["trough_usd_per_kwh"]


def test_no_site_says_so(greensboro):
    design, _, _ = greensboro
    found = heat_yield(Inputs(design, None, None)).findings
    assert [f.code for f in found] == ["HEAT_NO_SITE"]
