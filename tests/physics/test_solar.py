"""PV yield per kWp at the three pvlib-shipped sites against NREL PVWatts, and the losses stated."""

import pytest

from osehw.core.site import load_site
from osehw.core.weather import weather_year
from osehw.physics.solar import (
    OFF_GRID_LOSSES_PCT,
    PVWATTS_DEFAULT_LOSSES_PCT,
    PVWATTS_INVERTER_EFFICIENCY,
    array_year,
    total_loss_fraction,
)

# NREL PVWatts (pvwatts.nrel.gov; model: Dobos 2014, NREL/TP-6A20-62641), 1 kWdc, fixed open rack,
# tilt = latitude, facing south, default 14.08 % losses and 96 % inverter: annual AC output per kWdc as
# recorded in DESIGN.md §4.3 — ~1,400 (North Carolina), ~1,450 (Florida), ~800-900 (coastal Alaska).
# PVWatts v8 runs on NSRDB PSM3 typical years, pvlib ships the older TMY3 (1991-2005) and TMY2
# (1961-1990) years, so ±5 % is the tolerance; Sand Point is checked against PVWatts' range.
PVWATTS_KWH_PER_KWP = {"greensboro-nc": (1400 * 0.95, 1400 * 1.05), "miami-fl": (1450 * 0.95, 1450 * 1.05),
                       "sand-point-ak": (800, 900)}


@pytest.mark.parametrize("name", sorted(PVWATTS_KWH_PER_KWP))
def test_yield_at_latitude_tilt_lands_in_pvwatts_range(name):
    site = load_site(name)
    year = array_year(weather_year(site).data, site.latitude, site.longitude, site.elevation_m, site.latitude,
                      losses_pct=PVWATTS_DEFAULT_LOSSES_PCT)
    ac_kwh = year.dc_w_per_kwp.sum() / 1000 * PVWATTS_INVERTER_EFFICIENCY
    low, high = PVWATTS_KWH_PER_KWP[name]
    assert low <= ac_kwh <= high, ac_kwh
    # Measured (this model, pvlib 0.16): Greensboro 1,393, Miami 1,475, Sand Point 858 kWh/kWp.


def test_off_grid_losses_are_pvwatts_terms_without_shading_and_availability():
    assert total_loss_fraction(PVWATTS_DEFAULT_LOSSES_PCT) == pytest.approx(0.1408, abs=5e-4)  # PVWatts' 14.08 %
    # 1 − 0.98·0.98·0.98·0.995·0.985·0.99 (soiling, mismatch, wiring, connections, LID, nameplate)
    assert total_loss_fraction(OFF_GRID_LOSSES_PCT) == pytest.approx(1 - 0.98**3 * 0.995 * 0.985 * 0.99, abs=1e-9)


def test_greensboro_weather_matches_design_notes():
    # DESIGN.md §4.3: Greensboro TMY3 GHI ≈ 1,566 kWh/m²·yr, December ≈ 2.24 kWh/m²·day, minimum −16.7 °C
    data = weather_year(load_site("greensboro-nc")).data
    assert data["ghi"].sum() / 1000 == pytest.approx(1566, abs=1)
    december = data[data.index.month == 12]
    assert len(december) == 31 * 24  # the last TMY hour stays in December (hour-middle index)
    assert december["ghi"].sum() / 1000 / 31 == pytest.approx(2.24, abs=0.01)
    assert data["temp_air"].min() == pytest.approx(-16.7)


def test_tmy2_units_are_converted():
    data = weather_year(load_site("miami-fl")).data
    assert 20 < data["temp_air"].mean() < 30 and data["wind_speed"].max() < 20  # °C and m/s, not tenths
