"""bom.csv and bom.json: the cost analysis' bill of materials, with the total (USD)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from osehw.outputs import register


def bom_csv(rows: list[dict[str, Any]], total_usd: float, subtotals: dict[str, float] | None = None) -> str:
    """The rows, a SUBTOTAL row per group of ``subtotals`` (a composite's), and the TOTAL."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["item", "description", "quantity", "unit", "unit_cost_usd", "extended_cost_usd", "source", "source_date",
                "group"])
    for r in rows:
        priced = r.get("priced", True)  # an unpriced row leaves its cost cells empty, not $0.00
        w.writerow([r["item"], r["description"], f"{r['quantity']:g}", r["unit"],
                    f"{r['unit_cost']:.2f}" if priced else "", f"{r['extended_cost']:.2f}" if priced else "",
                    r["source"], r["source_date"], r.get("group", "")])
    for group, usd in (subtotals or {}).items():
        w.writerow([f"SUBTOTAL {group}", "", "", "", "", f"{usd:.2f}", "", "", group])
    w.writerow(["TOTAL", "", "", "", "", f"{total_usd:.2f}", "", "", ""])
    return buf.getvalue()


def bom_json(rows: list[dict[str, Any]], total_usd: float) -> str:
    items = [r if r.get("priced", True) else dict(r, unit_cost=None, extended_cost=None) for r in rows]
    doc = {"currency": "USD", "items": items, "total": total_usd}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


@register("bom", files=("bom.csv", "bom.json"), applies=lambda result: "cost" in result.analyses,
          reads_solids=False)
def write(result: Any, stage: Any) -> None:
    cost = result.analyses["cost"]
    rows, usd = cost.tables["bom"], cost.summary["total_usd"]
    stage.file("bom.csv").write_text(bom_csv(rows, usd, cost.summary.get("subtotals_usd")), encoding="utf-8")
    stage.file("bom.json").write_text(bom_json(rows, usd), encoding="utf-8")
