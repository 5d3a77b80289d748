"""Sealed lead-acid bank: sizing by hand, cold capacity, self-discharge, rainflow and cycle life."""

import math

import numpy as np
import pytest

from osehw.physics import battery


def test_battery_size_by_hand_for_a_known_load():
    # 60 W continuous = 1,440 Wh/day; 3 days of autonomy at 50 % DoD and 80 % capacity at 0 °C:
    # C = 1440 · 3 / (0.5 · 1.0 · 0.8) = 10,800 Wh → at 24 V that is 450 Ah → five strings of 100 Ah
    need = battery.autonomy_capacity_wh(1440, 3, 0.5, 1.0, float(battery.cold_capacity_fraction(0.0)))
    assert need == pytest.approx(10_800)
    bank = battery.bank_for(need, 24, 100)
    assert (bank.strings, bank.blocks_per_string, bank.blocks, bank.capacity_wh) == (5, 2, 10, 12_000)
    with pytest.raises(ValueError, match="must be one of"):
        battery.bank_for(need, 36, 100)


def test_cold_capacity_follows_the_datasheet_points():
    assert battery.cold_capacity_fraction(np.array([-30, -20, -10, 0, 25, 40])) == pytest.approx(
        [0.6, 0.6, 0.7, 0.8, 1.0, 1.0])


def test_self_discharge_is_three_percent_a_month_at_25c_and_doubles_per_10k():
    month = 730
    assert 1 - (1 - battery.self_discharge_per_hour(25.0)) ** month == pytest.approx(0.03, rel=0.02)
    assert battery.self_discharge_per_hour(35.0) == pytest.approx(2 * battery.self_discharge_per_hour(25.0))


def test_rainflow_counts_the_astm_e1049_example():
    # ASTM E1049-85 §5.4.4, its worked example (loads −2, 1, −3, 5, −1, 3, −4, 4, −2), counted there as:
    # 3 ×0.5, 4 ×1.5, 6 ×0.5, 8 ×1.0, 9 ×0.5
    cycles = battery.rainflow(np.array([-2, 1, -3, 5, -1, 3, -4, 4, -2], dtype=float))
    counted: dict[float, float] = {}
    for rng, n in cycles:
        counted[rng] = counted.get(rng, 0) + n
    assert counted == {3.0: 0.5, 4.0: 1.5, 6.0: 0.5, 8.0: 1.0, 9.0: 0.5}


def test_daily_cycles_wear_the_bank_by_miners_rule():
    # 365 full cycles between 100 % and 50 % SOC a year: 900 cycles of life at 50 % DoD → 900/365 years
    day = np.concatenate([np.linspace(1.0, 0.5, 12), np.linspace(0.5, 1.0, 13)[1:]])
    soc = np.tile(day, 365)
    assert battery.cycle_damage_per_year(soc) == pytest.approx(365 / 900, rel=0.01)
    years, why = battery.years_to_replacement(soc, 20.0)
    assert (years, why) == (pytest.approx(900 / 365, rel=0.01), "cycling")
    assert battery.years_to_replacement(np.full(100, 0.9), 35.0) == (pytest.approx(4.0), "float life")


def test_cycle_life_curve_passes_its_points_and_extends_below_them():
    assert battery.cycles_to_failure(np.array(battery.CYCLE_LIFE_DOD)) == pytest.approx(battery.CYCLE_LIFE_CYCLES)
    slope = math.log(1600 / 5000) / math.log(0.3 / 0.1)
    assert battery.cycles_to_failure(0.05) == pytest.approx(5000 * 0.5 ** slope)
