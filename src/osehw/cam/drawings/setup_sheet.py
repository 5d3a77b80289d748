"""HTML setup sheet for one nested sheet: what the operator needs at the machine.

Stock and how to clamp it, how much of it the parts use (and the remnant to keep), where zero is, the tools in the order they are
used with their feeds and speeds (and why a speed was changed), the program
file per tool, estimated times and a picture of the toolpaths. Rendered from
``templates/setup_sheet.html.j2`` with autoescaping on; only the SVG that
:func:`osehw.cam.drawings.preview.sheet_svg` made is inlined as markup. No dates or
times of day are written, so the same job gives the same file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import jinja2
from markupsafe import Markup

from osehw.cam.drawings.sheet_dxf import fmt_num
from osehw.cam.shop import FeedsAndSpeeds, Machine, Material, Tool
from osehw.core.errors import OsehwError

_TEMPLATES = Path(__file__).resolve().parent / "templates"

_Z_ZERO_TEXT = {
    "stock_top": "Z0 = top face of the stock. Touch the tool off on the sheet itself; "
                 "cuts go below Z0 (negative Z).",
    "spoilboard": "Z0 = spoilboard surface (the stock's underside). Touch the tool off on the "
                  "spoilboard next to the sheet; the stock's top is at Z+{t} mm.",
}


class SetupSheetError(OsehwError, ValueError):
    """A setup-sheet input is out of range (names the value and the rule)."""


def hms(seconds: float) -> str:
    """Duration as h:mm:ss, rounded to the nearest second (3725.4 → "1:02:05")."""
    if seconds < 0:
        raise SetupSheetError(f"time {seconds} s is negative")
    total = int(round(seconds))
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def _grouped(value: float) -> str:
    """Whole number with thousands separators (14000.4 → "14,000")."""
    return f"{int(round(value)):,}"


@dataclass(frozen=True)
class _ToolRow:
    number: int
    name: str
    tool_id: str
    kind: str
    diameter: str
    flutes: int
    rpm: str
    feed: str
    plunge: str
    chipload: str
    stepdown: str
    stepover: str
    program: str
    time: str
    note: str


def _inline_svg(svg: str) -> Markup:
    """The picture as HTML markup: XML prolog and doctype dropped (not allowed inside HTML)."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
    text = re.sub(r"^\s*<!DOCTYPE[^>]*>\s*", "", text)
    if not text.lstrip().startswith("<svg"):
        raise SetupSheetError("the picture must be an SVG document starting with <svg>")
    return Markup(text.strip())


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def setup_sheet_html(
    *,
    title: str,
    machine: Machine,
    material: Material,
    stock_x: float,
    stock_y: float,
    stock_thickness: float,
    z_zero: str,
    tools_in_order: Sequence[tuple[Tool, FeedsAndSpeeds, str, float]],
    parts: Sequence[tuple[str, int]],
    svg: str,
    total_time_s: float,
    notes: Sequence[str] = (),
    sheet_use: Sequence[tuple[str, str]] = (),
) -> str:
    """Return the setup sheet as an HTML5 page.

    Parameters
    ----------
    title : heading, e.g. "enclosure — sheet 1 of 2".
    machine, material : the profiles the job was made for.
    stock_x, stock_y, stock_thickness : sheet size [mm].
    z_zero : "stock_top" or "spoilboard", where Z0 is touched off.
    tools_in_order : (tool, feeds and speeds, program file, estimated time [s])
        in the order the tools are used.
    parts : (part name, count on this sheet).
    svg : toolpath picture from :func:`osehw.cam.drawings.preview.sheet_svg`.
    total_time_s : estimated time for the whole sheet [s] (tool changes included
        if the caller counts them).
    notes : extra lines for the operator.
    sheet_use : (heading, text) rows on how the nest uses this sheet and its others, and the remnant
        to keep (:meth:`osehw.cam.nesting.remnant.SheetUse.lines`).
    """
    if z_zero not in _Z_ZERO_TEXT:
        raise SetupSheetError(f"z_zero '{z_zero}' invalid, must be one of {', '.join(sorted(_Z_ZERO_TEXT))}")
    rows = [
        _ToolRow(
            number=k,
            name=tool.name,
            tool_id=tool.id,
            kind=tool.kind if tool.angle is None else f"{tool.kind} {fmt_num(tool.angle, 1)}°",
            diameter=fmt_num(tool.diameter, 3),
            flutes=tool.flutes,
            rpm=_grouped(fs.rpm),
            feed=_grouped(fs.feed),
            plunge=_grouped(fs.plunge),
            chipload=f"{fs.chipload:.3f}",
            stepdown=f"{fs.stepdown:.2f}",
            stepover=f"{fs.stepover:.2f}",
            program=program,
            time=hms(est),
            note=fs.note,
        )
        for k, (tool, fs, program, est) in enumerate(tools_in_order, start=1)
    ]
    template = _environment().get_template("setup_sheet.html.j2")
    return template.render(
        title=title,
        machine=machine,
        material=material,
        stock=f"{fmt_num(stock_x, 2)} × {fmt_num(stock_y, 2)} × {fmt_num(stock_thickness, 2)} mm",
        stock_x=fmt_num(stock_x, 2),
        stock_y=fmt_num(stock_y, 2),
        z_zero_text=_Z_ZERO_TEXT[z_zero].format(t=fmt_num(stock_thickness, 2)),
        deepest=fmt_num(stock_thickness + machine.breakthrough, 2) if z_zero == "stock_top" else None,
        breakthrough=fmt_num(machine.breakthrough, 2),
        safe_z=fmt_num(machine.safe_z, 2),
        clamp_margin=fmt_num(machine.clamp_margin, 1),
        rows=rows,
        parts=list(parts),
        part_count=sum(q for _, q in parts),
        svg=_inline_svg(svg),
        total_time=hms(total_time_s),
        notes=list(notes),
        sheet_use=list(sheet_use),
        grain=material.grain,
    )
