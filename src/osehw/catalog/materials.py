"""Sheet materials: one YAML file per material under ``bom/materials/`` holds every fact about it.

CAM reads the cutting data (chipload by tool diameter, step-down, climb,
grain), the BOM the stock sheets and their prices, the thermal analysis the
enclosure heat-transfer coefficient, the model its render colour and mass.
One file per material keeps those in step: before, sheet sizes lived both in
the CAM profiles and in a price table, and nothing checked that they agreed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from osehw.core.errors import OsehwError
from osehw.core.paths import bom_dir
from osehw.core.registry import unknown_message
from osehw.core.yaml_input import YamlInputError, load_yaml

THICKNESS_MATCH = 0.01  # two thicknesses closer than this are the same stock [mm]


class CatalogError(OsehwError):
    """A catalog file that cannot be read: names the file, the field and the rule."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class SheetStock(_Strict):
    """One stock sheet of a material: what the BOM buys whole and CAM nests on."""

    material: str = ""
    thickness: float = Field(gt=0, description="[mm]")
    sheet_x: float = Field(gt=0, description="[mm]")
    sheet_y: float = Field(gt=0, description="[mm]")
    price_usd: float = Field(ge=0, description="price per sheet [USD]")
    description: str
    source: str
    source_date: str
    confidence: str = "estimate"

    @property
    def id(self) -> str:
        return f"sheet-{self.material}-{self.thickness:g}"


class Material(_Strict):
    """A sheet material: cutting data, physical data and its stock sheets."""

    id: str = Field(description="material id, the file's stem")
    name: str = Field(description="human name")
    # cutting data
    chipload: dict[float, tuple[float, float]] = Field(
        description="tool diameter [mm] → (min, max) chipload [mm/tooth]")
    max_stepdown_fraction: float = Field(gt=0, le=2.0, description="max depth per pass / tool diameter")
    plunge_fraction: float = Field(gt=0, le=1.0, description="plunge feed / cutting feed")
    stepover_fraction: float = Field(0.4, gt=0, le=0.9, description="pocket step-over / tool diameter")
    climb: bool = Field(True, description="climb milling (True) or conventional")
    grain: bool = Field(False, description="has a grain direction: parts may not rotate freely")
    target_rpm: float = Field(18000, gt=0, description="preferred spindle speed [rpm]")
    # physical data
    density_kg_m3: float = Field(gt=0, description="[kg/m³]")
    heat_transfer_w_m2k: float = Field(gt=0, description="enclosure wall heat-transfer coefficient k [W/m²K]")
    render_colour: tuple[float, float, float] = Field(description="RGB 0..1 for the 3D model")
    # stock
    sheet_x: float = Field(2440.0, gt=0, description="usual stock sheet length [mm] (thicknesses not listed)")
    sheet_y: float = Field(1220.0, gt=0, description="usual stock sheet width [mm]")
    sheets: tuple[SheetStock, ...] = ()

    def stock_thicknesses(self) -> list[float]:
        return sorted(s.thickness for s in self.sheets)

    def sheet(self, thickness: float) -> SheetStock | None:
        """The priced stock sheet of this thickness, or None (cuttable on the usual sheet, not priced)."""
        for s in self.sheets:
            if abs(s.thickness - thickness) < THICKNESS_MATCH:
                return s
        return None

    def estimated_sheet(self, thickness: float) -> SheetStock | None:
        """A sheet of an unlisted thickness, priced by estimate from the listed ones (None if none is listed).

        Price per square metre is taken as linear in thickness between the two
        listed thicknesses either side (a straight line through two quotes;
        real price lists step, so this is flagged an estimate), and in
        proportion to thickness from the nearest one outside their range. The
        sheet is the material's usual size.
        """
        listed = sorted(self.sheets, key=lambda s: s.thickness)
        if not listed:
            return None
        per_m2 = [(s.thickness, s.price_usd / (s.sheet_x * s.sheet_y / 1e6), s) for s in listed]
        below = [r for r in per_m2 if r[0] < thickness]
        above = [r for r in per_m2 if r[0] > thickness]
        if below and above:
            (t0, p0, s0), (t1, p1, _) = below[-1], above[0]
            rate = p0 + (p1 - p0) * (thickness - t0) / (t1 - t0)
            basis = f"interpolated between the {t0:g} mm and {t1:g} mm sheets ({s0.source}, {s0.source_date})"
        else:
            t0, p0, s0 = below[-1] if below else above[0]
            rate = p0 * thickness / t0
            basis = f"scaled by thickness from the {t0:g} mm sheet ({s0.source}, {s0.source_date})"
        price = round(rate * self.sheet_x * self.sheet_y / 1e6, 2)
        return SheetStock(material=self.id, thickness=thickness, sheet_x=self.sheet_x, sheet_y=self.sheet_y,
                          price_usd=price, description=f"{self.name} {thickness:g} mm (price estimated)",
                          source=f"estimate: ${rate:.2f}/m² {basis}", source_date=s0.source_date,
                          confidence="estimate")

    def sheet_size(self, thickness: float) -> tuple[float, float]:
        """The stock sheet [mm] a part of this thickness is nested on."""
        s = self.sheet(thickness)
        return (s.sheet_x, s.sheet_y) if s else (self.sheet_x, self.sheet_y)


def read_material(path: Path) -> Material:
    """One material file, validated; CatalogError naming the file and field otherwise."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, YamlInputError) as exc:
        raise CatalogError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: a material file is a mapping of fields")
    data.setdefault("id", path.stem)
    data["sheets"] = [{**s, "material": path.stem} if isinstance(s, dict) else s for s in data.get("sheets", [])]
    try:
        return Material.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise CatalogError(f"{path}: {where} = {err.get('input')!r}: {err['msg']}") from None


@lru_cache(maxsize=4)
def materials(root: Path | None = None) -> dict[str, Material]:
    """Every material under ``bom/materials/``, by id."""
    folder = (root or bom_dir()) / "materials"
    return {path.stem: read_material(path) for path in sorted(folder.glob("*.yaml"))}


def material(material_id: str) -> Material:
    table = materials()
    if material_id not in table:
        raise KeyError(unknown_message("material", material_id, table))
    return table[material_id]


def sheet_stock() -> tuple[SheetStock, ...]:
    """Every priced stock sheet of every material."""
    return tuple(s for m in materials().values() for s in m.sheets)


def stock_thicknesses(material_id: str) -> list[float]:
    return material(material_id).stock_thicknesses()


def find_sheet(material_id: str, thickness: float) -> SheetStock:
    """The priced sheet; KeyError listing the priced thicknesses when there is none."""
    found = material(material_id).sheet(thickness)
    if found is None:
        raise KeyError(unknown_message(f"{material_id} sheet thickness [mm]", f"{thickness:g}",
                                       [f"{t:g}" for t in stock_thicknesses(material_id)]))
    return found
