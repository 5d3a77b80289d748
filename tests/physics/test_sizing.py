"""The least-cost search finds the optimum of a small case solved by hand."""

import math

import numpy as np
import pytest

from osehw.catalog.power import BatteryBlock, Controller, Module
from osehw.physics.sizing import Costs, least_cost, present_value_of_replacements

# A 40 W "module" with voltages that fit one 12 V controller string of one module, 12 V 40 Ah blocks.
MODULE = Module("m40", "", 40.0, 22.0, 2.4, 18.0, 2.2, -0.07, -0.4, 500, 500)
BLOCK = BatteryBlock("b40", "AGM", 12, 40.0, 12.0, 0.2)
CONTROLLER = Controller("c", 100.0, 20.0, 20.0, (12, 24), 1.0, 0.0)
COSTS = Costs({"m40": 50.0, "b40": 100.0, "c": 80.0}, project_years=5.0)


def test_small_case_optimum_by_hand():
    # Sun: 1 kW/kWp for 12 h, none for 12 h, every day; load 50 W; battery at 25 °C.
    # Night: 12 h × 50 W = 600 Wh from a bank used to 50 % → ≥ 1,200 Wh → 3 blocks of 480 Wh (1,440 Wh).
    # Day: (P − 50) · 12 h · 0.85 ≥ 600 Wh → P ≥ 108.8 W → 3 modules of 40 W (120 W).
    # At the steeper tilt the sun gives 0.8 → P ≥ 136 W → 4 modules: dearer. A 24 V bank needs 4 blocks.
    day = np.r_[np.zeros(6), np.full(12, 1000.0), np.zeros(6)]
    sun = np.tile(day, 365)
    result = least_cost({30.0: sun, 60.0: 0.8 * sun}, np.full(8760, 50.0), np.full(8760, 25.0), MODULE, [BLOCK],
                        [CONTROLLER], COSTS, max_modules=6, max_strings=4, record_low_c=-10)
    best = result.best
    assert (best.tilt, best.string_voltage, best.modules, best.strings, best.blocks) == (30.0, 12, 3, 3, 3)
    assert best.capital_usd == pytest.approx(3 * 50 + 3 * 100 + 80)
    assert best.unmet_hours == 0
    # and nothing smaller meets the target: no candidate with fewer modules or blocks was feasible
    assert all(c.modules >= 3 and c.blocks >= 3 for c in result.tried)


def test_replacements_are_discounted_to_the_present():
    # a $100 battery lasting 4 years over 10 years at 5 %: replaced at years 4 and 8
    assert present_value_of_replacements(100, 4, 10, 0.05) == pytest.approx(100 / 1.05**4 + 100 / 1.05**8)
    assert present_value_of_replacements(100, math.inf, 10, 0.05) == 0.0
    assert present_value_of_replacements(100, 10, 10, 0.05) == 0.0  # lasts the project
