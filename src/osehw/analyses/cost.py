"""Cost analysis: the bill of materials — purchased items at catalog prices, sheet stock by whole
sheets (from the nesting when the CAM step ran, else a rectangle-area lower bound) and linear stock by
whole bars (from the cut plan) — with a subtotal per design of a composite's tree."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Mapping, Sequence

from osehw import catalog
from osehw.analyses import AnalysisResult, Inputs, register
from osehw.core.design import Design, PurchasedItem, SheetPart
from osehw.core.findings import Finding
from osehw.cutlist.plan import CutPlan, Piece, plan_cuts

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
        sheet_x, sheet_y = catalog.material(material).sheet_size(thickness)
        out[(material, thickness)] = max(1, math.ceil(a / (sheet_x * sheet_y)))
    return out


def owner(qualified_name: str, root: str) -> str:
    """The design path that owns a qualified part name: ``tower/leg`` → ``tower``; ``lid`` → the root."""
    return qualified_name.rsplit("/", 1)[0] if "/" in qualified_name else root


def shared_group(owners: set[str], shared: str) -> str:
    """Stock used by one design of the tree is that design's cost; stock nested or cut for several
    is ``shared`` (the parts share sheets or bars, so no fair split exists)."""
    return next(iter(owners)) if len(owners) == 1 else shared


def cut_plans(design: Design) -> dict[str, CutPlan]:
    """The cut plan of every stock profile the tree uses, by profile id."""
    pieces: dict[str, list[Piece]] = {}
    for part in design.all_stock_parts():
        pieces.setdefault(part.profile, []).extend(Piece(part.name, part.length, i + 1)
                                                   for i in range(part.quantity))
    return {pid: plan_cuts(pid, ps, catalog.stock_profile(pid).bar_length) for pid, ps in sorted(pieces.items())}


def rollup(design: Design, sheets: Mapping[tuple[str, float], int] | None = None,
           plans: Mapping[str, CutPlan] | None = None,
           sized: Sequence[tuple[str, PurchasedItem]] = ()) -> list[BomRow]:
    """BOM rows: sheet stock (whole sheets), linear stock (whole bars, from the cut plans), purchased
    items (by id) per design of the tree, with what an analysis sized for that design (``sized``: design
    path, item; a tower's pad)."""
    rows: list[BomRow] = []
    root = design.name
    counts = dict(sheets) if sheets is not None else sheets_by_rectangles(design.all_sheet_parts())
    sheet_owners: dict[tuple[str, float], set[str]] = {}
    for part in design.all_sheet_parts():
        sheet_owners.setdefault((part.material, part.thickness), set()).add(owner(part.name, root))
    for (material, thickness), n in sorted(counts.items()):
        group = shared_group(sheet_owners.get((material, thickness), set()), "sheets")
        s = catalog.material(material).sheet(thickness) or catalog.material(material).estimated_sheet(thickness)
        if s is None:  # cuttable, but nobody has priced any sheet of this material yet
            sx, sy = catalog.material(material).sheet_size(thickness)
            rows.append(BomRow(f"sheet-{material}-{thickness:g}", f"{material} {thickness:g} mm sheet "
                               f"({sx:g} x {sy:g} mm): no price in bom/materials/{material}.yaml", n, "sheet",
                               0.0, 0.0, "", "", priced=False, group=group))
            continue
        rows.append(BomRow(s.id, f"{s.description} ({s.sheet_x:g} x {s.sheet_y:g} mm)", n, "sheet",
                           s.price_usd, round(n * s.price_usd, 2), s.source, s.source_date, group=group))
    for pid, plan in sorted((plans if plans is not None else cut_plans(design)).items()):
        prof = catalog.stock_profile(pid)
        n = len(plan.bars)
        if not n:
            continue
        group = shared_group({owner(p.name, root) for b in plan.bars for p in b.pieces}, "bars")
        rows.append(BomRow(f"bar-{pid}", f"{prof.description} ({prof.bar_length:g} mm bars)", n, "bar",
                           prof.price_per_bar, round(n * prof.price_per_bar, 2), prof.source, prof.source_date,
                           group=group))
    for path, node in design.walk():
        merged: dict[str, float] = {}
        for it in [*node.purchased, *(item for where, item in sized if where == path)]:
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



def cut_plan_rows(plans: Mapping[str, CutPlan]) -> list[dict[str, Any]]:
    """One row per piece on a bar, then the bar's offcut: where the saw goes, for the cut list."""
    rows: list[dict[str, Any]] = []
    for pid, plan in sorted(plans.items()):
        for number, bar in enumerate(plan.bars, start=1):
            at = plan.trim
            for piece in bar.pieces:
                rows.append({"profile": pid, "bar": number, "part": piece.name, "copy": piece.index,
                             "start": round(at, 3), "length": round(piece.length, 3)})
                at += piece.length + plan.kerf
            rows.append({"profile": pid, "bar": number, "part": "(offcut)", "copy": 0,
                         "start": round(bar.used, 3), "length": round(bar.offcut, 3)})
    return rows


def cut_plan_figure(plans: Mapping[str, CutPlan]) -> str:
    """Every bar as a strip with its pieces, longest profile first: the saw operator's picture."""
    from osehw.core.figures import figure, svg_text

    strips = [(pid, i, bar, plan) for pid, plan in sorted(plans.items()) for i, bar in enumerate(plan.bars, 1)]
    with figure(7.0, 1.4 + 0.32 * len(strips)) as (fig, ax):
        for row, (pid, number, bar, plan) in enumerate(strips):
            y = len(strips) - row
            ax.broken_barh([(0, bar.bar_length)], (y - 0.35, 0.7), facecolors="#eeeeee", edgecolors="#999999")
            at = plan.trim
            for piece in bar.pieces:
                ax.broken_barh([(at, piece.length)], (y - 0.3, 0.6), facecolors="#8fb3d9", edgecolors="#1f4e79")
                ax.text(at + piece.length / 2, y, f"{piece.name.rsplit('/', 1)[-1]} {piece.length:g}",
                        ha="center", va="center", fontsize=6, clip_on=True)
                at += piece.length + plan.kerf
        ax.set_yticks([len(strips) - r for r in range(len(strips))],
                      [f"{pid} #{n}" for pid, n, _, _ in strips], fontsize=6)
        ax.set_xlabel("position along the bar [mm]")
        ax.set_title(f"Cut plan: {len(strips)} bar{'' if len(strips) == 1 else 's'}, kerf {next(iter(plans.values())).kerf:g} mm")
        ax.grid(False)
        return svg_text(fig)


def sized_by(earlier: Mapping[str, AnalysisResult]) -> list[tuple[str, PurchasedItem]]:
    """(design path, item) for every item an earlier analysis sized for the bill: the structure analysis of
    ``tower`` (qualified name ``tower/structure``) buys its pad for the design at ``tower``."""
    return [(name.rsplit("/", 1)[0] if "/" in name else "", item)
            for name, result in sorted(earlier.items()) for item in result.purchased]


@register("cost", needs=("cam",))
def cost(inputs: Inputs) -> AnalysisResult:
    sheets = (inputs.cam.stock_sheet_counts() or None) if inputs.cam is not None else None
    plans = cut_plans(inputs.design)
    rows = rollup(inputs.design, sheets, plans, sized_by(inputs.earlier))
    usd = total(rows)
    unpriced = [r for r in rows if not r.priced]
    findings = [Finding("COST_UNPRICED", "warning", r.item, f"{r.quantity:g} {r.unit} of '{r.item}' have no price "
                        f"in the catalogs; the total leaves them out") for r in unpriced]
    findings += [Finding("COST_ESTIMATED", "warning", r.item, f"{r.quantity:g} {r.unit} of '{r.item}' priced at "
                         f"${r.unit_cost:,.2f} each by {r.source}: no listed sheet of this thickness")
                 for r in rows if r.source.startswith("estimate: ")]
    finding = Finding("COST_TOTAL", "info", inputs.design.name,
                      f"${usd:,.2f} for {len(rows)} line items "
                      f"({'sheets from the nesting' if sheets else 'sheets estimated from part areas'})"
                      + (f"; {len(unpriced)} not priced" if unpriced else ""))
    for plan in plans.values():
        findings += [Finding("STOCK_TOO_LONG", "error", piece.name,
                             f"{piece.length:g} mm is longer than a {plan.bar_length:g} mm bar of {plan.profile} "
                             f"less its {plan.trim:g} mm end trim: splice it or choose a longer stock")
                     for piece in plan.too_long]
    summary: dict[str, Any] = {"total_usd": usd, "line_items": len(rows), "unpriced_items": len(unpriced)}
    tables: dict[str, list[dict[str, Any]]] = {"bom": [asdict(r) for r in rows]}
    figures: dict[str, str] = {}
    if plans:
        summary["bars"] = sum(len(p.bars) for p in plans.values())
        summary["bars_lower_bound"] = sum(p.lower_bound for p in plans.values())
        tables["cut_plan"] = cut_plan_rows(plans)
        if summary["bars"]:
            figures["cut_plan"] = cut_plan_figure(plans)
    if inputs.design.children:  # a composite: what each design of the tree and the shared stock cost
        groups = [path or inputs.design.name for path, _ in inputs.design.walk()]
        summary["subtotals_usd"] = {g: usd for g, usd in subtotals(rows, groups).items()
                                    if g in groups or usd}
    return AnalysisResult("cost", (finding, *findings), summary, tables, figures)
