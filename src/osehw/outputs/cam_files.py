"""Writing a CAM result: per machine and sheet, the DXF, the toolpath picture (SVG and PNG),
the setup sheet and one program per tool; per machine, the sheet list (each sheet's use, the remnant);
per part, a DXF and the production list."""

from __future__ import annotations

import json
from typing import Any, Callable

from osehw.cam.drawings.preview import sheet_svg, svg_to_png
from osehw.cam.drawings.setup_sheet import setup_sheet_html
from osehw.cam.drawings.sheet_dxf import production_list_csv, write_sheet_dxf
from osehw.cam.drawings.sheet_list import SheetRow, sheet_list_csv
from osehw.cam.job import CamResult, SheetJob
from osehw.core.design import Design
from osehw.core.parallel import fork_map
from osehw.outputs import register

PREVIEW_WIDTH_PX = 1600


def write_sheet_drawing(sheet: SheetJob, file: Callable[[str], object], tools: dict) -> None:
    """The sheet's DXF (about half of a sheet's writing time: a piece of its own)."""
    write_sheet_dxf(file(f"sheets/{sheet.machine.id}/{sheet.stem}.dxf"), stock_x=sheet.stock_x,
                    stock_y=sheet.stock_y, parts=sheet.parts, operations=sheet.operations, tools=tools)


def write_sheet_pictures(sheet: SheetJob, file: Callable[[str], object], tools: dict, design_name: str,
                         total: int) -> None:
    """The sheet's toolpath picture (SVG, PNG), its programs and its setup sheet."""
    folder = f"sheets/{sheet.machine.id}"
    title = f"{design_name} — {sheet.group} sheet {sheet.index} of {total} — {sheet.machine.name}"
    svg = sheet_svg(stock_x=sheet.stock_x, stock_y=sheet.stock_y, parts=sheet.parts, operations=sheet.operations,
                    title=title, tools=tools, clamp_margin=sheet.machine.clamp_margin)
    file(f"{folder}/{sheet.stem}.svg").write_text(svg, encoding="utf-8")  # type: ignore[attr-defined]
    svg_to_png(svg, file(f"{folder}/{sheet.stem}.png"), PREVIEW_WIDTH_PX)
    for program in sheet.programs:
        file(f"{folder}/{program.filename}").write_text(program.text, encoding="utf-8")  # type: ignore[attr-defined]
    counts: dict[str, int] = {}
    for label, _ in sheet.parts:
        base = label.rsplit(" #", 1)[0]
        counts[base] = counts.get(base, 0) + 1
    notes = [*sheet.notes, *(f"{f.severity}: {f.code}: {f.message}" for f in sheet.findings if f.severity != "info")]
    html = setup_sheet_html(
        title=title, machine=sheet.machine, material=sheet.material, stock_x=sheet.stock_x, stock_y=sheet.stock_y,
        stock_thickness=sheet.thickness, z_zero=sheet.machine.z_zero,
        tools_in_order=[(p.tool, p.feeds, p.filename, p.report.estimated_time_s) for p in sheet.programs],
        parts=sorted(counts.items()), svg=svg, total_time_s=sheet.estimated_time_s, notes=notes, sheet_use=sheet.use.lines())
    file(f"{folder}/{sheet.stem}.html").write_text(html, encoding="utf-8")  # type: ignore[attr-defined]


@register("cam", files=("sheets/<machine>/<material>-<thickness>-sheet-N.{dxf,svg,png,html}",
                        "sheets/<machine>/…-sheet-N.<step>-<tool>.{nc,ngc,tap}", "sheets/<machine>/sheet-list.csv",
                        "parts/production-list.csv"),
          applies=lambda result: result.cam is not None, reads_solids=False)
def write(result: Any, stage: Any) -> dict:
    """Every sheet of every machine and the production list; returns the CAM summary for the manifest."""
    return write_cam(result.design, result.cam, stage.file, dict(result.cam.tools))


def write_cam(design: Design, cam: CamResult, file: Callable[[str], object], tools: dict) -> dict:
    """Write every sheet and the production list; returns the CAM summary for the manifest."""
    totals: dict[tuple[str, str], int] = {}
    for s in cam.sheets:
        totals[(s.machine.id, s.group)] = max(totals.get((s.machine.id, s.group), 0), s.index)
    # each sheet's files are its own, and its DXF apart from its pictures: they are written at once, in
    # forked processes (two pieces a sheet, so that one sheet too keeps two cores busy)
    sheets = cam.sheets

    def piece(i: int) -> None:
        sheet = sheets[i // 2]
        if i % 2 == 0:
            write_sheet_drawing(sheet, file, tools)
        else:
            write_sheet_pictures(sheet, file, tools, design.name, totals[(sheet.machine.id, sheet.group)])

    fork_map(piece, 2 * len(sheets))
    rows = [(p.label or p.name, p.name, p.quantity, p.thickness, p.material) for p in design.all_sheet_parts()]
    production_list_csv(file("parts/production-list.csv"), rows)
    for machine in sorted({s.machine.id for s in cam.sheets}):
        listed = [SheetRow(s.group, s.stock_x, s.stock_y, len(s.parts), s.use) for s in cam.sheets
                  if s.machine.id == machine]
        file(f"sheets/{machine}/sheet-list.csv").write_text(sheet_list_csv(listed), encoding="utf-8")  # type: ignore[attr-defined]
    summary = {
        "sheets": [{
            "machine": s.machine.id, "file": f"sheets/{s.machine.id}/{s.stem}", "material": s.material.id,
            "thickness_mm": s.thickness, "stock_mm": [s.stock_x, s.stock_y], "utilisation": round(s.utilisation, 4),
            "estimated_time_s": round(s.estimated_time_s, 1),
            "programs": [{"file": p.filename, "tool": p.tool.id, "cut_length_mm": round(p.report.cut_length, 1),
                          "rapid_length_mm": round(p.report.rapid_length, 1),
                          "estimated_time_s": round(p.report.estimated_time_s, 1),
                          "lower_bound_time_s": round(p.report.lower_bound_time_s, 1)} for p in s.programs],
        } for s in cam.sheets],
    }
    return json.loads(json.dumps(summary))
