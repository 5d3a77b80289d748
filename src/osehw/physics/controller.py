"""Will an MPPT charge controller take this array? Voltage at the site's record low, current, and the
voltage the controller needs to start charging.

- Open-circuit voltage rises in the cold: Voc(T) = Voc_STC + β_Voc · (T − 25 °C), with the module's own
  coefficient β [V/K] and T the site's record low (NEC 690.7(A)(1), the manufacturer-coefficient
  method). A string of ``s`` modules must stay at or under the controller's largest PV voltage.
- Current: the array's short-circuit current × 1.25 (NEC 690.8(A)(1)) must not exceed the controller's
  largest PV short-circuit current.
- An MPPT controller starts charging when the PV voltage exceeds the battery by 5 V (Victron SmartSolar
  datasheets: "PV voltage must exceed Vbat + 5 V for the controller to start"); the string's maximum-
  power voltage on a hot day (cell 70 °C, Vmp falling with β_Voc's relative rate, the usual
  approximation) must clear the battery's absorption voltage (14.4 V per 12 V, AGM) + 5 V.
- Output power: the charge current at a mid-charge battery voltage (13.2 V per 12 V): what the
  controller can deliver to the battery and loads; the rest of the array's power is left unused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from osehw.catalog.power import Controller, Module

NEC_CURRENT_FACTOR = 1.25  # NEC 690.8(A)(1)
START_MARGIN_V = 5.0  # Victron: PV must exceed Vbat + 5 V to start
ABSORPTION_V_PER_12 = 14.4  # AGM absorption voltage per 12 V block [V]
MID_CHARGE_V_PER_12 = 13.2  # a 12 V lead-acid battery's voltage while charging, mid-range [V]
HOT_CELL_C = 70.0  # cell temperature on a hot still day [°C]


def voc_at(module: Module, temp_c: float) -> float:
    """Module open-circuit voltage [V] at cell temperature ``temp_c`` (NEC 690.7(A)(1))."""
    return module.voc_v + module.beta_voc_v_per_k * (temp_c - 25.0)


def vmp_hot(module: Module) -> float:
    """Maximum-power voltage [V] at HOT_CELL_C, falling at Voc's relative rate."""
    return module.vmp_v * (1.0 + module.beta_voc_v_per_k / module.voc_v * (HOT_CELL_C - 25.0))


@dataclass(frozen=True)
class Layout:
    """``series`` modules per string, ``strings`` per controller, ``controllers`` of one model."""

    controller: Controller
    series: int
    strings_per_controller: int
    controllers: int
    string_voc_cold_v: float
    controller_isc_a: float  # 1.25 × Isc of the strings on one controller [A]

    @property
    def modules(self) -> int:
        return self.series * self.strings_per_controller * self.controllers

    def output_w(self, string_voltage: int) -> float:
        """Largest power all the controllers deliver to the battery bus [W]."""
        return self.controllers * self.controller.max_charge_a * MID_CHARGE_V_PER_12 * string_voltage / 12.0


def series_range(module: Module, controller: Controller, string_voltage: int, record_low_c: float) -> range:
    """The string lengths this controller takes at this battery voltage."""
    need_v = ABSORPTION_V_PER_12 * string_voltage / 12.0 + START_MARGIN_V
    low = max(1, math.ceil(need_v / vmp_hot(module)))
    high = math.floor(controller.max_pv_voc_v / voc_at(module, record_low_c))
    return range(low, high + 1)


def layout(module: Module, modules: int, controller: Controller, string_voltage: int,
           record_low_c: float) -> Layout | None:
    """The layout of ``modules`` modules on the fewest controllers of this model (fewest strings per
    controller breaking a tie), or None if none fits: every string the same length, every controller
    the same number of strings."""
    if string_voltage not in controller.battery_voltages:
        return None
    max_strings = math.floor(controller.max_pv_isc_a / (NEC_CURRENT_FACTOR * module.isc_a))
    best: Layout | None = None
    for series in series_range(module, controller, string_voltage, record_low_c):
        if modules % series:
            continue
        strings = modules // series
        if max_strings < 1:
            continue
        count = math.ceil(strings / max_strings)
        while strings % count:
            count += 1
        per = strings // count
        candidate = Layout(controller, series, per, count, series * voc_at(module, record_low_c),
                           per * NEC_CURRENT_FACTOR * module.isc_a)
        if best is None or (candidate.controllers, -candidate.series) < (best.controllers, -best.series):
            best = candidate
    return best


def check_layout(module: Module, lay: Layout, string_voltage: int, record_low_c: float) -> list[str]:
    """Every rule a layout breaks, in words (empty: it fits)."""
    broken = []
    c = lay.controller
    if string_voltage not in c.battery_voltages:
        broken.append(f"{c.id} charges {'/'.join(map(str, c.battery_voltages))} V banks, not {string_voltage} V")
    voc = lay.series * voc_at(module, record_low_c)
    if voc > c.max_pv_voc_v:
        broken.append(f"{lay.series} × {module.id} give Voc {voc:.1f} V at the record low {record_low_c:g} °C: "
                      f"over {c.id}'s {c.max_pv_voc_v:g} V (NEC 690.7)")
    isc = lay.strings_per_controller * NEC_CURRENT_FACTOR * module.isc_a
    if isc > c.max_pv_isc_a:
        broken.append(f"{lay.strings_per_controller} strings × 1.25 × Isc {module.isc_a:g} A = {isc:.1f} A: over "
                      f"{c.id}'s {c.max_pv_isc_a:g} A (NEC 690.8)")
    need = ABSORPTION_V_PER_12 * string_voltage / 12.0 + START_MARGIN_V
    if lay.series * vmp_hot(module) < need:
        broken.append(f"string Vmp {lay.series * vmp_hot(module):.1f} V at {HOT_CELL_C:g} °C cells is under "
                      f"{need:.1f} V (battery absorption + 5 V start margin)")
    return broken
