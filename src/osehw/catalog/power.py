"""Power-system components and electrical loads: ``bom/pv_modules.csv`` (electrical data copied from pvlib's
CEC module database, a test holds them to it), ``bom/batteries.csv``, ``bom/charge_controllers.csv``
(datasheets) and ``bom/electrical_loads.csv`` (what each piece of node equipment draws). Prices stay in
``bom/catalog.csv`` under the same ids."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from osehw.catalog.table import read_table
from osehw.core.paths import bom_dir


@dataclass(frozen=True)
class Module:
    """A PV module at STC: power [W], voltages [V], currents [A], Voc temperature coefficient [V/K],
    power temperature coefficient [%/K], size [mm]."""

    id: str
    cec_name: str
    stc_w: float
    voc_v: float
    isc_a: float
    vmp_v: float
    imp_a: float
    beta_voc_v_per_k: float
    gamma_pmp_pct_per_k: float
    length_mm: float
    width_mm: float


@dataclass(frozen=True)
class BatteryBlock:
    """A 12 V monobloc: capacity at the 20-hour rate [Ah], weight [kg], largest charge current [× C]."""

    id: str
    chemistry: str
    block_v: int
    capacity_ah: float
    weight_kg: float
    max_charge_c: float


@dataclass(frozen=True)
class Controller:
    """An MPPT charge controller: largest PV open-circuit voltage [V], charge current [A], PV
    short-circuit current [A], battery voltages [V], conversion efficiency, self-consumption [W]."""

    id: str
    max_pv_voc_v: float
    max_charge_a: float
    max_pv_isc_a: float
    battery_voltages: tuple[int, ...]
    efficiency: float
    self_consumption_w: float


@dataclass(frozen=True)
class ElectricalLoad:
    id: str
    description: str
    average_w: float
    source: str


@lru_cache(maxsize=4)
def modules(root: Path | None = None) -> dict[str, Module]:
    return read_table((root or bom_dir()) / "pv_modules.csv", Module)


@lru_cache(maxsize=4)
def batteries(root: Path | None = None) -> dict[str, BatteryBlock]:
    return read_table((root or bom_dir()) / "batteries.csv", BatteryBlock, {"capacity_ah": "capacity_ah_c20"})


@lru_cache(maxsize=4)
def controllers(root: Path | None = None) -> dict[str, Controller]:
    return read_table((root or bom_dir()) / "charge_controllers.csv", Controller)


@lru_cache(maxsize=4)
def electrical_loads(root: Path | None = None) -> dict[str, ElectricalLoad]:
    return read_table((root or bom_dir()) / "electrical_loads.csv", ElectricalLoad)
