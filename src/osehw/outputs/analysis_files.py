"""figures/*.svg and tables/*.csv: every analysis' figures and tables, one file each.

A child's analysis is named by its path (``enclosure/thermal``); its files
are named with a dash (``figures/enclosure-thermal-<figure>.svg``) so the
folder stays flat. The cost analysis' ``bom`` and ``cut_plan`` tables have
their own, richer files (bom.csv, cut-list.csv) and are not repeated here.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from osehw.outputs import register

WRITTEN_ELSEWHERE = {("cost", "bom"), ("cost", "cut_plan")}  # by outputs/bom.py and outputs/cut_list.py


def file_stem(analysis: str, name: str) -> str:
    return f"{analysis.replace('/', '-')}-{name}"


def table_csv(rows: list[dict[str, Any]]) -> str:
    """Rows of plain values as CSV, the columns in first-seen order."""
    columns: list[str] = []
    for r in rows:
        columns += [k for k in r if k not in columns]
    buf = io.StringIO()
    w = csv.DictWriter(buf, columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def own_tables(name: str, analysis: Any) -> list[str]:
    """The tables of analysis ``name`` (a path for a child's: ``enclosure/cost``) this output writes."""
    return [t for t in sorted(analysis.tables) if (name.rsplit("/", 1)[-1], t) not in WRITTEN_ELSEWHERE]


def _tables(result: Any) -> list[tuple[str, str, list[dict[str, Any]]]]:
    return [(a, t, analysis.tables[t]) for a, analysis in sorted(result.analyses.items())
            for t in own_tables(a, analysis)]


@register("analysis-files", files=("figures/<analysis>-<figure>.svg", "tables/<analysis>-<table>.csv"),
          applies=lambda result: any(a.figures for a in result.analyses.values()) or bool(_tables(result)),
          reads_solids=False)
def write(result: Any, stage: Any) -> None:
    for analysis, a in sorted(result.analyses.items()):
        for name, svg in sorted(a.figures.items()):
            stage.file(f"figures/{file_stem(analysis, name)}.svg").write_text(svg, encoding="utf-8")
    for analysis, name, rows in _tables(result):
        stage.file(f"tables/{file_stem(analysis, name)}.csv").write_text(table_csv(rows), encoding="utf-8")
