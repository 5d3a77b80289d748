"""The hourly energy balance of a PV + battery system over a year: a state-of-charge loop, compiled with
numba (a dependency of CadQuery already), so that one year takes well under a millisecond and the
least-cost search can run thousands.

Each hour (the method of Sandia SAND87-7023 and of HOMER's battery model, on a watt-hour basis):
1. PV (already at the battery terminals) serves the load directly;
2. a surplus charges the battery at the charge efficiency, up to the controller's charge power and the
   room left in the bank; what it cannot take is dumped (the controller throttles the array);
3. a deficit is drawn from the battery down to its floor, ``capacity · (1 − DoD · k_cold(T))`` (the
   usable window shrinks in the cold); what the battery cannot give is unmet load;
4. the bank loses its self-discharge.
Energy is conserved exactly: PV = load served + dumped + charge loss + discharge loss + self-discharge
+ Δstored, which :func:`simulate` returns for the test to check.

The year is run twice and the second run reported: the bank starts on Jan 1 as it ended on Dec 31
(a periodic year, not an optimistic full bank on New Year's Day).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from osehw.physics import battery


@njit(cache=True)
def _year(pv_w, load_w, capacity_wh, floor_wh, self_rate, charge_eff, discharge_eff, max_charge_w, start_wh,
          stored, unmet, dumped):
    """One pass over the hours; fills ``stored`` [Wh, end of hour], ``unmet`` and ``dumped`` [Wh] and
    returns (charge loss, discharge loss, self-discharge) [Wh]."""
    e = start_wh
    charge_loss = 0.0
    discharge_loss = 0.0
    self_loss = 0.0
    for i in range(pv_w.shape[0]):
        pv = pv_w[i]
        load = load_w[i]
        direct = min(pv, load)
        surplus = pv - direct
        deficit = load - direct
        accept = min(surplus, max_charge_w, max(capacity_wh - e, 0.0) / charge_eff)
        e += accept * charge_eff
        charge_loss += accept * (1.0 - charge_eff)
        dumped[i] = surplus - accept
        available = max(e - floor_wh[i], 0.0) * discharge_eff
        give = min(deficit, available)
        e -= give / discharge_eff
        discharge_loss += give / discharge_eff - give
        unmet[i] = deficit - give
        lost = e * self_rate[i]
        e -= lost
        self_loss += lost
        stored[i] = e
    return charge_loss, discharge_loss, self_loss


@njit(cache=True)
def _rainflow_damage(soc, log_dod, log_cycles):
    """Miner's-rule damage of ``soc`` by three-point rainflow (ASTM E1049-85); N(depth) interpolated
    on log-log axes like :func:`osehw.physics.battery.cycles_to_failure` (the reference it is tested
    against)."""
    n = soc.shape[0]
    turns = np.empty(n)
    m = 0
    for i in range(n):  # turning points: keep a point where the direction changes
        x = soc[i]
        if m >= 1 and x == turns[m - 1]:
            continue
        if m >= 2 and (turns[m - 1] - turns[m - 2]) * (x - turns[m - 1]) > 0:
            turns[m - 1] = x
        else:
            turns[m] = x
            m += 1
    slope = (log_cycles[1] - log_cycles[0]) / (log_dod[1] - log_dod[0])
    stack = np.empty(m)
    top = 0
    damage = 0.0
    for k in range(m + 1):
        if k < m:
            stack[top] = turns[k]
            top += 1
        while top >= 2:
            if k < m:
                if top < 3:
                    break
                x = abs(stack[top - 1] - stack[top - 2])
                y = abs(stack[top - 2] - stack[top - 3])
                if x < y:
                    break
                count = 0.5 if top == 3 else 1.0
            else:  # the residue: each remaining range is a half cycle
                y = abs(stack[1] - stack[0])
                count = 0.5
            d = max(y, 1e-4)
            ld = np.log(d)
            if ld < log_dod[0]:
                ln = log_cycles[0] + slope * (ld - log_dod[0])
            else:
                ln = np.interp(ld, log_dod, log_cycles)
            if y > 0:
                damage += count / np.exp(ln)
            if k == m:
                for j in range(top - 1):
                    stack[j] = stack[j + 1]
                top -= 1
            elif count == 0.5:
                stack[0] = stack[1]
                stack[1] = stack[2]
                top -= 1
            else:
                stack[top - 3] = stack[top - 1]
                top -= 2
    return damage


@dataclass(frozen=True)
class Battery:
    """What the loop needs of a bank: ``capacity_wh`` at 25 °C, usable ``dod`` [0-1], ``charge_eff`` and
    ``discharge_eff`` [0-1] (watt-hour), ``max_charge_w`` [W] the controller's charge power."""

    capacity_wh: float
    dod: float = 0.5
    charge_eff: float = 0.85
    discharge_eff: float = 1.0
    max_charge_w: float = 1e12


@dataclass(frozen=True)
class YearResult:
    """Hourly series [Wh per hour] and the year's totals [Wh]."""

    stored_wh: np.ndarray
    unmet_wh: np.ndarray
    dumped_wh: np.ndarray
    pv_wh: float
    load_wh: float
    charge_loss_wh: float
    discharge_loss_wh: float
    self_discharge_wh: float
    start_wh: float
    capacity_wh: float

    @property
    def soc(self) -> np.ndarray:
        return self.stored_wh / self.capacity_wh

    @property
    def served_wh(self) -> float:
        return self.load_wh - float(self.unmet_wh.sum())

    def balance_error_wh(self) -> float:
        """PV in − (served + dumped + losses + Δstored): zero but for rounding."""
        out = (self.served_wh + float(self.dumped_wh.sum()) + self.charge_loss_wh + self.discharge_loss_wh
               + self.self_discharge_wh + float(self.stored_wh[-1]) - self.start_wh)
        return self.pv_wh - out


def hourly_limits(bank: Battery, battery_c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The floor [Wh] (usable window shrinks in the cold) and the self-discharge rate per hour."""
    floor = bank.capacity_wh * (1.0 - bank.dod * battery.cold_capacity_fraction(battery_c))
    return floor, battery.self_discharge_per_hour(battery_c)


def simulate(pv_w: np.ndarray, load_w: np.ndarray, bank: Battery, battery_c: np.ndarray) -> YearResult:
    """One periodic year of hourly operation (see module docstring)."""
    pv = np.ascontiguousarray(pv_w, dtype=np.float64)
    load = np.ascontiguousarray(load_w, dtype=np.float64)
    floor, rate = hourly_limits(bank, battery_c)
    n = len(pv)
    stored, unmet, dumped = np.empty(n), np.empty(n), np.empty(n)
    args = (pv, load, float(bank.capacity_wh), floor, rate, bank.charge_eff, bank.discharge_eff,
            float(bank.max_charge_w))
    _year(*args, float(bank.capacity_wh), stored, unmet, dumped)
    start = float(stored[-1])
    losses = _year(*args, start, stored, unmet, dumped)
    return YearResult(stored, unmet, dumped, float(pv.sum()), float(load.sum()), *losses, start,
                      float(bank.capacity_wh))


@njit(cache=True)
def _totals(pv_per_kwp, kwp, load_w, capacity_wh, floor_wh, self_rate, charge_eff, discharge_eff, max_charge_w,
            log_dod, log_cycles):
    n = pv_per_kwp.shape[0]
    pv = pv_per_kwp * kwp
    stored, unmet, dumped = np.empty(n), np.empty(n), np.empty(n)
    _year(pv, load_w, capacity_wh, floor_wh, self_rate, charge_eff, discharge_eff, max_charge_w, capacity_wh,
          stored, unmet, dumped)
    _year(pv, load_w, capacity_wh, floor_wh, self_rate, charge_eff, discharge_eff, max_charge_w, stored[n - 1],
          stored, unmet, dumped)
    hours = 0
    for i in range(n):
        if unmet[i] > 1e-6:
            hours += 1
    return hours, unmet.sum(), _rainflow_damage(stored / capacity_wh, log_dod, log_cycles)


def year_totals(pv_per_kwp: np.ndarray, kwp: float, load_w: np.ndarray, bank: Battery,
                battery_c: np.ndarray) -> tuple[int, float, float]:
    """(unmet hours, unmet energy [Wh], rainflow cycle damage per year) of one candidate: what the
    least-cost search needs, without building hourly results."""
    floor, rate = hourly_limits(bank, battery_c)
    return _totals(np.ascontiguousarray(pv_per_kwp, dtype=np.float64), float(kwp),
                   np.ascontiguousarray(load_w, dtype=np.float64), float(bank.capacity_wh), floor, rate,
                   bank.charge_eff, bank.discharge_eff, float(bank.max_charge_w),
                   np.log(np.array(battery.CYCLE_LIFE_DOD)), np.log(np.array(battery.CYCLE_LIFE_CYCLES)))
