"""A node's yearly cost: capital annualised per component life, plus operation and maintenance, per subscriber.

Pure functions, USD and years. Method: the equivalent annual cost of each capital line is its first cost times
the capital recovery factor CRF = i(1+i)^n / ((1+i)^n − 1) at the real discount rate i over the line's service
life n (Short, Packey & Holt, *A Manual for the Economic Evaluation of Energy Efficiency and Renewable Energy
Technologies*, NREL/TP-462-5173, 1995, §4.2 and Appendix B: the uniform series whose present value is one).
A line replaced every n years at the same real cost is exactly that annuity for ever, so lines of unequal
lives add (the same manual's levelised-cost method); a battery with a fractional life in years is annualised
the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, Sequence


def crf(rate: float, years: float) -> float:
    """Capital recovery factor [1/yr] (Short et al. 1995, NREL/TP-462-5173 §4.2); 1/n at a zero rate."""
    if years <= 0:
        raise ValueError("a service life must be positive")
    if rate == 0:
        return 1.0 / years
    g = (1.0 + rate) ** years
    return rate * g / (g - 1.0)


@dataclass(frozen=True)
class Line:
    """One capital line: first cost [USD], service life [years]; ``labour`` marks installation labour (scales
    with the labour rate), ``battery`` the bank (its life comes from the power system), ``per_section_usd``
    what one more or one fewer tower section adds or saves."""

    name: str
    usd: float
    life_years: float
    labour: bool = False
    battery: bool = False
    per_section_usd: float = 0.0


@dataclass(frozen=True)
class Running:
    """Yearly running cost: ``labour_usd`` (maintenance visits' hours at the trade rate: scales with the labour
    rate), ``fixed_usd`` (travel, lease, services), ``insurance_fraction`` of capital."""

    labour_usd: float = 0.0
    fixed_usd: float = 0.0
    insurance_fraction: float = 0.0


@dataclass(frozen=True)
class Case:
    """The inputs the tornado moves: discount rate, subscribers, tower sections added (±), labour-rate factor,
    battery life [years]."""

    rate: float
    subscribers: float
    battery_life_years: float
    extra_sections: float = 0.0
    labour_factor: float = 1.0


def line_cost(line: Line, case: Case) -> float:
    usd = line.usd + line.per_section_usd * case.extra_sections
    return usd * (case.labour_factor if line.labour else 1.0)


def capital(lines: Sequence[Line], case: Case) -> float:
    return sum(line_cost(line, case) for line in lines)


def annualised_capital(lines: Sequence[Line], case: Case) -> float:
    """Σ cost · CRF(i, life) over the lines [USD/yr]."""
    return sum(line_cost(line, case) * crf(case.rate, case.battery_life_years if line.battery else line.life_years)
               for line in lines)


def running_cost(running: Running, capital_usd: float, case: Case) -> float:
    return running.labour_usd * case.labour_factor + running.fixed_usd + running.insurance_fraction * capital_usd


def annual_cost(lines: Sequence[Line], running: Running, case: Case) -> float:
    """Annualised capital plus running cost [USD/yr]."""
    return annualised_capital(lines, case) + running_cost(running, capital(lines, case), case)


def cost_per_subscriber_year(lines: Sequence[Line], running: Running, case: Case) -> float:
    """The at-cost subscription: (annualised capital + running cost) / subscribers [USD per subscriber-year]."""
    return annual_cost(lines, running, case) / case.subscribers


def break_even_subscribers(annual_usd: float, price_usd_per_year: float) -> int:
    """The fewest subscribers whose subscriptions pay the node's yearly cost."""
    return math.ceil(annual_usd / price_usd_per_year - 1e-9)


@dataclass(frozen=True)
class Bar:
    """One input of a tornado: its low and high values and the output at each, the others at base."""

    name: str
    low: float
    high: float
    out_low: float
    out_high: float

    @property
    def swing(self) -> float:
        return abs(self.out_high - self.out_low)


def tornado(output: Callable[[Case], float], base: Case,
            ranges: dict[str, tuple[str, float, float]]) -> list[Bar]:
    """One-at-a-time sensitivity: for each input (name → (Case field, low, high)) the output at its low and
    high value with every other input at base; widest swing first."""
    bars = [Bar(name, low, high, output(replace(base, **{attr: low})), output(replace(base, **{attr: high})))
            for name, (attr, low, high) in ranges.items()]
    return sorted(bars, key=lambda b: (-b.swing, b.name))
