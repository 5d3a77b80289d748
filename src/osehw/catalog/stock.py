"""Linear stock: tube, pipe, angle and flat bar, bought as whole bars (``bom/stock_profiles.csv``).

A profile's cross-section area comes from its shape and sizes, and its mass
per metre from that area and the material's density (``bom/materials``), so
the two tables cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from osehw.catalog.materials import CatalogError, material
from osehw.catalog.table import read_table
from osehw.core.paths import bom_dir
from osehw.core.registry import unknown_message


def round_tube_area(outside_diameter: float, wall: float) -> float:
    """A = π/4 · (D² − (D − 2t)²) [mm²]."""
    return math.pi / 4 * (outside_diameter ** 2 - (outside_diameter - 2 * wall) ** 2)


def equal_angle_area(leg: float, thickness: float) -> float:
    """A = t · (2b − t) [mm²] (sharp-cornered equal angle; root fillets add under 1 %)."""
    return thickness * (2 * leg - thickness)


def flat_bar_area(width: float, thickness: float) -> float:
    return width * thickness


SECTION_AREA = {"round_tube": round_tube_area, "angle": equal_angle_area, "flat_bar": flat_bar_area}


@dataclass(frozen=True)
class StockProfile:
    id: str
    shape: str  # round_tube | angle | flat_bar
    material: str  # a bom/materials id
    size_a: float  # tube: OD; angle: leg; flat bar: width [mm]
    size_b: float  # tube: wall; angle and flat bar: thickness [mm]
    bar_length: float  # [mm]
    price_per_bar: float  # [USD]
    description: str
    source: str
    source_date: str
    confidence: str

    @property
    def area_mm2(self) -> float:
        return SECTION_AREA[self.shape](self.size_a, self.size_b)

    @property
    def depth(self) -> float:
        """The section's extent across the saw cut [mm] (OD, leg or width): a mitred end of angle θ
        needs depth·tan θ more bar."""
        return self.size_a

    @property
    def kg_per_m(self) -> float:
        return self.area_mm2 * 1e-6 * material(self.material).density_kg_m3


@lru_cache(maxsize=4)
def stock_profiles(root: Path | None = None) -> dict[str, StockProfile]:
    path = (root or bom_dir()) / "stock_profiles.csv"
    profiles = read_table(path, StockProfile)
    for line, profile in enumerate(profiles.values(), start=2):  # one row a line, in order
        if profile.shape not in SECTION_AREA:
            raise CatalogError(f"{path}: line {line}: shape = {profile.shape!r}: "
                               + unknown_message("stock shape", profile.shape, SECTION_AREA))
        if min(profile.size_a, profile.size_b, profile.bar_length) <= 0 or profile.area_mm2 <= 0:
            raise CatalogError(f"{path}: line {line}: sizes and bar length must be positive, and a wall "
                               f"thinner than half the section")
    return profiles


def stock_profile(profile_id: str) -> StockProfile:
    table = stock_profiles()
    if profile_id not in table:
        raise KeyError(unknown_message("stock profile", profile_id, table))
    return table[profile_id]
