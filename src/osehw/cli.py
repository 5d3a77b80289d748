"""The ``osehw`` command: list, show, build, check (and cam for a user's own part)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer
from rich.console import Console
from rich.table import Table

from osehw.output import OutputPathError, check_out_root
from osehw.params import ParamError, describe_fields, parse_overrides
from osehw.paths import project_root

app = typer.Typer(help="osehw: open hardware generator — parameter files to fabrication files.",
                  add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2


def _bad_input(lines: list[str]) -> None:
    for line in lines:
        err.print(f"[bold red]error:[/] {line}", markup=True, soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def guarded(fn: Callable[[], Any]) -> Any:
    """Run a command body; bad input becomes one line per problem and exit status 2."""
    try:
        return fn()
    except ParamError as exc:
        _bad_input([str(p) for p in exc.problems])
    except OutputPathError as exc:
        _bad_input([str(exc)])


def _variants(designs: list[str] | None) -> list[str]:
    from osehw.pipeline import design_files

    return list(designs) if designs else [p.stem for p in design_files()]


@app.command("list")
def list_designs() -> None:
    """List the design files under designs/ and the designs that build them."""
    from osehw.designs import load_all
    from osehw.params import read_design_file
    from osehw.pipeline import design_files

    registry = load_all()
    table = Table("variant", "design", "file", "what it is")
    for path in design_files():
        kind, _ = guarded(lambda: read_design_file(path))
        summary = registry.get(kind).summary if kind in registry else "(unknown design)"
        table.add_row(path.stem, kind, str(path.relative_to(project_root())), summary)
    out.print(table)


@app.command()
def show(design: str = typer.Argument(..., help="variant name (designs/NAME.yaml) or path to a YAML file"),
         set_: Optional[List[str]] = typer.Option(None, "--set", help="override FIELD=VALUE")) -> None:
    """Show a design's parameters: value, unit, default, range and description."""
    from osehw.pipeline import load

    loaded = guarded(lambda: load(design, parse_overrides(set_ or [])))
    values = loaded.params.model_dump(mode="json")
    table = Table("field", "value", "unit", "default", "range", "description", title=f"{loaded.variant} "
                  f"({loaded.kind.name}: {loaded.kind.summary})")
    for row in describe_fields(loaded.kind.schema):
        rng = "/".join(row["choices"]) if row["choices"] else (
            f"{row['min']:g} … {row['max']:g}" if row["min"] is not None and row["max"] is not None else "")
        table.add_row(row["name"], str(values[row["name"]]), row["unit"], str(row["default"]), rng, row["description"])
    out.print(table)


def _report(result: Any, verbose: bool = True) -> None:
    table = Table("severity", "code", "subject", "message", title=f"checks: {result.variant}")
    for f in result.findings:
        if verbose or f.is_error:
            colour = {"error": "red", "warning": "yellow"}.get(f.severity, "green")
            table.add_row(f"[{colour}]{f.severity}[/]", f.code, f.subject, f.message)
    out.print(table)


@app.command()
def build(designs: Optional[List[str]] = typer.Argument(None, help="variants to build (default: all)"),
          set_: Optional[List[str]] = typer.Option(None, "--set", help="override FIELD=VALUE (every design named)"),
          out_dir: Path = typer.Option(Path("outputs"), "--out", help="output folder")) -> None:
    """Build designs into OUT/<variant>/: STEP, STL, drawings, DXF, G-code, BOM, manifest."""
    from osehw.pipeline import BuildPipeline, load

    names = _variants(designs)
    overrides = guarded(lambda: parse_overrides(set_ or []))
    root = guarded(lambda: check_out_root(out_dir, project_root()))
    loaded = [guarded(lambda n=n: load(n, overrides)) for n in names]  # all inputs checked before any output
    failed = False
    with out.status("building…") as status:
        pipe = BuildPipeline(progress=lambda msg: status.update(msg))
        for item in loaded:
            t = time.perf_counter()
            result = guarded(lambda item=item: pipe.write(pipe.check(pipe.model(item)), item.path.name, root))
            out.print(f"[bold]{item.variant}[/]: {len(result.files)} files in {root / item.variant} "
                      f"({time.perf_counter() - t:.1f} s); BOM total ${sum(r.extended_cost for r in result.bom_rows):,.2f}")
            if result.errors:
                failed = True
                _report(result, verbose=False)
    if failed:
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
def check(designs: Optional[List[str]] = typer.Argument(None, help="variants to check (default: all)"),
          set_: Optional[List[str]] = typer.Option(None, "--set", help="override FIELD=VALUE")) -> None:
    """Run every check CI runs; exit 1 with a report when any fails, 2 on bad input."""
    from osehw.pipeline import BuildPipeline, load

    overrides = guarded(lambda: parse_overrides(set_ or []))
    loaded = [guarded(lambda n=n: load(n, overrides)) for n in _variants(designs)]
    failed = False
    with out.status("checking…") as status:
        pipe = BuildPipeline(progress=lambda msg: status.update(msg))
        for item in loaded:
            result = pipe.check(pipe.model(item))
            _report(result)
            failed = failed or bool(result.errors)
    out.print("[red]FAILED[/]" if failed else "[green]all checks passed[/]")
    if failed:
        raise typer.Exit(EXIT_CHECK_FAILED)


def main() -> None:  # pragma: no cover - console entry
    sys.exit(app())


@app.command()
def verify(program: Path = typer.Argument(..., help="G-code file to verify"),
           machine: str = typer.Option(..., "--machine", help="machine profile id (cam/machines)"),
           thickness: float = typer.Option(..., "--thickness", help="stock thickness [mm]"),
           tool_diameter: float = typer.Option(6.35, "--tool-diameter", help="tool diameter [mm]")) -> None:
    """Verify any G-code program against a machine profile: dialect, envelope, safe Z, spindle, depth,
    feeds, arcs; prints cut length and time. Exit 1 when it fails."""
    from osehw.cam.profiles import load_machines
    from osehw.cam.verify import verify_program
    from osehw.registry import unknown_message

    machines = load_machines()
    if machine not in machines:
        _bad_input([f"--machine: {unknown_message('machine', machine, machines)}"])
    if not program.is_file():
        _bad_input([f"{program}: file not found"])
    if thickness <= 0 or tool_diameter <= 0:
        _bad_input([f"--thickness {thickness:g} / --tool-diameter {tool_diameter:g}: must be > 0 mm"])
    m = machines[machine]
    report = verify_program(program.read_text(encoding="utf-8", errors="replace"), m, dialect=m.controller,
                            stock_x=m.envelope_x, stock_y=m.envelope_y, stock_thickness=thickness,
                            tool_diameter=tool_diameter, subject=program.name)
    table = Table("severity", "code", "message", title=f"{program.name} on {machine}")
    for f in report.findings:
        table.add_row(f.severity, f.code, f.message)
    out.print(table)
    out.print(f"cut {report.cut_length:.0f} mm, rapid {report.rapid_length:.0f} mm, "
              f"estimated {report.estimated_time_s / 60:.1f} min (lower bound {report.lower_bound_time_s / 60:.1f} min)")
    out.print("[green]program OK[/]" if report.ok else "[red]FAILED[/]")
    if not report.ok:
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
def cam(part_file: Path = typer.Argument(..., help="a flat part as STEP (.step/.stp) or DXF (closed outlines)"),
        thickness: float = typer.Option(..., "--thickness", help="stock thickness [mm]"),
        material: str = typer.Option("plywood", "--material", help="material profile id (cam/materials)"),
        quantity: int = typer.Option(1, "--quantity", help="how many to cut"),
        machine: Optional[List[str]] = typer.Option(None, "--machine", help="machine id(s); default: all"),
        out_dir: Path = typer.Option(Path("outputs"), "--out", help="output folder")) -> None:
    """CAM for your own flat part: nested sheets, verified programs, DXF, previews and setup sheets."""
    from osehw.cam.user_part import UserPartError, user_part_design
    from osehw.pipeline import BuildPipeline

    root = guarded(lambda: check_out_root(out_dir, project_root()))
    try:
        design = user_part_design(part_file, thickness=thickness, material=material, quantity=quantity)
    except UserPartError as exc:
        _bad_input([str(exc)])
    with out.status("CAM…") as status:
        pipe = BuildPipeline(progress=lambda msg: status.update(msg), machines=machine or None)
        result = guarded(lambda: pipe.write_design(design, part_file, root))
    out.print(f"[bold]{design.name}[/]: {len(result.files)} files in {root / design.name}")
    if result.errors:
        _report(result, verbose=False)
        raise typer.Exit(EXIT_CHECK_FAILED)
