"""Guy strand for guyed towers (``bom/guy_strands.csv``): diameter, the steel area of its wires, minimum breaking
strength, weight and modulus, each row with its source. Prices are in ``bom/catalog.csv`` under the same id."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from osehw.catalog.materials import CatalogError
from osehw.catalog.table import read_table
from osehw.core.paths import bom_dir
from osehw.core.registry import unknown_message


@dataclass(frozen=True)
class GuyStrand:
    id: str
    description: str
    diameter: float  # nominal strand diameter [mm]
    wires: int
    wire_diameter: float  # [mm]
    breaking_strength_n: float  # minimum breaking strength [N]
    weight_kg_per_m: float
    modulus_mpa: float  # on the steel area
    source: str

    @property
    def area(self) -> float:
        """Steel area: the wires' circles [mm²]."""
        return self.wires * math.pi / 4 * self.wire_diameter ** 2


@lru_cache(maxsize=4)
def guy_strands(root: Path | None = None) -> dict[str, GuyStrand]:
    return read_table((root or bom_dir()) / "guy_strands.csv", GuyStrand)


def guy_strand(strand_id: str) -> GuyStrand:
    table = guy_strands()
    if strand_id not in table:
        raise CatalogError(unknown_message("guy strand", strand_id, sorted(table)))
    return table[strand_id]
