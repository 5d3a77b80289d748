"""The sheet list: one row per nested sheet of a machine, how much of it is part, and the remnant to keep.

What a buyer and the shop need before cutting: how many sheets of each material, how full each is
(part area / sheet area, holes not counted as part), and which strip of a half-empty last sheet
goes back on the rack (:mod:`osehw.cam.nesting.remnant`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from osehw.cam.drawings.sheet_dxf import fmt_num
from osehw.cam.nesting.remnant import SheetUse

HEADER = ("group", "sheet", "of", "stock_x_mm", "stock_y_mm", "parts", "utilisation", "last_sheet_fill",
          "remnant_x0_mm", "remnant_y0_mm", "remnant_x1_mm", "remnant_y1_mm")


@dataclass(frozen=True)
class SheetRow:
    group: str  # material-thickness, e.g. "hdpe-12.7"
    stock_x: float  # [mm]
    stock_y: float
    parts: int  # parts cut from the sheet
    use: SheetUse


def sheet_list_csv(rows: Sequence[SheetRow]) -> str:
    """The sheet list as CSV text, rows in the order given; the last sheet's fill and its remnant only
    on the last sheet of its group (empty cells elsewhere)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    for r in rows:
        u = r.use
        strip = ("", "", "", "") if u.remnant is None else tuple(
            fmt_num(v, 3) for v in (u.remnant.x0, u.remnant.y0, u.remnant.x1, u.remnant.y1))
        writer.writerow([r.group, u.index + 1, u.sheets, fmt_num(r.stock_x, 3), fmt_num(r.stock_y, 3), r.parts,
                         f"{u.this:.4f}", f"{u.last_fill:.4f}" if u.is_last else "", *strip])
    return buf.getvalue()


__all__ = ["HEADER", "SheetRow", "sheet_list_csv"]
