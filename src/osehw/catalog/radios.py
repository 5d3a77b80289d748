"""Radios and dishes for link budgets (``bom/radios.csv``, ``bom/dishes.csv``).

A radio is its transmit power and its receiver sensitivity per modulation (one CSV row per modulation, slowest
first); a dish its diameter [mm], gain, half-power beamwidth, weight and drag coefficient (for its wind EPA).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from osehw.catalog.materials import CatalogError
from osehw.catalog.table import read_rows, read_table
from osehw.core.paths import bom_dir
from osehw.core.registry import unknown_message


@dataclass(frozen=True)
class Radio:
    id: str
    description: str
    band_ghz: float
    tx_power_dbm: float
    sensitivity_dbm: dict[str, float]  # modulation → sensitivity, slowest modulation first
    source: str


@dataclass(frozen=True)
class Dish:
    id: str
    description: str
    band_ghz: float
    diameter: float  # [mm]
    gain_dbi: float
    beamwidth_deg: float
    weight_kg: float
    drag_coefficient: float
    unit_cost: float  # [USD]
    source: str

    @property
    def face_area_m2(self) -> float:
        return 3.141592653589793 / 4 * (self.diameter / 1000) ** 2


@lru_cache(maxsize=4)
def radios(root: Path | None = None) -> dict[str, Radio]:
    path = (root or bom_dir()) / "radios.csv"
    grouped: dict[str, list[dict[str, str]]] = {}
    for r in read_rows(path):
        grouped.setdefault(r["radio"], []).append(r)
    out = {}
    for rid, rows in grouped.items():
        try:
            out[rid] = Radio(rid, rows[0]["description"], float(rows[0]["band_ghz"]),
                             float(rows[0]["tx_power_dbm"]),
                             {r["modulation"]: float(r["sensitivity_dbm"]) for r in rows}, rows[0]["source"])
        except (KeyError, ValueError) as exc:
            raise CatalogError(f"{path}: radio {rid}: {exc}") from None
    return out


@lru_cache(maxsize=4)
def dishes(root: Path | None = None) -> dict[str, Dish]:
    return read_table((root or bom_dir()) / "dishes.csv", Dish)


def radio(radio_id: str) -> Radio:
    table = radios()
    if radio_id not in table:
        raise KeyError(unknown_message("radio", radio_id, table))
    return table[radio_id]


def dish(dish_id: str) -> Dish:
    table = dishes()
    if dish_id not in table:
        raise KeyError(unknown_message("dish", dish_id, table))
    return table[dish_id]
