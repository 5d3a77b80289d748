"""report.html: one page per design for people rather than programs — verdict, files, parameters,
analyses, findings, bill of materials, each sheet's toolpath picture with its programs, each part.

Every link is relative, so the folder can be zipped, served or opened from disk as it is; nothing
in the page depends on the date, so the same build gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from osehw import __version__
from osehw.core.params import describe_fields
from osehw.outputs import OUTPUTS, register
from osehw.outputs.analysis_files import file_stem, own_tables

TEMPLATES = Path(__file__).resolve().parent / "templates"
# (file, what it is, the output that writes it: listed when that output applies; None = always)
FILES = (
    ("model.step", "the assembly for CAD (STEP AP214)", "model"),
    ("model.stl", "the assembly as a mesh", "model"),
    ("bom.csv", "bill of materials (CSV)", "bom"),
    ("bom.json", "bill of materials (JSON)", "bom"),
    ("parts/production-list.csv", "parts, quantities, thickness and material, for shops that nest themselves",
     "cam"),
    ("cut-list.csv", "pieces sawn from bar stock, in saw order, with end cuts and holes", "cut-list"),
    ("manifest.json", "parameters, analyses, findings and the SHA-256 of every file", None),
)


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def _value(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _rows(mapping: dict[str, Any]) -> list[tuple[str, str]]:
    return [(k, _number(v)) for k, v in sorted(mapping.items()) if not isinstance(v, (dict, list))]


def report_context(result: Any) -> dict[str, Any]:
    """Plain values for the template, from a build result (design, analyses, CAM, findings)."""
    design = result.design
    params = []
    if result.kind is not None:
        values = result.params.model_dump(mode="json")
        params = [{"name": r["name"], "value": _value(values[r["name"]]), "unit": r["unit"],
                   "description": r["description"]} for r in describe_fields(result.kind.schema)]
    cost = result.analyses.get("cost")
    bom = []
    if cost is not None:
        for r in cost.tables["bom"]:
            priced = r.get("priced", True)
            bom.append(dict(r, quantity=f"{r['quantity']:g}",
                            unit_cost=f"${r['unit_cost']:,.2f}" if priced else "no price",
                            extended_cost=f"${r['extended_cost']:,.2f}" if priced else "—"))
    subtotals = sorted(cost.summary.get("subtotals_usd", {}).items()) if cost is not None else []
    sheets = []
    if result.cam is not None:
        for s in result.cam.sheets:
            sheets.append({"machine": s.machine.id, "group": s.group, "index": s.index, "stem": s.stem,
                           "folder": f"sheets/{s.machine.id}", "minutes": f"{s.estimated_time_s / 60:.1f}",
                           "utilisation": f"{s.utilisation:.0%}",
                           "remnant": (None if s.use.remnant is None else
                                       dict(zip(("heading", "text"), s.use.lines()[-1]))),
                           "programs": [{"file": p.filename, "tool": p.tool.name,
                                         "minutes": f"{p.report.estimated_time_s / 60:.1f}"} for p in s.programs]})
    severity_order = {"error": 0, "warning": 1, "info": 2}
    findings = sorted(result.findings, key=lambda f: (severity_order[f.severity], f.code, f.subject))
    files = [(name, what) for name, what, output in FILES
             if output is None or OUTPUTS.get(output).applies(result)]
    return {
        "variant": result.variant, "design": design.name, "source": result.source, "version": __version__,
        "errors": len(result.errors), "total_usd": cost.summary["total_usd"] if cost is not None else None,
        "files": files, "params": params, "summary": _rows(design.summary),
        "site": None if result.site is None else {
            "name": result.site.name, "where": f"{result.site.latitude:.4f}°, {result.site.longitude:.4f}°, "
            f"{result.site.elevation_m:g} m, {result.site.timezone}", "weather": result.site.weather_label()},
        "analyses": [{"name": name, "rows": _rows(a.summary),
                      "figures": [f"figures/{file_stem(name, f)}.svg" for f in sorted(a.figures)],
                      "tables": [f"tables/{file_stem(name, t)}.csv" for t in own_tables(name, a)]}
                     for name, a in sorted(result.analyses.items())],
        "cut_list": cost.tables.get("cut_plan", []) if cost is not None else [],
        "findings": findings, "bom": bom, "subtotals": subtotals,
        "sheets": sheets, "parts": [p.name for p in design.all_sheet_parts()],
    }


def render(result: Any) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=False, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    return env.get_template("report.html.j2").render(**report_context(result))


@register("report", files=("report.html",), reads_solids=False)
def write(result: Any, stage: Any) -> None:
    stage.file("report.html").write_text(render(result), encoding="utf-8")
