"""cut-list.csv: every piece sawn from linear stock, where on which bar, with its end cuts and holes.

One row per piece in saw order (profile, bar, position), so the operator
works down the sheet: square the bar's mill end, mark each piece from the
``start`` column, cut, drill. The picture of the same plan is the cost
analysis' ``cut_plan`` figure.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from osehw import catalog
from osehw.outputs import register

COLUMNS = ["profile", "bar", "start_mm", "part", "copy", "length_mm", "end_cut_1_deg", "end_cut_2_deg",
           "holes_mm", "description", "notes"]


def cut_list_csv(plan_rows: list[dict[str, Any]], parts: dict[str, Any]) -> str:
    """The plan's rows joined with each part's end cuts and holes; offcuts are rows too."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in plan_rows:
        part = parts.get(r["part"])
        holes = " ".join(f"{pos:g}/Ø{dia:g}" for pos, dia in part.holes) if part else ""
        w.writerow([r["profile"], r["bar"], f"{r['start']:.1f}", r["part"], r["copy"] or "",
                    f"{r['length']:.1f}", f"{part.end_cuts[0]:g}" if part else "",
                    f"{part.end_cuts[1]:g}" if part else "", holes,
                    catalog.stock_profile(r["profile"]).description, part.notes if part else ""])
    return buf.getvalue()


@register("cut-list", files=("cut-list.csv",),
          applies=lambda result: "cut_plan" in getattr(result.analyses.get("cost"), "tables", {}),
          reads_solids=False)
def write(result: Any, stage: Any) -> None:
    parts = {p.name: p for p in result.design.all_stock_parts()}
    text = cut_list_csv(result.analyses["cost"].tables["cut_plan"], parts)
    stage.file("cut-list.csv").write_text(text, encoding="utf-8")
