"""Cost analysis: the bill of materials, purchased items at catalog prices and sheet stock by whole
sheets (from the nesting when the CAM step ran, else a rectangle-area lower bound)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Mapping

from osehw import catalog
from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.design import Design, SheetPart
from osehw.core.findings import Finding

PART_SPACING = 12.0  # kerf + spacing allowance per part edge for the rectangle estimate [mm]


@dataclass(frozen=True)
class BomRow:
    item: str
    description: str
    quantity: float
    unit: str
    unit_cost: float  # [USD]; 0 when not priced
    extended_cost: float  # [USD]; 0 when not priced
    source: str
    source_date: str
    priced: bool = True  # False: the catalogs have no price, the total leaves the row out
    group: str = ""  # "sheets" (shared by every child: they are nested together) or the design path


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
        sheet_x, sheet_y = sheet_size(material, thickness)
        out[(material, thickness)] = max(1, math.ceil(a / (sheet_x * sheet_y)))
    return out


def sheet_size(material: str, thickness: float) -> tuple[float, float]:
    """Stock sheet size [mm]: the priced catalog's, else the material's usual sheet (cam/materials)."""
    try:
        stock = catalog.find_sheet(material, thickness)
        return stock.sheet_x, stock.sheet_y
    except KeyError:
        from osehw.cam.shop import load_materials

        profile = load_materials()[material]
        return profile.sheet_x, profile.sheet_y


def rollup(design: Design, sheets: Mapping[tuple[str, float], int] | None = None) -> list[BomRow]:
    """BOM rows: sheet stock (whole sheets), stock parts, purchased items (catalog order kept by id)."""
    rows: list[BomRow] = []
    counts = dict(sheets) if sheets is not None else sheets_by_rectangles(design.all_sheet_parts())
    for (material, thickness), n in sorted(counts.items()):
        try:
            s = catalog.find_sheet(material, thickness)
        except KeyError:  # cuttable, but nobody has priced this thickness yet
            sx, sy = sheet_size(material, thickness)
            rows.append(BomRow(f"sheet-{material}-{thickness:g}", f"{material} {thickness:g} mm sheet "
                               f"({sx:g} x {sy:g} mm): no price in bom/sheet_stock.csv", n, "sheet", 0.0, 0.0,
                               "", "", priced=False))
            continue
        rows.append(BomRow(s.id, f"{s.description} ({s.sheet_x:g} x {s.sheet_y:g} mm)", n, "sheet",
                           s.price_per_sheet, round(n * s.price_per_sheet, 2), s.source, s.source_date,
                           group="sheets"))
    for path, node in design.walk():
        merged: dict[str, float] = {}
        for it in node.purchased:
            merged[it.catalog_id] = merged.get(it.catalog_id, 0) + it.quantity
        for cid, qty in sorted(merged.items()):
            c = catalog.item(cid)
            rows.append(BomRow(cid, c.description, qty, c.unit, c.unit_cost, round(qty * c.unit_cost, 2),
                               c.source, c.source_date, group=path or design.name))
    return rows


def subtotals(rows: list[BomRow], groups: list[str] = ()) -> dict[str, float]:
    """USD per group: ``groups`` first (zero where nothing was bought), then any other in row order."""
    out: dict[str, float] = {g: 0.0 for g in groups}
    for r in rows:
        out[r.group] = round(out.get(r.group, 0.0) + r.extended_cost, 2)
    return out


def total(rows: list[BomRow]) -> float:
    return round(sum(r.extended_cost for r in rows), 2)



@register("cost", needs=("cam",))
def cost(inputs: Inputs) -> AnalysisResult:
    sheets = (inputs.cam.stock_sheet_counts() or None) if inputs.cam is not None else None
    rows = rollup(inputs.design, sheets)
    usd = total(rows)
    unpriced = [r for r in rows if not r.priced]
    findings = [Finding("COST_UNPRICED", "warning", r.item, f"{r.quantity:g} {r.unit} of '{r.item}' have no price "
                        f"in the catalogs; the total leaves them out") for r in unpriced]
    finding = Finding("COST_TOTAL", "info", inputs.design.name,
                      f"${usd:,.2f} for {len(rows)} line items "
                      f"({'sheets from the nesting' if sheets else 'sheets estimated from part areas'})"
                      + (f"; {len(unpriced)} not priced" if unpriced else ""))
    summary: dict[str, Any] = {"total_usd": usd, "line_items": len(rows), "unpriced_items": len(unpriced)}
    if inputs.design.children:  # a composite: what the shared sheets and each design of the tree cost
        summary["subtotals_usd"] = subtotals(rows, ["sheets"] + [path or inputs.design.name
                                                                  for path, _ in inputs.design.walk()])
    return AnalysisResult("cost", (finding, *findings), summary,
                          {"bom": [asdict(r) for r in rows]})
