"""The node's off-grid power system: a fixed PV array, MPPT charge controller(s) and a sealed lead-acid
bank, sized in the design file and proven hour by hour at the design file's site by the ``energy``
analysis (which also searches the least-cost sizing there, to compare).

The load is the node's equipment (``bom/electrical_loads.csv``, what each piece draws, flat over the
day: no duty profile is known for the radios, which carry traffic day and night) plus
``extra_load_w``. A node made of several designs passes its children's electrical loads in with
:func:`params_for_loads` (the ``loads`` analysis' ``electrical_w``). Every load is DC at the battery
bus (radios and router on PoE from the router): no inverter is modelled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from osehw import catalog
from osehw.catalog import power
from osehw.core.design import Design, Load, PurchasedItem
from osehw.core.params import Choices, DesignParams, param
from osehw.core.registry import unknown_message
from osehw.designs import register
from osehw.designs.pv_rack import RAIL_OVERHANG, RackParams
from osehw.designs.pv_rack import build as build_rack
from osehw.physics.battery import STRING_VOLTAGES
from osehw.physics.controller import Layout, check_layout, layout

DEFAULT_EQUIPMENT = ["mikrotik-hex-poe", "ubnt-airfiber-5x", "ubnt-rocket-5ac-ptp", "fuse-block-6way"]


class PowerSystemParams(DesignParams):
    equipment: list[str] = param(DEFAULT_EQUIPMENT, "-", "equipment powered, ids from bom/electrical_loads.csv")
    extra_load_w: float = param(0.0, "W", "further continuous load at the battery bus (a node's other children)",
                                ge=0.0, le=5000.0)
    module: str = param("cs6u-330p", "-", "PV module, an id in bom/pv_modules.csv")
    modules: int = param(6, "count", "PV modules in the array", ge=1, le=200)
    tilt: float = param(45.0, "deg", "array tilt from horizontal", ge=0.0, le=90.0)
    azimuth: float = param(180.0, "deg", "direction the array faces, clockwise from north (180 = south)",
                           ge=0.0, le=360.0)
    controller: str = param("victron-mppt-150-35", "-", "MPPT charge controller, an id in bom/charge_controllers.csv")
    battery: str = param("agm-12v-100ah", "-", "battery block, an id in bom/batteries.csv")
    string_voltage: int = param(24, "V", "bank voltage (12, 24 or 48): 12 V blocks in series per string",
                                ge=12, le=48)
    battery_strings: int = param(2, "count", "strings of blocks in parallel", ge=1, le=4)
    depth_of_discharge: float = param(0.5, "fraction", "usable share of the bank at 25 °C (long life: 0.5)",
                                      ge=0.2, le=0.8)
    charge_efficiency: float = param(0.85, "fraction", "watt-hours stored per watt-hour charged (lead-acid ≈ 0.85)",
                                     ge=0.6, le=1.0)
    battery_temp_rise_k: float = param(0.0, "K", "battery box above the daily mean air temperature", ge=-10.0,
                                       le=30.0)
    record_low_c: float = param(-25.0, "degC", "the site's record low air temperature (module Voc check)",
                                ge=-60.0, le=30.0)
    allowed_unmet_hours: int = param(0, "h/yr", "hours of unmet load allowed in the weather year", ge=0, le=8760)
    rack: bool = param(True, "-", "build the ground rack for the array (designs/pv-rack) as a child")
    ground_clearance: float = param(600.0, "mm", "rack: lower module edge above the ground", ge=300.0, le=2000.0)
    search: bool = param(True, "-", "also search the least-cost sizing at the site (a few seconds)")
    search_max_modules: int = param(24, "count", "largest array the search tries", ge=1, le=60)
    # estimate from designs/pv-rack.yaml's bill for six modules: bars $680 + bolts, clamps and anchors $331.50
    # = $1,011.50 → $169 a module (the gusset plate, one whole 4 x 8 ft sheet at any size, left out)
    mount_usd_per_module: float = param(169.0, "USD", "search: rack, clamps and anchors per module (estimate)",
                                        ge=0.0, le=2000.0)
    project_years: float = param(20.0, "years", "life over which the lifetime cost is counted", ge=1.0, le=40.0)
    discount_rate: float = param(0.05, "1/yr", "real discount rate for later replacements", ge=0.0, le=0.3)

    @classmethod
    def choices(cls) -> dict[str, Choices]:
        return {"equipment": Choices(tuple(sorted(power.electrical_loads()))),
                "module": Choices(tuple(sorted(power.modules()))),
                "controller": Choices(tuple(sorted(power.controllers()))),
                "battery": Choices(tuple(sorted(power.batteries()))),
                "string_voltage": Choices(STRING_VOLTAGES)}

    def rules(self) -> list[tuple[str, Any, str]]:
        broken: list[tuple[str, Any, str]] = []
        for name, table in (("module", power.modules()), ("controller", power.controllers()),
                            ("battery", power.batteries())):
            value = getattr(self, name)
            if value not in table:
                broken.append((name, value, unknown_message(name, value, table)))
        known = power.electrical_loads()
        for i, eid in enumerate(self.equipment):
            if eid not in known:
                broken.append((f"equipment[{i}]", eid, unknown_message("electrical load", eid, known)))
        if self.string_voltage not in STRING_VOLTAGES:
            broken.append(("string_voltage", self.string_voltage, f"must be one of {', '.join(map(str, STRING_VOLTAGES))}"))
        if broken:
            return broken
        ctrl = power.controllers()[self.controller]
        if self.string_voltage not in ctrl.battery_voltages:
            return [("string_voltage", self.string_voltage, f"{self.controller} charges "
                     f"{'/'.join(map(str, ctrl.battery_voltages))} V banks")]
        if self.rack and not broken:
            broken += rack_problems(self)
        if array_layout(self) is None:
            mod = power.modules()[self.module]
            broken.append(("modules", self.modules, f"no layout of {self.modules} × {self.module} (equal strings, "
                           f"Voc {mod.voc_v:g} V, Isc {mod.isc_a:g} A) fits {self.controller} at {self.string_voltage} V "
                           f"and a record low of {self.record_low_c:g} °C (NEC 690.7 Voc, NEC 690.8 current, "
                           f"Vbat + 5 V start)"))
        return broken


    def nested(self) -> dict[str, tuple[Any, DesignParams]]:
        if not self.rack or self.rules():
            return {}
        from osehw.designs import load_all

        return {"rack": (load_all().get("pv-rack"), rack_params(self))}


def rack_rows(p: PowerSystemParams) -> int:
    """The fewest equal rows whose rails each come from one bar (modules divide evenly among them)."""
    module = power.modules()[p.module]
    bar = catalog.stock_profile(RackParams.model_fields["rail_profile"].default).bar_length
    gap = RackParams.model_fields["module_gap"].default
    per_row_max = max(1, math.floor((bar - 2 * RAIL_OVERHANG + gap) / (module.width_mm + gap)))
    return next(r for r in range(1, p.modules + 1) if p.modules % r == 0 and p.modules // r <= per_row_max)


def rack_params(p: PowerSystemParams) -> RackParams:
    rows = rack_rows(p)
    return RackParams(module=p.module, modules=p.modules // rows, rows=rows, tilt=p.tilt,
                      ground_clearance=p.ground_clearance)


def rack_problems(p: PowerSystemParams) -> list[tuple[str, Any, str]]:
    """The rack's rules, in the power system's terms."""
    meta = RackParams.model_fields["tilt"].metadata
    low = next(m.ge for m in meta if hasattr(m, "ge"))
    high = next(m.le for m in meta if hasattr(m, "le"))
    if not low <= p.tilt <= high:
        return [("tilt", p.tilt, f"the ground rack takes {low:g}-{high:g}°; set rack: false for another mount")]
    try:
        rack = rack_params(p)
    except ValidationError as exc:
        return [("rack", False, f"no rack for these modules: {exc.errors()[0]['msg']}")]
    return [(f"rack.{field}" if field not in ("tilt", "ground_clearance") else field, value, rule)
            for field, value, rule in rack.rules()]


def array_layout(p: PowerSystemParams) -> Layout | None:
    return layout(power.modules()[p.module], p.modules, power.controllers()[p.controller], p.string_voltage,
                  p.record_low_c)


@dataclass(frozen=True)
class PowerSystem:
    """What the ``energy`` analysis reads: the system as built and the terms of its check."""

    params: PowerSystemParams
    layout: Layout
    load_w: float  # [W] continuous at the battery bus, controller self-consumption included
    loads: tuple[tuple[str, float], ...]  # (equipment id or "extra", W)
    controller_findings: tuple[str, ...]  # rules the layout breaks (none after validation; checked again)

    @property
    def kwp(self) -> float:
        return self.params.modules * power.modules()[self.params.module].stc_w / 1000.0

    @property
    def capacity_wh(self) -> float:
        block = power.batteries()[self.params.battery]
        return self.params.string_voltage * block.capacity_ah * self.params.battery_strings


def params_for_loads(loads: list[Load], **fields: Any) -> PowerSystemParams:
    """Power-system parameters whose load is the given designs' electrical loads (a node passes
    ``Design.all_loads()`` of its other children), the equipment list left empty."""
    total = sum(ld.electrical_w for ld in loads)
    return PowerSystemParams(**{"equipment": [], **fields, "extra_load_w": round(total + fields.get("extra_load_w", 0.0), 3)})


@register("power-system", "off-grid PV array, MPPT controller and sealed lead-acid bank, proven hour by hour",
          PowerSystemParams)
def build(p: PowerSystemParams) -> Design:  # type: ignore[override]
    lay = array_layout(p)
    assert lay is not None, "rules() refuses a system without a layout"
    table = power.electrical_loads()
    counts: dict[str, int] = {}
    for eid in p.equipment:
        counts[eid] = counts.get(eid, 0) + 1
    loads = tuple((eid, round(table[eid].average_w * n, 3)) for eid, n in sorted(counts.items()))
    if p.extra_load_w:
        loads += (("extra", p.extra_load_w),)
    self_use = lay.controllers * lay.controller.self_consumption_w
    load_w = round(sum(w for _, w in loads) + self_use, 4)
    block = power.batteries()[p.battery]
    blocks = p.string_voltage // block.block_v * p.battery_strings
    module = power.modules()[p.module]
    purchased = [
        PurchasedItem(p.module, p.modules, f"{lay.controllers} × {lay.strings_per_controller} strings of {lay.series}"),
        PurchasedItem(p.battery, blocks, f"{p.battery_strings} strings × {p.string_voltage // block.block_v} in series"),
        PurchasedItem(lay.controller.id, lay.controllers, f"{p.string_voltage} V bank"),
    ]
    for item in purchased:  # every part of the system is priced
        catalog.item(item.catalog_id)
    spec = PowerSystem(p, lay, load_w, loads, tuple(check_layout(module, lay, p.string_voltage, p.record_low_c)))
    summary = {"pv_kwp": round(spec.kwp, 4), "battery_kwh": round(spec.capacity_wh / 1000, 3),
               "load_w": load_w, "daily_load_wh": round(24 * load_w, 2), "modules": p.modules,
               "series": lay.series, "strings": lay.strings_per_controller * lay.controllers,
               "controllers": lay.controllers, "battery_blocks": blocks,
               "string_voc_at_record_low_v": round(lay.string_voc_cold_v, 2),
               "controller_pv_current_a": round(lay.controller_isc_a, 2),
               "array_area_m2": round(p.modules * module.length_mm * module.width_mm * 1e-6, 3)}
    children = {"rack": build_rack(rack_params(p))} if p.rack else {}
    return Design("power-system", None, purchased=purchased, summary=summary, power_system=spec, children=children,
                  loads=[Load("power-system", weight_kg=round(blocks * block.weight_kg, 2))])
