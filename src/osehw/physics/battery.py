"""A sealed lead-acid (AGM/VRLA) battery bank: strings of 12 V blocks, usable depth of discharge, charge
efficiency, capacity in the cold, self-discharge, and cycle life against depth of discharge → the years
until the bank must be replaced.

Sources:
- sizing by autonomy: C = E·days / (DoD·η_discharge·k_temp) (Sandia SAND87-7023, "Stand-Alone
  Photovoltaic Systems: A Handbook of Recommended Design Practices", battery worksheet; IEEE 1013);
- charge efficiency ≈ 85 % for lead-acid (watt-hour basis; SAND87-7023);
- capacity against temperature: AGM datasheet curves, ≈ 100 % at 25 °C, 80 % at 0 °C, 60 % at −20 °C
  (e.g. Yuasa NP/REC and Trojan AGM capacity-vs-temperature charts), read linearly
  between points and held flat beyond them;
- self-discharge: 3 % of capacity per month at 25 °C, doubling each 10 K warmer (Yuasa NP series
  technical manual, "self-discharge characteristics"; the Arrhenius rule of thumb for VRLA);
- cycle life against depth of discharge: a deep-cycle AGM curve, 100 % DoD → 400 cycles, 50 % → 900,
  30 % → 1,600, 10 % → 5,000 (estimate from published AGM datasheets of that class, e.g. Fullriver DC
  and Trojan AGM cycle-life charts), counted by rainflow (ASTM E1049-85) with Miner's rule;
- float (calendar) life: 8 years at 25 °C for a "10-year design life" VRLA block in a hot box, halved
  each 10 K warmer (Yuasa NP/REC technical manuals, float life against temperature) — the bank is
  replaced at whichever of cycle wear or float life comes first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

STRING_VOLTAGES = (12, 24, 48)  # [V] nominal bank voltages the controllers in the catalog charge
BLOCK_VOLTAGE = 12  # [V] every block in the catalog is a 12 V monobloc

# capacity at temperature / capacity at 25 °C (AGM datasheet curves, see module docstring)
COLD_CAPACITY_C = (-20.0, 0.0, 25.0)
COLD_CAPACITY_FRACTION = (0.60, 0.80, 1.00)

SELF_DISCHARGE_PER_MONTH_25C = 0.03  # [fraction of capacity per month] at 25 °C
SELF_DISCHARGE_DOUBLING_K = 10.0  # [K] the rate doubles each this much warmer
HOURS_PER_MONTH = 730.0

# cycles to end of life against depth of discharge (deep-cycle AGM, estimate, see module docstring)
CYCLE_LIFE_DOD = (0.10, 0.30, 0.50, 1.00)
CYCLE_LIFE_CYCLES = (5000.0, 1600.0, 900.0, 400.0)
FLOAT_LIFE_YEARS_25C = 8.0  # [years] float life at 25 °C
FLOAT_LIFE_HALVING_K = 10.0  # [K]


@dataclass(frozen=True)
class Bank:
    """``strings`` in parallel of ``string_voltage / 12`` blocks in series, each block ``block_ah`` at
    the 20-hour rate. ``capacity_wh`` is the bank's stored energy at 25 °C [Wh]."""

    string_voltage: int
    block_ah: float
    strings: int

    @property
    def blocks_per_string(self) -> int:
        return self.string_voltage // BLOCK_VOLTAGE

    @property
    def blocks(self) -> int:
        return self.blocks_per_string * self.strings

    @property
    def capacity_ah(self) -> float:
        return self.block_ah * self.strings

    @property
    def capacity_wh(self) -> float:
        return self.string_voltage * self.capacity_ah


def cold_capacity_fraction(temp_c: np.ndarray | float) -> np.ndarray:
    """Available capacity at ``temp_c`` [°C] over that at 25 °C (never above 1: warmth is not counted on)."""
    return np.interp(temp_c, COLD_CAPACITY_C, COLD_CAPACITY_FRACTION)


def self_discharge_per_hour(temp_c: np.ndarray | float) -> np.ndarray:
    """Fraction of the stored energy lost per hour at ``temp_c`` [°C]."""
    rate = SELF_DISCHARGE_PER_MONTH_25C / HOURS_PER_MONTH
    return rate * np.power(2.0, (np.asarray(temp_c, dtype=float) - 25.0) / SELF_DISCHARGE_DOUBLING_K)


def cycles_to_failure(depth: np.ndarray | float) -> np.ndarray:
    """Cycles to end of life at a depth of discharge [0-1], interpolated on log-log axes (a cycle-life
    curve is close to a power law, N = a·DoD^−b, between its datasheet points)."""
    log_d = np.log(np.clip(np.asarray(depth, dtype=float), 1e-4, 1.0))
    xs, ys = np.log(CYCLE_LIFE_DOD), np.log(CYCLE_LIFE_CYCLES)
    log_n = np.interp(log_d, xs, ys)
    slope = (ys[1] - ys[0]) / (xs[1] - xs[0])  # below the shallowest point, the first segment's power law
    return np.exp(np.where(log_d < xs[0], ys[0] + slope * (log_d - xs[0]), log_n))


def turning_points(series: np.ndarray) -> np.ndarray:
    """The local extrema of a series (first and last points kept; flat runs collapsed)."""
    x = np.asarray(series, dtype=float)
    change = np.diff(x)
    keep = change != 0
    x = np.concatenate([[x[0]], x[1:][keep]]) if len(x) > 1 else x
    if len(x) < 3:
        return x
    d = np.diff(x)
    peaks = np.nonzero(np.sign(d[1:]) != np.sign(d[:-1]))[0] + 1
    return np.concatenate([[x[0]], x[peaks], [x[-1]]])


def rainflow(series: np.ndarray) -> list[tuple[float, float]]:
    """(range, count) of each cycle (count 1) and half cycle (count 0.5) of ``series``, by the
    three-point rainflow method of ASTM E1049-85 §5.4.4."""
    out: list[tuple[float, float]] = []
    stack: list[float] = []
    for point in turning_points(series):
        stack.append(float(point))
        while len(stack) >= 3:
            x = abs(stack[-1] - stack[-2])
            y = abs(stack[-2] - stack[-3])
            if x < y:
                break
            if len(stack) == 3:  # Y contains the starting point: a half cycle, drop the start
                out.append((y, 0.5))
                stack.pop(0)
            else:
                out.append((y, 1.0))
                last = stack.pop()
                stack.pop()
                stack.pop()
                stack.append(last)
    out += [(abs(b - a), 0.5) for a, b in zip(stack, stack[1:])]
    return out


def cycle_damage_per_year(soc: np.ndarray) -> float:
    """Miner's-rule damage of one year of state of charge ``soc`` [0-1 of the 25 °C capacity]:
    Σ count / N(depth) over its rainflow cycles (1 = the bank is worn out)."""
    cycles = rainflow(soc)
    if not cycles:
        return 0.0
    depth = np.array([c[0] for c in cycles])
    count = np.array([c[1] for c in cycles])
    return float(np.sum(count / cycles_to_failure(depth)))


def float_life_years(mean_temp_c: float) -> float:
    """Calendar (float) life [years] at a mean battery temperature, halving each 10 K above 25 °C
    (not lengthened below 25 °C)."""
    return FLOAT_LIFE_YEARS_25C * 2.0 ** (-max(mean_temp_c - 25.0, 0.0) / FLOAT_LIFE_HALVING_K)


def years_to_replacement(soc: np.ndarray, mean_temp_c: float) -> tuple[float, str]:
    """Years until the bank is worn out by cycling or by float life, whichever first, and which it is."""
    damage = cycle_damage_per_year(soc)
    by_cycles = 1.0 / damage if damage > 0 else math.inf
    by_float = float_life_years(mean_temp_c)
    return (by_cycles, "cycling") if by_cycles < by_float else (by_float, "float life")


def autonomy_capacity_wh(daily_load_wh: float, days: float, dod: float, discharge_efficiency: float = 1.0,
                         cold_fraction: float = 1.0) -> float:
    """Bank energy [Wh at 25 °C] that carries ``daily_load_wh`` for ``days`` without sun:
    C = E·days / (DoD·η_d·k_temp) (SAND87-7023 battery worksheet)."""
    return daily_load_wh * days / (dod * discharge_efficiency * cold_fraction)


def bank_for(capacity_wh: float, string_voltage: int, block_ah: float) -> Bank:
    """The fewest parallel strings of ``block_ah`` blocks at ``string_voltage`` holding ``capacity_wh``."""
    if string_voltage not in STRING_VOLTAGES:
        raise ValueError(f"string voltage {string_voltage} V: must be one of {STRING_VOLTAGES}")
    strings = max(1, math.ceil(capacity_wh / (string_voltage * block_ah) - 1e-9))
    return Bank(string_voltage, block_ah, strings)


def battery_temperature(air_c: np.ndarray, rise_k: float = 0.0, hours: int = 24) -> np.ndarray:
    """Battery temperature [°C]: the air's running mean over ``hours`` (a bank of ~30 kg blocks in a box
    follows the daily mean, not the hourly swing), plus any rise of its enclosure."""
    air = np.asarray(air_c, dtype=float)
    padded = np.concatenate([air[-hours + 1:], air])  # the year wraps: Dec 31 precedes Jan 1
    kernel = np.ones(hours) / hours
    return np.convolve(padded, kernel, mode="valid") + rise_k
