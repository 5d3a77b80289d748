"""``osehw site``: the download page, written whole into ``OUT/site/`` from the designs' build folders.

Layout (every link relative, no script, no network: it opens from ``file://`` and from any static host)::

    site/index.html                     the designs, each with its picture
    site/<variant>/index.html           key figures, economics, sheet previews, figures, downloads
    site/<variant>/model.png            the assembly, drawn from model.stl (picture.py)
    site/<variant>/<variant>-<machine>.zip   G-code, sheet DXFs, setup sheets, cut list, BOM
    site/<variant>/files/…              the build folder as osehw wrote it (report.html and all it links)
    site/SHA256SUMS                     every file above (``sha256sum -c SHA256SUMS`` in site/)
    site/manifest.json                  osehw's ownership mark and the same sums

It is written through :class:`~osehw.core.staging.StagedOutput` like a design's outputs: into a
staging folder, swapped in whole, and only over a folder osehw made.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from osehw import __version__
from osehw.core.staging import StagedOutput
from osehw.site.bundles import machine_zip
from osehw.site.collect import BuiltDesign
from osehw.site.picture import render_stl

SITE = "site"  # the folder under the outputs root
TEMPLATES = Path(__file__).resolve().parent / "templates"
SUMS = "SHA256SUMS"
NOT_SUMMED = {SUMS, "manifest.json"}  # the sums file cannot list itself; the manifest lists the sums file


@dataclass(frozen=True)
class Download:
    file: str  # relative to the design's page folder
    what: str
    size: int
    sha256: str
    entries: tuple[str, ...] = ()


def number(value: Any) -> str:
    """A summary value as the page shows it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return " … ".join(number(v) for v in value) if len(value) == 2 else ", ".join(number(v) for v in value)
    return str(value)


def rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """The plain values of a summary, sorted by name (nested tables are left to the report)."""
    return [(k, number(v)) for k, v in sorted(summary.items())
            if not isinstance(v, dict) and not (isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v))]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _key_figures(design: BuiltDesign) -> list[tuple[str, str]]:
    m = design.manifest
    figures = []
    if m.get("bom_total_usd") is not None:
        figures.append(("bill of materials", f"${m['bom_total_usd']:,.2f}"))
    figures.append(("checks", f"{design.errors} failed, {design.warnings} warnings"))
    for machine in design.machines:
        sheets = [s for s in design.sheets if s["machine"] == machine]
        minutes = sum(s["estimated_time_s"] for s in sheets) / 60
        figures.append((f"{machine}", f"{len(sheets)} sheet{'s' * (len(sheets) != 1)}, "
                                      f"{sum(len(s['programs']) for s in sheets)} programs, {minutes:.1f} min cutting"))
    loads = design.analyses().get("loads", {})
    if "weight_kg" in loads:
        figures.append(("weight", f"{loads['weight_kg']:,.1f} kg"))
    return figures


def _sheets(design: BuiltDesign) -> list[dict[str, Any]]:
    out = []
    for s in sorted(design.sheets, key=lambda s: (s["machine"], s["file"])):
        stem = s["file"]
        out.append({"machine": s["machine"], "name": stem.rsplit("/", 1)[-1],
                    "png": f"files/{stem}.png" if f"{stem}.png" in design.files else None,
                    "svg": f"files/{stem}.svg" if f"{stem}.svg" in design.files else None,
                    "setup": f"files/{stem}.html" if f"{stem}.html" in design.files else None,
                    "minutes": f"{s['estimated_time_s'] / 60:.1f}", "utilisation": f"{s['utilisation']:.0%}",
                    "material": s.get("material", ""), "thickness": number(s.get("thickness_mm", ""))})
    return out


def _write(stage: StagedOutput, relative: str, data: bytes) -> None:
    stage.file(relative).write_bytes(data)


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system allows one (the site then takes no second copy of the build's disk
    space; a rebuild replaces its files by rename, so the site's links keep the files they were made from),
    else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _design_page(stage: StagedOutput, design: BuiltDesign, env: jinja2.Environment) -> dict[str, Any]:
    """Write one design's folder in the site; returns what the index shows of it."""
    v = design.variant
    for rel in design.files:  # the build folder as it is, so report.html and its links work here too
        _link_or_copy(design.folder / rel, stage.file(f"{v}/files/{rel}"))
    picture = None
    if "model.stl" in design.files:
        _write(stage, f"{v}/model.png", render_stl(design.folder / "model.stl"))
        picture = "model.png"
    downloads = []
    for machine in design.machines:
        name = f"{v}-{machine}.zip"
        data, entries = machine_zip(design.folder, design.files, f"{v}-{machine}", machine)
        _write(stage, f"{v}/{name}", data)
        downloads.append(Download(name, f"everything to cut it on {machine}: G-code, sheet DXFs, setup sheets, "
                                  f"cut list, BOM", len(data), _digest(data), tuple(entries)))
    for rel, what in (("model.step", "the assembly for CAD (STEP)"), ("model.stl", "the assembly as a mesh (STL)"),
                      ("bom.csv", "bill of materials (CSV)"), ("cut-list.csv", "bar stock cut list (CSV)"),
                      ("report.html", "the full report")):
        if rel in design.files:
            path = design.folder / rel
            downloads.append(Download(f"files/{rel}", what, path.stat().st_size, design.manifest["files"][rel]))
    economics = design.economics()
    context = {
        "variant": v, "design": design.manifest.get("design", v), "version": __version__, "picture": picture,
        "errors": design.errors, "key_figures": _key_figures(design), "summary": rows(design.manifest.get("summary") or {}),
        "economics": None if economics is None else {
            "name": economics[0], "rows": rows(economics[1]),
            "figures": [f"files/{f}" for f in design.figures()
                        if f.removeprefix("figures/").startswith(economics[0].replace("/", "-") + "-")],
            "tables": [f"files/{f}" for f in design.files
                       if f.startswith(f"tables/{economics[0].replace('/', '-')}-") and f.endswith(".csv")]},
        "analyses": [{"name": name, "rows": rows(summary)} for name, summary in design.analyses().items()
                     if economics is None or name != economics[0]],
        "figures": [f"files/{f}" for f in design.figures()], "sheets": _sheets(design), "downloads": downloads,
    }
    _write(stage, f"{v}/index.html", env.get_template("design.html.j2").render(**context).encode("utf-8"))
    total = design.manifest.get("bom_total_usd")
    return {"variant": v, "design": context["design"], "picture": f"{v}/{picture}" if picture else None,
            "page": f"{v}/index.html", "errors": design.errors, "machines": design.machines,
            "total": None if total is None else f"${total:,.2f}",
            "economics": context["economics"]["rows"][:4] if context["economics"] else [],
            "zips": [{"file": f"{v}/{d.file}", "sha256": d.sha256, "size": d.size} for d in downloads
                     if d.file.endswith(".zip")]}


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.filters["size"] = lambda n: f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"
    return env


def build_site(root: Path, designs: list[BuiltDesign], force: bool = False) -> dict[str, str]:
    """Write ``root/site`` from the built ``designs``; returns the sums (path → sha256) of its files."""
    env = environment()
    with StagedOutput(root, SITE, force=force) as stage:
        cards = [_design_page(stage, d, env) for d in designs]
        _write(stage, "index.html", env.get_template("index.html.j2").render(
            designs=cards, version=__version__).encode("utf-8"))
        sums = {p.relative_to(stage.path).as_posix(): _digest(p.read_bytes())
                for p in sorted(stage.path.rglob("*")) if p.is_file()}
        sums = {k: v for k, v in sorted(sums.items()) if k not in NOT_SUMMED}
        _write(stage, SUMS, "".join(f"{h}  {rel}\n" for rel, h in sums.items()).encode("ascii"))
        stage.write_manifest({"osehw_version": __version__, "site": {"designs": [d.variant for d in designs]}})
    return sums
