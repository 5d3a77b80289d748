"""Purchased items and equipment: the CSV tables under ``bom/`` (as cq_warehouse keeps its data)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=4)
def items(root: Path | None = None) -> dict[str, CatalogItem]:
    folder = root or bom_dir()
    out = {}
    for r in read_rows(folder / "catalog.csv"):
        out[r["id"]] = CatalogItem(r["id"], r["category"], r["description"], r["unit"], float(r["unit_cost"]),
                                   r["source"], r["source_date"], r["confidence"])
    return out


@lru_cache(maxsize=4)
def equipment(root: Path | None = None) -> dict[str, Equipment]:
    folder = root or bom_dir()
    return {r["id"]: Equipment(r["id"], r["description"], float(r["width"]), float(r["depth"]), float(r["height"]),
                               float(r["heat_w"]), float(r["max_ambient_c"]), r["source"])
            for r in read_rows(folder / "equipment.csv")}


def item(catalog_id: str) -> CatalogItem:
    table = items()
    if catalog_id not in table:
        raise KeyError(unknown_message("catalog item", catalog_id, table))
    return table[catalog_id]
