"""Purchased items and equipment: the CSV tables under ``bom/`` (as cq_warehouse keeps its data)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from osehw.catalog.table import read_table
from osehw.core.paths import bom_dir
from osehw.core.registry import unknown_message


@dataclass(frozen=True)
class CatalogItem:
    id: str
    category: str
    description: str
    unit: str
    unit_cost: float  # [USD per unit]
    source: str
    source_date: str
    confidence: str


@dataclass(frozen=True)
class Equipment:
    """Electronics an enclosure holds: footprint as mounted [mm], heat [W], rated ambient [°C]."""

    id: str
    description: str
    width: float
    depth: float
    height: float
    heat_w: float
    max_ambient_c: float
    source: str


@lru_cache(maxsize=4)
def items(root: Path | None = None) -> dict[str, CatalogItem]:
    return read_table((root or bom_dir()) / "catalog.csv", CatalogItem)


@lru_cache(maxsize=4)
def equipment(root: Path | None = None) -> dict[str, Equipment]:
    return read_table((root or bom_dir()) / "equipment.csv", Equipment)


def item(catalog_id: str) -> CatalogItem:
    table = items()
    if catalog_id not in table:
        raise KeyError(unknown_message("catalog item", catalog_id, table))
    return table[catalog_id]
