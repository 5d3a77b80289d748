"""Cost analysis: the bill of materials, purchased items at catalog prices and sheet stock by whole
sheets (from the nesting when the CAM step ran, else a rectangle-area lower bound)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Mapping

from osehw import catalog
from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.findings import Finding
from osehw.core.design import Design, SheetPart

PART_SPACING = 12.0  # kerf + spacing allowance per part edge for the rectangle estimate [mm]


@dataclass(frozen=True)
class BomRow:
    item: str
    description: str
    quantity: float
    unit: str
    unit_cost: float  # [USD]
    extended_cost: float  # [USD]
    source: str
    source_date: str


def footprint_area(part: SheetPart) -> float:
    """Top-view bounding rectangle of a flat part plus spacing [mm²]."""
    bb = part.solid.BoundingBox()
    return (bb.xlen + PART_SPACING) * (bb.ylen + PART_SPACING)


def sheets_by_rectangles(parts: list[SheetPart]) -> dict[tuple[str, float], int]:
    """Sheets per (material, thickness) from rectangle areas: a lower bound used when no nesting ran."""
    area: dict[tuple[str, float], float] = {}
    for p in parts:
        key = (p.material, p.thickness)
        area[key] = area.get(key, 0.0) + footprint_area(p) * p.quantity
    out = {}
    for (material, thickness), a in area.items():
        stock = catalog.find_sheet(material, thickness)
        out[(material, thickness)] = max(1, math.ceil(a / (stock.sheet_x * stock.sheet_y)))
    return out


def rollup(design: Design, sheets: Mapping[tuple[str, float], int] | None = None) -> list[BomRow]:
    """BOM rows: sheet stock (whole sheets), stock parts, purchased items (catalog order kept by id)."""
    rows: list[BomRow] = []
    counts = dict(sheets) if sheets is not None else sheets_by_rectangles(design.sheet_parts)
    for (material, thickness), n in sorted(counts.items()):
        s = catalog.find_sheet(material, thickness)
        rows.append(BomRow(s.id, f"{s.description} ({s.sheet_x:g} x {s.sheet_y:g} mm)", n, "sheet",
                           s.price_per_sheet, round(n * s.price_per_sheet, 2), s.source, s.source_date))
    merged: dict[str, float] = {}
    for it in design.purchased:
        merged[it.catalog_id] = merged.get(it.catalog_id, 0) + it.quantity
    for cid, qty in sorted(merged.items()):
        c = catalog.item(cid)
        rows.append(BomRow(cid, c.description, qty, c.unit, c.unit_cost, round(qty * c.unit_cost, 2),
                           c.source, c.source_date))
    return rows


def total(rows: list[BomRow]) -> float:
    return round(sum(r.extended_cost for r in rows), 2)




@register("cost", needs=("cam",))
def cost(inputs: Inputs) -> AnalysisResult:
    sheets = (inputs.cam.stock_sheet_counts() or None) if inputs.cam is not None else None
    rows = rollup(inputs.design, sheets)
    usd = total(rows)
    finding = Finding("COST_TOTAL", "info", inputs.design.name,
                      f"${usd:,.2f} for {len(rows)} line items "
                      f"({'sheets from the nesting' if sheets else 'sheets estimated from part areas'})")
    return AnalysisResult("cost", (finding,), {"total_usd": usd, "line_items": len(rows)},
                          {"bom": [asdict(r) for r in rows]})
